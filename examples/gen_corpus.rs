//! Writes a synthetic corpus of news articles about international deals as JSON Lines, the input
//! `dealgraph build` and the benches read: `cargo run --release --example gen_corpus -- --articles N
//! --seed S --out FILE.jsonl`. The same seed and count always give the same file; articles are made
//! and written one at a time, so any size fits in memory. See `benches/synthetic/mod.rs`.

#![allow(missing_docs)]

#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use dealgraph::extract::Reference;

/// Writes synthetic articles as JSON Lines.
#[derive(Parser)]
struct Args {
    /// How many articles.
    #[arg(long)]
    articles: u64,
    /// The seed: the same seed and count give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The JSON Lines file to write.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gen_corpus: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let reference = Reference::embedded().context("reading the reference data")?;
    let generator = synthetic::ArticleGenerator::new(&reference, args.seed);
    let file =
        File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut out = BufWriter::new(file);
    let text_bytes = synthetic::write_jsonl(&generator, args.articles, &mut out)
        .and_then(|bytes| out.flush().map(|()| bytes))
        .with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "{}: {} articles, {text_bytes} bytes of text ({:.1} MB), seed {}, {:.1} s",
        args.out.display(),
        args.articles,
        text_bytes as f64 / 1e6,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
