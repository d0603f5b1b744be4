//! Extraction speed, end to end (sentences, gazetteers, recogniser, rules), on the seed corpus and
//! on the test articles about other deals, one thread. Run with `cargo bench --bench extract`; compare
//! with `cargo bench --bench ner` (the recogniser alone) in the same run.

// criterion's macros generate functions without documentation.
#![allow(missing_docs)]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dealgraph::ingest::{ingest, ClutterRules, Document};
use dealgraph::Extractor;

/// The allocator of the `dealgraph` binary, so that the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Vec<Document> {
    let rules = ClutterRules::embedded().expect("rules");
    let mut documents = ingest(&[], &rules).documents;
    let articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval/articles");
    documents.extend(ingest(&[articles], &rules).documents);
    documents
}

fn extraction(c: &mut Criterion) {
    let extractor = Extractor::new().expect("extractor");
    let documents = corpus();
    let bytes: usize = documents.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("seeds and test articles", |b| {
        b.iter(|| {
            documents
                .iter()
                .map(|d| extractor.extract(d.clone()).mentions.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
