//! A hand-written curation file is applied by every build: rejects, merges, aliases and splits.

mod common;

use common::{dealgraph, stderr, stdout};

const CURATION: &str = r#"{
  "reject": [{"name": "Reuters"}, {"name": "Atlantis"}],
  "merge": [{"names": ["Trump", "President Trump"], "label": "Donald Trump", "class": "Official"},
            {"names": ["Atlantis", "Lemuria"], "label": "Nowhere"}],
  "alias": [{"name": "human rights watch", "alias": "HRW (Human Rights Watch)"}],
  "split": [{"name": "Gjilan", "documents": ["seeds/003_e634394360b7887d.txt"], "label": "Gjilan prison site", "class": "Place"}]
}"#;

fn ask(directory: &std::path::Path, query: &str) -> bool {
    let output = dealgraph(directory, &["query", query, "--format", "csv"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    match text.trim() {
        "true" => true,
        "false" => false,
        other => panic!("not a boolean: {other}"),
    }
}

#[test]
fn the_curation_file_in_the_working_directory_is_applied() {
    let directory = tempfile::tempdir().expect("temp dir");
    std::fs::write(directory.path().join("curation.json"), CURATION).expect("write");
    let dir = directory.path();
    assert!(!ask(dir, r#"ASK { ?e rdfs:label "Reuters" }"#), "rejected");
    assert!(!ask(
        dir,
        r#"ASK { ?m itsrdf:taIdentRef ?e . ?e rdfs:label "Reuters" }"#
    ));
    assert!(
        ask(
            dir,
            r#"ASK { ?p a dg:Official ; rdfs:label "Donald Trump" ; skos:altLabel "Trump" ; org:holds ?post }"#
        ),
        "merged and relabelled"
    );
    assert!(
        ask(
            dir,
            r#"ASK { ?h rdfs:label "Human Rights Watch" ; skos:altLabel "HRW (Human Rights Watch)" }"#
        ),
        "alias"
    );
    assert!(
        ask(
            dir,
            r#"ASK { ?p a schema:Place ; rdfs:label "Gjilan prison site" ; dg:mentionedIn ?d . ?d dcterms:source "seeds/003_e634394360b7887d.txt" }"#
        ),
        "split"
    );
    assert!(
        !ask(dir, r#"ASK { ?p rdfs:label "Gjilan" }"#),
        "nothing is left under the old name"
    );
    // The rule that matched nothing is reported, and the build still succeeds.
    let built = dealgraph(dir, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        stderr(&built)
            .contains(r#"curation rule matched nothing: reject: no entity named "Atlantis""#),
        "{}",
        stderr(&built)
    );
    // A merge some of whose names the corpus does not use still merged: no warning. One none
    // of whose names match did nothing.
    assert!(
        !stderr(&built).contains("President Trump"),
        "{}",
        stderr(&built)
    );
    assert!(
        stderr(&built).contains(
            r#"curation rule matched nothing: merge: no entity named any of ["Atlantis", "Lemuria"]"#
        ),
        "{}",
        stderr(&built)
    );
}

#[test]
fn a_broken_curation_file_is_named_with_its_position() {
    let directory = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        directory.path().join("fix.json"),
        "{\"reject\": [{\"nme\": \"x\"}]}",
    )
    .expect("write");
    let output = dealgraph(directory.path(), &["build", "--curation", "fix.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("fix.json:1:"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("unknown field `nme`"),
        "{}",
        stderr(&output)
    );
}
