//! Extraction speed, end to end (sentences, gazetteers, recogniser, rules), on the seed corpus and
//! on the test articles about other deals, one thread; and on long documents at two lengths (a
//! transcript naming the same officials and court throughout; a register naming a new body, its
//! acronym and a government in every paragraph), whose time should grow with the length, not its
//! square. Run with `cargo bench --bench extract`; compare with `cargo bench --bench
//! ner` (the recogniser alone) in the same run.

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

/// A made-up hearing's transcript of `rounds` times four sentences: a minister quoted, a court, its
/// judge, and a country, named again and again as in a long record.
fn transcript(rounds: usize) -> Document {
    let round = "\"The transfers will go on as planned,\" said Interior Minister Lena Varga. \
                 Hungary's Constitutional Court heard the appeal. Presiding judge Pál Kiss asked \
                 for the contract. Minister Varga said Hungary had paid in advance. ";
    Document::from_text("transcript", &round.repeat(rounds))
}

/// A made-up register of `rounds` paragraphs of three sentences, each naming a new council with its
/// acronym, using the acronym, and referring back to "the council" and "the interim government".
fn register(rounds: usize) -> Document {
    let paragraphs: Vec<String> = (0..rounds)
        .map(|round| {
            let letters: String = (0..3)
                .map(|place| char::from(b'A' + (round / 26usize.pow(place) % 26) as u8))
                .collect();
            let name: Vec<String> = letters
                .chars()
                .map(|letter| format!("{letter}orvan"))
                .collect();
            format!(
                "The {} Council ({letters}) met in Lima. The {letters} said the council had \
                 written to Peru's interim government. The interim government did not answer.",
                name.join(" ")
            )
        })
        .collect();
    Document::from_text("register", &paragraphs.join("\n\n"))
}

fn long_documents(c: &mut Criterion) {
    let extractor = Extractor::new().expect("extractor");
    let mut group = c.benchmark_group("extract one long document");
    group.sample_size(10);
    for rounds in [500, 2000] {
        for (kind, document, sentences) in [
            ("transcript", transcript(rounds), rounds * 4),
            ("register", register(rounds), rounds * 3),
        ] {
            group.throughput(Throughput::Bytes(document.text.len() as u64));
            group.bench_function(format!("{kind} of {sentences} sentences"), |b| {
                b.iter(|| extractor.extract(document.clone()).mentions.len())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, extraction, long_documents);
criterion_main!(benches);
