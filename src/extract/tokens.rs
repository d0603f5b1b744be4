//! Word tokens with byte offsets, and the small word lists the patterns share.
//!
//! A token is a run of letters and digits with inner apostrophes, hyphens, ampersands and dots
//! ("Children’s", "al-Sisi", "AT&T"), or a dotted abbreviation with its final stop ("U.S.").

use std::sync::LazyLock;

use regex::Regex;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\p{Lu}\.){2,}|[\p{L}\p{N}](?:[\p{L}\p{N}’'&.-]*[\p{L}\p{N}])?")
        .expect("valid regex")
});

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

/// The tokens of `text` in order.
pub(crate) fn tokenise(text: &str) -> Vec<Token<'_>> {
    TOKEN
        .find_iter(text)
        .map(|m| Token {
            text: m.as_str(),
            start: m.start(),
            end: m.end(),
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
