//! The named-entity recogniser: the shipped model is reproducible from the documented command,
//! training works on a small slice, tagging never panics, and `ner --conll` writes scorable files.
//!
//! Tests that need the annotated data read it from `$DEALGRAPH_DATA` or `../shared/data` (CI has it
//! beside the clone); without it they fail with a message, unless `DEALGRAPH_SKIP_DATA_TESTS=1`.

mod common;

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use common::{data, dealgraph, root, stderr, stdout};
use dealgraph::ner::conll::{read_annotated, CorpusDocument, Layout};
use dealgraph::ner::score::Score;
use dealgraph::ner::train::{evaluate, train, TrainOptions};
use dealgraph::ner::{dev_sentences, gazetteer, training_sentences, Recogniser};
use proptest::prelude::*;

/// The annotated data folder, or `None` when the tests are told to skip it.
fn data_folder() -> Option<PathBuf> {
    let folder = std::env::var_os("DEALGRAPH_DATA")
        .map_or_else(|| root().join("../shared/data"), PathBuf::from);
    if folder.join("conll2003/eng.train").is_file() {
        return Some(folder);
    }
    if std::env::var_os("DEALGRAPH_SKIP_DATA_TESTS").is_some() {
        eprintln!("skipped: no annotated data at {}", folder.display());
        return None;
    }
    panic!(
        "no annotated data at {} (set DEALGRAPH_DATA, or DEALGRAPH_SKIP_DATA_TESTS=1 to skip)",
        folder.display()
    );
}

fn conll(folder: &std::path::Path, file: &str) -> Vec<CorpusDocument> {
    let reader =
        BufReader::new(File::open(folder.join("conll2003").join(file)).expect("CoNLL file"));
    read_annotated(reader, Layout::Conll2003).expect("CoNLL file reads")
}

#[test]
fn the_documented_training_command_reproduces_the_shipped_model() {
    let Some(folder) = data_folder() else { return };
    let shipped = Recogniser::embedded().expect("the shipped model loads");
    assert!(
        shipped.model().card.dev_f1 >= 0.90,
        "{:?}",
        shipped.model().card
    );
    // The shipped model still scores what its card says on the development split.
    let testa = folder.join("conll2003/eng.testa");
    let tagged = dealgraph(
        &root(),
        &["ner", "--conll", &testa.display().to_string(), "--score"],
    );
    assert!(tagged.status.success(), "{}", stderr(&tagged));
    let report = stderr(&tagged);
    let overall: f64 = report
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|f| f.parse().ok())
        .expect("an F1");
    assert!(
        (overall - shipped.model().card.dev_f1).abs() < 5e-5,
        "{overall} vs card {}",
        shipped.model().card.dev_f1
    );
    // The README's training command (default settings) gives the same F1 within ±0.002.
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("ner.bin");
    let trained = dealgraph(
        &root(),
        &[
            "train-ner",
            "--data",
            &folder.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(trained.status.success(), "{}", stderr(&trained));
    let retrained =
        Recogniser::from_bytes(&std::fs::read(&out).expect("model written")).expect("model loads");
    let difference = (retrained.model().card.dev_f1 - shipped.model().card.dev_f1).abs();
    assert!(
        difference <= 0.002,
        "retrained {} vs shipped {}",
        retrained.model().card.dev_f1,
        shipped.model().card.dev_f1
    );
    assert!(stdout(&trained).contains("kept epoch"));
}

#[test]
fn a_model_trained_on_a_slice_beats_the_gazetteer_on_another() {
    let Some(folder) = data_folder() else { return };
    let documents = conll(&folder, "eng.train");
    let (first, rest) = documents.split_at(150);
    let second = &rest[rest.len() - 150..];
    let gazetteer = gazetteer();
    let training = training_sentences(first, &gazetteer, None);
    let held_out = dev_sentences(second, &gazetteer, None);
    let options = TrainOptions {
        epochs: 5,
        seed: 7,
        min_count: 1,
        prune_below: 0.0,
        trained_on: "slice".into(),
        domain_features: false,
    };
    let trained = train(&training, &held_out, &options, |_, _| {});
    let model_f1 = evaluate(&trained.model, &held_out).overall().f1();
    let mut baseline = Score::default();
    for document in second {
        for sentence in &document.sentences {
            let words: Vec<&str> = sentence.tokens.iter().map(String::as_str).collect();
            baseline.add(&sentence.entities, &gazetteer.entities(&words));
        }
    }
    let baseline_f1 = baseline.overall().f1();
    eprintln!("slice model F1 {model_f1:.4}, gazetteer-only F1 {baseline_f1:.4}");
    assert!(
        baseline_f1 > 0.05,
        "the baseline finds something: {baseline_f1}"
    );
    assert!(
        model_f1 > baseline_f1 + 0.1,
        "model {model_f1} vs gazetteer {baseline_f1}"
    );
}

#[test]
fn ner_conll_appends_a_tag_to_every_token_line() {
    let sample = data("ner/sample.conll");
    let output = dealgraph(
        &root(),
        &["ner", "--conll", &sample.display().to_string(), "--score"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let input = std::fs::read_to_string(&sample).expect("sample");
    let written = stdout(&output);
    assert_eq!(input.lines().count(), written.lines().count());
    for (before, after) in input.lines().zip(written.lines()) {
        if before.is_empty() || before.starts_with("-DOCSTART-") {
            assert_eq!(before, after);
        } else {
            let tag = after.strip_prefix(before).expect("the line is kept").trim();
            assert!(
                tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"),
                "{after}"
            );
        }
    }
    assert!(written.contains("Sameh NNP I-NP B-PER B-PER"), "{written}");
    assert!(
        written.contains("Khartoum NNP B-NP B-LOC B-LOC"),
        "{written}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn tagging_never_panics_and_stays_in_bounds(words in prop::collection::vec("\\PC{0,12}|[A-Z][a-z]{0,8}|[.,'’\"()-]", 0..40)) {
        static RECOGNISER: std::sync::OnceLock<Recogniser> = std::sync::OnceLock::new();
        let recogniser = RECOGNISER.get_or_init(|| Recogniser::embedded().expect("model"));
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        for span in recogniser.tag(&words) {
            prop_assert!(span.start < span.end && span.end <= words.len());
        }
    }
}
