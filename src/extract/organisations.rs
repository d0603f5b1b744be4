//! Organisations: the gazetteer of well-known bodies, names ending in a head word ("State
//! Department", "Human Rights Watch") or opening with one ("Ministry of Justice"), acronym
//! definitions ("Full Name (FN)") and the governments of countries ("Peru's interim government").
//!
//! Gives the organisation mentions it recorded, for the people and agreement passes.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use foldhash::{HashMap, HashMapExt, HashSet};
use regex::Regex;

use super::draft::Draft;
use super::gazetteer::Gazetteers;
use super::model::{EntityClass, MentionKind, OrganisationKind};
use super::names::NamedSpan;
use super::reach::Reach;
use super::reference::Reference;
use super::tokens::{only_spaces_between, Token, TokenisedSentence, NOT_NAME_STARTS};
use super::Found;
use crate::ner::EntityType;
use crate::text::{head, is_whole_word, last_word, starts_word, tail};

static GOVERNMENT_AFTER_COUNTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:’s|'s)?\s+(?:(?:acting|interim|caretaker|new|current|previous|former|federal|national|central|coalition|transitional|outgoing|incoming|military|ruling|elected)\s+)?(?:[Gg]overnment|administration)(?-u:\b)")
        .expect("valid regex")
});
static GOVERNMENT_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Gg]overnment\s+of\s+(?:the\s+)?$").expect("valid regex")
});
static NAMED_ADMINISTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Lu}[\p{L}\-]+(?:’s|'s)?\s+(?:administration|government)(?-u:\b)")
        .expect("valid regex")
});
/// The words that may stand between "the" and "government" in a reference back to a government.
const GOVERNMENT_MODIFIERS: &[&str] = &[
    "acting",
    "interim",
    "caretaker",
    "transitional",
    "military",
    "federal",
    "coalition",
];
static DEFINITE_GOVERNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)[Tt]he\s+(?:(?:{})\s+)?government(?-u:\b)",
        GOVERNMENT_MODIFIERS.join("|")
    ))
    .expect("valid regex")
});
static PARTICLE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^( (?:des|de|du|del|della|di|der|la|le|für|voor)(?: [\p{L}’'-]+){1,4})[,.;)]")
        .expect("valid regex")
});
static DEFINITE_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[Tt]he\s+(?:group|organisation|organization|charity|centre|center|court|ministry|agency|commission|council|institute|foundation|tribunal|committee|administration)(?-u:\b)")
        .expect("valid regex")
});
static ADMINISTRATION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:government|administration)(?-u:\b)").expect("valid regex")
});
static NAME_IN_BRACKETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?: \(|,? (?:known as|also called|also known as) )(\p{Lu}[^()\n,.;]{1,60}?)(?:\)|[,.;]|$)")
        .expect("valid regex")
});
static PORTFOLIO_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[Mm]inister|[Cc]ommissioner|[Ss]ecretary)\s+(?:of|for)\s+(?:\p{Lu}\p{L}*(?:,\s+|\s+and\s+|\s+))*$")
        .expect("valid regex")
});
static INSTRUMENT_ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)\p{Lu}\p{L}+ \(\p{Lu}{2,10}\)").expect("valid regex"));
static ACRONYM_IN_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\(([A-Z][A-Za-z&]{1,9})\)").expect("valid regex"));

const CONNECTORS: &[&str] = &["of", "for", "and", "on", "the", "de", "&"];

/// The organisation mentions found so far, and the bytes they cover.
struct FoundSoFar {
    list: Vec<Found>,
    reach: Reach,
}

impl FoundSoFar {
    fn push(&mut self, found: Found) {
        self.reach.add(found.start, found.end);
        self.list.push(found);
    }
}

/// Finds and records organisation mentions; gives them with the country they belong to, if any.
pub(crate) fn find(
    gazetteers: &Gazetteers,
    reference: &Reference,
    countries: &[Found],
    names: &[NamedSpan],
    sentences: &[TokenisedSentence<'_>],
    draft: &mut Draft<'_>,
) -> Vec<Found> {
    let text = draft.text;
    let mut found = FoundSoFar {
        list: Vec::new(),
        reach: Reach::new(text.len()),
    };
    // Well-known bodies.
    for hit in gazetteers.organisation_matcher.find_iter(text) {
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
            let before = tail(text, country.start, 80);
            GOVERNMENT_OF
                .find(before)
                .map(|found| (country.start - before.len() + found.start(), country.end))
        };
        if let Some((start, end)) = span {
            let name = gazetteers.country_with_code(code).map_or_else(
                || code.clone(),
                |(_, c)| format!("Government of {}", c.name),
            );
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
    // "The acting government" after "Peru's acting government": the same government when the
    // modifier matches, or when it is the only government named so far.
    let governments: Vec<Found> = found
        .list
        .iter()
        .filter(|f| f.country_code.is_some())
        .cloned()
        .collect();
    let mut earlier_governments = EarlierGovernments::new(text, &governments);
    for whole in DEFINITE_GOVERNMENT.find_iter(text) {
        // "The", perhaps a modifier, "government".
        let words: Vec<&str> = whole.as_str().split_whitespace().collect();
        let modifier = (words.len() == 3).then(|| words[1]);
        let Some(referent) = earlier_governments.referent(whole.start(), modifier) else {
            continue;
        };
        if draft.mention(
            &referent.entity,
            MentionKind::Name,
            whole.start(),
            whole.end(),
        ) {
            draft.add_alias(&referent.entity, whole.as_str());
            found.push(Found {
                entity: referent.entity.clone(),
                start: whole.start(),
                end: whole.end(),
                country_code: referent.country_code.clone(),
            });
        }
    }
    // "The Meloni government", "the Harris administration", "Harris's administration": named after
    // a person (not a country, which was handled above, nor a sentence's first word unless the
    // recogniser calls it a name).
    let mut country_reach = Reach::new(text.len());
    for country in countries {
        country_reach.add(country.start, country.end);
    }
    let mut first_name_start_by_end: HashMap<usize, usize> = HashMap::new();
    for name in names {
        first_name_start_by_end
            .entry(name.end)
            .and_modify(|start| *start = (*start).min(name.start))
            .or_insert(name.start);
    }
    for whole in NAMED_ADMINISTRATION.find_iter(text) {
        if !starts_word(text, whole.start()) {
            continue;
        }
        // The name is the match's run of letters and hyphens, the noun its last word (found by
        // hand: capture groups would send every match through a slower engine).
        let word_length = whole
            .as_str()
            .find(|c: char| !(c.is_alphabetic() || c == '-'))
            .unwrap_or(whole.len());
        let word = &text[whole.start()..whole.start() + word_length];
        let word_span = (whole.start(), whole.start() + word_length);
        let noun = last_word(whole.as_str());
        let possessive = whole.as_str()[word_length..].starts_with(['’', '\'']);
        let is_country = country_reach.overlaps(word_span.0, word_span.1);
        let recognised = first_name_start_by_end
            .get(&word_span.1)
            .is_some_and(|&start| start <= word_span.0);
        let opens_sentence = draft
            .sentence_of_bytes(word_span.0, word_span.1)
            .is_some_and(|(_, start, _)| start == word_span.0);
        if is_country
            || NOT_NAME_STARTS.contains(&word)
            || gazetteers.heads.contains_key(word)
            || (opens_sentence && !recognised)
            || found.reach.overlaps(whole.start(), whole.end())
        {
            continue;
        }
        let label = format!("{word} {noun}");
        let id = draft.entity(EntityClass::Organisation, &key_of(&label), &label);
        draft.add_kind(&id, OrganisationKind::GovernmentBody);
        if possessive {
            draft.add_alias(&id, whole.as_str());
        }
        if draft.mention(&id, MentionKind::Name, whole.start(), whole.end()) {
            found.push(Found {
                entity: id,
                start: whole.start(),
                end: whole.end(),
                country_code: None,
            });
        }
    }
    // Names built around a head word, sentence by sentence.
    let mut countries_by_start: HashMap<usize, Vec<&Found>> = HashMap::new();
    for country in countries {
        countries_by_start
            .entry(country.start)
            .or_default()
            .push(country);
    }
    for tokenised in sentences.iter().filter(|s| !s.is_heading) {
        let (sentence_start, sentence, tokens) =
            (tokenised.start, tokenised.text, &tokenised.tokens);
        let title_starts: Vec<usize> = tokenised.title_hits.iter().map(|hit| hit.start()).collect();
        let is_country_at =
            |token: &Token<'_>| countries_by_start.contains_key(&(sentence_start + token.start));
        let mut index = 0;
        while index < tokens.len() {
            if title_starts.binary_search(&tokens[index].start).is_ok() {
                // "Press Secretary": the head word opens a title, not a name.
                index += 1;
                continue;
            }
            let Some(span) = head_word_name(gazetteers, sentence, tokens, index, &is_country_at)
            else {
                index += 1;
                continue;
            };
            let (first, last) = span;
            let start = sentence_start + tokens[first].start;
            let end = sentence_start + tokens[last].start + tokens[last].without_possessive().len();
            index = last + 1;
            if found.reach.holds(start, end) {
                continue;
            }
            let name = text[start..end].to_string();
            let opens = gazetteers.heads.contains_key(tokens[first].text)
                && last > first
                && tokens[first + 1].text == "of";
            let head = tokens[if opens { first } else { last }].without_possessive();
            // "U.S. State Department" and a later "State Department" are one body of that country.
            let country_prefix = countries_by_start
                .get(&start)
                .and_then(|at_start| at_start.iter().find(|c| c.end < end));
            let key = country_prefix.map_or_else(
                || key_of(&name),
                |country| key_of(text[country.end..end].trim_start()),
            );
            let id = draft.entity(EntityClass::Organisation, &key, &name);
            if country_prefix.is_some() {
                draft.add_alias(&id, &name);
            }
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
    // "Full Name (Other Name)": a bracketed name right after an organisation is its alias.
    let mut bracketed = Vec::new();
    for known in &found.list {
        if let Some((start, end)) = bracketed_alias(text, known.end) {
            draft.add_alias(&known.entity, &text[start..end]);
            bracketed.push((known.entity.clone(), start, end));
        }
    }
    // "... Partnership Agreement (CEPA)": the acronym of an instrument is no organisation.
    // Each match is "Word (ACRONYM)": split by hand, as capture groups would send every match
    // through a slower engine.
    let instrument_acronyms: HashSet<&str> = INSTRUMENT_ACRONYM
        .find_iter(text)
        .filter_map(|m| m.as_str().split_once(" ("))
        .filter(|(word, _)| reference.instrument_words.iter().any(|w| w == word))
        .map(|(_, acronym)| acronym.trim_end_matches(')'))
        .collect();
    // Organisations the recogniser found that no rule did; a span that is a country's name stays
    // the country. A name followed by "government" or "administration" ("the Meloni government") is
    // the administration; a name ending in an instrument word ("Refugee Convention") is none.
    // A place the recogniser found that speaks or employs ("the Kremlin said", "White House Press
    // Secretary ...") is the seat of a government acting for it.
    let acting_places: Vec<NamedSpan> = names
        .iter()
        .filter(|n| n.kind == EntityType::Loc && acts_as_body(gazetteers, reference, text, n.end))
        .copied()
        .collect();
    let organisation_names: Vec<NamedSpan> = names
        .iter()
        .filter(|n| n.kind == EntityType::Org)
        .filter_map(|n| without_generic_word(reference, text, n))
        .chain(acting_places)
        .collect();
    // Sets, so that each name is checked in time of its own length (a long text names thousands
    // of bodies and people).
    let country_spans: HashSet<(usize, usize)> =
        countries.iter().map(|c| (c.start, c.end)).collect();
    let surnames: HashSet<&str> = names
        .iter()
        .filter(|n| n.kind == EntityType::Per)
        .filter_map(|person| {
            let full = &text[person.start..person.end];
            full.rsplit_once(' ').map(|(_, last)| last)
        })
        .collect();
    let mut bracketed_by_label: HashMap<String, String> = HashMap::new();
    for (entity, start, end) in &bracketed {
        bracketed_by_label
            .entry(text[*start..*end].to_string())
            .or_insert_with(|| entity.clone());
    }
    for name in &organisation_names {
        let mut end = name.end;
        let administration = ADMINISTRATION_AFTER.find(&text[end..]);
        if let Some(administration) = administration {
            end += administration.end();
        } else if let Some(tail) = PARTICLE_TAIL.captures(&text[end..]).and_then(|c| c.get(1)) {
            // "Ligue des droits humains,": names in other languages keep their small words.
            end += tail.end();
        }
        let overlaps = found.reach.overlaps(name.start, end);
        let is_country = country_spans.contains(&(name.start, name.end));
        let last_word = text[name.start..name.end]
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        let instrument = reference.instrument_words.iter().any(|w| w == last_word);
        let region = reference
            .regions
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&text[name.start..name.end]));
        if overlaps
            || is_country
            || instrument
            || region
            || is_stray_word(text, name, &surnames, draft)
            || (name.kind == EntityType::Org && opens_title(gazetteers, text, name.end))
            || is_portfolio(gazetteers, text, name)
            || is_dateline(text, name)
            || instrument_acronyms.contains(&&text[name.start..name.end])
        {
            continue;
        }
        let label = text[name.start..end].to_string();
        // The alias an earlier name gave in brackets.
        if let Some(entity) = bracketed_by_label.get(&label) {
            if draft.mention(entity, MentionKind::Acronym, name.start, name.end) {
                found.push(Found {
                    entity: entity.clone(),
                    start: name.start,
                    end: name.end,
                    country_code: None,
                });
            }
            continue;
        }
        let id = draft.entity(EntityClass::Organisation, &key_of(&label), &label);
        let head = label.rsplit(' ').next().unwrap_or_default();
        if let Some(Some(kind)) = gazetteers.heads.get(head) {
            draft.add_kind(&id, *kind);
        }
        if administration.is_some() || name.kind == EntityType::Loc {
            draft.add_kind(&id, OrganisationKind::GovernmentBody);
        }
        if draft.mention(&id, MentionKind::Name, name.start, end) {
            if let Some((start, end)) = bracketed_alias(text, end) {
                draft.add_alias(&id, &text[start..end]);
                bracketed.push((id.clone(), start, end));
                bracketed_by_label
                    .entry(text[start..end].to_string())
                    .or_insert_with(|| id.clone());
            }
            found.push(Found {
                entity: id,
                start: name.start,
                end,
                country_code: None,
            });
        }
    }
    // Later uses of defined acronyms and bracketed aliases.
    let mut found = found.list;
    let mut acronyms: Vec<(String, String)> = found
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
    acronyms.extend(
        bracketed
            .iter()
            .map(|(id, start, end)| (text[*start..*end].to_string(), id.clone())),
    );
    // An empty alias would "occur" between every two characters.
    acronyms.retain(|(acronym, _)| !acronym.is_empty());
    acronyms.sort();
    acronyms.dedup();
    let mut spellings: Vec<&str> = acronyms
        .iter()
        .map(|(acronym, _)| acronym.as_str())
        .collect();
    spellings.dedup();
    let uses = uses_of(text, &spellings);
    for (acronym, id) in &acronyms {
        let spelling = spellings.partition_point(|s| *s < acronym.as_str());
        for &position in &uses[spelling] {
            let end = position + acronym.len();
            if is_whole_word(text, position, end)
                && draft.mention(id, MentionKind::Acronym, position, end)
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
    refer_back(text, &mut found, draft);
    found
}

/// "A researcher at the group", "the court ruled": a definite generic noun refers back to the latest
/// body named before it with that word in its name or, for "group", "organisation" and "charity", to
/// the latest non-governmental organisation (or body of no known kind).
fn refer_back(text: &str, found: &mut Vec<Found>, draft: &mut Draft<'_>) {
    let mut named: Vec<Found> = found.clone();
    named.sort_by_key(|f| f.start);
    // For each noun, the positions in `named` of the bodies it may refer to, listed when first
    // needed (a long text says "the court" thousands of times).
    let mut referable_by_noun: HashMap<&str, Vec<usize>> = HashMap::new();
    for whole in DEFINITE_BODY.find_iter(text) {
        let noun = last_word(whole.as_str());
        let referable = referable_by_noun.entry(noun).or_insert_with(|| {
            (0..named.len())
                .filter(|&index| {
                    named[index].country_code.is_none() && may_refer_to(draft, noun, &named[index])
                })
                .collect()
        });
        // The latest ending before the phrase; none starting after it can.
        let starting_before =
            referable.partition_point(|&index| named[index].start <= whole.start());
        let referent = referable[..starting_before]
            .iter()
            .rev()
            .map(|&index| &named[index])
            .find(|f| f.end <= whole.start());
        let Some(referent) = referent else {
            continue;
        };
        let entity = referent.entity.clone();
        if draft.mention(&entity, MentionKind::Reference, whole.start(), whole.end()) {
            found.push(Found {
                entity,
                start: whole.start(),
                end: whole.end(),
                country_code: None,
            });
        }
    }
}

/// Whether a definite `noun` ("the court", "the group") may refer to the body `named`: one with the
/// noun in its name or, for "group", "organisation" and "charity", a non-governmental organisation
/// or a body of no known kind.
fn may_refer_to(draft: &Draft<'_>, noun: &str, named: &Found) -> bool {
    let generic = matches!(noun, "group" | "organisation" | "organization" | "charity");
    draft.record(&named.entity).is_some_and(|record| {
        if generic {
            record.kinds.is_empty() || record.kinds.contains(&OrganisationKind::Ngo)
        } else {
            record
                .name
                .split(' ')
                .any(|word| word.eq_ignore_ascii_case(noun))
        }
    })
}

/// The byte positions at which each of `spellings` occurs in `text`, as `str::match_indices` gives
/// them (left to right, a spelling's uses not overlapping each other), found in one pass for all.
fn uses_of(text: &str, spellings: &[&str]) -> Vec<Vec<usize>> {
    let mut uses = vec![Vec::new(); spellings.len()];
    let Ok(matcher) = AhoCorasick::new(spellings) else {
        // Too many spellings for one automaton: search for each on its own.
        for (found, spelling) in uses.iter_mut().zip(spellings) {
            found.extend(text.match_indices(spelling).map(|(position, _)| position));
        }
        return uses;
    };
    let mut free_from = vec![0; spellings.len()];
    // Overlapping matches come by end; a spelling's are all one length, so also by start.
    for hit in matcher.find_overlapping_iter(text) {
        let spelling = hit.pattern().as_usize();
        if hit.start() >= free_from[spelling] {
            uses[spelling].push(hit.start());
            free_from[spelling] = hit.end();
        }
    }
    uses
}

/// The governments named before a point of the text, for "the government" there. Asked in text
/// order, it takes in each government once.
struct EarlierGovernments<'g> {
    text: &'g str,
    governments: &'g [Found],
    /// Positions in `governments`, by where each ends.
    by_end: Vec<usize>,
    /// How many of `by_end` end before the last point asked about.
    taken: usize,
    /// The first taken, in the order found.
    first: Option<usize>,
    /// The entities taken.
    entities: HashSet<&'g str>,
    /// For each modifier ("interim"), the last taken whose name holds it, in the order found.
    last_with_modifier: HashMap<&'static str, usize>,
}

impl<'g> EarlierGovernments<'g> {
    fn new(text: &'g str, governments: &'g [Found]) -> Self {
        let mut by_end: Vec<usize> = (0..governments.len()).collect();
        by_end.sort_by_key(|&index| governments[index].end);
        Self {
            text,
            governments,
            by_end,
            taken: 0,
            first: None,
            entities: HashSet::default(),
            last_with_modifier: HashMap::new(),
        }
    }

    /// The government "the [modifier] government" at `point` refers to: with a modifier, the last
    /// found (ending before `point`) whose name holds it; without, the first found, if all found so
    /// far are one government.
    fn referent(&mut self, point: usize, modifier: Option<&str>) -> Option<&'g Found> {
        while let Some(&index) = self.by_end.get(self.taken) {
            let government = &self.governments[index];
            if government.end > point {
                break;
            }
            self.taken += 1;
            self.first = Some(self.first.map_or(index, |first| first.min(index)));
            self.entities.insert(&government.entity);
            let name = &self.text[government.start..government.end];
            for &word in GOVERNMENT_MODIFIERS
                .iter()
                .filter(|word| name.contains(*word))
            {
                let last = self.last_with_modifier.entry(word).or_insert(index);
                *last = (*last).max(index);
            }
        }
        let index = match modifier {
            Some(modifier) => self.last_with_modifier.get(modifier).copied(),
            None => self.first.filter(|_| self.entities.len() == 1),
        }?;
        Some(&self.governments[index])
    }
}

/// The byte range of a name in brackets right after byte `end` ("... Agency (JICA)", "... Office
/// (Defensoría del Pueblo)"): capitalised, at most six words, no digits.
fn bracketed_alias(text: &str, end: usize) -> Option<(usize, usize)> {
    let captures = NAME_IN_BRACKETS.captures(&text[end..])?;
    let inner = captures.get(1)?;
    let words = inner.as_str().split_whitespace().count();
    (words <= 6 && !inner.as_str().contains(|c: char| c.is_ascii_digit()))
        .then(|| (end + inner.start(), end + inner.end()))
}

/// Whether a capitalised title follows byte `end` ("Commerce Minister", "Foreign Affairs
/// Adviser"): the words before it name a portfolio, not an organisation.
fn opens_title(gazetteers: &Gazetteers, text: &str, end: usize) -> bool {
    let rest = head(text, end, 80);
    let Some(next) = rest.strip_prefix(' ') else {
        return false;
    };
    if !next.starts_with(char::is_uppercase) {
        return false;
    }
    gazetteers.title_at_start(next)
}

/// Whether the words after byte `end` make a place act as a body: a speech verb ("the Kremlin
/// said") or a title ("White House Press Secretary", "Elysee spokesman").
fn acts_as_body(gazetteers: &Gazetteers, reference: &Reference, text: &str, end: usize) -> bool {
    let after = head(text, end, 80);
    let rest = after
        .strip_prefix("’s ")
        .or_else(|| after.strip_prefix("'s "))
        .or_else(|| after.strip_prefix(' '));
    let Some(rest) = rest else {
        return false;
    };
    let next_word = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default();
    reference.speech_verbs.iter().any(|verb| verb == next_word) || gazetteers.title_at_start(rest)
}

/// A recognised organisation name without a leading generic word ("the NGO Open Arms" gives "Open
/// Arms"); none when the name is that word alone.
fn without_generic_word(reference: &Reference, text: &str, name: &NamedSpan) -> Option<NamedSpan> {
    let span = &text[name.start..name.end];
    let first = span.split(' ').next().unwrap_or_default();
    if !reference
        .generic_organisation_words
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first))
    {
        return Some(*name);
    }
    (first.len() < span.len()).then(|| NamedSpan {
        start: name.start + first.len() + 1,
        ..*name
    })
}

/// Whether a span is the portfolio of a title ("Minister of Commerce, Industry and Investment
/// Promotion", "Commissioner for International Partnerships"): no head word of an organisation.
fn is_portfolio(gazetteers: &Gazetteers, text: &str, name: &NamedSpan) -> bool {
    PORTFOLIO_BEFORE.is_match(tail(text, name.start, 200))
        && !text[name.start..name.end]
            .split(' ')
            .any(|word| gazetteers.heads.contains_key(word))
}

/// Whether a span is a dateline: a word in capitals opening a paragraph, then a dash or a comma
/// ("LIMA — ...").
fn is_dateline(text: &str, name: &NamedSpan) -> bool {
    let word = &text[name.start..name.end];
    let opens_paragraph = text[..name.start]
        .chars()
        .next_back()
        .is_none_or(|c| c == '\n');
    opens_paragraph
        && word.chars().filter(|c| c.is_alphabetic()).count() > 2
        && !word.chars().any(char::is_lowercase)
        && (text[name.end..].starts_with(" —")
            || text[name.end..].starts_with(" –")
            || text[name.end..].starts_with(','))
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
fn is_stray_word(
    text: &str,
    name: &NamedSpan,
    surnames: &HashSet<&str>,
    draft: &Draft<'_>,
) -> bool {
    let word = &text[name.start..name.end];
    if word.contains(' ') {
        return false;
    }
    let surname = surnames.contains(word);
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
    use crate::extract::tokens::tokenise;

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
