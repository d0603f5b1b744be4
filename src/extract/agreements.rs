//! Agreements: a trigger word ("deal", "treaty", "agreed", "leasing", "return hubs"...) and the two
//! parties the sentence gives it, found by the shape of the sentence around the trigger:
//!
//! 1. "between A and B" after the trigger;
//! 2. a pair "A-B" or "A–B" just before it ("the Italy-Albania agreement"), or, for a singular noun
//!    or a verb, "A and B" just before it ("A and B agreed on a corridor, with C as guarantor");
//! 3. "A ... with B": the "with B" nearest the trigger, and the first country of B's clause ("A signed
//!    a deal with B", "while A is in talks with B about arrangements");
//! 4. the nearest country before it (its subject) and the nearest after it ("A has agreed to take
//!    people from B", "A leasing cells to B");
//! 5. for a singular noun or a verb only, the two countries nearest to it ("A and B established an
//!    arrangement"); a plural ("A and B are signing deals") does not make A and B parties.
//!
//! What a sentence naming one agreement states (capacity, duration, money, year, status) is the
//! agreement's, except inside a clause about a party (", which ..." or ", who ..." after its name).
//!
//! Before these, a list right after "with" ("A negotiated deals with several nations, including B,
//! C and D") gives one agreement between A and each listed party.
//!
//! Parties are countries (named, by demonym, through their governments or through an administration
//! named after their head) and international bodies. Otherwise, countries in a list of three or more
//! ("migrants from A, B, C and D") are never parties, unless the list follows "between". Within a
//! document, one agreement per set of parties, except that a deal the text sets apart from another
//! ("under a separate memorandum", "an earlier agreement") is an agreement of its own.

use std::cell::LazyCell;
use std::sync::LazyLock;

use regex::Regex;

use super::draft::Draft;
use super::gazetteer::Gazetteers;
use super::model::{ClaimValue, EntityClass, MentionKind, OrganisationKind, Predicate};
use super::reference::TriggerForm;
use super::Found;
use crate::text::{head, is_whole_word, tail};

/// How far from a trigger, in bytes, its parties and clause are looked for.
const WINDOW: usize = 400;

/// The prefix of an international body's party key (countries use their ISO code).
const BODY: &str = "body:";

/// A country (or a country's government) or an international body named in a sentence.
#[derive(Debug, Clone)]
struct Candidate<'f> {
    code: String,
    found: &'f Found,
    in_long_list: bool,
}

/// Finds agreements and records them with `party` claims.
pub(crate) fn find(
    gazetteers: &Gazetteers,
    countries: &[Found],
    organisations: &[Found],
    draft: &mut Draft<'_>,
) {
    let text = draft.text;
    let mut named: Vec<&Found> = countries.iter().chain(organisations.iter()).collect();
    named.sort_by_key(|f| (f.start, f.end));
    for (sentence_start, sentence_end) in draft.sentence_byte_ranges() {
        let sentence = &text[sentence_start..sentence_end];
        let first = named.partition_point(|f| f.start < sentence_start);
        let last = named.partition_point(|f| f.start < sentence_end);
        let in_sentence = &named[first..last];
        // An agreement needs two parties: most sentences name fewer.
        if in_sentence.len() < 2 {
            continue;
        }
        // The bytes of the sentence inside the name of a body that is no country's government.
        let mut in_body = vec![false; sentence.len()];
        for body in in_sentence.iter().filter(|o| o.country_code.is_none()) {
            let end = body.end.min(sentence_end);
            in_body[body.start - sentence_start..end - sentence_start].fill(true);
        }
        // Countries (and their governments) and international bodies named in the sentence.
        let mut candidates: Vec<Candidate<'_>> = in_sentence
            .iter()
            .copied()
            .filter(|f| f.end <= sentence_end)
            .filter_map(|f| {
                let code = f.country_code.clone().or_else(|| {
                    draft
                        .record(&f.entity)
                        .filter(|r| r.kinds.contains(&OrganisationKind::InternationalBody))
                        .map(|r| format!("{BODY}{}", r.name))
                })?;
                Some(Candidate {
                    code,
                    found: f,
                    in_long_list: false,
                })
            })
            .filter(|c| !is_modifier_or_outside(text, c.found))
            // A country named inside a body's name ("Chinese Foreign Ministry") is not a party.
            .filter(|c| {
                let (start, end) = (c.found.start - sentence_start, c.found.end - sentence_start);
                c.found.country_code.is_none() || !in_body[start..end].iter().all(|&inside| inside)
            })
            .collect();
        candidates.sort_by_key(|c| (c.found.start, std::cmp::Reverse(c.found.end)));
        // A government mention contains its country's mention: keep the outer one.
        candidates.dedup_by(|later, earlier| {
            later.found.start >= earlier.found.start && later.found.end <= earlier.found.end
        });
        // An agreement needs two parties.
        if candidates.len() < 2 {
            continue;
        }
        mark_long_lists(text, &mut candidates);
        let mut agreements_here: Vec<String> = Vec::new();
        // Whether the sentence moves people, and then where its first verb of sending ends.
        let movement = LazyCell::new(|| {
            PEOPLE_MOVED
                .is_match(sentence)
                .then(|| SEND_VERB.find(sentence).map(|verb| verb.end()))
        });
        let triggers: Vec<_> = gazetteers
            .trigger_matcher
            .find_iter(sentence)
            .filter(|t| is_whole_word(sentence, t.start(), t.end()))
            .collect();
        for (index, trigger) in triggers.iter().enumerate() {
            let mut form = gazetteers.trigger_forms[trigger.pattern().as_usize()];
            // A verb whose object is a plural ("A and B are signing deals") is a plural.
            if let Some(next) = triggers.get(index + 1) {
                let next_form = gazetteers.trigger_forms[next.pattern().as_usize()];
                let object = &sentence[trigger.end()..next.start()];
                if form == TriggerForm::Verb
                    && next_form == TriggerForm::Plural
                    && object.split_whitespace().count() <= 3
                    && !object.contains([',', ';'])
                {
                    form = TriggerForm::Plural;
                }
            }
            let span = (
                sentence_start + trigger.start(),
                sentence_start + trigger.end(),
            );
            // The candidates within a window around the trigger: a party stands near its deal, and
            // looking no further keeps the work per trigger bounded in a very long sentence.
            let low = candidates.partition_point(|c| c.found.start + WINDOW < span.0);
            let high = candidates.partition_point(|c| c.found.start <= span.1 + WINDOW);
            let near = &candidates[low..high.max(low)];
            let mut pairs = listed_partners(text, near, span);
            if pairs.is_empty() {
                pairs.extend(parties(text, near, span, form));
            }
            for (first, second) in pairs {
                let agreement = record(gazetteers, draft, span, &[first, second]);
                if let Some((sender, host)) =
                    direction(sentence, sentence_start, *movement, first, second)
                {
                    for (party, predicate) in [(sender, Predicate::Sender), (host, Predicate::Host)]
                    {
                        if let Some(entity) = party_entity(gazetteers, draft, party) {
                            draft.claim(
                                &agreement,
                                predicate,
                                ClaimValue::Entity(entity),
                                &[span, (party.found.start, party.found.end)],
                                0.5,
                            );
                        }
                    }
                }
                if !agreements_here.contains(&agreement) {
                    agreements_here.push(agreement);
                }
            }
        }
        // What the sentence states about its agreement, when it names exactly one.
        if let [agreement] = agreements_here.as_slice() {
            let about_parties = relative_clauses(text, sentence_end, &candidates);
            for attribute in gazetteers.attributes.find(sentence) {
                let start = sentence_start + attribute.start;
                if about_parties
                    .iter()
                    .any(|&(from, to)| (from..to).contains(&start))
                {
                    continue;
                }
                let evidence = (
                    sentence_start + attribute.start,
                    sentence_start + attribute.end,
                );
                draft.claim(
                    agreement,
                    attribute.predicate,
                    attribute.value,
                    &[evidence],
                    0.5,
                );
            }
        }
    }
}

/// The clauses that describe a party rather than the deal: ", which ..." or ", who ..." right after
/// a party's name, to the next comma or semicolon ("the United States, which recognised it in
/// 1992, signed ..."), as byte ranges of `text` ending by `sentence_end`.
fn relative_clauses(
    text: &str,
    sentence_end: usize,
    candidates: &[Candidate<'_>],
) -> Vec<(usize, usize)> {
    candidates
        .iter()
        .filter_map(|candidate| {
            let start = candidate.found.end;
            let rest = &text[start..sentence_end];
            let opening = [", which ", ", who "]
                .iter()
                .find(|opening| rest.starts_with(*opening))?;
            let clause = &rest[opening.len()..];
            let length = clause.find([',', ';']).unwrap_or(clause.len());
            Some((start, start + opening.len() + length))
        })
        .collect()
}

/// From a trigger to the first of a list of its partners: a few words, "with", and perhaps a plural
/// noun for countries with "including" or "such as".
static LIST_AFTER_WITH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+[\p{L}’'-]+){0,4}\s+with\s+((?:[\p{L}-]+\s+){0,3}(?:countries|nations|states|governments|partners),?\s+(?:including|such\s+as|like|among\s+them)\s+)?(?:the\s+)?$")
        .expect("valid regex")
});

/// Words right before a deal's noun that set it apart from another deal between the same parties
/// ("under a separate memorandum", "an earlier bilateral agreement", "another deal"); a determiner
/// comes first, so an adverb ("had earlier agreed") does not count.
static DISTINCT_DEAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?:a|an|the|its|their|his|her)\s+(?:separate|second|earlier|previous|prior|older|former)|another)\s+(?:[\p{L}-]+\s+){0,2}$")
        .expect("valid regex")
});

/// Words that say people are moved from one country to another.
static PEOPLE_MOVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:deport\w*|migrant\w*|asylum|refugee\w*|prisoner\w*|detainee\w*|inmates?|sen[dt]\w*|transfer\w*|relocat\w*|resettl\w*|return\w*|expel\w*|remov\w*)(?-u:\b)")
        .expect("valid regex")
});
/// A verb of sending people, before the place they are sent to ("send asylum seekers to A").
static SEND_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:sen[dt]\w*|deport\w*|transfer\w*|relocat\w*|fl(?:y|ew|own)|return\w*|expel\w*|remov\w*|transport\w*)(?-u:\b)")
        .expect("valid regex")
});
/// A verb of taking people in, a few words after its subject ("has agreed to accept").
static HOST_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:host\w*|accept\w*|receiv\w*|tak(?:e|es|ing) in|took in|admit\w*|hous(?:e|es|ing))(?-u:\b)",
    )
    .expect("valid regex")
});

/// Whether a mention cannot be a party: the owner of a named thing ("Germany's BioNTech") or a
/// place left out ("outside the European Union", "non-EU").
fn is_modifier_or_outside(text: &str, found: &Found) -> bool {
    let after = &text[found.end..];
    let owner_of_name = after
        .strip_prefix("’s ")
        .or_else(|| after.strip_prefix("'s "))
        .is_some_and(|rest| rest.starts_with(char::is_uppercase));
    let before = tail(text, found.start, 40)
        .trim_end_matches("the ")
        .trim_end();
    let outside =
        before.ends_with("outside") || before.ends_with("beyond") || before.ends_with("non-");
    owner_of_name || outside
}

/// The trimmed text between two mentions, or a marker that matches no separator when they overlap.
fn gap_between<'t>(text: &'t str, first: &Found, second: &Found) -> &'t str {
    if first.end <= second.start {
        text[first.end..second.start].trim()
    } else {
        "\u{0}overlap"
    }
}

/// Marks candidates that stand in a list of three or more ("A, B, C and D") not after "between".
fn mark_long_lists(text: &str, candidates: &mut [Candidate<'_>]) {
    let mut start = 0;
    while start < candidates.len() {
        let mut end = start + 1;
        while end < candidates.len() {
            let gap = gap_between(text, candidates[end - 1].found, candidates[end].found);
            let gap = gap
                .trim_start_matches(['’', '\''])
                .trim_start_matches('s')
                .trim();
            if matches!(gap, "," | "and" | ", and" | "or" | ", or" | "&" | "/") {
                end += 1;
            } else {
                break;
            }
        }
        let before = text[..candidates[start].found.start].trim_end();
        if end - start >= 3 && !before.ends_with("between") {
            for candidate in &mut candidates[start..end] {
                candidate.in_long_list = true;
            }
        }
        start = end;
    }
}

/// "A negotiated arrangements with several nations, including B, C and D": a list of three or more
/// right after "with", or of two or more after "with [some] countries, including" (or "such as"), a
/// few words after
/// the trigger gives one pair per listed party, each with the nearest party before the trigger in
/// the same clause.
fn listed_partners<'c, 'f>(
    text: &str,
    candidates: &'c [Candidate<'f>],
    span: (usize, usize),
) -> Vec<(&'c Candidate<'f>, &'c Candidate<'f>)> {
    let Some(first_index) = candidates.iter().position(|c| c.found.start >= span.1) else {
        return Vec::new();
    };
    let Some(lead) = LIST_AFTER_WITH.captures(&text[span.1..candidates[first_index].found.start])
    else {
        return Vec::new();
    };
    // Two names joined by "and" may be two clauses ("with A partnering with B and C leasing …");
    // a list of two counts only after "countries, including".
    let shortest = if lead.get(1).is_some() { 2 } else { 3 };
    let mut listed = vec![&candidates[first_index]];
    for pair in candidates[first_index..].windows(2) {
        let gap = gap_between(text, pair[0].found, pair[1].found);
        if !matches!(gap, "," | "and" | ", and" | "or" | ", or") {
            break;
        }
        listed.push(&pair[1]);
    }
    let subject = candidates[..first_index]
        .iter()
        .rev()
        .find(|c| c.found.end <= span.0 && !c.in_long_list)
        .filter(|c| !text[c.found.end..span.0].contains([';', '—', '–', '(']));
    match subject {
        Some(subject) if listed.len() >= shortest => listed
            .into_iter()
            .filter(|partner| partner.code != subject.code)
            .map(|partner| (subject, partner))
            .collect(),
        _ => Vec::new(),
    }
}

/// The two parties of the trigger at `span`, by the rules of the module documentation.
fn parties<'c, 'f>(
    text: &str,
    candidates: &'c [Candidate<'f>],
    span: (usize, usize),
    form: TriggerForm,
) -> Option<(&'c Candidate<'f>, &'c Candidate<'f>)> {
    let usable: Vec<&Candidate<'_>> = candidates.iter().filter(|c| !c.in_long_list).collect();
    let distinct = |a: &Candidate<'_>, b: &Candidate<'_>| a.code != b.code;
    // 1. "between A and B" after the trigger (within a few words).
    if let Some(between) = head(text, span.1, 80)
        .find("between ")
        .filter(|&p| text[span.1..span.1 + p].split_whitespace().count() <= 4)
    {
        let from = span.1 + between;
        let after: Vec<&Candidate<'_>> =
            candidates.iter().filter(|c| c.found.start > from).collect();
        if let [a, b, ..] = after.as_slice() {
            if distinct(a, b) && gap_between(text, a.found, b.found) == "and" {
                return Some((a, b));
            }
        }
    }
    // 2. "A-B" or "A–B" just before the trigger.
    let before: Vec<&&Candidate<'_>> = usable.iter().filter(|c| c.found.end <= span.0).collect();
    if let [.., a, b] = before.as_slice() {
        let joined = matches!(gap_between(text, a.found, b.found), "-" | "–" | "—" | "/");
        let close = text[b.found.end..span.0].split_whitespace().count() <= 3;
        if joined && close && distinct(a, b) {
            return Some((a, b));
        }
    }
    // "A and B agreed", "A and B established an arrangement" (not a plural: "A and B sign deals").
    if form != TriggerForm::Plural {
        if let [.., a, b] = before.as_slice() {
            let joined = gap_between(text, a.found, b.found) == "and";
            let close = text[b.found.end..span.0].split_whitespace().count() <= 3;
            // "… with A and B leasing …": A is the object of an earlier verb, not a subject.
            let preceding = text[..a.found.start].trim_end();
            let object = [" with", " to", " from", " by"]
                .iter()
                .any(|w| preceding.ends_with(w));
            if joined && close && !object && distinct(a, b) {
                return Some((a, b));
            }
        }
    }
    // 3. "A ... with B": B right after the "with" nearest the trigger, A the first country of
    //    B's clause.
    //    When the trigger has an owner ("A's 2023 memorandum with B"), the owner is A.
    if let Some((a, b)) = with_pair(text, &usable, span) {
        let owner = before.last().filter(|owner| {
            let gap = &text[owner.found.end..span.0];
            (gap.starts_with("’s ") || gap.starts_with("'s "))
                && gap.split_whitespace().count() <= 4
        });
        return match owner {
            Some(owner) if distinct(owner, b) && owner.found.end <= b.found.start => {
                Some((owner, b))
            }
            _ => Some((a, b)),
        };
    }
    // 4. The nearest country before and the nearest after.
    let nearest_before = before.last().copied().copied();
    let nearest_after = usable.iter().find(|c| c.found.start >= span.1).copied();
    if let (Some(a), Some(b)) = (nearest_before, nearest_after) {
        if distinct(a, b) {
            return Some((a, b));
        }
    }
    // 5. The two nearest, for a singular noun or a verb.
    if form == TriggerForm::Plural {
        return None;
    }
    let mut by_distance: Vec<&Candidate<'_>> = usable.clone();
    by_distance.sort_by_key(|c| {
        if c.found.end <= span.0 {
            span.0 - c.found.end
        } else {
            c.found.start.saturating_sub(span.1)
        }
    });
    let first = *by_distance.first()?;
    let second = by_distance.iter().find(|c| distinct(first, c))?;
    Some((first, second))
}

/// "A ... with B" around the trigger: the "with B" nearest the trigger (before it only when no other
/// country stands between), and A the first country before B in the same clause (clauses end at
/// commas, semicolons, dashes, "while" and "but").
fn with_pair<'c, 'f>(
    text: &str,
    usable: &[&'c Candidate<'f>],
    span: (usize, usize),
) -> Option<(&'c Candidate<'f>, &'c Candidate<'f>)> {
    let after_with = |c: &Candidate<'_>| {
        let before = text[..c.found.start].trim_end();
        let before = before.strip_suffix(" the").unwrap_or(before);
        before.ends_with(" with") || before.ends_with(" With")
    };
    let distance = |c: &Candidate<'_>| {
        if c.found.start >= span.1 {
            c.found.start - span.1
        } else {
            span.0.saturating_sub(c.found.end)
        }
    };
    // A "with B" before the trigger belongs to it only if no other country stands between them.
    let reaches = |c: &Candidate<'_>| {
        c.found.start >= span.1
            || !usable
                .iter()
                .any(|other| other.found.start > c.found.end && other.found.end <= span.0)
    };
    let b = usable
        .iter()
        .filter(|c| after_with(c) && reaches(c))
        .min_by_key(|c| distance(c))?;
    let before_b = tail(text, b.found.start, WINDOW);
    let offset = b.found.start - before_b.len();
    let clause_start = before_b
        .rfind([',', ';', '—', '–', '\n'])
        .into_iter()
        .chain(before_b.rfind(" while "))
        .chain(before_b.rfind(" but "))
        .max()
        .map_or(offset, |position| offset + position);
    let a = usable.iter().find(|c| {
        c.found.start >= clause_start && c.found.end <= b.found.start && c.code != b.code
    })?;
    Some((a, b))
}

fn record(
    gazetteers: &Gazetteers,
    draft: &mut Draft<'_>,
    trigger: (usize, usize),
    parties: &[&Candidate<'_>],
) -> String {
    let mut codes: Vec<&str> = parties.iter().map(|c| c.code.as_str()).collect();
    codes.sort_unstable();
    let mut names: Vec<String> = codes
        .iter()
        .filter_map(|code| match code.strip_prefix(BODY) {
            Some(body) => Some(body.to_string()),
            None => gazetteers
                .country_with_code(code)
                .map(|(_, c)| c.name.clone()),
        })
        .collect();
    names.sort();
    let name = format!("Agreement between {}", names.join(" and "));
    let mut key = codes.join("|");
    if DISTINCT_DEAL.is_match(tail(draft.text, trigger.0, 48)) {
        key = format!("{key}#{}", trigger.0);
    }
    let agreement = draft.entity(EntityClass::Agreement, &key, &name);
    draft.mention(&agreement, MentionKind::Trigger, trigger.0, trigger.1);
    for party in parties {
        let Some(entity) = party_entity(gazetteers, draft, party) else {
            continue;
        };
        draft.claim(
            &agreement,
            Predicate::Party,
            ClaimValue::Entity(entity),
            &[trigger, (party.found.start, party.found.end)],
            0.6,
        );
    }
    agreement
}

/// The entity a party candidate stands for: the body itself, or the country (for a country or its
/// government).
fn party_entity(
    gazetteers: &Gazetteers,
    draft: &mut Draft<'_>,
    party: &Candidate<'_>,
) -> Option<String> {
    if party.code.starts_with(BODY) {
        return Some(party.found.entity.clone());
    }
    let (index, _) = gazetteers.country_with_code(&party.code)?;
    Some(gazetteers.country_entity(draft, index))
}

/// Which party sends and which hosts, where the sentence moves people between them: a party after
/// "from" or "by" sends ("deportees from A", "migrants rejected by A"); a party after "to" or "in"
/// once a verb of sending has come ("send asylum seekers to B"), or a subject followed closely by a
/// verb of taking in ("B agreed to accept"), hosts. The other party takes
/// the other side; a sentence that says nothing, or contradicts itself, gives none.
fn direction<'c, 'f>(
    sentence: &str,
    sentence_start: usize,
    movement: Option<Option<usize>>,
    first: &'c Candidate<'f>,
    second: &'c Candidate<'f>,
) -> Option<(&'c Candidate<'f>, &'c Candidate<'f>)> {
    let first_sending = movement?;
    let side = |party: &Candidate<'_>| -> Option<bool> {
        let before = tail(sentence, party.found.start - sentence_start, 40)
            .trim_end()
            .trim_end_matches("the")
            .trim_end()
            .to_lowercase();
        let word_before = before.rsplit(' ').next().unwrap_or_default();
        let after = &sentence[party.found.end - sentence_start..];
        let after_words: String = after
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let sent_before =
            first_sending.is_some_and(|end| end <= party.found.start - sentence_start);
        match word_before {
            "from" | "by" => Some(true),
            "to" | "in" if sent_before => Some(false),
            "to" | "in" | "with" | "for" | "of" | "and" | "between" | "on" => None,
            _ if HOST_VERB.is_match(&after_words) => Some(false),
            _ => None,
        }
    };
    match (side(first), side(second)) {
        (Some(true), None | Some(false)) | (None, Some(false)) => Some((first, second)),
        (Some(false), None | Some(true)) | (None, Some(true)) => Some((second, first)),
        _ => None,
    }
}
