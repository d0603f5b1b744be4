//! Ingest: turns input files into [`Document`]s of clean text with metadata, offsets kept.
//!
//! It takes paths (plain text, Markdown, HTML, JSON Lines, or directories of them, walked recursively
//! in name order) or the embedded seed corpus, and gives one [`Document`] per article with its text,
//! identity, title, publication date, content hash and zones (clutter and captions). Clutter is only
//! *marked*: the text is never edited after it is read, so every character offset computed later
//! refers to [`Document::text`]. A file that cannot be read gives an [`IngestError`] naming it, and
//! the other inputs are still read. Ingest does no extraction.

mod clutter;
mod dates;
mod html;
mod jsonl;
mod markdown;
mod seeds;
mod walk;

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::text::CharSpan;

pub use clutter::{ClutterRuleError, ClutterRules};
pub use seeds::seed_documents;
pub use walk::{documents, Documents, Limits, DEFAULT_MAX_DOCUMENT_BYTES};

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text.
    Text,
    /// Markdown, kept as written (markup included).
    Markdown,
    /// HTML, reduced to its visible text.
    Html,
    /// One line of a JSON Lines file.
    Jsonl,
}

/// What a zone of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneKind {
    /// Web clutter (tracking snippets, counters, share buttons...): no extraction happens inside.
    Clutter,
    /// An image caption: kept and extracted, but marked.
    Caption,
}

/// A marked span of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// Clutter or caption.
    pub kind: ZoneKind,
    /// The rule that marked it (a name from `schema/clutter.json` or a structural rule).
    pub rule: String,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl Zone {
    /// The zone's character span.
    pub fn span(&self) -> CharSpan {
        CharSpan::new(self.start, self.end)
    }
}

/// One article, ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Identity from the source: the normalised path, the URL, or the JSON Lines `id`.
    pub id: String,
    /// The input path, URL or id as given by the user.
    pub source: String,
    /// How the document was read.
    pub format: SourceFormat,
    /// Title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// URL, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date or date-time (`xsd:date` / `xsd:dateTime` lexical form), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// `sha256:` and the hex SHA-256 of the source bytes, to detect changes.
    pub content_hash: String,
    /// The document text; every offset refers to it.
    pub text: String,
    /// Clutter and captions, in order.
    #[serde(default)]
    pub zones: Vec<Zone>,
}

/// Why an input could not be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file or directory could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not valid UTF-8.
    #[error("{path}:{line}: not valid UTF-8 (first invalid byte at byte offset {byte_offset})")]
    NotUtf8 {
        /// The path as given.
        path: String,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        byte_offset: usize,
    },
    /// The file (or JSON Lines record) holds no text.
    #[error("{location}: empty document (no text)")]
    Empty {
        /// The path, with `:line` for a JSON Lines record.
        location: String,
    },
    /// A directory holds no file of a known document type.
    #[error("{path}: no documents found (looked for .txt, .md, .html, .htm, .jsonl, .ndjson)")]
    NoDocuments {
        /// The directory as given.
        path: String,
    },
    /// The document is larger than the limit ([`Limits::max_document_bytes`]): not read.
    #[error("{location}: rejected: {bytes} bytes, more than the limit of {limit} bytes a document (--max-document-bytes)")]
    TooLarge {
        /// The path, with `:line` for a JSON Lines record.
        location: String,
        /// The document's size in bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A warning: a folder reached again (through a link back to it, a loop; another link to
    /// it; or given twice), skipped.
    #[error("{path}: skipped: the same folder as {first}, already read")]
    FolderAgain {
        /// The path as reached.
        path: String,
        /// The path it was first entered by.
        first: String,
    },
    /// A warning: a file reached again by another path (a link, or given twice), skipped.
    #[error("{path}: skipped: the same file as {first}, already read")]
    FileAgain {
        /// The path as reached.
        path: String,
        /// The path it was first read by.
        first: String,
    },
    /// A JSON Lines record is malformed.
    #[error("{path}:{line}:{column}: malformed JSON Lines record: {message}")]
    JsonLine {
        /// The path as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column within the line.
        column: usize,
        /// The parser's message.
        message: String,
    },
}

impl IngestError {
    /// Whether this is only a warning (an input skipped because it was read already) rather than
    /// an input rejected.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            IngestError::FolderAgain { .. } | IngestError::FileAgain { .. }
        )
    }
}

/// The documents read from a set of inputs and the inputs that failed.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Documents in input order (directories in name order, JSON Lines in line order).
    pub documents: Vec<Document>,
    /// One error per rejected file or record.
    pub errors: Vec<IngestError>,
}

/// Reads every input; with no inputs, the embedded seed corpus. Holds every document: large inputs
/// are better read with [`documents`].
pub fn ingest(inputs: &[PathBuf], rules: &ClutterRules) -> Ingested {
    let mut ingested = Ingested::default();
    for item in documents(inputs, rules, Limits::default()) {
        match item {
            Ok(document) => ingested.documents.push(document),
            Err(error) => ingested.errors.push(error),
        }
    }
    ingested
}

fn format_of(path: &Path) -> Option<SourceFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "text" => Some(SourceFormat::Text),
        "md" | "markdown" => Some(SourceFormat::Markdown),
        "html" | "htm" | "xhtml" => Some(SourceFormat::Html),
        "jsonl" | "ndjson" => Some(SourceFormat::Jsonl),
        _ => None,
    }
}

/// Reads a file as UTF-8, or says where the first invalid byte is.
fn read_utf8(path: &Path) -> Result<(Vec<u8>, String), IngestError> {
    let shown = path.display().to_string();
    let bytes = fs::read(path).map_err(|source| IngestError::Io {
        path: shown.clone(),
        source,
    })?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
            Ok((bytes, text))
        }
        Err(error) => {
            let byte_offset = error.valid_up_to();
            let line = bytes[..byte_offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(IngestError::NotUtf8 {
                path: shown,
                line,
                byte_offset,
            })
        }
    }
}

/// Builds a document from the bytes and text of one file (or an embedded seed).
pub(crate) fn document_from_file(
    source: &str,
    id: &str,
    format: SourceFormat,
    bytes: &[u8],
    raw_text: String,
    rules: &ClutterRules,
) -> Result<Document, IngestError> {
    if raw_text.trim().is_empty() {
        return Err(IngestError::Empty {
            location: source.to_string(),
        });
    }
    let metadata = Metadata::default();
    let document = match format {
        SourceFormat::Html => {
            let page = html::parse(&raw_text);
            if page.text.trim().is_empty() {
                return Err(IngestError::Empty {
                    location: source.to_string(),
                });
            }
            let metadata = Metadata {
                title: page.title,
                url: page.url,
                published: page.published,
            };
            finish(
                id,
                source,
                format,
                bytes,
                page.text,
                page.captions,
                metadata,
                rules,
            )
        }
        SourceFormat::Markdown => {
            let marked = markdown::scan(&raw_text);
            let metadata = Metadata {
                title: marked.title,
                url: None,
                published: marked.published,
            };
            finish(
                id,
                source,
                format,
                bytes,
                raw_text,
                marked.zones,
                metadata,
                rules,
            )
        }
        SourceFormat::Text | SourceFormat::Jsonl => finish(
            id,
            source,
            format,
            bytes,
            raw_text,
            Vec::new(),
            metadata,
            rules,
        ),
    };
    Ok(document)
}

/// Metadata known before clutter rules run.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
}

/// Marks clutter, finds the title and date where the format gave none, and hashes the source.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    id: &str,
    source: &str,
    format: SourceFormat,
    bytes: &[u8],
    text: String,
    format_zones: Vec<Zone>,
    metadata: Metadata,
    rules: &ClutterRules,
) -> Document {
    let marked = rules.mark(&text, metadata.title.as_deref(), format_zones);
    let published = metadata
        .published
        .as_deref()
        .and_then(dates::normalise)
        .or_else(|| dates::find_in_opening_lines(&text, &marked.zones));
    Document {
        id: id.to_string(),
        source: source.to_string(),
        format,
        title: metadata.title.or(marked.title),
        url: metadata.url,
        published,
        content_hash: content_hash(bytes),
        text,
        zones: marked.zones,
    }
}

/// `sha256:` followed by the hex digest of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// Lower-case hexadecimal of `bytes`, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// A path written with `/`, without `.` components and with `..` folded where it can be.
pub fn normalise_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::Prefix(prefix) => parts.push(prefix.as_os_str().to_string_lossy().into()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|last| last != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..".into());
                }
            }
            Component::Normal(name) => parts.push(name.to_string_lossy().into()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

impl Document {
    /// A plain-text document made from a string (identity and source `id`, no zones), for callers
    /// that already hold the text.
    pub fn from_text(id: &str, text: &str) -> Self {
        Document {
            id: id.to_string(),
            source: id.to_string(),
            format: SourceFormat::Text,
            title: None,
            url: None,
            published: None,
            content_hash: content_hash(text.as_bytes()),
            text: text.to_string(),
            zones: Vec::new(),
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Html => "html",
            SourceFormat::Jsonl => "jsonl",
        };
        f.write_str(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_paths_lexically() {
        assert_eq!(
            normalise_path(Path::new("./seeds/../seeds/a.txt")),
            "seeds/a.txt"
        );
        assert_eq!(normalise_path(Path::new("../x/./y.md")), "../x/y.md");
        assert_eq!(
            normalise_path(Path::new("/tmp//a/../b.html")),
            "/tmp/b.html"
        );
    }

    #[test]
    fn hashes_content() {
        assert_eq!(
            content_hash(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
