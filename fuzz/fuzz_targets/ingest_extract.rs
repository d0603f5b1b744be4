//! Fuzz target: any bytes through ingest (plain text, Markdown, HTML or JSON Lines, chosen by the
//! first byte) and extraction. The rest of the input is read as UTF-8, lossily when it is not, written
//! to a file with the chosen extension and ingested like a user's file; every document is extracted
//! and the extraction must pass `pipeline::check` (spans inside the text, mention text equal to the
//! text at its span, evidence inside the text). A panic or a failed check is a crash.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use dealgraph::ingest::{ingest, ClutterRules};
use dealgraph::pipeline::check;
use dealgraph::Extractor;
use libfuzzer_sys::fuzz_target;

/// What every run shares: the extractor, the clutter rules and a scratch directory for the input file.
struct Harness {
    extractor: Extractor,
    rules: ClutterRules,
    scratch: tempfile::TempDir,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness {
        extractor: Extractor::new().expect("the embedded reference data builds an extractor"),
        rules: ClutterRules::embedded().expect("the embedded clutter rules are valid"),
        scratch: tempfile::tempdir().expect("a scratch directory"),
    })
}

/// The file name (and so the reader) picked by the first byte of the input.
fn file_name_for(selector: u8) -> &'static str {
    match selector % 4 {
        0 => "article.txt",
        1 => "article.md",
        2 => "article.html",
        _ => "articles.jsonl",
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let harness = harness();
    let text = String::from_utf8_lossy(body);
    let path: PathBuf = harness.scratch.path().join(file_name_for(selector));
    std::fs::write(&path, text.as_bytes()).expect("the scratch file is writable");
    let ingested = ingest(&[path], &harness.rules);
    for document in ingested.documents {
        let length = document.text.chars().count();
        for zone in &document.zones {
            assert!(
                zone.start < zone.end && zone.end <= length,
                "zone {zone:?} outside a text of {length} characters"
            );
        }
        let extraction = harness.extractor.extract(document);
        if let Err(message) = check(&extraction) {
            panic!("inconsistent extraction: {message}");
        }
    }
});
