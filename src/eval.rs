//! Eval: scores extractions against hand-written gold files, one JSON file per article.
//!
//! Gold files follow the annotation conventions in README.md (`countries`, `countries_by_demonym_only`,
//! `officials` with `roles`, `organisations`, `agreements` with `parties`). Scoring is per document: an
//! entity counts once per article; names match after case folding, accent stripping, dropping dots and
//! a leading "the", and any alias of a gold entity matches any surface form of a predicted one.
//! Countries named only by demonym are neither rewarded nor penalised. Agreements match by their set of
//! parties; roles are (official, organisation or country) pairs.
//!
//! By default a document is scored as the built graph knows it ([`Scope::Corpus`]): its entities are
//! resolved across every input scored together, so a person named in one article and given an office
//! in another is an official in both, with that office's role, as the annotation conventions count
//! an official "even where the text does not state it". [`Scope::Document`] scores each extraction
//! on its own.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::curation::Curation;
use crate::extract::{ClaimValue, EntityClass, Extraction, MentionKind, Predicate};
use crate::ner::score::Counts;
use crate::resolve::{resolve, Resolution};

/// What a document is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Its entities as resolved across all the documents scored together, as `build` links them.
    #[default]
    Corpus,
    /// Its own extraction alone.
    Document,
}

/// What the documents scored together know of each entity, once resolved across them.
pub struct CorpusKnowledge {
    resolution: Resolution,
    /// For each resolved entity, the resolved places of the posts it holds in any document.
    posts: Vec<BTreeSet<usize>>,
}

impl CorpusKnowledge {
    /// Resolves `extractions` (no curation) and gathers the posts each entity holds.
    pub fn new(extractions: &[Extraction]) -> Self {
        let resolution = resolve(extractions, &Curation::default());
        let mut posts = vec![BTreeSet::new(); resolution.entities.len()];
        for (extraction, links) in extractions.iter().zip(&resolution.links) {
            for claim in extraction
                .claims
                .iter()
                .filter(|c| c.predicate == Predicate::Holds)
            {
                let ClaimValue::Post {
                    within: Some(within),
                    ..
                } = &claim.value
                else {
                    continue;
                };
                if let (Some(&holder), Some(&place)) =
                    (links.get(&claim.subject), links.get(within))
                {
                    posts[holder].insert(place);
                }
            }
        }
        Self { resolution, posts }
    }

    /// The resolved entity a document's local entity went to.
    fn resolved(&self, document: usize, local: &str) -> Option<usize> {
        self.resolution.links.get(document)?.get(local).copied()
    }

    /// Whether a document's local entity is, across the corpus, an official.
    fn is_official(&self, document: usize, local: &str) -> bool {
        self.resolved(document, local)
            .is_some_and(|index| self.resolution.entities[index].class == EntityClass::Official)
    }

    /// The folded label and aliases of a resolved entity.
    fn forms(&self, index: usize) -> BTreeSet<String> {
        let entity = &self.resolution.entities[index];
        forms(&entity.label, &entity.aliases)
    }
}

/// A named thing of a gold file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldName {
    /// Canonical name.
    pub name: String,
    /// Other names that count as a match.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A role of a gold official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldRole {
    /// The title.
    pub title: String,
    /// The organisation or country the post is in ("" if unknown).
    #[serde(default)]
    pub of: String,
}

/// A gold official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldOfficial {
    /// Canonical name.
    pub name: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Posts held.
    #[serde(default)]
    pub roles: Vec<GoldRole>,
}

/// A gold agreement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GoldAgreement {
    /// A free label.
    #[serde(default)]
    pub label: String,
    /// Canonical names of the parties.
    pub parties: Vec<String>,
    /// Latest reported status.
    #[serde(default)]
    pub status: String,
    /// Stated attributes (subject, capacity, duration, money, year, place, sender, host).
    #[serde(default)]
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// The gold annotation of one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    /// Countries named directly.
    pub countries: Vec<GoldName>,
    /// Countries named only through a demonym (ignored in scoring).
    #[serde(default)]
    pub countries_by_demonym_only: Vec<GoldName>,
    /// Officials.
    pub officials: Vec<GoldOfficial>,
    /// Organisations.
    pub organisations: Vec<GoldName>,
    /// Agreements.
    pub agreements: Vec<GoldAgreement>,
}

/// Why gold could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A gold file cannot be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A gold file is not valid gold JSON.
    #[error("{path}:{line}:{column}: invalid gold file: {message}")]
    Json {
        /// The file.
        path: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// The parser's message.
        message: String,
    },
}

/// The scored types, in report order.
pub const TYPES: [&str; 5] = [
    "countries",
    "officials",
    "organisations",
    "agreements",
    "roles",
];

/// One gold item the extractor missed or one predicted item the gold does not hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discrepancy {
    /// The document's id.
    pub document: String,
    /// The scored type (see [`TYPES`]).
    pub kind: &'static str,
    /// True for a missed gold item, false for a spurious prediction.
    pub missed: bool,
    /// The item: a name, the parties of an agreement, or "official → place".
    pub item: String,
}

impl fmt::Display for Discrepancy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.missed { "missed  " } else { "spurious" };
        write!(
            f,
            "{}: {sign} {:<13} {}",
            self.document, self.kind, self.item
        )
    }
}

/// The score of one document: counts per type and the items behind the errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentScore {
    /// Counts per type, in [`TYPES`] order.
    pub counts: Vec<(&'static str, Counts)>,
    /// Missed and spurious items.
    pub discrepancies: Vec<Discrepancy>,
}

/// Counts per type, summed over documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Counts per type name (see [`TYPES`]).
    pub per_type: BTreeMap<&'static str, Counts>,
    /// Documents scored.
    pub documents: usize,
    /// Documents without a gold file.
    pub without_gold: Vec<String>,
    /// Missed and spurious items of every document, in document order.
    pub discrepancies: Vec<Discrepancy>,
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} documents scored", self.documents)?;
        writeln!(f, "type           precision  recall      F1   gold  found")?;
        for name in TYPES {
            let counts = self.per_type.get(name).copied().unwrap_or_default();
            writeln!(
                f,
                "{name:<14} {:>9.4} {:>7.4} {:>7.4} {:>6} {:>6}",
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.gold,
                counts.predicted
            )?;
        }
        for missing in &self.without_gold {
            writeln!(f, "no gold for {missing}")?;
        }
        Ok(())
    }
}

/// Reads the gold file of a document, named after the document's file stem, from `folder`.
pub fn gold_for(folder: &Path, document_id: &str) -> Result<Option<Gold>, EvalError> {
    let stem = Path::new(document_id)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = folder.join(format!("{stem}.json"));
    if !path.is_file() {
        return Ok(None);
    }
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| EvalError::Io {
        path: shown.clone(),
        source,
    })?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|error| EvalError::Json {
            path: shown,
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })
}

/// Scores extractions against the gold files in `folder`, each document as `scope` says.
pub fn evaluate(
    extractions: &[Extraction],
    folder: &Path,
    scope: Scope,
) -> Result<Evaluation, EvalError> {
    let knowledge = (scope == Scope::Corpus).then(|| CorpusKnowledge::new(extractions));
    let mut evaluation = Evaluation::default();
    for (position, extraction) in extractions.iter().enumerate() {
        let Some(gold) = gold_for(folder, &extraction.document.id)? else {
            evaluation.without_gold.push(extraction.document.id.clone());
            continue;
        };
        evaluation.documents += 1;
        let context = knowledge.as_ref().map(|k| (k, position));
        let score = score_document(extraction, &gold, context);
        evaluation.discrepancies.extend(score.discrepancies);
        for (name, counts) in score.counts {
            let total = evaluation.per_type.entry(name).or_default();
            total.true_positives += counts.true_positives;
            total.predicted += counts.predicted;
            total.gold += counts.gold;
        }
    }
    Ok(evaluation)
}

/// Case-folded, accent-free, dot-free form of a name without a leading "the".
pub fn normalise(name: &str) -> String {
    let folded: String = name.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let lower = folded.to_lowercase().replace('’', "'").replace('.', "");
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .strip_prefix("the ")
        .map(str::to_string)
        .unwrap_or(collapsed)
}

fn forms<'a>(name: &'a str, aliases: &'a [String]) -> BTreeSet<String> {
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .map(normalise)
        .filter(|f| !f.is_empty())
        .collect()
}

/// The forms of each gold name.
fn gold_forms(names: &[GoldName]) -> Vec<BTreeSet<String>> {
    names.iter().map(|n| forms(&n.name, &n.aliases)).collect()
}

/// The forms of the gold country or organisation a name refers to (the name alone if none).
fn forms_of_named(gold: &Gold, name: &str) -> BTreeSet<String> {
    let key = normalise(name);
    gold.countries
        .iter()
        .chain(&gold.countries_by_demonym_only)
        .chain(&gold.organisations)
        .map(|g| forms(&g.name, &g.aliases))
        .find(|f| f.contains(&key))
        .unwrap_or_else(|| BTreeSet::from([key]))
}

/// Greedy one-to-one matching of predicted to gold entities that share a form.
fn match_count(
    predicted: &[BTreeSet<String>],
    gold: &[BTreeSet<String>],
) -> (usize, Vec<Option<usize>>) {
    let mut used = vec![false; gold.len()];
    let mut assignment = Vec::with_capacity(predicted.len());
    let mut matched = 0;
    for forms in predicted {
        let found = gold
            .iter()
            .enumerate()
            .position(|(index, gold_forms)| !used[index] && !forms.is_disjoint(gold_forms));
        if let Some(index) = found {
            used[index] = true;
            matched += 1;
        }
        assignment.push(found);
    }
    (matched, assignment)
}

/// The indices of gold items no prediction was assigned to.
fn unmatched(assignment: &[Option<usize>], gold_len: usize) -> impl Iterator<Item = usize> + '_ {
    (0..gold_len).filter(move |index| !assignment.contains(&Some(*index)))
}

fn counts(true_positives: usize, predicted: usize, gold: usize) -> Counts {
    Counts {
        true_positives,
        predicted,
        gold,
    }
}

/// The counts of one document per type, with the items behind the errors; `corpus`, when given, is
/// what the corpus knows and the document's position among the extractions it was built from.
pub fn score_document(
    extraction: &Extraction,
    gold: &Gold,
    corpus: Option<(&CorpusKnowledge, usize)>,
) -> DocumentScore {
    let resolved =
        |id: &str| corpus.and_then(|(knowledge, document)| knowledge.resolved(document, id));
    let surface = |id: &str, kinds: &[MentionKind]| -> Vec<String> {
        extraction
            .mentions
            .iter()
            .filter(|m| m.entity == id && kinds.contains(&m.kind))
            .map(|m| m.text.clone())
            .collect()
    };
    let entity_forms = |id: &str| -> BTreeSet<String> {
        let record = extraction.entities.iter().find(|e| e.id == id);
        let mut names: Vec<String> = surface(
            id,
            &[
                MentionKind::Name,
                MentionKind::Acronym,
                MentionKind::PartialName,
            ],
        );
        if let Some(record) = record {
            names.push(record.name.clone());
            names.extend(record.aliases.iter().cloned());
        }
        names
            .iter()
            .map(|n| normalise(n))
            .filter(|n| !n.is_empty())
            .collect()
    };
    let entity_name = |id: &str| -> String {
        extraction
            .entities
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let of_class =
        |class: EntityClass| extraction.entities.iter().filter(move |e| e.class == class);
    let mut discrepancies = Vec::new();
    let mut note = |kind: &'static str, missed: bool, item: String| {
        discrepancies.push(Discrepancy {
            document: extraction.document.id.clone(),
            kind,
            missed,
            item,
        });
    };

    // Countries: those named directly; a demonym-only gold country absorbs a prediction of it.
    let country_ids: Vec<&str> = of_class(EntityClass::Country)
        .filter(|e| !surface(&e.id, &[MentionKind::Name]).is_empty())
        .map(|e| e.id.as_str())
        .collect();
    let predicted_countries: Vec<BTreeSet<String>> =
        country_ids.iter().map(|id| entity_forms(id)).collect();
    let gold_countries = gold_forms(&gold.countries);
    let demonym_only = gold_forms(&gold.countries_by_demonym_only);
    let (country_hits, country_assignment) = match_count(&predicted_countries, &gold_countries);
    let mut ignored = 0;
    for ((id, forms), assigned) in country_ids
        .iter()
        .zip(&predicted_countries)
        .zip(&country_assignment)
    {
        if assigned.is_some() {
            continue;
        }
        if demonym_only.iter().any(|d| !d.is_disjoint(forms)) {
            ignored += 1;
        } else {
            note("countries", false, entity_name(id));
        }
    }
    for index in unmatched(&country_assignment, gold_countries.len()) {
        note("countries", true, gold.countries[index].name.clone());
    }

    // Officials: those the document gives an office, and people the corpus gives one.
    let official_ids: Vec<&str> = extraction
        .entities
        .iter()
        .filter(|e| {
            e.class == EntityClass::Official
                || (e.class == EntityClass::Person
                    && corpus.is_some_and(|(knowledge, document)| {
                        knowledge.is_official(document, &e.id)
                    }))
        })
        .map(|e| e.id.as_str())
        .collect();
    let predicted_officials: Vec<BTreeSet<String>> =
        official_ids.iter().map(|id| entity_forms(id)).collect();
    let gold_officials: Vec<BTreeSet<String>> = gold
        .officials
        .iter()
        .map(|o| forms(&o.name, &o.aliases))
        .collect();
    let (official_hits, official_assignment) = match_count(&predicted_officials, &gold_officials);
    for (id, assigned) in official_ids.iter().zip(&official_assignment) {
        if assigned.is_none() {
            note("officials", false, entity_name(id));
        }
    }
    for index in unmatched(&official_assignment, gold_officials.len()) {
        note("officials", true, gold.officials[index].name.clone());
    }

    let organisation_ids: Vec<&str> = of_class(EntityClass::Organisation)
        .map(|e| e.id.as_str())
        .collect();
    let predicted_organisations: Vec<BTreeSet<String>> =
        organisation_ids.iter().map(|id| entity_forms(id)).collect();
    let gold_organisations = gold_forms(&gold.organisations);
    let (organisation_hits, organisation_assignment) =
        match_count(&predicted_organisations, &gold_organisations);
    for (id, assigned) in organisation_ids.iter().zip(&organisation_assignment) {
        if assigned.is_none() {
            note("organisations", false, entity_name(id));
        }
    }
    for index in unmatched(&organisation_assignment, gold_organisations.len()) {
        note(
            "organisations",
            true,
            gold.organisations[index].name.clone(),
        );
    }

    // Agreements by their set of parties, each party compared through all its forms.
    let agreement_parties: Vec<BTreeSet<&str>> = of_class(EntityClass::Agreement)
        .map(|agreement| {
            extraction
                .claims
                .iter()
                .filter(|c| c.subject == agreement.id && c.predicate == Predicate::Party)
                .filter_map(|c| match &c.value {
                    ClaimValue::Entity(id) => Some(id.as_str()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let predicted_agreements: Vec<Vec<BTreeSet<String>>> = agreement_parties
        .iter()
        .map(|parties| parties.iter().map(|id| entity_forms(id)).collect())
        .collect();
    let gold_agreements: Vec<Vec<BTreeSet<String>>> = gold
        .agreements
        .iter()
        .map(|a| a.parties.iter().map(|p| forms_of_named(gold, p)).collect())
        .collect();
    let same_parties = |predicted: &Vec<BTreeSet<String>>, gold: &Vec<BTreeSet<String>>| {
        predicted.len() == gold.len()
            && predicted
                .iter()
                .all(|p| gold.iter().any(|g| !g.is_disjoint(p)))
            && gold
                .iter()
                .all(|g| predicted.iter().any(|p| !g.is_disjoint(p)))
    };
    let mut agreement_assignment = Vec::with_capacity(predicted_agreements.len());
    for (predicted, parties) in predicted_agreements.iter().zip(&agreement_parties) {
        let found = (0..gold_agreements.len()).find(|&i| {
            !agreement_assignment.contains(&Some(i)) && same_parties(predicted, &gold_agreements[i])
        });
        if found.is_none() {
            let names: Vec<String> = parties.iter().map(|id| entity_name(id)).collect();
            note("agreements", false, names.join(" + "));
        }
        agreement_assignment.push(found);
    }
    let agreement_hits = agreement_assignment.iter().flatten().count();
    for index in unmatched(&agreement_assignment, gold_agreements.len()) {
        note(
            "agreements",
            true,
            gold.agreements[index].parties.join(" + "),
        );
    }

    // Roles: (official, place) pairs, the official matched as above; a place is told apart by its
    // resolved entity where the corpus is known, so a post stated here and elsewhere counts once.
    let mut roles_found: BTreeMap<(usize, String), (BTreeSet<String>, String)> = BTreeMap::new();
    for (position, id) in official_ids.iter().enumerate() {
        for claim in extraction
            .claims
            .iter()
            .filter(|c| c.subject == *id && c.predicate == Predicate::Holds)
        {
            if let ClaimValue::Post {
                within: Some(within),
                ..
            } = &claim.value
            {
                let place = resolved(within).map_or_else(|| within.clone(), |i| i.to_string());
                roles_found.entry((position, place)).or_insert_with(|| {
                    (
                        entity_forms(within),
                        format!("{} → {}", entity_name(id), entity_name(within)),
                    )
                });
            }
        }
        let Some(((knowledge, _), holder)) = corpus.zip(resolved(id)) else {
            continue;
        };
        for &place in &knowledge.posts[holder] {
            roles_found
                .entry((position, place.to_string()))
                .or_insert_with(|| {
                    let label = &knowledge.resolution.entities[place].label;
                    (
                        knowledge.forms(place),
                        format!("{} → {label}", entity_name(id)),
                    )
                });
        }
    }
    let predicted_roles: Vec<(Option<usize>, BTreeSet<String>, String)> = roles_found
        .into_iter()
        .map(|((position, _), (forms, shown))| (official_assignment[position], forms, shown))
        .collect();
    let gold_roles: Vec<(usize, BTreeSet<String>, String)> = gold
        .officials
        .iter()
        .enumerate()
        .flat_map(|(index, official)| {
            official
                .roles
                .iter()
                .filter(|r| !r.of.trim().is_empty())
                .map(move |role| {
                    let place = forms_of_named(gold, &role.of);
                    (index, place, format!("{} → {}", official.name, role.of))
                })
        })
        .collect();
    let mut role_assignment = Vec::with_capacity(predicted_roles.len());
    for (official, place, shown) in &predicted_roles {
        let found = official.and_then(|official| {
            (0..gold_roles.len()).find(|&i| {
                !role_assignment.contains(&Some(i))
                    && gold_roles[i].0 == official
                    && !gold_roles[i].1.is_disjoint(place)
            })
        });
        if found.is_none() {
            note("roles", false, shown.clone());
        }
        role_assignment.push(found);
    }
    let role_hits = role_assignment.iter().flatten().count();
    for index in unmatched(&role_assignment, gold_roles.len()) {
        note("roles", true, gold_roles[index].2.clone());
    }

    DocumentScore {
        counts: vec![
            (
                "countries",
                counts(
                    country_hits,
                    predicted_countries.len() - ignored,
                    gold_countries.len(),
                ),
            ),
            (
                "officials",
                counts(
                    official_hits,
                    predicted_officials.len(),
                    gold_officials.len(),
                ),
            ),
            (
                "organisations",
                counts(
                    organisation_hits,
                    predicted_organisations.len(),
                    gold_organisations.len(),
                ),
            ),
            (
                "agreements",
                counts(
                    agreement_hits,
                    predicted_agreements.len(),
                    gold_agreements.len(),
                ),
            ),
            (
                "roles",
                counts(role_hits, predicted_roles.len(), gold_roles.len()),
            ),
        ],
        discrepancies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_after_folding() {
        assert_eq!(normalise("The U.S. "), "us");
        assert_eq!(normalise("Zoë  Ångström"), "zoe angstrom");
        assert_eq!(normalise("Kosovo’s government"), "kosovo's government");
    }
}
