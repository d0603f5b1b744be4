//! One writer per store: a lock file in the store directory holding the locking process's PID.
//!
//! Writers (`add`, `remove`, `build --replace`) take it exclusively; the server takes it shared, so
//! several servers may read one store but no writer can change it under them. A second writer gets
//! [`GrowError::InUse`] naming the PID that holds the store, instead of the undefined behaviour of two
//! processes opening one RocksDB directory. The operating system drops the lock when the process ends,
//! so a killed writer never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;

use super::GrowError;

/// The folder dealgraph keeps beside oxigraph's files inside a store directory.
pub(crate) const STATE_FOLDER: &str = "dealgraph";

/// How a process holds a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// Changes the store: nobody else may hold it.
    Write,
    /// Only reads it: other readers are welcome, writers are not.
    Read,
}

/// A held store lock, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    /// Takes the lock of the store in `directory` (creating the lock file), or says who holds it.
    pub fn acquire(directory: &Path, mode: LockMode) -> Result<Self, GrowError> {
        let path = lock_path(directory);
        let io = |source| GrowError::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let acquired = match mode {
            LockMode::Write => FileExt::try_lock_exclusive(&file),
            LockMode::Read => FileExt::try_lock_shared(&file),
        }
        .map_err(io)?;
        if !acquired {
            let mut holder = String::new();
            file.read_to_string(&mut holder).map_err(io)?;
            return Err(GrowError::InUse {
                directory: directory.to_path_buf(),
                pid: holder.trim().to_string(),
            });
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(Self { _file: file })
    }
}

/// Where the lock file of a store lives.
fn lock_path(directory: &Path) -> PathBuf {
    directory.join(STATE_FOLDER).join("writer.lock")
}
