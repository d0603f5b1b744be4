//! Growing stores: articles added to, replaced in and removed from an on-disk store, one
//! transaction per article, and whole builds written aside and renamed into place.
//!
//! A [`GrowingStore`] holds the store's writer lock, the saved extraction of every article (see
//! [`saved`]) and the current resolution. Adding an article re-resolves the corpus in memory (so the
//! entities are exactly those a `build` of the same articles resolves), keeps every entity IRI the
//! store already uses for one of the entity's keys (see [`crate::rdf::entity_iris`]), and then
//! commits in one transaction: the article's named graph, the changes to the entities graph, the graphs
//! of other articles whose links moved (rare: a name that now joins another entity) and the article's
//! line in the provenance graph. A writer killed at any point leaves the store as it was before or
//! after the article it was adding. It never extracts, and it knows nothing of HTTP.

mod batch;
pub mod lock;
pub mod saved;

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{hash_map::DefaultHasher, BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::{StorageError, Store};
use rayon::prelude::*;

use crate::curation::Curation;
use crate::extract::Extraction;
use crate::pipeline::{build_time, Input, PipelineError, Problem, Summary};
use crate::rdf::vocab::{dcterms, dg, prov};
use crate::rdf::{
    document_graph_quads, entity_iris, entity_quads, post_quads, provenance_graph_quads, BuildInfo,
    Minter, Posts,
};
use crate::resolve::{resolve_documents, DocumentEntities, Resolution, ResolvedEntity, Resolver};
use crate::store::StoreError;

pub use batch::{add_all, Additions};
pub use lock::{LockMode, StoreLock};
pub use saved::SavedExtractions;

/// Why a store could not be grown.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GrowError {
    /// Another process holds the store.
    #[error("store {} in use by {holders} (stop that process, or wait for it to finish)", directory.display())]
    InUse {
        /// The store directory.
        directory: PathBuf,
        /// Who holds it: "PID 12", "PIDs 12, 34", or a process whose PID is not written yet.
        holders: String,
    },
    /// A file of the store could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A saved extraction is missing or unreadable.
    #[error("{path}: {message}")]
    Saved {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The store failed.
    #[error("store {location}: {source}")]
    Storage {
        /// What was being done.
        location: String,
        /// oxigraph's error.
        source: StorageError,
    },
    /// One article of a stream could not be added (the ones before it were).
    #[error("{article}: cannot add: {error}")]
    Article {
        /// The article's source (path or URL).
        article: String,
        /// Why.
        error: Box<GrowError>,
    },
    /// A store directory to add to does not exist.
    #[error("store {} does not exist (create it with `dealgraph build --store DIR` or `add`)", .0.display())]
    Missing(PathBuf),
    /// The store holds no article named so.
    #[error("store holds no article {0:?} (give its path, URL, document id or IRI)")]
    NoSuchArticle(String),
    /// A build into the store failed.
    #[error(transparent)]
    Build(#[from] PipelineError),
    /// The store already holds a graph and no replacement was asked for, or could not be closed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What adding one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// A new article.
    New,
    /// An article whose content changed: its graph was replaced.
    Replaced,
    /// The same content was already in the store: nothing changed.
    Unchanged,
}

/// A store that articles are added to and removed from.
pub struct GrowingStore {
    store: Store,
    _lock: StoreLock,
    directory: PathBuf,
    saved: SavedExtractions,
    minter: Minter,
    curation: Curation,
    /// What resolution needs of every article (its extraction waits in `saved`), sorted by
    /// document id.
    documents: Vec<DocumentEntities>,
    /// Entity IRIs the store uses, by resolution key.
    registered: HashMap<String, NamedNode>,
    /// The entities graph as stored.
    entities_graph: EntitiesGraph,
    /// For each article (by id), a digest of where its local entities link to.
    link_digests: HashMap<String, u64>,
    activity: Activity,
}

impl GrowingStore {
    /// Opens (or creates) the store in `directory` for writing: takes its lock and loads the saved
    /// extractions of the articles it holds.
    pub fn open(directory: &Path, minter: Minter, curation: Curation) -> Result<Self, GrowError> {
        std::fs::create_dir_all(directory).map_err(|source| GrowError::Io {
            path: directory.display().to_string(),
            source,
        })?;
        let lock = StoreLock::acquire(directory, LockMode::Write)?;
        let store = Store::open(directory).map_err(storage("open"))?;
        let saved = SavedExtractions::of_store(directory)?;
        let committed = committed_articles(&store)?;
        saved.sweep(&committed)?;
        let mut documents = committed
            .par_iter()
            .map(|(id, hash)| Ok(DocumentEntities::of(&saved.load(id, hash)?)))
            .collect::<Result<Vec<_>, GrowError>>()?;
        documents.sort_by(|a, b| a.id.cmp(&b.id));
        let stored: HashSet<Quad> = store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(minter.entities_graph().as_ref().into()),
            )
            .collect::<Result<_, _>>()
            .map_err(storage("read the entities graph"))?;
        let mut grown = Self {
            store,
            _lock: lock,
            directory: directory.to_path_buf(),
            saved,
            activity: Activity::new(&minter),
            minter,
            curation,
            documents,
            registered: registry(&stored),
            entities_graph: EntitiesGraph::Stored(stored),
            link_digests: HashMap::new(),
        };
        let (resolution, iris) = grown.resolve();
        grown.link_digests = link_digests(&grown.documents, &resolution, &iris);
        Ok(grown)
    }

    /// The number of articles in the store.
    pub fn articles(&self) -> usize {
        self.documents.len()
    }

    /// The number of quads in the store.
    pub fn quads(&self) -> Result<usize, GrowError> {
        self.store.len().map_err(storage("count"))
    }

    /// Adds one article, or replaces it when its content changed, in one transaction.
    pub fn add(&mut self, extraction: Extraction) -> Result<Added, GrowError> {
        let document = DocumentEntities::of(&extraction);
        let position = self
            .documents
            .binary_search_by(|d| d.id.as_str().cmp(&document.id));
        let (index, replaced) = match position {
            Ok(index) if self.documents[index].content_hash == document.content_hash => {
                return Ok(Added::Unchanged)
            }
            Ok(index) => (
                index,
                Some(std::mem::replace(&mut self.documents[index], document)),
            ),
            Err(index) => {
                self.documents.insert(index, document);
                (index, None)
            }
        };
        self.saved.save(&extraction)?;
        let outcome = self.commit(Some(&extraction), None);
        if let Err(error) = outcome {
            // Put the article back as the store still has it.
            match replaced {
                Some(previous) => self.documents[index] = previous,
                None => {
                    self.documents.remove(index);
                }
            }
            return Err(error);
        }
        if let Some(previous) = replaced {
            self.saved.delete(&previous.id, &previous.content_hash)?;
            Ok(Added::Replaced)
        } else {
            Ok(Added::New)
        }
    }

    /// Removes an article, named by its path, URL, document id or IRI, with whatever only it
    /// supported, in one transaction. Returns its document id.
    pub fn remove(&mut self, name: &str) -> Result<String, GrowError> {
        let index = self
            .find(name)
            .ok_or_else(|| GrowError::NoSuchArticle(name.to_string()))?;
        let removed = self.documents.remove(index);
        let id = removed.id.clone();
        if let Err(error) = self.commit(None, Some(&id)) {
            self.documents.insert(index, removed);
            return Err(error);
        }
        self.link_digests.remove(&id);
        self.saved.delete(&id, &removed.content_hash)?;
        Ok(id)
    }

    /// Flushes the store to disk and closes it, its tables then holding everything written (see
    /// [`crate::store::settle`]), and releases the lock.
    pub fn close(self) -> Result<(), GrowError> {
        let Self {
            store,
            _lock: lock,
            directory,
            ..
        } = self;
        crate::store::settle(store, &directory)?;
        drop(lock);
        Ok(())
    }

    /// The index of the article a user names by path, URL, document id or IRI.
    fn find(&self, name: &str) -> Option<usize> {
        let as_path = crate::ingest::normalise_path(Path::new(name));
        self.documents.iter().position(|document| {
            document.id == name
                || document.id == as_path
                || document.source == name
                || document.url.as_deref() == Some(name)
                || self.minter.document(&document.id).as_str() == name
        })
    }

    /// Resolves the corpus and gives each entity its IRI.
    fn resolve(&self) -> (Resolution, Vec<NamedNode>) {
        let resolution = resolve_documents(&self.documents, &self.curation);
        let iris = entity_iris(&resolution.entities, &self.minter, &self.registered);
        (resolution, iris)
    }

    /// Writes the current corpus's changes to the store in one transaction: `added` is the article
    /// just added or replaced, `removed` the one just removed.
    fn commit(
        &mut self,
        added: Option<&Extraction>,
        removed: Option<&str>,
    ) -> Result<(), GrowError> {
        let (resolution, iris) = self.resolve();
        let posts: HashSet<Quad> = post_quads(&self.documents, &resolution, &iris, &self.minter)
            .into_iter()
            .collect();
        let digests = link_digests(&self.documents, &resolution, &iris);
        let provenance: GraphName = self.minter.provenance_graph().into();
        let added_id = added.map(|extraction| extraction.document.id.as_str());
        let mut transaction = self.store.start_transaction().map_err(storage("begin"))?;
        for (index, document) in self.documents.iter().enumerate() {
            let id = &document.id;
            let moved = self.link_digests.get(id) != digests.get(id);
            let extraction = match added {
                Some(extraction) if Some(id.as_str()) == added_id => Cow::Borrowed(extraction),
                _ if moved => Cow::Owned(self.saved.load(id, &document.content_hash)?),
                _ => continue,
            };
            let graph = self.minter.document(id);
            transaction
                .clear_graph(graph.as_ref())
                .map_err(storage("clear an article graph"))?;
            transaction.extend(&document_graph_quads(
                &extraction,
                &resolution.links[index],
                &iris,
                &self.minter,
            ));
        }
        if let Some(id) = added_id {
            let article = self.minter.document(id);
            transaction.extend(&self.activity.quads(&self.minter, &article));
        }
        if let Some(id) = removed {
            let article = self.minter.document(id);
            transaction
                .remove_named_graph(article.as_ref())
                .map_err(storage("remove an article graph"))?;
            let uses: Vec<Quad> = transaction
                .quads_for_pattern(
                    None,
                    Some(prov::USED),
                    Some(article.as_ref().into()),
                    Some(provenance.as_ref()),
                )
                .collect::<Result<_, _>>()
                .map_err(storage("read the provenance graph"))?;
            for quad in &uses {
                transaction.remove(quad);
            }
        }
        let entities: HashMap<String, (ResolvedEntity, NamedNode)> = resolution
            .entities
            .into_iter()
            .zip(iris)
            .map(|(entity, iri)| (entity.key.clone(), (entity, iri)))
            .collect();
        let (removed_quads, inserted_quads) =
            self.entities_graph.changes(&entities, &posts, &self.minter);
        for quad in &removed_quads {
            transaction.remove(quad);
        }
        for quad in &inserted_quads {
            transaction.insert(quad);
        }
        transaction.commit().map_err(storage("commit"))?;
        self.registered = entities
            .values()
            .flat_map(|(entity, iri)| {
                entity
                    .members
                    .iter()
                    .map(move |member| (member.clone(), iri.clone()))
            })
            .collect();
        self.entities_graph = EntitiesGraph::Written { entities, posts };
        self.link_digests = digests;
        Ok(())
    }
}

/// The entities graph as a store holds it.
enum EntitiesGraph {
    /// As read from the store when it was opened.
    Stored(HashSet<Quad>),
    /// As this process last wrote it: each resolved entity and its IRI by resolution key, and the
    /// quads of the posts.
    Written {
        entities: HashMap<String, (ResolvedEntity, NamedNode)>,
        posts: HashSet<Quad>,
    },
}

impl EntitiesGraph {
    /// The quads to remove and then insert so that the graph holds `entities` and `posts`. After a
    /// commit of this process, only the entities whose description or IRI changed are rewritten;
    /// the first commit compares the whole graph with the store's.
    fn changes(
        &self,
        entities: &HashMap<String, (ResolvedEntity, NamedNode)>,
        posts: &HashSet<Quad>,
        minter: &Minter,
    ) -> (Vec<Quad>, Vec<Quad>) {
        match self {
            EntitiesGraph::Stored(stored) => {
                let wanted: HashSet<Quad> = entities
                    .values()
                    .flat_map(|(entity, iri)| entity_quads(entity, iri, minter))
                    .chain(posts.iter().cloned())
                    .collect();
                (
                    stored.difference(&wanted).cloned().collect(),
                    wanted.difference(stored).cloned().collect(),
                )
            }
            EntitiesGraph::Written {
                entities: before,
                posts: posts_before,
            } => {
                let changed =
                    |from: &HashMap<String, (ResolvedEntity, NamedNode)>,
                     to: &HashMap<String, (ResolvedEntity, NamedNode)>| {
                        from.iter()
                            .filter(|(key, described)| to.get(*key) != Some(described))
                            .flat_map(|(_, (entity, iri))| entity_quads(entity, iri, minter))
                            .collect::<Vec<Quad>>()
                    };
                let mut removed = changed(before, entities);
                removed.extend(posts_before.difference(posts).cloned());
                let mut inserted = changed(entities, before);
                inserted.extend(posts.difference(posts_before).cloned());
                (removed, inserted)
            }
        }
    }
}

/// The provenance of one `add` run: an activity that used each article it added.
struct Activity {
    iri: NamedNode,
    started: String,
}

impl Activity {
    fn new(minter: &Minter) -> Self {
        let started = build_time();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut hasher = DefaultHasher::new();
        (&started, std::process::id(), now).hash(&mut hasher);
        Self {
            iri: minter.build(&format!("add-{:016x}", hasher.finish())),
            started,
        }
    }

    /// The activity's description and its use of `article`, in the provenance graph.
    fn quads(&self, minter: &Minter, article: &NamedNode) -> Vec<Quad> {
        let graph: GraphName = minter.provenance_graph().into();
        let version = env!("CARGO_PKG_VERSION");
        let agent = minter.agent(version);
        let quad = |predicate: oxigraph::model::NamedNodeRef<'_>, object: Term| {
            Quad::new(
                NamedOrBlankNode::NamedNode(self.iri.clone()),
                predicate.into_owned(),
                object,
                graph.clone(),
            )
        };
        vec![
            quad(rdf::TYPE, prov::ACTIVITY.into_owned().into()),
            quad(
                rdfs::LABEL,
                Literal::new_simple_literal(format!("dealgraph {version} add")).into(),
            ),
            quad(
                prov::STARTED_AT_TIME,
                Literal::new_typed_literal(&self.started, xsd::DATE_TIME).into(),
            ),
            quad(prov::WAS_ASSOCIATED_WITH, agent.into()),
            quad(prov::USED, article.clone().into()),
        ]
    }
}

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
/// a batch at a time, saves each extraction in `saved` and folds its entities into a [`Resolver`],
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
    let mut resolver = Resolver::new(curation);
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
    // Made once every article graph has been streamed, the posts being gathered by then.
    let shared_quads = std::iter::once(()).flat_map(|()| {
        let mut quads: Vec<Quad> = resolved
            .entities
            .iter()
            .zip(&iris)
            .flat_map(|(entity, iri)| entity_quads(entity, iri, minter))
            .collect();
        quads.extend(posts.take().quads(minter));
        quads.extend(provenance_graph_quads(
            articles
                .iter()
                .map(|(id, hash)| (id.as_str(), hash.as_str())),
            minter,
            &BuildInfo::now(),
        ));
        streamed.set(streamed.get() + quads.len());
        quads.into_iter().map(Ok)
    });
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

/// Identity → content hash of every article graph in the store.
fn committed_articles(store: &Store) -> Result<HashMap<String, String>, GrowError> {
    let mut by_graph: BTreeMap<NamedNode, (Option<String>, Option<String>)> = BTreeMap::new();
    for (predicate, slot) in [(dcterms::IDENTIFIER, 0), (dg::CONTENT_HASH, 1)] {
        for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
            let quad = quad.map_err(storage("read the article graphs"))?;
            let (GraphName::NamedNode(graph), NamedOrBlankNode::NamedNode(subject)) =
                (&quad.graph_name, &quad.subject)
            else {
                continue;
            };
            let Term::Literal(value) = &quad.object else {
                continue;
            };
            if graph != subject {
                continue;
            }
            let entry = by_graph.entry(graph.clone()).or_default();
            let value = Some(value.value().to_string());
            if slot == 0 {
                entry.0 = value;
            } else {
                entry.1 = value;
            }
        }
    }
    Ok(by_graph
        .into_values()
        .filter_map(|(id, hash)| Some((id?, hash?)))
        .collect())
}

/// Resolution key → entity IRI, from the quads of the entities graph.
fn registry(entity_quads: &HashSet<Quad>) -> HashMap<String, NamedNode> {
    entity_quads
        .iter()
        .filter(|quad| quad.predicate.as_ref() == dg::RESOLUTION_KEY)
        .filter_map(|quad| match (&quad.subject, &quad.object) {
            (NamedOrBlankNode::NamedNode(iri), Term::Literal(key)) => {
                Some((key.value().to_string(), iri.clone()))
            }
            _ => None,
        })
        .collect()
}

/// For each article, a digest of its local entity ids and the IRIs they link to.
fn link_digests(
    documents: &[DocumentEntities],
    resolution: &Resolution,
    iris: &[NamedNode],
) -> HashMap<String, u64> {
    documents
        .iter()
        .zip(&resolution.links)
        .map(|(document, links)| {
            let sorted: BTreeMap<&str, &str> = links
                .iter()
                .map(|(local, &index)| (local.as_str(), iris[index].as_str()))
                .collect();
            let mut hasher = DefaultHasher::new();
            sorted.hash(&mut hasher);
            (document.id.clone(), hasher.finish())
        })
        .collect()
}

/// Maps oxigraph's error, naming what was being done.
fn storage(location: &'static str) -> impl Fn(StorageError) -> GrowError {
    move |source| GrowError::Storage {
        location: location.to_string(),
        source,
    }
}
