//! Tagging speed of the named-entity recogniser and the time to load its model.
//!
//! The text is the embedded seed corpus, tokenised as the extractor does; throughput is reported in
//! bytes of text per second on one thread. Run with `cargo bench --bench ner`.

// criterion's macros generate functions without documentation.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealgraph::ingest::{seed_documents, ClutterRules};
use dealgraph::ner::{token_ranges, Recogniser, EMBEDDED_MODEL};

/// The allocator of the `dealgraph` binary, so that the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sentences() -> Vec<Vec<String>> {
    let rules = ClutterRules::embedded().expect("rules");
    seed_documents(&rules)
        .iter()
        .flat_map(|document| {
            document
                .text
                .split(['\n', '.'])
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|line| {
            token_ranges(&line)
                .into_iter()
                .map(|(s, e)| line[s..e].to_string())
                .collect::<Vec<String>>()
        })
        .filter(|words| !words.is_empty())
        .collect()
}

fn tagging(c: &mut Criterion) {
    let recogniser = Recogniser::embedded().expect("model");
    let sentences = sentences();
    let bytes: usize = sentences
        .iter()
        .map(|s| s.iter().map(|w| w.len() + 1).sum::<usize>())
        .sum();
    let mut group = c.benchmark_group("ner");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("tag seed corpus", |b| {
        b.iter(|| {
            let mut found = 0;
            for sentence in &sentences {
                let words: Vec<&str> = sentence.iter().map(String::as_str).collect();
                found += recogniser.tag(&words).len();
            }
            found
        })
    });
    group.finish();
    c.bench_function("ner load model", |b| {
        b.iter(|| Recogniser::from_bytes(EMBEDDED_MODEL).expect("model"))
    });
}

criterion_group!(benches, tagging);
criterion_main!(benches);
