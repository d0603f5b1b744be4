//! Word tokens with byte offsets, and the small word lists the patterns share.
//!
//! A token is a run of letters and digits with inner apostrophes, hyphens, ampersands and dots
//! ("Children’s", "al-Sisi", "AT&T"), or a dotted abbreviation with its final stop ("U.S.").

use aho_corasick::{AhoCorasick, Match};

/// One word of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'t> {
    /// The word.
    pub text: &'t str,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

impl Token<'_> {
    /// Whether it starts with a capital letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// The word without a final possessive `’s` / `'s`.
    pub fn without_possessive(&self) -> &str {
        self.text
            .strip_suffix("’s")
            .or_else(|| self.text.strip_suffix("'s"))
            .unwrap_or(self.text)
    }
}

/// The tokens of `text` in order, in one pass over its characters: at each letter or digit, a
/// dotted abbreviation if two or more capital-and-stop pairs start there, else the longest run of
/// letters, digits and inner `’'&.-` that ends on a letter or digit.
pub(crate) fn tokenise(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut position = 0;
    while let Some(offset) = text[position..].find(is_word_character) {
        let start = position + offset;
        let end = dotted_abbreviation_end(text, start).unwrap_or_else(|| word_end(text, start));
        tokens.push(Token {
            text: &text[start..end],
            start,
            end,
        });
        position = end;
    }
    tokens
}

/// A letter or a digit.
fn is_word_character(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// The end of "U.S." or "E.U.N." starting at `start`: two or more capitals each followed by a stop.
fn dotted_abbreviation_end(text: &str, start: usize) -> Option<usize> {
    let mut end = start;
    let mut pairs = 0;
    let mut chars = text[start..].chars();
    while let (Some(capital), Some('.')) = (chars.next(), chars.next()) {
        if !capital.is_uppercase() {
            break;
        }
        end += capital.len_utf8() + 1;
        pairs += 1;
    }
    (pairs >= 2).then_some(end)
}

/// The end of the word starting at `start` (a letter or digit): the last letter or digit before the
/// first character that is neither one nor an inner `’'&.-`.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    for (offset, c) in text[start..].char_indices() {
        if is_word_character(c) {
            end = start + offset + c.len_utf8();
        } else if !matches!(c, '’' | '\'' | '&' | '.' | '-') {
            break;
        }
    }
    end
}

/// A sentence of a document with its tokens, tokenised once for all the rule passes.
#[derive(Debug)]
pub(crate) struct TokenisedSentence<'t> {
    /// Byte offset of the sentence in the document's text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The sentence.
    pub text: &'t str,
    /// Its tokens, in bytes of the sentence.
    pub tokens: Vec<Token<'t>>,
    /// Whether it is a heading ([`is_heading`]).
    pub is_heading: bool,
    /// The titles ("Prime Minister", "spokeswoman") found in it, leftmost-longest, in bytes of the
    /// sentence; the pattern is the index of the title in the gazetteer.
    pub title_hits: Vec<Match>,
}

/// Tokenises each sentence (byte ranges of `text`) and finds the titles in it with
/// `title_matcher`.
pub(crate) fn tokenise_sentences<'t>(
    text: &'t str,
    ranges: &[(usize, usize)],
    title_matcher: &AhoCorasick,
) -> Vec<TokenisedSentence<'t>> {
    ranges
        .iter()
        .map(|&(start, end)| {
            let sentence = &text[start..end];
            let tokens = tokenise(sentence);
            TokenisedSentence {
                start,
                end,
                text: sentence,
                is_heading: is_heading(sentence, &tokens),
                tokens,
                title_hits: title_matcher.find_iter(sentence).collect(),
            }
        })
        .collect()
}

/// Whether the bytes between two tokens are only spaces (no punctuation, no line break).
pub(crate) fn only_spaces_between(text: &str, left: &Token<'_>, right: &Token<'_>) -> bool {
    left.end <= right.start
        && text[left.end..right.start]
            .chars()
            .all(|c| c == ' ' || c == '\u{a0}')
        && left.end < right.start
}

/// Capitalised function words that begin sentences but never begin a name.
pub(crate) const NOT_NAME_STARTS: &[&str] = &[
    "A",
    "About",
    "According",
    "After",
    "Also",
    "An",
    "And",
    "Another",
    "As",
    "At",
    "Before",
    "Both",
    "But",
    "By",
    "Critics",
    "During",
    "Each",
    "Every",
    "For",
    "From",
    "Her",
    "His",
    "How",
    "However",
    "If",
    "In",
    "Is",
    "It",
    "Its",
    "Last",
    "Many",
    "Meanwhile",
    "Mr",
    "Mrs",
    "Ms",
    "Now",
    "Of",
    "On",
    "Or",
    "Other",
    "Our",
    "Over",
    "Several",
    "She",
    "He",
    "Since",
    "So",
    "Some",
    "Still",
    "That",
    "The",
    "Their",
    "Then",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "Under",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Key",
    "Takeaways",
    "Final",
    "Thoughts",
    "Conclusion",
    "Former",
    "Then",
    "Late",
];

/// Lower-case particles allowed inside personal names ("Ursula von der Leyen").
pub(crate) const NAME_PARTICLES: &[&str] = &[
    "al", "bin", "da", "de", "del", "der", "di", "dos", "du", "el", "la", "le", "van", "von",
];

/// Honorifics that may stand between a title and a name ("State Secretary Dr. Ana Diaz"); they
/// belong to neither.
pub(crate) const HONORIFICS: &[&str] = &[
    "Dr",
    "Prof",
    "Professor",
    "Hon",
    "Mr",
    "Mrs",
    "Ms",
    "Mx",
    "Sir",
    "Dame",
];

/// Whether a sentence is a heading: it does not end like a statement (full stop, closing quote,
/// colon) and most of its longer words are capitalised, as in "Growing Web of Regional Water
/// Agreements" or "Where Does the U.K. Go Next?". Capitals in headings say nothing about names.
pub(crate) fn is_heading(sentence: &str, tokens: &[Token<'_>]) -> bool {
    let dotted_end = tokens
        .last()
        .is_some_and(|t| t.text.ends_with('.') && t.text.len() > 2);
    let closed = sentence.trim_end().ends_with(['.', '"', '”', ':']) && !dotted_end;
    let words: Vec<&Token<'_>> = tokens
        .iter()
        .filter(|t| t.text.chars().count() > 3)
        .collect();
    let capitalised = words.iter().filter(|t| t.is_capitalised()).count();
    !closed && !words.is_empty() && capitalised * 10 >= words.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The token pattern as a regular expression: the reference the hand-written scanner must
    /// agree with wherever Unicode's "alphabetic" and "letter" agree (all but a few marks).
    fn tokenise_with_regex(text: &str) -> Vec<&str> {
        let token = Regex::new(r"(?:\p{Lu}\.){2,}|[\p{L}\p{N}](?:[\p{L}\p{N}’'&.-]*[\p{L}\p{N}])?")
            .expect("valid regex");
        token.find_iter(text).map(|m| m.as_str()).collect()
    }

    proptest! {
        #[test]
        fn the_scanner_agrees_with_the_pattern(text in "[A-Za-zÀ-ÿ0-9’'&.\\- ,;()\"\n]{0,80}") {
            let scanned: Vec<&str> = tokenise(&text).iter().map(|t| t.text).collect();
            prop_assert_eq!(scanned, tokenise_with_regex(&text));
        }
    }

    #[test]
    fn abbreviations_take_their_last_stop_and_words_drop_trailing_marks() {
        let words: Vec<&str> = tokenise("U.S.-led E.U. A.b. U.S (rock-) ’tis J.R.R.Tolkien 3.5.")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            tokenise_with_regex("U.S.-led E.U. A.b. U.S (rock-) ’tis J.R.R.Tolkien 3.5.")
        );
        assert_eq!(words[0], "U.S.");
        assert_eq!(words[1], "led");
    }

    #[test]
    fn tokenises_names_abbreviations_and_possessives() {
        let words: Vec<&str> = tokenise("The U.S. and Children’s Rights, al-Sisi's AT&T (HRW).")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            vec![
                "The",
                "U.S.",
                "and",
                "Children’s",
                "Rights",
                "al-Sisi's",
                "AT&T",
                "HRW"
            ]
        );
        let tokens = tokenise("Chile’s government");
        assert_eq!(tokens[0].without_possessive(), "Chile");
        assert!(only_spaces_between(
            "Chile’s government",
            &tokens[0],
            &tokens[1]
        ));
    }

    #[test]
    fn headings_are_told_from_sentences() {
        let heading = "Growing Web of Regional Water Agreements";
        assert!(is_heading(heading, &tokenise(heading)));
        let abbreviated = "Chile Opens Border Posts to Travellers Coming from U.S.";
        assert!(is_heading(abbreviated, &tokenise(abbreviated)));
        let question = "Where Does the U.K. Go Next?";
        assert!(is_heading(question, &tokenise(question)));
        let sentence = "The Andean Trade Council met in Lima on Monday.";
        assert!(!is_heading(sentence, &tokenise(sentence)));
        let asked = "Will they support this agreement or will they protest?";
        assert!(!is_heading(asked, &tokenise(asked)));
    }
}
