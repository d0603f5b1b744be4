//! Resolve: links the document-local entities of many extractions to one entity per real thing.
//!
//! Countries are one entity per ISO code; organisations one per normalised name; people one per
//! normalised full name, a one-word name joining the only full name in the corpus that ends with it;
//! agreements one per set of parties, except that an article's second deal between the same parties
//! stays apart (joining another article's only by the year both state). The canonical label is the
//! most used name (ties: the one with more accented letters, then the longest, then the first in
//! order), and every other surface form becomes an alias. The result depends only on the
//! extractions, so `build` from texts and `build --extractions` give the same entities.
//!
//! A [`Resolver`] takes the documents one at a time and counts each into one tally per key at once
//! (its memory grows with the entities and the documents each key is counted for, not with the
//! documents' text), can take a document back out exactly, and gives one key's entity alone;
//! [`Resolved`] then links any document's local entities to the entities.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use litemap::LiteMap;

mod curation;
mod document;
mod tally;

pub use document::{DocumentEntities, HeldPost, LocalEntity};

use crate::curation::Curation;
use crate::extract::{EntityClass, EntityRecord, Extraction, OrganisationKind};
use tally::{Counted, Direction, DocumentId, Folded, Group, Sources, Tally};

/// One real thing, across documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEntity {
    /// The resolved class (a person who holds a post anywhere is an official).
    pub class: EntityClass,
    /// The resolution key (`country:US`, `organisation:human rights watch`, ...).
    pub key: String,
    /// The canonical name.
    pub label: String,
    /// Every other surface form, sorted, each once.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 code (countries).
    pub code: Option<String>,
    /// ISO 3166-1 alpha-3 code (countries).
    pub alpha3: Option<String>,
    /// Finer organisation kinds, sorted, each once.
    pub kinds: Vec<OrganisationKind>,
    /// The keys of every local entity linked here before person names and curation merged them
    /// (`person:smith` joined to `person:john smith`): what keeps an entity's IRI stable when a later
    /// article gives a fuller name. Sorted, each once.
    pub members: Vec<String>,
}

/// All resolved entities and, for each extraction, where its local entities went.
#[derive(Debug, Default)]
pub struct Resolution {
    /// Entities sorted by class then key.
    pub entities: Vec<ResolvedEntity>,
    /// For each extraction (same order), local id → index into `entities`.
    pub links: Vec<HashMap<String, usize>>,
    /// Curation rules that matched no entity, described.
    pub unmatched_rules: Vec<String>,
}

/// Resolves the entities of `extractions`, then applies the curation rules.
pub fn resolve(extractions: &[Extraction], curation: &Curation) -> Resolution {
    let documents: Vec<DocumentEntities> = extractions.iter().map(DocumentEntities::of).collect();
    resolve_documents(&documents, curation)
}

/// Resolves the entities of documents kept as [`DocumentEntities`], then applies the curation
/// rules: the same resolution as [`resolve`] over their extractions.
pub fn resolve_documents(documents: &[DocumentEntities], curation: &Curation) -> Resolution {
    let mut resolver = FoldingResolver::new(curation);
    for document in documents {
        resolver.add(document);
    }
    let resolved = resolver.finish();
    let links = documents
        .iter()
        .map(|document| resolved.links(document))
        .collect();
    Resolution {
        entities: resolved.entities,
        links,
        unmatched_rules: resolved.unmatched_rules,
    }
}

/// The tallies of every first key, and the personal names seen: what both resolvers count.
struct Tallies<S> {
    curation: Curation,
    /// How many local entities each split rule chose a key for.
    split_used: Vec<usize>,
    tallies: BTreeMap<String, Tally<S>>,
    person_names: PersonNames,
}

impl<S: Sources> Tallies<S> {
    fn new(curation: &Curation) -> Self {
        Self {
            curation: curation.clone(),
            split_used: vec![0; curation.split.len()],
            tallies: BTreeMap::new(),
            person_names: PersonNames::default(),
        }
    }

    /// Counts (or takes back) one document's local entities, `sources` noting (or taking back)
    /// each local entity's document in its tally. Gives each local id's first key.
    fn count<'d>(
        &mut self,
        document: &'d DocumentEntities,
        direction: Direction,
        sources: impl Fn(&mut S, &DocumentId, EntityClass, &EntityRecord),
    ) -> HashMap<&'d str, String> {
        let id: DocumentId = Arc::from(document.id.as_str());
        let mut keys: HashMap<&str, String> = HashMap::with_capacity(document.entities.len());
        for local in &document.entities {
            self.person_names.count(local, direction);
            let first = first_key(document, local, &self.curation);
            if let Some(rule) = first.split_rule {
                direction.apply(&mut self.split_used[rule]);
            }
            let tally = self.tallies.entry(first.key.clone()).or_default();
            sources(&mut tally.sources, &id, first.class, &local.record);
            tally.count(first.class, &first.name, &local.record, direction);
            keys.insert(&local.record.id, first.key);
        }
        for local in &document.entities {
            if let Some(tally) = keys
                .get(local.record.id.as_str())
                .and_then(|key| self.tallies.get_mut(key))
            {
                for form in &local.surface {
                    direction.count(&mut tally.aliases, form);
                }
            }
        }
        keys
    }

    /// Counts one document's local entities in.
    fn add(&mut self, document: &DocumentEntities) {
        self.count(document, Direction::Add, |sources, id, class, record| {
            sources.add(id, class, record)
        });
    }

    /// Split rules that chose no key, described.
    fn unused_split_rules(&self) -> Vec<String> {
        self.curation
            .split
            .iter()
            .zip(&self.split_used)
            .filter(|(_, used)| **used == 0)
            .map(|(rule, _)| {
                format!(
                    "split {:?}: no such entity in the listed documents",
                    rule.name
                )
            })
            .collect()
    }
}

/// Joins one-word names to full names in `groups` (one per first key), applies the curation rules
/// and gives the entities, the rules that matched nothing added to `unmatched_rules`.
fn finish_groups<'c>(
    mut groups: BTreeMap<String, Group>,
    person_names: &PersonNames,
    curation: Cow<'c, Curation>,
    mut unmatched_rules: Vec<String>,
) -> Resolved<'c> {
    let mut moved_to = HashMap::new();
    for (single, full) in person_names.joined() {
        let (from, into) = (format!("person:{single}"), format!("person:{full}"));
        if let Some(group) = groups.remove(&from) {
            groups
                .entry(into.clone())
                .or_insert_with(|| Group::new(group.class))
                .absorb(group);
        }
        moved_to.insert(from, into);
    }
    let merged = curation::apply_curation(&curation, &mut groups, &mut unmatched_rules);
    moved_to.extend(merged.into);
    let mut entities = Vec::with_capacity(groups.len());
    let mut index_of_key = HashMap::with_capacity(groups.len());
    for (key, group) in groups {
        let label = merged.labels.get(&key).cloned();
        index_of_key.insert(key.clone(), entities.len());
        entities.push(group.into_entity(key, label));
    }
    Resolved {
        entities,
        unmatched_rules,
        curation,
        moved_to,
        index_of_key,
    }
}

/// Resolution a document at a time, for a corpus that only grows (`build`): each document's local
/// entities are counted into the tally of their first key (the person key before one-word names
/// join full names) as it comes, keeping of the documents only what the smallest id gave (a key's
/// code, alpha-3 code and class), so memory grows with the entities, not with the documents, and
/// the result does not depend on the order documents come in. It gives what a [`Resolver`] given
/// the same documents gives.
pub struct FoldingResolver {
    tallies: Tallies<Folded>,
}

impl FoldingResolver {
    /// A resolver with no documents yet, applying `curation`.
    pub fn new(curation: &Curation) -> Self {
        Self {
            tallies: Tallies::new(curation),
        }
    }

    /// Counts one document's local entities into the tallies.
    pub fn add(&mut self, document: &DocumentEntities) {
        self.tallies.add(document);
    }

    /// Joins one-word names to full names, applies the curation rules and gives the entities,
    /// each tally freed as its group is made.
    pub fn finish(self) -> Resolved<'static> {
        let unmatched_rules = self.tallies.unused_split_rules();
        let Tallies {
            curation,
            tallies,
            person_names,
            ..
        } = self.tallies;
        let groups = tallies
            .into_iter()
            .map(|(key, tally)| {
                let group = tally.into_group(&key);
                (key, group)
            })
            .collect();
        finish_groups(groups, &person_names, Cow::Owned(curation), unmatched_rules)
    }
}

/// Resolution a document at a time that can take documents back (`add`, `remove`): each
/// document's local entities are counted into the tally of their first key as it comes, with the
/// documents each key is counted for. Every count can be taken back ([`Resolver::remove`] is the
/// exact inverse of [`Resolver::add`]), one key's entity can be made alone, and what depends on
/// document order (a key's code, alpha-3 code and class) is the smallest document id's, so the
/// result does not depend on the order documents come in.
pub struct Resolver {
    tallies: Tallies<Counted>,
}

impl Resolver {
    /// A resolver with no documents yet, applying `curation`.
    pub fn new(curation: &Curation) -> Self {
        Self {
            tallies: Tallies::new(curation),
        }
    }

    /// Counts one document's local entities into the tallies.
    pub fn add(&mut self, document: &DocumentEntities) {
        self.tallies.add(document);
    }

    /// Takes back what [`Resolver::add`] counted for `document`.
    pub fn remove(&mut self, document: &DocumentEntities) {
        let keys = self
            .tallies
            .count(document, Direction::Remove, |sources, id, _, _| {
                sources.remove(id)
            });
        for key in keys.values() {
            if self
                .tallies
                .tallies
                .get(key)
                .is_some_and(|tally| tally.sources.is_empty())
            {
                self.tallies.tallies.remove(key);
            }
        }
    }

    /// Whether the curation has rules that match entities by name across the corpus (merge, alias,
    /// reject): then an entity can depend on any other, and only [`Resolver::finish`] gives them.
    pub fn matches_by_name(&self) -> bool {
        let curation = &self.tallies.curation;
        !(curation.merge.is_empty() && curation.alias.is_empty() && curation.reject.is_empty())
    }

    /// Each of `document`'s local entities with its first key (the key its mentions are counted
    /// under, before one-word names join full names and merge rules run).
    pub fn first_keys<'d>(&self, document: &'d DocumentEntities) -> Vec<(&'d LocalEntity, String)> {
        document
            .entities
            .iter()
            .map(|local| {
                (
                    local,
                    first_key(document, local, &self.tallies.curation).key,
                )
            })
            .collect()
    }

    /// The ids of the documents counted with a local entity under `first_key`, in id order.
    pub fn documents_under(&self, first_key: &str) -> impl Iterator<Item = &str> {
        self.tallies
            .tallies
            .get(first_key)
            .into_iter()
            .flat_map(|tally| tally.sources.documents().map(AsRef::as_ref))
    }

    /// The entity keys whose entity `document`'s local entities take part in as things stand: the
    /// key of each, where person keys lead once one-word names join full names, and for each
    /// personal name the one-word name it could join or be joined by and that name's full name.
    /// Called before and after a document is added or removed, the union holds every entity the
    /// change can alter (without merge, alias or reject rules).
    pub fn keys_touched_by(&self, document: &DocumentEntities) -> BTreeSet<String> {
        let mut touched = BTreeSet::new();
        for local in &document.entities {
            let key = first_key(document, local, &self.tallies.curation).key;
            if let Some(joined) = self.joined_key(&key) {
                touched.insert(joined);
            }
            touched.insert(key);
            if let Some(single) = PersonNames::single_of(local) {
                touched.insert(format!("person:{single}"));
                if let Some(full) = self.tallies.person_names.joined_into(single) {
                    touched.insert(format!("person:{full}"));
                }
            }
        }
        touched
    }

    /// The key of the full name a one-word person key joins, if it joins one.
    fn joined_key(&self, key: &str) -> Option<String> {
        let single = key
            .strip_prefix("person:")
            .filter(|name| !name.contains(' '))?;
        self.tallies
            .person_names
            .joined_into(single)
            .map(|full| format!("person:{full}"))
    }

    /// The key of the one-word person key joined into full-name `key`, if one is.
    fn single_joined_into(&self, key: &str) -> Option<String> {
        let full = key.strip_prefix("person:")?;
        let (_, last) = full.rsplit_once(' ')?;
        (self.tallies.person_names.joined_into(last) == Some(full))
            .then(|| format!("person:{last}"))
    }

    /// The entity under `key` as [`Resolver::finish`] gives it when the curation has no merge,
    /// alias or reject rules ([`Resolver::matches_by_name`]), made from the tallies of that key
    /// and of the one-word name joined into it alone; `None` when no entity has that key.
    pub fn entity(&self, key: &str) -> Option<ResolvedEntity> {
        if self.joined_key(key).is_some() {
            return None;
        }
        let tallies = &self.tallies.tallies;
        let own = tallies.get(key).map(|tally| tally.group(key));
        let joined = self
            .single_joined_into(key)
            .and_then(|single| tallies.get(&single).map(|tally| tally.group(&single)));
        let group = match (own, joined) {
            (Some(mut own), Some(joined)) => {
                own.absorb(joined);
                own
            }
            (Some(own), None) => own,
            (None, Some(joined)) => {
                let mut group = Group::new(joined.class);
                group.absorb(joined);
                group
            }
            (None, None) => return None,
        };
        Some(group.into_entity(key.to_string(), None))
    }

    /// Joins one-word names to full names, applies the curation rules and gives the entities.
    pub fn finish(&self) -> Resolved<'_> {
        let groups = self
            .tallies
            .tallies
            .iter()
            .map(|(key, tally)| (key.clone(), tally.group(key)))
            .collect();
        finish_groups(
            groups,
            &self.tallies.person_names,
            Cow::Borrowed(&self.tallies.curation),
            self.tallies.unused_split_rules(),
        )
    }
}

/// The entities of a finished resolution, and where any added document's local entities went.
pub struct Resolved<'c> {
    /// Entities sorted by class then key.
    pub entities: Vec<ResolvedEntity>,
    /// Curation rules that matched no entity, described.
    pub unmatched_rules: Vec<String>,
    curation: Cow<'c, Curation>,
    /// Key → the key its group joined (a one-word name's full name, a merge rule's target).
    moved_to: HashMap<String, String>,
    index_of_key: HashMap<String, usize>,
}

impl Resolved<'_> {
    /// For one of the documents resolved, local id → index into `entities` (rejected entities
    /// have none).
    pub fn links(&self, document: &DocumentEntities) -> HashMap<String, usize> {
        document
            .entities
            .iter()
            .filter_map(|local| {
                let mut key = first_key(document, local, &self.curation).key;
                // Moves never form a cycle (a merged key is gone); the bound only guards that.
                for _ in 0..=self.moved_to.len() {
                    match self.moved_to.get(&key) {
                        Some(next) => key.clone_from(next),
                        None => break,
                    }
                }
                let index = *self.index_of_key.get(&key)?;
                Some((local.record.id.clone(), index))
            })
            .collect()
    }
}

/// A local entity's first key, with the class and name it brings to that key's group.
struct FirstKey {
    key: String,
    class: EntityClass,
    name: String,
    /// The split rule that chose the key.
    split_rule: Option<usize>,
}

/// The key a local entity is grouped under before one-word names join full names and merge rules
/// run: by code, normalised name or agreement key, unless a split rule names it in its document.
fn first_key(document: &DocumentEntities, local: &LocalEntity, curation: &Curation) -> FirstKey {
    let record = &local.record;
    let split = curation.split.iter().enumerate().find(|(_, rule)| {
        rule.documents.iter().any(|d| d == &document.id)
            && curation::local_forms(local).contains(&curation::fold(&rule.name))
    });
    if let Some((index, rule)) = split {
        return FirstKey {
            key: format!("split:{}", curation::fold(&rule.label)),
            class: rule.class.unwrap_or(record.class),
            name: rule.label.clone(),
            split_rule: Some(index),
        };
    }
    let key = match record.class {
        EntityClass::Country => {
            format!("country:{}", record.code.as_deref().unwrap_or(&record.name))
        }
        EntityClass::Organisation => format!("organisation:{}", local.normalised),
        EntityClass::Official | EntityClass::Person => format!("person:{}", local.normalised),
        EntityClass::Place => format!("place:{}", local.normalised),
        EntityClass::Agreement => local.agreement_key.clone().unwrap_or_default(),
    };
    FirstKey {
        key,
        class: record.class,
        name: record.name.clone(),
        split_rule: None,
    }
}

/// The normalised personal names seen, counted: one-word names, and full names by their last word.
#[derive(Default)]
struct PersonNames {
    full_by_last: BTreeMap<String, LiteMap<String, usize>>,
    single: BTreeMap<String, usize>,
}

impl PersonNames {
    fn count(&mut self, local: &LocalEntity, direction: Direction) {
        if !is_person(local) {
            return;
        }
        let name = &local.normalised;
        match name.rsplit_once(' ') {
            None => direction.count(&mut self.single, name),
            Some((_, last)) => {
                let full = self.full_by_last.entry(last.to_string()).or_default();
                direction.count(full, name);
                if full.is_empty() {
                    self.full_by_last.remove(last);
                }
            }
        }
    }

    /// The one-word name a person's name joins or could be joined by: the name itself when it
    /// is one word, else its last word.
    fn single_of(local: &LocalEntity) -> Option<&str> {
        if !is_person(local) {
            return None;
        }
        let name = local.normalised.as_str();
        Some(name.rsplit_once(' ').map_or(name, |(_, last)| last))
    }

    /// The only full name that ends with one-word name `single`, when `single` was seen.
    fn joined_into(&self, single: &str) -> Option<&str> {
        if !self.single.contains_key(single) {
            return None;
        }
        let full = self.full_by_last.get(single)?;
        if full.len() != 1 {
            return None;
        }
        full.first().map(|(name, _)| name.as_str())
    }

    /// Each one-word name with the only full name that ends with it.
    fn joined(&self) -> Vec<(&str, &str)> {
        self.single
            .keys()
            .filter_map(|name| Some((name.as_str(), self.joined_into(name)?)))
            .collect()
    }
}

/// Whether a local entity is a person (an official or not).
fn is_person(local: &LocalEntity) -> bool {
    matches!(
        local.record.class,
        EntityClass::Person | EntityClass::Official
    )
}
