//! Rendering DOT text to a picture with Graphviz's `dot` program, which is not part of dealgraph:
//! when it cannot be found the error says how to install it. The DOT goes in on standard input and
//! the picture comes back on standard output.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The program run by default (looked up on `PATH`).
pub const GRAPHVIZ_DOT: &str = "dot";

/// How to get Graphviz, for messages.
pub const INSTALL_HINT: &str = "install Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`; \
Fedora: `sudo dnf install graphviz`; macOS: `brew install graphviz`; others: \
https://graphviz.org/download/), or write DOT with `dealgraph dot -o FILE.dot` and render it elsewhere";

/// A picture format Graphviz writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// Scalable Vector Graphics, with tooltips and links.
    Svg,
    /// A PNG bitmap.
    Png,
}

impl PictureFormat {
    /// `svg` or `png`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }

    /// The name Graphviz's `-T` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Svg => "svg",
            Self::Png => "png",
        }
    }
}

/// Why no picture was made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The Graphviz program is not installed (or not on `PATH`).
    #[error("Graphviz's `{}` program was not found: {INSTALL_HINT}", .0.display())]
    Missing(PathBuf),
    /// Graphviz ran and failed.
    #[error("Graphviz failed ({status}): {message}")]
    Failed {
        /// Its exit status.
        status: String,
        /// What it wrote on standard error.
        message: String,
    },
    /// Talking to Graphviz failed.
    #[error("cannot run Graphviz: {0}")]
    Io(#[from] std::io::Error),
}

/// A picture Graphviz made.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The SVG or PNG bytes.
    pub bytes: Vec<u8>,
    /// What Graphviz wrote on standard error (its warnings), trimmed; empty when all went well.
    pub warnings: String,
}

/// Runs `program` (normally [`GRAPHVIZ_DOT`]) on `dot` and gives the picture.
pub fn render(program: &Path, dot: &[u8], format: PictureFormat) -> Result<Picture, RenderError> {
    let mut child = Command::new(program)
        .arg(format!("-T{}", format.name()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                RenderError::Missing(program.to_path_buf())
            }
            _ => RenderError::Io(error),
        })?;
    let mut stdin = child.stdin.take().expect("piped standard input");
    let mut stderr = child.stderr.take().expect("piped standard error");
    let input = dot.to_vec();
    // Graphviz may write before it has read everything: feed it and drain its errors on their own
    // threads, read the picture here.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let errors = std::thread::spawn(move || {
        let mut message = String::new();
        stderr.read_to_string(&mut message).map(|_| message)
    });
    let mut picture = Vec::new();
    child
        .stdout
        .take()
        .expect("piped standard output")
        .read_to_end(&mut picture)?;
    let status = child.wait()?;
    let written = writer.join().expect("the writer thread does not panic");
    let message = errors.join().expect("the reader thread does not panic")?;
    if !status.success() {
        return Err(RenderError::Failed {
            status: status.to_string(),
            message: message.trim().to_string(),
        });
    }
    written?;
    Ok(Picture {
        bytes: picture,
        warnings: message.trim().to_string(),
    })
}
