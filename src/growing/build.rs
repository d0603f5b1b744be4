//! Building a whole store at once: into a folder beside the store, renamed into place on success,
//! in two streaming passes (extract, save and resolve; then link and bulk-load), so a build holds
//! neither every extraction nor every quad nor a summary per article.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use oxigraph::model::{NamedNode, Quad};
use oxigraph::store::{StorageError, Store};
use rayon::prelude::*;

use super::{storage, GrowError, LockMode, SavedExtractions, StoreLock};
use crate::curation::Curation;
use crate::extract::Extraction;
use crate::pipeline::{Input, Problem, Summary};
use crate::rdf::{
    document_graph_quads, entity_iris, entity_quads, provenance_graph_quads, write_document_graph,
    BuildInfo, Minter, Posts,
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
    let mut notices = recover_from_killed_builds(directory)?;
    let exists = directory.exists();
    let holds_something = exists
        && std::fs::read_dir(directory)
            .map_err(io(directory))?
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
    let building = aside(directory, Aside::Building, std::process::id());
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(io(&building))?;
    }
    // Removed on every way out but success: a failed build leaves nothing behind.
    let mut unfinished = RemovedOnDrop(Some(building.clone()));
    let (summary, mut problems) = {
        let store = Store::open(&building).map_err(storage("open"))?;
        let saved = SavedExtractions::of_store(&building)?;
        let built = stream_into(&store, &saved, input, minter, curation, started)?;
        crate::store::settle(store, &building)?;
        built
    };
    let nothing_built = summary.documents == 0 && problems.iter().any(|p| !p.is_warning());
    if nothing_built {
        // Every input was rejected: the store (if any) stays as it was.
        problems.append(&mut notices);
        return Ok((summary, problems));
    }
    if exists {
        let old = aside(directory, Aside::Old, std::process::id());
        std::fs::rename(directory, &old).map_err(io(directory))?;
        std::fs::rename(&building, directory).map_err(io(&building))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&building, directory).map_err(io(&building))?;
    }
    unfinished.0 = None;
    notices.append(&mut problems);
    Ok((summary, notices))
}

/// The folders a build keeps beside the store it builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aside {
    /// The new store being written.
    Building,
    /// The old store, set aside while the new one is renamed into place.
    Old,
}

impl Aside {
    fn word(self) -> &'static str {
        match self {
            Aside::Building => "building",
            Aside::Old => "old",
        }
    }
}

/// `.NAME.building-PID` or `.NAME.old-PID` beside the store `directory`.
fn aside(directory: &Path, what: Aside, pid: u32) -> PathBuf {
    directory.with_file_name(format!(".{}.{}-{pid}", store_name(directory), what.word()))
}

fn store_name(directory: &Path) -> String {
    directory
        .file_name()
        .map_or_else(|| "store".into(), |n| n.to_string_lossy().into_owned())
}

/// Cleans up after builds of this store that were killed (their PIDs no longer run): a folder
/// being built is removed, and a store set aside for replacement is put back when no store
/// took its place (removed when one did). Gives a warning for each.
fn recover_from_killed_builds(directory: &Path) -> Result<Vec<Problem>, GrowError> {
    let parent = match directory.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(Vec::new());
    };
    let prefix = format!(".{}.", store_name(directory));
    let mut found: Vec<(Aside, u32)> = entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let (what, pid) = name.strip_prefix(&prefix)?.split_once('-')?;
            let what = [Aside::Building, Aside::Old]
                .into_iter()
                .find(|aside| aside.word() == what)?;
            Some((what, pid.parse().ok()?))
        })
        .filter(|&(_, pid)| pid != std::process::id() && !super::lock::is_running(pid))
        .collect();
    found.sort_unstable_by_key(|&(what, pid)| (pid, what == Aside::Building));
    let mut notices = Vec::new();
    for (what, pid) in found {
        let path = aside(directory, what, pid);
        if what == Aside::Old && !directory.exists() {
            std::fs::rename(&path, directory).map_err(io(&path))?;
            notices.push(Problem::PutBack {
                path: directory.to_path_buf(),
                pid,
            });
        } else {
            std::fs::remove_dir_all(&path).map_err(io(&path))?;
            notices.push(Problem::LeftBehind { path, pid });
        }
    }
    Ok(notices)
}

/// A folder removed when this is dropped, unless taken out first.
struct RemovedOnDrop(Option<PathBuf>);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            // Nothing more can be done here; the next build sweeps what is left.
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// The error of an operating-system call on `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GrowError {
    let path = path.display().to_string();
    move |source| GrowError::Io { path, source }
}

/// Articles whose quads are made in parallel at a time while streaming into the bulk loader.
const CHUNK: usize = 64;

/// The memory the bulk loader is asked to keep to (its batches, not RocksDB's own): at 512 a 1 MB
/// document of a dense shape (a title before every name) peaked at twice what prose does, at 128
/// at 1.3 times, no slower on 5 MB of prose (BENCHMARKS.md, memory by input shape).
const LOADER_MEGABYTES: usize = 128;

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
    let iris = Arc::new(entity_iris(&resolved.entities, minter, &HashMap::new()));
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
                    let graph = if extraction.document.text.len() > LONG_ARTICLE_BYTES {
                        ArticleGraph::Long(Box::new(extraction), links.clone())
                    } else {
                        // Without repeats, so the quads streamed are the quads stored.
                        let mut quads = document_graph_quads(&extraction, &links, &iris, minter);
                        let mut seen = HashSet::with_capacity(quads.len());
                        quads.retain(|quad| seen.insert(super::digest(quad)));
                        ArticleGraph::Made(quads)
                    };
                    Ok((graph, document, links))
                })
                .collect::<Result<Vec<_>, GrowError>>();
            match made {
                Ok(made) => {
                    let mut posts = posts.borrow_mut();
                    let mut quads = Vec::new();
                    let mut long_articles = Vec::new();
                    for (graph, document, links) in made {
                        posts.add(&document, &links, &iris, minter);
                        match graph {
                            ArticleGraph::Made(made) => quads.extend(made),
                            ArticleGraph::Long(extraction, links) => {
                                long_articles.push((extraction, links));
                            }
                        }
                    }
                    let (iris, minter) = (Arc::clone(&iris), minter.clone());
                    let long_quads =
                        long_articles
                            .into_iter()
                            .flat_map(move |(extraction, links)| {
                                long_article_quads(
                                    *extraction,
                                    links,
                                    Arc::clone(&iris),
                                    minter.clone(),
                                )
                            });
                    Box::new(
                        quads
                            .into_iter()
                            .chain(long_quads)
                            .inspect(|_| streamed.set(streamed.get() + 1))
                            .map(Ok),
                    )
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
        .zip(iris.iter())
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

/// Articles longer than this (in bytes of text) have their graph made part by part as the bulk
/// load takes it, rather than whole: such a graph can run to millions of quads.
const LONG_ARTICLE_BYTES: usize = 256 * 1024;

/// The most quads of a long article made ahead of the bulk load.
const LONG_ARTICLE_PART: usize = 50_000;

/// An article's graph as pass two makes it.
enum ArticleGraph {
    /// Made whole, without repeats.
    Made(Vec<Quad>),
    /// A long article with its links, whose graph is made as it is loaded.
    Long(Box<Extraction>, HashMap<String, usize>),
}

/// The graph of a long article without repeats, made on a thread of its own a part at a time
/// while the caller takes the quads, so no more than two parts wait (the repeats are told apart
/// by 16-byte digests). Dropping the iterator stops the thread at its next part.
fn long_article_quads(
    extraction: Extraction,
    links: HashMap<String, usize>,
    iris: Arc<Vec<NamedNode>>,
    minter: Minter,
) -> impl Iterator<Item = Quad> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Quad>>(2);
    std::thread::spawn(move || {
        let mut part = Vec::with_capacity(LONG_ARTICLE_PART);
        let mut taken = true;
        write_document_graph(&extraction, &links, &iris, &minter, &mut |quad| {
            if taken {
                part.push(quad);
                if part.len() >= LONG_ARTICLE_PART {
                    taken = sender.send(std::mem::take(&mut part)).is_ok();
                }
            }
        });
        if taken {
            let _ = sender.send(part);
        }
    });
    let mut seen = HashSet::new();
    receiver
        .into_iter()
        .flatten()
        .filter(move |quad| seen.insert(super::digest(quad)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Limits;
    use crate::rdf::DEFAULT_BASE;

    /// A PID above Linux's `pid_max`: never running.
    const GONE: u32 = 4_194_305;

    fn build(directory: &Path, input: Input<'_>) -> Result<(Summary, Vec<Problem>), GrowError> {
        let minter = Minter::new(DEFAULT_BASE).expect("base");
        build_store(
            directory,
            true,
            input,
            &minter,
            &Curation::default(),
            Instant::now(),
        )
    }

    fn seeds() -> Input<'static> {
        Input::Articles(&[], Limits::default())
    }

    /// The names in `folder` that start with a dot.
    fn hidden(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .expect("folder")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_killed_builds_folder_is_removed_and_reported() {
        if !Path::new("/proc").is_dir() {
            return;
        }
        let folder = tempfile::tempdir().expect("temp dir");
        let store = folder.path().join("db");
        let left = aside(&store, Aside::Building, GONE);
        std::fs::create_dir_all(left.join("dealgraph")).expect("left folder");
        let (summary, problems) = build(&store, seeds()).expect("build");
        assert_eq!(summary.documents, 5);
        assert!(
            hidden(folder.path()).is_empty(),
            "{:?}",
            hidden(folder.path())
        );
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains(".db.building-4194305"), "{messages:?}");
        assert!(
            messages[0].contains("PID 4194305 no longer runs"),
            "{messages:?}"
        );
        assert!(problems[0].is_warning());
    }

    #[test]
    fn a_store_set_aside_by_a_killed_build_is_put_back() {
        if !Path::new("/proc").is_dir() {
            return;
        }
        let folder = tempfile::tempdir().expect("temp dir");
        let store = folder.path().join("db");
        let old = aside(&store, Aside::Old, GONE);
        std::fs::create_dir_all(&old).expect("old store");
        std::fs::write(old.join("marker"), "the user's store").expect("marker");
        std::fs::create_dir_all(aside(&store, Aside::Building, GONE)).expect("half-built");
        let notices = recover_from_killed_builds(&store).expect("recovered");
        assert_eq!(
            std::fs::read_to_string(store.join("marker")).expect("put back"),
            "the user's store"
        );
        assert!(hidden(folder.path()).is_empty());
        assert!(matches!(
            notices[..],
            [
                Problem::PutBack { pid: GONE, .. },
                Problem::LeftBehind { pid: GONE, .. }
            ]
        ));
    }

    #[test]
    fn a_running_builds_folder_is_left_alone() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = folder.path().join("db");
        // PID 1 always runs, so its folder belongs to a build still going.
        let live = aside(&store, Aside::Building, 1);
        std::fs::create_dir_all(&live).expect("live folder");
        let notices = recover_from_killed_builds(&store).expect("nothing to do");
        assert!(notices.is_empty());
        assert!(live.is_dir());
    }

    #[test]
    fn a_failed_build_leaves_nothing_behind() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = folder.path().join("db");
        let missing = folder.path().join("missing.jsonl");
        let failed = build(&store, Input::ExtractionsFile(&missing));
        assert!(failed.is_err());
        assert!(
            hidden(folder.path()).is_empty(),
            "{:?}",
            hidden(folder.path())
        );
        assert!(!store.exists());
    }

    #[test]
    fn a_build_that_rejects_every_input_keeps_the_store() {
        let folder = tempfile::tempdir().expect("temp dir");
        let store = folder.path().join("db");
        build(&store, seeds()).expect("first build");
        let before = Store::open(&store).expect("open").len().expect("count");
        let missing = [folder.path().join("missing.txt")];
        let (summary, problems) =
            build(&store, Input::Articles(&missing, Limits::default())).expect("ran");
        assert_eq!(summary.documents, 0);
        assert_eq!(problems.len(), 1);
        assert!(hidden(folder.path()).is_empty());
        let after = Store::open(&store).expect("open").len().expect("count");
        assert_eq!(before, after);
    }
}
