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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod curation;
mod document;

pub use document::{DocumentEntities, HeldPost, LocalEntity};

use crate::curation::Curation;
use crate::extract::{EntityClass, EntityRecord, Extraction, OrganisationKind};

/// One real thing, across documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEntity {
    /// The resolved class (a person who holds a post anywhere is an official).
    pub class: EntityClass,
    /// The resolution key (`country:US`, `organisation:human rights watch`, ...).
    pub key: String,
    /// The canonical name.
    pub label: String,
    /// Every other surface form, sorted.
    pub aliases: BTreeSet<String>,
    /// ISO 3166-1 alpha-2 code (countries).
    pub code: Option<String>,
    /// ISO 3166-1 alpha-3 code (countries).
    pub alpha3: Option<String>,
    /// Finer organisation kinds.
    pub kinds: BTreeSet<OrganisationKind>,
    /// The keys of every local entity linked here before person names and curation merged them
    /// (`person:smith` joined to `person:john smith`): what keeps an entity's IRI stable when a later
    /// article gives a fuller name.
    pub members: BTreeSet<String>,
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
    let mut resolver = Resolver::new(curation);
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

/// Resolution a document at a time: each document's local entities are counted into the tally of
/// their first key (the person key before one-word names join full names) as it comes. Every count
/// can be taken back ([`Resolver::remove`] is the exact inverse of [`Resolver::add`]), and what
/// depends on document order (a key's code, alpha-3 code and class) is the smallest document id's,
/// so the result does not depend on the order documents come in.
pub struct Resolver {
    curation: Curation,
    /// How many local entities each split rule chose a key for.
    split_used: Vec<usize>,
    tallies: BTreeMap<String, Tally>,
    person_names: PersonNames,
}

impl Resolver {
    /// A resolver with no documents yet, applying `curation`.
    pub fn new(curation: &Curation) -> Self {
        Self {
            curation: curation.clone(),
            split_used: vec![0; curation.split.len()],
            tallies: BTreeMap::new(),
            person_names: PersonNames::default(),
        }
    }

    /// Counts one document's local entities into the tallies.
    pub fn add(&mut self, document: &DocumentEntities) {
        self.count(document, Direction::Add);
    }

    /// Takes back what [`Resolver::add`] counted for `document`.
    pub fn remove(&mut self, document: &DocumentEntities) {
        self.count(document, Direction::Remove);
    }

    fn count(&mut self, document: &DocumentEntities, direction: Direction) {
        let id: DocumentId = Arc::from(document.id.as_str());
        let mut keys: HashMap<&str, String> = HashMap::with_capacity(document.entities.len());
        for local in &document.entities {
            self.person_names.count(local, direction);
            let first = first_key(document, local, &self.curation);
            if let Some(rule) = first.split_rule {
                direction.apply(&mut self.split_used[rule]);
            }
            self.tallies.entry(first.key.clone()).or_default().count(
                &id,
                &first,
                &local.record,
                direction,
            );
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
        if direction == Direction::Remove {
            for key in keys.values() {
                if self.tallies.get(key).is_some_and(Tally::is_empty) {
                    self.tallies.remove(key);
                }
            }
        }
    }

    /// Whether the curation has rules that match entities by name across the corpus (merge, alias,
    /// reject): then an entity can depend on any other, and only [`Resolver::finish`] gives them.
    pub fn matches_by_name(&self) -> bool {
        !(self.curation.merge.is_empty()
            && self.curation.alias.is_empty()
            && self.curation.reject.is_empty())
    }

    /// Each of `document`'s local entities with its first key (the key its mentions are counted
    /// under, before one-word names join full names and merge rules run).
    pub fn first_keys<'d>(&self, document: &'d DocumentEntities) -> Vec<(&'d LocalEntity, String)> {
        document
            .entities
            .iter()
            .map(|local| (local, first_key(document, local, &self.curation).key))
            .collect()
    }

    /// The ids of the documents counted with a local entity under `first_key`, in id order.
    pub fn documents_under(&self, first_key: &str) -> impl Iterator<Item = &str> {
        self.tallies
            .get(first_key)
            .into_iter()
            .flat_map(|tally| tally.documents.keys().map(AsRef::as_ref))
    }

    /// The entity keys whose entity `document`'s local entities take part in as things stand: the
    /// key of each, where person keys lead once one-word names join full names, and for each
    /// personal name the one-word name it could join or be joined by and that name's full name.
    /// Called before and after a document is added or removed, the union holds every entity the
    /// change can alter (without merge, alias or reject rules).
    pub fn keys_touched_by(&self, document: &DocumentEntities) -> BTreeSet<String> {
        let mut touched = BTreeSet::new();
        for local in &document.entities {
            let key = first_key(document, local, &self.curation).key;
            if let Some(joined) = self.joined_key(&key) {
                touched.insert(joined);
            }
            touched.insert(key);
            if let Some(single) = PersonNames::single_of(local) {
                touched.insert(format!("person:{single}"));
                if let Some(full) = self.person_names.joined_into(single) {
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
        self.person_names
            .joined_into(single)
            .map(|full| format!("person:{full}"))
    }

    /// The key of the one-word person key joined into full-name `key`, if one is.
    fn single_joined_into(&self, key: &str) -> Option<String> {
        let full = key.strip_prefix("person:")?;
        let (_, last) = full.rsplit_once(' ')?;
        (self.person_names.joined_into(last) == Some(full)).then(|| format!("person:{last}"))
    }

    /// The entity under `key` as [`Resolver::finish`] gives it when the curation has no merge,
    /// alias or reject rules ([`Resolver::matches_by_name`]), made from the tallies of that key
    /// and of the one-word name joined into it alone; `None` when no entity has that key.
    pub fn entity(&self, key: &str) -> Option<ResolvedEntity> {
        if self.joined_key(key).is_some() {
            return None;
        }
        let own = self.tallies.get(key).map(|tally| tally.group(key));
        let joined = self
            .single_joined_into(key)
            .and_then(|single| self.tallies.get(&single).map(|tally| tally.group(&single)));
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
        let mut unmatched_rules = Vec::new();
        for (rule, used) in self.curation.split.iter().zip(&self.split_used) {
            if *used == 0 {
                unmatched_rules.push(format!(
                    "split {:?}: no such entity in the listed documents",
                    rule.name
                ));
            }
        }
        let mut groups: BTreeMap<String, Group> = self
            .tallies
            .iter()
            .map(|(key, tally)| (key.clone(), tally.group(key)))
            .collect();
        let mut moved_to = HashMap::new();
        for (single, full) in self.person_names.joined() {
            let (from, into) = (format!("person:{single}"), format!("person:{full}"));
            if let Some(group) = groups.remove(&from) {
                groups
                    .entry(into.clone())
                    .or_insert_with(|| Group::new(group.class))
                    .absorb(group);
            }
            moved_to.insert(from, into);
        }
        let merged = curation::apply_curation(&self.curation, &mut groups, &mut unmatched_rules);
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
            curation: &self.curation,
            moved_to,
            index_of_key,
        }
    }
}

/// Whether a document's counts are being added or taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Add,
    Remove,
}

impl Direction {
    /// Adds one to `count`, or takes one away.
    fn apply(self, count: &mut usize) {
        match self {
            Direction::Add => *count += 1,
            Direction::Remove => *count = count.saturating_sub(1),
        }
    }

    /// Counts `item` into `counts`, or takes one back (an item counted nowhere is dropped).
    fn count<T: Ord + Clone>(self, counts: &mut BTreeMap<T, usize>, item: &T) {
        match self {
            Direction::Add => *counts.entry(item.clone()).or_default() += 1,
            Direction::Remove => {
                if let Some(count) = counts.get_mut(item) {
                    *count -= 1;
                    if *count == 0 {
                        counts.remove(item);
                    }
                }
            }
        }
    }
}

/// A document's identity, shared by the tallies it is counted in.
type DocumentId = Arc<str>;

/// The entities of a finished resolution, and where any added document's local entities went.
pub struct Resolved<'c> {
    /// Entities sorted by class then key.
    pub entities: Vec<ResolvedEntity>,
    /// Curation rules that matched no entity, described.
    pub unmatched_rules: Vec<String>,
    curation: &'c Curation,
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
                let mut key = first_key(document, local, self.curation).key;
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
    full_by_last: BTreeMap<String, BTreeMap<String, usize>>,
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
        full.keys().next().map(String::as_str)
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

/// Everything the local entities of one first key say, counted so that a document can be taken
/// back out.
#[derive(Default)]
struct Tally {
    /// The documents counted here, each with its number of local entities and the class of the
    /// first of them.
    documents: BTreeMap<DocumentId, DocumentShare>,
    /// Local entities that are officials.
    officials: usize,
    names: BTreeMap<String, usize>,
    aliases: BTreeMap<String, usize>,
    /// The first code each document gives (documents without one are not listed).
    codes: BTreeMap<DocumentId, String>,
    /// The first alpha-3 code each document gives.
    alpha3s: BTreeMap<DocumentId, String>,
    kinds: BTreeMap<OrganisationKind, usize>,
}

/// One document's part of a [`Tally`].
struct DocumentShare {
    locals: usize,
    class: EntityClass,
}

impl Tally {
    /// Counts (or takes back) one local entity of document `id`.
    fn count(
        &mut self,
        id: &DocumentId,
        first: &FirstKey,
        record: &EntityRecord,
        direction: Direction,
    ) {
        match direction {
            Direction::Add => {
                self.documents
                    .entry(id.clone())
                    .or_insert(DocumentShare {
                        locals: 0,
                        class: first.class,
                    })
                    .locals += 1;
                for (codes, code) in [
                    (&mut self.codes, &record.code),
                    (&mut self.alpha3s, &record.alpha3),
                ] {
                    if let Some(code) = code {
                        codes.entry(id.clone()).or_insert_with(|| code.clone());
                    }
                }
            }
            Direction::Remove => {
                if let Some(share) = self.documents.get_mut(id) {
                    share.locals -= 1;
                    if share.locals == 0 {
                        self.documents.remove(id);
                    }
                }
                self.codes.remove(id);
                self.alpha3s.remove(id);
            }
        }
        if first.class == EntityClass::Official {
            direction.apply(&mut self.officials);
        }
        direction.count(&mut self.names, &first.name);
        for alias in &record.aliases {
            direction.count(&mut self.aliases, alias);
        }
        for kind in &record.kinds {
            direction.count(&mut self.kinds, kind);
        }
    }

    fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// What the tally says, as the group of `key`.
    fn group(&self, key: &str) -> Group {
        let first_class = self
            .documents
            .values()
            .next()
            .map_or(EntityClass::Person, |share| share.class);
        Group {
            class: if self.officials > 0 {
                EntityClass::Official
            } else {
                first_class
            },
            names: self.names.clone(),
            aliases: self.aliases.keys().cloned().collect(),
            code: self.codes.values().next().cloned(),
            alpha3: self.alpha3s.values().next().cloned(),
            kinds: self.kinds.keys().copied().collect(),
            members: BTreeSet::from([key.to_string()]),
        }
    }
}

/// Everything the local entities of one key or more say, joined.
struct Group {
    class: EntityClass,
    names: BTreeMap<String, usize>,
    aliases: BTreeSet<String>,
    code: Option<String>,
    alpha3: Option<String>,
    kinds: BTreeSet<OrganisationKind>,
    members: BTreeSet<String>,
}

impl Group {
    /// Takes in another group's names, aliases, codes and kinds.
    fn absorb(&mut self, other: Group) {
        if other.class == EntityClass::Official {
            self.class = EntityClass::Official;
        }
        for (name, count) in other.names {
            *self.names.entry(name).or_default() += count;
        }
        self.aliases.extend(other.aliases);
        self.code = self.code.take().or(other.code);
        self.alpha3 = self.alpha3.take().or(other.alpha3);
        self.kinds.extend(other.kinds);
        self.members.extend(other.members);
    }

    /// The entity of the group under `key`, labelled `label` (default: the most used name).
    fn into_entity(self, key: String, label: Option<String>) -> ResolvedEntity {
        let label = label.unwrap_or_else(|| self.most_used_name());
        let mut aliases = self.aliases;
        aliases.extend(self.names.into_keys());
        aliases.remove(&label);
        ResolvedEntity {
            class: self.class,
            key,
            label,
            aliases,
            code: self.code,
            alpha3: self.alpha3,
            kinds: self.kinds,
            members: self.members,
        }
    }

    /// The most used name (ties: more accented letters, then longer, then the first in order).
    fn most_used_name(&self) -> String {
        self.names
            .iter()
            .max_by(|a, b| {
                let accents = |name: &str| name.chars().filter(|c| !c.is_ascii()).count();
                a.1.cmp(b.1)
                    .then(accents(a.0).cmp(&accents(b.0)))
                    .then(a.0.chars().count().cmp(&b.0.chars().count()))
                    .then(b.0.cmp(a.0))
            })
            .map(|(name, _)| name.clone())
            .unwrap_or_default()
    }

    fn new(class: EntityClass) -> Self {
        Self {
            class,
            names: BTreeMap::new(),
            aliases: BTreeSet::new(),
            code: None,
            alpha3: None,
            kinds: BTreeSet::new(),
            members: BTreeSet::new(),
        }
    }
}
