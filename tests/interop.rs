//! Checks by independent tools: Python `jsonschema` on the extraction output, `rdflib` parsing every
//! export format, `pyshacl` against `dealgraph validate`; and `build --extractions` against `build`.

mod common;

use common::{count, data, dealgraph, python, root, stderr, stdout};
use std::fs;

#[test]
fn extract_output_matches_the_json_schema() {
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("seeds.jsonl");
    let output = dealgraph(directory.path(), &["extract", "-o", "seeds.jsonl"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let schema = root().join("schema/extraction.schema.json");
    let report = python(
        "check_schema.py",
        &[&schema.display().to_string(), &file.display().to_string()],
    );
    assert!(report.starts_with("5 lines checked, 0 errors"), "{report}");
    let others = directory.path().join("others.jsonl");
    let output = dealgraph(
        directory.path(),
        &[
            "extract",
            "-o",
            "others.jsonl",
            &data("articles").display().to_string(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = python(
        "check_schema.py",
        &[&schema.display().to_string(), &others.display().to_string()],
    );
    assert!(report.starts_with("6 lines checked, 0 errors"), "{report}");
}

#[test]
fn the_json_schema_rejects_a_broken_extraction() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output = dealgraph(directory.path(), &["extract"]);
    let first = stdout(&output).lines().next().expect("a line").to_string();
    let mut value: serde_json::Value = serde_json::from_str(&first).expect("json");
    value["mentions"][0]["kind"] = serde_json::Value::String("rumour".into());
    let file = directory.path().join("broken.jsonl");
    fs::write(&file, format!("{value}\n")).expect("write");
    let schema = root().join("schema/extraction.schema.json");
    let result = std::process::Command::new("python3")
        .arg(root().join("tests/python/check_schema.py"))
        .args([schema.as_os_str(), file.as_os_str()])
        .output()
        .expect("python3 runs");
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stdout).contains("rumour"));
}

#[test]
fn build_from_extractions_equals_build_from_texts() {
    let directory = tempfile::tempdir().expect("temp dir");
    let articles = data("articles").display().to_string();
    for inputs in [vec![], vec![articles.as_str()]] {
        let mut extract_args = vec!["extract", "-o", "x.jsonl"];
        extract_args.extend(&inputs);
        assert!(dealgraph(directory.path(), &extract_args).status.success());
        let mut build_args = vec!["export", "--format", "nq"];
        for input in &inputs {
            build_args.extend(["--input", input]);
        }
        let from_texts = dealgraph(directory.path(), &build_args);
        let from_extractions = dealgraph(
            directory.path(),
            &["export", "--format", "nq", "--extractions", "x.jsonl"],
        );
        assert!(from_texts.status.success() && from_extractions.status.success());
        assert!(from_texts.stdout.len() > 10_000);
        assert_eq!(stdout(&from_texts), stdout(&from_extractions));
    }
}

#[test]
fn every_export_format_parses_back_with_rdflib() {
    let directory = tempfile::tempdir().expect("temp dir");
    let count = |query: &str| count(directory.path(), &[query]);
    let quads = count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
    let triples = count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }");
    assert!(quads > triples && triples > 1000, "{quads} {triples}");
    for (format, rdflib_format, expected) in [
        ("nq", "nquads", quads),
        ("trig", "trig", quads),
        ("jsonld", "json-ld", quads),
        ("ttl", "turtle", triples),
        ("nt", "nt", triples),
        ("rdfxml", "xml", triples),
    ] {
        let file = directory.path().join(format!("graph.{format}"));
        let output = dealgraph(
            directory.path(),
            &[
                "export",
                "--format",
                format,
                "-o",
                &file.display().to_string(),
            ],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let parsed: usize = python(
            "count_rdf.py",
            &[&file.display().to_string(), rdflib_format],
        )
        .trim()
        .parse()
        .expect("a count");
        assert_eq!(parsed, expected, "{format}");
    }
}

/// `dealgraph validate --format json` and pyshacl on the same data: the same (focus, path,
/// component) results.
fn compare_validators(data_file: &std::path::Path, rdflib_format: &str) -> usize {
    let directory = data_file.parent().expect("parent");
    let ours = dealgraph(
        directory,
        &[
            "validate",
            "--data",
            &data_file.display().to_string(),
            "--format",
            "json",
        ],
    );
    let violations: Vec<serde_json::Value> = serde_json::from_slice(&ours.stdout)
        .unwrap_or_else(|_| panic!("json from validate: {}", stderr(&ours)));
    let mut mine: Vec<(String, String, String)> = violations
        .iter()
        .map(|v| {
            (
                v["focus"].as_str().unwrap_or_default().to_string(),
                v["path"].as_str().unwrap_or_default().to_string(),
                v["component"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    mine.sort();
    mine.dedup();
    let shapes = root().join("schema/shapes.ttl");
    let theirs: Vec<(String, String, String)> = serde_json::from_str(&python(
        "shacl_report.py",
        &[
            &data_file.display().to_string(),
            rdflib_format,
            &shapes.display().to_string(),
        ],
    ))
    .expect("json from pyshacl");
    assert_eq!(mine, theirs, "{}", data_file.display());
    assert_eq!(ours.status.success(), mine.is_empty());
    mine.len()
}

#[test]
fn the_seeds_graph_conforms_for_both_validators() {
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("seeds.nt");
    assert!(dealgraph(
        directory.path(),
        &[
            "export",
            "--format",
            "nt",
            "-o",
            &file.display().to_string()
        ]
    )
    .status
    .success());
    assert_eq!(compare_validators(&file, "nt"), 0);
    let others = directory.path().join("others.nt");
    let output = dealgraph(
        directory.path(),
        &[
            "export",
            "--format",
            "nt",
            "-o",
            &others.display().to_string(),
            "--input",
            &data("articles").display().to_string(),
        ],
    );
    assert!(output.status.success());
    assert_eq!(compare_validators(&others, "nt"), 0);
}

#[test]
fn each_broken_graph_breaks_its_shape_for_both_validators() {
    let base = fs::read_to_string(data("shacl/base.ttl")).expect("base.ttl");
    let directory = tempfile::tempdir().expect("temp dir");
    let valid = directory.path().join("base.ttl");
    fs::write(&valid, &base).expect("write");
    assert_eq!(
        compare_validators(&valid, "turtle"),
        0,
        "the base graph must conform"
    );
    let breaks = fs::read_to_string(data("shacl/breaks.tsv")).expect("breaks.tsv");
    let mut cases = 0;
    for line in breaks.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (name, find, replace) = (
            fields[0],
            fields[1].replace("\\n", "\n"),
            fields.get(2).copied().unwrap_or("").replace("\\n", "\n"),
        );
        assert!(base.contains(&find), "{name}: {find:?} not in base.ttl");
        let broken = directory.path().join(format!("{name}.ttl"));
        fs::write(&broken, base.replacen(&find, &replace, 1)).expect("write");
        let found = compare_validators(&broken, "turtle");
        assert!(found > 0, "{name} breaks nothing");
        cases += 1;
    }
    assert!(cases >= 15, "{cases} broken graphs");
}
