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
//! A [`Resolver`] takes the documents one at a time and folds each into one group per key at once,
//! so its memory grows with the entities, not with the documents; [`Resolved`] then links any
//! document's local entities to the entities.

use std::collections::{BTreeMap, BTreeSet, HashMap};

mod curation;
mod document;

pub use document::{DocumentEntities, HeldPost, LocalEntity};

use crate::curation::Curation;
use crate::extract::{EntityClass, Extraction, OrganisationKind};

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

/// Resolution a document at a time: each document's local entities are folded into the group of
/// their first key (the person key before one-word names join full names) as it comes.
pub struct Resolver<'c> {
    curation: &'c Curation,
    split_used: Vec<bool>,
    groups: BTreeMap<String, Group>,
    person_names: PersonNames,
}

impl<'c> Resolver<'c> {
    /// A resolver with no documents yet, applying `curation`.
    pub fn new(curation: &'c Curation) -> Self {
        Self {
            curation,
            split_used: vec![false; curation.split.len()],
            groups: BTreeMap::new(),
            person_names: PersonNames::default(),
        }
    }

    /// Folds one document's local entities into the groups.
    pub fn add(&mut self, document: &DocumentEntities) {
        let mut keys: HashMap<&str, String> = HashMap::with_capacity(document.entities.len());
        for local in &document.entities {
            self.person_names.add(local);
            let first = first_key(document, local, self.curation);
            if let Some(rule) = first.split_rule {
                self.split_used[rule] = true;
            }
            let record = &local.record;
            let group = self
                .groups
                .entry(first.key.clone())
                .or_insert_with(|| Group::new(first.class));
            if first.class == EntityClass::Official {
                group.class = EntityClass::Official;
            }
            *group.names.entry(first.name).or_default() += 1;
            group.aliases.extend(record.aliases.iter().cloned());
            group.code = group.code.take().or_else(|| record.code.clone());
            group.alpha3 = group.alpha3.take().or_else(|| record.alpha3.clone());
            group.kinds.extend(record.kinds.iter().copied());
            group.members.insert(first.key.clone());
            keys.insert(&record.id, first.key);
        }
        for local in &document.entities {
            if let Some(group) = keys
                .get(local.record.id.as_str())
                .and_then(|key| self.groups.get_mut(key))
            {
                group.aliases.extend(local.surface.iter().cloned());
            }
        }
    }

    /// Joins one-word names to full names, applies the curation rules and gives the entities.
    pub fn finish(mut self) -> Resolved<'c> {
        let mut unmatched_rules = Vec::new();
        for (rule, used) in self.curation.split.iter().zip(&self.split_used) {
            if !used {
                unmatched_rules.push(format!(
                    "split {:?}: no such entity in the listed documents",
                    rule.name
                ));
            }
        }
        let mut moved_to = HashMap::new();
        for (single, full) in self.person_names.joined() {
            let (from, into) = (format!("person:{single}"), format!("person:{full}"));
            if let Some(group) = self.groups.remove(&from) {
                self.groups
                    .entry(into.clone())
                    .or_insert_with(|| Group::new(group.class))
                    .absorb(group);
            }
            moved_to.insert(from, into);
        }
        let merged =
            curation::apply_curation(self.curation, &mut self.groups, &mut unmatched_rules);
        moved_to.extend(merged.into);
        let mut entities = Vec::with_capacity(self.groups.len());
        let mut index_of_key = HashMap::with_capacity(self.groups.len());
        for (key, group) in self.groups {
            let label = merged
                .labels
                .get(&key)
                .cloned()
                .unwrap_or_else(|| group.most_used_name());
            let mut aliases: BTreeSet<String> = group.aliases;
            aliases.extend(group.names.into_keys());
            aliases.remove(&label);
            index_of_key.insert(key.clone(), entities.len());
            entities.push(ResolvedEntity {
                class: group.class,
                key,
                label,
                aliases,
                code: group.code,
                alpha3: group.alpha3,
                kinds: group.kinds,
                members: group.members,
            });
        }
        Resolved {
            entities,
            unmatched_rules,
            curation: self.curation,
            moved_to,
            index_of_key,
        }
    }
}

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

/// The normalised personal names seen: one-word names, and full names by their last word.
#[derive(Default)]
struct PersonNames {
    full_by_last: BTreeMap<String, BTreeSet<String>>,
    single: BTreeSet<String>,
}

impl PersonNames {
    fn add(&mut self, local: &LocalEntity) {
        if !matches!(
            local.record.class,
            EntityClass::Person | EntityClass::Official
        ) {
            return;
        }
        let name = &local.normalised;
        match name.rsplit_once(' ') {
            None => {
                if !self.single.contains(name) {
                    self.single.insert(name.clone());
                }
            }
            Some((_, last)) => {
                let full = self.full_by_last.entry(last.to_string()).or_default();
                if !full.contains(name) {
                    full.insert(name.clone());
                }
            }
        }
    }

    /// Each one-word name with the only full name that ends with it.
    fn joined(&self) -> Vec<(&str, &str)> {
        self.single
            .iter()
            .filter_map(|name| match self.full_by_last.get(name) {
                Some(full) if full.len() == 1 => {
                    full.iter().next().map(|f| (name.as_str(), f.as_str()))
                }
                _ => None,
            })
            .collect()
    }
}

/// Everything the local entities of one key say, as documents are added.
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
