//! Growing stores: articles added to, replaced in and removed from an on-disk store, one
//! transaction per article, and whole builds written aside and renamed into place.
//!
//! A [`GrowingStore`] holds the store's writer lock, the saved extraction of every article (see
//! [`saved`]) and the resolution of the corpus as counts a [`Resolver`] can take back. Adding,
//! replacing or removing an article updates those counts and recomputes only the entities the
//! article's keys touch (so the entities are exactly those a `build` of the same articles resolves,
//! and the cost does not grow with the corpus), keeps every entity IRI the store already uses for
//! one of the entity's keys (see [`crate::rdf::entity_iris`]), and then commits in one transaction:
//! the article's named graph, the entities and posts whose description or IRI changed, the graphs of
//! other articles whose links moved (rare: a name that now joins another entity, found through the
//! articles counted under each key) and the article's line in the provenance graph. When curation
//! rules match entities by name (merge, alias, reject), any entity can depend on any other and every
//! commit resolves all entities from the counts instead. A writer killed at any point leaves the
//! store as it was before or after the article it was adding. It never extracts, and it knows
//! nothing of HTTP.

mod batch;
mod build;
pub mod lock;
pub mod saved;

use std::collections::{hash_map::DefaultHasher, BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::{StorageError, Store};
use rayon::prelude::*;

use crate::curation::Curation;
use crate::extract::Extraction;
use crate::pipeline::{build_time, PipelineError};
use crate::rdf::vocab::{dcterms, dg, prov};
use crate::rdf::{
    document_graph_quads, entity_iris, entity_iris_beside, entity_quads, post_description_quads,
    post_iri, Minter,
};
use crate::resolve::{DocumentEntities, HeldPost, ResolvedEntity, Resolver};
use crate::store::StoreError;

pub use batch::{add_all, Additions};
pub use build::build_store;
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
    /// The store's entities were resolved under other curation rules (or by another version of
    /// dealgraph) than the ones given: adding to it would leave its article graphs linked by the
    /// old rules.
    #[error("store {} was resolved under other curation rules or by another version of dealgraph ({differing} entity descriptions differ): give the curation file it was built with, or rebuild it with `dealgraph build --replace --store DIR`", directory.display())]
    ResolvedOtherwise {
        /// The store directory.
        directory: PathBuf,
        /// How many quads of the entities graph differ from what these rules resolve.
        differing: usize,
    },
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
    /// The resolution of the articles the store holds, counted so that one article can be taken
    /// back out (their extractions wait in `saved`).
    resolver: Resolver,
    /// Every article the store holds, by document id.
    articles: BTreeMap<String, Article>,
    /// Entity IRI by resolution key, for every key of every entity: the IRIs the store uses, and
    /// where a local entity with that first key links.
    registered: HashMap<String, NamedNode>,
    /// Each entity and its IRI, by key, as the entities graph describes them.
    entities: HashMap<String, (ResolvedEntity, NamedNode)>,
    /// The IRIs of `entities` (those `registered` holds).
    iris_in_use: HashSet<NamedNode>,
    /// The posts officials hold, by post IRI, with what the articles say of each.
    posts: HashMap<NamedNode, PostTally>,
    activity: Activity,
    /// Quads written (inserted or removed) since the store's write buffers were last flushed.
    unflushed: usize,
}

/// Quads written after which the store's write buffers are flushed to its tables before the next
/// article. RocksDB, as oxigraph sets it up (a 512 MB memtable budget per index, eleven indexes),
/// keeps writes in memory in buffers of 128 MiB per index and flushes them two at a time; the
/// writes cost about 1 KB of memory per quad across the indexes, so 1,000 added articles held some
/// 0.8 GB. Flushing after this many quads keeps that near 25 MB (adding 500 articles to a store of
/// 10,000 took no longer for it).
const FLUSH_AFTER_QUADS: usize = 25_000;

/// What the store needs of an article without reading its extraction.
struct Article {
    content_hash: String,
    source: String,
    url: Option<String>,
    /// The posts its officials hold, as it names them.
    posts: Vec<PostMention>,
}

/// A post an article says one of its linked entities holds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PostMention {
    post: NamedNode,
    title: String,
    within: Option<NamedNode>,
    /// Its place among the article's posts.
    position: usize,
}

/// What the articles say of one post: how often each title names it, and what it is in by the
/// article and position that say so (the first one's is kept, as in a build).
#[derive(Debug, Default)]
struct PostTally {
    titles: BTreeMap<String, usize>,
    within: BTreeMap<(String, usize), Option<NamedNode>>,
}

impl PostTally {
    /// The post's description: its smallest title and what the first article says it is in.
    fn description(&self) -> Option<(String, Option<NamedNode>)> {
        let title = self.titles.keys().next()?;
        let within = self.within.values().next()?;
        Some((title.clone(), within.clone()))
    }
}

/// Counts the posts article `id` names into `posts`, or takes them back.
fn count_posts(
    posts: &mut HashMap<NamedNode, PostTally>,
    id: &str,
    named: &[PostMention],
    adding: bool,
) {
    for mention in named {
        let tally = posts.entry(mention.post.clone()).or_default();
        let place = (id.to_string(), mention.position);
        if adding {
            *tally.titles.entry(mention.title.clone()).or_default() += 1;
            tally.within.insert(place, mention.within.clone());
        } else {
            if let Some(count) = tally.titles.get_mut(&mention.title) {
                *count -= 1;
                if *count == 0 {
                    tally.titles.remove(&mention.title);
                }
            }
            tally.within.remove(&place);
            if tally.titles.is_empty() {
                posts.remove(&mention.post);
            }
        }
    }
}

/// The posts `held` in a document names for the entities its local entities link to (`links`: local id →
/// entity IRI), as [`crate::rdf::Posts`] takes them in.
fn posts_named(
    held: &[HeldPost],
    links: &HashMap<String, NamedNode>,
    minter: &Minter,
) -> Vec<PostMention> {
    held.iter()
        .enumerate()
        .filter(|(_, held)| links.contains_key(&held.holder))
        .map(|(position, held)| {
            let within = held.within.as_deref().and_then(|id| links.get(id)).cloned();
            PostMention {
                post: post_iri(minter, &held.title, within.as_ref()),
                title: held.title.clone(),
                within,
                position,
            }
        })
        .collect()
}

/// Articles read at a time while a store is opened.
const OPEN_CHUNK: usize = 256;

/// What opening a store keeps of an article until the corpus is resolved: its identity, the posts
/// it names and the first keys of the local entities those posts name.
struct OpenedArticle {
    id: String,
    content_hash: String,
    source: String,
    url: Option<String>,
    posts: Vec<HeldPost>,
    /// Local id → first key, for the holders of posts and what the posts are in.
    first_keys: HashMap<String, String>,
}

impl OpenedArticle {
    fn of(resolver: &Resolver, document: DocumentEntities) -> Self {
        let named: HashSet<&str> = document
            .posts
            .iter()
            .flat_map(|held| std::iter::once(&held.holder).chain(&held.within))
            .map(String::as_str)
            .collect();
        let first_keys = resolver
            .first_keys(&document)
            .into_iter()
            .filter(|(local, _)| named.contains(local.record.id.as_str()))
            .map(|(local, key)| (local.record.id.clone(), key))
            .collect();
        Self {
            first_keys,
            id: document.id,
            content_hash: document.content_hash,
            source: document.source,
            url: document.url,
            posts: document.posts,
        }
    }
}

/// Where `document`'s local entities link: local id → the IRI of the entity its first key is a
/// member of (`iri_of`).
fn links_of(
    resolver: &Resolver,
    document: &DocumentEntities,
    iri_of: impl Fn(&str) -> Option<NamedNode>,
) -> HashMap<String, NamedNode> {
    resolver
        .first_keys(document)
        .into_iter()
        .filter_map(|(local, key)| Some((local.record.id.clone(), iri_of(&key)?)))
        .collect()
}

/// An article's graph, its local entities linking to `links`.
fn article_graph(
    extraction: &Extraction,
    links: &HashMap<String, NamedNode>,
    minter: &Minter,
) -> Vec<Quad> {
    let (indexes, iris): (HashMap<String, usize>, Vec<NamedNode>) = links
        .iter()
        .enumerate()
        .map(|(index, (local, iri))| ((local.clone(), index), iri.clone()))
        .unzip();
    document_graph_quads(extraction, &indexes, &iris, minter)
}

impl GrowingStore {
    /// Opens (or creates) the store in `directory` for writing: takes its lock and resolves the
    /// saved extractions of the articles it holds.
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
        // Read a chunk at a time, keeping of each article only its identity and posts until the
        // corpus is resolved; in id order, so that each tally's documents (a sorted vector) are
        // appended to, not inserted into.
        let mut committed: Vec<(&String, &String)> = committed.iter().collect();
        committed.sort_unstable();
        let mut resolver = Resolver::new(&curation);
        let mut opened: Vec<OpenedArticle> = Vec::with_capacity(committed.len());
        for chunk in committed.chunks(OPEN_CHUNK) {
            let documents = chunk
                .par_iter()
                .map(|(id, hash)| Ok(DocumentEntities::of(&saved.load(id, hash)?)))
                .collect::<Result<Vec<_>, GrowError>>()?;
            for document in documents {
                resolver.add(&document);
                opened.push(OpenedArticle::of(&resolver, document));
            }
        }
        let entities_graph = GraphName::from(minter.entities_graph());
        let resolved = resolver.finish();
        let iris = entity_iris(
            &resolved.entities,
            &minter,
            &registry(&store, &entities_graph)?,
        );
        let entities: HashMap<String, (ResolvedEntity, NamedNode)> = resolved
            .entities
            .into_iter()
            .zip(iris)
            .map(|(entity, iri)| (entity.key.clone(), (entity, iri)))
            .collect();
        let registered: HashMap<String, NamedNode> = entities
            .values()
            .flat_map(|(entity, iri)| {
                entity
                    .members
                    .iter()
                    .map(move |member| (member.clone(), iri.clone()))
            })
            .collect();
        let iris_in_use = entities.values().map(|(_, iri)| iri.clone()).collect();
        let mut posts = HashMap::new();
        let mut articles = BTreeMap::new();
        for article in opened {
            let links: HashMap<String, NamedNode> = article
                .first_keys
                .into_iter()
                .filter_map(|(local, key)| Some((local, registered.get(&key)?.clone())))
                .collect();
            let named = posts_named(&article.posts, &links, &minter);
            count_posts(&mut posts, &article.id, &named, true);
            articles.insert(
                article.id,
                Article {
                    content_hash: article.content_hash,
                    source: article.source,
                    url: article.url,
                    posts: named,
                },
            );
        }
        // The stored entities graph must be what these rules resolve: compared by digest, so that
        // neither graph is held whole.
        let mut unwanted = entities_graph_digests(&store, &entities_graph)?;
        let mut missing = 0;
        let wanted = entities
            .values()
            .flat_map(|(entity, iri)| entity_quads(entity, iri, &minter))
            .chain(posts.iter().flat_map(|(post, tally)| {
                tally
                    .description()
                    .map_or_else(Vec::new, |(title, within)| {
                        post_description_quads(post, &title, within.as_ref(), &minter)
                    })
            }));
        for quad in wanted {
            if !unwanted.remove(&digest(&quad)) {
                missing += 1;
            }
        }
        if missing + unwanted.len() > 0 {
            return Err(GrowError::ResolvedOtherwise {
                directory: directory.to_path_buf(),
                differing: missing + unwanted.len(),
            });
        }
        Ok(Self {
            store,
            _lock: lock,
            directory: directory.to_path_buf(),
            saved,
            activity: Activity::new(&minter),
            unflushed: 0,
            minter,
            resolver,
            articles,
            registered,
            entities,
            iris_in_use,
            posts,
        })
    }

    /// The number of articles in the store.
    pub fn articles(&self) -> usize {
        self.articles.len()
    }

    /// Adds one article, or replaces it when its content changed, in one transaction.
    pub fn add(&mut self, extraction: Extraction) -> Result<Added, GrowError> {
        let document = DocumentEntities::of(&extraction);
        let previous = match self.articles.get(&document.id) {
            Some(article) if article.content_hash == document.content_hash => {
                return Ok(Added::Unchanged)
            }
            Some(article) => {
                let hash = article.content_hash.clone();
                let entities = DocumentEntities::of(&self.saved.load(&document.id, &hash)?);
                Some((hash, entities))
            }
            None => None,
        };
        self.saved.save(&extraction)?;
        self.commit(
            previous.as_ref().map(|(_, entities)| entities),
            Some((&document, &extraction)),
        )?;
        match previous {
            Some((hash, _)) => {
                self.saved.delete(&document.id, &hash)?;
                Ok(Added::Replaced)
            }
            None => Ok(Added::New),
        }
    }

    /// Removes an article, named by its path, URL, document id or IRI, with whatever only it
    /// supported, in one transaction. Returns its document id.
    pub fn remove(&mut self, name: &str) -> Result<String, GrowError> {
        let id = self
            .find(name)
            .ok_or_else(|| GrowError::NoSuchArticle(name.to_string()))?
            .to_string();
        let hash = self.articles[&id].content_hash.clone();
        let document = DocumentEntities::of(&self.saved.load(&id, &hash)?);
        self.commit(Some(&document), None)?;
        self.saved.delete(&id, &hash)?;
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

    /// The id of the article a user names by path, URL, document id or IRI.
    fn find(&self, name: &str) -> Option<&str> {
        let as_path = crate::ingest::normalise_path(Path::new(name));
        self.articles
            .iter()
            .find(|(id, article)| {
                *id == name
                    || **id == as_path
                    || article.source == name
                    || article.url.as_deref() == Some(name)
                    || self.minter.document(id).as_str() == name
            })
            .map(|(id, _)| id.as_str())
    }

    /// Takes `removed` out of the resolution and puts `added` in (the same article when it is
    /// replaced), then writes what changed in one transaction; on failure the resolution is put
    /// back as the store still has it.
    fn commit(
        &mut self,
        removed: Option<&DocumentEntities>,
        added: Option<(&DocumentEntities, &Extraction)>,
    ) -> Result<(), GrowError> {
        if self.unflushed >= FLUSH_AFTER_QUADS {
            self.store.flush().map_err(storage("flush"))?;
            self.unflushed = 0;
        }
        let changed: Vec<&DocumentEntities> = removed
            .into_iter()
            .chain(added.map(|(document, _)| document))
            .collect();
        let mut touched: BTreeSet<String> = changed
            .iter()
            .flat_map(|document| self.resolver.keys_touched_by(document))
            .collect();
        if let Some(document) = removed {
            self.resolver.remove(document);
        }
        if let Some((document, _)) = added {
            self.resolver.add(document);
        }
        touched.extend(
            changed
                .iter()
                .flat_map(|document| self.resolver.keys_touched_by(document)),
        );
        let outcome = self.write(removed, added, touched);
        if outcome.is_err() {
            if let Some((document, _)) = added {
                self.resolver.remove(document);
            }
            if let Some(document) = removed {
                self.resolver.add(document);
            }
        }
        outcome
    }

    /// Writes the change of one article in one transaction: its graph (or its removal), the
    /// entities among `touched` whose description or IRI changed (every entity when curation
    /// rules match entities by name), the graphs of the articles whose links moved, the posts
    /// these articles name, and the article's line in the provenance graph.
    fn write(
        &mut self,
        removed: Option<&DocumentEntities>,
        added: Option<(&DocumentEntities, &Extraction)>,
        touched: BTreeSet<String>,
    ) -> Result<(), GrowError> {
        let (keys, now): (BTreeSet<String>, Vec<ResolvedEntity>) =
            if self.resolver.matches_by_name() {
                let now = self.resolver.finish().entities;
                let keys = self
                    .entities
                    .keys()
                    .cloned()
                    .chain(now.iter().map(|entity| entity.key.clone()))
                    .collect();
                (keys, now)
            } else {
                let now = touched
                    .iter()
                    .filter_map(|key| self.resolver.entity(key))
                    .collect();
                (touched, now)
            };
        // Entities outside `now` keep their IRIs (each is registered for its own key, and no
        // entity of `now` has one of its members), so `now`'s IRIs are as in a whole resolution.
        let iris = entity_iris_beside(&now, &self.minter, &self.registered, |iri| {
            self.iris_in_use.contains(iri)
        });
        let now: HashMap<String, (ResolvedEntity, NamedNode)> = now
            .into_iter()
            .zip(iris)
            .map(|(entity, iri)| (entity.key.clone(), (entity, iri)))
            .collect();
        let mut removed_quads = Vec::new();
        let mut inserted_quads = Vec::new();
        // First key → the IRI it now links to, for the members of the entities that changed.
        let mut relinked: HashMap<String, Option<NamedNode>> = HashMap::new();
        for key in &keys {
            let (before, after) = (self.entities.get(key), now.get(key));
            if before == after {
                continue;
            }
            if let Some((entity, iri)) = before {
                removed_quads.extend(entity_quads(entity, iri, &self.minter));
                for member in &entity.members {
                    relinked.entry(member.clone()).or_insert(None);
                }
            }
            if let Some((entity, iri)) = after {
                inserted_quads.extend(entity_quads(entity, iri, &self.minter));
                for member in &entity.members {
                    relinked.insert(member.clone(), Some(iri.clone()));
                }
            }
        }
        relinked.retain(|member, iri| self.registered.get(member) != iri.as_ref());
        let iri_of = |key: &str| match relinked.get(key) {
            Some(iri) => iri.clone(),
            None => self.registered.get(key).cloned(),
        };
        let changed_id = added
            .map(|(document, _)| document.id.as_str())
            .or(removed.map(|document| document.id.as_str()));
        let mut moved: BTreeSet<&str> = relinked
            .keys()
            .flat_map(|member| self.resolver.documents_under(member))
            .collect();
        if let Some(id) = changed_id {
            moved.remove(id);
        }
        let moved: Vec<(&str, &str)> = moved
            .into_iter()
            .filter_map(|id| {
                let article = self.articles.get(id)?;
                Some((id, article.content_hash.as_str()))
            })
            .collect();
        let rewritten = moved
            .par_iter()
            .map(|&(id, hash)| {
                let extraction = self.saved.load(id, hash)?;
                let document = DocumentEntities::of(&extraction);
                let links = links_of(&self.resolver, &document, iri_of);
                let named = posts_named(&document.posts, &links, &self.minter);
                Ok((id, article_graph(&extraction, &links, &self.minter), named))
            })
            .collect::<Result<Vec<_>, GrowError>>()?;
        let added_graph = added.map(|(document, extraction)| {
            let links = links_of(&self.resolver, document, iri_of);
            let named = posts_named(&document.posts, &links, &self.minter);
            (article_graph(extraction, &links, &self.minter), named)
        });

        // The posts the changed and rewritten articles name, before and after.
        let empty = Vec::new();
        let mut post_changes: Vec<(&str, &[PostMention], &[PostMention])> = Vec::new();
        if let Some(id) = changed_id {
            let before = self
                .articles
                .get(id)
                .map_or(&empty, |article| &article.posts);
            let after = added_graph.as_ref().map_or(&empty, |(_, named)| named);
            post_changes.push((id, before, after));
        }
        for (id, _, named) in &rewritten {
            post_changes.push((id, &self.articles[*id].posts, named));
        }
        let touched_posts: BTreeSet<NamedNode> = post_changes
            .iter()
            .flat_map(|(_, before, after)| before.iter().chain(after.iter()))
            .map(|mention| mention.post.clone())
            .collect();
        let describe = |posts: &HashMap<NamedNode, PostTally>| -> Vec<_> {
            touched_posts
                .iter()
                .map(|post| posts.get(post).and_then(PostTally::description))
                .collect()
        };
        let described_before = describe(&self.posts);
        for (id, before, after) in &post_changes {
            count_posts(&mut self.posts, id, before, false);
            count_posts(&mut self.posts, id, after, true);
        }
        let described_after = describe(&self.posts);
        for ((post, before), after) in touched_posts
            .iter()
            .zip(&described_before)
            .zip(&described_after)
        {
            if before == after {
                continue;
            }
            if let Some((title, within)) = before {
                removed_quads.extend(post_description_quads(
                    post,
                    title,
                    within.as_ref(),
                    &self.minter,
                ));
            }
            if let Some((title, within)) = after {
                inserted_quads.extend(post_description_quads(
                    post,
                    title,
                    within.as_ref(),
                    &self.minter,
                ));
            }
        }

        match self.transact(
            changed_id,
            added_graph.as_ref().map(|(quads, _)| quads.as_slice()),
            &rewritten,
            &removed_quads,
            &inserted_quads,
        ) {
            Ok(written) => self.unflushed += written,
            Err(error) => {
                for (id, before, after) in &post_changes {
                    count_posts(&mut self.posts, id, after, false);
                    count_posts(&mut self.posts, id, before, true);
                }
                return Err(error);
            }
        }

        let rewritten: Vec<(String, Vec<PostMention>)> = rewritten
            .into_iter()
            .map(|(id, _, named)| (id.to_string(), named))
            .collect();
        let changed_id = changed_id.map(str::to_string);
        for (member, iri) in relinked {
            match iri {
                Some(iri) => self.registered.insert(member, iri),
                None => self.registered.remove(&member),
            };
        }
        for key in keys {
            let before = match now.get(&key) {
                Some(described) => self.entities.insert(key, described.clone()),
                None => self.entities.remove(&key),
            };
            if let Some((_, iri)) = before {
                self.iris_in_use.remove(&iri);
            }
        }
        self.iris_in_use
            .extend(now.into_values().map(|(_, iri)| iri));
        for (id, named) in rewritten {
            if let Some(article) = self.articles.get_mut(&id) {
                article.posts = named;
            }
        }
        if let Some(id) = changed_id {
            match added {
                Some((document, _)) => {
                    let named = added_graph.map(|(_, named)| named).unwrap_or_default();
                    self.articles.insert(
                        id,
                        Article {
                            content_hash: document.content_hash.clone(),
                            source: document.source.clone(),
                            url: document.url.clone(),
                            posts: named,
                        },
                    );
                }
                None => {
                    self.articles.remove(&id);
                }
            }
        }
        Ok(())
    }

    /// The transaction of one article: `changed` (its graph `graph`, or its removal when there is
    /// none), the `rewritten` graphs of other articles, and the entities graph's quads removed
    /// then inserted (after the reconciliation of the first commit). Gives the number of quads
    /// it wrote (a cleared graph's quads are not counted).
    fn transact(
        &self,
        changed: Option<&str>,
        graph: Option<&[Quad]>,
        rewritten: &[(&str, Vec<Quad>, Vec<PostMention>)],
        removed_quads: &[Quad],
        inserted_quads: &[Quad],
    ) -> Result<usize, GrowError> {
        let provenance: GraphName = self.minter.provenance_graph().into();
        let mut transaction = self.store.start_transaction().map_err(storage("begin"))?;
        let mut written = removed_quads.len() + inserted_quads.len();
        let graphs = changed.zip(graph).into_iter().chain(
            rewritten
                .iter()
                .map(|(id, quads, _)| (*id, quads.as_slice())),
        );
        for (id, quads) in graphs {
            let article = self.minter.document(id);
            transaction
                .clear_graph(article.as_ref())
                .map_err(storage("clear an article graph"))?;
            transaction.extend(quads);
            written += quads.len();
        }
        if let (Some(id), Some(_)) = (changed, graph) {
            let article = self.minter.document(id);
            let activity = self.activity.quads(&self.minter, &article);
            transaction.extend(&activity);
            written += activity.len();
        }
        if let (Some(id), None) = (changed, graph) {
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
            written += uses.len();
        }
        for quad in removed_quads {
            transaction.remove(quad);
        }
        for quad in inserted_quads {
            transaction.insert(quad);
        }
        transaction.commit().map_err(storage("commit"))?;
        Ok(written)
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

/// Resolution key → entity IRI, as the stored entities graph records them.
fn registry(
    store: &Store,
    entities_graph: &GraphName,
) -> Result<HashMap<String, NamedNode>, GrowError> {
    let mut registry = HashMap::new();
    for quad in store.quads_for_pattern(
        None,
        Some(dg::RESOLUTION_KEY),
        None,
        Some(entities_graph.as_ref()),
    ) {
        let quad = quad.map_err(storage("read the entities graph"))?;
        if let (NamedOrBlankNode::NamedNode(iri), Term::Literal(key)) = (quad.subject, quad.object)
        {
            registry.insert(key.value().to_string(), iri);
        }
    }
    Ok(registry)
}

/// The digests of the stored entities graph's quads.
fn entities_graph_digests(
    store: &Store,
    entities_graph: &GraphName,
) -> Result<HashSet<u128>, GrowError> {
    store
        .quads_for_pattern(None, None, None, Some(entities_graph.as_ref()))
        .map(|quad| quad.map(|quad| digest(&quad)))
        .collect::<Result<_, _>>()
        .map_err(storage("read the entities graph"))
}

/// A 128-bit digest of a quad (SipHash of the quad after two different leading bytes): what
/// opening compares the entities graph by, holding 16 bytes a quad, not the quad.
pub(crate) fn digest(quad: &Quad) -> u128 {
    let half = |salt: u8| {
        let mut hasher = DefaultHasher::new();
        salt.hash(&mut hasher);
        quad.hash(&mut hasher);
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Maps oxigraph's error, naming what was being done.
fn storage(location: &'static str) -> impl Fn(StorageError) -> GrowError {
    move |source| GrowError::Storage {
        location: location.to_string(),
        source,
    }
}
