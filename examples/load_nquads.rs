//! Loads an N-Quads file into a new on-disk store with oxigraph's bulk loader and prints how long the
//! load and the close took: the ceiling `dealgraph build` is measured against
//! (`tools/bench_growing.sh`, which divides the quads `build` reported by the wall time).
//! `cargo run --release --example load_nquads -- FILE.nq DIR`

#![allow(missing_docs)]

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("load_nquads: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [file, directory] = arguments.as_slice() else {
        bail!("usage: load_nquads FILE.nq DIR");
    };
    let started = Instant::now();
    let store = Store::open(directory).with_context(|| format!("{directory}: cannot open"))?;
    let reader = BufReader::new(File::open(file).with_context(|| format!("{file}: cannot open"))?);
    let mut loader = store.bulk_loader();
    loader
        .load_from_reader(RdfFormat::NQuads, reader)
        .with_context(|| format!("{file}: cannot load"))?;
    loader.commit()?;
    store.flush()?;
    let loaded = started.elapsed().as_secs_f64();
    drop(store);
    // No count of the store here: counting reads a whole index, which on a store larger than the
    // page cache takes longer than the load, and `dealgraph build` counts what it streamed instead.
    println!(
        "loaded in {loaded:.2} s (commit and flush), closed at {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
