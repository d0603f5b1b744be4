//! Writes a generated knowledge graph into an on-disk store, for the speed of `dealgraph dot`,
//! `path` and `rank` at scale: `cargo run --release --example gen_graph -- --entities 100000
//! --store DIR`. The same seed and size always give the same graph; see
//! `benches/generated_graph/mod.rs` for its shape.

#![allow(missing_docs)]

#[path = "../benches/generated_graph/mod.rs"]
mod generated_graph;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;

/// Writes a generated graph into a store.
#[derive(Parser)]
struct Args {
    /// How many entities (countries, organisations, officials and agreements).
    #[arg(long)]
    entities: usize,
    /// The seed: the same seed and size give the same graph.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The store directory (cleared if it holds a graph).
    #[arg(long)]
    store: PathBuf,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gen_graph: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let quads = generated_graph::quads(args.entities, args.seed);
    let count = quads.len();
    let store = dealgraph::store::open_for_build(Some(&args.store), true)
        .with_context(|| format!("opening {}", args.store.display()))?;
    dealgraph::store::load(&store, quads).context("loading the quads")?;
    store.flush().context("flushing the store")?;
    // Compacted now, so the first commands that open the store do not replace its tables in the
    // background (which would make the graph snapshot they keep stale at once).
    store.optimize().context("compacting the store")?;
    eprintln!(
        "{}: {} entities, {count} quads, seed {}, {:.1} s",
        args.store.display(),
        args.entities,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
