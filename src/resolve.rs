//! Resolve: links the document-local entities of many extractions to one entity per real thing.
//!
//! Countries are one entity per ISO code; organisations one per normalised name; people one per
//! normalised full name, a one-word name joining the only full name in the corpus that ends with it;
//! agreements one per set of parties, except that an article's second deal between the same parties
//! stays apart (joining another article's only by the year both state). The canonical label is the
//! most used name (ties: the one with more accented letters, then the longest, then the first in
//! order), and every other surface form becomes an alias. The result depends only on the
//! extractions, so `build` from texts and `build --extractions` give the same entities.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::curation::Curation;
use crate::extract::{
    ClaimValue, EntityClass, EntityRecord, Extraction, MentionKind, OrganisationKind, Predicate,
};

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

/// What resolution and the entities graph need of one extraction, without its text, spans or
/// claims: a build keeps one per article in memory while the extractions themselves wait on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentEntities {
    /// The document's identity.
    pub id: String,
    /// The hash of the document's content.
    pub content_hash: String,
    /// Where the document came from (a path or URL).
    pub source: String,
    /// The document's URL, when known.
    pub url: Option<String>,
    /// Its local entities, in the extraction's order.
    pub entities: Vec<LocalEntity>,
    /// The posts its officials hold, in the extraction's order.
    pub posts: Vec<HeldPost>,
}

/// One local entity of a document, with what its mentions and claims tell resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalEntity {
    /// The extraction's record of it.
    pub record: EntityRecord,
    /// Its name normalised (lower case, no accents, single spaces, no leading "the").
    pub normalised: String,
    /// Its resolution key when it is an agreement (set by the parties and year the document
    /// states), which depends on that document alone.
    pub agreement_key: Option<String>,
    /// The texts of the mentions that name it (names, acronyms, partial names), sorted, each once.
    pub surface: Vec<String>,
    /// The texts of its other mentions that are not triggers (demonyms, references), sorted, each
    /// once.
    pub other_forms: Vec<String>,
}

/// A post a document's local entity holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldPost {
    /// The holder (local identifier).
    pub holder: String,
    /// The title as written.
    pub title: String,
    /// The organisation or country it is in (local identifier).
    pub within: Option<String>,
}

impl DocumentEntities {
    /// Keeps what resolution needs of `extraction`.
    pub fn of(extraction: &Extraction) -> Self {
        let main_deals = main_deals(extraction);
        let mut entities: Vec<LocalEntity> = extraction
            .entities
            .iter()
            .map(|record| LocalEntity {
                agreement_key: (record.class == EntityClass::Agreement)
                    .then(|| agreement_key(extraction, &main_deals, &record.id)),
                normalised: normalise(&record.name),
                record: record.clone(),
                surface: Vec::new(),
                other_forms: Vec::new(),
            })
            .collect();
        let position: HashMap<&str, usize> = extraction
            .entities
            .iter()
            .enumerate()
            .map(|(index, record)| (record.id.as_str(), index))
            .collect();
        for mention in &extraction.mentions {
            let Some(&index) = position.get(mention.entity.as_str()) else {
                continue;
            };
            let entity = &mut entities[index];
            match mention.kind {
                MentionKind::Name | MentionKind::Acronym | MentionKind::PartialName => {
                    entity.surface.push(mention.text.clone());
                }
                MentionKind::Trigger => {}
                MentionKind::Demonym | MentionKind::Reference => {
                    entity.other_forms.push(mention.text.clone());
                }
            }
        }
        for entity in &mut entities {
            for forms in [&mut entity.surface, &mut entity.other_forms] {
                forms.sort_unstable();
                forms.dedup();
                forms.shrink_to_fit();
            }
        }
        let posts = extraction
            .claims
            .iter()
            .filter(|claim| claim.predicate == Predicate::Holds)
            .filter_map(|claim| match &claim.value {
                ClaimValue::Post { title, within } => Some(HeldPost {
                    holder: claim.subject.clone(),
                    title: title.clone(),
                    within: within.clone(),
                }),
                _ => None,
            })
            .collect();
        let document = &extraction.document;
        Self {
            id: document.id.clone(),
            content_hash: document.content_hash.clone(),
            source: document.source.clone(),
            url: document.url.clone(),
            entities,
            posts,
        }
    }
}

/// Resolves the entities of `extractions`, then applies the curation rules.
pub fn resolve(extractions: &[Extraction], curation: &Curation) -> Resolution {
    let documents: Vec<DocumentEntities> = extractions.iter().map(DocumentEntities::of).collect();
    resolve_documents(&documents, curation)
}

/// Resolves the entities of documents kept as [`DocumentEntities`], then applies the curation
/// rules: the same resolution as [`resolve`] over their extractions.
pub fn resolve_documents(documents: &[DocumentEntities], curation: &Curation) -> Resolution {
    let mut unmatched_rules = Vec::new();
    let mut split_used = vec![false; curation.split.len()];
    let person_keys = person_keys(documents);
    // key → (class, name counts, aliases, codes, kinds)
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut local_keys: Vec<HashMap<String, String>> = Vec::with_capacity(documents.len());
    for document in documents {
        let mut keys = HashMap::new();
        for local in &document.entities {
            let record = &local.record;
            let key = match record.class {
                EntityClass::Country => {
                    format!("country:{}", record.code.as_deref().unwrap_or(&record.name))
                }
                EntityClass::Organisation => format!("organisation:{}", local.normalised),
                EntityClass::Official | EntityClass::Person => {
                    let own = &local.normalised;
                    format!("person:{}", person_keys.get(own).unwrap_or(own))
                }
                EntityClass::Place => format!("place:{}", local.normalised),
                EntityClass::Agreement => local.agreement_key.clone().unwrap_or_default(),
            };
            let mut class = record.class;
            let mut name = record.name.clone();
            let mut key = key;
            let mut member = match record.class {
                EntityClass::Official | EntityClass::Person => {
                    format!("person:{}", local.normalised)
                }
                _ => key.clone(),
            };
            let split = curation.split.iter().enumerate().find(|(_, rule)| {
                rule.documents.iter().any(|d| d == &document.id)
                    && local_forms(local).contains(&fold(&rule.name))
            });
            if let Some((index, rule)) = split {
                split_used[index] = true;
                class = rule.class.unwrap_or(record.class);
                name = rule.label.clone();
                key = format!("split:{}", fold(&rule.label));
                member.clone_from(&key);
            }
            let group = groups
                .entry(key.clone())
                .or_insert_with(|| Group::new(class));
            if class == EntityClass::Official {
                group.class = EntityClass::Official;
            }
            *group.names.entry(name).or_default() += 1;
            group.aliases.extend(record.aliases.iter().cloned());
            group.code = group.code.take().or_else(|| record.code.clone());
            group.alpha3 = group.alpha3.take().or_else(|| record.alpha3.clone());
            group.kinds.extend(record.kinds.iter().copied());
            group.members.insert(member);
            keys.insert(record.id.clone(), key);
        }
        for local in &document.entities {
            if let Some(group) = keys
                .get(&local.record.id)
                .and_then(|key| groups.get_mut(key))
            {
                group.aliases.extend(local.surface.iter().cloned());
            }
        }
        local_keys.push(keys);
    }
    for (rule, used) in curation.split.iter().zip(&split_used) {
        if !used {
            unmatched_rules.push(format!(
                "split {:?}: no such entity in the listed documents",
                rule.name
            ));
        }
    }
    let labels = apply_curation(curation, &mut groups, &mut local_keys, &mut unmatched_rules);
    let mut entities = Vec::with_capacity(groups.len());
    let mut index_of_key = HashMap::new();
    for (key, group) in groups {
        let label = labels.get(&key).cloned().unwrap_or_else(|| {
            group
                .names
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
        });
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
    let links = local_keys
        .into_iter()
        .map(|keys| {
            keys.into_iter()
                .filter_map(|(local, key)| index_of_key.get(&key).map(|&i| (local, i)))
                .collect()
        })
        .collect();
    Resolution {
        entities,
        links,
        unmatched_rules,
    }
}

/// The folded forms of a local entity: its name, aliases and the text of its mentions (not
/// triggers).
fn local_forms(local: &LocalEntity) -> BTreeSet<String> {
    std::iter::once(&local.record.name)
        .chain(&local.record.aliases)
        .chain(&local.surface)
        .chain(&local.other_forms)
        .map(|form| fold(form))
        .collect()
}

/// Accent-free lower case, as curation rules and gold files compare names.
fn fold(name: &str) -> String {
    crate::eval::normalise(name)
}

/// The keys of the groups a rule names.
fn matching(
    groups: &BTreeMap<String, Group>,
    name: &str,
    class: Option<EntityClass>,
) -> Vec<String> {
    let wanted = fold(name);
    groups
        .iter()
        .filter(|(_, group)| class.is_none_or(|c| c == group.class))
        .filter(|(_, group)| {
            group
                .names
                .keys()
                .chain(group.aliases.iter())
                .any(|n| fold(n) == wanted)
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// Applies merge, alias and reject rules to the groups; gives the labels merge rules set.
fn apply_curation(
    curation: &Curation,
    groups: &mut BTreeMap<String, Group>,
    local_keys: &mut [HashMap<String, String>],
    unmatched: &mut Vec<String>,
) -> HashMap<String, String> {
    let mut labels = HashMap::new();
    for rule in &curation.merge {
        let mut keys: Vec<String> = Vec::new();
        for name in &rule.names {
            let found = matching(groups, name, rule.class);
            if found.is_empty() {
                unmatched.push(format!("merge: no entity named {name:?}"));
            }
            for key in found {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let Some((target, others)) = keys.split_first() else {
            continue;
        };
        for other in others {
            if let Some(group) = groups.remove(other) {
                if let Some(into) = groups.get_mut(target) {
                    into.absorb(group);
                }
            }
            for keys in local_keys.iter_mut() {
                for key in keys.values_mut() {
                    if key == other {
                        key.clone_from(target);
                    }
                }
            }
        }
        if let Some(label) = &rule.label {
            labels.insert(target.clone(), label.clone());
            if let Some(group) = groups.get_mut(target) {
                group.aliases.insert(label.clone());
            }
        }
    }
    for rule in &curation.alias {
        let found = matching(groups, &rule.name, rule.class);
        if found.is_empty() {
            unmatched.push(format!("alias: no entity named {:?}", rule.name));
        }
        for key in found {
            if let Some(group) = groups.get_mut(&key) {
                group.aliases.insert(rule.alias.clone());
            }
        }
    }
    for rule in &curation.reject {
        let found = matching(groups, &rule.name, rule.class);
        if found.is_empty() {
            unmatched.push(format!("reject: no entity named {:?}", rule.name));
        }
        for key in found {
            groups.remove(&key);
        }
    }
    labels
}

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

/// Lower case, accents dropped ("Përparim" and "Perparim" are one name), white space collapsed,
/// typographic apostrophes made plain, a leading "the" dropped.
fn normalise(name: &str) -> String {
    let folded: String = name.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let lower = folded.to_lowercase().replace('’', "'");
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .strip_prefix("the ")
        .map(str::to_string)
        .unwrap_or(collapsed)
}

/// For one-word personal names, the only multi-word name in the corpus that ends with that word.
fn person_keys(documents: &[DocumentEntities]) -> HashMap<String, String> {
    let mut full_by_last: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut single = BTreeSet::new();
    for local in documents.iter().flat_map(|d| &d.entities) {
        if !matches!(
            local.record.class,
            EntityClass::Person | EntityClass::Official
        ) {
            continue;
        }
        let name = local.normalised.as_str();
        match name.rsplit_once(' ') {
            None => {
                single.insert(name);
            }
            Some((_, last)) => {
                full_by_last.entry(last).or_default().insert(name);
            }
        }
    }
    single
        .into_iter()
        .filter_map(|name| match full_by_last.get(name) {
            Some(full) if full.len() == 1 => full
                .iter()
                .next()
                .map(|f| (name.to_string(), (*f).to_string())),
            _ => None,
        })
        .collect()
}

/// An agreement's resolution key: its set of parties, and for an article's second deal between the
/// same parties, the year it states (or, without one, the article and local id, so it stays apart).
fn agreement_key(extraction: &Extraction, main_deals: &HashMap<String, &str>, id: &str) -> String {
    let parties = agreement_parties(extraction, id);
    if main_deals.get(&parties) == Some(&id) {
        return format!("agreement:{parties}");
    }
    match agreement_year(extraction, id) {
        Some(year) => format!("agreement:{parties}@{year}"),
        None => format!("agreement:{parties}#{}#{id}", extraction.document.id),
    }
}

/// For each set of parties of an extraction's agreements, the agreement it mentions most (the first
/// of those): the article's main deal between them.
fn main_deals(extraction: &Extraction) -> HashMap<String, &str> {
    let mut mentions: HashMap<&str, usize> = HashMap::new();
    for mention in &extraction.mentions {
        *mentions.entry(mention.entity.as_str()).or_default() += 1;
    }
    let mut main: HashMap<String, (&str, usize)> = HashMap::new();
    for record in extraction
        .entities
        .iter()
        .filter(|e| e.class == EntityClass::Agreement)
    {
        let count = mentions.get(record.id.as_str()).copied().unwrap_or(0);
        let entry = main
            .entry(agreement_parties(extraction, &record.id))
            .or_insert((record.id.as_str(), count));
        if count > entry.1 {
            *entry = (record.id.as_str(), count);
        }
    }
    main.into_iter()
        .map(|(parties, (id, _))| (parties, id))
        .collect()
}

/// The earliest year an extraction states for an agreement.
fn agreement_year(extraction: &Extraction, agreement: &str) -> Option<i32> {
    extraction
        .claims
        .iter()
        .filter(|c| c.subject == agreement && c.predicate == Predicate::Year)
        .filter_map(|c| match c.value {
            ClaimValue::Year(year) => Some(year),
            _ => None,
        })
        .min()
}

/// The sorted ISO codes (or names) of an agreement's parties in one extraction.
fn agreement_parties(extraction: &Extraction, agreement: &str) -> String {
    let mut parties: Vec<String> = extraction
        .claims
        .iter()
        .filter(|c| c.subject == agreement && c.predicate == Predicate::Party)
        .filter_map(|c| match &c.value {
            ClaimValue::Entity(id) => extraction.entities.iter().find(|e| &e.id == id),
            _ => None,
        })
        .map(|party| party.code.clone().unwrap_or_else(|| normalise(&party.name)))
        .collect();
    parties.sort();
    parties.dedup();
    if parties.is_empty() {
        format!("unnamed:{}#{agreement}", extraction.document.id)
    } else {
        parties.join("|")
    }
}
