//! Extraction speed on the seeds and on a generated corpus of at least 50 MB, one thread: the
//! recogniser alone (`Extractor::recognise`), the rules alone (`Extractor::extract_with_names` with
//! the recogniser's names computed before timing) and end to end (`Extractor::extract`), as bytes of
//! document text per second. Before the criterion groups it checks that the generated corpus has
//! as many mentions per kilobyte as the seeds (±25%, else it panics) and prints the time per MB of
//! end-to-end extraction over the first 5, 10, 20 and all 50 MB of the corpus and over documents of
//! 1, 4, 16 and 64 articles each, so that a cost growing faster than the input shows. Run with
//! `cargo bench --bench corpus` (about five minutes); `DEALGRAPH_BENCH_CORPUS=FILE.jsonl` reads the
//! corpus from a file written by `examples/gen_corpus.rs` instead of generating it, as
//! `tools/speed_vs_spacy.py` does to time spaCy on the same text.
//!
//! Over the generated corpus one criterion iteration is one twentieth of it and ten samples of two
//! iterations each take every chunk once, so each stage reads the whole corpus once (and a chunk to
//! warm up and one to size the samples).

// criterion's macros generate functions without documentation.
#![allow(missing_docs)]

mod synthetic;

use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use dealgraph::extract::{RecognisedNames, Reference};
use dealgraph::ingest::{ingest, ClutterRules, Document};
use dealgraph::Extractor;

/// The allocator of the `dealgraph` binary, so that the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The generated corpus: seed and number of articles (about 53 MB of text).
const SEED: u64 = 1;
const ARTICLES: u64 = 14_500;
/// The corpus must hold at least this much text.
const MIN_BYTES: usize = 50_000_000;
/// Criterion iterations over the generated corpus: one chunk each.
const CHUNKS: usize = 20;
/// How far the generated corpus's mentions per kilobyte may stray from the seeds'.
const DENSITY_TOLERANCE: f64 = 0.25;
/// Corpus prefixes timed end to end for linearity, in MB (the last is the whole corpus).
const PREFIXES_MB: [f64; 3] = [5.0, 10.0, 20.0];
/// Articles per document for the document-length check, over the first `LENGTH_SAMPLE_MB`.
const ARTICLES_PER_DOCUMENT: [usize; 4] = [1, 4, 16, 64];
const LENGTH_SAMPLE_MB: f64 = 2.0;

fn corpus(c: &mut Criterion) {
    let extractor = Extractor::new().expect("extractor");
    let rules = ClutterRules::embedded().expect("clutter rules");
    let seeds = ingest(&[], &rules).documents;
    let generated = generated_corpus(&rules);

    let generated_density = linearity(&extractor, &generated);
    let seed_mentions = extract_all(&extractor, &seeds);
    let seed_density = per_kilobyte(seed_mentions, text_bytes(&seeds));
    let ratio = generated_density / seed_density;
    println!(
        "mentions per KB: seeds {seed_density:.2}, generated {generated_density:.2}, \
         ratio {ratio:.3}"
    );
    assert!(
        (1.0 - DENSITY_TOLERANCE..=1.0 + DENSITY_TOLERANCE).contains(&ratio),
        "the generated corpus has {ratio:.3} times the seeds' mentions per KB, outside ±25%"
    );
    document_length(&extractor, &generated);

    let mut group = c.benchmark_group("seeds");
    group.throughput(Throughput::Bytes(text_bytes(&seeds) as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    let names: Vec<RecognisedNames> = seeds.iter().map(|d| extractor.recognise(d)).collect();
    group.bench_function("recogniser", |b| b.iter(|| recognise(&extractor, &seeds)));
    group.bench_function("rules", |b| {
        b.iter(|| apply_rules(&extractor, &seeds, &names))
    });
    group.bench_function("end-to-end", |b| b.iter(|| extract_all(&extractor, &seeds)));
    group.finish();

    let chunks = split(&generated, CHUNKS);
    let names: Vec<Vec<RecognisedNames>> = chunks
        .iter()
        .map(|chunk| chunk.iter().map(|d| extractor.recognise(d)).collect())
        .collect();
    let mut group = c.benchmark_group("generated");
    group.throughput(Throughput::Bytes((text_bytes(&generated) / CHUNKS) as u64));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(1));
    let stages: [(&str, &dyn Fn(usize) -> usize); 3] = [
        ("recogniser", &|i| recognise(&extractor, chunks[i])),
        ("rules", &|i| apply_rules(&extractor, chunks[i], &names[i])),
        ("end-to-end", &|i| extract_all(&extractor, chunks[i])),
    ];
    for (name, stage) in stages {
        // Two iterations a sample: measurement time 1.5 chunk times a sample, rounded up.
        let started = Instant::now();
        black_box(stage(0));
        group.measurement_time(started.elapsed() * 15);
        let mut next = 1;
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let started = Instant::now();
                for _ in 0..iterations {
                    black_box(stage(next % CHUNKS));
                    next += 1;
                }
                started.elapsed()
            })
        });
    }
    group.finish();
}

/// The generated corpus, from `DEALGRAPH_BENCH_CORPUS` or written to a temporary file and read
/// back through the JSON Lines reader like any input.
fn generated_corpus(rules: &ClutterRules) -> Vec<Document> {
    let started = Instant::now();
    let (path, origin, _file) = match std::env::var_os("DEALGRAPH_BENCH_CORPUS") {
        Some(path) => (PathBuf::from(path), "read from file", None),
        None => {
            let reference = Reference::embedded().expect("reference data");
            let generator = synthetic::ArticleGenerator::new(&reference, SEED);
            let file = tempfile::NamedTempFile::with_suffix(".jsonl").expect("temporary file");
            let mut out = BufWriter::new(file.as_file());
            synthetic::write_jsonl(&generator, ARTICLES, &mut out).expect("write corpus");
            out.flush().expect("write corpus");
            drop(out);
            (file.path().to_path_buf(), "generated", Some(file))
        }
    };
    let ingested = ingest(std::slice::from_ref(&path), rules);
    assert!(
        ingested.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        ingested.errors
    );
    let documents = ingested.documents;
    let bytes = text_bytes(&documents);
    println!(
        "generated corpus ({origin}): {} articles, {bytes} bytes of text, {:.1} s",
        documents.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        bytes >= MIN_BYTES,
        "the generated corpus holds {bytes} bytes, less than {MIN_BYTES}"
    );
    documents
}

/// Times end-to-end extraction over growing prefixes of the corpus and the whole of it, prints
/// the time per MB of each, and gives the whole corpus's mentions per KB.
fn linearity(extractor: &Extractor, documents: &[Document]) -> f64 {
    let total = text_bytes(documents);
    let mut sizes: Vec<usize> = PREFIXES_MB
        .iter()
        .map(|mb| prefix_length(documents, mb * 1e6))
        .collect();
    sizes.push(documents.len());
    let mut first_seconds_per_mb = None;
    let mut density = 0.0;
    for size in sizes {
        let prefix = &documents[..size];
        let bytes = text_bytes(prefix);
        let started = Instant::now();
        let mentions = extract_all(extractor, prefix);
        let seconds = started.elapsed().as_secs_f64();
        let mb = bytes as f64 / 1e6;
        let seconds_per_mb = seconds / mb;
        let relative = seconds_per_mb / *first_seconds_per_mb.get_or_insert(seconds_per_mb);
        println!(
            "linearity end-to-end {mb:.1} MB ({size} documents): {seconds:.2} s, \
             {seconds_per_mb:.3} s/MB, {:.3} MB/s, {relative:.3} x the first s/MB",
            mb / seconds
        );
        if bytes == total {
            density = per_kilobyte(mentions, bytes);
        }
    }
    density
}

/// Times end-to-end extraction of the same text cut into documents of 1, 4, 16 and 64 articles,
/// and prints the time per MB of each.
fn document_length(extractor: &Extractor, documents: &[Document]) {
    let sample = &documents[..prefix_length(documents, LENGTH_SAMPLE_MB * 1e6)];
    let mut first_seconds_per_mb = None;
    for articles in ARTICLES_PER_DOCUMENT {
        let joined: Vec<Document> = sample
            .chunks(articles)
            .enumerate()
            .map(|(index, group)| {
                let texts: Vec<&str> = group.iter().map(|d| d.text.as_str()).collect();
                Document::from_text(&format!("joined-{index}"), &texts.join("\n\n"))
            })
            .collect();
        let bytes = text_bytes(&joined);
        let started = Instant::now();
        extract_all(extractor, &joined);
        let seconds = started.elapsed().as_secs_f64();
        let seconds_per_mb = seconds / (bytes as f64 / 1e6);
        let relative = seconds_per_mb / *first_seconds_per_mb.get_or_insert(seconds_per_mb);
        println!(
            "document length end-to-end {articles} articles ({:.1} KB) a document: \
             {seconds_per_mb:.3} s/MB, {relative:.3} x the first s/MB",
            bytes as f64 / joined.len() as f64 / 1e3
        );
    }
}

fn recognise(extractor: &Extractor, documents: &[Document]) -> usize {
    documents.iter().map(|d| extractor.recognise(d).len()).sum()
}

fn apply_rules(extractor: &Extractor, documents: &[Document], names: &[RecognisedNames]) -> usize {
    documents
        .iter()
        .zip(names)
        .map(|(d, n)| extractor.extract_with_names(d.clone(), n).mentions.len())
        .sum()
}

/// End-to-end extraction of every document; gives the number of mentions.
fn extract_all(extractor: &Extractor, documents: &[Document]) -> usize {
    documents
        .iter()
        .map(|d| extractor.extract(d.clone()).mentions.len())
        .sum()
}

fn text_bytes(documents: &[Document]) -> usize {
    documents.iter().map(|d| d.text.len()).sum()
}

fn per_kilobyte(mentions: usize, bytes: usize) -> f64 {
    mentions as f64 * 1000.0 / bytes as f64
}

/// How many leading documents it takes to reach `bytes` of text.
fn prefix_length(documents: &[Document], bytes: f64) -> usize {
    let mut sum = 0;
    documents
        .iter()
        .position(|d| {
            sum += d.text.len();
            sum as f64 >= bytes
        })
        .map_or(documents.len(), |index| index + 1)
}

/// `documents` cut into `parts` runs of consecutive documents with about the same bytes each.
fn split(documents: &[Document], parts: usize) -> Vec<&[Document]> {
    let total = text_bytes(documents) as f64;
    let mut chunks = Vec::with_capacity(parts);
    let mut start = 0;
    for part in 1..=parts {
        let end = if part == parts {
            documents.len()
        } else {
            prefix_length(documents, total * part as f64 / parts as f64)
        };
        chunks.push(&documents[start..end]);
        start = end;
    }
    chunks
}

criterion_group!(benches, corpus);
criterion_main!(benches);
