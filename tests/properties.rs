//! Property tests: extraction never panics on any text, and every mention, sentence and evidence span
//! it gives matches the text.

use dealgraph::ingest::Document;
use dealgraph::pipeline::check;
use dealgraph::Extractor;
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new().expect("extractor"))
}

/// Text built from words that trigger every rule, glued with punctuation and odd characters.
fn newsy_text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Kosovo",
        "U.S.",
        "Danish",
        "deal",
        "agreement",
        "President",
        "Prime Minister",
        "Ana",
        "Diaz",
        "said",
        "told",
        "Ministry",
        "of",
        "Justice",
        "Human Rights Watch",
        "(HRW)",
        "HRW",
        ",",
        ".",
        "“",
        "”",
        "’s",
        "\n",
        "é",
        "🙂",
        "the",
        "government",
        "spokesperson",
        "for",
        "according to",
        "Peru",
        "Chile",
        "lease",
        "treaty",
        "Court",
    ]);
    prop::collection::vec(words, 0..60).prop_map(|parts| parts.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn newsy_text_gives_consistent_extractions(text in newsy_text()) {
        let extraction = extractor().extract(Document::from_text("generated", &text));
        prop_assert_eq!(check(&extraction), Ok(()));
    }

    #[test]
    fn any_text_gives_consistent_extractions(text in "(?s).{0,200}") {
        let extraction = extractor().extract(Document::from_text("generated", &text));
        prop_assert_eq!(check(&extraction), Ok(()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_html_or_markdown_file_ingests_without_panicking(body in "(?s).{0,300}", html in proptest::bool::ANY) {
        let directory = tempfile::tempdir().expect("temp dir");
        let path = directory.path().join(if html { "page.html" } else { "page.md" });
        std::fs::write(&path, &body).expect("write");
        let rules = dealgraph::ingest::ClutterRules::embedded().expect("rules");
        let ingested = dealgraph::ingest::ingest(&[path], &rules);
        prop_assert_eq!(ingested.documents.len() + ingested.errors.len(), 1);
        for document in ingested.documents {
            let length = document.text.chars().count();
            for zone in &document.zones {
                prop_assert!(zone.start < zone.end && zone.end <= length, "{:?} in {} characters", zone, length);
            }
            let extraction = extractor().extract(document);
            prop_assert_eq!(check(&extraction), Ok(()));
        }
    }
}
