//! The fuzz targets' logic: one function per target, taking any bytes and panicking when an
//! invariant of dealgraph is violated (a panic inside dealgraph is a violation too). The files under
//! `fuzz_targets/` only wrap these functions for libFuzzer, and the main crate's
//! `tests/fuzz_regressions.rs` includes this file to replay `fuzz/regressions/`, so it uses only
//! crates the main crate depends on. Each function keeps what it needs across runs (the extractor,
//! the seeds' extractions, the server) in a `OnceLock`, and writes its input to its own file of a
//! shared scratch directory, so different targets may run on different threads at once.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::Router;
use dealgraph::curation::Curation;
use dealgraph::ingest::{ingest, ClutterRules, Document};
use dealgraph::pipeline::{check, graph_of, read_extractions, Pipeline};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::serve::{app, AppState, ServeOptions};
use dealgraph::{Extraction, Extractor};
use http_body_util::BodyExt;
use oxigraph::model::{NamedOrBlankNode, Quad};
use tower::ServiceExt;

/// The largest input `serve_request` sends; longer ones are skipped so that every run is quick.
pub const MAX_REQUEST_INPUT: usize = 4096;

/// The separator of the parts of a `serve_request` input (never a byte of UTF-8 text).
pub const PART_SEPARATOR: u8 = 0xFF;

/// The methods a `serve_request` input's first byte picks from (byte mod 8).
pub const METHODS: [&str; 8] = [
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "GET",
];

/// Any bytes through ingest and extraction. The first byte picks the reader (byte mod 4: plain
/// text, Markdown, HTML, JSON Lines); the rest is read as UTF-8 (lossily when it is not), written to
/// a file with that extension and ingested like a user's file. Every zone lies inside the text, and
/// every document's extraction passes `pipeline::check` (spans inside the text, mention text equal
/// to the text at its span, evidence inside the text, known entities).
pub fn ingest_extract(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let name = match selector % 4 {
        0 => "ingest_extract.txt",
        1 => "ingest_extract.md",
        2 => "ingest_extract.html",
        _ => "ingest_extract.jsonl",
    };
    let text = String::from_utf8_lossy(body);
    for document in ingest_file(name, text.as_bytes()) {
        check_zones(&document);
        let extraction = extractor().extract(document);
        if let Err(message) = check(&extraction) {
            panic!("inconsistent extraction: {message}");
        }
    }
}

/// Any bytes as an `.html` file through `ingest::ingest` (`src/ingest/html.rs` reduces the page to
/// its visible text). A page gives at most one document; it is never empty and ends with no white
/// space (`TextWriter::finish`, and ingest refuses a page with no text); every zone is non-empty
/// and inside the text; the title, URL and publication date, when present, are non-empty and on
/// one line (they are one-line metadata: a title from `<h1>` or `<title>` has its white space
/// collapsed, a date is normalised to an `xsd:date(Time)`). Then the same bytes are read again
/// after a `<script>` and a `<style>` element holding markup: scripts and styles vanish, so that
/// markup is in the text only when the input holds it (as bytes, or as the text of the input read
/// alone: `&lt;` or a NUL the parser drops can make it).
pub fn html_ingest(data: &[u8]) {
    const SCRIPT: &str = r#"<b id="dealgraph-fuzz-script">"#;
    const STYLE: &str = r#"<i id="dealgraph-fuzz-style">"#;
    let alone = html_documents("html_ingest.html", data);
    for document in &alone {
        check_zones(document);
    }
    let mut prefixed = format!("<script>{SCRIPT}</script><style>{STYLE}</style>").into_bytes();
    prefixed.extend_from_slice(data);
    let input_has = |marker: &str| {
        data.windows(marker.len())
            .any(|window| window == marker.as_bytes())
            || alone.iter().any(|document| document.text.contains(marker))
    };
    for document in html_documents("html_ingest_prefixed.html", &prefixed) {
        check_zones(&document);
        for marker in [SCRIPT, STYLE] {
            assert!(
                input_has(marker) || !document.text.contains(marker),
                "the markup {marker} of a script or style element is in the text {:?}",
                document.text
            );
        }
    }
}

/// Any bytes as a JSON Lines file of extractions, read by `pipeline::read_extractions` (what
/// `build --extractions` reads). Every extraction accepted passes `pipeline::check`, and the graph
/// of those accepted (`pipeline::graph_of`, no curation) is made without a panic, every quad's
/// subject an IRI under the base (the graph has no blank nodes).
pub fn extraction_lines(data: &[u8]) {
    let path = scratch_file("extraction_lines.jsonl", data);
    let Ok((extractions, _problems)) = read_extractions(&path) else {
        return;
    };
    for extraction in &extractions {
        if let Err(message) = check(extraction) {
            panic!("an accepted extraction fails the check: {message}");
        }
    }
    if !extractions.is_empty() {
        check_graph(&extractions, &Curation::default());
    }
}

/// Any bytes as a curation file loaded with `Curation::load`. When it loads, the seed articles'
/// extractions resolved with it (`pipeline::graph_of`) give a graph without a panic, every quad's
/// subject an IRI under the base.
pub fn curation_file(data: &[u8]) {
    let path = scratch_file("curation_file.json", data);
    let Ok(curation) = Curation::load(&path) else {
        return;
    };
    check_graph(seed_extractions(), &curation);
}

/// One HTTP request made of the bytes, answered in process by the router of `serve::app` over the
/// seed articles' graph (2 s query limit). The first byte picks the method (mod 8 in [`METHODS`]);
/// the rest is split on [`PART_SEPARATOR`] into the path with its query string (bytes not allowed in
/// a URI are percent-encoded), the `Accept` header, the `Content-Type` header and the body (missing
/// parts are left out; an empty header is not sent). Inputs over [`MAX_REQUEST_INPUT`] bytes are
/// skipped. The server never answers with a 5xx status other than 503 (query time limit, Graphviz
/// missing), and a 2xx or 4xx answer whose content type is text, JSON or XML has a UTF-8 body.
pub fn serve_request(data: &[u8]) {
    if data.len() > MAX_REQUEST_INPUT {
        return;
    }
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(4, |&byte| byte == PART_SEPARATOR);
    let target = parts.next().unwrap_or_default();
    let accept = parts.next().unwrap_or_default();
    let content_type = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default().to_vec();
    let method =
        Method::from_bytes(METHODS[usize::from(selector % 8)].as_bytes()).expect("a method name");
    let mut request = Request::builder()
        .method(method.clone())
        .uri(uri_of(target));
    for (name, value) in [
        (header::ACCEPT, accept),
        (header::CONTENT_TYPE, content_type),
    ] {
        if value.is_empty() {
            continue;
        }
        if let Ok(value) = HeaderValue::from_bytes(value) {
            request = request.header(name, value);
        }
    }
    let Ok(request) = request.body(Body::from(body)) else {
        return;
    };
    let shown = format!("{method} {}", request.uri());
    let server = server();
    let (status, content_type, bytes) = server.runtime.block_on(async {
        let response = server
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap_or_else(|error| panic!("{shown}: the body fails: {error}"))
            .to_bytes();
        (status, content_type, bytes)
    });
    assert!(
        !status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE,
        "{shown}: status {status}, body {:?}",
        String::from_utf8_lossy(&bytes)
    );
    if (status.is_success() || status.is_client_error())
        && content_type.as_deref().is_some_and(is_textual)
    {
        assert!(
            std::str::from_utf8(&bytes).is_ok(),
            "{shown}: status {status}, a {content_type:?} body that is not UTF-8"
        );
    }
}

/// A `serve_request` input: the method's index in [`METHODS`] and the parts, joined by
/// [`PART_SEPARATOR`] (to make seeds).
pub fn request_input(
    method: u8,
    target: &str,
    accept: &str,
    content_type: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut input = vec![method];
    for (index, part) in [
        target.as_bytes(),
        accept.as_bytes(),
        content_type.as_bytes(),
        body,
    ]
    .into_iter()
    .enumerate()
    {
        if index > 0 {
            input.push(PART_SEPARATOR);
        }
        input.extend_from_slice(part);
    }
    input
}

/// The request target of `bytes`: a leading `/` added when missing, and every byte a URI may not
/// hold (controls, space, non-ASCII, `"<>\^`{|}#`) percent-encoded.
fn uri_of(bytes: &[u8]) -> String {
    let mut uri = String::with_capacity(bytes.len() + 1);
    if bytes.first() != Some(&b'/') {
        uri.push('/');
    }
    for &byte in bytes {
        if byte.is_ascii_graphic() && !b"\"<>\\^`{|}#".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// Whether a body of this media type must be UTF-8: text, JSON, XML and the RDF text formats.
fn is_textual(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("/json")
        || essence.ends_with("+json")
        || essence.ends_with("/xml")
        || essence.ends_with("+xml")
        || matches!(
            essence.as_str(),
            "application/n-triples" | "application/n-quads" | "application/trig"
        )
}

/// The server over the seeds' graph and the runtime that drives it, made once.
struct Server {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let minter = minter();
        let (quads, _) = graph_of(seed_extractions(), &minter, &Curation::default());
        let store = oxigraph::store::Store::new().expect("an in-memory store");
        dealgraph::store::load(&store, quads).expect("the seeds' graph loads");
        let options = ServeOptions {
            timeout: Duration::from_secs(2),
            query_threads: 1,
            ..ServeOptions::default()
        };
        Server {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a tokio runtime"),
            router: app(AppState::new(store, &minter, options)),
        }
    })
}

/// Builds the graph of `extractions` resolved with `curation` and checks that every quad's subject
/// is an IRI under the base.
fn check_graph(extractions: &[Extraction], curation: &Curation) {
    let minter = minter();
    let (quads, _) = graph_of(extractions, &minter, curation);
    for Quad { subject, .. } in &quads {
        match subject {
            NamedOrBlankNode::NamedNode(node) => assert!(
                node.as_str().starts_with(DEFAULT_BASE),
                "subject {node} is not under the base {DEFAULT_BASE}"
            ),
            NamedOrBlankNode::BlankNode(node) => panic!("blank node {node} as a subject"),
        }
    }
}

/// The documents of `bytes` as an HTML file `name`, with the checks every HTML document passes.
fn html_documents(name: &str, bytes: &[u8]) -> Vec<Document> {
    let documents = ingest_file(name, bytes);
    assert!(
        documents.len() <= 1,
        "an HTML file gave {} documents",
        documents.len()
    );
    for document in &documents {
        assert!(
            !document.text.trim().is_empty(),
            "an HTML document with no text"
        );
        assert_eq!(
            document.text.trim_end(),
            document.text,
            "an HTML document's text ends with white space"
        );
        for (field, value) in [
            ("title", &document.title),
            ("url", &document.url),
            ("published", &document.published),
        ] {
            if let Some(value) = value {
                assert!(
                    !value.trim().is_empty() && !value.contains(['\n', '\r']),
                    "{field} {value:?} is empty or not on one line"
                );
            }
        }
    }
    documents
}

/// Checks that every zone of `document` is non-empty and inside its text.
fn check_zones(document: &Document) {
    let length = document.text.chars().count();
    for zone in &document.zones {
        assert!(
            zone.start < zone.end && zone.end <= length,
            "zone {zone:?} outside a text of {length} characters"
        );
    }
}

/// Writes `bytes` to the scratch file `name` and ingests it.
fn ingest_file(name: &str, bytes: &[u8]) -> Vec<Document> {
    static RULES: OnceLock<ClutterRules> = OnceLock::new();
    let rules = RULES
        .get_or_init(|| ClutterRules::embedded().expect("the embedded clutter rules are valid"));
    ingest(&[scratch_file(name, bytes)], rules).documents
}

/// Writes `bytes` to the file `name` of the scratch directory and gives its path.
fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    static SCRATCH: OnceLock<tempfile::TempDir> = OnceLock::new();
    let scratch = SCRATCH.get_or_init(|| tempfile::tempdir().expect("a scratch directory"));
    let path = scratch.path().join(name);
    std::fs::write(&path, bytes).expect("the scratch file is writable");
    path
}

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR
        .get_or_init(|| Extractor::new().expect("the embedded reference data builds an extractor"))
}

/// The extractions of the embedded seed articles, made once.
fn seed_extractions() -> &'static [Extraction] {
    static SEEDS: OnceLock<Vec<Extraction>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let pipeline = Pipeline::new().expect("the pipeline starts");
        let (extractions, problems) = pipeline.extract(&[]);
        assert!(problems.is_empty(), "the seeds extract: {problems:?}");
        extractions
    })
}

fn minter() -> Minter {
    Minter::new(DEFAULT_BASE).expect("the default base is valid")
}
