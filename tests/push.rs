//! `dealgraph push` against a real, independent triplestore: Debian's Virtuoso (installed by
//! `.ci/setup`), started for the test in a temporary folder on free ports and stopped after it. The
//! test reads every graph back from Virtuoso with SPARQL and compares it with the store, quad by quad.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{dealgraph, stderr, stdout};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::store::Store;

const VIRTUOSO_INI: &str = "/etc/virtuoso-opensource-7/virtuoso.ini";
const VIRTUOSO_DB: &str = "/var/lib/virtuoso-opensource-7/db";

/// A Virtuoso server of its own, stopped (by its PID) when dropped.
struct Virtuoso {
    child: Child,
    http: u16,
}

impl Virtuoso {
    fn start(folder: &Path) -> Self {
        let ini = std::fs::read_to_string(VIRTUOSO_INI).unwrap_or_else(|error| {
            panic!("{VIRTUOSO_INI}: {error}: install virtuoso-opensource (.ci/setup does)")
        });
        let (sql, http) = (free_port(), free_port());
        let ini = ini
            .replace(VIRTUOSO_DB, &folder.display().to_string())
            .replace(
                "ServerPort               = 1111",
                &format!("ServerPort = {sql}"),
            )
            .replace(
                "ServerPort                  = 8890",
                &format!("ServerPort = {http}"),
            )
            .replace(
                "ResultSetMaxRows           = 10000",
                "ResultSetMaxRows = 1000000",
            );
        assert!(
            ini.contains(&format!("ServerPort = {http}")),
            "the ini file changed shape"
        );
        let config = folder.join("virtuoso.ini");
        std::fs::write(&config, ini).expect("write the ini file");
        let child = Command::new("virtuoso-t")
            .args(["+foreground", "+configfile"])
            .arg(&config)
            .current_dir(folder)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("virtuoso-t starts (install virtuoso-opensource: .ci/setup does)");
        let server = Self { child, http };
        let started = Instant::now();
        while server.ask("ASK {}").is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "Virtuoso did not answer within two minutes"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http)
    }

    fn ask(&self, query: &str) -> Result<String, ureq::Error> {
        ureq::post(&self.url("/sparql"))
            .header("Accept", "application/sparql-results+json")
            .send_form([("query", query)])?
            .body_mut()
            .read_to_string()
    }

    /// Every quad Virtuoso holds in graphs under `base`.
    fn quads_under(&self, base: &str) -> Vec<Quad> {
        let query = format!(
            "SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{base}\")) }}"
        );
        let json = self.ask(&query).expect("query Virtuoso");
        let ReaderQueryResultsParserOutput::Solutions(solutions) =
            QueryResultsParser::from_format(QueryResultsFormat::Json)
                .for_reader(json.as_bytes())
                .expect("JSON results")
        else {
            panic!("not solutions: {json}");
        };
        solutions
            .map(|solution| {
                let solution = solution.expect("solution");
                let named = |name: &str| match solution.get(name) {
                    Some(Term::NamedNode(node)) => node.clone(),
                    other => panic!("{name} is not an IRI: {other:?}"),
                };
                let object = solution.get("o").expect("object").clone();
                Quad::new(
                    NamedOrBlankNode::NamedNode(named("s")),
                    named("p"),
                    object,
                    GraphName::NamedNode(named("g")),
                )
            })
            .collect()
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// Literals Virtuoso stores by value, compared by value: a year-month `xsd:duration` as its number of
/// months (Virtuoso gives `P1Y` back as `"12"`), and an `xsd:decimal` with an integral value as an
/// `xsd:integer` (Virtuoso's SPARQL Update path turns `"2"^^xsd:decimal` into `2`). Other literals are
/// compared as written.
fn canonical(quad: Quad) -> Quad {
    use oxigraph::model::vocab::xsd;
    let Term::Literal(literal) = &quad.object else {
        return quad;
    };
    if literal.datatype() == xsd::DECIMAL
        && !literal.value().is_empty()
        && literal.value().bytes().all(|b| b.is_ascii_digit())
    {
        let integer = oxigraph::model::Literal::new_typed_literal(literal.value(), xsd::INTEGER);
        return Quad::new(quad.subject, quad.predicate, integer, quad.graph_name);
    }
    if literal.datatype() != oxigraph::model::vocab::xsd::DURATION {
        return quad;
    }
    let lexical = literal.value();
    let months = lexical.parse::<u32>().ok().or_else(|| {
        let rest = lexical.strip_prefix('P')?;
        let (years, rest) = match rest.split_once('Y') {
            Some((years, rest)) => (years.parse::<u32>().ok()?, rest),
            None => (0, rest),
        };
        let months = match rest.strip_suffix('M') {
            Some(months) => months.parse::<u32>().ok()?,
            None if rest.is_empty() => 0,
            None => return None,
        };
        Some(years * 12 + months)
    });
    match months {
        Some(months) => Quad::new(
            quad.subject,
            quad.predicate,
            oxigraph::model::Literal::new_typed_literal(
                format!("{months} months"),
                oxigraph::model::vocab::xsd::DURATION,
            ),
            quad.graph_name,
        ),
        None => quad,
    }
}

fn sorted(quads: impl IntoIterator<Item = Quad>) -> Vec<String> {
    let mut lines: Vec<String> = quads
        .into_iter()
        .map(|q| canonical(q).to_string())
        .collect();
    lines.sort();
    lines
}

#[track_caller]
/// Asserts two sorted lists of quads are equal, showing a few of the differences when not.
fn assert_same(expected: &[String], held: &[String]) {
    let missing: Vec<_> = expected
        .iter()
        .filter(|q| held.binary_search(q).is_err())
        .take(3)
        .collect();
    let extra: Vec<_> = held
        .iter()
        .filter(|q| expected.binary_search(q).is_err())
        .take(3)
        .collect();
    assert!(
        expected == held,
        "missing from Virtuoso: {missing:#?}\nonly in Virtuoso: {extra:#?}"
    );
}

#[test]
fn virtuoso_holds_exactly_what_the_store_holds_after_a_push() {
    let directory = tempfile::tempdir().expect("temp dir");
    let folder = directory.path().join("virtuoso");
    std::fs::create_dir_all(&folder).expect("dir");
    let virtuoso = Virtuoso::start(&folder);

    let built = dealgraph(directory.path(), &["build", "--store", "db"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let endpoint = virtuoso.url("/sparql-graph-crud-auth");
    let push = |endpoint: &str, extra: &[&str]| {
        let mut args = vec![
            "push",
            "--store",
            "db",
            "--endpoint",
            endpoint,
            "--user",
            "dba",
            "--password-env",
            "DEALGRAPH_TEST_PASSWORD",
        ];
        args.extend(extra);
        let output = Command::new(env!("CARGO_BIN_EXE_dealgraph"))
            .args(&args)
            .current_dir(directory.path())
            .env("DEALGRAPH_TEST_PASSWORD", "dba")
            .output()
            .expect("push runs");
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let report = push(&endpoint, &[]);
    let store = Store::open(directory.path().join("db")).expect("store");
    let ours: Vec<Quad> = store.iter().collect::<Result<_, _>>().expect("quads");
    drop(store);
    let graphs: std::collections::HashSet<&GraphName> =
        ours.iter().map(|q| &q.graph_name).collect();
    assert!(
        report.starts_with(&format!(
            "pushed {} graphs ({} by PUT",
            graphs.len(),
            graphs.len()
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("{} triples", ours.len())),
        "{report}"
    );
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let shown = readme
        .lines()
        .find_map(|line| line.strip_prefix("# pushed "))
        .expect("README shows what push prints");
    assert_eq!(
        report.trim_end(),
        format!("pushed {shown}"),
        "README's push line is what pushing the seeds' store prints"
    );

    let base = dealgraph::rdf::DEFAULT_BASE;
    let expected = sorted(ours.clone());
    assert_same(&expected, &sorted(virtuoso.quads_under(base)));

    // Pushing again replaces each graph rather than adding to it; a wrong password is refused.
    let verbose = push(&endpoint, &["--verbose"]);
    assert_eq!(
        verbose.lines().filter(|l| l.starts_with("sent ")).count(),
        graphs.len()
    );
    assert_same(&expected, &sorted(virtuoso.quads_under(base)));
    // A server without the Graph Store Protocol at that address: the graphs go as SPARQL Update.
    let update = virtuoso.url("/sparql-auth");
    let fallback = push(
        &virtuoso.url("/no-graph-store-here"),
        &["--update-endpoint", &update],
    );
    assert!(
        fallback.contains(&format!("0 by PUT, {} by SPARQL Update", graphs.len())),
        "{fallback}"
    );
    assert_same(&expected, &sorted(virtuoso.quads_under(base)));
    let refused = Command::new(env!("CARGO_BIN_EXE_dealgraph"))
        .args([
            "push",
            "--store",
            "db",
            "--endpoint",
            &endpoint,
            "--user",
            "dba",
            "--password-env",
            "WRONG",
            "--retries",
            "0",
        ])
        .current_dir(directory.path())
        .env("WRONG", "not the password")
        .output()
        .expect("push runs");
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("HTTP 401"),
        "{}",
        stderr(&refused)
    );
}
