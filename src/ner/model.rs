//! The trained model: sparse emission weights per feature key, BILOU transition weights, and
//! Viterbi decoding constrained to well-formed BILOU sequences.
//!
//! On disk the model is a [`StoredModel`] written with serde (postcard): sorted feature keys as
//! deltas, each key's (tag, weight) pairs with weights quantised to `i16`, and the transitions.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::features::FeatureKey;
use super::tags::{allowed, Tag, TAG_COUNT};

/// Rows of transition weights: one for "sentence start", then one per previous tag.
const TRANSITION_ROWS: usize = TAG_COUNT + 1;

/// Feature keys are already hashes: the map uses them as they are, spread by one multiplication.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8 | u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.0 = u64::from(value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type KeyMap<V> = HashMap<FeatureKey, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// A model ready to tag.
#[derive(Debug, Clone)]
pub struct Model {
    rows: KeyMap<(u32, u32)>,
    pairs: Vec<(u8, f32)>,
    transitions: Vec<f32>,
    /// What the model was trained on and how it scored.
    pub card: ModelMetadata,
}

/// Facts recorded with a model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelMetadata {
    /// The training command's description of its data.
    pub trained_on: String,
    /// Epochs kept (the best on the development split).
    pub epochs: u32,
    /// Entity-level F1 on the development split when trained.
    pub dev_f1: f64,
    /// Whether features carry news-specific copies (see [`super::features::augment`]).
    pub domain_features: bool,
}

/// The serialised form.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredModel {
    format: u32,
    scale: f32,
    key_deltas: Vec<u32>,
    pair_counts: Vec<u8>,
    tags: Vec<u8>,
    weights: Vec<i16>,
    transitions: Vec<i16>,
    card: ModelMetadata,
}

/// Why a model cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes are not a model.
    #[error("not a dealgraph NER model: {0}")]
    Decode(#[from] postcard::Error),
    /// The model's parts do not fit together.
    #[error("corrupt NER model: {0}")]
    Corrupt(&'static str),
}

const FORMAT: u32 = 1;

impl Model {
    /// A model from dense weights: `emissions[row * TAG_COUNT + tag]` for the feature keys in `keys`
    /// (row order), and `transitions[(previous + 1) * TAG_COUNT + tag]` (row 0: sentence start).
    /// Weights whose magnitude is below `threshold` are dropped.
    pub fn from_dense(
        keys: &[FeatureKey],
        emissions: &[f32],
        transitions: &[f32],
        threshold: f32,
        card: ModelMetadata,
    ) -> Self {
        let mut rows = KeyMap::default();
        let mut pairs = Vec::new();
        for (row, &key) in keys.iter().enumerate() {
            let start = pairs.len() as u32;
            for tag in 0..TAG_COUNT {
                let weight = emissions[row * TAG_COUNT + tag];
                if weight.abs() >= threshold && weight != 0.0 {
                    pairs.push((tag as u8, weight));
                }
            }
            let end = pairs.len() as u32;
            if end > start {
                rows.insert(key, (start, end));
            }
        }
        Self {
            rows,
            pairs,
            transitions: transitions.to_vec(),
            card,
        }
    }

    /// Number of features with at least one weight.
    pub fn feature_count(&self) -> usize {
        self.rows.len()
    }

    /// Emission scores of one token's features, per tag.
    pub fn emissions(&self, features: &[FeatureKey]) -> [f32; TAG_COUNT] {
        let mut scores = [0.0; TAG_COUNT];
        for key in features {
            if let Some(&(start, end)) = self.rows.get(key) {
                for &(tag, weight) in &self.pairs[start as usize..end as usize] {
                    scores[tag as usize] += weight;
                }
            }
        }
        scores
    }

    /// The best well-formed tag sequence for a sentence's features.
    pub fn decode(&self, sentence: &[Vec<FeatureKey>]) -> Vec<Tag> {
        let emissions: Vec<[f32; TAG_COUNT]> = sentence
            .iter()
            .map(|features| self.emissions(features))
            .collect();
        viterbi(&emissions, &self.transitions)
    }

    /// Serialises the model (weights quantised to 16 bits).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let largest = self
            .pairs
            .iter()
            .map(|(_, w)| w.abs())
            .chain(self.transitions.iter().map(|w| w.abs()))
            .fold(0.0f32, f32::max);
        let scale = if largest > 0.0 {
            largest / f32::from(i16::MAX)
        } else {
            1.0
        };
        let quantise = |w: f32| (w / scale).round().clamp(-32767.0, 32767.0) as i16;
        let mut keys: Vec<FeatureKey> = self.rows.keys().copied().collect();
        keys.sort_unstable();
        let mut key_deltas = Vec::with_capacity(keys.len());
        let mut pair_counts = Vec::with_capacity(keys.len());
        let mut tags = Vec::new();
        let mut weights = Vec::new();
        let mut previous = 0;
        for key in keys {
            key_deltas.push(key - previous);
            previous = key;
            let (start, end) = self.rows[&key];
            pair_counts.push((end - start) as u8);
            for &(tag, weight) in &self.pairs[start as usize..end as usize] {
                tags.push(tag);
                weights.push(quantise(weight));
            }
        }
        let stored = StoredModel {
            format: FORMAT,
            scale,
            key_deltas,
            pair_counts,
            tags,
            weights,
            transitions: self.transitions.iter().map(|&w| quantise(w)).collect(),
            card: self.card.clone(),
        };
        Ok(postcard::to_stdvec(&stored)?)
    }

    /// Reads a serialised model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let stored: StoredModel = postcard::from_bytes(bytes)?;
        if stored.format != FORMAT {
            return Err(ModelError::Corrupt("unknown format version"));
        }
        if stored.key_deltas.len() != stored.pair_counts.len()
            || stored.tags.len() != stored.weights.len()
            || stored.transitions.len() != TRANSITION_ROWS * TAG_COUNT
            || stored
                .pair_counts
                .iter()
                .map(|&c| c as usize)
                .sum::<usize>()
                != stored.tags.len()
            || stored.tags.iter().any(|&t| t as usize >= TAG_COUNT)
        {
            return Err(ModelError::Corrupt("parts of different lengths"));
        }
        let mut rows =
            KeyMap::with_capacity_and_hasher(stored.key_deltas.len(), Default::default());
        let mut pairs = Vec::with_capacity(stored.tags.len());
        let mut key: FeatureKey = 0;
        for (delta, count) in stored.key_deltas.iter().zip(&stored.pair_counts) {
            key = key.wrapping_add(*delta);
            let start = pairs.len() as u32;
            for _ in 0..*count {
                let index = pairs.len();
                pairs.push((
                    stored.tags[index],
                    f32::from(stored.weights[index]) * stored.scale,
                ));
            }
            rows.insert(key, (start, pairs.len() as u32));
        }
        let transitions = stored
            .transitions
            .iter()
            .map(|&w| f32::from(w) * stored.scale)
            .collect();
        Ok(Self {
            rows,
            pairs,
            transitions,
            card: stored.card,
        })
    }
}

/// Viterbi decoding over emission scores and transitions, allowing only well-formed BILOU
/// sequences (a sentence never ends inside an entity).
pub fn viterbi(emissions: &[[f32; TAG_COUNT]], transitions: &[f32]) -> Vec<Tag> {
    static ALLOWED: std::sync::LazyLock<[[bool; TAG_COUNT]; TRANSITION_ROWS]> =
        std::sync::LazyLock::new(|| {
            let mut table = [[false; TAG_COUNT]; TRANSITION_ROWS];
            for (row, slots) in table.iter_mut().enumerate() {
                let previous = row.checked_sub(1);
                for (tag, slot) in slots.iter_mut().enumerate() {
                    *slot = allowed(previous, tag);
                }
            }
            table
        });
    let allowed_after = &*ALLOWED;
    let length = emissions.len();
    if length == 0 {
        return Vec::new();
    }
    let mut score = vec![[f32::NEG_INFINITY; TAG_COUNT]; length];
    let mut back = vec![[0usize; TAG_COUNT]; length];
    for tag in 0..TAG_COUNT {
        if allowed_after[0][tag] {
            score[0][tag] = emissions[0][tag] + transitions[tag];
        }
    }
    for position in 1..length {
        for tag in 0..TAG_COUNT {
            let mut best = f32::NEG_INFINITY;
            let mut best_previous = 0;
            for previous in 0..TAG_COUNT {
                if score[position - 1][previous] == f32::NEG_INFINITY
                    || !allowed_after[previous + 1][tag]
                {
                    continue;
                }
                let candidate =
                    score[position - 1][previous] + transitions[(previous + 1) * TAG_COUNT + tag];
                if candidate > best {
                    best = candidate;
                    best_previous = previous;
                }
            }
            if best > f32::NEG_INFINITY {
                score[position][tag] = best + emissions[position][tag];
                back[position][tag] = best_previous;
            }
        }
    }
    let closes = |tag: Tag| allowed_after[tag + 1][0];
    let mut last = (0..TAG_COUNT)
        .filter(|&tag| closes(tag) && score[length - 1][tag] > f32::NEG_INFINITY)
        .max_by(|&a, &b| score[length - 1][a].total_cmp(&score[length - 1][b]))
        .unwrap_or(0);
    let mut tags = vec![0; length];
    for position in (0..length).rev() {
        tags[position] = last;
        last = back[position][last];
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_bytes_and_rejects_garbage() {
        let keys = [7, 3, 11];
        let mut emissions = vec![0.0; 3 * TAG_COUNT];
        emissions[1] = 2.5;
        emissions[TAG_COUNT + 4] = -1.25;
        emissions[2 * TAG_COUNT] = 0.001;
        let transitions = vec![0.5; TRANSITION_ROWS * TAG_COUNT];
        let model = Model::from_dense(
            &keys,
            &emissions,
            &transitions,
            0.01,
            ModelMetadata::default(),
        );
        assert_eq!(model.feature_count(), 2);
        let again = Model::from_bytes(&model.to_bytes().expect("serialises")).expect("reads");
        let scores = again.emissions(&[7, 3, 11, 99]);
        assert!(
            (scores[1] - 2.5).abs() < 1e-3 && (scores[4] + 1.25).abs() < 1e-3,
            "{scores:?}"
        );
        assert!(Model::from_bytes(b"not a model").is_err());
        assert!(Model::from_bytes(&[]).is_err());
    }

    #[test]
    fn viterbi_keeps_sequences_well_formed() {
        // Emissions that alone would give B-PER then O (an unclosed entity).
        let mut emissions = [[0.0; TAG_COUNT]; 2];
        emissions[0][1] = 5.0;
        emissions[1][0] = 5.0;
        let transitions = vec![0.0; TRANSITION_ROWS * TAG_COUNT];
        let tags = viterbi(&emissions, &transitions);
        assert!(
            allowed(None, tags[0]) && allowed(Some(tags[0]), tags[1]) && allowed(Some(tags[1]), 0),
            "{tags:?}"
        );
    }
}
