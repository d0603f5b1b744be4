//! Loads an N-Quads file into a new on-disk store with oxigraph's bulk loader and prints the quads per
//! second: the ceiling `dealgraph build` is measured against (`tools/bench_growing.sh`).
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
    let quads = store.len()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "loaded {quads} quads in {seconds:.2} s: {:.0} quads/s",
        quads as f64 / seconds
    );
    Ok(())
}
