//! Training the tagger and the parser from CoNLL-U treebanks. The tagger is trained on all the
//! training sentences (the epoch with the best development UPOS is kept); the parser is trained on
//! tags predicted by jackknifing (each of `folds` parts tagged by a tagger trained on the others),
//! so it learns from the tags it will be given. Parser epochs explore with the dynamic oracle; the
//! epoch with the best development LAS is kept.
//!
//! Deterministic for a given seed: orders come from a seeded generator, and the parallel parts
//! (folds, scoring) only compute independent results that are then put in a fixed order.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::conllu::Sentence;
use super::model::{
    analyse_with, relations_of, Analyser, DevScore, ModelCard, SyntaxModel, TagPair,
};
use super::parser::{self, Exploration, GoldTree, ParserInput};
use super::perceptron::{Learner, Weights};
use super::score::Score;
use super::tagger::{self, TagDictionary, WordContext};

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Most passes of the tagger (the best on development is kept).
    pub tagger_epochs: usize,
    /// Most passes of the parser (the best on development is kept).
    pub parser_epochs: usize,
    /// Parts of the jackknife.
    pub folds: usize,
    /// Seed of the shuffles and of exploration.
    pub seed: u64,
    /// The first parser epoch that follows its own mistakes (1 = from the start).
    pub explore_from: usize,
    /// Probability of following a mistake when exploring.
    pub follow_mistakes: f64,
    /// Averaged tagger weights smaller than this are dropped.
    pub tagger_prune_below: f32,
    /// Averaged parser weights smaller than this are dropped.
    pub parser_prune_below: f32,
    /// Description of the training data, for the model card.
    pub trained_on: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            tagger_epochs: 8,
            parser_epochs: 12,
            folds: 5,
            seed: 1,
            explore_from: 2,
            follow_mistakes: 0.9,
            tagger_prune_below: 0.5,
            parser_prune_below: 1.5,
            trained_on: String::new(),
        }
    }
}

/// Why training cannot start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// No training sentence has a complete tree.
    #[error("no training sentence with a head for every word")]
    NoTrees,
    /// No tagger or no parser epoch was asked for.
    #[error("at least one tagger epoch and one parser epoch are needed")]
    NoEpochs,
    /// Too few sentences for the folds of the jackknife.
    #[error("{sentences} training sentences cannot make {folds} folds")]
    TooFewSentences {
        /// Sentences given.
        sentences: usize,
        /// Folds asked for.
        folds: usize,
    },
}

/// A development file: a name and its sentences.
pub type DevSet = (String, Vec<Sentence>);

/// A development file's name and score.
type FileScore = (String, Score);

/// A seeded generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        super::perceptron::finish(self.0)
    }

    /// A number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Shuffles a slice (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, (self.next_u64() % (i as u64 + 1)) as usize);
        }
    }
}

/// Training sentences with complete trees, with their inventories and gold classes.
struct Prepared<'a> {
    trees: Vec<&'a Sentence>,
    upos: Vec<String>,
    tags: Vec<TagPair>,
    relations: Vec<String>,
    dictionary: TagDictionary,
    contexts: Vec<WordContext>,
    gold_tags: Vec<Vec<u16>>,
    heads: Vec<Vec<u32>>,
    gold_relations: Vec<Vec<u16>>,
}

/// Words seen fewer times than this in training have no ambiguity class.
const DICTIONARY_MIN_COUNT: usize = 2;

/// The tag dictionary of the trees at `indices`.
fn dictionary_of(trees: &[&Sentence], indices: &[usize], upos: &[String]) -> TagDictionary {
    TagDictionary::from_occurrences(
        indices.iter().flat_map(|&i| &trees[i].words).map(|w| {
            let at = upos.iter().position(|u| *u == w.upos).unwrap_or(0);
            (w.form.as_str(), at)
        }),
        DICTIONARY_MIN_COUNT,
    )
}

fn prepare(sentences: &[Sentence]) -> Result<Prepared<'_>, TrainError> {
    let trees: Vec<&Sentence> = sentences
        .iter()
        .filter(|s| s.words.iter().all(|w| w.head.is_some()))
        .collect();
    if trees.is_empty() {
        return Err(TrainError::NoTrees);
    }
    let mut tag_index: BTreeMap<TagPair, u16> = BTreeMap::new();
    let mut relation_index: BTreeMap<String, u16> = BTreeMap::new();
    relation_index.insert("root".into(), 0);
    for word in trees.iter().flat_map(|s| &s.words) {
        tag_index.insert(
            TagPair {
                upos: word.upos.clone(),
                xpos: word.xpos.clone(),
            },
            0,
        );
        relation_index.insert(word.deprel.clone(), 0);
    }
    for (i, value) in tag_index.values_mut().enumerate() {
        *value = i as u16;
    }
    for (i, value) in relation_index.values_mut().enumerate() {
        *value = i as u16;
    }
    let mut upos: Vec<String> = tag_index.keys().map(|t| t.upos.clone()).collect();
    upos.dedup();
    let all: Vec<usize> = (0..trees.len()).collect();
    let dictionary = dictionary_of(&trees, &all, &upos);
    let contexts = trees
        .par_iter()
        .map(|s| WordContext::new(&s.forms(), &dictionary))
        .collect();
    let gold_tags = trees
        .iter()
        .map(|s| {
            s.words
                .iter()
                .map(|w| {
                    tag_index[&TagPair {
                        upos: w.upos.clone(),
                        xpos: w.xpos.clone(),
                    }]
                })
                .collect()
        })
        .collect();
    let heads = trees
        .iter()
        .map(|s| {
            std::iter::once(0)
                .chain(s.words.iter().map(|w| w.head.unwrap_or(0) as u32))
                .collect()
        })
        .collect();
    let gold_relations = trees
        .iter()
        .map(|s| {
            std::iter::once(0)
                .chain(s.words.iter().map(|w| relation_index[&w.deprel]))
                .collect()
        })
        .collect();
    Ok(Prepared {
        trees,
        upos,
        tags: tag_index.into_keys().collect(),
        relations: relation_index.into_keys().collect(),
        dictionary,
        contexts,
        gold_tags,
        heads,
        gold_relations,
    })
}

/// Trains a tagger on sentences (contexts and gold tag classes) for `epochs` passes; after each
/// pass `after` gets the epoch and the averaged weights.
fn train_tagger(
    sentences: &[(&WordContext, &[u16])],
    classes: usize,
    epochs: usize,
    seed: u64,
    prune_below: f32,
    mut after: impl FnMut(usize, Weights),
) {
    let mut learner = Learner::new(classes);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut random = SplitMix::new(seed);
    for epoch in 1..=epochs {
        random.shuffle(&mut order);
        let pass: Vec<(&WordContext, &[u16])> = order.iter().map(|&i| sentences[i]).collect();
        tagger::train_pass(&mut learner, &pass);
        after(epoch, learner.averaged(prune_below));
    }
}

/// UPOS accuracy of tagger weights on development sentences.
fn tagging_accuracy(
    weights: &Weights,
    dictionary: &TagDictionary,
    tags: &[TagPair],
    dev: &[DevSet],
) -> f64 {
    let (right, total) = dev
        .iter()
        .flat_map(|(_, sentences)| sentences)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|sentence| {
            let predicted = tagger::tag(weights, &WordContext::new(&sentence.forms(), dictionary));
            let right = sentence
                .words
                .iter()
                .zip(&predicted)
                .filter(|(w, &t)| tags[usize::from(t)].upos == w.upos)
                .count();
            (right, sentence.words.len())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    right as f64 / total.max(1) as f64
}

/// Scores of tagger and parser weights on each development file.
fn dev_scores(
    analyser: Analyser<'_>,
    tags: &[TagPair],
    relation_names: &[String],
    dev: &[DevSet],
) -> Vec<FileScore> {
    dev.iter()
        .map(|(name, sentences)| {
            let score = sentences
                .par_iter()
                .map(|gold| {
                    let analysis = analyse_with(analyser, &gold.forms());
                    let mut predicted = gold.clone();
                    for (i, word) in predicted.words.iter_mut().enumerate() {
                        word.upos
                            .clone_from(&tags[usize::from(analysis.tags[i])].upos);
                        word.head = Some(analysis.heads[i]);
                        word.deprel
                            .clone_from(&relation_names[usize::from(analysis.relations[i])]);
                    }
                    let mut score = Score::default();
                    score.add(gold, &predicted);
                    score
                })
                .reduce(Score::default, Score::merge);
            (name.clone(), score)
        })
        .collect()
}

/// The tags each training sentence gets from a tagger trained on the other folds (contiguous
/// parts, so that a document's sentences mostly stay together), with a tag dictionary of the other
/// folds too.
fn jackknifed_tags(
    prepared: &Prepared<'_>,
    epochs: usize,
    options: &TrainOptions,
) -> Vec<Vec<u16>> {
    let count = prepared.trees.len();
    let folds = options.folds;
    let fold_of = |i: usize| i * folds / count;
    let per_fold: Vec<Vec<(usize, Vec<u16>)>> = (0..folds)
        .into_par_iter()
        .map(|fold| {
            let (held_out, training): (Vec<usize>, Vec<usize>) =
                (0..count).partition(|&i| fold_of(i) == fold);
            let dictionary = dictionary_of(&prepared.trees, &training, &prepared.upos);
            let context = |i: usize| WordContext::new(&prepared.trees[i].forms(), &dictionary);
            let contexts: Vec<WordContext> = training.iter().map(|&i| context(i)).collect();
            let sentences: Vec<(&WordContext, &[u16])> = contexts
                .iter()
                .zip(&training)
                .map(|(c, &i)| (c, prepared.gold_tags[i].as_slice()))
                .collect();
            let mut weights = Weights::default();
            train_tagger(
                &sentences,
                prepared.tags.len(),
                epochs,
                options.seed + 1 + fold as u64,
                options.tagger_prune_below,
                |epoch, averaged| {
                    if epoch == epochs {
                        weights = averaged;
                    }
                },
            );
            held_out
                .into_iter()
                .map(|i| (i, tagger::tag(&weights, &context(i))))
                .collect()
        })
        .collect();
    let mut tags = vec![Vec::new(); count];
    for (i, predicted) in per_fold.into_iter().flatten() {
        tags[i] = predicted;
    }
    tags
}

/// Trains a tagger and a parser; `report` gets a line of progress now and then. The epochs kept
/// are those with the best development scores (the later on a tie, so the last without `dev`).
pub fn train(
    sentences: &[Sentence],
    dev: &[DevSet],
    options: &TrainOptions,
    mut report: impl FnMut(&str),
) -> Result<SyntaxModel, TrainError> {
    if options.tagger_epochs == 0 || options.parser_epochs == 0 {
        return Err(TrainError::NoEpochs);
    }
    let prepared = prepare(sentences)?;
    let count = prepared.contexts.len();
    if count < options.folds.max(2) {
        return Err(TrainError::TooFewSentences {
            sentences: count,
            folds: options.folds,
        });
    }
    report(&format!(
        "{count} training trees, {} tags, {} relations",
        prepared.tags.len(),
        prepared.relations.len()
    ));
    let mut best_tagger: Option<(f64, usize, Weights)> = None;
    let tagged: Vec<(&WordContext, &[u16])> = prepared
        .contexts
        .iter()
        .zip(&prepared.gold_tags)
        .map(|(c, g)| (c, g.as_slice()))
        .collect();
    train_tagger(
        &tagged,
        prepared.tags.len(),
        options.tagger_epochs,
        options.seed,
        options.tagger_prune_below,
        |epoch, weights| {
            let accuracy = tagging_accuracy(&weights, &prepared.dictionary, &prepared.tags, dev);
            report(&format!("tagger epoch {epoch}: dev UPOS {accuracy:.4}"));
            if best_tagger.as_ref().is_none_or(|b| accuracy >= b.0) {
                best_tagger = Some((accuracy, epoch, weights));
            }
        },
    );
    let (_, tagger_epochs, tagger_weights) = best_tagger.ok_or(TrainError::NoEpochs)?;
    let predicted_tags = jackknifed_tags(&prepared, tagger_epochs, options);
    let jackknife_accuracy = {
        let right: usize = predicted_tags
            .iter()
            .zip(&prepared.gold_tags)
            .flat_map(|(p, g)| p.iter().zip(g))
            .filter(|(p, g)| {
                prepared.tags[usize::from(**p)].upos == prepared.tags[usize::from(**g)].upos
            })
            .count();
        right as f64 / prepared.gold_tags.iter().map(Vec::len).sum::<usize>() as f64
    };
    report(&format!(
        "jackknifed tags ({} folds, {tagger_epochs} epochs): UPOS {jackknife_accuracy:.4}",
        options.folds
    ));
    let relations = relations_of(&prepared.relations).expect("root is always a relation");
    let trees: Vec<GoldTree> = (0..count)
        .into_par_iter()
        .map(|i| {
            let input = ParserInput::new(
                prepared.contexts[i].lowers().iter().copied(),
                predicted_tags[i].iter().copied(),
            );
            GoldTree::new(
                input,
                prepared.heads[i].clone(),
                prepared.gold_relations[i].clone(),
            )
        })
        .collect();
    let mut learner = Learner::new(parser::transition_count(prepared.relations.len()));
    let mut order: Vec<usize> = (0..count).collect();
    let mut random = SplitMix::new(options.seed ^ 0x5eed);
    let mut best_parser: Option<(f64, usize, Weights, Vec<FileScore>)> = None;
    for epoch in 1..=options.parser_epochs {
        random.shuffle(&mut order);
        let pass: Vec<&GoldTree> = order.iter().map(|&i| &trees[i]).collect();
        let exploration = (epoch >= options.explore_from).then_some(Exploration {
            follow_mistakes: options.follow_mistakes,
        });
        let mut explore_random =
            SplitMix::new(options.seed.wrapping_mul(31).wrapping_add(epoch as u64));
        parser::train_pass(&mut learner, &relations, &pass, exploration, &mut || {
            explore_random.next_f64()
        });
        let weights = learner.averaged(options.parser_prune_below);
        let analyser = Analyser {
            dictionary: &prepared.dictionary,
            tagger: &tagger_weights,
            parser: &weights,
            relations: &relations,
        };
        let scores = dev_scores(analyser, &prepared.tags, &prepared.relations, dev);
        let total = scores
            .iter()
            .map(|s| s.1)
            .fold(Score::default(), Score::merge);
        let line: Vec<String> = scores.iter().map(|(n, s)| format!("{n}: {s}")).collect();
        report(&format!("parser epoch {epoch}: {}", line.join("; ")));
        if best_parser.as_ref().is_none_or(|b| total.las() >= b.0) {
            best_parser = Some((total.las(), epoch, weights, scores));
        }
    }
    let (_, parser_epochs, parser_weights, scores) = best_parser.ok_or(TrainError::NoEpochs)?;
    let card = ModelCard {
        trained_on: options.trained_on.clone(),
        tagger_epochs: tagger_epochs as u32,
        parser_epochs: parser_epochs as u32,
        dev: scores
            .iter()
            .map(|(name, s)| DevScore {
                name: name.clone(),
                upos: s.upos_accuracy(),
                uas: s.uas(),
                las: s.las(),
                universal_las: s.universal_las(),
            })
            .collect(),
    };
    Ok(SyntaxModel::new(
        prepared.tags,
        prepared.relations,
        prepared.dictionary,
        tagger_weights,
        parser_weights,
        card,
    )
    .expect("inventories made with the weights"))
}
