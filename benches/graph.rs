//! The picture stage on a generated graph of 100,000 entities held in memory: reading the entity
//! graph from the store (`graph::from_store`) and writing it as DOT (`graph::dot::write_dot`),
//! apart and together, and reading it back from a current snapshot (`graph::read`, with a
//! directory of its own standing for the directory of an on-disk store whose tables do not change).
//! `cargo bench --bench graph`; the end-to-end figure on an on-disk store (`dealgraph dot --store
//! DIR`) is measured with `examples/gen_graph.rs`, see README.md.

// criterion's macros generate functions without documentation.
#![allow(missing_docs)]

mod generated_graph;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dealgraph::graph::dot::{write_dot, DotOptions};
use dealgraph::graph::{from_store, read, Content, Keep, Origin};

/// The allocator of the `dealgraph` binary, so that the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Entities in the generated graph.
const ENTITIES: usize = 100_000;

fn picture(c: &mut Criterion) {
    let store = dealgraph::store::open(None).expect("store");
    dealgraph::store::load(&store, generated_graph::quads(ENTITIES, 1)).expect("loaded");
    let graph = from_store(&store, Content::default()).expect("graph");
    let mut group = c.benchmark_group("graph_100k_entities");
    group.sample_size(10);
    group.bench_function("from_store", |b| {
        b.iter(|| black_box(from_store(&store, Content::default()).expect("graph")))
    });
    group.bench_function("write_dot", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(64 << 20);
            write_dot(&graph, &DotOptions::default(), &mut out).expect("written");
            black_box(out)
        })
    });
    group.bench_function("from_store_and_write_dot", |b| {
        b.iter(|| {
            let graph = from_store(&store, Content::default()).expect("graph");
            let mut out = Vec::with_capacity(64 << 20);
            write_dot(&graph, &DotOptions::default(), &mut out).expect("written");
            black_box(out)
        })
    });
    let directory = tempfile::tempdir().expect("temp dir");
    read(
        &store,
        Some(directory.path()),
        Content::default(),
        Keep::Write,
    )
    .expect("kept");
    group.bench_function("read_snapshot", |b| {
        b.iter(|| {
            let (graph, origin) = read(
                &store,
                Some(directory.path()),
                Content::default(),
                Keep::Write,
            )
            .expect("graph");
            assert!(matches!(origin, Origin::Snapshot), "{origin:?}");
            black_box(graph)
        })
    });
    group.finish();
}

criterion_group!(benches, picture);
criterion_main!(benches);
