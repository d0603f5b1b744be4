//! Organisations: the gazetteer of well-known bodies, names ending in a head word ("State
//! Department", "Human Rights Watch") or opening with one ("Ministry of Justice"), acronym
//! definitions ("Full Name (FN)") and the governments of countries ("Peru's interim government").
//!
//! Gives the organisation mentions it recorded, for the people and agreement passes.

use std::sync::LazyLock;

use regex::Regex;

use super::draft::Draft;
use super::gazetteer::Gazetteers;
use super::model::{EntityClass, MentionKind, OrganisationKind};
use super::names::NamedSpan;
use super::reference::Reference;
use super::tokens::{is_heading, only_spaces_between, tokenise, Token, NOT_NAME_STARTS};
use super::Found;
use crate::ner::EntityType;
use crate::text::is_whole_word;

static GOVERNMENT_AFTER_COUNTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:’s|'s)?\s+(?:(?:acting|interim|caretaker|new|current|previous|former|federal|national|central|coalition|transitional|outgoing|incoming)\s+)?[Gg]overnment\b")
        .expect("valid regex")
});
static GOVERNMENT_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[Gg]overnment\s+of\s+(?:the\s+)?$").expect("valid regex"));
static ADMINISTRATION_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+(?:government|administration)\b").expect("valid regex"));
static ACRONYM_IN_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\(([A-Z][A-Za-z&]{1,9})\)").expect("valid regex"));

const CONNECTORS: &[&str] = &["of", "for", "and", "on", "the", "de", "&"];

/// Finds and records organisation mentions; gives them with the country they belong to, if any.
pub(crate) fn find(
    gazetteers: &Gazetteers,
    reference: &Reference,
    countries: &[Found],
    names: &[NamedSpan],
    draft: &mut Draft<'_>,
) -> Vec<Found> {
    let text = draft.text;
    let mut found = Vec::new();
    // Well-known bodies.
    for hit in gazetteers.organisation_matcher.find_iter(text) {
        if !is_whole_word(text, hit.start(), hit.end()) {
            continue;
        }
        let form = &gazetteers.organisation_forms[hit.pattern().as_usize()];
        let entry = &reference.organisations[form.organisation];
        let id = draft.entity(EntityClass::Organisation, &key_of(&entry.name), &entry.name);
        draft.add_kind(&id, entry.kind);
        if let Some(acronym) = &entry.acronym {
            draft.add_alias(&id, acronym);
        }
        if draft.mention(&id, form.kind, hit.start(), hit.end()) {
            found.push(Found {
                entity: id,
                start: hit.start(),
                end: hit.end(),
                country_code: None,
            });
        }
    }
    // Governments of countries.
    for country in countries {
        let Some(code) = &country.country_code else {
            continue;
        };
        let after = &text[country.end..];
        let span = if let Some(government) = GOVERNMENT_AFTER_COUNTRY.find(after) {
            Some((country.start, country.end + government.end()))
        } else {
            GOVERNMENT_OF
                .find(&text[..country.start])
                .map(|before| (before.start(), country.end))
        };
        if let Some((start, end)) = span {
            let name = gazetteers
                .countries
                .iter()
                .find(|c| &c.code == code)
                .map_or_else(|| code.clone(), |c| format!("Government of {}", c.name));
            let id = draft.entity(EntityClass::Organisation, &key_of(&name), &name);
            draft.add_kind(&id, OrganisationKind::GovernmentBody);
            if draft.mention(&id, MentionKind::Name, start, end) {
                found.push(Found {
                    entity: id,
                    start,
                    end,
                    country_code: Some(code.clone()),
                });
            }
        }
    }
    // Names built around a head word, sentence by sentence.
    for (sentence_start, sentence_end) in draft.sentence_byte_ranges() {
        let sentence = &text[sentence_start..sentence_end];
        let tokens = tokenise(sentence);
        if is_heading(sentence, &tokens) {
            continue;
        }
        let title_starts: Vec<usize> = gazetteers
            .title_matcher
            .find_iter(sentence)
            .map(|hit| hit.start())
            .collect();
        let is_country_at = |token: &Token<'_>| {
            countries
                .iter()
                .any(|c| c.start == sentence_start + token.start)
        };
        let mut index = 0;
        while index < tokens.len() {
            if title_starts.contains(&tokens[index].start) {
                // "Press Secretary": the head word opens a title, not a name.
                index += 1;
                continue;
            }
            let Some(span) = head_word_name(gazetteers, sentence, &tokens, index, &is_country_at)
            else {
                index += 1;
                continue;
            };
            let (first, last) = span;
            let start = sentence_start + tokens[first].start;
            let end = sentence_start + tokens[last].start + tokens[last].without_possessive().len();
            index = last + 1;
            if found.iter().any(|f| f.start <= start && end <= f.end) {
                continue;
            }
            let name = text[start..end].to_string();
            let opens = gazetteers.heads.contains_key(tokens[first].text)
                && last > first
                && tokens[first + 1].text == "of";
            let head = tokens[if opens { first } else { last }].without_possessive();
            let id = draft.entity(EntityClass::Organisation, &key_of(&name), &name);
            if let Some(Some(kind)) = gazetteers.heads.get(head) {
                draft.add_kind(&id, *kind);
            }
            if draft.mention(&id, MentionKind::Name, start, end) {
                found.push(Found {
                    entity: id.clone(),
                    start,
                    end,
                    country_code: None,
                });
            }
            // "Full Name (FN)": the acronym becomes an alias.
            if let Some(acronym) = ACRONYM_IN_BRACKETS.captures(&text[end..]) {
                let letters = &acronym[1];
                if initials_match(letters, &name) {
                    draft.add_alias(&id, letters);
                }
            }
        }
    }
    // Organisations the recogniser found that no rule did; a span that is a country's name stays
    // the country. A name followed by "government" or "administration" ("the Meloni government") is
    // the administration; a name ending in an instrument word ("Refugee Convention") is none.
    for name in names.iter().filter(|n| n.kind == EntityType::Org) {
        let mut end = name.end;
        if let Some(administration) = ADMINISTRATION_AFTER.find(&text[end..]) {
            end += administration.end();
        }
        let overlaps = found.iter().any(|f| f.start < end && name.start < f.end);
        let is_country = countries
            .iter()
            .any(|c| c.start == name.start && c.end == name.end);
        let last_word = text[name.start..name.end]
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        let instrument = reference.instrument_words.iter().any(|w| w == last_word);
        if overlaps || is_country || instrument || is_stray_word(text, name, names, draft) {
            continue;
        }
        let label = text[name.start..end].to_string();
        let id = draft.entity(EntityClass::Organisation, &key_of(&label), &label);
        let head = label.rsplit(' ').next().unwrap_or_default();
        if let Some(Some(kind)) = gazetteers.heads.get(head) {
            draft.add_kind(&id, *kind);
        }
        if end > name.end {
            draft.add_kind(&id, OrganisationKind::GovernmentBody);
        }
        if draft.mention(&id, MentionKind::Name, name.start, end) {
            found.push(Found {
                entity: id,
                start: name.start,
                end,
                country_code: None,
            });
        }
    }
    // Later uses of defined acronyms.
    let acronyms: Vec<(String, String)> = found
        .iter()
        .filter_map(|f| draft.record(&f.entity))
        .flat_map(|record| {
            record
                .aliases
                .iter()
                .filter(|a| a.chars().all(|c| c.is_uppercase() || c == '&'))
                .map(|a| (a.clone(), record.id.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    for (acronym, id) in acronyms {
        for (position, _) in text.match_indices(acronym.as_str()) {
            let end = position + acronym.len();
            if is_whole_word(text, position, end)
                && draft.mention(&id, MentionKind::Acronym, position, end)
            {
                found.push(Found {
                    entity: id.clone(),
                    start: position,
                    end,
                    country_code: None,
                });
            }
        }
    }
    found
}

/// The token range of an organisation name around a head word at `index`, if there is one of at
/// least two words: capitalised words before it ("Human Rights Watch"), or "of ..." after a leading
/// head ("Ministry of Justice", "Department of Homeland Security"). A country's possessive ("Kosovo's")
/// is not part of the name; `is_country_at` tells whether a country mention starts at a token.
fn head_word_name(
    gazetteers: &Gazetteers,
    sentence: &str,
    tokens: &[Token<'_>],
    index: usize,
    is_country_at: &dyn Fn(&Token<'_>) -> bool,
) -> Option<(usize, usize)> {
    let token = &tokens[index];
    if !token.is_capitalised() || !gazetteers.heads.contains_key(token.without_possessive()) {
        return None;
    }
    let connected = |a: usize, b: usize| only_spaces_between(sentence, &tokens[a], &tokens[b]);
    let mut last = index;
    if index + 2 < tokens.len()
        && matches!(tokens[index + 1].text, "of" | "for")
        && connected(index, index + 1)
    {
        let mut probe = index + 2;
        if tokens[probe].text == "the" && probe + 1 < tokens.len() && connected(probe - 1, probe) {
            probe += 1;
        }
        while probe < tokens.len() && connected(probe - 1, probe) {
            let word = &tokens[probe];
            if word.is_capitalised() && !NOT_NAME_STARTS.contains(&word.text) {
                last = probe;
                probe += 1;
                if word.without_possessive() != word.text {
                    break;
                }
            } else if CONNECTORS.contains(&word.text)
                && probe + 1 < tokens.len()
                && tokens[probe + 1].is_capitalised()
                && connected(probe, probe + 1)
            {
                probe += 1;
            } else {
                break;
            }
        }
        // "Ministry of Environment, Forestry and Tourism": a list of capitalised words joined by
        // commas belongs to the name when an "and" closes it.
        let comma_joined = |a: usize, b: usize| sentence[tokens[a].end..tokens[b].start] == *", ";
        let mut probe = last + 1;
        let mut listed = last;
        while probe < tokens.len()
            && comma_joined(probe - 1, probe)
            && tokens[probe].is_capitalised()
        {
            listed = probe;
            while listed + 1 < tokens.len()
                && connected(listed, listed + 1)
                && tokens[listed + 1].is_capitalised()
            {
                listed += 1;
            }
            probe = listed + 1;
        }
        if listed > last
            && probe + 1 < tokens.len()
            && tokens[probe].text == "and"
            && connected(listed, probe)
            && connected(probe, probe + 1)
            && tokens[probe + 1].is_capitalised()
        {
            last = probe + 1;
            while last + 1 < tokens.len()
                && connected(last, last + 1)
                && tokens[last + 1].is_capitalised()
            {
                last += 1;
            }
        }
    }
    let mut first = index;
    while first > 0 {
        let previous = &tokens[first - 1];
        let possessive_country =
            previous.without_possessive() != previous.text && is_country_at(previous);
        if !connected(first - 1, first)
            || !previous.is_capitalised()
            || NOT_NAME_STARTS.contains(&previous.text)
            || possessive_country
        {
            break;
        }
        first -= 1;
    }
    (last > first).then_some((first, last))
}

/// Whether a one-word organisation span is a stray: the surname of a person the recogniser found
/// elsewhere in the document ("Ndour" after "Aminata Ndour"), or a sentence's first word followed by
/// a comma ("Additionally,").
fn is_stray_word(text: &str, name: &NamedSpan, names: &[NamedSpan], draft: &Draft<'_>) -> bool {
    let word = &text[name.start..name.end];
    if word.contains(' ') {
        return false;
    }
    let surname = names
        .iter()
        .filter(|n| n.kind == EntityType::Per)
        .any(|person| {
            let full = &text[person.start..person.end];
            full.contains(' ') && full.rsplit(' ').next() == Some(word)
        });
    let opens_sentence = draft
        .sentence_of_bytes(name.start, name.end)
        .is_some_and(|(_, start, _)| start == name.start)
        && text[name.end..].starts_with(',');
    surname || opens_sentence
}

/// Whether an acronym's letters are the initials of the name's capitalised words.
fn initials_match(acronym: &str, name: &str) -> bool {
    let initials: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    let letters: String = acronym.chars().filter(|c| c.is_uppercase()).collect();
    !letters.is_empty()
        && (initials == letters || initials.starts_with(&letters) && letters.len() >= 2)
}

/// The key under which an organisation is known in one document: its name without a leading "the",
/// in lower case, with white space collapsed.
pub(crate) fn key_of(name: &str) -> String {
    let lower = name.to_lowercase();
    let trimmed = lower.strip_prefix("the ").unwrap_or(&lower);
    trimmed
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_match_initials() {
        assert!(initials_match("HRW", "Human Rights Watch"));
        assert!(initials_match("MoJ", "Ministry of Justice"));
        assert!(!initials_match("TPS", "Human Rights Watch"));
    }

    #[test]
    fn ministry_names_take_their_comma_lists() {
        let reference = Reference::embedded().expect("reference");
        let gazetteers = Gazetteers::new(&reference).expect("gazetteers");
        let sentence = "the Ministry of Environment, Forestry and Tourism said, and Commerce grew.";
        let tokens = tokenise(sentence);
        let head = tokens
            .iter()
            .position(|t| t.text == "Ministry")
            .expect("head");
        let (first, last) =
            head_word_name(&gazetteers, sentence, &tokens, head, &|_| false).expect("a name");
        assert_eq!(
            &sentence[tokens[first].start..tokens[last].end],
            "Ministry of Environment, Forestry and Tourism"
        );
        let short = "the Ministry of Justice, Chile said.";
        let tokens = tokenise(short);
        let (first, last) =
            head_word_name(&gazetteers, short, &tokens, 1, &|_| false).expect("a name");
        assert_eq!(
            &short[tokens[first].start..tokens[last].end],
            "Ministry of Justice"
        );
    }

    #[test]
    fn keys_ignore_articles_case_and_apostrophes() {
        assert_eq!(
            key_of("The Children’s  Rights Division"),
            "children's rights division"
        );
    }
}
