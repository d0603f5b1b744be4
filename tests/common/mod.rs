//! Helpers shared by the integration tests: running the binary, building graphs, asking SPARQL.
#![allow(dead_code)]

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use dealgraph::pipeline::{graph_of, Pipeline};
use dealgraph::query::{evaluate, Answer};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::Extraction;
use oxigraph::model::Term;
use oxigraph::store::Store;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/data`.
pub fn data(path: &str) -> PathBuf {
    root().join("tests/data").join(path)
}

/// Runs the `dealgraph` binary with a fixed build time, from `dir`.
pub fn dealgraph(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealgraph"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the dealgraph binary runs")
}

/// Runs `dealgraph query` with `args` (a COUNT query among them) as CSV and gives the count.
pub fn count(dir: &Path, args: &[&str]) -> usize {
    let mut all = vec!["query"];
    all.extend(args);
    all.extend(["--format", "csv"]);
    let output = dealgraph(dir, &all);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
        .lines()
        .nth(1)
        .expect("a row")
        .trim()
        .parse()
        .expect("a count")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a Python script from `tests/python`, failing the test with its output if it fails.
pub fn python(script: &str, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg(root().join("tests/python").join(script))
        .args(args)
        .output()
        .expect("python3 runs (install the packages with .ci/run)");
    assert!(
        output.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Extracts the given inputs (the embedded seeds when empty).
pub fn extract(inputs: &[PathBuf]) -> Vec<Extraction> {
    let pipeline = Pipeline::new().expect("pipeline");
    let (extractions, problems) = pipeline.extract(inputs);
    assert!(problems.is_empty(), "{problems:?}");
    extractions
}

/// An in-memory store holding the graph of the extractions.
pub fn store_of(extractions: &[Extraction]) -> Store {
    let minter = Minter::new(DEFAULT_BASE).expect("base");
    let (quads, _) = graph_of(
        extractions,
        &minter,
        &dealgraph::curation::Curation::default(),
    );
    let store = Store::new().expect("store");
    dealgraph::store::load(&store, quads).expect("load");
    store
}

/// The answer of an ASK query.
pub fn ask(store: &Store, query: &str) -> bool {
    match evaluate(store, query).expect("query runs") {
        Answer::Boolean(value) => value,
        _ => panic!("not an ASK query: {query}"),
    }
}

/// The rows of a SELECT query, each term shown as its value (IRI or literal lexical form).
pub fn select(store: &Store, query: &str) -> Vec<Vec<String>> {
    match evaluate(store, query).expect("query runs") {
        Answer::Solutions(_, rows) => rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|term| match term {
                        Some(Term::NamedNode(node)) => node.as_str().to_string(),
                        Some(Term::Literal(literal)) => literal.value().to_string(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    })
                    .collect()
            })
            .collect(),
        _ => panic!("not a SELECT query: {query}"),
    }
}

/// The `dealgraph serve` binary on a free port, stopped when dropped.
pub struct Server {
    /// The server process.
    pub child: Child,
    /// The address it listens on.
    pub address: SocketAddr,
}

impl Server {
    /// Starts `dealgraph serve --bind 127.0.0.1:0 ARGS` and reads the address it prints.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dealgraph"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dealgraph serve starts");
        let mut line = String::new();
        let stdout = child.stdout.as_mut().expect("stdout");
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).expect("read") == 1 && byte[0] != b'\n' {
            line.push(byte[0] as char);
        }
        let address = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("the URL is printed: {line:?}"));
        Self { child, address }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
