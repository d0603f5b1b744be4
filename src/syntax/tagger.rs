//! The part-of-speech tagger: a greedy left-to-right averaged perceptron over joint UPOS+XPOS tags.
//! Features of a word: its form and lower-case form, prefixes and suffixes of 1–4 characters, its
//! shape and character flags, the words at ±1 and ±2 with their suffixes and shapes, word bigrams,
//! the two tags already predicted to its left, and the ambiguity classes (the UPOS tags seen with a
//! word in training, [`TagDictionary`]) of the word and its neighbours, which let a greedy tagger
//! see what the words to its right can be. Everything but the previous tags is computed once per
//! sentence ([`WordContext`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::perceptron::{best, feature, hash_text, FeatureKey, Learner, Weights};

/// Marks a position before the sentence start or after its end.
const OUTSIDE: u64 = 0x5eed_0f0f_f5e7;

/// What the tagger's features read of each word of a sentence, computed once.
#[derive(Debug, Clone)]
pub struct WordContext {
    /// Per word, `FIXED` features that do not depend on the tags predicted.
    fixed: Vec<FeatureKey>,
    lowers: Vec<u64>,
    ambiguities: Vec<u64>,
}

/// The hash of a word's shape: letters as `X`/`x`, digits as `d`, other characters as they are,
/// runs of one kind counted once ("McDonald's" is "XxXx'x").
fn shape_hash(word: &str) -> u64 {
    let mut hash = hash_text("");
    let mut last = None;
    for c in word.chars() {
        let kind = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if last != Some(kind) {
            hash = hash_more(hash, kind);
            last = Some(kind);
        }
    }
    hash
}

/// Continues [`hash_text`] with one more character.
fn hash_more(hash: u64, c: char) -> u64 {
    let mut buffer = [0u8; 4];
    c.encode_utf8(&mut buffer).bytes().fold(hash, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Bit flags of a word's characters.
fn flags(word: &str, first: bool) -> u64 {
    let initial_capital = word.chars().next().is_some_and(char::is_uppercase);
    let mut letters = word.chars().filter(|c| c.is_alphabetic()).peekable();
    let has_letters = letters.peek().is_some();
    let all_capitals = has_letters && letters.all(char::is_uppercase);
    u64::from(initial_capital)
        | u64::from(all_capitals) << 1
        | u64::from(word.chars().any(char::is_numeric)) << 2
        | u64::from(word.contains('-')) << 3
        | u64::from(word.contains('.')) << 4
        | u64::from(!has_letters) << 5
        | u64::from(first) << 6
        | u64::from(word.contains('@') || word.contains("://")) << 7
}

/// The hash of the first (`from_end` false) or last `n` characters of a word, or `OUTSIDE` when it
/// has fewer.
fn affix(word: &str, n: usize, from_end: bool) -> u64 {
    let cut = if from_end {
        word.char_indices().rev().nth(n - 1).map(|(at, _)| at)
    } else {
        word.char_indices()
            .nth(n)
            .map(|(at, _)| at)
            .or_else(|| (word.chars().count() == n).then_some(word.len()))
    };
    match cut {
        Some(at) if from_end => hash_text(&word[at..]),
        Some(at) => hash_text(&word[..at]),
        None => OUTSIDE,
    }
}

/// Features per word that do not depend on the tags.
const FIXED: usize = 31;

/// The UPOS tags seen with each frequent word of the training data (by lower-case hash).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TagDictionary {
    /// Sorted (word hash, bit set of UPOS indices) pairs.
    entries: Vec<(u64, u64)>,
}

impl TagDictionary {
    /// The dictionary of (word, UPOS index below 64) occurrences: words seen at least
    /// `min_count` times, each with the tags of at least a twentieth of its occurrences.
    pub fn from_occurrences<'a>(
        occurrences: impl IntoIterator<Item = (&'a str, usize)>,
        min_count: usize,
    ) -> Self {
        let mut counts: HashMap<u64, Vec<usize>> = HashMap::new();
        for (form, upos) in occurrences {
            let row = counts.entry(hash_text(&form.to_lowercase())).or_default();
            if row.len() <= upos {
                row.resize(upos + 1, 0);
            }
            row[upos] += 1;
        }
        let mut entries: Vec<(u64, u64)> = counts
            .into_iter()
            .filter_map(|(word, row)| {
                let total: usize = row.iter().sum();
                let classes = row
                    .iter()
                    .enumerate()
                    .filter(|&(_, &n)| n > 0 && n * 20 >= total)
                    .fold(0u64, |set, (upos, _)| set | 1 << (upos % 64));
                (total >= min_count).then_some((word, classes))
            })
            .collect();
        entries.sort_unstable();
        Self { entries }
    }

    /// The ambiguity class of a word (by lower-case hash): its tag set, or `OUTSIDE` if unknown.
    fn classes(&self, word: u64) -> u64 {
        self.entries
            .binary_search_by_key(&word, |e| e.0)
            .map_or(OUTSIDE, |at| self.entries[at].1)
    }

    /// Words known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no word is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl WordContext {
    /// The context of a sentence's words.
    pub fn new(forms: &[&str], dictionary: &TagDictionary) -> Self {
        let lowered: Vec<String> = forms.iter().map(|f| f.to_lowercase()).collect();
        let lowers: Vec<u64> = lowered.iter().map(|w| hash_text(w)).collect();
        let shapes: Vec<u64> = forms.iter().map(|f| shape_hash(f)).collect();
        let suffixes: Vec<u64> = lowered.iter().map(|w| affix(w, 3, true)).collect();
        let ambiguities: Vec<u64> = lowers.iter().map(|&w| dictionary.classes(w)).collect();
        let at = |values: &[u64], i: isize| -> u64 {
            usize::try_from(i)
                .ok()
                .and_then(|i| values.get(i).copied())
                .unwrap_or(OUTSIDE)
        };
        let mut fixed = Vec::with_capacity(forms.len() * FIXED);
        for (i, form) in forms.iter().enumerate() {
            let p = i as isize;
            let lower = lowers[i];
            fixed.extend([
                feature(0, &[]),
                feature(1, &[lower]),
                feature(2, &[hash_text(form)]),
                feature(3, &[shapes[i]]),
                feature(4, &[flags(form, i == 0)]),
                feature(5, &[at(&lowers, p - 1)]),
                feature(6, &[at(&lowers, p + 1)]),
                feature(7, &[at(&lowers, p - 2)]),
                feature(8, &[at(&lowers, p + 2)]),
                feature(9, &[at(&suffixes, p - 1)]),
                feature(10, &[at(&suffixes, p + 1)]),
                feature(11, &[at(&lowers, p - 1), lower]),
                feature(12, &[lower, at(&lowers, p + 1)]),
                feature(13, &[at(&shapes, p - 1), shapes[i], at(&shapes, p + 1)]),
                feature(14, &[form.chars().count().min(12) as u64]),
                feature(15, &[lower, at(&suffixes, p + 1)]),
                feature(16, &[at(&lowers, p + 1), at(&lowers, p + 2)]),
                feature(25, &[ambiguities[i]]),
                feature(26, &[at(&ambiguities, p + 1)]),
                feature(27, &[at(&ambiguities, p + 2)]),
                feature(28, &[at(&ambiguities, p - 1)]),
                feature(29, &[ambiguities[i], at(&ambiguities, p + 1)]),
                feature(35, &[lower, at(&ambiguities, p + 1)]),
            ]);
            for n in 1..=4u64 {
                fixed.push(feature(16 + n, &[affix(form, n as usize, false)]));
                fixed.push(feature(20 + n, &[affix(&lowered[i], n as usize, true)]));
            }
        }
        Self {
            fixed,
            lowers,
            ambiguities,
        }
    }

    /// Hashes of the lower-case words.
    pub fn lowers(&self) -> &[u64] {
        &self.lowers
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.lowers.len()
    }

    /// Whether the sentence has no word.
    pub fn is_empty(&self) -> bool {
        self.lowers.is_empty()
    }

    /// All features of word `i` given the tags predicted before it, into `out`.
    fn features(&self, i: usize, previous: &[u16], out: &mut Vec<FeatureKey>) {
        out.clear();
        out.extend_from_slice(&self.fixed[i * FIXED..(i + 1) * FIXED]);
        let tag_before = |back: usize| {
            i.checked_sub(back)
                .map_or(OUTSIDE, |j| u64::from(previous[j]))
        };
        let (t1, t2) = (tag_before(1), tag_before(2));
        let next = self.lowers.get(i + 1).copied().unwrap_or(OUTSIDE);
        out.extend([
            feature(30, &[t1]),
            feature(31, &[t2, t1]),
            feature(32, &[t1, self.lowers[i]]),
            feature(33, &[t1, next]),
            feature(34, &[t2]),
            feature(36, &[t1, self.ambiguities[i]]),
        ]);
    }
}

/// Tags a sentence (greedy, left to right): one tag class per word.
pub fn tag(weights: &Weights, context: &WordContext) -> Vec<u16> {
    let mut tags = Vec::with_capacity(context.len());
    let mut features = Vec::new();
    let mut scores = vec![0.0; weights.classes()];
    for i in 0..context.len() {
        context.features(i, &tags, &mut features);
        weights.score(&features, &mut scores);
        tags.push(best(&scores, |_| true).unwrap_or(0) as u16);
    }
    tags
}

/// One training pass over sentences (in the order given) with their gold tag classes.
pub fn train_pass(learner: &mut Learner, sentences: &[(&WordContext, &[u16])]) {
    let mut features = Vec::new();
    let mut scores = vec![0.0; learner.classes()];
    for (context, gold) in sentences {
        let mut predicted = Vec::with_capacity(gold.len());
        for (i, &right) in gold.iter().enumerate() {
            context.features(i, &predicted, &mut features);
            learner.score(&features, &mut scores);
            let guess = best(&scores, |_| true).unwrap_or(0);
            if guess != usize::from(right) {
                learner.update(&features, usize::from(right), guess);
            }
            learner.tick();
            predicted.push(guess as u16);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_flags() {
        assert_eq!(shape_hash("McDonald's"), hash_text("XxXx'x"));
        assert_eq!(shape_hash("2,300"), hash_text("d,d"));
        assert_eq!(affix("dogs", 4, false), hash_text("dogs"));
        assert_eq!(affix("dogs", 2, false), hash_text("do"));
        assert_eq!(affix("épée", 3, true), hash_text("pée"));
        assert_eq!(flags("IBM", false) & 0b11, 0b11);
        assert_eq!(affix("dog", 4, true), OUTSIDE);
        assert_eq!(affix("dogs", 2, true), hash_text("gs"));
    }

    #[test]
    fn learns_to_tag_a_tiny_language() {
        let sentences: Vec<(Vec<&str>, Vec<u16>)> = vec![
            (vec!["the", "dog", "runs"], vec![0, 1, 2]),
            (vec!["a", "cat", "sleeps"], vec![0, 1, 2]),
            (vec!["the", "cat", "runs"], vec![0, 1, 2]),
        ];
        let contexts: Vec<WordContext> = sentences
            .iter()
            .map(|(f, _)| WordContext::new(f, &TagDictionary::default()))
            .collect();
        let pairs: Vec<(&WordContext, &[u16])> = contexts
            .iter()
            .zip(&sentences)
            .map(|(c, (_, t))| (c, t.as_slice()))
            .collect();
        let mut learner = Learner::new(3);
        for _ in 0..5 {
            train_pass(&mut learner, &pairs);
        }
        let weights = learner.averaged(0.0);
        assert_eq!(
            tag(
                &weights,
                &WordContext::new(&["a", "dog", "sleeps"], &TagDictionary::default())
            ),
            [0, 1, 2]
        );
    }
}
