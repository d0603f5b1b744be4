//! The server in process: the router built by `serve::app` answered with `tower::ServiceExt::oneshot`
//! over the seeds' graph (protocol, negotiation, errors, graph store, pages), then a few tests over a
//! real socket (a slow query cancelled while the health check answers, the binary started and stopped).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use dealgraph::graph::{snapshot, Content, Keep};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::serve::{app, AppState, ServeOptions};
use http_body_util::BodyExt;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::store::Store;
use tower::ServiceExt;

/// The seeds' graph, built once and copied into each test's store.
fn seeds_quads() -> &'static Vec<oxigraph::model::Quad> {
    static QUADS: OnceLock<Vec<oxigraph::model::Quad>> = OnceLock::new();
    QUADS.get_or_init(|| {
        let store = common::store_of(&common::extract(&[]));
        store.iter().collect::<Result<_, _>>().expect("quads")
    })
}

fn seeds_store() -> Store {
    let store = Store::new().expect("store");
    dealgraph::store::load(&store, seeds_quads().clone()).expect("load");
    store
}

fn state_with(options: ServeOptions) -> AppState {
    let minter = Minter::new(DEFAULT_BASE).expect("base");
    AppState::new(seeds_store(), &minter, options)
}

fn seeds_app() -> Router {
    app(state_with(ServeOptions::default()))
}

/// A response's status, content type and body.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: String,
    headers: axum::http::HeaderMap,
}

async fn send(router: Router, request: Request<Body>) -> Answer {
    let response = router.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().expect("ascii").to_string())
        .unwrap_or_default();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        headers,
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(Body::empty()).expect("request")
}

fn post(uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(uri);
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    request.body(body.into()).expect("request")
}

fn count_of(json: &str) -> usize {
    let value: serde_json::Value = serde_json::from_str(json).expect("SPARQL JSON");
    value["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .expect("a count")
        .parse()
        .expect("a number")
}

const COUNT_ALL: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";

#[tokio::test]
async fn health_answers_at_once_and_reports_the_store_size_once_counted() {
    let router = seeds_app();
    let started = Instant::now();
    loop {
        let answer = send(router.clone(), get("/health", None)).await;
        assert_eq!(answer.status, StatusCode::OK);
        let health: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
        assert_eq!(health["status"], "ok");
        assert_eq!(health["running_queries"].as_u64(), Some(0));
        if let Some(quads) = health["quads"].as_u64() {
            assert_eq!(quads, seeds_quads().len() as u64);
            break;
        }
        assert!(health["quads"].is_null(), "{}", answer.body);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the first call starts the count, which ends"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn get_post_and_form_queries_see_the_union_of_graphs() {
    let uri = format!("/sparql?query={}", encode(COUNT_ALL));
    let answer = send(seeds_app(), get(&uri, None)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.content_type, "application/sparql-results+json");
    assert_eq!(count_of(&answer.body), seeds_quads().len());

    let direct = send(
        seeds_app(),
        post("/query", Some("application/sparql-query"), COUNT_ALL),
    )
    .await;
    assert_eq!(count_of(&direct.body), seeds_quads().len());

    let form = send(
        seeds_app(),
        post(
            "/sparql",
            Some("application/x-www-form-urlencoded"),
            format!("query={}", encode(COUNT_ALL)),
        ),
    )
    .await;
    assert_eq!(count_of(&form.body), seeds_quads().len());

    let predeclared = send(
        seeds_app(),
        get(
            &format!(
                "/sparql?query={}",
                encode("ASK { ?k dg:iso3166Alpha2 \"XK\" ; rdfs:label \"Kosovo\" }")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(predeclared.status, StatusCode::OK, "{}", predeclared.body);
    assert!(
        predeclared.body.contains("\"boolean\":true"),
        "{}",
        predeclared.body
    );
}

#[tokio::test]
async fn dataset_parameters_replace_the_union_default_graph() {
    let entities = format!("{DEFAULT_BASE}graph/entities");
    let store = seeds_store();
    let in_entities = store
        .quads_for_pattern(
            None,
            None,
            None,
            Some(
                oxigraph::model::NamedNodeRef::new(&entities)
                    .expect("iri")
                    .into(),
            ),
        )
        .count();
    assert!(in_entities > 0 && in_entities < seeds_quads().len());
    let uri = format!(
        "/sparql?query={}&default-graph-uri={}",
        encode(COUNT_ALL),
        encode(&entities)
    );
    assert_eq!(
        count_of(&send(seeds_app(), get(&uri, None)).await.body),
        in_entities
    );

    let named = format!(
        "/sparql?query={}&named-graph-uri={}",
        encode("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        encode(&entities)
    );
    assert_eq!(
        count_of(&send(seeds_app(), get(&named, None)).await.body),
        1
    );

    let nothing_named = format!(
        "/sparql?query={}&named-graph-uri={}",
        encode(COUNT_ALL),
        encode(&entities)
    );
    assert_eq!(
        count_of(&send(seeds_app(), get(&nothing_named, None)).await.body),
        0,
        "naming only named graphs leaves the default graph empty"
    );
}

#[tokio::test]
async fn accept_chooses_among_every_results_and_rdf_format() {
    let select = format!(
        "/sparql?query={}",
        encode("SELECT ?label WHERE { ?c a dg:Country ; rdfs:label ?label } ORDER BY ?label")
    );
    for (accept, expected, marker) in [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
        ("text/csv", "text/csv", "label\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            "?label\n",
        ),
        (
            "text/csv;q=0.2, text/tab-separated-values;q=0.8",
            "text/tab-separated-values",
            "?label",
        ),
        (
            "text/html, */*;q=0.1",
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        ("application/json", "application/json", "\"bindings\""),
    ] {
        let answer = send(seeds_app(), get(&select, Some(accept))).await;
        assert_eq!(answer.status, StatusCode::OK, "{accept}: {}", answer.body);
        assert_eq!(answer.content_type, expected, "{accept}");
        assert!(answer.body.contains(marker), "{accept}: {}", answer.body);
        assert!(answer.body.contains("Kosovo"), "{accept}");
        assert_eq!(
            answer
                .headers
                .get(header::VARY)
                .map(|v| v.to_str().expect("ascii")),
            Some("Accept")
        );
    }
    let construct = format!(
        "/sparql?query={}",
        encode("CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a dg:Country ; rdfs:label ?l }")
    );
    let countries = send(
        seeds_app(),
        get(
            &format!(
                "/sparql?query={}",
                encode("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a dg:Country }")
            ),
            None,
        ),
    )
    .await;
    let countries = count_of(&countries.body);
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/n-quads", RdfFormat::NQuads),
        ("application/trig", RdfFormat::TriG),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let answer = send(seeds_app(), get(&construct, Some(accept))).await;
        assert_eq!(answer.status, StatusCode::OK, "{accept}: {}", answer.body);
        assert_eq!(answer.content_type, accept);
        let parsed = RdfParser::from_format(format)
            .for_slice(answer.body.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{accept} parses: {e}\n{}", answer.body));
        assert_eq!(parsed.len(), countries, "{accept}");
    }
    let by_parameter = send(
        seeds_app(),
        get(&format!("{select}&format=csv"), Some("application/json")),
    )
    .await;
    assert_eq!(by_parameter.content_type, "text/csv");
}

#[tokio::test]
async fn errors_are_plain_text_with_their_status() {
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            get(
                &format!("/sparql?query={}", encode("SELECT * WHERE {")),
                None,
            ),
            StatusCode::BAD_REQUEST,
            "line 1, column 17",
        ),
        (
            get(
                &format!(
                    "/sparql?query={}&query={}",
                    encode("ASK {}"),
                    encode("ASK {}")
                ),
                None,
            ),
            StatusCode::BAD_REQUEST,
            "2 queries",
        ),
        (
            get(
                &format!("/sparql?query={}", encode("ASK {}")),
                Some("image/png"),
            ),
            StatusCode::NOT_ACCEPTABLE,
            "image/png",
        ),
        (
            get(
                &format!("/sparql?query={}", encode("CONSTRUCT WHERE { ?s ?p ?o }")),
                Some("text/csv"),
            ),
            StatusCode::NOT_ACCEPTABLE,
            "text/turtle",
        ),
        (
            post("/sparql", Some("text/plain"), "ASK {}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/plain",
        ),
        (
            post("/sparql", None, "ASK {}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type",
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query; charset=UTF-16"),
                "ASK {}",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UTF-8",
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query"),
                vec![0xff_u8, 0xfe],
            ),
            StatusCode::BAD_REQUEST,
            "UTF-8",
        ),
        (
            post("/sparql", Some("application/sparql-update"), "CLEAR ALL"),
            StatusCode::FORBIDDEN,
            "read-only",
        ),
        (
            post(
                "/sparql",
                Some("application/x-www-form-urlencoded"),
                "update=CLEAR%20ALL",
            ),
            StatusCode::FORBIDDEN,
            "read-only",
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query"),
                "INSERT DATA { <a:s> <a:p> <a:o> }",
            ),
            StatusCode::FORBIDDEN,
            "read-only",
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query"),
                "LOAD <file:///etc/passwd>",
            ),
            StatusCode::FORBIDDEN,
            "read-only",
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query"),
                "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            ),
            StatusCode::FORBIDDEN,
            "SERVICE",
        ),
        (
            Request::put("/sparql")
                .body(Body::empty())
                .expect("request"),
            StatusCode::METHOD_NOT_ALLOWED,
            "PUT",
        ),
        (
            get("/no/such/page", None),
            StatusCode::NOT_FOUND,
            "GET /no/such/page",
        ),
        (
            Request::delete("/id/country/kosovo")
                .body(Body::empty())
                .expect("request"),
            StatusCode::NOT_FOUND,
            "DELETE /id/country/kosovo",
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query"),
                "ASK {} #".repeat(200_000),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than",
        ),
    ];
    for (request, status, fragment) in cases {
        let described = format!("{} {}", request.method(), request.uri());
        let answer = send(seeds_app(), request).await;
        assert_eq!(answer.status, status, "{described}: {}", answer.body);
        assert!(answer.content_type.starts_with("text/plain"), "{described}");
        assert!(
            answer.body.contains(fragment),
            "{described}: {:?} lacks {fragment:?}",
            answer.body
        );
    }
}

#[tokio::test]
async fn service_description_on_get_without_a_query() {
    let answer = send(
        seeds_app(),
        Request::get("/sparql")
            .header(header::HOST, "example.org:7878")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type, "text/turtle");
    let triples: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(answer.body.as_bytes())
        .collect::<Result<_, _>>()
        .expect("Turtle");
    assert!(triples.iter().any(
        |q| q.subject.to_string() == "<http://example.org:7878/sparql>"
            && q.object.to_string()
                == "<http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph>"
    ));
}

#[tokio::test]
async fn graph_store_reads_one_graph_or_the_default() {
    let document = format!("{DEFAULT_BASE}doc/seeds/000_5821b829e4867404.txt");
    let in_document = seeds_store()
        .quads_for_pattern(
            None,
            None,
            None,
            Some(
                oxigraph::model::NamedNodeRef::new(&document)
                    .expect("iri")
                    .into(),
            ),
        )
        .count();
    let uri = format!("/store?graph={}", encode(&document));
    let answer = send(seeds_app(), get(&uri, Some("application/n-triples"))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body.lines().count(), in_document);
    let head = send(
        seeds_app(),
        Request::head(&uri).body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.content_type, "text/turtle");
    let default = send(
        seeds_app(),
        get("/store?default", Some("application/n-triples")),
    )
    .await;
    assert!(default.body.lines().count() > in_document);
    let missing = send(
        seeds_app(),
        get(
            &format!("/store?graph={}", encode("http://example.org/none")),
            None,
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("http://example.org/none"));
    assert_eq!(
        send(seeds_app(), get("/store", None)).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn minted_iris_dereference_as_html_or_rdf() {
    let page = send(
        seeds_app(),
        get(
            "/id/person/peter-hummelgaard",
            Some("text/html,application/xhtml+xml,*/*;q=0.8"),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    assert!(
        page.body.contains("<h1>Peter Hummelgaard</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("dg:Official"));
    assert!(page.body.contains("Justice Minister"));
    assert!(
        page.body.contains("they should not serve their time here"),
        "the claim's source sentence is shown"
    );
    assert!(
        page.body
            .contains("href=\"/id/doc/seeds/002_fcd837289323f0a7.txt\""),
        "the article links to its page"
    );

    let turtle = send(seeds_app(), get("/id/country/kosovo", Some("text/turtle"))).await;
    assert_eq!(turtle.content_type, "text/turtle");
    assert!(turtle.body.contains("XKX"), "{}", turtle.body);
    let download = send(seeds_app(), get("/id/country/kosovo?format=nt", None)).await;
    assert_eq!(download.content_type, "application/n-triples");

    let accented = send(seeds_app(), get("/id/person/p%C3%ABrparim-kryeziu", None)).await;
    assert_eq!(accented.status, StatusCode::OK);
    assert!(accented.body.contains("Përparim Kryeziu"));

    let article = send(
        seeds_app(),
        get("/id/doc/seeds/000_5821b829e4867404.txt", None),
    )
    .await;
    assert_eq!(article.status, StatusCode::OK);
    assert!(article.body.contains("schema:NewsArticle"));

    let by_iri = send(
        seeds_app(),
        get(
            &format!(
                "/resource?iri={}",
                encode("https://dealgraph.example/ns#Agreement")
            ),
            None,
        ),
    )
    .await;
    assert_eq!(by_iri.status, StatusCode::OK);
    assert!(by_iri.body.contains("Agreement between Denmark and Kosovo"));

    let unknown = send(seeds_app(), get("/id/country/atlantis", None)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("GET /id/country/atlantis"));
}

#[tokio::test]
async fn resource_paths_follow_whatever_base_iri_the_graph_was_minted_under() {
    for (base, path) in [
        ("http://example.org/kb/v1/", "/kb/v1/country/kosovo"),
        ("http://example.org/", "/country/kosovo"),
    ] {
        let minter = Minter::new(base).expect("base");
        let (quads, _) = dealgraph::pipeline::graph_of(
            &common::extract(&[]),
            &minter,
            &dealgraph::curation::Curation::default(),
        );
        let store = Store::new().expect("store");
        dealgraph::store::load(&store, quads).expect("load");
        let router = app(AppState::new(store, &minter, ServeOptions::default()));
        let page = send(router.clone(), get(path, None)).await;
        assert_eq!(page.status, StatusCode::OK, "{base} {path}");
        assert!(page.body.contains("<h1>Kosovo</h1>"));
        let health = send(router, get("/health", None)).await;
        assert_eq!(
            health.status,
            StatusCode::OK,
            "fixed routes win over resource paths"
        );
    }
}

#[tokio::test]
async fn the_query_page_offers_every_example_and_runs_one() {
    let page = send(seeds_app(), get("/", None)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-autorun=\"false\""));
    let mut examples = 0;
    for entry in std::fs::read_dir(common::root().join("examples")).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rq") {
            let stem = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            assert!(
                page.body.contains(&format!("href=\"/?example={stem}\"")),
                "{stem} is one click away"
            );
            examples += 1;
        }
    }
    assert_eq!(examples, 6);
    assert!(
        page.body.contains(
            "and the article that says it; two articles that disagree show as two rows.</a>"
        ),
        "each example is described by its whole opening comment"
    );
    let officials = send(seeds_app(), get("/?example=officials", None)).await;
    assert!(officials.body.contains("data-autorun=\"true\""));
    assert!(
        officials.body.contains("org:holds"),
        "the editor holds the example"
    );
    let script = send(seeds_app(), get("/assets/app.js", None)).await;
    assert!(script.content_type.starts_with("text/javascript"));
    assert!(script.body.contains("fetch(\"/sparql\""));
    let style = send(seeds_app(), get("/assets/style.css", None)).await;
    assert!(style.content_type.starts_with("text/css"));
    assert_eq!(
        send(seeds_app(), get("/?example=nope", None)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn cors_headers_only_when_asked() {
    let request = || {
        Request::get("/health")
            .header(header::ORIGIN, "http://elsewhere.example")
            .body(Body::empty())
            .expect("request")
    };
    let closed = send(seeds_app(), request()).await;
    assert!(closed
        .headers
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    let open = send(
        app(state_with(ServeOptions {
            cors: true,
            ..ServeOptions::default()
        })),
        request(),
    )
    .await;
    assert_eq!(
        open.headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().expect("ascii")),
        Some("*")
    );
    let preflight = send(
        app(state_with(ServeOptions {
            cors: true,
            ..ServeOptions::default()
        })),
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/sparql")
            .header(header::ORIGIN, "http://elsewhere.example")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(preflight.status.is_success());
}

/// One HTTP/1.1 exchange over a real socket: gives the status code and the body.
fn exchange(address: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_string();
    (status, body)
}

fn http_get(address: SocketAddr, target: &str) -> (u16, String) {
    exchange(
        address,
        &format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
}

/// Serves `state` on a free loopback port in the background; gives the address.
async fn serve_in_background(state: &AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(dealgraph::serve::serve(
        listener,
        state.clone(),
        std::future::pending(),
    ));
    address
}

/// Sends a query whose full evaluation takes hours (a cross product counted) and waits until it
/// runs; the handle gives its answer.
async fn start_a_slow_query(
    address: SocketAddr,
    state: &AppState,
) -> tokio::task::JoinHandle<(u16, String)> {
    let heavy = format!(
        "/sparql?query={}",
        encode("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    );
    let started = Instant::now();
    let slow = tokio::task::spawn_blocking(move || http_get(address, &heavy));
    while state.running_queries() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the query starts"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    slow
}

/// Waits until no query runs: a cancelled query stops at its next read, well within 20 s.
async fn wait_until_no_query_runs(state: &AppState) {
    let waited = Instant::now();
    while state.running_queries() > 0 {
        assert!(
            waited.elapsed() < Duration::from_secs(20),
            "the query was cancelled, not left running (a full evaluation takes hours)"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_query_is_cancelled_with_503_while_health_answers() {
    let state = state_with(ServeOptions {
        timeout: Duration::from_secs(1),
        ..ServeOptions::default()
    });
    let address = serve_in_background(&state).await;
    let slow = start_a_slow_query(address, &state).await;
    let health_started = Instant::now();
    let (status, body) = tokio::task::spawn_blocking(move || http_get(address, "/health"))
        .await
        .expect("health");
    assert_eq!(status, 200);
    assert!(body.contains("\"running_queries\":1"), "{body}");
    assert!(
        health_started.elapsed() < Duration::from_millis(900),
        "health waits for no query"
    );

    let (status, body) = slow.await.expect("slow query");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("1 s limit"), "{body}");
    wait_until_no_query_runs(&state).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_beyond_the_query_threads_wait_their_turn_under_the_same_deadline() {
    let state = state_with(ServeOptions {
        timeout: Duration::from_secs(2),
        query_threads: 1,
        ..ServeOptions::default()
    });
    let address = serve_in_background(&state).await;
    let slow = start_a_slow_query(address, &state).await;
    // A query that takes a millisecond once it runs: it waits for the one query thread.
    let light = format!("/sparql?query={}", encode("ASK { ?s ?p ?o }"));
    let waiting = tokio::task::spawn_blocking(move || http_get(address, &light));
    let watched = Instant::now();
    while watched.elapsed() < Duration::from_millis(500) {
        assert_eq!(state.running_queries(), 1, "one query thread, one query");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!waiting.is_finished(), "the second query waits its turn");
    let (status, body) = tokio::task::spawn_blocking(move || http_get(address, "/health"))
        .await
        .expect("health");
    assert_eq!(status, 200, "health needs no query thread: {body}");

    let (status, body) = slow.await.expect("slow query");
    assert_eq!(status, 503, "{body}");
    // The second query's deadline ran while it waited: it ran after the first was cancelled, or
    // its own time ran out in the queue.
    let (status, body) = waiting.await.expect("waiting query");
    assert!(
        (status == 200 && body.contains("true")) || (status == 503 && body.contains("2 s limit")),
        "{status} {body}"
    );
    wait_until_no_query_runs(&state).await;
    let again = format!("/sparql?query={}", encode("ASK { ?s ?p ?o }"));
    let (status, body) = tokio::task::spawn_blocking(move || http_get(address, &again))
        .await
        .expect("after");
    assert_eq!(status, 200, "the thread is free again: {body}");
}

#[test]
fn the_binary_serves_a_built_store_read_only() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("graph.db");
    let store_arg = store.to_str().expect("utf-8 path");
    let built = common::dealgraph(directory.path(), &["build", "--store", store_arg]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let server = common::Server::start(&["--store", store_arg]);
    let (status, body) = http_get(
        server.address,
        &format!("/sparql?query={}", encode(COUNT_ALL)),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(count_of(&body), seeds_quads().len());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the query text, Accept header and format parameter, the server answers with a
    /// status it chose (never a 5xx) and never panics.
    #[test]
    fn untrusted_query_parameters_never_give_a_server_error(
        query in "\\PC{0,80}",
        accept in "[a-z*/+;=.0-9, -]{0,40}",
        format in proptest::option::of("[a-z/+-]{0,12}"),
    ) {
        static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
        let runtime = RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().expect("runtime"));
        let mut uri = format!("/sparql?query={}", encode(&query));
        if let Some(format) = &format {
            uri.push_str(&format!("&format={}", encode(format)));
        }
        let answer = runtime.block_on(send(seeds_app(), get(&uri, Some(&accept))));
        proptest::prop_assert!(!answer.status.is_server_error(), "{uri} {accept}: {}", answer.body);
        let page = runtime.block_on(send(seeds_app(), get(&format!("/resource?iri={}", encode(&query)), Some(&accept))));
        proptest::prop_assert!(!page.status.is_server_error(), "{query:?}: {}", page.body);
    }
}

#[test]
fn the_binary_serves_and_stops_cleanly_on_sigterm() {
    let mut server = common::Server::start(&["--timeout-s", "5"]);
    let (status, body) = http_get(server.address, "/health");
    assert_eq!(status, 200, "{body}");
    let (status, body) = http_get(
        server.address,
        &format!("/sparql?query={}", encode("ASK { ?a a dg:Agreement }")),
    );
    assert_eq!(status, 200);
    assert!(body.contains("true"));
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = Instant::now();
    loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            assert!(exit.success(), "a clean exit on SIGTERM: {exit}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the server stops on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_graph_picture_is_svg_linking_to_resource_pages() {
    let whole = send(seeds_app(), get("/graph.svg", None)).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
    assert_eq!(whole.content_type, "image/svg+xml");
    assert!(whole.body.contains("<svg"));
    assert!(
        whole.body.contains("xlink:href=\"/id/country/kosovo\""),
        "nodes link to pages"
    );
    assert!(whole.body.contains("target=\"_top\""));

    let focus = send(seeds_app(), get("/graph.svg?focus=Denmark&depth=1", None)).await;
    assert_eq!(focus.status, StatusCode::OK, "{}", focus.body);
    assert!(focus.body.contains("Agreement between Denmark and Kosovo"));
    assert!(
        !focus.body.contains("El Salvador"),
        "only the neighbourhood"
    );

    let unknown = send(seeds_app(), get("/graph.svg?focus=Atlantis", None)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("no entity is called \"Atlantis\""));
    let bad = send(seeds_app(), get("/graph.svg?depth=two", None)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad_type = send(seeds_app(), get("/graph.svg?types=planet", None)).await;
    assert_eq!(bad_type.status, StatusCode::BAD_REQUEST);
    assert!(bad_type.body.contains("unknown type \"planet\""));
}

#[tokio::test]
async fn the_graph_picture_reads_a_current_snapshot_of_an_on_disk_store_and_writes_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let directory = dir.path().join("store");
    let writer = Store::open(&directory).expect("store");
    dealgraph::store::load(&writer, seeds_quads().clone()).expect("load");
    drop(writer);
    // A session that writes nothing leaves no data in the logs.
    drop(Store::open(&directory).expect("store"));
    let snapshot_file = directory.join(snapshot::FILE_NAME);
    let minter = Minter::new(DEFAULT_BASE).expect("base");
    let options = || ServeOptions {
        store_directory: Some(directory.clone()),
        ..ServeOptions::default()
    };
    let focus = || get("/graph.svg?focus=Denmark&depth=1", None);

    let reader = Store::open_read_only(&directory).expect("read-only store");
    let served = send(app(AppState::new(reader, &minter, options())), focus()).await;
    assert_eq!(served.status, StatusCode::OK, "{}", served.body);
    assert!(!snapshot_file.exists(), "the server writes no snapshot");

    let reader = Store::open_read_only(&directory).expect("read-only store");
    dealgraph::graph::read(&reader, Some(&directory), Content::default(), Keep::Write)
        .expect("graph");
    assert!(snapshot_file.is_file());
    // A server whose store holds nothing draws the snapshot's graph: it reads through it.
    let empty = Store::new().expect("store");
    let drawn = send(app(AppState::new(empty, &minter, options())), focus()).await;
    assert_eq!(drawn.status, StatusCode::OK, "{}", drawn.body);
    assert!(drawn.body.contains("Agreement between Denmark and Kosovo"));
}

#[tokio::test]
async fn the_graph_picture_without_graphviz_is_503_with_the_install_hint() {
    let router = app(state_with(ServeOptions {
        graphviz: "/nonexistent/graphviz/dot".into(),
        ..ServeOptions::default()
    }));
    let answer = send(router, get("/graph.svg?focus=Kosovo", None)).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer.body.contains("apt-get install graphviz"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn the_query_page_and_entity_pages_show_the_picture() {
    let index = send(seeds_app(), get("/", Some("text/html"))).await;
    assert!(index.body.contains("data=\"/graph.svg\""));
    let page = send(seeds_app(), get("/id/country/kosovo", Some("text/html"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(
            "data=\"/graph.svg?focus=https%3A%2F%2Fdealgraph.example%2Fid%2Fcountry%2Fkosovo&amp;depth=1\""
        ),
        "{}",
        page.body
    );
    let article = send(
        seeds_app(),
        get(
            "/resource?iri=https%3A%2F%2Fdealgraph.example%2Fid%2Fdoc%2Fseeds%2F000_5821b829e4867404.txt",
            Some("text/html"),
        ),
    )
    .await;
    assert_eq!(article.status, StatusCode::OK);
    assert!(
        !article.body.contains("graph.svg"),
        "no picture for an article"
    );
}

/// The declarations of `selector` in a style sheet, property to value.
fn css_rule(sheet: &str, selector: &str) -> std::collections::HashMap<String, String> {
    sheet
        .split('}')
        .filter_map(|rule| rule.split_once('{'))
        .filter(|(selectors, _)| selectors.split(',').any(|s| s.trim() == selector))
        .flat_map(|(_, body)| body.split(';'))
        .filter_map(|declaration| {
            let (property, value) = declaration.split_once(':')?;
            Some((property.trim().to_string(), value.trim().to_string()))
        })
        .collect()
}

/// WCAG 2 relative luminance of a `#rrggbb` or `#rgb` colour.
fn luminance(colour: &str) -> f64 {
    let hex = colour.trim_start_matches('#');
    let hex: String = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.to_string()
    };
    let channel = |i: usize| {
        let value = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        if value <= 0.039_28 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[tokio::test]
async fn code_in_the_header_is_readable() {
    let style = send(seeds_app(), get("/assets/style.css", None)).await.body;
    let page = send(seeds_app(), get("/", None)).await.body;
    let header =
        &page[page.find("<header").expect("a header")..page.find("</header>").expect("end")];
    assert!(header.contains("<code>"), "the header shows paths as code");
    let header_rule = css_rule(&style, "header");
    let code_rule = css_rule(&style, "code");
    let header_code = css_rule(&style, "header code");
    // What applies to code inside the header: its own rule, else code's, else inherited.
    let background = header_code
        .get("background")
        .or_else(|| code_rule.get("background"))
        .expect("a background");
    let colour = header_code
        .get("color")
        .or_else(|| code_rule.get("color"))
        .or_else(|| header_rule.get("color"))
        .expect("a colour");
    let ratio = contrast(colour, background);
    assert!(
        ratio >= 4.5,
        "{colour} on {background}: contrast {ratio:.2} (WCAG AA needs 4.5)"
    );
}

#[tokio::test]
async fn every_dealgraph_term_the_graph_uses_has_a_page_with_its_definition() {
    let used = common::select(
        &seeds_store(),
        "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } \
         FILTER(STRSTARTS(STR(?term), STR(dg:))) } ORDER BY ?term",
    );
    assert!(used.len() > 15, "{used:?}");
    for row in used {
        let iri = row[0].trim_matches(['<', '>']);
        let page = send(
            seeds_app(),
            get(&format!("/resource?iri={}", encode(iri)), None),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{iri}");
        assert!(page.body.contains("rdfs:comment"), "{iri}: its definition");
        let turtle = send(
            seeds_app(),
            get(
                &format!("/resource?iri={}", encode(iri)),
                Some("text/turtle"),
            ),
        )
        .await;
        assert_eq!(turtle.status, StatusCode::OK, "{iri}");
        assert!(turtle.body.contains("label"), "{iri}: {}", turtle.body);
    }
}
