//! Tallies: everything the local entities under one first key say, counted as documents come, and
//! the groups they become. A tally keeps what documents gave it in one of two ways: [`Counted`]
//! keeps each document's share, so that any document can be taken back out (`add`, `remove`);
//! [`Folded`] keeps only what the smallest document id gave (`build`, which never takes a document
//! back), so its memory grows with the entities, not with the documents each is counted in. Both
//! give the same group for the same documents, whatever their order.
//!
//! A corpus has hundreds of thousands of tallies, most holding one or two names, aliases and
//! documents: their maps are [`LiteMap`]s (sorted vectors), which take about a third of the
//! memory of a `BTreeMap`'s first node (room for 11 entries) for so few.

use std::collections::BTreeMap;
use std::sync::Arc;

use litemap::LiteMap;

use super::ResolvedEntity;
use crate::extract::{EntityClass, EntityRecord, OrganisationKind};

/// A document's identity, shared by the tallies it is counted in.
pub(super) type DocumentId = Arc<str>;

/// Whether a document's counts are being added or taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Add,
    Remove,
}

impl Direction {
    /// Adds one to `count`, or takes one away.
    pub(super) fn apply(self, count: &mut usize) {
        match self {
            Direction::Add => *count += 1,
            Direction::Remove => *count = count.saturating_sub(1),
        }
    }

    /// Counts `item` into `counts`, or takes one back (an item counted nowhere is dropped).
    pub(super) fn count<T: Ord + Clone>(self, counts: &mut impl Counts<T>, item: &T) {
        match (self, counts.count_mut(item)) {
            (Direction::Add, Some(count)) => *count += 1,
            (Direction::Add, None) => counts.insert_count(item.clone(), 1),
            (Direction::Remove, Some(count)) => {
                *count -= 1;
                if *count == 0 {
                    counts.remove_count(item);
                }
            }
            (Direction::Remove, None) => {}
        }
    }
}

/// A map from items to how many times each was counted.
pub(super) trait Counts<T> {
    /// The count of `item`, if it was counted.
    fn count_mut(&mut self, item: &T) -> Option<&mut usize>;
    /// Sets the count of `item`, not yet counted.
    fn insert_count(&mut self, item: T, count: usize);
    /// Forgets `item`.
    fn remove_count(&mut self, item: &T);
}

/// Implements [`Counts`] for a map type whose `get_mut`, `insert` and `remove` are a
/// `BTreeMap`'s.
macro_rules! counts_for {
    ($map:ident) => {
        impl<T: Ord> Counts<T> for $map<T, usize> {
            fn count_mut(&mut self, item: &T) -> Option<&mut usize> {
                self.get_mut(item)
            }

            fn insert_count(&mut self, item: T, count: usize) {
                self.insert(item, count);
            }

            fn remove_count(&mut self, item: &T) {
                self.remove(item);
            }
        }
    };
}

counts_for!(BTreeMap);
counts_for!(LiteMap);

/// What a tally keeps of the documents counted in it: at least the class its first local entity in
/// the smallest document id brought, and the first code and alpha-3 code of the smallest document
/// id that gives one.
pub(super) trait Sources: Default {
    /// Notes one local entity of document `id`, whose first key gave it class `class`.
    fn add(&mut self, id: &DocumentId, class: EntityClass, record: &EntityRecord);
    /// The class the smallest document id's first local entity brought.
    fn class(&self) -> Option<EntityClass>;
    /// The first code of the smallest document id that gives one.
    fn code(&self) -> Option<&String>;
    /// The first alpha-3 code of the smallest document id that gives one.
    fn alpha3(&self) -> Option<&String>;
}

/// Every document counted, each with its number of local entities, so that it can be taken back.
#[derive(Default)]
pub(super) struct Counted {
    /// The documents counted, each with its number of local entities and the class of the first.
    documents: LiteMap<DocumentId, DocumentShare>,
    /// The first code each document gives (documents without one are not listed).
    codes: LiteMap<DocumentId, String>,
    /// The first alpha-3 code each document gives.
    alpha3s: LiteMap<DocumentId, String>,
}

/// One document's part of a [`Counted`] tally.
struct DocumentShare {
    locals: usize,
    class: EntityClass,
}

impl Counted {
    /// Takes back one local entity of document `id` (its codes go with its last).
    pub(super) fn remove(&mut self, id: &DocumentId) {
        if let Some(share) = self.documents.get_mut(id) {
            share.locals -= 1;
            if share.locals == 0 {
                self.documents.remove(id);
            }
        }
        self.codes.remove(id);
        self.alpha3s.remove(id);
    }

    /// The ids of the documents counted, in id order.
    pub(super) fn documents(&self) -> impl Iterator<Item = &DocumentId> {
        self.documents.keys()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

impl Sources for Counted {
    fn add(&mut self, id: &DocumentId, class: EntityClass, record: &EntityRecord) {
        self.documents
            .entry(id.clone())
            .or_insert(DocumentShare { locals: 0, class })
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

    fn class(&self) -> Option<EntityClass> {
        self.documents.first().map(|(_, share)| share.class)
    }

    fn code(&self) -> Option<&String> {
        self.codes.first().map(|(_, code)| code)
    }

    fn alpha3(&self) -> Option<&String> {
        self.alpha3s.first().map(|(_, alpha3)| alpha3)
    }
}

/// Only what the smallest document id gave: its class, and the codes of the smallest id giving
/// each. A document can be added, never taken back.
#[derive(Default)]
pub(super) struct Folded {
    class: Option<(DocumentId, EntityClass)>,
    code: Option<(DocumentId, String)>,
    alpha3: Option<(DocumentId, String)>,
}

/// Keeps `value` of document `id` in `kept` when no smaller id (nor an earlier entity of the same
/// document) gave one.
fn keep_smallest<T: Clone>(kept: &mut Option<(DocumentId, T)>, id: &DocumentId, value: &T) {
    if kept.as_ref().is_none_or(|(smallest, _)| id < smallest) {
        *kept = Some((id.clone(), value.clone()));
    }
}

impl Sources for Folded {
    fn add(&mut self, id: &DocumentId, class: EntityClass, record: &EntityRecord) {
        keep_smallest(&mut self.class, id, &class);
        if let Some(code) = &record.code {
            keep_smallest(&mut self.code, id, code);
        }
        if let Some(alpha3) = &record.alpha3 {
            keep_smallest(&mut self.alpha3, id, alpha3);
        }
    }

    fn class(&self) -> Option<EntityClass> {
        self.class.as_ref().map(|(_, class)| *class)
    }

    fn code(&self) -> Option<&String> {
        self.code.as_ref().map(|(_, code)| code)
    }

    fn alpha3(&self) -> Option<&String> {
        self.alpha3.as_ref().map(|(_, alpha3)| alpha3)
    }
}

/// Everything the local entities of one first key say.
#[derive(Default)]
pub(super) struct Tally<S> {
    pub(super) sources: S,
    /// Local entities that are officials.
    officials: usize,
    names: LiteMap<String, usize>,
    pub(super) aliases: LiteMap<String, usize>,
    kinds: LiteMap<OrganisationKind, usize>,
}

impl<S: Sources> Tally<S> {
    /// Counts (or takes back) the name, aliases and kinds of one local entity whose first key gave
    /// it class `class` and name `name` (what documents gave goes to `sources` apart).
    pub(super) fn count(
        &mut self,
        class: EntityClass,
        name: &String,
        record: &EntityRecord,
        direction: Direction,
    ) {
        if class == EntityClass::Official {
            direction.apply(&mut self.officials);
        }
        direction.count(&mut self.names, name);
        for alias in &record.aliases {
            direction.count(&mut self.aliases, alias);
        }
        for kind in &record.kinds {
            direction.count(&mut self.kinds, kind);
        }
    }

    /// The class of the group: an official anywhere makes an official.
    fn class(&self) -> EntityClass {
        if self.officials > 0 {
            EntityClass::Official
        } else {
            self.sources.class().unwrap_or(EntityClass::Person)
        }
    }

    /// What the tally says, as the group of `key`.
    pub(super) fn group(&self, key: &str) -> Group {
        Group {
            class: self.class(),
            names: self.names.clone(),
            aliases: self.aliases.keys().cloned().collect(),
            code: self.sources.code().cloned(),
            alpha3: self.sources.alpha3().cloned(),
            kinds: self.kinds.keys().copied().collect(),
            members: vec![key.to_string()],
        }
    }

    /// What the tally says, as the group of `key`, giving up the tally.
    pub(super) fn into_group(self, key: &str) -> Group {
        Group {
            class: self.class(),
            code: self.sources.code().cloned(),
            alpha3: self.sources.alpha3().cloned(),
            names: self.names,
            aliases: self
                .aliases
                .into_tuple_vec()
                .into_iter()
                .map(|(alias, _)| alias)
                .collect(),
            kinds: self.kinds.keys().copied().collect(),
            members: vec![key.to_string()],
        }
    }
}

/// Everything the local entities of one key or more say, joined. Its aliases, kinds and members
/// may repeat until it is made an entity (groups are many and short-lived: vectors keep them
/// small).
pub(super) struct Group {
    pub(super) class: EntityClass,
    pub(super) names: LiteMap<String, usize>,
    pub(super) aliases: Vec<String>,
    code: Option<String>,
    alpha3: Option<String>,
    kinds: Vec<OrganisationKind>,
    members: Vec<String>,
}

impl Group {
    /// An empty group of class `class`.
    pub(super) fn new(class: EntityClass) -> Self {
        Self {
            class,
            names: LiteMap::new(),
            aliases: Vec::new(),
            code: None,
            alpha3: None,
            kinds: Vec::new(),
            members: Vec::new(),
        }
    }

    /// Takes in another group's names, aliases, codes and kinds.
    pub(super) fn absorb(&mut self, other: Group) {
        if other.class == EntityClass::Official {
            self.class = EntityClass::Official;
        }
        for (name, count) in other.names.into_tuple_vec() {
            *self.names.entry(name).or_default() += count;
        }
        self.aliases.extend(other.aliases);
        self.code = self.code.take().or(other.code);
        self.alpha3 = self.alpha3.take().or(other.alpha3);
        self.kinds.extend(other.kinds);
        self.members.extend(other.members);
    }

    /// The entity of the group under `key`, labelled `label` (default: the most used name).
    pub(super) fn into_entity(self, key: String, label: Option<String>) -> ResolvedEntity {
        let label = label.unwrap_or_else(|| self.most_used_name());
        let mut aliases = self.aliases;
        aliases.extend(
            self.names
                .into_tuple_vec()
                .into_iter()
                .map(|(name, _)| name),
        );
        aliases.retain(|alias| alias != &label);
        ResolvedEntity {
            class: self.class,
            key,
            label,
            aliases: sorted_distinct(aliases),
            code: self.code,
            alpha3: self.alpha3,
            kinds: sorted_distinct(self.kinds),
            members: sorted_distinct(self.members),
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
}

/// `items` sorted, each once, in no more memory than they take.
fn sorted_distinct<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items.dedup();
    items.shrink_to_fit();
    items
}
