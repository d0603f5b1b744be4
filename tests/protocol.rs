//! The W3C SPARQL 1.1 Protocol test cases (`tests/data/protocol/cases.json`, every entry of the
//! rdf-tests manifest `sparql/sparql11/protocol/manifest.ttl`) sent to the router in process, over
//! the manifest's graphs (`tests/data/protocol/dataset.trig`). A case runs unless it says why it is
//! skipped; the skipped update cases are still sent, and must be refused with 403.
//! `query_multiple_dataset` is skipped because its request, as written, cannot give true.

use axum::body::Body;
use axum::http::{header, Request};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::serve::{app, AppState, ServeOptions};
use http_body_util::BodyExt;
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;
use serde::Deserialize;
use tower::ServiceExt;

#[derive(Deserialize)]
struct Manifest {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    title: String,
    method: String,
    path: String,
    content_type: Option<String>,
    body: Option<String>,
    body_encoding: Option<String>,
    status: String,
    format: Option<String>,
    boolean: Option<bool>,
    skip: Option<String>,
}

/// The entries of the manifest, in its order.
const MANIFEST_ENTRIES: [&str; 34] = [
    "query_post_form",
    "query_dataset_default_graphs_get",
    "query_dataset_default_graphs_post",
    "query_dataset_named_graphs_post",
    "query_dataset_named_graphs_get",
    "query_dataset_full",
    "query_multiple_dataset",
    "query_get",
    "query_content_type_select",
    "query_content_type_ask",
    "query_content_type_describe",
    "query_content_type_construct",
    "update_dataset_default_graph",
    "update_dataset_default_graphs",
    "update_dataset_named_graphs",
    "update_dataset_full",
    "update_post_form",
    "update_post_direct",
    "update_base_uri",
    "query_post_direct",
    "bad_query_method",
    "bad_multiple_queries",
    "bad_query_wrong_media_type",
    "bad_query_missing_form_type",
    "bad_query_missing_direct_type",
    "bad_query_non_utf8",
    "bad_query_syntax",
    "bad_update_get",
    "bad_multiple_updates",
    "bad_update_wrong_media_type",
    "bad_update_missing_form_type",
    "bad_update_non_utf8",
    "bad_update_syntax",
    "bad_update_dataset_conflict",
];

fn body_bytes(case: &Case) -> Vec<u8> {
    let text = case.body.clone().unwrap_or_default();
    match case.body_encoding.as_deref() {
        Some("UTF-16") => {
            let mut bytes = vec![0xfe, 0xff];
            for unit in text.encode_utf16() {
                bytes.extend(unit.to_be_bytes());
            }
            bytes
        }
        _ => text.into_bytes(),
    }
}

/// Checks one answer against the case; gives what went wrong.
fn check(case: &Case, status: u16, content_type: &str, body: &str) -> Result<(), String> {
    let class_ok = match case.status.as_str() {
        "2xx" => (200..400).contains(&status),
        "4xx" => (400..500).contains(&status),
        other => return Err(format!("unknown expected status {other}")),
    };
    if !class_ok {
        return Err(format!("status {status}, expected {}: {body}", case.status));
    }
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    let results = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
    ];
    let allowed = match case.format.as_deref() {
        None => return Ok(()),
        Some("boolean") => results.contains(&media_type),
        Some("tabular") => {
            results.contains(&media_type)
                || ["text/csv", "text/tab-separated-values"].contains(&media_type)
        }
        Some("RDF") => RdfFormat::from_media_type(media_type).is_some(),
        Some(other) => return Err(format!("unknown expected format {other}")),
    };
    if !allowed {
        return Err(format!(
            "content type {content_type} is not a {:?} format",
            case.format
        ));
    }
    if let Some(expected) = case.boolean {
        let json = format!("\"boolean\":{expected}");
        let xml = format!("<boolean>{expected}</boolean>");
        if !body.contains(&json) && !body.contains(&xml) {
            return Err(format!("expected the boolean {expected}: {body}"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn w3c_sparql_protocol_cases() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/protocol");
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(root.join("cases.json")).expect("cases"))
            .expect("cases.json parses");
    let names: Vec<&str> = manifest
        .cases
        .iter()
        .map(|case| case.name.as_str())
        .collect();
    assert_eq!(
        names, MANIFEST_ENTRIES,
        "every manifest entry is listed, in order"
    );

    let store = Store::new().expect("store");
    store
        .load_from_reader(
            RdfFormat::TriG,
            std::fs::read(root.join("dataset.trig"))
                .expect("dataset")
                .as_slice(),
        )
        .expect("dataset loads");
    let minter = Minter::new(DEFAULT_BASE).expect("base");
    let router = app(AppState::new(store, &minter, ServeOptions::default()));

    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for case in &manifest.cases {
        let mut request = Request::builder()
            .method(case.method.as_str())
            .uri(case.path.as_str())
            .header(header::HOST, "www.example");
        if let Some(content_type) = &case.content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let request = request.body(Body::from(body_bytes(case))).expect("request");
        let response = router.clone().oneshot(request).await.expect("an answer");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = String::from_utf8_lossy(&body);
        match &case.skip {
            Some(reason) => {
                skipped += 1;
                println!("skip {}: {reason}", case.name);
                if reason.starts_with("updates") && status != 403 {
                    failures.push(format!(
                        "{} ({}): a read-only endpoint refuses the update with 403, got {status}: {body}",
                        case.name, case.title
                    ));
                }
            }
            None => match check(case, status, &content_type, &body) {
                Ok(()) => passed += 1,
                Err(problem) => failures.push(format!("{} ({}): {problem}", case.name, case.title)),
            },
        }
    }
    println!(
        "W3C SPARQL 1.1 Protocol: {passed} passed, {skipped} skipped, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(passed + skipped, MANIFEST_ENTRIES.len());
    assert_eq!(
        skipped, 8,
        "the 7 update cases and query_multiple_dataset are skipped"
    );
}
