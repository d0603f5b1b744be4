//! Scores of predicted sentences against gold ones with the same (gold) tokenisation, counted as
//! the CoNLL 2018 shared task counts them: every word, punctuation included. `LAS` compares whole
//! relations (`nmod:poss`); `CLAS`-style filtering is not done. The shared task's own LAS compares
//! only the universal part of the relation (before `:`), given here as `universal_las`.

use std::fmt;

use super::conllu::Sentence;

/// Counts of words scored and of words right in each measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Words scored.
    pub words: usize,
    /// Words with the gold UPOS.
    pub upos: usize,
    /// Words with the gold head.
    pub attached: usize,
    /// Words with the gold head and the gold relation, subtype included.
    pub labelled: usize,
    /// Words with the gold head and the gold universal relation (subtype ignored).
    pub universal_labelled: usize,
}

/// The universal part of a relation (`nmod` of `nmod:poss`).
pub fn universal(relation: &str) -> &str {
    relation.split(':').next().unwrap_or(relation)
}

impl Score {
    /// Adds a predicted sentence scored against its gold one (same words, in the same order).
    pub fn add(&mut self, gold: &Sentence, predicted: &Sentence) {
        for (g, p) in gold.words.iter().zip(&predicted.words) {
            self.words += 1;
            self.upos += usize::from(g.upos == p.upos);
            if g.head == p.head {
                self.attached += 1;
                self.labelled += usize::from(g.deprel == p.deprel);
                self.universal_labelled +=
                    usize::from(universal(&g.deprel) == universal(&p.deprel));
            }
        }
    }

    /// Adds another score's counts.
    pub fn merge(mut self, other: Self) -> Self {
        self.words += other.words;
        self.upos += other.upos;
        self.attached += other.attached;
        self.labelled += other.labelled;
        self.universal_labelled += other.universal_labelled;
        self
    }

    fn share(&self, count: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            count as f64 / self.words as f64
        }
    }

    /// UPOS accuracy.
    pub fn upos_accuracy(&self) -> f64 {
        self.share(self.upos)
    }

    /// Unlabelled attachment score.
    pub fn uas(&self) -> f64 {
        self.share(self.attached)
    }

    /// Labelled attachment score, whole relations.
    pub fn las(&self) -> f64 {
        self.share(self.labelled)
    }

    /// Labelled attachment score on universal relations (the CoNLL 2018 LAS).
    pub fn universal_las(&self) -> f64 {
        self.share(self.universal_labelled)
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "words {}  UPOS {:.4}  UAS {:.4}  LAS {:.4}  LAS(universal) {:.4}",
            self.words,
            self.upos_accuracy(),
            self.uas(),
            self.las(),
            self.universal_las()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(rows: &[(&str, &str, usize, &str)]) -> Sentence {
        let forms: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let mut sentence = Sentence::from_forms(&forms);
        for (word, (_, upos, head, deprel)) in sentence.words.iter_mut().zip(rows) {
            word.upos = (*upos).into();
            word.head = Some(*head);
            word.deprel = (*deprel).into();
        }
        sentence
    }

    #[test]
    fn scores_a_hand_computed_example() {
        let gold = sentence(&[
            ("Her", "PRON", 2, "nmod:poss"),
            ("dog", "NOUN", 3, "nsubj"),
            ("barked", "VERB", 0, "root"),
            ("today", "NOUN", 3, "obl:tmod"),
            (".", "PUNCT", 3, "punct"),
        ]);
        let predicted = sentence(&[
            ("Her", "PRON", 2, "det"),     // head right, relation wrong
            ("dog", "NOUN", 3, "nsubj"),   // right
            ("barked", "NOUN", 0, "root"), // UPOS wrong
            ("today", "NOUN", 3, "obl"),   // universal part right, subtype wrong
            (".", "PUNCT", 2, "punct"),    // head wrong
        ]);
        let mut score = Score::default();
        score.add(&gold, &predicted);
        assert_eq!(score.words, 5);
        assert_eq!(score.upos, 4);
        assert_eq!(score.attached, 4);
        assert_eq!(score.labelled, 2);
        assert_eq!(score.universal_labelled, 3);
        assert!((score.las() - 0.4).abs() < 1e-12);
        assert!((score.universal_las() - 0.6).abs() < 1e-12);
        assert!((score.uas() - 0.8).abs() < 1e-12);
    }
}
