//! Quotations: text between quotation marks (“…” or "…", at least four words, on one line) and
//! who said it: the person or organisation named right after the closing mark ("…,” said X", "…,”
//! X told reporters") or right before the opening one ("X said: “…”"), within the same line.

use std::sync::LazyLock;

use regex::Regex;

use super::draft::Draft;
use super::model::{ClaimValue, EntityClass, Predicate};

static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"“[^”\n]+”|"[^"\n]+""#).expect("valid regex"));

/// Words that attribute a quotation.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "wrote",
    "stated",
    "declared",
    "warned",
    "explained",
    "insisted",
    "argued",
    "noted",
];

/// Whether the text between a closing quotation mark and a name attributes the quotation to it:
/// only punctuation, verbs of saying and capitalised words (a title such as "Justice Minister").
fn attribution_gap(gap: &str) -> bool {
    gap.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| {
            let lower = w.to_lowercase();
            SPEECH.contains(&lower.as_str())
                || matches!(lower.as_str(), "the" | "a" | "an")
                || w.chars().next().is_some_and(char::is_uppercase)
        })
}

/// Whether `lead` (the line before a speaker) ends with "according to", perhaps followed by "the",
/// ignoring case and trailing white space.
fn ends_with_according_to(lead: &str) -> bool {
    let mut rest = lead.trim_end();
    while let Some(shorter) = strip_suffix_ignoring_case(rest, "the") {
        rest = shorter;
    }
    strip_suffix_ignoring_case(rest.trim_end(), "according to").is_some()
}

/// `text` without `suffix` (ASCII, compared ignoring case), if it ends with it.
fn strip_suffix_ignoring_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..cut])
}

/// How far (bytes) a speaker may stand from the quotation.
const REACH: usize = 80;

/// Finds quotations and records who said them.
pub(crate) fn find(draft: &mut Draft<'_>) {
    let text = draft.text;
    let speakers = draft.mention_spans(&[
        EntityClass::Official,
        EntityClass::Person,
        EntityClass::Organisation,
    ]);
    let longest_speaker = speakers
        .iter()
        .map(|(_, start, end)| end - start)
        .max()
        .unwrap_or(0);
    // The speakers (sorted by start) starting in a byte range, so that each quotation looks only at
    // those near it.
    let starting_in = |from: usize, to: usize| {
        let first = speakers.partition_point(|(_, start, _)| *start < from);
        let past = speakers.partition_point(|(_, start, _)| *start <= to);
        &speakers[first..past.max(first)]
    };
    // The byte range of the line that holds the current quotation: quotations come in text order
    // and never cross a line break, so each line is searched for once.
    let mut line = 0..0;
    // The text inside the marks is the match without its first and last character (a match
    // without captures: capture groups would send every quotation through a slower engine).
    for whole in QUOTE.find_iter(text) {
        let marks = whole.as_str().chars();
        let opening = marks.clone().next().map_or(0, char::len_utf8);
        let closing = marks.last().map_or(0, char::len_utf8);
        let inner = (whole.start() + opening)..(whole.end() - closing);
        let inner_text = &text[inner.clone()];
        let words = inner_text.split_whitespace().count();
        if words < 4 {
            continue;
        }
        if !line.contains(&whole.start()) {
            let start = text[..whole.start()].rfind('\n').map_or(0, |p| p + 1);
            let end = text[whole.end()..]
                .find('\n')
                .map_or(text.len(), |p| whole.end() + p);
            line = start..end;
        }
        let (line_start, line_end) = (line.start, line.end);
        let after = starting_in(whole.end(), whole.end() + REACH)
            .iter()
            .filter(|(_, start, end)| {
                *start >= whole.end() && *end <= line_end && *start - whole.end() <= REACH
            })
            .min_by_key(|(_, start, _)| *start)
            .filter(|(_, start, _)| attribution_gap(&text[whole.end()..*start]));
        let earliest_start = whole.start().saturating_sub(REACH + longest_speaker);
        let before = starting_in(earliest_start.max(line_start), whole.start())
            .iter()
            .filter(|(_, start, end)| {
                *start >= line_start && *end <= whole.start() && whole.start() - *end <= REACH
            })
            .filter(|(_, start, end)| {
                let gap = text[*end..whole.start()].to_lowercase();
                SPEECH.iter().any(|w| gap.contains(w))
                    || gap.trim() == ":"
                    || ends_with_according_to(&text[line_start..*start])
            })
            .max_by_key(|(_, _, end)| *end);
        let Some((speaker, start, end)) = after.or(before).cloned() else {
            continue;
        };
        let value = ClaimValue::Quote(inner_text.trim().to_string());
        draft.claim(
            &speaker,
            Predicate::Quoted,
            value,
            &[(start, end), (inner.start, inner.end)],
            0.6,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{attribution_gap, ends_with_according_to};

    #[test]
    fn attribution_gaps() {
        assert!(attribution_gap(",” said Justice Minister "));
        assert!(attribution_gap(",” "));
        assert!(attribution_gap(",” the "));
        assert!(!attribution_gap(
            "” emphasizing that implementing President "
        ));
    }

    #[test]
    fn according_to_leads() {
        assert!(ends_with_according_to("Talks went on, According to the  "));
        assert!(ends_with_according_to("according to"));
        assert!(ends_with_according_to("according tothe"));
        assert!(!ends_with_according_to("according to a "));
        assert!(!ends_with_according_to("the"));
        assert!(!ends_with_according_to("according to the🙂"));
    }
}
