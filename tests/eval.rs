//! Extraction quality against hand-written gold: the seeds, twelve articles about other deals
//! written by an annotator who had not seen the extractor, and four more written later the same way
//! (`tests/data/heldout`: two rules were then generalised from their misses, and much is still
//! missed). The seeds' floors are issue 4's targets; the other articles' sit just under the scores
//! reached so far, so quality can only go up.

mod common;

use common::{data, extract, root};
use dealgraph::eval::{evaluate, Scope};

fn check(inputs: &[std::path::PathBuf], gold: &std::path::Path, floors: &[(&str, f64)]) {
    let evaluation = evaluate(&extract(inputs), gold, Scope::Corpus).expect("gold files read");
    assert!(
        evaluation.without_gold.is_empty(),
        "{:?}",
        evaluation.without_gold
    );
    // Every error is listed: as many misses as gold items not found, as many spurious items as
    // predictions not in the gold.
    for (kind, counts) in &evaluation.per_type {
        let listed = |missed: bool| {
            evaluation
                .discrepancies
                .iter()
                .filter(|d| d.kind == *kind && d.missed == missed)
                .count()
        };
        assert_eq!(listed(true), counts.gold - counts.true_positives, "{kind}");
        assert_eq!(
            listed(false),
            counts.predicted - counts.true_positives,
            "{kind}"
        );
    }
    for (kind, floor) in floors {
        let f1 = evaluation.per_type[kind].f1();
        assert!(
            f1 >= *floor,
            "{kind}: F1 {f1:.4} under {floor}\n{evaluation}"
        );
    }
}

#[test]
fn the_seeds_meet_their_gold() {
    check(
        &[],
        &root().join("tests/data/gold"),
        &[
            ("countries", 0.95),
            ("officials", 0.95),
            ("organisations", 0.95),
            ("agreements", 0.90),
            ("roles", 0.90),
        ],
    );
}

#[test]
fn articles_nobody_tuned_for_meet_their_gold() {
    check(
        &[data("eval/articles")],
        &data("eval/gold"),
        &[
            ("countries", 0.95),
            ("officials", 0.95),
            ("organisations", 0.92),
            ("agreements", 0.85),
            ("roles", 0.87),
        ],
    );
}

#[test]
fn articles_written_after_the_rules_meet_their_floors() {
    check(
        &[data("heldout/articles")],
        &data("heldout/gold"),
        &[
            ("countries", 0.95),
            ("officials", 0.80),
            ("organisations", 0.65),
            ("agreements", 0.70),
            ("roles", 0.65),
        ],
    );
}
