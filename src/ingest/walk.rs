//! Walking the inputs: files, folders (recursively, in name order) and JSON Lines files become a
//! stream of documents, one at a time.
//!
//! Folders are walked as `ripgrep` walks a tree: each real folder is entered once (a link back to a
//! folder already entered is a loop, reported and skipped), a file reached by two paths is read
//! once (files and folders are told apart by their canonical paths), and a document larger than
//! the limit is rejected before it is read. Nothing is held but the document being made and the
//! canonical paths seen.

use std::collections::HashMap;
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::{
    document_from_file, format_of, jsonl, normalise_path, read_utf8, seed_documents, ClutterRules,
    Document, IngestError, SourceFormat,
};

/// The default of [`Limits::max_document_bytes`]: 10 MiB, well above any news article (the longest
/// transcripts run to a few hundred kilobytes) and well below what exhausts a machine.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 10 * 1024 * 1024;

/// What a single input may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest document read, in bytes of its source (a file, or a JSON Lines record's line).
    pub max_document_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// The documents of the inputs (the embedded seed corpus when there are none) one at a time, in
/// input order, with an error in place of each rejected file or record. Files are read when they
/// are reached, and a JSON Lines file a line at a time, so no input is ever held whole.
pub fn documents<'r>(inputs: &[PathBuf], rules: &'r ClutterRules, limits: Limits) -> Documents<'r> {
    let pending = if inputs.is_empty() {
        vec![Pending::Seeds(seed_documents(rules).into_iter())]
    } else {
        inputs
            .iter()
            .rev()
            .map(|path| Pending::Path {
                path: path.clone(),
                explicit: true,
            })
            .collect()
    };
    Documents {
        rules,
        limits,
        pending,
        produced: 0,
        folders_entered: HashMap::new(),
        files_read: HashMap::new(),
    }
}

/// The iterator of [`documents`].
pub struct Documents<'r> {
    rules: &'r ClutterRules,
    limits: Limits,
    /// What is left to read, the next item last.
    pending: Vec<Pending>,
    /// Documents and errors given so far (to tell a folder that gave nothing).
    produced: usize,
    /// The canonical path of every folder entered, with the path it was first entered by.
    folders_entered: HashMap<PathBuf, String>,
    /// The canonical path of every file read, with the path it was first read by.
    files_read: HashMap<PathBuf, String>,
}

/// Work left for [`Documents`].
enum Pending {
    /// The embedded seeds.
    Seeds(std::vec::IntoIter<Document>),
    /// A file or folder (`explicit`: named by the user, so read even without a known extension).
    Path { path: PathBuf, explicit: bool },
    /// The end of a folder's entries: an error if nothing came out of it since `produced` was so.
    FolderEnd { shown: String, produced: usize },
    /// A JSON Lines file being read.
    Lines(jsonl::Lines<BufReader<fs::File>>),
}

impl Iterator for Documents<'_> {
    type Item = Result<Document, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.next_item()?;
        self.produced += 1;
        Some(item)
    }
}

impl Documents<'_> {
    fn next_item(&mut self) -> Option<Result<Document, IngestError>> {
        loop {
            match self.pending.pop()? {
                Pending::Seeds(mut seeds) => {
                    let document = seeds.next()?;
                    self.pending.push(Pending::Seeds(seeds));
                    return Some(Ok(document));
                }
                Pending::Lines(mut lines) => {
                    if let Some(item) = lines.next_document(self.rules) {
                        self.pending.push(Pending::Lines(lines));
                        return Some(item);
                    }
                }
                Pending::FolderEnd { shown, produced } => {
                    if produced == self.produced {
                        return Some(Err(IngestError::NoDocuments { path: shown }));
                    }
                }
                Pending::Path { path, explicit } => {
                    if let Some(item) = self.open(&path, explicit) {
                        return Some(item);
                    }
                }
            }
        }
    }

    /// Reads a file (or queues a folder's entries or a JSON Lines file's lines): a document or an
    /// error, or nothing yet.
    fn open(&mut self, path: &Path, explicit: bool) -> Option<Result<Document, IngestError>> {
        let shown = path.display().to_string();
        let io = |source| IngestError::Io {
            path: shown.clone(),
            source,
        };
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(source) => return Some(Err(io(source))),
        };
        if metadata.is_dir() {
            return self.enter_folder(path).err().map(Err);
        }
        let format = match format_of(path) {
            Some(format) => format,
            None if explicit => SourceFormat::Text,
            None => return None,
        };
        if let Err(error) = self.first_reading(path) {
            return Some(Err(error));
        }
        if format == SourceFormat::Jsonl {
            return match fs::File::open(path) {
                Ok(file) => {
                    let reader = BufReader::new(file);
                    let lines = jsonl::Lines::new(path, reader, self.limits.max_document_bytes);
                    self.pending.push(Pending::Lines(lines));
                    None
                }
                Err(source) => Some(Err(io(source))),
            };
        }
        if metadata.len() > self.limits.max_document_bytes {
            return Some(Err(IngestError::TooLarge {
                location: shown,
                bytes: metadata.len(),
                limit: self.limits.max_document_bytes,
            }));
        }
        Some(read_utf8(path).and_then(|(bytes, text)| {
            document_from_file(
                &shown,
                &normalise_path(path),
                format,
                &bytes,
                text,
                self.rules,
            )
        }))
    }

    /// Queues a folder's entries, unless the folder was entered already (a loop through a link,
    /// or a second link to one folder).
    fn enter_folder(&mut self, path: &Path) -> Result<(), IngestError> {
        let shown = path.display().to_string();
        let io = |source| IngestError::Io {
            path: shown.clone(),
            source,
        };
        let canonical = fs::canonicalize(path).map_err(io)?;
        if let Some(first) = self.folders_entered.get(&canonical) {
            return Err(IngestError::FolderAgain {
                path: shown,
                first: first.clone(),
            });
        }
        self.folders_entered.insert(canonical, shown.clone());
        let entries = sorted_entries(path).map_err(io)?;
        self.pending.push(Pending::FolderEnd {
            shown,
            produced: self.produced,
        });
        self.pending
            .extend(entries.into_iter().rev().map(|path| Pending::Path {
                path,
                explicit: false,
            }));
        Ok(())
    }

    /// Records that the file at `path` is read, or says by which path it was read already.
    fn first_reading(&mut self, path: &Path) -> Result<(), IngestError> {
        let shown = path.display().to_string();
        let canonical = fs::canonicalize(path).map_err(|source| IngestError::Io {
            path: shown.clone(),
            source,
        })?;
        match self.files_read.get(&canonical) {
            Some(first) => Err(IngestError::FileAgain {
                path: shown,
                first: first.clone(),
            }),
            None => {
                self.files_read.insert(canonical, shown);
                Ok(())
            }
        }
    }
}

/// A folder's entries in name order, hidden ones left out.
fn sorted_entries(directory: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(directory)? {
        let entry = entry?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden {
            entries.push(entry.path());
        }
    }
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(inputs: &[PathBuf], limits: Limits) -> (Vec<String>, Vec<IngestError>) {
        let rules = ClutterRules::embedded().expect("rules");
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for item in documents(inputs, &rules, limits) {
            match item {
                Ok(document) => sources.push(document.source),
                Err(error) => errors.push(error),
            }
        }
        (sources, errors)
    }

    #[cfg(unix)]
    #[test]
    fn links_back_to_a_parent_folder_are_entered_once_and_reported() {
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path();
        fs::write(
            root.join("a.txt"),
            "Denmark and Kosovo signed an agreement.",
        )
        .expect("write");
        fs::create_dir(root.join("sub")).expect("sub");
        std::os::unix::fs::symlink("..", root.join("sub/up1")).expect("link");
        std::os::unix::fs::symlink("..", root.join("sub/up2")).expect("link");
        let (sources, errors) = walk(&[root.to_path_buf()], Limits::default());
        assert_eq!(sources, vec![root.join("a.txt").display().to_string()]);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        for (message, link) in messages.iter().zip(["sub/up1", "sub/up2"]) {
            assert!(message.contains(link), "{message}");
            assert!(message.contains("already read"), "{message}");
        }
        assert!(errors.iter().all(IngestError::is_warning));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_by_two_paths_is_read_once() {
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path();
        fs::write(root.join("a.txt"), "Chile and Peru signed a treaty.").expect("write");
        std::os::unix::fs::symlink("a.txt", root.join("b.txt")).expect("link");
        let (sources, errors) = walk(&[root.to_path_buf()], Limits::default());
        assert_eq!(sources, vec![root.join("a.txt").display().to_string()]);
        assert_eq!(errors.len(), 1);
        let message = errors[0].to_string();
        assert!(
            message.contains("b.txt") && message.contains("a.txt"),
            "{message}"
        );
        assert!(errors[0].is_warning());
    }

    #[test]
    fn a_file_given_twice_is_read_once() {
        let folder = tempfile::tempdir().expect("temp dir");
        let file = folder.path().join("a.txt");
        fs::write(&file, "Chile and Peru signed a treaty.").expect("write");
        let (sources, errors) = walk(&[file.clone(), file], Limits::default());
        assert_eq!(sources.len(), 1);
        assert!(matches!(errors[..], [IngestError::FileAgain { .. }]));
    }

    #[test]
    fn a_document_over_the_limit_is_rejected_and_the_rest_read() {
        let folder = tempfile::tempdir().expect("temp dir");
        let root = folder.path();
        fs::write(root.join("a.txt"), "Chile signed. ".repeat(100)).expect("write");
        fs::write(root.join("b.txt"), "Peru signed.").expect("write");
        let limits = Limits {
            max_document_bytes: 1_000,
        };
        let (sources, errors) = walk(&[root.to_path_buf()], limits);
        assert_eq!(sources, vec![root.join("b.txt").display().to_string()]);
        let message = errors[0].to_string();
        assert!(message.contains("a.txt"), "{message}");
        assert!(
            message.contains("1400 bytes") && message.contains("1000"),
            "{message}"
        );
        assert!(!errors[0].is_warning());
    }
}
