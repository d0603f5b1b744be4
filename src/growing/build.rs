//! Building a whole store at once: into a folder beside the store, renamed into place on success,
//! in two streaming passes (extract, save and resolve; then link and bulk-load), so a build holds
//! neither every extraction nor every quad nor a summary per article.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use oxigraph::model::Quad;
use oxigraph::store::{StorageError, Store};
use rayon::prelude::*;

use super::{storage, GrowError, LockMode, SavedExtractions, StoreLock};
use crate::curation::Curation;
use crate::pipeline::{Input, Problem, Summary};
use crate::rdf::{
    document_graph_quads, entity_iris, entity_quads, provenance_graph_quads, BuildInfo, Minter,
    Posts,
};
use crate::resolve::{DocumentEntities, FoldingResolver};
use crate::store::StoreError;

/// Builds the graph of `input` into a new store at `directory`: written in a folder beside it and
/// renamed into place on success, so a failed build leaves the old store (or nothing) behind. An
/// existing store is replaced only when `replace` is set, and never while another process holds it.
/// The build streams (two passes, holding neither every extraction nor every quad); it gives the
/// documents that were rejected.
pub fn build_store(
    directory: &Path,
    replace: bool,
    input: Input<'_>,
    minter: &Minter,
    curation: &Curation,
    started: Instant,
) -> Result<(Summary, Vec<Problem>), GrowError> {
    let exists = directory.exists();
    let holds_something = exists
        && std::fs::read_dir(directory)
            .map_err(|source| GrowError::Io {
                path: directory.display().to_string(),
                source,
            })?
            .next()
            .is_some();
    if holds_something && !replace {
        return Err(StoreError::NotEmpty(directory.to_path_buf()).into());
    }
    let _old_lock = if exists {
        Some(StoreLock::acquire(directory, LockMode::Write)?)
    } else {
        None
    };
    let aside = |what: &str| {
        let name = directory
            .file_name()
            .map_or_else(|| "store".into(), |n| n.to_string_lossy().into_owned());
        directory.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
    };
    let building = aside("building");
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| GrowError::Io { path, source }
    };
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(io(&building))?;
    }
    let built = {
        let store = Store::open(&building).map_err(storage("open"))?;
        let saved = SavedExtractions::of_store(&building)?;
        let built = stream_into(&store, &saved, input, minter, curation, started)?;
        crate::store::settle(store, &building)?;
        built
    };
    if exists {
        let old = aside("old");
        std::fs::rename(directory, &old).map_err(io(directory))?;
        std::fs::rename(&building, directory).map_err(io(&building))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&building, directory).map_err(io(&building))?;
    }
    Ok(built)
}

/// Articles whose quads are made in parallel at a time while streaming into the bulk loader.
const CHUNK: usize = 64;

/// The memory the bulk loader is asked to keep to (its batches, not RocksDB's own).
const LOADER_MEGABYTES: usize = 512;

/// Builds the graph of `input` into the empty `store` in two passes, holding neither every
/// extraction nor every quad nor a summary per article. Pass one extracts (or reads) the articles
/// a batch at a time, saves each extraction in `saved` and folds its entities into a [`FoldingResolver`],
/// keeping of the article only its identity; pass two reads the extractions back a chunk at a
/// time, links their entities to the resolved IRIs and streams each article's graph into one bulk
/// load, the entities graph (with the posts gathered along the way) and provenance graph last. The
/// quads are those of [`crate::rdf::build_quads`] over the same extractions.
fn stream_into(
    store: &Store,
    saved: &SavedExtractions,
    input: Input<'_>,
    minter: &Minter,
    curation: &Curation,
    started: Instant,
) -> Result<(Summary, Vec<Problem>), GrowError> {
    let mut resolver = FoldingResolver::new(curation);
    // Identity and content hash of each article, in input order.
    let mut articles: Vec<(String, String)> = Vec::new();
    let problems = input.stream(|batch| {
        let kept = batch
            .par_iter()
            .map(|extraction| {
                saved.save(extraction)?;
                Ok(DocumentEntities::of(extraction))
            })
            .collect::<Result<Vec<_>, GrowError>>()?;
        for document in kept {
            resolver.add(&document);
            articles.push((document.id, document.content_hash));
        }
        Ok::<(), GrowError>(())
    })?;
    let resolved = resolver.finish();
    let iris = entity_iris(&resolved.entities, minter, &HashMap::new());
    let posts = RefCell::new(Posts::default());
    // Every quad streamed is distinct: an article's own are de-duplicated, and the entities, posts
    // and provenance graphs hold one description each.
    let streamed = Cell::new(0usize);
    let article_quads = articles.chunks(CHUNK).flat_map(
        |chunk| -> Box<dyn Iterator<Item = Result<Quad, GrowError>>> {
            let made = chunk
                .par_iter()
                .map(|(id, content_hash)| {
                    let extraction = saved.load(id, content_hash)?;
                    let document = DocumentEntities::of(&extraction);
                    let links = resolved.links(&document);
                    // Without repeats, so the quads streamed are the quads stored.
                    let quads: HashSet<Quad> =
                        document_graph_quads(&extraction, &links, &iris, minter)
                            .into_iter()
                            .collect();
                    Ok((quads, document, links))
                })
                .collect::<Result<Vec<_>, GrowError>>();
            match made {
                Ok(made) => {
                    let mut posts = posts.borrow_mut();
                    let mut quads = Vec::new();
                    for (article_quads, document, links) in made {
                        posts.add(&document, &links, &iris, minter);
                        quads.extend(article_quads);
                    }
                    streamed.set(streamed.get() + quads.len());
                    Box::new(quads.into_iter().map(Ok))
                }
                Err(error) => Box::new(std::iter::once(Err(error))),
            }
        },
    );
    // Made an entity or post at a time once every article graph has been streamed (the posts are
    // gathered by then), so the entities graph is never held whole.
    let shared_quads = resolved
        .entities
        .iter()
        .zip(&iris)
        .flat_map(|(entity, iri)| entity_quads(entity, iri, minter))
        .chain(std::iter::once(()).flat_map(|()| posts.take().into_quads(minter)))
        .chain(std::iter::once(()).flat_map(|()| {
            provenance_graph_quads(
                articles
                    .iter()
                    .map(|(id, hash)| (id.as_str(), hash.as_str())),
                minter,
                &BuildInfo::now(),
            )
        }))
        .inspect(|_| streamed.set(streamed.get() + 1))
        .map(Ok);
    let mut loader = store
        .bulk_loader()
        .with_max_memory_size_in_megabytes(LOADER_MEGABYTES);
    loader
        .load_ok_quads::<GrowError, LoadFailure>(article_quads.chain(shared_quads))
        .and_then(|()| loader.commit().map_err(LoadFailure::from))
        .map_err(|failure| match failure {
            LoadFailure::Storage(source) => GrowError::Storage {
                location: "bulk load".into(),
                source,
            },
            LoadFailure::Grow(error) => error,
        })?;
    let summary = Summary::of(
        streamed.get(),
        articles.len(),
        &resolved.entities,
        resolved.unmatched_rules,
        started,
    );
    Ok((summary, problems))
}

/// What stops a streamed bulk load: the store, or an extraction that could not be read back.
enum LoadFailure {
    Storage(StorageError),
    Grow(GrowError),
}

impl From<StorageError> for LoadFailure {
    fn from(error: StorageError) -> Self {
        Self::Storage(error)
    }
}

impl From<GrowError> for LoadFailure {
    fn from(error: GrowError) -> Self {
        Self::Grow(error)
    }
}
