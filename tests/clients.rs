//! Clients not written here against the `dealgraph serve` binary: Python's SPARQLWrapper (pinned in
//! `tests/python/requirements.txt`) and the query and resource pages in headless Chromium (Debian's
//! `chromium`, installed by `.ci/setup`).

mod common;

use std::path::Path;
use std::process::Command;

use common::{python, Server};

#[test]
fn sparqlwrapper_queries_the_endpoint() {
    let server = Server::start(&[]);
    let output = python(
        "sparql_client.py",
        &[&format!("http://{}/sparql", server.address)],
    );
    assert_eq!(
        output
            .lines()
            .filter(|line| line.starts_with("ok: "))
            .count(),
        8,
        "{output}"
    );
}

/// The DOM of `url` after its scripts ran, from headless Chromium.
fn rendered_dom(url: &str, profile: &Path) -> String {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .expect("chromium runs (.ci/setup installs Debian's chromium)");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_pages_in_headless_chromium_show_rows_and_a_source_sentence() {
    let server = Server::start(&[]);
    let profile = tempfile::tempdir().expect("profile folder");

    let page = rendered_dom(
        &format!("http://{}/?example=officials", server.address),
        profile.path(),
    );
    assert!(page.contains("<table class=\"results\">"), "{page}");
    assert!(
        page.contains("7 rows"),
        "the example's seven rows are shown: {page}"
    );
    assert!(page.contains("<td>Peter Hummelgaard</td>"), "{page}");
    assert!(
        page.contains("results.csv"),
        "downloads are offered: {page}"
    );

    let iris = rendered_dom(
        &format!(
            "http://{}/?query={}",
            server.address,
            form_urlencoded::byte_serialize(
                b"SELECT ?country WHERE { ?country dg:iso3166Alpha2 \"XK\" }"
            )
            .collect::<String>()
        ),
        profile.path(),
    );
    assert!(
        iris.contains("<a href=\"/id/country/kosovo\""),
        "IRIs in the table link to their pages: {iris}"
    );

    let entity = rendered_dom(
        &format!("http://{}/id/person/peter-hummelgaard", server.address),
        profile.path(),
    );
    assert!(entity.contains("<h1>Peter Hummelgaard</h1>"), "{entity}");
    assert!(
        entity.contains("they should not serve their time here"),
        "the claim's source sentence: {entity}"
    );
}

#[test]
fn the_readme_curl_examples_work() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let serving = readme
        .split("## Serving")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Serving section");
    let commands: Vec<&str> = serving
        .lines()
        .filter(|line| line.starts_with("curl "))
        .collect();
    assert_eq!(commands.len(), 5, "{serving}");
    let server = Server::start(&[]);
    for command in commands {
        let command = command.replace("127.0.0.1:7878", &server.address.to_string());
        let output = Command::new("sh")
            .args(["-c", &command])
            .output()
            .expect("sh and curl run (.ci/setup installs curl)");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && !stdout.trim().is_empty(),
            "{command}\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            ["Peter Hummelgaard", "XKX", "Kosovo", "\"status\":\"ok\""]
                .iter()
                .any(|expected| stdout.contains(expected)),
            "{command}\n{stdout}"
        );
    }
}

#[test]
fn the_server_survives_a_short_soak_with_faults_and_stops_cleanly() {
    let output = Command::new("python3")
        .arg(common::root().join("tools/soak_serve.py"))
        .args([
            "--dealgraph",
            env!("CARGO_BIN_EXE_dealgraph"),
            "--requests",
            "3000",
            "--workers",
            "8",
            "--slow-clients",
            "4",
            "--slow-seconds",
            "15",
            "--report-every",
            "1000",
            "--burst",
            "8",
        ])
        .output()
        .expect("python3 runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        printed.contains("soak: 3,000 requests answered as they should be, 0 failures"),
        "{printed}"
    );
    assert!(printed.contains("answered 200, exit code 0"), "{printed}");
}
