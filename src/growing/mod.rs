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

pub mod lock;
pub mod saved;

use std::collections::{hash_map::DefaultHasher, BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::{StorageError, Store};

use crate::curation::Curation;
use crate::extract::Extraction;
use crate::pipeline::{build_into, build_time, PipelineError, Summary};
use crate::rdf::vocab::{dcterms, dg, prov};
use crate::rdf::{document_graph_quads, entities_graph_quads, entity_iris, Minter};
use crate::resolve::{resolve, Resolution};
use crate::store::StoreError;

pub use lock::{LockMode, StoreLock};
pub use saved::SavedExtractions;

/// Why a store could not be grown.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GrowError {
    /// Another process holds the store.
    #[error("store {} in use by PID {pid} (stop that process, or wait for it to finish)", directory.display())]
    InUse {
        /// The store directory.
        directory: PathBuf,
        /// The PID written in the lock file (empty if it could not be read).
        pid: String,
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
    /// A store directory to add to does not exist.
    #[error("store {} does not exist (create it with `dealgraph build --store DIR` or `add`)", .0.display())]
    Missing(PathBuf),
    /// The store holds no article named so.
    #[error("store holds no article {0:?} (give its path, URL, document id or IRI)")]
    NoSuchArticle(String),
    /// A build into the store failed.
    #[error(transparent)]
    Build(#[from] PipelineError),
    /// The store already holds a graph and no replacement was asked for.
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
    saved: SavedExtractions,
    minter: Minter,
    curation: Curation,
    /// Every article's extraction, sorted by document id.
    extractions: Vec<Extraction>,
    /// Entity IRIs the store uses, by resolution key.
    registered: HashMap<String, NamedNode>,
    /// The quads of the entities graph as stored.
    entity_quads: HashSet<Quad>,
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
        let mut extractions = saved.load(&committed)?;
        extractions.sort_by(|a, b| a.document.id.cmp(&b.document.id));
        let entity_quads: HashSet<Quad> = store
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
            saved,
            activity: Activity::new(&minter),
            minter,
            curation,
            extractions,
            registered: HashMap::new(),
            entity_quads,
            link_digests: HashMap::new(),
        };
        grown.registered = registry(&grown.entity_quads);
        let (resolution, iris) = grown.resolve();
        grown.link_digests = link_digests(&grown.extractions, &resolution, &iris);
        Ok(grown)
    }

    /// The number of articles in the store.
    pub fn articles(&self) -> usize {
        self.extractions.len()
    }

    /// The number of quads in the store.
    pub fn quads(&self) -> Result<usize, GrowError> {
        self.store.len().map_err(storage("count"))
    }

    /// Adds one article, or replaces it when its content changed, in one transaction.
    pub fn add(&mut self, extraction: Extraction) -> Result<Added, GrowError> {
        let id = extraction.document.id.clone();
        let hash = extraction.document.content_hash.clone();
        let position = self
            .extractions
            .binary_search_by(|e| e.document.id.as_str().cmp(&id));
        let replaced = match position {
            Ok(index) if self.extractions[index].document.content_hash == hash => {
                return Ok(Added::Unchanged)
            }
            Ok(index) => Some(std::mem::replace(&mut self.extractions[index], extraction)),
            Err(index) => {
                self.extractions.insert(index, extraction);
                None
            }
        };
        let index = self
            .extractions
            .binary_search_by(|e| e.document.id.as_str().cmp(&id))
            .unwrap_or_default();
        self.saved.save(&self.extractions[index])?;
        let outcome = self.commit(Some(&id), None);
        if let Err(error) = outcome {
            // Put the article back as the store still has it.
            match replaced {
                Some(previous) => self.extractions[index] = previous,
                None => {
                    self.extractions.remove(index);
                }
            }
            return Err(error);
        }
        if let Some(previous) = replaced {
            self.saved
                .delete(&previous.document.id, &previous.document.content_hash)?;
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
        let removed = self.extractions.remove(index);
        let id = removed.document.id.clone();
        if let Err(error) = self.commit(None, Some(&id)) {
            self.extractions.insert(index, removed);
            return Err(error);
        }
        self.link_digests.remove(&id);
        self.saved.delete(&id, &removed.document.content_hash)?;
        Ok(id)
    }

    /// Flushes the store to disk.
    pub fn flush(&self) -> Result<(), GrowError> {
        self.store.flush().map_err(storage("flush"))
    }

    /// The index of the article a user names by path, URL, document id or IRI.
    fn find(&self, name: &str) -> Option<usize> {
        let as_path = crate::ingest::normalise_path(Path::new(name));
        self.extractions.iter().position(|extraction| {
            let document = &extraction.document;
            document.id == name
                || document.id == as_path
                || document.source == name
                || document.url.as_deref() == Some(name)
                || self.minter.document(&document.id).as_str() == name
        })
    }

    /// Resolves the corpus and gives each entity its IRI.
    fn resolve(&self) -> (Resolution, Vec<NamedNode>) {
        let resolution = resolve(&self.extractions, &self.curation);
        let iris = entity_iris(&resolution, &self.minter, &self.registered);
        (resolution, iris)
    }

    /// Writes the current corpus's changes to the store in one transaction: `added` is the article
    /// just added or replaced, `removed` the one just removed.
    fn commit(&mut self, added: Option<&str>, removed: Option<&str>) -> Result<(), GrowError> {
        let (resolution, iris) = self.resolve();
        let entity_quads: HashSet<Quad> =
            entities_graph_quads(&self.extractions, &resolution, &iris, &self.minter)
                .into_iter()
                .collect();
        let digests = link_digests(&self.extractions, &resolution, &iris);
        let provenance: GraphName = self.minter.provenance_graph().into();
        let mut transaction = self.store.start_transaction().map_err(storage("begin"))?;
        for (index, extraction) in self.extractions.iter().enumerate() {
            let id = &extraction.document.id;
            let moved = self.link_digests.get(id) != digests.get(id);
            if Some(id.as_str()) != added && !moved {
                continue;
            }
            let graph = self.minter.document(id);
            transaction
                .clear_graph(graph.as_ref())
                .map_err(storage("clear an article graph"))?;
            transaction.extend(&document_graph_quads(
                extraction,
                &resolution.links[index],
                &iris,
                &self.minter,
            ));
        }
        if let Some(id) = added {
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
        for quad in self.entity_quads.difference(&entity_quads) {
            transaction.remove(quad);
        }
        for quad in entity_quads.difference(&self.entity_quads) {
            transaction.insert(quad);
        }
        transaction.commit().map_err(storage("commit"))?;
        self.registered = registry(&entity_quads);
        self.entity_quads = entity_quads;
        self.link_digests = digests;
        Ok(())
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

/// Builds the graph of `extractions` into a new store at `directory`: written in a folder beside it
/// and renamed into place on success, so a failed build leaves the old store (or nothing) behind. An
/// existing store is replaced only when `replace` is set, and never while another process holds it.
pub fn build_store(
    directory: &Path,
    replace: bool,
    extractions: &[Extraction],
    minter: &Minter,
    curation: &Curation,
    started: Instant,
) -> Result<Summary, GrowError> {
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
    let summary = {
        let store = Store::open(&building).map_err(storage("open"))?;
        let summary = build_into(&store, extractions, minter, curation, started)?;
        SavedExtractions::of_store(&building)?.save_all(extractions)?;
        store.flush().map_err(storage("flush"))?;
        summary
    };
    if exists {
        let old = aside("old");
        std::fs::rename(directory, &old).map_err(io(directory))?;
        std::fs::rename(&building, directory).map_err(io(&building))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&building, directory).map_err(io(&building))?;
    }
    Ok(summary)
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

/// Resolution key → entity IRI, from the entities graph.
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
    extractions: &[Extraction],
    resolution: &Resolution,
    iris: &[NamedNode],
) -> HashMap<String, u64> {
    extractions
        .iter()
        .zip(&resolution.links)
        .map(|(extraction, links)| {
            let sorted: BTreeMap<&str, &str> = links
                .iter()
                .map(|(local, &index)| (local.as_str(), iris[index].as_str()))
                .collect();
            let mut hasher = DefaultHasher::new();
            sorted.hash(&mut hasher);
            (extraction.document.id.clone(), hasher.finish())
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
