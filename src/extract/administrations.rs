//! Administrations named after people ("the Harris administration", "the Meloni government"): who heads them, which country they govern, and "his administration" as a mention
//! of one. Takes the organisations already found and the recogniser's names; gives the people side
//! (the word that names a head, the spans that name the administration) and, once people are
//! recorded, ties each administration to the country its head's office is in, so that it can be a
//! party to an agreement. Knows no particular person.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use foldhash::{HashMap, HashMapExt, HashSet};
use regex::Regex;

use super::draft::Draft;
use super::model::{ClaimValue, EntityClass, MentionKind, OrganisationKind, Predicate};
use super::names::NamedSpan;
use super::organisations::key_of;
use super::Found;
use crate::ner::EntityType;
use crate::text::last_word;

/// "his administration", "her government".
static POSSESSIVE_ADMINISTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Hh](?:is|er)\s+(?:administration|government)(?-u:\b)")
        .expect("valid regex")
});

/// The title given to the head of an administration whose office the text does not name.
pub(crate) const HEAD_TITLE: &str = "Head of Government";

/// An organisation named after a person: the word naming the person and the spans naming it.
#[derive(Debug, Clone)]
pub(crate) struct Administration {
    /// The person's name as written ("Harris").
    pub word: String,
    /// The organisation's local entity id.
    pub entity: String,
    /// Byte ranges of the person's word in the organisation's mentions.
    pub word_spans: Vec<(usize, usize)>,
    /// Whether the name says "administration" (always a person) rather than "government" (a person
    /// only where the recogniser calls the word a person's name).
    pub is_administration: bool,
}

/// The word before " administration" or " government" in an organisation's label, when the label is
/// exactly two words and the word is no country's.
fn named_word(label: &str) -> Option<(&str, bool)> {
    let (word, noun) = label.split_once(' ')?;
    match noun {
        "administration" => Some((word, true)),
        "government" => Some((word, false)),
        _ => None,
    }
}

/// The administrations among the organisations found, with where their person's word stands.
pub(crate) fn named(organisations: &[Found], draft: &Draft<'_>) -> Vec<Administration> {
    let mut administrations: Vec<Administration> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for found in organisations.iter().filter(|f| f.country_code.is_none()) {
        let Some(record) = draft.record(&found.entity) else {
            continue;
        };
        let Some((word, is_administration)) = named_word(&record.name) else {
            continue;
        };
        let written = &draft.text[found.start..found.end];
        if !written.starts_with(word) {
            continue;
        }
        let span = (found.start, found.start + word.len());
        match index_of.get(&found.entity) {
            Some(&index) => administrations[index].word_spans.push(span),
            None => {
                index_of.insert(found.entity.clone(), administrations.len());
                administrations.push(Administration {
                    word: word.to_string(),
                    entity: found.entity.clone(),
                    word_spans: vec![span],
                    is_administration,
                });
            }
        }
    }
    administrations
}

/// The people who head administrations: each administration's word (for "government", only where the
/// recogniser tags that word as a person somewhere). Gives the word and the byte range that names
/// it. (An era named after someone, "Harris-era", is left alone: the recogniser cannot tell a
/// person's era from a virus's or a state's.)
pub(crate) fn heads(
    administrations: &[Administration],
    names: &[NamedSpan],
    text: &str,
) -> Vec<(String, (usize, usize))> {
    let words_of_people: HashSet<&str> = names
        .iter()
        .filter(|n| n.kind == EntityType::Per)
        .flat_map(|n| text[n.start..n.end].split_whitespace())
        .collect();
    let mut heads: Vec<(String, (usize, usize))> = Vec::new();
    for administration in administrations {
        let person = administration.is_administration
            || words_of_people.contains(administration.word.as_str());
        if let (true, Some(&span)) = (person, administration.word_spans.first()) {
            heads.push((administration.word.clone(), span));
        }
    }
    heads
}

/// "his administration" after a sentence naming an official: a mention of the administration named
/// after that official (made if the text has not named it; "her government" only refers to one
/// the text has named, as a minister's government is their country's). Looks back over the same
/// and the previous sentence for the nearest official. Gives the mentions made.
pub(crate) fn possessive_mentions(draft: &mut Draft<'_>) -> Vec<Found> {
    let text = draft.text;
    let officials = draft.mention_spans(&[EntityClass::Official]);
    let mut made = Vec::new();
    for whole in POSSESSIVE_ADMINISTRATION.find_iter(text) {
        // "His" or "her", then the noun after white space.
        let noun = last_word(whole.as_str());
        let Some((sentence, ..)) = draft.sentence_of_bytes(whole.start(), whole.end()) else {
            continue;
        };
        let before = officials.partition_point(|(_, start, _)| *start < whole.start());
        let nearest = officials[..before]
            .iter()
            .rev()
            .map(|official| {
                let index = draft.sentence_of_bytes(official.1, official.2);
                (official, index.map_or(0, |(index, ..)| index))
            })
            .take_while(|(_, index)| index + 1 >= sentence)
            .find(|((_, _, end), _)| *end <= whole.start())
            .map(|(official, _)| official);
        let Some((person, ..)) = nearest else {
            continue;
        };
        let Some(surname) = draft
            .record(person)
            .and_then(|r| r.name.split_whitespace().last())
            .map(str::to_string)
        else {
            continue;
        };
        let label = format!("{surname} {noun}");
        let known = draft.entity_id(EntityClass::Organisation, &key_of(&label));
        if known.is_none() && noun != "administration" {
            continue;
        }
        let id = draft.entity(EntityClass::Organisation, &key_of(&label), &label);
        draft.add_kind(&id, OrganisationKind::GovernmentBody);
        if draft.mention(&id, MentionKind::Reference, whole.start(), whole.end()) {
            made.push(Found {
                entity: id,
                start: whole.start(),
                end: whole.end(),
                country_code: None,
            });
        }
    }
    made
}

/// Gives each administration named after a person the country code of the country in which that
/// person (matched by surname) holds an office, when the document places all their offices in one.
pub(crate) fn tie_to_countries(
    organisations: &mut [Found],
    countries: &[Found],
    draft: &Draft<'_>,
) {
    let codes: HashMap<&str, &String> = countries
        .iter()
        .filter_map(|c| Some((c.entity.as_str(), c.country_code.as_ref()?)))
        .collect();
    let code_of = |entity: &str| codes.get(entity).map(|code| (*code).clone());
    let mut offices: BTreeSet<(String, String)> = BTreeSet::new();
    for claim in draft.claims_of(Predicate::Holds) {
        let ClaimValue::Post {
            within: Some(within),
            ..
        } = &claim.value
        else {
            continue;
        };
        let (Some(code), Some(surname)) = (
            code_of(within),
            draft
                .record(&claim.subject)
                .and_then(|r| r.name.split_whitespace().last()),
        ) else {
            continue;
        };
        offices.insert((surname.to_string(), code));
    }
    for found in organisations
        .iter_mut()
        .filter(|f| f.country_code.is_none())
    {
        let Some((word, _)) = draft
            .record(&found.entity)
            .and_then(|r| named_word(&r.name))
        else {
            continue;
        };
        let from = (word.to_string(), String::new());
        let mut codes = offices
            .range(from..)
            .take_while(|(surname, _)| surname == word);
        if let (Some((_, code)), None) = (codes.next(), codes.next()) {
            found.country_code = Some(code.clone());
        }
    }
}
