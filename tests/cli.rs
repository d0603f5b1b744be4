//! The command line: build summaries, bad input, stores, query and export formats.

mod common;

use common::{count, data, dealgraph, root, stderr, stdout};
use std::fs;

#[test]
fn build_on_the_embedded_seeds_prints_a_summary() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output = dealgraph(directory.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stdout(&output);
    assert!(summary.starts_with("built 5 documents in "), "{summary}");
    for class in [
        "agreements",
        "countries",
        "officials",
        "organisations",
        "quads",
    ] {
        assert!(summary.contains(class), "{class} missing from {summary}");
    }
}

/// The "quads N" line of a build summary.
fn quads_line(summary: &str) -> String {
    summary
        .lines()
        .find(|line| line.trim_start().starts_with("quads"))
        .unwrap_or_else(|| panic!("no quads line in {summary}"))
        .to_string()
}

#[test]
fn a_build_without_a_store_builds_like_one_and_leaves_no_temporary_folder() {
    let directory = tempfile::tempdir().expect("temp dir");
    let temporary = directory.path().join("tmp");
    fs::create_dir(&temporary).expect("a temporary folder");
    let unkept = std::process::Command::new(env!("CARGO_BIN_EXE_dealgraph"))
        .arg("build")
        .current_dir(directory.path())
        .env("TMPDIR", &temporary)
        .output()
        .expect("the dealgraph binary runs");
    assert!(unkept.status.success(), "{}", stderr(&unkept));
    assert!(
        stdout(&unkept).contains("store: none kept"),
        "{}",
        stdout(&unkept)
    );
    let left: Vec<_> = fs::read_dir(&temporary).expect("listed").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    let kept = dealgraph(directory.path(), &["build", "--store", "graph.db"]);
    assert!(kept.status.success(), "{}", stderr(&kept));
    assert_eq!(quads_line(&stdout(&unkept)), quads_line(&stdout(&kept)));
}

#[test]
fn the_embedded_seeds_equal_the_seeds_folder() {
    let embedded = dealgraph(&root(), &["export", "--format", "nq"]);
    let folder = dealgraph(&root(), &["export", "--format", "nq", "--input", "seeds"]);
    assert!(embedded.status.success() && folder.status.success());
    assert_eq!(stdout(&embedded), stdout(&folder));
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_built() {
    let directory = tempfile::tempdir().expect("temp dir");
    let inputs = directory.path().join("inputs");
    fs::create_dir_all(inputs.join("nothing-here")).expect("dirs");
    fs::write(
        inputs.join("latin1.txt"),
        b"Caf\xe9 deal between Chile and Peru.\n",
    )
    .expect("write");
    fs::write(inputs.join("empty.txt"), b"  \n").expect("write");
    fs::write(inputs.join("records.jsonl"), "{\"id\":\"ok\",\"text\":\"Chile and Peru signed a treaty.\"}\n{\"id\": \"broken\", \"text\": \n").expect("write");
    fs::write(
        inputs.join("good.txt"),
        "Egypt and Sudan signed a water pact on Tuesday.\n",
    )
    .expect("write");
    let output = dealgraph(directory.path(), &["build", "inputs"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let errors = stderr(&output);
    assert!(
        errors
            .contains("inputs/latin1.txt:1: not valid UTF-8 (first invalid byte at byte offset 3)"),
        "{errors}"
    );
    assert!(
        errors.contains("inputs/empty.txt: empty document"),
        "{errors}"
    );
    assert!(
        errors.contains("inputs/nothing-here: no documents found"),
        "{errors}"
    );
    assert!(errors.contains("inputs/records.jsonl:2:"), "{errors}");
    assert!(
        stdout(&output).starts_with("built 2 documents"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_malformed_extractions_line_is_named_and_skipped() {
    let directory = tempfile::tempdir().expect("temp dir");
    let extracted = dealgraph(
        directory.path(),
        &[
            "extract",
            &data("articles/nile_pact.md").display().to_string(),
        ],
    );
    assert!(extracted.status.success());
    let good = stdout(&extracted);
    let mut tampered: serde_json::Value = serde_json::from_str(good.trim()).expect("json");
    tampered["mentions"][0]["text"] = serde_json::Value::String("Atlantis".into());
    let file = directory.path().join("x.jsonl");
    fs::write(&file, format!("{good}{{not json\n{tampered}\n")).expect("write");
    let output = dealgraph(directory.path(), &["build", "--extractions", "x.jsonl"]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(
        errors.contains("x.jsonl:2: invalid extraction: column 2"),
        "{errors}"
    );
    assert!(
        errors.contains("x.jsonl:3: invalid extraction: mention \"Atlantis\""),
        "{errors}"
    );
    assert!(stdout(&output).starts_with("built 1 documents"));
}

/// The number of quads in the store `db` under `directory`, asked with `query --store`.
fn stored_quads(directory: &std::path::Path) -> usize {
    count(
        directory,
        &[
            "--store",
            "db",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        ],
    )
}

#[test]
fn a_store_is_kept_refused_when_full_and_replaced_on_request() {
    let directory = tempfile::tempdir().expect("temp dir");
    let first = dealgraph(directory.path(), &["build", "--store", "db"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = dealgraph(directory.path(), &["build", "--store", "db"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already holds a graph: use `dealgraph add`"),
        "{}",
        stderr(&again)
    );
    let stored = stored_quads(directory.path());
    assert!(stored > 1000);
    let replaced = dealgraph(
        directory.path(),
        &[
            "build",
            "--store",
            "db",
            "--replace",
            &data("articles/nile_pact.md").display().to_string(),
        ],
    );
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    let after = stored_quads(directory.path());
    assert!(after < stored, "{after} >= {stored}");
}

#[test]
fn query_formats_and_errors() {
    let directory = tempfile::tempdir().expect("temp dir");
    let table = dealgraph(
        directory.path(),
        &[
            "query",
            r#"SELECT ?l WHERE { ?c dg:iso3166Alpha2 "XK" ; rdfs:label ?l }"#,
        ],
    );
    assert_eq!(stdout(&table), "| l      |\n|--------|\n| Kosovo |\n");
    let ask = dealgraph(
        directory.path(),
        &["query", "ASK { ?a a dg:Agreement }", "--format", "json"],
    );
    assert_eq!(stdout(&ask).trim(), r#"{"head":{},"boolean":true}"#);
    let construct = dealgraph(
        directory.path(),
        &[
            "query",
            r#"CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c dg:iso3166Alpha2 "XK" ; rdfs:label ?l }"#,
            "--format",
            "nt",
        ],
    );
    assert_eq!(stdout(&construct), "<https://dealgraph.example/id/country/kosovo> <http://www.w3.org/2000/01/rdf-schema#label> \"Kosovo\" .\n");
    let broken = dealgraph(directory.path(), &["query", "SELECT ?x WHERE { ?x"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stderr(&broken).contains("SPARQL syntax error"),
        "{}",
        stderr(&broken)
    );
    let mismatch = dealgraph(
        directory.path(),
        &["query", "ASK { ?s ?p ?o }", "--format", "ttl"],
    );
    assert!(
        stderr(&mismatch).contains("does not suit ASK queries"),
        "{}",
        stderr(&mismatch)
    );
    let update = dealgraph(
        directory.path(),
        &["query", "INSERT DATA { <http://a> <http://b> <http://c> }"],
    );
    assert_eq!(update.status.code(), Some(1));
}

#[test]
fn exports_are_deterministic_and_the_base_can_be_set() {
    let directory = tempfile::tempdir().expect("temp dir");
    let first = dealgraph(directory.path(), &["export", "--format", "ttl"]);
    let second = dealgraph(directory.path(), &["export", "--format", "ttl"]);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    let rebased = dealgraph(
        directory.path(),
        &[
            "export",
            "--format",
            "nt",
            "--base",
            "http://example.org/kg/",
        ],
    );
    let text = stdout(&rebased);
    assert!(text.contains("<http://example.org/kg/country/kosovo>"));
    assert!(!text.contains("dealgraph.example/id/"));
    let bad_base = dealgraph(directory.path(), &["export", "--base", "not a base"]);
    assert_eq!(bad_base.status.code(), Some(1));
}

#[test]
fn queries_never_reach_the_network_or_change_the_graph() {
    let directory = tempfile::tempdir().expect("temp dir");
    let service = dealgraph(
        directory.path(),
        &[
            "query",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        ],
    );
    assert_eq!(service.status.code(), Some(1));
    assert!(
        stderr(&service).contains("SERVICE is refused"),
        "{}",
        stderr(&service)
    );
    for update in [
        "LOAD <http://127.0.0.1:9/x>",
        "CLEAR ALL",
        "DELETE WHERE { ?s ?p ?o }",
    ] {
        let refused = dealgraph(directory.path(), &["query", update]);
        assert_eq!(refused.status.code(), Some(1), "{update}");
        assert!(
            stderr(&refused).contains("SPARQL updates are refused"),
            "{update}: {}",
            stderr(&refused)
        );
    }
}

/// Runs `dealgraph ARGS` in `dir`, killed if it takes more than a minute (a hang is a failure).
fn dealgraph_within_a_minute(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dealgraph"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the dealgraph binary runs");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("dealgraph {args:?} ran for more than a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

#[cfg(unix)]
#[test]
fn a_folder_with_links_back_to_itself_is_built_once_with_a_warning_per_link() {
    let directory = tempfile::tempdir().expect("temp dir");
    let folder = directory.path().join("folder");
    fs::create_dir_all(folder.join("sub")).expect("dirs");
    fs::write(
        folder.join("a.txt"),
        "Denmark and Kosovo signed an agreement.\n",
    )
    .expect("write");
    std::os::unix::fs::symlink("..", folder.join("sub/up1")).expect("link");
    std::os::unix::fs::symlink("..", folder.join("sub/up2")).expect("link");
    std::os::unix::fs::symlink("../a.txt", folder.join("sub/same.txt")).expect("link");
    let output = dealgraph_within_a_minute(directory.path(), &["build", "folder"]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{errors}");
    assert!(
        stdout(&output).starts_with("built 1 documents"),
        "{}",
        stdout(&output)
    );
    for link in ["folder/sub/up1", "folder/sub/up2"] {
        assert!(
            errors.contains(&format!(
                "warning: {link}: skipped: the same folder as folder, already read"
            )),
            "{errors}"
        );
    }
    assert!(
        errors.contains(
            "warning: folder/sub/same.txt: skipped: the same file as folder/a.txt, already read"
        ),
        "{errors}"
    );
}

#[test]
fn a_document_over_the_limit_is_rejected_and_the_rest_built() {
    let directory = tempfile::tempdir().expect("temp dir");
    fs::write(
        directory.path().join("big.txt"),
        "Denmark and Kosovo signed an agreement. ".repeat(100),
    )
    .expect("write");
    fs::write(
        directory.path().join("small.txt"),
        "Chile and Peru signed a treaty.\n",
    )
    .expect("write");
    let output = dealgraph(
        directory.path(),
        &[
            "build",
            "big.txt",
            "small.txt",
            "--max-document-bytes",
            "1000",
        ],
    );
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert!(
        errors.contains("error: big.txt: rejected: 4000 bytes, more than the limit of 1000 bytes"),
        "{errors}"
    );
    assert!(stdout(&output).starts_with("built 1 documents"));
}

#[test]
fn a_build_of_nothing_says_that_nothing_was_built() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output = dealgraph(directory.path(), &["build", "missing.txt"]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{errors}");
    assert!(
        errors.contains("error: missing.txt: cannot read"),
        "{errors}"
    );
    assert!(
        errors.contains("nothing was built: 1 input rejected"),
        "{errors}"
    );
    assert!(!errors.contains("the rest was processed"), "{errors}");
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
}

#[test]
fn extract_skips_a_repeated_identity_as_build_does() {
    let directory = tempfile::tempdir().expect("temp dir");
    fs::write(
        directory.path().join("twice.jsonl"),
        "{\"id\":\"a\",\"text\":\"Chile and Peru signed a treaty.\"}\n\
         {\"id\":\"a\",\"text\":\"Egypt and Sudan signed a pact.\"}\n",
    )
    .expect("write");
    let extracted = dealgraph(
        directory.path(),
        &["extract", "twice.jsonl", "-o", "out.jsonl"],
    );
    let built = dealgraph(directory.path(), &["build", "twice.jsonl"]);
    for output in [&extracted, &built] {
        assert_eq!(output.status.code(), Some(2), "{}", stderr(output));
        assert!(
            stderr(output)
                .contains("skipped: an earlier document of this input has the same identity \"a\""),
            "{}",
            stderr(output)
        );
    }
    let lines = fs::read_to_string(directory.path().join("out.jsonl")).expect("out");
    assert_eq!(lines.lines().count(), 1);
    assert!(lines.contains("Chile and Peru"));
    assert!(stdout(&built).starts_with("built 1 documents"));
}

#[test]
fn a_missing_curation_file_is_named_once() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output = dealgraph(directory.path(), &["build", "--curation", "gone.json"]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{errors}");
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(
        errors.starts_with("error: gone.json: cannot read: "),
        "{errors}"
    );
    assert_eq!(errors.matches("No such file").count(), 1, "{errors}");
}

#[test]
fn query_errors_are_one_line_and_name_what_is_wrong() {
    let directory = tempfile::tempdir().expect("temp dir");
    let unknown = dealgraph(
        directory.path(),
        &["query", "SELECT * WHERE { ?s nope:p ?o }"],
    );
    let errors = stderr(&unknown);
    assert_eq!(unknown.status.code(), Some(1), "{errors}");
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(errors.contains("unknown prefix nope:"), "{errors}");
    let mismatch = dealgraph(
        directory.path(),
        &[
            "query",
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "--format",
            "csv",
        ],
    );
    assert!(
        stderr(&mismatch).contains("format csv does not suit CONSTRUCT queries"),
        "{}",
        stderr(&mismatch)
    );
}

#[test]
fn a_killed_builds_leftovers_are_removed_with_a_warning() {
    if !std::path::Path::new("/proc").is_dir() {
        return;
    }
    let directory = tempfile::tempdir().expect("temp dir");
    // A PID above Linux's pid_max: its build was killed.
    let left = directory.path().join(".db.building-4194305");
    fs::create_dir_all(left.join("dealgraph/extractions")).expect("left folder");
    let output = dealgraph(directory.path(), &["build", "--store", "db"]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{errors}");
    assert!(!left.exists());
    assert!(
        errors.contains("warning: ") && errors.contains(".db.building-4194305: removed"),
        "{errors}"
    );
    assert!(stdout(&output).starts_with("built 5 documents"));
}
