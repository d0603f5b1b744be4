//! Quotations: text between quotation marks (“…” or "…", at least four words, on one line) and
//! who said it: the person or organisation named right after the closing mark ("…,” said X", "…,”
//! X told reporters") or right before the opening one ("X said: “…”"), within the same line.

use std::sync::LazyLock;

use regex::Regex;

use super::draft::Draft;
use super::model::{ClaimValue, EntityClass, Predicate};

static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"“([^”\n]+)”|"([^"\n]+)""#).expect("valid regex"));

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
    for quote in QUOTE.captures_iter(text) {
        let (Some(whole), Some(inner)) = (quote.get(0), quote.get(1).or_else(|| quote.get(2)))
        else {
            continue;
        };
        let words = inner.as_str().split_whitespace().count();
        if words < 4 {
            continue;
        }
        let line_end = text[whole.end()..]
            .find('\n')
            .map_or(text.len(), |p| whole.end() + p);
        let line_start = text[..whole.start()].rfind('\n').map_or(0, |p| p + 1);
        let after = speakers
            .iter()
            .filter(|(_, start, end)| {
                *start >= whole.end() && *end <= line_end && *start - whole.end() <= REACH
            })
            .min_by_key(|(_, start, _)| *start)
            .filter(|(_, start, _)| attribution_gap(&text[whole.end()..*start]));
        let before = speakers
            .iter()
            .filter(|(_, start, end)| {
                *start >= line_start && *end <= whole.start() && whole.start() - *end <= REACH
            })
            .filter(|(_, start, end)| {
                let gap = text[*end..whole.start()].to_lowercase();
                let lead = text[line_start..*start].to_lowercase();
                SPEECH.iter().any(|w| gap.contains(w))
                    || gap.trim() == ":"
                    || lead
                        .trim_end()
                        .trim_end_matches("the")
                        .trim_end()
                        .ends_with("according to")
            })
            .max_by_key(|(_, _, end)| *end);
        let Some((speaker, start, end)) = after.or(before).cloned() else {
            continue;
        };
        let value = ClaimValue::Quote(inner.as_str().trim().to_string());
        draft.claim(
            &speaker,
            Predicate::Quoted,
            value,
            &[(start, end), (inner.start(), inner.end())],
            0.6,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::attribution_gap;

    #[test]
    fn attribution_gaps() {
        assert!(attribution_gap(",” said Justice Minister "));
        assert!(attribution_gap(",” "));
        assert!(attribution_gap(",” the "));
        assert!(!attribution_gap(
            "” emphasizing that implementing President "
        ));
    }
}
