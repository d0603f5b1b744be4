//! The extraction of every article in a store, saved beside oxigraph's files, so adding an article
//! can resolve entities across the whole corpus without extracting it again.
//!
//! One JSON file per article version, named after its identity and content hash. A version is written
//! before the transaction that adds the article and deleted after the transaction that replaces or
//! removes it; the store is the record of which versions are committed, so a file left by a killed
//! writer is ignored and swept by the next one.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::lock::STATE_FOLDER;
use super::GrowError;
use crate::extract::Extraction;

/// The folder of saved extractions of one store.
#[derive(Debug, Clone)]
pub struct SavedExtractions {
    folder: PathBuf,
}

impl SavedExtractions {
    /// The saved extractions of the store in `directory` (the folder is created when missing).
    pub fn of_store(directory: &Path) -> Result<Self, GrowError> {
        let folder = directory.join(STATE_FOLDER).join("extractions");
        fs::create_dir_all(&folder).map_err(|source| io_error(&folder, source))?;
        Ok(Self { folder })
    }

    /// Saves one article's extraction (atomically: written aside, then renamed).
    pub fn save(&self, extraction: &Extraction) -> Result<(), GrowError> {
        let document = &extraction.document;
        let path = self.path_of(&document.id, &document.content_hash);
        let partial = path.with_extension("partial");
        let bytes = serde_json::to_vec(extraction).map_err(|error| GrowError::Saved {
            path: partial.display().to_string(),
            message: error.to_string(),
        })?;
        fs::write(&partial, bytes).map_err(|source| io_error(&partial, source))?;
        fs::rename(&partial, &path).map_err(|source| io_error(&path, source))
    }

    /// Deletes the saved version of an article.
    pub fn delete(&self, id: &str, content_hash: &str) -> Result<(), GrowError> {
        let path = self.path_of(id, content_hash);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(io_error(&path, source)),
        }
    }

    /// Deletes every saved file that is not one of the committed versions (`committed`: identity →
    /// content hash, read from the store): the leftovers of a writer killed before its commit.
    pub fn sweep(&self, committed: &HashMap<String, String>) -> Result<(), GrowError> {
        let wanted: HashSet<PathBuf> = committed
            .iter()
            .map(|(id, hash)| self.path_of(id, hash))
            .collect();
        let entries =
            fs::read_dir(&self.folder).map_err(|source| io_error(&self.folder, source))?;
        for entry in entries {
            let path = entry
                .map_err(|source| io_error(&self.folder, source))?
                .path();
            if !wanted.contains(&path) {
                fs::remove_file(&path).map_err(|source| io_error(&path, source))?;
            }
        }
        Ok(())
    }

    /// Loads the saved version of one article. Fails when it is missing or unreadable.
    pub fn load(&self, id: &str, content_hash: &str) -> Result<Extraction, GrowError> {
        let path = self.path_of(id, content_hash);
        let bytes = fs::read(&path).map_err(|_| GrowError::Saved {
            path: path.display().to_string(),
            message: format!("the saved extraction of {id} is missing: rebuild the store"),
        })?;
        serde_json::from_slice(&bytes).map_err(|error| GrowError::Saved {
            path: path.display().to_string(),
            message: error.to_string(),
        })
    }

    /// Where the extraction of one version of an article (its identity and content hash) is saved.
    pub fn path_of(&self, id: &str, content_hash: &str) -> PathBuf {
        let mut hasher = Sha256::new();
        hasher.update(id.as_bytes());
        hasher.update([0]);
        hasher.update(content_hash.as_bytes());
        let name = crate::ingest::hex(&hasher.finalize()[..16]);
        self.folder.join(format!("{name}.json"))
    }
}

fn io_error(path: &Path, source: std::io::Error) -> GrowError {
    GrowError::Io {
        path: path.display().to_string(),
        source,
    }
}
