//! The averaged perceptron shared by the tagger and the parser: hashed 64-bit feature keys, each
//! with a sparse row of (class, weight) pairs. [`Learner`] trains (lazily averaged, Collins 2002);
//! [`Weights`] is what tagging and parsing read, and what the model file stores (quantised to 16
//! bits). Both are pure data: no I/O, no randomness.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde::{Deserialize, Serialize};

/// A hashed feature.
pub type FeatureKey = u64;

/// Feature keys are already hashes: maps use them as they are.
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

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type KeyMap<V> = HashMap<FeatureKey, V, BuildHasherDefault<KeyHasher>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of a string.
pub fn hash_text(text: &str) -> u64 {
    text.bytes().fold(FNV_OFFSET, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// Folds a value into a key (a multiply-rotate step; [`finish`] mixes the result).
pub fn combine(key: u64, value: u64) -> u64 {
    (key.rotate_left(23) ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The final mix of a key (splitmix64's), so keys of similar values spread over the map.
pub fn finish(mut key: u64) -> u64 {
    key = (key ^ (key >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    key = (key ^ (key >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    key ^ (key >> 31)
}

/// A feature key of a template and its values (never 0, which marks an empty slot).
pub fn feature(template: u64, values: &[u64]) -> FeatureKey {
    finish(
        values
            .iter()
            .fold(template.wrapping_add(1), |k, &v| combine(k, v)),
    )
    .max(1)
}

/// One weight being learnt, with what its average needs.
#[derive(Debug, Clone, Copy)]
struct Learning {
    class: u16,
    weight: f32,
    /// Sum of the weight over the steps before `since`.
    total: f64,
    since: u32,
}

/// Weights being trained.
#[derive(Debug, Default)]
pub struct Learner {
    rows: KeyMap<Vec<Learning>>,
    classes: usize,
    step: u32,
}

impl Learner {
    /// An empty learner of `classes` classes.
    pub fn new(classes: usize) -> Self {
        Self {
            rows: KeyMap::default(),
            classes,
            step: 0,
        }
    }

    /// Adds each feature's current weights to `scores` (one per class).
    pub fn score(&self, features: &[FeatureKey], scores: &mut [f32]) {
        scores.fill(0.0);
        for key in features {
            if let Some(row) = self.rows.get(key) {
                for entry in row {
                    scores[entry.class as usize] += entry.weight;
                }
            }
        }
    }

    /// Moves the weights of `features` towards `right` and away from `wrong`.
    pub fn update(&mut self, features: &[FeatureKey], right: usize, wrong: usize) {
        let step = self.step;
        for &key in features {
            let row = self.rows.entry(key).or_default();
            for (class, delta) in [(right, 1.0f32), (wrong, -1.0)] {
                let entry = match row.iter_mut().position(|e| e.class as usize == class) {
                    Some(at) => &mut row[at],
                    None => {
                        row.push(Learning {
                            class: class as u16,
                            weight: 0.0,
                            total: 0.0,
                            since: step,
                        });
                        row.last_mut().expect("just pushed")
                    }
                };
                entry.total += f64::from(entry.weight) * f64::from(step - entry.since);
                entry.since = step;
                entry.weight += delta;
            }
        }
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Counts one decision (the unit of averaging).
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// The averaged weights, dropping those whose magnitude is below `prune_below`.
    pub fn averaged(&self, prune_below: f32) -> Weights {
        let steps = f64::from(self.step.max(1));
        let mut keys: Vec<FeatureKey> = self.rows.keys().copied().collect();
        keys.sort_unstable();
        let rows = keys
            .into_iter()
            .map(|key| {
                let mut row: Vec<(u16, f32)> = self.rows[&key]
                    .iter()
                    .map(|e| {
                        let total = e.total + f64::from(e.weight) * f64::from(self.step - e.since);
                        (e.class, (total / steps) as f32)
                    })
                    .filter(|&(_, w)| w != 0.0 && w.abs() >= prune_below)
                    .collect();
                row.sort_unstable_by_key(|&(class, _)| class);
                (key, row)
            })
            .filter(|r| !r.1.is_empty())
            .collect();
        Weights::from_rows(rows, self.classes)
    }
}

/// Weights ready to score: per feature key, a run of (class, weight) pairs. The keys sit in an
/// open-addressing table of their own (linear probing, at most half full) so that scoring can
/// look up all of a decision's features before reading any weights: the lookups do not wait for
/// each other, and memory latency, not arithmetic, is what scoring costs.
/// A slot holds 32 bits of its key and where its run starts, 8 bytes, so that more of the table
/// stays in cache; the full keys are kept apart for storing. A run is a header pair (the run's
/// length, 0.0) followed by its pairs, so that its length is read with its first pairs.
#[derive(Debug, Clone, Default)]
pub struct Weights {
    slots: Vec<Slot>,
    keys: Vec<FeatureKey>,
    pairs: Vec<(u16, f32)>,
    classes: usize,
    features: usize,
}

/// A slot of the key table: the high half of a key (0 when empty) and its run's header.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    check: u32,
    start: u32,
}

/// The part of a key a slot holds (never 0).
fn check_of(key: FeatureKey) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// Features looked up at once by [`Weights::score`].
const LOOKUP_BATCH: usize = 64;

/// The stored form of [`Weights`]: sorted keys as deltas, pair counts, classes and weights
/// quantised to `i16` with one scale.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredWeights {
    classes: u32,
    scale: f32,
    key_deltas: Vec<u64>,
    pair_counts: Vec<u16>,
    pair_classes: Vec<u16>,
    weights: Vec<i16>,
}

impl Weights {
    /// Weights of rows given as (key, pairs) in any order; keys must be distinct and non-zero.
    fn from_rows(rows: Vec<(FeatureKey, Vec<(u16, f32)>)>, classes: usize) -> Self {
        let mut pairs = Vec::with_capacity(rows.iter().map(|r| r.1.len()).sum());
        let mut runs = Vec::with_capacity(rows.len());
        for (key, row) in rows {
            let start = pairs.len() as u32;
            pairs.extend_from_slice(&row);
            runs.push((key, start, pairs.len() as u32));
        }
        Self::from_runs(&runs, pairs, classes)
    }

    /// Weights of (key, start, end) runs over `pairs`; keys must be distinct and non-zero.
    fn from_runs(runs: &[(FeatureKey, u32, u32)], pairs: Vec<(u16, f32)>, classes: usize) -> Self {
        let capacity = (runs.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); capacity];
        let mut keys = vec![0; capacity];
        let mut runs_with_headers = Vec::with_capacity(pairs.len() + runs.len());
        let mask = capacity - 1;
        for &(key, start, end) in runs {
            let mut at = key as usize & mask;
            while slots[at].check != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = Slot {
                check: check_of(key),
                start: runs_with_headers.len() as u32,
            };
            keys[at] = key;
            runs_with_headers.push(((end - start) as u16, 0.0));
            runs_with_headers.extend_from_slice(&pairs[start as usize..end as usize]);
        }
        Self {
            slots,
            keys,
            pairs: runs_with_headers,
            classes,
            features: runs.len(),
        }
    }

    /// The pairs of the run whose header is at `start`.
    fn run(&self, start: u32) -> &[(u16, f32)] {
        let start = start as usize;
        let length = usize::from(self.pairs[start].0);
        &self.pairs[start + 1..start + 1 + length]
    }

    /// Each feature key with its pairs, in key order.
    fn rows(&self) -> Vec<(FeatureKey, &[(u16, f32)])> {
        let mut rows: Vec<(FeatureKey, &[(u16, f32)])> = self
            .slots
            .iter()
            .zip(&self.keys)
            .filter(|(slot, _)| slot.check != 0)
            .map(|(slot, &key)| (key, self.run(slot.start)))
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows
    }

    /// The header of a key's run, if it has one.
    fn find(&self, key: FeatureKey) -> Option<u32> {
        let mask = self.slots.len().wrapping_sub(1);
        let check = check_of(key);
        let mut at = key as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot.check == check {
                return Some(slot.start);
            }
            if slot.check == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds each feature's weights to `scores` (one per class), after zeroing them.
    pub fn score(&self, features: &[FeatureKey], scores: &mut [f32]) {
        scores.fill(0.0);
        if self.slots.is_empty() {
            return;
        }
        let mut found = [None; LOOKUP_BATCH];
        for batch in features.chunks(LOOKUP_BATCH) {
            for (start, &key) in found.iter_mut().zip(batch) {
                *start = self.find(key);
            }
            for &start in found[..batch.len()].iter().flatten() {
                for &(class, weight) in self.run(start) {
                    scores[usize::from(class)] += weight;
                }
            }
        }
    }

    /// The weights whose magnitude is at least `threshold`.
    pub fn pruned(&self, threshold: f32) -> Self {
        let rows = self
            .rows()
            .into_iter()
            .map(|(key, row)| {
                let kept: Vec<(u16, f32)> = row
                    .iter()
                    .copied()
                    .filter(|p| p.1.abs() >= threshold)
                    .collect();
                (key, kept)
            })
            .filter(|r| !r.1.is_empty())
            .collect();
        Self::from_rows(rows, self.classes)
    }

    /// Features with at least one weight.
    pub fn feature_count(&self) -> usize {
        self.features
    }

    /// Weights kept.
    pub fn weight_count(&self) -> usize {
        self.pairs.len() - self.features
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The stored form, weights quantised to 16 bits.
    pub fn to_stored(&self) -> StoredWeights {
        let largest = self.pairs.iter().map(|p| p.1.abs()).fold(0.0f32, f32::max);
        let scale = if largest > 0.0 {
            largest / f32::from(i16::MAX)
        } else {
            1.0
        };
        let rows = self.rows();
        let mut stored = StoredWeights {
            classes: self.classes as u32,
            scale,
            key_deltas: Vec::with_capacity(rows.len()),
            pair_counts: Vec::with_capacity(rows.len()),
            pair_classes: Vec::with_capacity(self.pairs.len()),
            weights: Vec::with_capacity(self.pairs.len()),
        };
        let mut previous = 0u64;
        for (key, row) in rows {
            stored.key_deltas.push(key - previous);
            previous = key;
            let mut count = 0u16;
            for &(class, weight) in row {
                let quantised = (weight / scale).round().clamp(-32767.0, 32767.0) as i16;
                if quantised != 0 {
                    stored.pair_classes.push(class);
                    stored.weights.push(quantised);
                    count += 1;
                }
            }
            stored.pair_counts.push(count);
        }
        stored
    }

    /// Weights from their stored form, or `None` if its parts do not fit together.
    pub fn from_stored(stored: &StoredWeights) -> Option<Self> {
        let classes = stored.classes as usize;
        let total: usize = stored.pair_counts.iter().map(|&c| usize::from(c)).sum();
        if stored.key_deltas.len() != stored.pair_counts.len()
            || stored.pair_classes.len() != total
            || stored.weights.len() != total
            || stored
                .pair_classes
                .iter()
                .any(|&c| usize::from(c) >= classes)
        {
            return None;
        }
        let mut runs = Vec::with_capacity(stored.key_deltas.len());
        let pairs: Vec<(u16, f32)> = stored
            .pair_classes
            .iter()
            .zip(&stored.weights)
            .map(|(&class, &weight)| (class, f32::from(weight) * stored.scale))
            .collect();
        let mut key = 0u64;
        let mut at = 0u32;
        for (delta, &count) in stored.key_deltas.iter().zip(&stored.pair_counts) {
            if *delta == 0 {
                return None;
            }
            key = key.wrapping_add(*delta);
            let end = at + u32::from(count);
            if count > 0 {
                runs.push((key, at, end));
            }
            at = end;
        }
        Some(Self::from_runs(&runs, pairs, classes))
    }
}

/// The best class among those `allowed`, by score (the lowest class wins ties), or `None` if none
/// is allowed.
pub fn best(scores: &[f32], allowed: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (class, &score) in scores.iter().enumerate() {
        if allowed(class) && best.is_none_or(|b| score > scores[b]) {
            best = Some(class);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_averages_and_round_trips() {
        let mut learner = Learner::new(3);
        let features = [feature(1, &[7]), feature(2, &[8])];
        let mut scores = [0.0; 3];
        for _ in 0..5 {
            learner.score(&features, &mut scores);
            let predicted = best(&scores, |_| true).expect("a class");
            if predicted != 2 {
                learner.update(&features, 2, predicted);
            }
            learner.tick();
        }
        let weights = learner.averaged(0.0);
        weights.score(&features, &mut scores);
        assert_eq!(best(&scores, |_| true), Some(2));
        let again = Weights::from_stored(&weights.to_stored()).expect("fits");
        let mut again_scores = [0.0; 3];
        again.score(&features, &mut again_scores);
        for (a, b) in scores.iter().zip(&again_scores) {
            assert!((a - b).abs() < 1e-3, "{scores:?} {again_scores:?}");
        }
        assert!(best(&scores, |c| c != 2).is_some_and(|c| c != 2));
        assert_eq!(best(&scores, |_| false), None);
    }
}
