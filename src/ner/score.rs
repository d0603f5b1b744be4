//! Entity-level exact-match scoring, as conlleval does: an entity counts when its type and both
//! boundaries match; precision, recall and F1 per type and micro-averaged over all types.

use std::collections::BTreeMap;
use std::fmt;

use super::tags::{EntitySpan, EntityType};

/// Counts for one type (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted entities that match a gold one.
    pub true_positives: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities.
    pub gold: usize,
}

impl Counts {
    /// Precision (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }

    /// Recall (0 when there is no gold entity).
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }

    /// F1, the harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Scores accumulated over sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Score {
    /// Counts per type.
    pub per_type: BTreeMap<EntityType, Counts>,
}

impl Score {
    /// Adds one sentence's gold and predicted entities.
    pub fn add(&mut self, gold: &[EntitySpan], predicted: &[EntitySpan]) {
        for span in gold {
            self.per_type.entry(span.kind).or_default().gold += 1;
        }
        for span in predicted {
            let counts = self.per_type.entry(span.kind).or_default();
            counts.predicted += 1;
            if gold.contains(span) {
                counts.true_positives += 1;
            }
        }
    }

    /// Counts over all types.
    pub fn overall(&self) -> Counts {
        self.per_type
            .values()
            .fold(Counts::default(), |sum, c| Counts {
                true_positives: sum.true_positives + c.true_positives,
                predicted: sum.predicted + c.predicted,
                gold: sum.gold + c.gold,
            })
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "type   precision  recall      F1   gold")?;
        for (kind, counts) in &self.per_type {
            writeln!(
                f,
                "{:<6} {:>9.4} {:>7.4} {:>7.4} {:>6}",
                kind.to_string(),
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.gold
            )?;
        }
        let all = self.overall();
        write!(
            f,
            "{:<6} {:>9.4} {:>7.4} {:>7.4} {:>6}",
            "all",
            all.precision(),
            all.recall(),
            all.f1(),
            all.gold
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(kind: EntityType, start: usize, end: usize) -> EntitySpan {
        EntitySpan { kind, start, end }
    }

    #[test]
    fn agrees_with_a_hand_computed_example() {
        // Gold: PER 0-2, LOC 3-4, ORG 5-7. Predicted: PER 0-2 (right), LOC 3-5 (wrong boundary),
        // ORG 5-7 (right), MISC 8-9 (spurious).
        // PER: p 1/1 r 1/1; LOC: p 0/1 r 0/1; ORG: p 1/1 r 1/1; MISC: p 0/1 r 0/0.
        // All: tp 2, predicted 4, gold 3 → p 0.5, r 2/3, F1 = 2·0.5·(2/3)/(0.5+2/3) = 4/7.
        let mut score = Score::default();
        score.add(
            &[
                span(EntityType::Per, 0, 2),
                span(EntityType::Loc, 3, 4),
                span(EntityType::Org, 5, 7),
            ],
            &[
                span(EntityType::Per, 0, 2),
                span(EntityType::Loc, 3, 5),
                span(EntityType::Org, 5, 7),
                span(EntityType::Misc, 8, 9),
            ],
        );
        let all = score.overall();
        assert_eq!((all.true_positives, all.predicted, all.gold), (2, 4, 3));
        assert!((all.f1() - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(score.per_type[&EntityType::Loc].f1(), 0.0);
        assert_eq!(score.per_type[&EntityType::Per].f1(), 1.0);
        assert_eq!(score.per_type[&EntityType::Misc].recall(), 0.0);
    }
}
