//! Text geometry shared by every stage: character offsets and sentences.
//!
//! Offsets everywhere in dealgraph count Unicode scalar values (Rust `char`s), end exclusive, as NIF
//! does. Rust strings and regexes work in bytes, so this module converts between the two and splits a
//! document into sentences. It takes text and gives spans; it never changes the text.

use serde::{Deserialize, Serialize};

/// A half-open range of character offsets `[start, end)` into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharSpan {
    /// First character of the span.
    pub start: usize,
    /// One past the last character of the span.
    pub end: usize,
}

impl CharSpan {
    /// A span from `start` (inclusive) to `end` (exclusive).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Whether `other` lies entirely inside this span.
    pub fn contains(&self, other: &CharSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one character.
    pub fn overlaps(&self, other: &CharSpan) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Converts byte offsets of one text into character offsets and back.
#[derive(Debug, Clone)]
pub struct CharMap {
    /// Byte offset of each character, plus the text length as a final entry.
    byte_of_char: Vec<usize>,
}

impl CharMap {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        byte_of_char.push(text.len());
        Self { byte_of_char }
    }

    /// Number of characters in the text.
    pub fn char_len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// Character offset of a byte offset that lies on a character boundary (or the closest character
    /// boundary before it).
    pub fn char_of_byte(&self, byte: usize) -> usize {
        match self.byte_of_char.binary_search(&byte) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        }
    }

    /// Byte offset of a character offset; offsets past the end give the text length.
    pub fn byte_of_char(&self, char_offset: usize) -> usize {
        let last = self.byte_of_char.len() - 1;
        self.byte_of_char[char_offset.min(last)]
    }

    /// The character span of a byte range.
    pub fn span_of_bytes(&self, start: usize, end: usize) -> CharSpan {
        CharSpan::new(self.char_of_byte(start), self.char_of_byte(end))
    }

    /// The text of a character span.
    pub fn slice<'t>(&self, text: &'t str, span: CharSpan) -> &'t str {
        &text[self.byte_of_char(span.start)..self.byte_of_char(span.end)]
    }
}

/// Splits `text` into sentences, skipping the character spans in `excluded` (clutter).
///
/// A line break always ends a sentence (news text puts headings, list items and captions on lines of
/// their own). Inside a line a sentence ends at `.`, `!` or `?` (with any closing quotes or brackets)
/// followed by white space and a capital letter, digit or opening quote, unless the word before the
/// full stop is one of `abbreviations` (compared without its final full stop, case-insensitively) or a
/// single capital letter (an initial). Spans are trimmed of surrounding white space; empty ones are
/// dropped.
pub fn split_sentences(
    text: &str,
    excluded: &[CharSpan],
    abbreviations: &[String],
) -> Vec<CharSpan> {
    let chars: Vec<char> = text.chars().collect();
    let mut is_excluded = vec![false; chars.len()];
    for span in excluded {
        for flag in is_excluded
            .iter_mut()
            .take(span.end.min(chars.len()))
            .skip(span.start)
        {
            *flag = true;
        }
    }
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if is_excluded[index] || c == '\n' {
            push_trimmed(&chars, start, index, &mut sentences);
            start = index + 1;
        } else if matches!(c, '.' | '!' | '?') {
            let mut end = index + 1;
            while end < chars.len() && matches!(chars[end], '"' | '\'' | '”' | '’' | ')' | ']')
            {
                end += 1;
            }
            let followed_by_space = end < chars.len() && chars[end] == ' ';
            let next_word = chars[end..]
                .iter()
                .position(|ch| !ch.is_whitespace())
                .map(|p| end + p);
            let next_starts_sentence = next_word.is_some_and(|p| {
                let ch = chars[p];
                ch.is_uppercase() || ch.is_ascii_digit() || matches!(ch, '"' | '“' | '‘' | '\'')
            });
            if followed_by_space
                && next_starts_sentence
                && !(c == '.' && ends_with_abbreviation(&chars[start..index], abbreviations))
            {
                push_trimmed(&chars, start, end, &mut sentences);
                start = end;
                index = end;
                continue;
            }
        }
        index += 1;
    }
    push_trimmed(&chars, start, chars.len(), &mut sentences);
    sentences
}

fn push_trimmed(chars: &[char], start: usize, end: usize, sentences: &mut Vec<CharSpan>) {
    let mut first = start;
    let mut last = end;
    while first < last && chars[first].is_whitespace() {
        first += 1;
    }
    while last > first && chars[last - 1].is_whitespace() {
        last -= 1;
    }
    while last - first > MAX_SENTENCE_CHARS {
        let cut = cut_before(chars, first, first + MAX_SENTENCE_CHARS);
        push_trimmed(chars, first, cut, sentences);
        first = cut;
        while first < last && chars[first].is_whitespace() {
            first += 1;
        }
    }
    if first < last {
        sentences.push(CharSpan::new(first, last));
    }
}

/// The longest sentence kept whole. Published sentences stay far below it (the longest of the
/// development articles has under 900 characters); text without full stops (a run-on list, a
/// page that lost its punctuation) is cut into pieces this long, so that no one sentence holds a
/// whole document's tokens, mentions and candidate pairs.
pub const MAX_SENTENCE_CHARS: usize = 2_000;

/// Where to cut the run `[start, limit)`: after its last semicolon or comma in the second half,
/// else at its last white space, else at `limit`.
fn cut_before(chars: &[char], start: usize, limit: usize) -> usize {
    let middle = start + (limit - start) / 2;
    let after_last = |found: &dyn Fn(char) -> bool| {
        chars[middle..limit]
            .iter()
            .rposition(|&c| found(c))
            .map(|position| middle + position + 1)
    };
    after_last(&|c| matches!(c, ';' | ','))
        .or_else(|| after_last(&char::is_whitespace))
        .unwrap_or(limit)
}

fn ends_with_abbreviation(before_stop: &[char], abbreviations: &[String]) -> bool {
    let word_start = before_stop
        .iter()
        .rposition(|c| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '‘'))
        .map_or(0, |p| p + 1);
    let word: String = before_stop[word_start..].iter().collect();
    if word.is_empty() {
        return false;
    }
    let mut letters = word.chars();
    if let (Some(first), None) = (letters.next(), letters.next()) {
        if first.is_uppercase() {
            return true;
        }
    }
    // Dotted abbreviations such as "U.S" (its final stop is the one being examined).
    if word.contains('.') && word.split('.').all(|part| part.chars().count() <= 2) {
        return true;
    }
    abbreviations
        .iter()
        .any(|abbreviation| abbreviation.eq_ignore_ascii_case(&word))
}

/// Whether the character before byte `start` and the one at byte `end` of `text` are not word
/// characters, so that a match of `[start, end)` stands as whole words.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    starts_word(text, start) && is_word_boundary(text[end..].chars().next())
}

/// Whether the character before byte `start` of `text` is not a word character, so that a word
/// may start there (a regular expression's Unicode `\b` before a letter, checked after an ASCII
/// search).
pub fn starts_word(text: &str, start: usize) -> bool {
    is_word_boundary(text[..start].chars().next_back())
}

/// Whether `c` (none at either end of a text) is not a word character.
fn is_word_boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| !is_word_character(c))
}

/// A character of a word, as a regular expression's Unicode `\w` counts them (near enough).
fn is_word_character(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The last white-space-separated word of `text` (all of it if it has no white space).
pub(crate) fn last_word(text: &str) -> &str {
    text.split_whitespace().next_back().unwrap_or(text)
}

/// The byte offsets in `text`, in order, where a word may start (see [`starts_word`]) with one of
/// the bytes marked in `first_bytes`: a scan of the bytes for the marked ones, so that a gazetteer
/// is consulted at a few places a sentence instead of at every byte.
pub(crate) fn word_starts_among<'t, 'b>(
    text: &'t str,
    first_bytes: &'b [bool; 256],
) -> impl Iterator<Item = usize> + use<'t, 'b> {
    let bytes = text.as_bytes();
    let mut position = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = bytes[position..]
            .iter()
            .position(|&byte| first_bytes[usize::from(byte)])
        {
            let start = position + offset;
            position = start + 1;
            let after_boundary = match start.checked_sub(1).map(|before| bytes[before]) {
                None => true,
                Some(before) if before.is_ascii() => {
                    !(before.is_ascii_alphanumeric() || before == b'_')
                }
                // A marked byte that continues a character is no place to start.
                Some(_) => text.is_char_boundary(start) && starts_word(text, start),
            };
            if after_boundary {
                return Some(start);
            }
        }
        position = bytes.len();
        None
    })
}

/// The maximal runs of word characters of `text`, as byte ranges in order: every range that
/// [`is_whole_word`] accepts and that starts and ends on a word character spans whole runs.
pub(crate) fn word_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut characters = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = characters.find(|&(_, c)| is_word_character(c))?;
        let mut end = text.len();
        while let Some(&(position, c)) = characters.peek() {
            if !is_word_character(c) {
                end = position;
                break;
            }
            characters.next();
        }
        Some((start, end))
    })
}

/// At most `limit` bytes of `text` from `start` (a title or a verb follows within a few words;
/// looking no further keeps the work per name constant).
pub(crate) fn head(text: &str, start: usize, limit: usize) -> &str {
    let mut end = (start + limit).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end]
}

/// At most `limit` bytes of `text` before `end`.
pub(crate) fn tail(text: &str, end: usize, limit: usize) -> &str {
    let mut start = end.saturating_sub(limit);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences_of(text: &str) -> Vec<String> {
        let abbreviations = vec!["Mr".to_string(), "Dr".to_string()];
        let map = CharMap::new(text);
        split_sentences(text, &[], &abbreviations)
            .into_iter()
            .map(|span| map.slice(text, span).to_string())
            .collect()
    }

    #[test]
    fn splits_on_stops_and_lines_but_not_abbreviations() {
        assert_eq!(
            sentences_of("Mr. Smith met the U.S. envoy. He left!\nA heading\n“Quoted.” Then more."),
            vec![
                "Mr. Smith met the U.S. envoy.",
                "He left!",
                "A heading",
                "“Quoted.”",
                "Then more."
            ]
        );
    }

    #[test]
    fn keeps_initials_and_lowercase_continuations_together() {
        assert_eq!(
            sentences_of("John F. Kennedy spoke. e.g. this stays. Then he left."),
            vec!["John F. Kennedy spoke. e.g. this stays.", "Then he left."]
        );
    }

    #[test]
    fn excluded_spans_cut_sentences() {
        let text = "Share this. Real text here.";
        let spans = split_sentences(text, &[CharSpan::new(0, 11)], &[]);
        assert_eq!(spans, vec![CharSpan::new(12, 27)]);
    }

    #[test]
    fn a_run_without_full_stops_is_cut_after_commas_into_bounded_pieces() {
        let clause = "and the ministers of Kosovo and Denmark agreed on the plan, ";
        let text = clause.repeat(200);
        let pieces = sentences_of(&text);
        assert!(pieces.len() >= 6, "{} pieces", pieces.len());
        for piece in &pieces {
            assert!(
                piece.chars().count() <= MAX_SENTENCE_CHARS,
                "{}",
                piece.len()
            );
            assert!(piece.starts_with("and the"), "{piece}");
        }
        assert_eq!(
            pieces.concat().len() + pieces.len() - 1,
            text.trim_end().len()
        );
    }

    #[test]
    fn a_run_without_commas_is_cut_at_white_space_and_one_word_at_its_limit() {
        let spaced = "word ".repeat(1_000);
        let pieces = sentences_of(&spaced);
        assert_eq!(pieces.len(), 3);
        assert!(pieces
            .iter()
            .all(|piece| piece.split(' ').all(|w| w == "word")));
        let solid = "x".repeat(MAX_SENTENCE_CHARS * 2 + 5);
        let lengths: Vec<usize> = sentences_of(&solid).iter().map(String::len).collect();
        assert_eq!(lengths, [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 5]);
    }

    #[test]
    fn char_map_counts_scalar_values() {
        let text = "€5 – ok";
        let map = CharMap::new(text);
        assert_eq!(map.char_len(), 7);
        assert_eq!(map.char_of_byte(3), 1);
        assert_eq!(map.slice(text, CharSpan::new(3, 4)), "–");
    }
}
