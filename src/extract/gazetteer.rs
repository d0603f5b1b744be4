//! Matchers built once from the reference data: countries, organisations, titles, triggers.
//!
//! Countries and organisations are matched case-sensitively as whole words (leftmost-longest, so
//! "American Samoa" wins over "American"); titles and agreement triggers case-insensitively. A surface
//! form shared by several countries is kept only where it is one country's own name.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, Match, MatchKind, StartKind,
};
use foldhash::HashMap;
use regex::Regex;

use super::attributes::AttributeRules;
use super::draft::Draft;
use super::model::{EntityClass, MentionKind, OrganisationKind};
use super::names::NamedSpan;
use super::reference::{CountryEntry, Reference, TitleEntry, TriggerForm};
use super::{ExtractError, Found};
use crate::ner::EntityType;
use crate::text::{is_whole_word, tail, word_starts_among};

/// The geographic word and "of" of a place named after a country ("Gulf of", "Bay of the").
static PLACE_OF_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:Gulf|Sea|Bay|Strait|Straits|Cape|Isle|Lake|Mount|River|Horn) of (?:the )?$",
    )
    .expect("valid regex")
});
/// What a country surface form names.
#[derive(Debug, Clone)]
struct CountryForm {
    country: usize,
    kind: MentionKind,
}

/// What an organisation surface form names.
#[derive(Debug, Clone)]
pub(crate) struct OrganisationForm {
    pub organisation: usize,
    pub kind: MentionKind,
}

/// The compiled matchers.
#[derive(Debug)]
pub(crate) struct Gazetteers {
    pub countries: Vec<CountryEntry>,
    /// The index in `countries` of each country's code.
    country_by_code: HashMap<String, usize>,
    country_matcher: WordMatcher,
    country_forms: Vec<CountryForm>,
    /// Currency forms that open with letters and go on with a symbol ("US$", "HK$"): their letters
    /// name a currency, not a country.
    lettered_currency_forms: Vec<String>,
    pub organisation_matcher: WordMatcher,
    pub organisation_forms: Vec<OrganisationForm>,
    pub titles: Vec<TitleEntry>,
    pub title_matcher: AhoCorasick,
    pub trigger_matcher: AhoCorasick,
    pub trigger_forms: Vec<TriggerForm>,
    pub attributes: AttributeRules,
    pub heads: HashMap<String, Option<OrganisationKind>>,
}

/// A leftmost-longest matcher of `patterns` that can also search anchored at a text's start; a
/// DFA, built once and searched on every sentence (the fastest of aho-corasick's automata to search).
fn matcher(
    what: &'static str,
    patterns: &[String],
    case_insensitive: bool,
) -> Result<AhoCorasick, ExtractError> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Both)
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(case_insensitive)
        .build(patterns)
        .map_err(|error| ExtractError::Matcher {
            what,
            message: error.to_string(),
        })
}

/// A case-sensitive gazetteer searched for whole words only: anchored at each place where a word
/// starts with the first byte of one of its names, so the automaton reads a few bytes a word
/// instead of every byte of the text.
#[derive(Debug)]
pub(crate) struct WordMatcher {
    automaton: AhoCorasick,
    /// Whether some name starts with each byte.
    first_bytes: [bool; 256],
}

impl WordMatcher {
    fn new(what: &'static str, patterns: &[String]) -> Result<Self, ExtractError> {
        let mut first_bytes = [false; 256];
        for pattern in patterns {
            if let Some(&byte) = pattern.as_bytes().first() {
                first_bytes[usize::from(byte)] = true;
            }
        }
        Ok(Self {
            automaton: matcher(what, patterns, false)?,
            first_bytes,
        })
    }

    /// The names in `text` that are whole words, in text order and not overlapping: at each place
    /// a word starts, the longest name there, if it ends a word.
    pub fn find_iter<'m, 't>(&'m self, text: &'t str) -> impl Iterator<Item = Match> + use<'m, 't> {
        let mut starts = word_starts_among(text, &self.first_bytes);
        let mut taken_until = 0;
        std::iter::from_fn(move || {
            for start in starts.by_ref() {
                if start < taken_until {
                    continue;
                }
                let input = Input::new(text)
                    .span(start..text.len())
                    .anchored(Anchored::Yes);
                let Some(hit) = self.automaton.find(input) else {
                    continue;
                };
                if is_whole_word(text, hit.start(), hit.end()) {
                    taken_until = hit.end();
                    return Some(hit);
                }
            }
            None
        })
    }
}

/// Whether an all-capital abbreviation ("UAE", "U.S.") is made of the initials of one of the
/// country's names, ignoring small words: such abbreviations are real, others (bare ISO codes such
/// as "DNK") are not written in news and are dropped.
fn is_initialism_of(abbreviation: &str, country: &CountryEntry) -> bool {
    let letters: String = abbreviation.chars().filter(|c| c.is_alphabetic()).collect();
    std::iter::once(&country.name)
        .chain(country.aliases.iter())
        .any(|name| {
            let initials: String = name
                .split(|c: char| c.is_whitespace() || c == '-')
                .filter(|word| !matches!(*word, "of" | "the" | "and" | "The") && !word.is_empty())
                .filter_map(|word| word.chars().next())
                .filter(|c| c.is_uppercase())
                .collect();
            initials.len() > 1 && initials == letters
        })
}

fn is_abbreviation(form: &str) -> bool {
    let letters = form.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 4 && form.chars().all(|c| c.is_uppercase() || c == '.')
}

impl Gazetteers {
    pub fn new(reference: &Reference) -> Result<Self, ExtractError> {
        let mut surfaces: BTreeMap<String, Vec<(usize, MentionKind, bool)>> = BTreeMap::new();
        for (index, country) in reference.countries.iter().enumerate() {
            surfaces.entry(country.name.clone()).or_default().push((
                index,
                MentionKind::Name,
                true,
            ));
            for alias in &country.aliases {
                if is_abbreviation(alias) && !is_initialism_of(alias, country) {
                    continue;
                }
                surfaces
                    .entry(alias.clone())
                    .or_default()
                    .push((index, MentionKind::Name, false));
            }
            for demonym in &country.demonyms {
                surfaces.entry(demonym.clone()).or_default().push((
                    index,
                    MentionKind::Demonym,
                    false,
                ));
            }
        }
        let mut country_patterns = Vec::new();
        let mut country_forms = Vec::new();
        for (surface, mut owners) in surfaces {
            owners.sort_by_key(|&(index, _, is_name)| (!is_name, index));
            owners.dedup_by_key(|(index, _, _)| *index);
            let chosen = match owners.as_slice() {
                [only] => Some(only),
                [first, second, ..] if first.2 && !second.2 => Some(first),
                _ => None,
            };
            if let Some(&(country, kind, _)) = chosen {
                country_patterns.push(surface);
                country_forms.push(CountryForm { country, kind });
            }
        }
        let mut organisation_patterns = Vec::new();
        let mut organisation_forms = Vec::new();
        for (index, organisation) in reference.organisations.iter().enumerate() {
            let mut add = |surface: &str, kind| {
                if !organisation_patterns.iter().any(|p| p == surface) {
                    organisation_patterns.push(surface.to_string());
                    organisation_forms.push(OrganisationForm {
                        organisation: index,
                        kind,
                    });
                }
            };
            add(&organisation.name, MentionKind::Name);
            for alias in &organisation.aliases {
                add(alias, MentionKind::Name);
            }
            if let Some(acronym) = &organisation.acronym {
                add(acronym, MentionKind::Acronym);
            }
        }
        let title_patterns: Vec<String> =
            reference.titles.iter().map(|t| t.title.clone()).collect();
        Ok(Self {
            countries: reference.countries.clone(),
            country_by_code: reference
                .countries
                .iter()
                .enumerate()
                .map(|(index, country)| (country.code.clone(), index))
                .collect(),
            country_matcher: WordMatcher::new("country", &country_patterns)?,
            country_forms,
            lettered_currency_forms: reference
                .currency_forms
                .iter()
                .map(|(form, _)| form)
                .filter(|form| {
                    form.starts_with(char::is_alphabetic)
                        && form.contains(|c: char| !c.is_alphabetic() && !c.is_whitespace())
                })
                .cloned()
                .collect(),
            organisation_matcher: WordMatcher::new("organisation", &organisation_patterns)?,
            organisation_forms,
            titles: reference.titles.clone(),
            title_matcher: matcher("title", &title_patterns, true)?,
            trigger_matcher: matcher(
                "agreement trigger",
                &reference
                    .agreement_triggers
                    .iter()
                    .map(|t| t.trigger.clone())
                    .collect::<Vec<_>>(),
                true,
            )?,
            trigger_forms: reference
                .agreement_triggers
                .iter()
                .map(|t| t.form)
                .collect(),
            attributes: AttributeRules::new(&reference.currency_forms, &reference.status_phrases)
                .map_err(|error| ExtractError::Matcher {
                what: "status phrases",
                message: error.to_string(),
            })?,
            heads: reference.organisation_heads.iter().cloned().collect(),
        })
    }

    /// Whether `text` opens with a title as whole words ("Press Secretary …").
    pub fn title_at_start(&self, text: &str) -> bool {
        self.title_matcher
            .find(Input::new(text).anchored(Anchored::Yes))
            .is_some_and(|hit| is_whole_word(text, 0, hit.end()))
    }

    /// The country with this ISO code.
    pub fn country_with_code(&self, code: &str) -> Option<(usize, &CountryEntry)> {
        let index = *self.country_by_code.get(code)?;
        Some((index, &self.countries[index]))
    }

    /// The local entity of country `index`, created with its codes if new.
    pub fn country_entity(&self, draft: &mut Draft<'_>, index: usize) -> String {
        let country = &self.countries[index];
        let id = draft.entity(EntityClass::Country, &country.code, &country.name);
        if let Some(record) = draft.record_mut(&id) {
            record.code = Some(country.code.clone());
            record.alpha3 = Some(country.alpha3.clone());
        }
        id
    }

    /// Whether the letters at `start..end` open a currency's form ("US" in "US$48 million").
    fn opens_currency(&self, text: &str, start: usize, end: usize) -> bool {
        let rest = &text[start..];
        self.lettered_currency_forms
            .iter()
            .any(|form| form.len() > end - start && rest.starts_with(form.as_str()))
    }

    /// Finds and records every country mention.
    pub fn find_countries(&self, draft: &mut Draft<'_>, names: &[NamedSpan]) -> Vec<Found> {
        let mut found = Vec::new();
        let text = draft.text;
        for hit in self.country_matcher.find_iter(text) {
            // A country's name inside a longer place name ("South China Sea", "Gulf of Guinea") is
            // not the country.
            // The recogniser's names are in text order and do not overlap: only the last one
            // starting at or before the hit can hold it.
            let before = names.partition_point(|n| n.start <= hit.start());
            let inside_place = before.checked_sub(1).is_some_and(|index| {
                let n = &names[index];
                n.kind == EntityType::Loc
                    && hit.end() <= n.end
                    && n.end - n.start > hit.end() - hit.start()
            });
            if inside_place
                || PLACE_OF_BEFORE.is_match(tail(text, hit.start(), 40))
                || self.opens_currency(text, hit.start(), hit.end())
            {
                continue;
            }
            let form = &self.country_forms[hit.pattern().as_usize()];
            let id = self.country_entity(draft, form.country);
            if draft.mention(&id, form.kind, hit.start(), hit.end()) {
                found.push(Found {
                    entity: id,
                    start: hit.start(),
                    end: hit.end(),
                    country_code: Some(self.countries[form.country].code.clone()),
                });
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_initialisms_and_drops_bare_codes() {
        let reference = Reference::embedded().expect("reference");
        let us = reference
            .countries
            .iter()
            .find(|c| c.code == "US")
            .expect("US");
        assert!(is_initialism_of("U.S.", us));
        assert!(is_initialism_of("USA", us));
        let dk = reference
            .countries
            .iter()
            .find(|c| c.code == "DK")
            .expect("DK");
        assert!(!is_initialism_of("DNK", dk));
    }
}
