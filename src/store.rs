//! Store: the oxigraph dataset that holds the graph, in memory or in a RocksDB directory.
//!
//! Takes quads from the graph builder and loads them with oxigraph's bulk loader; opens existing
//! stores for the output stages. It refuses to build into a store that already holds data unless the
//! caller asked to replace it, so no build silently mixes with an older one.

use std::path::{Path, PathBuf};

use oxigraph::model::Quad;
use oxigraph::store::{StorageError, Store};

/// Why the store could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage layer failed.
    #[error("store {location}: {source}")]
    Storage {
        /// The directory, or "memory".
        location: String,
        /// oxigraph's error.
        source: StorageError,
    },
    /// A build would write into a store that already holds a graph.
    #[error("store {0} already holds a graph: use `dealgraph add` to add articles to it, or `build --replace` to rebuild it")]
    NotEmpty(PathBuf),
    /// A store directory to read does not exist.
    #[error("store {0} does not exist (build it first with `dealgraph build --store DIR`)")]
    Missing(PathBuf),
}

/// Opens a store: in memory without a directory, on disk with one (created if missing).
pub fn open(directory: Option<&Path>) -> Result<Store, StoreError> {
    match directory {
        None => Store::new().map_err(|source| StoreError::Storage {
            location: "memory".into(),
            source,
        }),
        Some(path) => Store::open(path).map_err(|source| storage_error(path, source)),
    }
}

/// Opens an existing on-disk store read-only, for the server. One process writes a store at a
/// time: do not build into it while it is served.
pub fn open_read_only(directory: &Path) -> Result<Store, StoreError> {
    if !directory.is_dir() {
        return Err(StoreError::Missing(directory.to_path_buf()));
    }
    Store::open_read_only(directory).map_err(|source| storage_error(directory, source))
}

/// Opens a store to build into: refuses a non-empty one unless `replace`, which clears it.
pub fn open_for_build(directory: Option<&Path>, replace: bool) -> Result<Store, StoreError> {
    let store = open(directory)?;
    let location = directory.map_or_else(|| PathBuf::from("memory"), Path::to_path_buf);
    let empty = store
        .is_empty()
        .map_err(|source| storage_error(&location, source))?;
    if !empty {
        if !replace {
            return Err(StoreError::NotEmpty(location));
        }
        store
            .clear()
            .map_err(|source| storage_error(&location, source))?;
    }
    Ok(store)
}

/// Flushes a store that was written and closes it so that its tables hold everything: it is
/// reopened once, which moves what RocksDB's write-ahead log still holds (oxigraph's own records)
/// into a table, so readers that open it read-only find no log to replay and can trust a graph
/// snapshot (see `graph::snapshot`).
pub fn settle(store: Store, directory: &Path) -> Result<(), StoreError> {
    store
        .flush()
        .map_err(|source| storage_error(directory, source))?;
    drop(store);
    drop(Store::open(directory).map_err(|source| storage_error(directory, source))?);
    Ok(())
}

/// Loads quads with the bulk loader and commits them.
pub fn load(store: &Store, quads: Vec<Quad>) -> Result<(), StoreError> {
    let mut loader = store.bulk_loader();
    loader
        .load_quads(quads)
        .map_err(|source| StoreError::Storage {
            location: "bulk load".into(),
            source,
        })?;
    loader.commit().map_err(|source| StoreError::Storage {
        location: "bulk load".into(),
        source,
    })
}

fn storage_error(path: &Path, source: StorageError) -> StoreError {
    StoreError::Storage {
        location: path.display().to_string(),
        source,
    }
}
