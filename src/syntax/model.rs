//! The trained tagger and parser as one model: the tag and relation inventories, both weight
//! tables and a card of what it was trained on and how it scored. Stored with serde (postcard), the
//! weights quantised to 16 bits (see [`super::perceptron::StoredWeights`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::conllu::Sentence;
use super::parser::{parse, ParserInput, Relations};
use super::perceptron::{StoredWeights, Weights};
use super::tagger::{tag, TagDictionary, WordContext};

/// A tag class: a UPOS and the XPOS tagged with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TagPair {
    /// Universal part of speech.
    pub upos: String,
    /// Language-specific part of speech.
    pub xpos: String,
}

/// Scores on one development file, recorded when the model was trained.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DevScore {
    /// The file.
    pub name: String,
    /// UPOS accuracy.
    pub upos: f64,
    /// Unlabelled attachment.
    pub uas: f64,
    /// Labelled attachment (whole relations).
    pub las: f64,
    /// Labelled attachment (universal relations).
    pub universal_las: f64,
}

/// Facts recorded with a model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// What the model was trained on.
    pub trained_on: String,
    /// Tagger epochs kept.
    pub tagger_epochs: u32,
    /// Parser epochs kept.
    pub parser_epochs: u32,
    /// Development scores of the kept model.
    pub dev: Vec<DevScore>,
}

/// A tagger and a parser ready to analyse sentences.
#[derive(Debug, Clone)]
pub struct SyntaxModel {
    tags: Vec<TagPair>,
    relation_names: Vec<String>,
    relations: Relations,
    dictionary: TagDictionary,
    tagger: Weights,
    parser: Weights,
    /// What it was trained on and how it scored.
    pub card: ModelCard,
}

/// The serialised form.
#[derive(Debug, Serialize, Deserialize)]
struct StoredModel {
    format: u32,
    tags: Vec<TagPair>,
    relations: Vec<String>,
    dictionary: TagDictionary,
    tagger: StoredWeights,
    parser: StoredWeights,
    card: ModelCard,
}

const FORMAT: u32 = 1;

/// Why a model cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The file cannot be read.
    #[error("{path}: cannot read")]
    Io {
        /// The file.
        path: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a model.
    #[error("not a dealgraph parser model: {0}")]
    Decode(#[from] postcard::Error),
    /// The model's parts do not fit together.
    #[error("corrupt parser model: {0}")]
    Corrupt(&'static str),
}

/// The relations' parser facts: which is `root`, and a bit per universal relation.
pub fn relations_of(names: &[String]) -> Option<Relations> {
    let root = names.iter().position(|n| n == "root")?;
    let mut universals: Vec<&str> = names.iter().map(|n| super::score::universal(n)).collect();
    universals.sort_unstable();
    universals.dedup();
    let universal_bits = names
        .iter()
        .map(|n| {
            let at = universals
                .binary_search(&super::score::universal(n))
                .unwrap_or(0);
            1u64 << (at % 63)
        })
        .collect();
    Some(Relations {
        root,
        universal_bits,
    })
}

/// One sentence's analysis: per word its tag class, head (0 for the root) and relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// Tag classes.
    pub tags: Vec<u16>,
    /// Heads.
    pub heads: Vec<usize>,
    /// Relations.
    pub relations: Vec<u16>,
}

/// What analysing a sentence reads: the tagger's dictionary and weights, the parser's weights and
/// relations.
#[derive(Debug, Clone, Copy)]
pub struct Analyser<'a> {
    /// The tag dictionary.
    pub dictionary: &'a TagDictionary,
    /// The tagger's weights.
    pub tagger: &'a Weights,
    /// The parser's weights.
    pub parser: &'a Weights,
    /// The parser's relations.
    pub relations: &'a Relations,
}

/// Tags and parses one sentence.
pub fn analyse_with(analyser: Analyser<'_>, forms: &[&str]) -> Analysis {
    let Analyser {
        dictionary,
        tagger,
        parser,
        relations,
    } = analyser;
    let context = WordContext::new(forms, dictionary);
    let tags = tag(tagger, &context);
    let input = ParserInput::new(context.lowers().iter().copied(), tags.iter().copied());
    let parsed = parse(parser, relations, &input);
    Analysis {
        tags,
        heads: parsed.heads[1..].iter().map(|&h| h as usize).collect(),
        relations: parsed.relations[1..].to_vec(),
    }
}

impl SyntaxModel {
    /// A model of its parts; `None` if the relations have no `root` or the weights do not fit.
    pub fn new(
        tags: Vec<TagPair>,
        relation_names: Vec<String>,
        dictionary: TagDictionary,
        tagger: Weights,
        parser: Weights,
        card: ModelCard,
    ) -> Option<Self> {
        let relations = relations_of(&relation_names)?;
        (tagger.classes() == tags.len()
            && parser.classes() == super::parser::transition_count(relation_names.len()))
        .then_some(Self {
            tags,
            relation_names,
            relations,
            dictionary,
            tagger,
            parser,
            card,
        })
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Self, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(&bytes)
    }

    /// Reads a serialised model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let stored: StoredModel = postcard::from_bytes(bytes)?;
        if stored.format != FORMAT {
            return Err(ModelError::Corrupt("unknown format version"));
        }
        let tagger = Weights::from_stored(&stored.tagger)
            .ok_or(ModelError::Corrupt("tagger weights of different lengths"))?;
        let parser = Weights::from_stored(&stored.parser)
            .ok_or(ModelError::Corrupt("parser weights of different lengths"))?;
        Self::new(
            stored.tags,
            stored.relations,
            stored.dictionary,
            tagger,
            parser,
            stored.card,
        )
        .ok_or(ModelError::Corrupt("inventories do not fit the weights"))
    }

    /// Serialises the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let stored = StoredModel {
            format: FORMAT,
            tags: self.tags.clone(),
            relations: self.relation_names.clone(),
            dictionary: self.dictionary.clone(),
            tagger: self.tagger.to_stored(),
            parser: self.parser.to_stored(),
            card: self.card.clone(),
        };
        Ok(postcard::to_stdvec(&stored)?)
    }

    /// Tags and parses a sentence of words.
    pub fn analyse_forms(&self, forms: &[&str]) -> Analysis {
        analyse_with(
            Analyser {
                dictionary: &self.dictionary,
                tagger: &self.tagger,
                parser: &self.parser,
                relations: &self.relations,
            },
            forms,
        )
    }

    /// Fills a sentence's UPOS, XPOS, HEAD and DEPREL with predictions; other columns, multiword
    /// tokens and empty nodes are left as they are.
    pub fn analyse(&self, sentence: &mut Sentence) {
        let analysis = self.analyse_forms(&sentence.forms());
        for (i, word) in sentence.words.iter_mut().enumerate() {
            let pair = &self.tags[usize::from(analysis.tags[i])];
            word.upos.clone_from(&pair.upos);
            word.xpos.clone_from(&pair.xpos);
            word.head = Some(analysis.heads[i]);
            word.deprel
                .clone_from(&self.relation_names[usize::from(analysis.relations[i])]);
        }
    }

    /// The model without the tagger and parser weights smaller than the thresholds.
    pub fn pruned(&self, tagger_below: f32, parser_below: f32) -> Self {
        Self {
            tagger: self.tagger.pruned(tagger_below),
            parser: self.parser.pruned(parser_below),
            ..self.clone()
        }
    }

    /// Feature and weight counts of the tagger and the parser.
    pub fn sizes(&self) -> [(usize, usize); 2] {
        [
            (self.tagger.feature_count(), self.tagger.weight_count()),
            (self.parser.feature_count(), self.parser.weight_count()),
        ]
    }
}
