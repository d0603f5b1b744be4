//! What resolution needs of one extraction ([`DocumentEntities`]): its local entities with their
//! normalised names and surface forms, an agreement's key from the parties and year the document
//! states, and the posts its officials hold; without the text, spans or claims, so a build can keep
//! many while the extractions wait on disk.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::extract::{ClaimValue, EntityClass, EntityRecord, Extraction, MentionKind, Predicate};

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
        let facts = AgreementFacts::of(extraction);
        let main_deals = main_deals(extraction, &facts);
        let mut entities: Vec<LocalEntity> = extraction
            .entities
            .iter()
            .map(|record| LocalEntity {
                agreement_key: (record.class == EntityClass::Agreement)
                    .then(|| agreement_key(extraction, &facts, &main_deals, &record.id)),
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

/// Lower case, accents dropped ("Përparim" and "Perparim" are one name), white space collapsed,
/// typographic apostrophes made plain, a leading "the" dropped.
pub(super) fn normalise(name: &str) -> String {
    let folded: String = name.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let lower = folded.to_lowercase().replace('’', "'");
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .strip_prefix("the ")
        .map(str::to_string)
        .unwrap_or(collapsed)
}

/// The parties and years an extraction states for its agreements, gathered in one pass over its
/// claims (looking them up per agreement would cost claims × agreements on a long document).
struct AgreementFacts<'a> {
    /// Each agreement's parties, as ISO codes or normalised names (not yet sorted).
    parties: HashMap<&'a str, Vec<String>>,
    /// Each agreement's earliest stated year.
    years: HashMap<&'a str, i32>,
}

impl<'a> AgreementFacts<'a> {
    fn of(extraction: &'a Extraction) -> Self {
        let records: HashMap<&str, &EntityRecord> = extraction
            .entities
            .iter()
            .map(|record| (record.id.as_str(), record))
            .collect();
        let mut facts = Self {
            parties: HashMap::new(),
            years: HashMap::new(),
        };
        for claim in &extraction.claims {
            match (&claim.predicate, &claim.value) {
                (Predicate::Party, ClaimValue::Entity(id)) => {
                    if let Some(party) = records.get(id.as_str()) {
                        let name = party.code.clone().unwrap_or_else(|| normalise(&party.name));
                        facts.parties.entry(&claim.subject).or_default().push(name);
                    }
                }
                (Predicate::Year, ClaimValue::Year(year)) => {
                    let earliest = facts.years.entry(&claim.subject).or_insert(*year);
                    *earliest = (*earliest).min(*year);
                }
                _ => {}
            }
        }
        facts
    }

    /// The sorted ISO codes (or names) of an agreement's parties.
    fn parties_of(&self, extraction: &Extraction, agreement: &str) -> String {
        let mut parties = self.parties.get(agreement).cloned().unwrap_or_default();
        parties.sort();
        parties.dedup();
        if parties.is_empty() {
            format!("unnamed:{}#{agreement}", extraction.document.id)
        } else {
            parties.join("|")
        }
    }
}

/// An agreement's resolution key: its set of parties, and for an article's second deal between the
/// same parties, the year it states (or, without one, the article and local id, so it stays apart).
fn agreement_key(
    extraction: &Extraction,
    facts: &AgreementFacts<'_>,
    main_deals: &HashMap<String, &str>,
    id: &str,
) -> String {
    let parties = facts.parties_of(extraction, id);
    if main_deals.get(&parties) == Some(&id) {
        return format!("agreement:{parties}");
    }
    match facts.years.get(id) {
        Some(year) => format!("agreement:{parties}@{year}"),
        None => format!("agreement:{parties}#{}#{id}", extraction.document.id),
    }
}

/// For each set of parties of an extraction's agreements, the agreement it mentions most (the first
/// of those): the article's main deal between them.
fn main_deals<'e>(
    extraction: &'e Extraction,
    facts: &AgreementFacts<'_>,
) -> HashMap<String, &'e str> {
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
            .entry(facts.parties_of(extraction, &record.id))
            .or_insert((record.id.as_str(), count));
        if count > entry.1 {
            *entry = (record.id.as_str(), count);
        }
    }
    main.into_iter()
        .map(|(parties, (id, _))| (parties, id))
        .collect()
}
