//! One writer per store: a lock file in the store directory, and beside it one file per holding
//! process named by its PID.
//!
//! Writers (`add`, `remove`, `build --replace`) take the lock exclusively; readers (the server,
//! `query`, `export`...) take it shared, so several may read one store but no writer can change it
//! under them. A process that cannot have the lock gets [`GrowError::InUse`] naming the PIDs that
//! hold the store, instead of the undefined behaviour of two processes opening one RocksDB
//! directory. The operating system drops the lock when a process ends, so a killed writer never
//! leaves a stale lock; a killed process's PID file is skipped while its PID is not running (on
//! Linux) and cleared by the next writer.

use std::fs::{File, OpenOptions};
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
    /// This process's PID file, removed when the lock is dropped.
    holder: PathBuf,
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        // A file left behind (the removal failed) names a PID that is not running: skipped.
        let _ = std::fs::remove_file(&self.holder);
    }
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
        let file = OpenOptions::new()
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
        let holders = holders_path(directory);
        if !acquired {
            return Err(GrowError::InUse {
                directory: directory.to_path_buf(),
                holders: describe(&running_holders(&holders)),
            });
        }
        if mode == LockMode::Write {
            // Nobody else holds the store: any PID file left is a killed process's.
            let _ = std::fs::remove_dir_all(&holders);
        }
        std::fs::create_dir_all(&holders).map_err(|source| GrowError::Io {
            path: holders.display().to_string(),
            source,
        })?;
        let holder = holders.join(std::process::id().to_string());
        File::create(&holder).map_err(|source| GrowError::Io {
            path: holder.display().to_string(),
            source,
        })?;
        Ok(Self {
            _file: file,
            holder,
        })
    }
}

/// The PIDs of the processes that hold the store and still run, sorted.
fn running_holders(holders: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir(holders) else {
        return Vec::new();
    };
    let mut pids: Vec<u32> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&pid| is_running(pid))
        .collect();
    pids.sort_unstable();
    pids
}

/// Whether a process runs with `pid` (where that cannot be known, it is assumed to).
pub(super) fn is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// "PID 12", "PIDs 12, 34", or a holder whose PID is not written yet.
fn describe(pids: &[u32]) -> String {
    let listed: Vec<String> = pids.iter().map(u32::to_string).collect();
    match pids {
        [] => "another process (its PID not written yet)".to_string(),
        [_] => format!("PID {}", listed[0]),
        _ => format!("PIDs {}", listed.join(", ")),
    }
}

/// Where the lock file of a store lives.
fn lock_path(directory: &Path) -> PathBuf {
    directory.join(STATE_FOLDER).join("writer.lock")
}

/// The folder of the holders' PID files.
fn holders_path(directory: &Path) -> PathBuf {
    directory.join(STATE_FOLDER).join("holders")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_named_by_the_pids_that_still_run() {
        let directory = tempfile::tempdir().expect("temp dir");
        let store = directory.path();
        let reader = StoreLock::acquire(store, LockMode::Read).expect("a reader");
        // A killed reader's file: a PID above Linux's pid_max, so never running.
        std::fs::write(holders_path(store).join("4194305"), "").expect("stale file");
        let refused = StoreLock::acquire(store, LockMode::Write).expect_err("held");
        let own = std::process::id();
        let message = refused.to_string();
        if Path::new("/proc").is_dir() {
            assert!(
                message.contains(&format!("in use by PID {own} ")),
                "{message}"
            );
        } else {
            assert!(message.contains("in use by PIDs"), "{message}");
        }
        drop(reader);
        assert!(!holders_path(store).join(own.to_string()).exists());
        // The next writer clears what killed processes left.
        let writer = StoreLock::acquire(store, LockMode::Write).expect("the writer");
        let left: Vec<_> = std::fs::read_dir(holders_path(store))
            .expect("holders")
            .filter_map(Result::ok)
            .map(|entry| entry.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from(own.to_string())]);
        drop(writer);
    }

    #[test]
    fn describe_names_one_or_many_holders() {
        assert_eq!(describe(&[12]), "PID 12");
        assert_eq!(describe(&[12, 34]), "PIDs 12, 34");
        assert!(describe(&[]).starts_with("another process"));
    }
}
