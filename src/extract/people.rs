//! People and officials: a title before a name ("Justice Minister Ana Diaz"), a role in apposition
//! ("Ana Diaz, spokesperson for the Ministry of Justice"), speech verbs ("said Ana Diaz", "Ana Diaz
//! told"), and a name right after a closing quote. A person with a post becomes an official, with a
//! `holds` claim naming the post and, where the text says, the organisation or country it is in.
//! Later uses of a surname alone in the same document are mentions of the same person.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use aho_corasick::Match;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use regex::Regex;

use super::administrations::{self, Administration, HEAD_TITLE};
use super::draft::Draft;
use super::gazetteer::Gazetteers;
use super::model::{ClaimValue, EntityClass, MentionKind, OrganisationKind, Predicate};
use super::names::NamedSpan;
use super::tokens::{
    only_spaces_between, Token, TokenisedSentence, HONORIFICS, NAME_PARTICLES, NOT_NAME_STARTS,
};
use super::Found;
use crate::ner::EntityType;
use crate::text::{is_whole_word, tail, word_runs, word_starts_among};

/// After a title: an optional portfolio ("of Mines and Energy", "for Refugees, Trade and Industry"),
/// then a comma and the start of a name.
static PORTFOLIO_THEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+(?:of|for)\s+(?:the\s+)?\p{Lu}[\p{L}&’'-]*(?:(?:,\s+|\s+and\s+|\s+of\s+|\s+for\s+|\s+the\s+|\s+)\p{Lu}[\p{L}&’'-]*)*)?,\s+(\p{Lu})")
        .expect("valid regex")
});

/// After a title: a portfolio and a name with no comma between them ("of Employment and Labor Ana
/// Diaz"; "and Constitutional Development Ana Diaz" after a title with a portfolio, "Minister of
/// Justice"), as one run of capitalised words joined by spaces and small words.
static PORTFOLIO_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:(of|for)\s+(?:the\s+)?|and\s+)(\p{Lu}[\p{L}’'-]*(?:(?:\s+and\s+|\s+of\s+|\s+for\s+|\s+the\s+|\s+)\p{Lu}[\p{L}’'-]*)*)")
        .expect("valid regex")
});

/// A person found by one pattern, before entities are made.
struct Candidate {
    name: String,
    start: usize,
    end: usize,
    post: Option<Post>,
}

struct Post {
    title: String,
    title_span: (usize, usize),
    within: Option<String>,
    national: bool,
    /// An office of a court: held without a stated place, it is in the court named last before.
    judicial: bool,
    /// An office inferred from a name ("the Harris administration"), not stated: placed only by
    /// the document's other offices, never by the countries around its holder.
    inferred: bool,
    confidence: f64,
}

/// Finds people and officials and records them. Gives the mentions of administrations made on the
/// way ("his administration").
pub(crate) fn find(
    gazetteers: &Gazetteers,
    speech_verbs: &HashSet<String>,
    countries: &[Found],
    organisations: &[Found],
    names: &[NamedSpan],
    sentences: &[TokenisedSentence<'_>],
    draft: &mut Draft<'_>,
) -> Vec<Found> {
    let text = draft.text;
    let mut named: Vec<&Found> = countries.iter().chain(organisations.iter()).collect();
    named.sort_by_key(|f| (f.start, f.end));
    let administrations = administrations::named(organisations, draft);
    let mut candidates = Vec::new();
    let mut earlier_start = 0;
    for tokenised in sentences {
        let (sentence_start, sentence_end, sentence, tokens) = (
            tokenised.start,
            tokenised.end,
            tokenised.text,
            &tokenised.tokens,
        );
        // The names in this sentence (no mention crosses a sentence's end).
        let first = named.partition_point(|f| f.start < sentence_start);
        let last = named.partition_point(|f| f.start < sentence_end);
        let context = Context {
            gazetteers,
            sentence,
            sentence_start,
            tokens,
            title_hits: &tokenised.title_hits,
            named: &named[first..last],
            earlier: &named[earlier_start.min(first)..first],
            administrations: &administrations,
        };
        earlier_start = first;
        titled_names(&context, &mut candidates);
        counterparts(&context, &mut candidates);
        spoken_names(&context, speech_verbs, &mut candidates);
        quoted_names(&context, &mut candidates);
    }
    // People the recogniser found that no pattern did, unless a country or organisation is there.
    let mut taken_bytes = vec![false; text.len()];
    let spans = candidates
        .iter()
        .map(|c| (c.start, c.end))
        .chain(named.iter().map(|f| (f.start, f.end)));
    for (start, end) in spans {
        taken_bytes[start..end].fill(true);
    }
    for name in names.iter().filter(|n| n.kind == EntityType::Per) {
        let taken = taken_bytes[name.start..name.end].contains(&true);
        if !taken {
            let text_of_name = text[name.start..name.end].to_string();
            candidates.push(Candidate {
                name: text_of_name,
                start: name.start,
                end: name.end,
                post: None,
            });
        }
    }
    // The heads of administrations named after them, unless the text gives them an office.
    for (word, span) in administrations::heads(&administrations, names, text) {
        let has_office = candidates
            .iter()
            .any(|c| c.post.is_some() && c.name.split_whitespace().last() == Some(word.as_str()));
        if !has_office {
            candidates.push(Candidate {
                name: word,
                start: span.0,
                end: span.1,
                post: Some(Post {
                    title: HEAD_TITLE.to_string(),
                    title_span: span,
                    within: None,
                    national: true,
                    judicial: false,
                    inferred: true,
                    confidence: 0.4,
                }),
            });
        }
    }
    record(candidates, countries, draft);
    administrations::possessive_mentions(draft)
}

struct Context<'a, 't> {
    gazetteers: &'a Gazetteers,
    sentence: &'t str,
    sentence_start: usize,
    tokens: &'a [Token<'t>],
    /// The titles found in the sentence.
    title_hits: &'a [Match],
    named: &'a [&'a Found],
    /// The names of the sentence before, which "its" and "their" refer back to.
    earlier: &'a [&'a Found],
    administrations: &'a [Administration],
}

impl Context<'_, '_> {
    fn absolute(&self, token: &Token<'_>) -> (usize, usize) {
        (
            self.sentence_start + token.start,
            self.sentence_start + token.end,
        )
    }

    /// The country or organisation mention covering a token, if any.
    fn named_at(&self, token: &Token<'_>) -> Option<&Found> {
        let (start, end) = self.absolute(token);
        // The names are sorted by start; one covering the token starts at or before it, and
        // names nest only a few deep. The innermost (a country inside its government) wins.
        let before = self.named.partition_point(|f| f.start <= start);
        self.named[..before]
            .iter()
            .rev()
            .take(8)
            .copied()
            .filter(|f| end <= f.end)
            .min_by_key(|f| f.end - f.start)
    }

    fn can_be_in_name(&self, token: &Token<'_>) -> bool {
        token.is_capitalised()
            && !NOT_NAME_STARTS.contains(&token.text)
            && !self
                .gazetteers
                .heads
                .contains_key(token.without_possessive())
            && self
                .named_at(token)
                .is_none_or(|f| self.administration_named_by(token) == Some(&f.entity))
            && !token.text.chars().all(|c| c.is_uppercase() || c == '.')
            && !is_title_word(self, token)
    }

    /// The administration named after the word of a token ("Harris" in "the Harris administration").
    fn administration_named_by(&self, token: &Token<'_>) -> Option<&String> {
        let word = token.without_possessive();
        self.administrations
            .iter()
            .find(|a| a.word == word)
            .map(|a| &a.entity)
    }

    /// A personal name starting at token `first`: capitalised words (with particles), at most four,
    /// ending at a possessive. Gives the token range.
    fn name_from(&self, first: usize) -> Option<(usize, usize)> {
        let tokens = self.tokens;
        if first >= tokens.len() || !self.can_be_in_name(&tokens[first]) {
            return None;
        }
        let mut last = first;
        let mut probe = first + 1;
        while probe < tokens.len()
            && probe - first < 5
            && only_spaces_between(self.sentence, &tokens[probe - 1], &tokens[probe])
        {
            if tokens[last].without_possessive() != tokens[last].text {
                break;
            }
            let word = &tokens[probe];
            if self.can_be_in_name(word) {
                last = probe;
                probe += 1;
            } else if NAME_PARTICLES.contains(&word.text)
                && probe + 1 < tokens.len()
                && self.can_be_in_name(&tokens[probe + 1])
            {
                probe += 1;
            } else {
                break;
            }
        }
        Some((first, last))
    }

    /// The token after an honorific at `index` ("Dr", "Prof"), or `index` itself.
    fn after_honorific(&self, index: usize) -> usize {
        if HONORIFICS.contains(&self.tokens[index].text) && index + 1 < self.tokens.len() {
            index + 1
        } else {
            index
        }
    }

    /// The token after a title that stands as a rank before a name at `index` ("Major General" in
    /// "Its spokesperson, Major General Ana Diaz"), or `index` itself.
    fn after_rank(&self, index: usize) -> usize {
        let start = self.tokens[index].start;
        let first = self.title_hits.partition_point(|hit| hit.start() < start);
        self.title_hits[first..]
            .first()
            .filter(|hit| hit.start() == start)
            .and_then(|hit| self.token_at_or_after(hit.end()))
            .unwrap_or(index)
    }

    /// A personal name of at least two words ending at token `last`.
    fn name_until(&self, last: usize) -> Option<(usize, usize)> {
        let tokens = self.tokens;
        if !self.can_be_in_name(&tokens[last]) {
            return None;
        }
        let mut first = last;
        while first > 0
            && last - first < 3
            && only_spaces_between(self.sentence, &tokens[first - 1], &tokens[first])
            && self.can_be_in_name(&tokens[first - 1])
        {
            first -= 1;
        }
        (first < last).then_some((first, last))
    }

    fn candidate(&self, (first, last): (usize, usize), post: Option<Post>) -> Candidate {
        let start = self.sentence_start + self.tokens[first].start;
        let end = self.sentence_start
            + self.tokens[last].start
            + self.tokens[last].without_possessive().len();
        let name = self.sentence[self.tokens[first].start..end - self.sentence_start].to_string();
        Candidate {
            name,
            start,
            end,
            post,
        }
    }

    /// The token index of the first token starting at or after byte `offset` of the sentence.
    fn token_at_or_after(&self, offset: usize) -> Option<usize> {
        let index = self.tokens.partition_point(|t| t.start < offset);
        (index < self.tokens.len()).then_some(index)
    }
}

/// The name that ends the portfolio after a government title (at a byte range of the sentence),
/// with no comma between them ("Minister of Employment and Labor Ana Diaz said"), and the byte
/// where the portfolio ends. The run of capitalised words stops before the next title ("... Ana
/// Diaz and Chilean Minister of ..."), less the words that cannot be in a name. Which words are the name is
/// not written; it is taken to be the last two, as most names in news are, and only when at least
/// one portfolio word stays before them, the next word is no part of a longer name, and both could
/// be in a name.
fn name_after_portfolio(
    context: &Context<'_, '_>,
    (title_start, title_end): (usize, usize),
) -> Option<((usize, usize), usize)> {
    let sentence = context.sentence;
    let captures = PORTFOLIO_RUN.captures(&sentence[title_end..])?;
    let title = &sentence[title_start..title_end];
    let continues_portfolio = title.contains(" of ") || title.contains(" for ");
    if captures.get(1).is_none() && !continues_portfolio {
        return None;
    }
    let run = captures.get(2)?;
    let (run_start, run_end) = (title_end + run.start(), title_end + run.end());
    let next_word = sentence[run_end..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    if NAME_PARTICLES.contains(&next_word) {
        return None;
    }
    // The hits are in text order: those after the run's start follow it.
    let after_run_start = context
        .title_hits
        .partition_point(|hit| hit.start() <= run_start);
    let next_title = context.title_hits[after_run_start..]
        .iter()
        .filter(|hit| is_whole_word(sentence, hit.start(), hit.end()))
        .map(Match::start)
        .next();
    let limit = next_title.map_or(run_end, |start| start.min(run_end));
    let tokens = context.tokens;
    let mut last = tokens.partition_point(|t| t.end <= limit).checked_sub(1)?;
    // At most a few words ("and South Korean") stand between a name and the next title.
    for _ in 0..3 {
        if tokens[last].start < run_start || context.can_be_in_name(&tokens[last]) {
            break;
        }
        last = last.checked_sub(1)?;
    }
    let first = last.checked_sub(1)?;
    let portfolio_last = first.checked_sub(1)?;
    let whole = tokens[portfolio_last].start >= run_start
        && tokens[portfolio_last].is_capitalised()
        && only_spaces_between(sentence, &tokens[portfolio_last], &tokens[first])
        && only_spaces_between(sentence, &tokens[first], &tokens[last]);
    (whole && context.can_be_in_name(&tokens[first]) && context.can_be_in_name(&tokens[last]))
        .then_some(((first, last), tokens[portfolio_last].end))
}

fn is_title_word(context: &Context<'_, '_>, token: &Token<'_>) -> bool {
    context
        .gazetteers
        .titles
        .iter()
        .any(|t| t.title.eq_ignore_ascii_case(token.text))
}

/// "Prime Minister Ana Diaz", "Peruvian Trade Minister Ana Diaz", and "Ana Diaz, spokesperson for X".
fn titled_names(context: &Context<'_, '_>, candidates: &mut Vec<Candidate>) {
    let sentence = context.sentence;
    for hit in context.title_hits {
        if !is_whole_word(sentence, hit.start(), hit.end()) {
            continue;
        }
        let entry = &context.gazetteers.titles[hit.pattern().as_usize()];
        let title_start = extended_title_start(context, hit.start(), &entry.title);
        let title = title_case(&sentence[title_start..hit.end()]);
        let title_span = (
            context.sentence_start + title_start,
            context.sentence_start + hit.end(),
        );
        let post_of = |within: Option<String>, confidence: f64| {
            entry.is_post.then(|| Post {
                title: title.clone(),
                title_span,
                within,
                national: entry.is_national,
                judicial: entry.is_judicial,
                inferred: false,
                confidence,
            })
        };
        // Title before a name, perhaps after an honorific ("State Secretary Dr. Ana Diaz").
        if let Some(first) = context.token_at_or_after(hit.end()) {
            let next = context.after_honorific(first);
            let follows = sentence[hit.end()..context.tokens[first].start]
                .chars()
                .all(|c| c == ' ')
                && (next == first
                    || sentence[context.tokens[first].end..context.tokens[next].start]
                        .chars()
                        .all(|c| c == ' ' || c == '.'));
            if follows && hit.end() < context.tokens[first].start {
                if let Some(range) = context.name_from(next) {
                    let owner = owner_before(context, title_start)
                        .or_else(|| represented(context, context.tokens[range.1].end));
                    let post = post_of(owner, 0.7);
                    candidates.push(context.candidate(range, post));
                    continue;
                }
            }
        }
        // Title of|for Portfolio Name ("Minister of Employment and Labor Ana Diaz said").
        if let Some((range, portfolio_end)) = entry
            .is_national
            .then(|| name_after_portfolio(context, (hit.start(), hit.end())))
            .flatten()
        {
            let owner = owner_before(context, title_start);
            let post = post_of(owner, 0.6).map(|post| Post {
                title: title_case(&sentence[title_start..portfolio_end]),
                title_span: (title_span.0, context.sentence_start + portfolio_end),
                ..post
            });
            candidates.push(context.candidate(range, post));
            continue;
        }
        // Title [of|for Portfolio], Name, ("Uganda's Minister for Refugees, Ana Diaz, said").
        if let Some(name_start) = PORTFOLIO_THEN_NAME
            .captures(&sentence[hit.end()..])
            .and_then(|c| c.get(1))
            .map(|m| hit.end() + m.start())
        {
            let named = context
                .token_at_or_after(name_start)
                .map(|first| context.after_rank(first))
                .and_then(|first| context.name_from(context.after_honorific(first)))
                .filter(|&(first, last)| {
                    last > first && sentence[context.tokens[last].end..].starts_with(',')
                });
            if let Some(range) = named {
                let post = post_of(owner_before(context, title_start), 0.6);
                candidates.push(context.candidate(range, post));
                continue;
            }
        }
        // Name, [the|a] [modifiers] title [for|at|of|to|with X].
        let before = &sentence[..title_start];
        // Only the last few words before the title can be the name and its comma.
        let near = tail(before, title_start, 200);
        let Some(comma) = near
            .rfind(", ")
            .map(|position| title_start - near.len() + position)
        else {
            continue;
        };
        let between = &before[comma + 2..];
        if between.split_whitespace().count() > 4 || between.contains(['"', '“', '”', '(']) {
            continue;
        }
        let between_ok = between.split_whitespace().all(|word| {
            word.chars().next().is_some_and(|c| c.is_lowercase())
                || context.named.iter().any(|f| {
                    let word_start =
                        context.sentence_start + comma + 2 + between.find(word).unwrap_or(0);
                    f.start <= word_start && word_start < f.end
                })
        });
        if !between_ok {
            continue;
        }
        let Some(last_index) = context
            .tokens
            .partition_point(|t| t.end <= comma)
            .checked_sub(1)
        else {
            continue;
        };
        if context.tokens[last_index].end != comma {
            continue;
        }
        let Some(range) = context.name_until(last_index) else {
            continue;
        };
        let clause_end = sentence[hit.end()..]
            .find([',', ';', '.', '”', '"', '(', '\n'])
            .map_or(sentence.len(), |p| hit.end() + p);
        let clause = (
            context.sentence_start + hit.end(),
            context.sentence_start + clause_end,
        );
        // The body named right before the title ("the WFP's country director") wins over one in the
        // clause after it ("... in Bangladesh"); in the clause, the last name not inside another (the
        // body "at Amnesty International" after a division of it).
        let in_clause: Vec<&Found> = context
            .named
            .iter()
            .copied()
            .filter(|f| clause.0 <= f.start && f.end <= clause.1)
            .collect();
        let outermost = in_clause
            .iter()
            .copied()
            .filter(|f| {
                !in_clause.iter().any(|g| {
                    g.start <= f.start && f.end <= g.end && (g.start, g.end) != (f.start, f.end)
                })
            })
            .max_by_key(|f| f.start);
        let within = owner_before(context, title_start)
            .and_then(|id| context.named.iter().copied().find(|f| f.entity == id))
            .or(outermost)
            .or_else(|| {
                let lead = (
                    context.sentence_start + comma,
                    context.sentence_start + title_start,
                );
                context
                    .named
                    .iter()
                    .copied()
                    .filter(|f| lead.0 <= f.start && f.end <= lead.1)
                    .max_by_key(|f| f.start)
            })
            .map(|f| f.entity.clone());
        let post = post_of(within, 0.6);
        candidates.push(context.candidate(range, post));
    }
}

/// Where a one-word title written with a capital starts once the capitalised word before it joins
/// it ("Trade Minister", "Energy Secretary"); that word must not name a country or organisation
/// ("Peruvian Minister" stays "Minister", in Peru).
fn extended_title_start(context: &Context<'_, '_>, start: usize, title: &str) -> usize {
    let written = &context.sentence[start..];
    if title.contains(' ') || !written.starts_with(char::is_uppercase) {
        return start;
    }
    let Ok(index) = context.tokens.binary_search_by_key(&start, |t| t.start) else {
        return start;
    };
    if index == 0 {
        return start;
    }
    let previous = &context.tokens[index - 1];
    let joins = only_spaces_between(context.sentence, previous, &context.tokens[index])
        && previous.is_capitalised()
        && previous.without_possessive() == previous.text
        && !NOT_NAME_STARTS.contains(&previous.text)
        && context.named_at(previous).is_none()
        && !is_title_word(context, previous);
    if joins {
        previous.start
    } else {
        start
    }
}

/// What a title belongs to, named right before it: a country or organisation ("Peruvian", "Chile's",
/// "the Ministry's"), or a person's administration ("Harris spokeswoman").
fn owner_before(context: &Context<'_, '_>, title_start: usize) -> Option<String> {
    named_just_before(context, title_start)
        .or_else(|| referent_of_its(context, title_start))
        .or_else(|| {
            let index = context
                .tokens
                .binary_search_by_key(&title_start, |t| t.start)
                .ok()?;
            let previous = context.tokens.get(index.checked_sub(1)?)?;
            let adjacent = only_spaces_between(context.sentence, previous, &context.tokens[index]);
            adjacent
                .then(|| context.administration_named_by(previous).cloned())
                .flatten()
        })
}

/// The body or country a person acts for, named right after their name ("Ana Diaz on behalf of
/// the Ministry of Energy"); `name_end` is the end of the name in bytes of the sentence.
fn represented(context: &Context<'_, '_>, name_end: usize) -> Option<String> {
    let rest = &context.sentence[name_end..];
    let after = rest
        .strip_prefix(" on behalf of ")
        .or_else(|| rest.strip_prefix(", on behalf of "))?;
    let after = after.strip_prefix("the ").unwrap_or(after);
    let start = context.sentence_start + context.sentence.len() - after.len();
    let first = context.named.partition_point(|f| f.start < start);
    context.named[first..]
        .iter()
        .take_while(|f| f.start == start)
        .max_by_key(|f| f.end)
        .map(|f| f.entity.clone())
}

/// What "its" or "their" right before a title refers to ("Its spokesperson, ..."): the last body
/// named before it in the sentence or the one before, else the last country or government.
fn referent_of_its(context: &Context<'_, '_>, title_start: usize) -> Option<String> {
    let index = context
        .tokens
        .binary_search_by_key(&title_start, |t| t.start)
        .ok()?;
    let previous = context.tokens.get(index.checked_sub(1)?)?;
    let refers_back = matches!(previous.text, "Its" | "its" | "Their" | "their")
        && only_spaces_between(context.sentence, previous, &context.tokens[index]);
    if !refers_back {
        return None;
    }
    let before = context.sentence_start + previous.start;
    // The last names before "its", nearest first (a bounded look-back keeps a long sentence linear).
    let in_sentence = context.named.partition_point(|f| f.start < before);
    let named_before: Vec<&Found> = context.named[..in_sentence]
        .iter()
        .rev()
        .chain(context.earlier.iter().rev())
        .take(32)
        .copied()
        .filter(|f| f.end <= before)
        .collect();
    let last = |bodies_only: bool| {
        named_before
            .iter()
            .filter(|f| !bodies_only || f.country_code.is_none())
            .max_by_key(|f| (f.start, f.end))
            .map(|f| f.entity.clone())
    };
    last(true).or_else(|| last(false))
}

/// The country or organisation named right before a title ("Peruvian", "Chile's", "the Ministry's").
fn named_just_before(context: &Context<'_, '_>, title_start: usize) -> Option<String> {
    let absolute = context.sentence_start + title_start;
    // The names are sorted by start: one ending right before the title starts shortly before it
    // (names nest only a few deep), so only the last few are looked at.
    let before = context.named.partition_point(|f| f.start < absolute);
    context.named[..before]
        .iter()
        .rev()
        .take(8)
        .filter(|f| context.sentence_start <= f.start && f.end <= absolute)
        .filter(|f| {
            let gap = &context.sentence[f.end - context.sentence_start..title_start];
            let gap = gap
                .strip_prefix("’s")
                .or_else(|| gap.strip_prefix("'s"))
                .unwrap_or(gap);
            !gap.is_empty() && gap.chars().all(|c| c == ' ')
        })
        .max_by_key(|f| f.end)
        .map(|f| f.entity.clone())
}

/// "Peru's Trade Minister Ana Diaz and her Chilean counterpart, Rosa Vial": the counterpart holds
/// the same title in the country named before "counterpart".
fn counterparts(context: &Context<'_, '_>, candidates: &mut Vec<Candidate>) {
    let tokens = context.tokens;
    for (index, token) in tokens.iter().enumerate() {
        if token.text != "counterpart" || index == 0 {
            continue;
        }
        let Some(country) = context.named_at(&tokens[index - 1]) else {
            continue;
        };
        let sentence_range = (
            context.sentence_start,
            context.sentence_start + context.sentence.len(),
        );
        let Some(title) = candidates
            .iter()
            .rev()
            .filter(|c| sentence_range.0 <= c.start && c.end <= sentence_range.1)
            .find_map(|c| c.post.as_ref())
            .map(|post| (post.title.clone(), post.national))
        else {
            continue;
        };
        let Some(next) = context.token_at_or_after(token.end) else {
            continue;
        };
        let gap = &context.sentence[token.end..tokens[next].start];
        if !matches!(gap, " " | ", ") {
            continue;
        }
        if let Some(range) = context.name_from(next).filter(|(first, last)| last > first) {
            let post = Post {
                title: title.0,
                title_span: context.absolute(token),
                within: Some(country.entity.clone()),
                national: title.1,
                judicial: false,
                inferred: false,
                confidence: 0.5,
            };
            candidates.push(context.candidate(range, Some(post)));
        }
    }
}

/// "said Ana Diaz", "Ana Diaz told", "according to Ana Diaz".
fn spoken_names(
    context: &Context<'_, '_>,
    speech_verbs: &HashSet<String>,
    candidates: &mut Vec<Candidate>,
) {
    let tokens = context.tokens;
    for (index, token) in tokens.iter().enumerate() {
        let is_verb = speech_verbs.contains(token.text);
        let is_according = token.text == "to"
            && index > 0
            && tokens[index - 1].text.eq_ignore_ascii_case("according");
        if !is_verb && !is_according {
            continue;
        }
        if let Some((first, last)) = context.name_from(index + 1) {
            if last > first && only_spaces_between(context.sentence, token, &tokens[index + 1]) {
                candidates.push(context.candidate((first, last), None));
            }
        }
        if is_verb && index > 0 && only_spaces_between(context.sentence, &tokens[index - 1], token)
        {
            if let Some(range) = context.name_until(index - 1) {
                candidates.push(context.candidate(range, None));
            }
        }
    }
}

/// A name standing right after a closing quote at the end of a sentence (“...,” Ana Diaz).
fn quoted_names(context: &Context<'_, '_>, candidates: &mut Vec<Candidate>) {
    let sentence = context.sentence;
    for (position, quote) in sentence.match_indices(['”', '"']) {
        let after = position + quote.len();
        let Some(next) = context.token_at_or_after(after) else {
            continue;
        };
        if !sentence[after..context.tokens[next].start]
            .chars()
            .all(|c| c == ' ' || c == ',')
        {
            continue;
        }
        let Some((first, last)) = context.name_from(next) else {
            continue;
        };
        let rest = sentence[context.tokens[last].end..].trim();
        if last > first && (rest.is_empty() || rest == ".") {
            candidates.push(context.candidate((first, last), None));
        }
    }
}

fn title_case(title: &str) -> String {
    title
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) if !matches!(word, "of" | "the" | "for" | "and") => {
                    first.to_uppercase().chain(chars).collect()
                }
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Surnames (or one-word names) used alone elsewhere in the document: mentions of their people, in
/// one pass over the text for all of them.
fn mention_surnames(people: &[(String, String)], draft: &mut Draft<'_>) {
    // The first person with each surname takes its lone uses.
    let mut surnames: Vec<&str> = Vec::new();
    let mut bearers: Vec<(&str, MentionKind)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (name, id) in people {
        let Some(surname) = name.split_whitespace().last() else {
            continue;
        };
        let kind = if surname == name {
            MentionKind::Name
        } else {
            MentionKind::PartialName
        };
        if seen.insert(surname) {
            surnames.push(surname);
            bearers.push((id, kind));
        }
    }
    let mut uses = whole_word_uses(draft.text, &surnames);
    // In order of their ends, the longer first where two end together.
    uses.sort_unstable_by_key(|&(start, end, _)| (end, std::cmp::Reverse(end - start)));
    for (position, end, index) in uses {
        if draft.is_covered(position, end) {
            continue;
        }
        let (id, kind) = bearers[index];
        draft.mention(id, kind, position, end);
    }
}

/// The start of every match of `word` in `text`, overlapping ones too ("''" is in "'''" twice).
fn overlapping_matches<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + text.get(from..)?.find(word)?;
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        Some(start)
    })
}

/// Every whole-word use in `text` of each of `words` (distinct), as (start, end, index of the
/// word), in no particular order. Such a use spans whole runs of word characters, so at each place
/// a run starts with a word's first byte, the spans of one, two, … runs from there are looked up
/// whole; a word that starts or ends with another character is searched for as it is, overlapping
/// uses included.
fn whole_word_uses(text: &str, words: &[&str]) -> Vec<(usize, usize, usize)> {
    let mut uses = Vec::new();
    let mut by_span: HashMap<&str, usize> = HashMap::new();
    let mut first_bytes = [false; 256];
    let mut most_runs = 0;
    for (index, word) in words.iter().enumerate() {
        let runs: Vec<(usize, usize)> = word_runs(word).collect();
        match (runs.first(), runs.last()) {
            (Some(&(0, _)), Some(&(_, end))) if end == word.len() => {
                by_span.insert(word, index);
                first_bytes[usize::from(word.as_bytes()[0])] = true;
                most_runs = most_runs.max(runs.len());
            }
            _ if word.is_empty() => {}
            _ => uses.extend(
                overlapping_matches(text, word)
                    .map(|start| (start, start + word.len(), index))
                    .filter(|&(start, end, _)| is_whole_word(text, start, end)),
            ),
        }
    }
    if most_runs == 0 {
        return uses;
    }
    for from in word_starts_among(text, &first_bytes) {
        for (_, end) in word_runs(&text[from..]).take(most_runs) {
            if let Some(&index) = by_span.get(&text[from..from + end]) {
                uses.push((from, from + end, index));
            }
        }
    }
    uses
}

/// Makes entities, mentions and claims from the candidates; one-word names join the unique
/// longer name in the document that ends with them. A country's office held with no stated place
/// ("President Ana Diaz") is placed in the country named most often in the sentences that mention
/// its holder, when one country leads.
fn record(candidates: Vec<Candidate>, countries: &[Found], draft: &mut Draft<'_>) {
    // The full names (two words or more) ending in each last word.
    let mut full_names: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for candidate in &candidates {
        let mut words = candidate.name.split_whitespace();
        if let (Some(_), Some(last)) = (words.next(), words.next_back()) {
            full_names
                .entry(last)
                .or_default()
                .insert(candidate.name.as_str());
        }
    }
    let canonical = |name: &str| -> String {
        if name.split_whitespace().nth(1).is_some() {
            return name.to_string();
        }
        match full_names.get(name) {
            Some(matches) if matches.len() == 1 => {
                matches.iter().next().map_or(name, |m| m).to_string()
            }
            _ => name.to_string(),
        }
    };
    let mut people: Vec<(String, String)> = Vec::new();
    let mut known_people: HashSet<String> = HashSet::new();
    let mut posts: Vec<(String, &Candidate, &Post)> = Vec::new();
    for candidate in &candidates {
        let name = canonical(&candidate.name);
        let id = draft.entity(EntityClass::Person, &name.to_lowercase(), &name);
        if !draft.mention(
            &id,
            if name == candidate.name {
                MentionKind::Name
            } else {
                MentionKind::PartialName
            },
            candidate.start,
            candidate.end,
        ) && !draft.is_covered(candidate.start, candidate.end)
        {
            continue;
        }
        if let Some(post) = &candidate.post {
            draft.set_class(&id, EntityClass::Official);
            posts.push((id.clone(), candidate, post));
        }
        if known_people.insert(id.clone()) {
            people.push((name, id));
        }
    }
    mention_surnames(&people, draft);
    // Per sentence, each country named in it and its weight: an owner ("Chile's", "Chilean")
    // counts twice, as it ties things to itself.
    let mut countries_by_sentence: HashMap<usize, Vec<(&str, usize)>> = HashMap::new();
    for country in countries {
        let Some((index, ..)) = draft.sentence_of_bytes(country.start, country.end) else {
            continue;
        };
        let after = &draft.text[country.end..];
        let owner = after.starts_with("’s")
            || after.starts_with("'s")
            || draft.mention_kind_at(country.start, country.end) == Some(MentionKind::Demonym);
        let weight = if owner { 2 } else { 1 };
        let tally = countries_by_sentence.entry(index).or_default();
        match tally.iter_mut().find(|(id, _)| *id == country.entity) {
            Some((_, count)) => *count += weight,
            None => tally.push((&country.entity, weight)),
        }
    }
    let mut sentences_of: HashMap<String, HashSet<usize>> = HashMap::new();
    for (entity, start, end) in draft.mention_spans(&[EntityClass::Official, EntityClass::Person]) {
        if let Some((index, ..)) = draft.sentence_of_bytes(start, end) {
            sentences_of.entry(entity).or_default().insert(index);
        }
    }
    let no_sentences = HashSet::new();
    // Courts ordered by where they end; the sort is stable, so courts ending at the same place stay
    // in mention order, and the last of those ending before a title is its court.
    let mut courts: Vec<(usize, String)> = draft
        .mention_spans(&[EntityClass::Organisation])
        .into_iter()
        .filter(|(entity, ..)| {
            draft
                .record(entity)
                .is_some_and(|r| r.kinds.contains(&OrganisationKind::Court))
        })
        .map(|(entity, _, end)| (end, entity))
        .collect();
    courts.sort_by_key(|(end, _)| *end);
    // A person's leading country depends only on the person: found once, however many posts the
    // person's mentions carry (a long transcript may name one official thousands of times).
    let mut leading_countries: HashMap<&str, Option<String>> = HashMap::new();
    let placed: Vec<Option<String>> = posts
        .iter()
        .map(|(id, _, post)| {
            let court_before = || {
                let ended = courts.partition_point(|(end, _)| *end <= post.title_span.0);
                ended.checked_sub(1).map(|last| courts[last].1.clone())
            };
            let court = post.judicial.then(court_before).flatten();
            post.within.clone().or(court).or_else(|| {
                (post.national && !post.inferred)
                    .then(|| {
                        leading_countries
                            .entry(id.as_str())
                            .or_insert_with(|| {
                                let sentences = sentences_of.get(id).unwrap_or(&no_sentences);
                                leading_country(sentences, &countries_by_sentence)
                            })
                            .clone()
                    })
                    .flatten()
            })
        })
        .collect();
    // A country's office still without a place is in the country of the document's other
    // countries' offices, when they are all in one.
    let country_entities: HashSet<&str> = countries.iter().map(|c| c.entity.as_str()).collect();
    let national_countries: Vec<&String> = posts
        .iter()
        .zip(&placed)
        .filter(|((_, _, post), _)| post.national && !post.inferred)
        .filter_map(|(_, within)| within.as_ref())
        .filter(|within| country_entities.contains(within.as_str()))
        .collect();
    let only_country = national_countries
        .first()
        .filter(|first| national_countries.iter().all(|other| other == *first))
        .map(|first| (*first).clone());
    for ((id, candidate, post), within) in posts.into_iter().zip(placed) {
        let within = within.or_else(|| post.national.then(|| only_country.clone()).flatten());
        draft.claim(
            &id,
            Predicate::Holds,
            ClaimValue::Post {
                title: post.title.clone(),
                within,
            },
            &[post.title_span, (candidate.start, candidate.end)],
            post.confidence,
        );
    }
}

/// The country named most often around a person, if one leads alone: first in the sentences that
/// mention the person, then, if none leads there, in those and the sentences just before and after.
fn leading_country(
    sentences: &HashSet<usize>,
    countries_by_sentence: &HashMap<usize, Vec<(&str, usize)>>,
) -> Option<String> {
    let neighbourhood: BTreeSet<usize> = sentences
        .iter()
        .flat_map(|&index| [index.saturating_sub(1), index, index + 1])
        .collect();
    let holder: BTreeSet<usize> = sentences.iter().copied().collect();
    leader_in(&holder, countries_by_sentence)
        .or_else(|| leader_in(&neighbourhood, countries_by_sentence))
}

/// The country with the most weight in the given sentences, if one leads alone.
fn leader_in(
    sentences: &BTreeSet<usize>,
    countries_by_sentence: &HashMap<usize, Vec<(&str, usize)>>,
) -> Option<String> {
    let mut tally: Vec<(&str, usize)> = Vec::new();
    let named = sentences
        .iter()
        .filter_map(|index| countries_by_sentence.get(index))
        .flatten();
    for &(country, weight) in named {
        match tally.iter_mut().find(|(id, _)| *id == country) {
            Some((_, count)) => *count += weight,
            None => tally.push((country, weight)),
        }
    }
    tally.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    match tally.as_slice() {
        [(only, _)] => Some((*only).to_string()),
        [(first, top), (_, second), ..] if top > second => Some((*first).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every whole-word use of each word, searched for one word at a time.
    fn uses_one_by_one(text: &str, words: &[&str]) -> Vec<(usize, usize, usize)> {
        let mut uses: Vec<(usize, usize, usize)> = words
            .iter()
            .enumerate()
            .filter(|(_, word)| !word.is_empty())
            .flat_map(|(index, word)| {
                (0..text.len())
                    .filter(move |&start| {
                        text.is_char_boundary(start) && text[start..].starts_with(word)
                    })
                    .map(move |start| (start, start + word.len(), index))
            })
            .filter(|&(start, end, _)| is_whole_word(text, start, end))
            .collect();
        uses.sort_unstable();
        uses
    }

    proptest! {
        #[test]
        fn surname_uses_are_every_whole_word_use(
            text in "[A-Za-zÀÉé_0-9’'\\- .,]{0,60}",
            words in proptest::collection::btree_set("[A-Za-zÉé_’'\\- ]{1,9}", 0..5),
        ) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let mut found = whole_word_uses(&text, &words);
            found.sort_unstable();
            prop_assert_eq!(found, uses_one_by_one(&text, &words));
        }
    }

    #[test]
    fn surnames_are_found_whole_inside_hyphens_and_possessives_only() {
        let text = "Al-Sisi met Sisi; Sisiphus and Sisi’s aide, Ana de la Cruz-Vega.";
        let words = ["Sisi", "Al-Sisi", "Cruz-Vega", "de la Cruz"];
        let mut found: Vec<&str> = whole_word_uses(text, &words)
            .into_iter()
            .map(|(start, end, _)| &text[start..end])
            .collect();
        found.sort_unstable();
        assert_eq!(
            found,
            ["Al-Sisi", "Cruz-Vega", "Sisi", "Sisi", "Sisi", "de la Cruz"]
        );
    }
}
