//! Named-entity recognition: a statistical tagger for people, organisations, locations and
//! miscellaneous names (the CoNLL-2003 types), trained on annotated news and shipped in the binary.
//!
//! [`Recogniser`] tags token sequences; [`tokenise_words`] splits raw text into CoNLL-style tokens;
//! [`conll`] reads annotated data; [`train`] trains a model; [`score`] scores one. The recogniser is
//! pure computation: no I/O after the model is loaded.

pub mod conll;
pub mod features;
pub mod model;
pub mod score;
pub mod tags;
pub mod train;

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::Reference;
use features::{sentence_features, Domain, Gazetteer};
pub use model::{Model, ModelError};
pub use tags::{EntitySpan, EntityType};

/// The shipped model (`models/ner.bin`).
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/ner.bin");

/// A model with the gazetteer its features need.
#[derive(Debug)]
pub struct Recogniser {
    model: Model,
    gazetteer: Gazetteer,
}

impl Recogniser {
    /// The shipped model over the embedded reference data.
    pub fn embedded() -> Result<Self, ModelError> {
        Self::from_bytes(EMBEDDED_MODEL)
    }

    /// A serialised model over the embedded reference data.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Ok(Self::new(Model::from_bytes(bytes)?))
    }

    /// A recogniser around a model.
    pub fn new(model: Model) -> Self {
        Self::with_gazetteer(model, gazetteer())
    }

    /// A recogniser around a model and the gazetteer its features read.
    pub fn with_gazetteer(model: Model, gazetteer: Gazetteer) -> Self {
        Self { model, gazetteer }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The entities of one sentence of tokens.
    pub fn tag(&self, words: &[&str]) -> Vec<EntitySpan> {
        let mut features = sentence_features(words, &self.gazetteer);
        if self.model.card.domain_features {
            features::augment(&mut features, Domain::News);
        }
        tags::spans_of(&self.model.decode(&features))
    }
}

/// Each sentence of annotated documents as its features (with domain-specific copies when a
/// `domain` is given, see [`features::augment`]) and what `label` makes of it.
fn annotated<T: Send>(
    documents: &[conll::CorpusDocument],
    gazetteer: &Gazetteer,
    domain: Option<Domain>,
    label: impl Fn(&conll::Sentence) -> T + Sync,
) -> Vec<(Vec<Vec<features::FeatureKey>>, T)> {
    use rayon::prelude::*;
    documents
        .par_iter()
        .flat_map_iter(|document| document.sentences.iter())
        .map(|sentence| {
            let words: Vec<&str> = sentence.tokens.iter().map(String::as_str).collect();
            let mut features = sentence_features(&words, gazetteer);
            if let Some(domain) = domain {
                features::augment(&mut features, domain);
            }
            (features, label(sentence))
        })
        .collect()
}

/// Training sentences (features and BILOU tags) of annotated documents.
pub fn training_sentences(
    documents: &[conll::CorpusDocument],
    gazetteer: &Gazetteer,
    domain: Option<Domain>,
) -> Vec<train::TrainingSentence> {
    annotated(documents, gazetteer, domain, |sentence| {
        tags::bilou(sentence.tokens.len(), &sentence.entities)
    })
}

/// Development sentences (features and gold entities) of annotated documents.
pub fn dev_sentences(
    documents: &[conll::CorpusDocument],
    gazetteer: &Gazetteer,
    domain: Option<Domain>,
) -> Vec<train::DevSentence> {
    annotated(documents, gazetteer, domain, |sentence| {
        sentence.entities.clone()
    })
}

/// The gazetteer of the embedded reference data (empty if it cannot be read, which a unit test
/// of the reference data rules out).
pub fn gazetteer() -> Gazetteer {
    Reference::embedded()
        .map(|reference| Gazetteer::from_reference(&reference))
        .unwrap_or_default()
}

static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\p{Lu}\.){2,}|\p{L}[\p{L}\p{M}]*(?:[-.’'][\p{L}\p{M}]+)*|\p{N}+(?:[.,:/-]\p{N}+)*|[^\s\p{L}\p{N}]")
        .expect("valid regex")
});

/// CoNLL-style tokens of a text with their byte ranges: words, numbers, dotted abbreviations, each
/// punctuation mark alone, and a possessive `'s` split from its word.
pub fn tokenise_words(text: &str) -> Vec<&str> {
    token_ranges(text)
        .into_iter()
        .map(|(start, end)| &text[start..end])
        .collect()
}

/// The byte ranges of [`tokenise_words`].
pub fn token_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    for found in WORD.find_iter(text) {
        let word = found.as_str();
        let possessive = ["’s", "'s", "’S", "'S"]
            .iter()
            .find(|p| word.len() > p.len() && word.ends_with(**p));
        match possessive {
            Some(p) => {
                let split = found.end() - p.len();
                ranges.push((found.start(), split));
                ranges.push((split, found.end()));
            }
            None => ranges.push((found.start(), found.end())),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_like_conll() {
        assert_eq!(
            tokenise_words("The U.S.-Kosovo deal’s cost: $230.5 million (Rama's view)."),
            vec![
                "The", "U.S.", "-", "Kosovo", "deal", "’s", "cost", ":", "$", "230.5", "million",
                "(", "Rama", "'s", "view", ")", "."
            ]
        );
    }
}
