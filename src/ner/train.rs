//! Training: a structured averaged perceptron over the features of [`super::features`], decoded
//! with the constrained Viterbi of [`super::model`]. The epoch with the best development F1 is kept.
//!
//! Deterministic for a given seed: sentences are shuffled with a seeded generator, and evaluation
//! (parallel) only sums counts.

use std::collections::HashMap;

use rayon::prelude::*;

use super::features::FeatureKey;
use super::model::{viterbi, Model, ModelMetadata};
use super::score::Score;
use super::tags::{spans_of, EntitySpan, Tag, TAG_COUNT};

/// A training sentence: each token's feature keys and the gold BILOU tags.
pub type TrainingSentence = (Vec<Vec<FeatureKey>>, Vec<Tag>);

/// A development sentence: each token's feature keys and the gold entities.
pub type DevSentence = (Vec<Vec<FeatureKey>>, Vec<EntitySpan>);

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the sentence shuffle.
    pub seed: u64,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: usize,
    /// Averaged weights smaller than this are dropped from the shipped model.
    pub prune_below: f32,
    /// Description of the training data, for the model card.
    pub trained_on: String,
    /// Whether the sentences carry domain-augmented features.
    pub domain_features: bool,
}

/// The result of training.
pub struct Trained {
    /// The model of the best epoch, pruned.
    pub model: Model,
    /// Its development score.
    pub dev_score: Score,
    /// Development F1 after each epoch.
    pub history: Vec<f64>,
}

const TRANSITION_ROWS: usize = TAG_COUNT + 1;

/// Scores a model on development sentences.
pub fn evaluate(model: &Model, dev: &[DevSentence]) -> Score {
    dev.par_iter()
        .map(|(features, gold)| {
            let mut score = Score::default();
            score.add(gold, &spans_of(&model.decode(features)));
            score
        })
        .reduce(Score::default, |mut a, b| {
            for (kind, counts) in b.per_type {
                let entry = a.per_type.entry(kind).or_default();
                entry.true_positives += counts.true_positives;
                entry.predicted += counts.predicted;
                entry.gold += counts.gold;
            }
            a
        })
}

/// Trains a model; `report` is called after each epoch with its number and development score.
pub fn train(
    train: &[TrainingSentence],
    dev: &[DevSentence],
    options: &TrainOptions,
    mut report: impl FnMut(usize, &Score),
) -> Trained {
    let mut counts: HashMap<FeatureKey, usize> = HashMap::new();
    for (features, _) in train {
        for key in features.iter().flatten() {
            *counts.entry(*key).or_insert(0) += 1;
        }
    }
    let mut keys: Vec<FeatureKey> = counts
        .into_iter()
        .filter(|&(_, n)| n >= options.min_count)
        .map(|(k, _)| k)
        .collect();
    keys.sort_unstable();
    let index: HashMap<FeatureKey, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, i as u32))
        .collect();
    let indexed: Vec<(Vec<Vec<u32>>, &Vec<Tag>)> = train
        .iter()
        .map(|(features, gold)| {
            (
                features
                    .iter()
                    .map(|token| token.iter().filter_map(|k| index.get(k).copied()).collect())
                    .collect(),
                gold,
            )
        })
        .collect();
    let mut weights = vec![0.0f32; keys.len() * TAG_COUNT];
    let mut totals = vec![0.0f32; keys.len() * TAG_COUNT];
    let mut transitions = vec![0.0f32; TRANSITION_ROWS * TAG_COUNT];
    let mut transition_totals = vec![0.0f32; TRANSITION_ROWS * TAG_COUNT];
    let mut order: Vec<usize> = (0..indexed.len()).collect();
    let mut random = SplitMix(options.seed);
    let mut step = 1.0f32;
    let mut best: Option<(f64, Model, Score, usize)> = None;
    let mut history = Vec::new();
    for epoch in 1..=options.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, (random.next() % (i as u64 + 1)) as usize);
        }
        for &sentence in &order {
            let (features, gold) = &indexed[sentence];
            let emissions: Vec<[f32; TAG_COUNT]> = features
                .iter()
                .map(|token| {
                    let mut scores = [0.0f32; TAG_COUNT];
                    for &f in token {
                        let row = &weights[f as usize * TAG_COUNT..(f as usize + 1) * TAG_COUNT];
                        for (score, weight) in scores.iter_mut().zip(row) {
                            *score += weight;
                        }
                    }
                    scores
                })
                .collect();
            let predicted = viterbi(&emissions, &transitions);
            if predicted != **gold {
                for position in 0..gold.len() {
                    let (g, p) = (gold[position], predicted[position]);
                    if g != p {
                        for &f in &features[position] {
                            let base = f as usize * TAG_COUNT;
                            weights[base + g] += 1.0;
                            totals[base + g] += step;
                            weights[base + p] -= 1.0;
                            totals[base + p] -= step;
                        }
                    }
                    let previous_gold = if position == 0 {
                        0
                    } else {
                        gold[position - 1] + 1
                    };
                    let previous_predicted = if position == 0 {
                        0
                    } else {
                        predicted[position - 1] + 1
                    };
                    if (previous_gold, g) != (previous_predicted, p) {
                        transitions[previous_gold * TAG_COUNT + g] += 1.0;
                        transition_totals[previous_gold * TAG_COUNT + g] += step;
                        transitions[previous_predicted * TAG_COUNT + p] -= 1.0;
                        transition_totals[previous_predicted * TAG_COUNT + p] -= step;
                    }
                }
            }
            step += 1.0;
        }
        let averaged: Vec<f32> = weights
            .iter()
            .zip(&totals)
            .map(|(w, t)| w - t / step)
            .collect();
        let averaged_transitions: Vec<f32> = transitions
            .iter()
            .zip(&transition_totals)
            .map(|(w, t)| w - t / step)
            .collect();
        let card = ModelMetadata {
            trained_on: options.trained_on.clone(),
            epochs: epoch as u32,
            dev_f1: 0.0,
            domain_features: options.domain_features,
        };
        let model = Model::from_dense(
            &keys,
            &averaged,
            &averaged_transitions,
            options.prune_below,
            card,
        );
        let score = evaluate(&model, dev);
        let f1 = score.overall().f1();
        history.push(f1);
        report(epoch, &score);
        if best.as_ref().is_none_or(|(best_f1, ..)| f1 > *best_f1) {
            best = Some((f1, model, score, epoch));
        }
    }
    let empty = || {
        Model::from_dense(
            &[],
            &[],
            &vec![0.0; TRANSITION_ROWS * TAG_COUNT],
            0.0,
            ModelMetadata::default(),
        )
    };
    let (_, model, _, _) = best.unwrap_or_else(|| (0.0, empty(), Score::default(), 0));
    // Score what ships: the model after 16-bit quantisation, as read back from its bytes.
    let mut shipped = model
        .to_bytes()
        .and_then(|bytes| Model::from_bytes(&bytes))
        .unwrap_or(model);
    let dev_score = evaluate(&shipped, dev);
    shipped.card.dev_f1 = dev_score.overall().f1();
    Trained {
        model: shipped,
        dev_score,
        history,
    }
}

/// SplitMix64, a small seeded generator for the shuffle.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
