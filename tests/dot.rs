//! Pictures and graph analytics: golden DOT files (`tests/data/dot/*.dot`, compared byte for byte;
//! `UPDATE_EXPECT=1` rewrites them) for the seeds and for hand-made graphs with hostile labels, each
//! parsed by the real Graphviz with no warning; entity lookup; `path` and `rank` on small graphs
//! with known answers; the snapshot of an on-disk store's graph, used only while the store is
//! unchanged; rendering with and without Graphviz on `PATH`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use dealgraph::graph::analytics::{rank, shortest_chains, DAMPING};
use dealgraph::graph::dot::{write_dot, DotOptions};
use dealgraph::graph::{
    self, find, from_construct, from_store, snapshot, Content, EntityGraph, GraphError, Keep,
    Origin,
};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNodeRef, QuadRef};
use oxigraph::store::Store;

/// A store holding a TriG fixture of `tests/data/dot/`.
fn fixture(name: &str) -> Store {
    let store = Store::new().expect("store");
    let text = std::fs::read_to_string(common::data(&format!("dot/{name}"))).expect("fixture");
    store
        .load_from_reader(RdfFormat::TriG, text.as_bytes())
        .expect("the fixture parses");
    store
}

fn dot_of(graph: &EntityGraph) -> String {
    let mut out = Vec::new();
    write_dot(graph, &DotOptions::default(), &mut out).expect("written");
    String::from_utf8(out).expect("DOT is UTF-8")
}

/// Compares `actual` with `tests/data/dot/NAME.dot` byte for byte (rewrites it with
/// `UPDATE_EXPECT=1`), then has Graphviz read it: it must succeed with nothing on standard error.
/// Gives the SVG.
fn check(name: &str, actual: &str) -> String {
    let path = common::data(&format!("dot/{name}.dot"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).expect("expectation written");
    } else {
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_EXPECT=1", path.display()));
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(expected.lines().count().min(actual.lines().count()));
            panic!(
                "{} differs from the output at line {} (UPDATE_EXPECT=1 rewrites it):\nexpected: {:?}\nactual:   {:?}",
                path.display(),
                line + 1,
                expected.lines().nth(line),
                actual.lines().nth(line)
            );
        }
    }
    graphviz_svg(actual)
}

/// Runs `dot -Tsvg` on `text`; fails on any warning or error.
fn graphviz_svg(text: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz's dot runs (.ci/setup installs graphviz)");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("dot finishes");
    writer.join().expect("writer").expect("DOT written");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "dot failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dot warned: {stderr}");
    String::from_utf8(output.stdout).expect("SVG is UTF-8")
}

fn cli(dir: &Path, args: &[&str]) -> String {
    let output = common::dealgraph(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        common::stderr(&output)
    );
    common::stdout(&output)
}

#[test]
fn seeds_picture_matches_its_golden_file_from_memory_and_from_a_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = check("seeds", &cli(dir.path(), &["dot"]));
    assert!(svg.contains("Agreement between Kosovo and United States"));
    assert!(
        svg.contains("at most 50 deportees"),
        "attributes inside the agreement's label"
    );
    let store = dir.path().join("store");
    let store = store.to_str().expect("UTF-8 path");
    cli(dir.path(), &["build", "--store", store]);
    let from_memory = cli(dir.path(), &["dot"]);
    assert_eq!(
        cli(dir.path(), &["dot", "--store", store]),
        from_memory,
        "the on-disk store draws the same bytes"
    );
    assert!(
        dir.path().join("store").join(snapshot::FILE_NAME).is_file(),
        "the first picture of a store keeps its snapshot"
    );
    assert_eq!(
        cli(dir.path(), &["dot", "--store", store]),
        from_memory,
        "the snapshot draws the same bytes"
    );
}

/// Opens the RocksDB store in `directory` read-only, after a session that opens it for writing
/// and writes nothing (RocksDB then moves what earlier sessions left in its logs into tables). A
/// read-only store starts no compaction, so its tables stay as they are while a test reads them.
fn open_settled(directory: &Path) -> Store {
    drop(Store::open(directory).expect("store"));
    Store::open_read_only(directory).expect("read-only store")
}

/// The DOT text of an on-disk store's graph as [`graph::read`] gives it, and where it came from.
fn read_store(store: &Store, directory: &Path, keep: Keep) -> (String, Origin) {
    let (graph, origin) =
        graph::read(store, Some(directory), Content::default(), keep).expect("graph");
    (dot_of(&graph), origin)
}

#[test]
fn a_snapshot_is_used_only_while_the_store_is_unchanged() {
    let dir = store_dir("chains.trig");
    let directory = dir.path().join("store");
    let snapshot_file = directory.join(snapshot::FILE_NAME);
    let store = open_settled(&directory);
    let expected = dot_of(&from_store(&store, Content::default()).expect("graph"));

    let (first, origin) = read_store(&store, &directory, Keep::Write);
    assert!(matches!(origin, Origin::Store), "{origin:?}");
    assert_eq!(first, expected);
    assert!(snapshot_file.is_file());
    let (second, origin) = read_store(&store, &directory, Keep::Write);
    assert!(matches!(origin, Origin::Snapshot), "{origin:?}");
    assert_eq!(second, expected, "the snapshot gives the same graph");
    drop(store);

    // A write, flushed into a table: the snapshot is stale and the store read again.
    let deal = NamedNodeRef::new("https://example.org/id/a6").expect("IRI");
    let h_land = NamedNodeRef::new("https://example.org/id/H").expect("IRI");
    let doc2 = NamedNodeRef::new("https://example.org/id/doc2").expect("IRI");
    let party = NamedNodeRef::new("https://dealgraph.example/ns#party").expect("IRI");
    let writer = Store::open(&directory).expect("store");
    writer
        .insert(QuadRef::new(deal, party, h_land, doc2))
        .expect("inserted");
    writer.flush().expect("flushed");
    drop(writer);
    let store = Store::open_read_only(&directory).expect("read-only store");
    let (changed, origin) = read_store(&store, &directory, Keep::Write);
    assert!(matches!(origin, Origin::Store), "{origin:?}");
    assert!(
        changed.contains("\"https://example.org/id/a6\" -> \"https://example.org/id/H\""),
        "{changed}"
    );
    drop(store);
    let store = open_settled(&directory);
    let (kept, _) = read_store(&store, &directory, Keep::Write);
    assert_eq!(kept, changed);
    let (again, origin) = read_store(&store, &directory, Keep::Write);
    assert!(matches!(origin, Origin::Snapshot), "{origin:?}");
    assert_eq!(again, changed);
    drop(store);

    // A write left in the log: a read-only store sees it, and so must the graph.
    let writer = Store::open(&directory).expect("store");
    writer
        .remove(QuadRef::new(deal, party, h_land, doc2))
        .expect("removed");
    drop(writer);
    let store = Store::open_read_only(&directory).expect("read-only store");
    let (reverted, origin) = read_store(&store, &directory, Keep::ReadOnly);
    assert!(matches!(origin, Origin::Store), "{origin:?}");
    assert_eq!(reverted, expected);
    drop(store);

    // A damaged snapshot is read again and rewritten.
    let store = open_settled(&directory);
    std::fs::write(&snapshot_file, b"not a snapshot").expect("overwritten");
    let (repaired, origin) = read_store(&store, &directory, Keep::Write);
    assert!(matches!(origin, Origin::Store), "{origin:?}");
    assert_eq!(repaired, expected);
    let (_, origin) = read_store(&store, &directory, Keep::Write);
    assert!(matches!(origin, Origin::Snapshot), "{origin:?}");
}

#[test]
fn seeds_filters_match_their_golden_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let focus = cli(dir.path(), &["dot", "--focus", "kosovo", "--depth", "1"]);
    check("seeds-focus-kosovo", &focus);
    assert!(
        !focus.contains("country/united-states\" ["),
        "two steps away"
    );
    assert_eq!(
        focus,
        cli(
            dir.path(),
            &[
                "dot",
                "--focus",
                "https://dealgraph.example/id/country/kosovo",
                "--depth",
                "1"
            ]
        ),
        "an IRI names the same entity"
    );
    let filtered = cli(
        dir.path(),
        &["dot", "--types", "country,agreement", "--min-sources", "4"],
    );
    check("seeds-countries-min-sources-4", &filtered);
    assert!(!filtered.contains("id/person/"));
    check(
        "seeds-quotes-articles",
        &cli(dir.path(), &["dot", "--quotes", "--articles", "--isolated"]),
    );
    let query = common::data("dot/seeds-construct.rq");
    check(
        "seeds-construct",
        &cli(
            dir.path(),
            &["dot", "--construct", query.to_str().expect("path")],
        ),
    );
}

#[test]
fn hostile_labels_survive_graphviz() {
    let store = fixture("hostile.trig");
    let graph = from_store(
        &store,
        Content {
            quotes: true,
            articles: true,
        },
    )
    .expect("graph");
    let svg = check("hostile", &dot_of(&graph));
    for shown in [
        "The &quot;Quoted&quot; Republic",
        "Back\\slash \\N Land \\",
        "&lt;b&gt;Bold&lt;/b&gt; &amp; Sons &lt;br/&gt; &amp;amp;",
        "Line one",
        "Line three",
        "Ελλάδα 🙂 שלום Zoe\u{301} 中国",
        "Deal &quot;A&amp;B&quot; &lt;draft&gt;\\",
        "Head &quot;of&quot; &lt;Ops&gt; &amp; \\Co",
        "capacity: at most 50 people &lt;&amp; &quot;others&quot;&gt;",
        "amount: about 1,500,000.5 €",
        "status: in discussion (2)",
        "We said &quot;no&quot; &amp; &lt;meant&gt; it\\",
        "articles/two\\2 &lt;&amp;&gt;.txt",
        "Tab here\u{FFFD}bell",
    ] {
        assert!(svg.contains(shown), "the SVG shows {shown:?}");
    }
    assert!(
        svg.contains("https://example.org/id/ünïcode-π"),
        "IRIs as tooltips and links"
    );
}

#[test]
fn a_construct_is_drawn_with_literals_inside_nodes() {
    let store = fixture("hostile.trig");
    let query = std::fs::read_to_string(common::data("dot/hostile-construct.rq")).expect("query");
    let graph = from_construct(&store, &query).expect("graph");
    let svg = check("hostile-construct", &dot_of(&graph));
    assert!(svg.contains("note: a &quot;note&quot; with &lt;markup&gt; &amp; a \\ backslash"));
    assert!(
        svg.contains("The &quot;Quoted&quot; Republic"),
        "labels from the store"
    );
    assert!(matches!(
        from_construct(&store, "SELECT * WHERE { ?s ?p ?o }"),
        Err(GraphError::NotConstruct("SELECT"))
    ));
}

#[test]
fn entities_are_found_by_label_alias_or_iri() {
    let store = fixture("chains.trig");
    store
        .load_from_reader(
            RdfFormat::NQuads,
            "<https://example.org/id/G> <http://www.w3.org/2004/02/skos/core#altLabel> \"F-land\" <https://example.org/id/entities> .\n".as_bytes(),
        )
        .expect("alias added");
    let graph = from_store(&store, Content::default()).expect("graph");
    let label = |name: &str| find(&graph, name).map(|node| graph.graph[node].label.clone());
    assert_eq!(label("a-LAND").expect("by label"), "A-land");
    assert_eq!(label("https://example.org/id/B").expect("by IRI"), "B-land");
    match find(&graph, "F-land") {
        Err(error @ GraphError::AmbiguousEntity { .. }) => {
            let message = error.to_string();
            assert!(message.contains("names 2 entities"), "{message}");
            assert!(message.contains("<https://example.org/id/F>"), "{message}");
            assert!(message.contains("<https://example.org/id/G>"), "{message}");
        }
        other => panic!("ambiguous, not {other:?}"),
    }
    match find(&graph, "Deal") {
        Err(GraphError::UnknownEntity { candidates, .. }) => {
            assert_eq!(candidates.len(), 6, "{candidates:?}");
            assert!(candidates[0].starts_with("Deal 1 (agreement)"));
        }
        other => panic!("unknown, not {other:?}"),
    }
    assert!(matches!(
        find(&graph, "Atlantis"),
        Err(GraphError::UnknownEntity { candidates, .. }) if candidates.is_empty()
    ));
}

#[test]
fn path_gives_every_shortest_chain_with_its_articles() {
    let graph = from_store(&fixture("chains.trig"), Content::default()).expect("graph");
    let node = |name: &str| find(&graph, name).expect("entity");
    let chains = shortest_chains(&graph, node("A-land"), node("B-land"), 10);
    let labels: Vec<Vec<&str>> = chains
        .iter()
        .map(|steps| {
            std::iter::once(graph.graph[steps[0].from].label.as_str())
                .chain(steps.iter().map(|step| graph.graph[step.to].label.as_str()))
                .collect()
        })
        .collect();
    assert_eq!(
        labels,
        [
            ["A-land", "Deal 1", "X-land", "Deal 2", "B-land"],
            ["A-land", "Deal 3", "Y-land", "Deal 4", "B-land"],
        ]
    );
    let first = &graph.graph[chains[0][0].relations[0]];
    assert_eq!(first.label, "party");
    assert_eq!(graph.source_names(first), ["one.txt", "two.txt"]);
    let last = &graph.graph[chains[1][3].relations[0]];
    assert_eq!(
        (last.label.as_str(), graph.source_names(last)),
        ("host", vec!["two.txt"])
    );
    assert_eq!(
        shortest_chains(&graph, node("A-land"), node("B-land"), 1).len(),
        1
    );
    assert!(shortest_chains(&graph, node("A-land"), node("H-land"), 10).is_empty());
    assert_eq!(
        shortest_chains(&graph, node("C-land"), node("D-land"), 10)[0].len(),
        2
    );
}

#[test]
fn rank_matches_pagerank_in_closed_form_on_a_star() {
    let graph = from_store(&fixture("star.trig"), Content::default()).expect("graph");
    let ranking = rank(&graph);
    let (nodes, leaves) = (4.0, 3.0);
    let centre = (1.0 + DAMPING * leaves) / (nodes * (1.0 + DAMPING));
    assert_eq!(graph.graph[ranking.ranked[0].node].label, "Deal");
    assert!(
        (ranking.ranked[0].score - centre).abs() < 1e-9,
        "{ranking:?}"
    );
    for leaf in &ranking.ranked[1..] {
        assert!(
            (leaf.score - (1.0 - centre) / leaves).abs() < 1e-9,
            "{ranking:?}"
        );
        assert_eq!(leaf.degree, 1);
    }
    assert_eq!(ranking.ranked[0].degree, 3);
    assert_eq!(ranking.components.len(), 1);
}

#[test]
fn rank_lists_components_largest_first() {
    let graph = from_store(&fixture("chains.trig"), Content::default()).expect("graph");
    let ranking = rank(&graph);
    let sizes: Vec<usize> = ranking.components.iter().map(Vec::len).collect();
    assert_eq!(sizes, [8, 4, 3, 1]);
    let total: f64 = ranking.ranked.iter().map(|ranked| ranked.score).sum();
    assert!((total - 1.0).abs() < 1e-9, "scores sum to {total}");
    let lonely = find(&graph, "H-land").expect("H");
    assert_eq!(ranking.components[3], [lonely]);
}

/// A store directory holding a fixture, for the binary.
fn store_dir(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("store")).expect("store");
    let text = std::fs::read_to_string(common::data(&format!("dot/{name}"))).expect("fixture");
    store
        .load_from_reader(RdfFormat::TriG, text.as_bytes())
        .expect("loaded");
    store.flush().expect("flushed");
    dir
}

#[test]
fn path_and_rank_commands_write_text_and_json() {
    let dir = store_dir("chains.trig");
    let store = dir.path().join("store");
    let store = store.to_str().expect("UTF-8 path");
    let text = cli(dir.path(), &["path", "A-land", "B-land", "--store", store]);
    assert!(
        text.starts_with("2 shortest chains of 4 steps between A-land and B-land"),
        "{text}"
    );
    assert!(
        text.contains("A-land <-[party]- Deal 1\n      according to one.txt, two.txt"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &[
            "path", "A-land", "B-land", "--store", store, "--format", "json",
        ],
    ))
    .expect("JSON");
    assert_eq!(json["length"], 4);
    assert_eq!(json["chains"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["chains"][1]["steps"][3]["relations"][0]["label"],
        "host"
    );

    let none = common::dealgraph(dir.path(), &["path", "A-land", "H-land", "--store", store]);
    assert_eq!(none.status.code(), Some(1));
    assert!(common::stdout(&none).contains("no chain of relations joins A-land and H-land"));
    let unknown = common::dealgraph(dir.path(), &["path", "land", "B-land", "--store", store]);
    assert!(!unknown.status.success());
    assert!(
        common::stderr(&unknown).contains("did you mean"),
        "{}",
        common::stderr(&unknown)
    );

    let ranking = cli(dir.path(), &["rank", "--store", store]);
    assert!(
        ranking.starts_with("16 entities, 13 relations, 4 connected components"),
        "{ranking}"
    );
    let json: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &["rank", "--store", store, "--format", "json"],
    ))
    .expect("JSON");
    assert_eq!(json["ranking"].as_array().map(Vec::len), Some(16));
    assert_eq!(json["components"][0]["size"], 8);
}

#[test]
fn render_writes_svg_and_png_with_graphviz() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = cli(
        dir.path(),
        &["dot", "--render", "svg", "--focus", "Denmark"],
    );
    assert!(svg.contains("<svg"), "{svg}");
    assert!(svg.contains("Denmark"));
    let png = common::dealgraph(dir.path(), &["dot", "--render", "png"]);
    assert!(png.status.success(), "{}", common::stderr(&png));
    assert!(png.stdout.starts_with(b"\x89PNG"));
}

#[test]
fn render_without_graphviz_says_how_to_install_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_dealgraph"))
        .args(["dot", "--render", "svg"])
        .current_dir(dir.path())
        .env("PATH", dir.path())
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = common::stderr(&output);
    assert!(
        stderr.contains("Graphviz's `dot` program was not found"),
        "{stderr}"
    );
    assert!(stderr.contains("sudo apt-get install graphviz"), "{stderr}");
    assert!(output.stdout.is_empty());
}
