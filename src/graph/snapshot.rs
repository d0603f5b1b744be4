//! Snapshot: the entity graph of an on-disk store kept in a file of the store's directory, because
//! reading it from RocksDB decodes every IRI and label through a lookup of its own (about 3 µs a
//! term: seconds for 100,000 entities, see README). The snapshot is only a cache of what
//! [`from_store`] reads: it records the store's tables (the names and sizes of
//! RocksDB's `.sst` files, which are never changed once written) and is used only while they are
//! the same and no write-ahead log (`.log`) holds data. Any write to the store -- a build, an `add`
//! or `remove`, by this program or another -- adds or replaces tables or fills a log, so the next
//! reader reads the store again and may keep a new snapshot. It holds the graph of entities,
//! agreements and posts, not quotations or articles. It never writes to the store itself.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use oxigraph::store::Store;
use serde::{Deserialize, Serialize};

use super::load::{from_store, Content};
use super::{Article, EntityGraph, GraphError, Node, Relation};

/// The snapshot's file, in the store's directory.
pub const FILE_NAME: &str = "dealgraph-graph.snapshot";

/// The layout of the file and of what the reader gives; change it whenever either changes, so that
/// older snapshots are ignored.
const FORMAT: u32 = 1;

/// What makes a snapshot current: who wrote it and the store's tables at the time.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    /// `(file name, length)` of each table, sorted.
    tables: Vec<(String, u64)>,
}

/// The graph as written: nodes in index order, relations as `(source, target, relation)` in index
/// order, articles.
#[derive(Serialize)]
struct BodyRef<'g> {
    nodes: Vec<&'g Node>,
    relations: Vec<(u32, u32, &'g Relation)>,
    articles: &'g [Article],
}

/// The graph as read back.
#[derive(Deserialize)]
struct Body {
    nodes: Vec<Node>,
    relations: Vec<(u32, u32, Relation)>,
    articles: Vec<Article>,
}

/// Where a graph came from.
#[derive(Debug)]
#[non_exhaustive]
pub enum Origin {
    /// A current snapshot.
    Snapshot,
    /// The store (in memory, or on disk without a current snapshot); a new snapshot was kept when
    /// asked for and possible.
    Store,
    /// The store; the new snapshot could not be written (the graph is complete all the same).
    Unkept(io::Error),
}

/// Whether a reader may write a snapshot into the store's directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Write one when the store was read (commands that open the store to write).
    Write,
    /// Only read one (a server holding the store read-only).
    ReadOnly,
}

/// The graph of `store` with `content`: from the snapshot in `directory` (the store's directory,
/// `None` for a store in memory) when it is current, else read from the store and, when `keep`
/// allows, kept as the new snapshot. Quotations and articles are always read from the store.
pub fn read(
    store: &Store,
    directory: Option<&Path>,
    content: Content,
    keep: Keep,
) -> Result<(EntityGraph, Origin), GraphError> {
    let Some(directory) = directory.filter(|_| content == Content::default()) else {
        return Ok((from_store(store, content)?, Origin::Store));
    };
    // Taken before reading: a write made while the store is read changes the tables, so the next
    // reader does not trust what this one keeps.
    let header = match tables(directory) {
        Ok(Some(tables)) => Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            tables,
        },
        // A log holds writes not yet in the tables (or the directory cannot be listed).
        Ok(None) | Err(_) => return Ok((from_store(store, content)?, Origin::Store)),
    };
    let path = directory.join(FILE_NAME);
    if let Some(graph) = read_current(&path, &header) {
        return Ok((graph, Origin::Snapshot));
    }
    let graph = from_store(store, content)?;
    let origin = match keep {
        Keep::ReadOnly => Origin::Store,
        Keep::Write => match write(&path, &header, &graph) {
            Ok(()) => Origin::Store,
            Err(error) => Origin::Unkept(error),
        },
    };
    Ok((graph, origin))
}

/// The store's tables, sorted; `None` when a write-ahead log holds data (writes that a read-only
/// reader sees but the tables do not show yet).
fn tables(directory: &Path) -> io::Result<Option<Vec<(String, u64)>>> {
    let mut tables = Vec::new();
    for entry in fs::read_dir(directory)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let length = entry.metadata()?.len();
        if name.ends_with(".log") && length > 0 {
            return Ok(None);
        }
        if name.ends_with(".sst") || name.ends_with(".blob") {
            tables.push((name, length));
        }
    }
    tables.sort();
    Ok(Some(tables))
}

/// The graph of the snapshot at `path` if it has `header`; `None` if there is none, or it is of
/// other tables or another format, or unreadable (it is then read again and rewritten).
fn read_current(path: &Path, header: &Header) -> Option<EntityGraph> {
    let bytes = fs::read(path).ok()?;
    let (written, rest) = postcard::take_from_bytes::<Header>(&bytes).ok()?;
    if written != *header {
        return None;
    }
    let body: Body = postcard::from_bytes(rest).ok()?;
    let count = body.nodes.len();
    let relations = body
        .relations
        .into_iter()
        .map(|(source, target, relation)| (source as usize, target as usize, relation))
        .collect::<Vec<_>>();
    if relations
        .iter()
        .any(|(source, target, _)| *source >= count || *target >= count)
    {
        return None;
    }
    Some(EntityGraph::new(body.nodes, relations, body.articles))
}

/// Writes the snapshot through a temporary file renamed into place, so a reader never sees half of
/// one.
fn write(path: &Path, header: &Header, graph: &EntityGraph) -> io::Result<()> {
    let index = |position: usize| {
        u32::try_from(position).map_err(|_| io::Error::other("too many nodes for a snapshot"))
    };
    let relations = graph
        .graph
        .raw_edges()
        .iter()
        .map(|edge| {
            Ok((
                index(edge.source().index())?,
                index(edge.target().index())?,
                &edge.weight,
            ))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let body = BodyRef {
        nodes: graph.graph.node_weights().collect(),
        relations,
        articles: &graph.articles,
    };
    let mut bytes = postcard::to_stdvec(header).map_err(io::Error::other)?;
    bytes.extend(postcard::to_stdvec(&body).map_err(io::Error::other)?);
    let temporary = temporary_path(path);
    let written = fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(&bytes)?;
        file.sync_all()
    });
    match written.and_then(|()| fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            // Nothing half-written is left behind; the error says why there is no snapshot.
            let _ = fs::remove_file(&temporary);
            Err(error)
        }
    }
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{}.tmp", std::process::id()));
    PathBuf::from(name)
}
