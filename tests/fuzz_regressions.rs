//! The fuzz targets (`fuzz/src/lib.rs`, included as a module) replayed on every input under
//! `fuzz/regressions/TARGET/` (the minimised crashes the fuzzer found) and on a few seed inputs made
//! here, so CI keeps each fixed bug fixed without cargo-fuzz or a nightly compiler.

#[path = "../fuzz/src/lib.rs"]
mod fuzz_targets;

use std::path::PathBuf;

use dealgraph::Pipeline;

/// Runs `target` on every file under `fuzz/regressions/NAME/` and on `seeds`, and checks that at
/// least one input ran.
fn replay(name: &str, target: fn(&[u8]), seeds: &[Vec<u8>]) {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(name);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&directory) {
        Ok(entries) => entries
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut ran = 0;
    for file in &files {
        let input = std::fs::read(file).expect("a regression input is readable");
        eprintln!("{name}: {}", file.display());
        target(&input);
        ran += 1;
    }
    for seed in seeds {
        target(seed);
        ran += 1;
    }
    assert!(ran > 0, "no input ran for {name}");
}

const ARTICLE: &str = "Chile and Peru signed a free trade agreement in Lima on Monday, \
     the foreign minister of Chile, Ana Diaz, said. \"It opens our ports,\" she said.";

fn page() -> String {
    format!(
        "<html><head><title>Pact | Site</title><script>var x = '<p>hidden</p>';</script>\
         <meta property=\"article:published_time\" content=\"2024-03-05\"></head>\
         <body><h1>Pact signed</h1><p>{ARTICLE}</p><figure><figcaption>Ministers in Lima\
         </figcaption></figure></body></html>"
    )
}

#[test]
fn ingest_extract() {
    let seeds: Vec<Vec<u8>> = [
        (0u8, ARTICLE.to_string()),
        (1, format!("# Pact\n\n{ARTICLE}\n")),
        (2, page()),
        (3, format!("{{\"id\": \"a\", \"text\": {ARTICLE:?}}}\n")),
    ]
    .into_iter()
    .map(|(selector, text)| [vec![selector], text.into_bytes()].concat())
    .collect();
    replay("ingest_extract", fuzz_targets::ingest_extract, &seeds);
}

#[test]
fn html_ingest() {
    let seeds = vec![
        page().into_bytes(),
        b"<p>text</p><script>".to_vec(),
        b"\xff<p>not UTF-8</p>".to_vec(),
    ];
    replay("html_ingest", fuzz_targets::html_ingest, &seeds);
}

#[test]
fn extraction_lines() {
    let pipeline = Pipeline::new().expect("pipeline");
    let directory = tempfile::tempdir().expect("a scratch directory");
    let path = directory.path().join("article.txt");
    std::fs::write(&path, ARTICLE).expect("write");
    let (extractions, problems) = pipeline.extract(&[path]);
    assert!(problems.is_empty(), "{problems:?}");
    let line = serde_json::to_string(&extractions[0]).expect("an extraction serialises");
    let seeds = vec![
        format!("{line}\n").into_bytes(),
        format!("{line}\n\n{}\n{line}\n", &line[..line.len() / 2]).into_bytes(),
        b"{}\n".to_vec(),
    ];
    replay("extraction_lines", fuzz_targets::extraction_lines, &seeds);
}

#[test]
fn curation_file() {
    let example =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/curation.json"))
            .expect("examples/curation.json");
    let seeds = vec![
        example,
        b"{}".to_vec(),
        br#"{"merge": [{"names": ["Chile", "Peru"], "label": "Chipe"}]}"#.to_vec(),
    ];
    replay("curation_file", fuzz_targets::curation_file, &seeds);
}

#[test]
fn serve_request() {
    use fuzz_targets::request_input;
    let query = "SELECT * WHERE { ?s ?p ?o } LIMIT 3";
    let seeds = vec![
        request_input(0, &format!("/sparql?query={query}"), "", "", b""),
        request_input(
            1,
            "/sparql",
            "application/sparql-results+json",
            "application/sparql-query",
            query.as_bytes(),
        ),
        request_input(
            1,
            "/sparql",
            "text/csv",
            "application/x-www-form-urlencoded",
            b"query=ASK%7B%7D",
        ),
        request_input(0, "/", "text/html", "", b""),
        request_input(0, "/assets/style.css", "", "", b""),
        request_input(
            0,
            "/resource?iri=https://dealgraph.example/id/x",
            "",
            "",
            b"",
        ),
    ];
    replay("serve_request", fuzz_targets::serve_request, &seeds);
}
