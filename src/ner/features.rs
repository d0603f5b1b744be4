//! Features of a token in its sentence, hashed to 32-bit keys.
//!
//! Templates: the word and its lower-case form, neighbouring words (±2), word shapes, prefixes and
//! suffixes, capitalisation and character flags, sentence position, word bigrams, whether the sentence
//! is a headline in capitals, and gazetteer membership (countries, demonyms, organisations and titles
//! from `schema/reference/`) with the token's position in the matched phrase. Each feature is a
//! template number and a value, hashed with FNV-1a; nothing allocates per feature.

use std::collections::HashMap;

use super::tags::{EntitySpan, EntityType};
use crate::extract::Reference;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A feature key.
pub type FeatureKey = u32;

/// Gazetteer classes a phrase can belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
enum GazetteerClass {
    Country = 1,
    Demonym = 2,
    Organisation = 3,
    Title = 4,
}

/// Multi-word phrases of the reference data, keyed by their lower-case words.
#[derive(Debug, Default)]
pub struct Gazetteer {
    phrases: HashMap<String, Vec<GazetteerClass>>,
    /// Every proper word prefix of a phrase ("united", "united states" for "united states of
    /// america"), so matching stops as soon as no phrase can continue.
    prefixes: std::collections::HashSet<String>,
    longest: usize,
}

impl Gazetteer {
    /// The gazetteer of the reference data: country names and aliases, demonyms, well-known
    /// organisations (names, aliases, acronyms) and titles.
    pub fn from_reference(reference: &Reference) -> Self {
        let mut gazetteer = Self::default();
        for country in &reference.countries {
            gazetteer.add(&country.name, GazetteerClass::Country);
            for alias in &country.aliases {
                gazetteer.add(alias, GazetteerClass::Country);
            }
            for demonym in &country.demonyms {
                gazetteer.add(demonym, GazetteerClass::Demonym);
            }
        }
        for organisation in &reference.organisations {
            gazetteer.add(&organisation.name, GazetteerClass::Organisation);
            for alias in organisation
                .aliases
                .iter()
                .chain(organisation.acronym.iter())
            {
                gazetteer.add(alias, GazetteerClass::Organisation);
            }
        }
        for title in &reference.titles {
            gazetteer.add(&title.title, GazetteerClass::Title);
        }
        gazetteer
    }

    fn add(&mut self, phrase: &str, class: GazetteerClass) {
        let words: Vec<String> = super::tokenise_words(phrase)
            .into_iter()
            .map(|w| w.to_lowercase())
            .collect();
        if words.is_empty() {
            return;
        }
        self.longest = self.longest.max(words.len());
        for end in 1..words.len() {
            self.prefixes.insert(words[..end].join(" "));
        }
        let classes = self.phrases.entry(words.join(" ")).or_default();
        if !classes.contains(&class) {
            classes.push(class);
        }
    }

    /// The gazetteer-only baseline tagger: the longest phrase match at each position, countries as
    /// LOC, demonyms as MISC, organisations as ORG (titles name no entity).
    pub fn entities(&self, words: &[&str]) -> Vec<EntitySpan> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut spans = Vec::new();
        let mut start = 0;
        while start < lower.len() {
            let mut best = None;
            let mut key = String::new();
            for end in start + 1..=(start + self.longest).min(lower.len()) {
                if end > start + 1 {
                    key.push(' ');
                }
                key.push_str(&lower[end - 1]);
                if !self.phrases.contains_key(&key) && !self.prefixes.contains(&key) {
                    break;
                }
                let kind = self.phrases.get(&key).and_then(|classes| {
                    classes.iter().find_map(|class| match class {
                        GazetteerClass::Country => Some(EntityType::Loc),
                        GazetteerClass::Demonym => Some(EntityType::Misc),
                        GazetteerClass::Organisation => Some(EntityType::Org),
                        GazetteerClass::Title => None,
                    })
                });
                if let Some(kind) = kind {
                    best = Some(EntitySpan { kind, start, end });
                }
            }
            match best {
                Some(span) => {
                    start = span.end;
                    spans.push(span);
                }
                None => start += 1,
            }
        }
        spans
    }

    /// For each token, the (class, position) pairs of the gazetteer phrases covering it; position
    /// 0 = begin, 1 = inside, 2 = last, 3 = unit.
    fn matches(&self, lower: &[String]) -> Vec<Vec<(GazetteerClass, u8)>> {
        let mut found = vec![Vec::new(); lower.len()];
        let mut key = String::new();
        for start in 0..lower.len() {
            key.clear();
            for end in start + 1..=(start + self.longest).min(lower.len()) {
                if end > start + 1 {
                    key.push(' ');
                }
                key.push_str(&lower[end - 1]);
                let Some(classes) = self.phrases.get(&key) else {
                    continue;
                };
                for &class in classes {
                    for (index, slot) in found.iter_mut().enumerate().take(end).skip(start) {
                        let position = if end - start == 1 {
                            3
                        } else if index == start {
                            0
                        } else if index + 1 == end {
                            2
                        } else {
                            1
                        };
                        if !slot.contains(&(class, position)) {
                            slot.push((class, position));
                        }
                    }
                }
            }
        }
        found
    }
}

struct Hashing {
    keys: Vec<FeatureKey>,
}

impl Hashing {
    fn add(&mut self, template: u8, parts: &[&[u8]]) {
        let mut hash = FNV_OFFSET;
        hash ^= u64::from(template);
        hash = hash.wrapping_mul(FNV_PRIME);
        for (index, part) in parts.iter().enumerate() {
            if index > 0 {
                hash ^= 0x1f;
                hash = hash.wrapping_mul(FNV_PRIME);
            }
            for &byte in *part {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(FNV_PRIME);
            }
        }
        self.keys.push((hash ^ (hash >> 32)) as u32);
    }
}

/// The shape of a word: upper-case letters `X`, lower-case `x`, digits `d`, others kept; `compress`
/// folds runs of the same class into one character.
fn shape(word: &str, compress: bool) -> String {
    let mut shaped = String::new();
    let mut last = None;
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if compress && last == Some(class) {
            continue;
        }
        if !compress && shaped.chars().count() >= 8 {
            break;
        }
        shaped.push(class);
        last = Some(class);
    }
    shaped
}

/// The features of every token of a sentence.
pub fn sentence_features(words: &[&str], gazetteer: &Gazetteer) -> Vec<Vec<FeatureKey>> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w, true)).collect();
    let letters: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let headline = letters.len() >= 2 && letters.iter().all(|w| !w.chars().any(char::is_lowercase));
    let gazetteer_matches = gazetteer.matches(&lower);
    let word_at = |index: isize| -> &[u8] {
        if index < 0 {
            b"<s>"
        } else {
            lower.get(index as usize).map_or(b"</s>", |w| w.as_bytes())
        }
    };
    let shape_at = |index: isize| -> &[u8] {
        if index < 0 {
            b"<s>"
        } else {
            shapes.get(index as usize).map_or(b"</s>", |s| s.as_bytes())
        }
    };
    let mut all = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let i = index as isize;
        let mut hashing = Hashing {
            keys: Vec::with_capacity(48),
        };
        let low = lower[index].as_str();
        hashing.add(0, &[]);
        hashing.add(1, &[word.as_bytes()]);
        hashing.add(2, &[low.as_bytes()]);
        hashing.add(3, &[word_at(i - 1)]);
        hashing.add(4, &[word_at(i + 1)]);
        hashing.add(5, &[word_at(i - 2)]);
        hashing.add(6, &[word_at(i + 2)]);
        hashing.add(7, &[shape(word, false).as_bytes()]);
        hashing.add(8, &[shape_at(i)]);
        hashing.add(9, &[shape_at(i - 1), shape_at(i)]);
        hashing.add(10, &[shape_at(i), shape_at(i + 1)]);
        let boundaries: Vec<usize> = low
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(low.len()))
            .collect();
        let char_count = boundaries.len() - 1;
        for length in 1..=4.min(char_count) {
            let prefix = &low[..boundaries[length]];
            let suffix = &low[boundaries[char_count - length]..];
            hashing.add(11 + length as u8, &[prefix.as_bytes()]);
            hashing.add(15 + length as u8, &[suffix.as_bytes()]);
        }
        let first = word.chars().next();
        let flags = [
            first.is_some_and(char::is_uppercase),
            word.chars().all(|c| !c.is_lowercase()) && word.chars().any(char::is_uppercase),
            word.chars().any(char::is_numeric),
            word.contains('-'),
            word.contains('.'),
            !word.chars().any(char::is_alphanumeric),
            index == 0,
            headline,
        ];
        for (flag_index, &flag) in flags.iter().enumerate() {
            if flag {
                hashing.add(20 + flag_index as u8, &[]);
            }
        }
        hashing.add(30, &[&[word.chars().count().min(12) as u8]]);
        hashing.add(31, &[word_at(i - 1), low.as_bytes()]);
        hashing.add(32, &[low.as_bytes(), word_at(i + 1)]);
        hashing.add(
            33,
            &[&[u8::from(index == 0), u8::from(headline)], shape_at(i)],
        );
        hashing.add(34, &[word_at(i - 1), shape_at(i)]);
        hashing.add(35, &[shape_at(i), word_at(i + 1)]);
        for &(class, position) in &gazetteer_matches[index] {
            hashing.add(40, &[&[class as u8, position]]);
            hashing.add(41, &[&[class as u8, position], shape_at(i)]);
        }
        for (offset, template) in [(-1isize, 42u8), (1, 43)] {
            let neighbour = i + offset;
            if neighbour >= 0 {
                if let Some(found) = gazetteer_matches.get(neighbour as usize) {
                    for &(class, position) in found {
                        hashing.add(template, &[&[class as u8, position]]);
                    }
                }
            }
        }
        all.push(hashing.keys);
    }
    all
}

/// The text domain of a sentence, for domain-augmented features (Daumé III, "Frustratingly easy
/// domain adaptation", 2007): each feature also has a copy specific to its domain, so data from
/// another domain helps through the shared copy without pulling the news-specific one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// News articles (CoNLL-2003, and everything dealgraph tags).
    News,
    /// Wikipedia sentences (WikiANN).
    Wikipedia,
}

/// Adds to each token's features their copies specific to `domain`.
pub fn augment(sentence: &mut [Vec<FeatureKey>], domain: Domain) {
    let salt: u32 = match domain {
        Domain::News => 0x9e37_79b9,
        Domain::Wikipedia => 0x85eb_ca6b,
    };
    for token in sentence {
        let shared = token.len();
        for index in 0..shared {
            let mixed = (token[index] ^ salt)
                .wrapping_mul(0x2545_f491)
                .rotate_left(13);
            token.push(mixed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_words() {
        assert_eq!(shape("McDonald's", true), "XxXx'x");
        assert_eq!(shape("1996-08-22", true), "d-d-d");
        assert_eq!(shape("Washington", false), "Xxxxxxxx");
    }

    #[test]
    fn features_are_stable_and_depend_on_context() {
        let gazetteer = Gazetteer::default();
        let a = sentence_features(&["Peter", "Blackburn", "said"], &gazetteer);
        let b = sentence_features(&["Peter", "Blackburn", "said"], &gazetteer);
        let c = sentence_features(&["Peter", "Smith", "said"], &gazetteer);
        assert_eq!(a, b);
        assert_ne!(a[0], c[0]);
        assert!(a[0].len() > 20);
    }

    #[test]
    fn gazetteer_phrases_mark_every_token() {
        let reference = Reference::embedded().expect("reference");
        let gazetteer = Gazetteer::from_reference(&reference);
        let lower: Vec<String> = ["the", "united", "states", "and", "danish"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let found = gazetteer.matches(&lower);
        assert!(found[1].contains(&(GazetteerClass::Country, 0)));
        assert!(found[2].contains(&(GazetteerClass::Country, 2)));
        assert!(found[4].contains(&(GazetteerClass::Demonym, 3)));
        assert!(found[3].is_empty());
    }
}
