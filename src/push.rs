//! Push: sends the store's graphs to another triplestore over HTTP, one request per named graph.
//!
//! Each named graph (every article's, the entities graph, the provenance graph) is sent with the SPARQL
//! 1.1 Graph Store HTTP Protocol: `PUT` of its N-Triples to the endpoint with `?graph=IRI`, which
//! replaces the graph on the server. When the server refuses that (405, 501, 404, 415) and an update
//! endpoint is given, the graph is sent as a SPARQL 1.1 Update (`DROP SILENT GRAPH` then `INSERT DATA`)
//! instead. Connection failures, 408, 429 and 5xx answers are retried with a doubling pause. HTTP Basic
//! and Digest authentication (RFC 7616, MD5, `qop=auth`, as Virtuoso asks) are answered when the server
//! challenges. This module only reads the store; only it and `serve` know HTTP.

use std::time::Duration;

use md5::{Digest, Md5};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedOrBlankNode};
use oxigraph::store::{StorageError, Store};

/// Triples per `INSERT DATA` request when a graph is sent as SPARQL Update.
const UPDATE_CHUNK_TRIPLES: usize = 500;

/// Where and how to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Graph Store Protocol endpoint (graphs are named with `?graph=IRI`, or `graph_parameter`).
    pub endpoint: String,
    /// The query parameter naming the graph (`graph` in the standard; Virtuoso also reads `graph-uri`).
    pub graph_parameter: String,
    /// A SPARQL Update endpoint to fall back on when the server does not take `PUT`.
    pub update_endpoint: Option<String>,
    /// User and password, for servers that ask (Basic or Digest).
    pub credentials: Option<(String, String)>,
    /// How many times a transient failure is retried.
    pub retries: u32,
    /// The first pause before a retry (doubled each time).
    pub pause: Duration,
}

/// What a push sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Graphs replaced with `PUT`.
    pub graphs_put: usize,
    /// Graphs sent as SPARQL Update.
    pub graphs_updated: usize,
    /// Triples sent.
    pub triples: usize,
    /// Bytes of N-Triples sent.
    pub bytes: usize,
    /// Requests that were retried.
    pub retried: usize,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The store could not be read.
    #[error("store: {0}")]
    Storage(#[from] StorageError),
    /// The server answered with an error that is not worth retrying (or retries ran out).
    #[error("{url}: HTTP {status}: {body}")]
    Refused {
        /// The request's URL.
        url: String,
        /// The status code.
        status: u16,
        /// The start of the server's answer.
        body: String,
    },
    /// The server could not be reached (after the retries).
    #[error("{url}: {message}")]
    Unreachable {
        /// The request's URL.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// Pushes every named graph of `store`, reporting each graph on `progress` as it is sent.
pub fn push(
    store: &Store,
    options: &PushOptions,
    mut progress: impl FnMut(&str, usize),
) -> Result<PushReport, PushError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into();
    let mut client = Client {
        agent,
        options,
        challenge: None,
        count: 0,
        report: PushReport::default(),
    };
    for graph in store.named_graphs() {
        let NamedOrBlankNode::NamedNode(graph) = graph? else {
            continue;
        };
        if client.options.credentials.is_some() && client.challenge.is_none() {
            client.authenticate(graph.as_str())?;
        }
        let mut body = Vec::new();
        store
            .dump_graph_to_writer(
                GraphNameRef::NamedNode(graph.as_ref()),
                RdfFormat::NTriples,
                &mut body,
            )
            .map_err(|error| PushError::Unreachable {
                url: graph.as_str().to_string(),
                message: format!("cannot serialise the graph: {error}"),
            })?;
        let triples = body.iter().filter(|&&b| b == b'\n').count();
        client.send_graph(graph.as_str(), body)?;
        client.report.triples += triples;
        progress(graph.as_str(), triples);
    }
    Ok(client.report)
}

/// The parts of a server's `WWW-Authenticate: Digest` challenge that are needed to answer it.
#[derive(Debug, Clone)]
struct DigestChallenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    qop_auth: bool,
}

/// One agent, the last challenge seen and the running report.
struct Client<'o> {
    agent: ureq::Agent,
    options: &'o PushOptions,
    challenge: Option<Challenge>,
    count: u32,
    report: PushReport,
}

#[derive(Debug, Clone)]
enum Challenge {
    Basic,
    Digest(DigestChallenge),
}

/// What a request turned out as.
struct Answer {
    status: u16,
    body: String,
}

impl Client<'_> {
    /// The endpoint's URL for one graph.
    fn graph_url(&self, graph: &str) -> String {
        let separator = if self.options.endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{}{separator}{}={}",
            self.options.endpoint,
            self.options.graph_parameter,
            form_urlencoded::byte_serialize(graph.as_bytes()).collect::<String>()
        )
    }

    /// Reads one graph (`GET`, which changes nothing) to learn how the server wants to be
    /// authenticated and to check the credentials before any graph is sent: a server that refuses
    /// them may close the connection in the middle of a large body.
    fn authenticate(&mut self, graph: &str) -> Result<(), PushError> {
        let url = self.graph_url(graph);
        let answer = self.request("GET", &url, "", &[])?;
        if answer.status == 401 {
            return Err(refused(&url, answer));
        }
        Ok(())
    }

    fn send_graph(&mut self, graph: &str, body: Vec<u8>) -> Result<(), PushError> {
        let url = self.graph_url(graph);
        let answer = self.request("PUT", &url, "application/n-triples", &body)?;
        if (200..300).contains(&answer.status) {
            self.report.graphs_put += 1;
            self.report.bytes += body.len();
            return Ok(());
        }
        let unsupported = matches!(answer.status, 404 | 405 | 415 | 501);
        match (&self.options.update_endpoint, unsupported) {
            (Some(update), true) => {
                let update = update.clone();
                // Servers bound the size of one update (Virtuoso: 10,000 lines of generated SQL),
                // so the graph is dropped, then inserted in chunks.
                let mut requests = vec![format!("DROP SILENT GRAPH <{graph}>").into_bytes()];
                let lines: Vec<&[u8]> = body.split_inclusive(|&b| b == b'\n').collect();
                for chunk in lines.chunks(UPDATE_CHUNK_TRIPLES) {
                    let mut text = format!("INSERT DATA {{ GRAPH <{graph}> {{\n").into_bytes();
                    for line in chunk {
                        text.extend_from_slice(line);
                    }
                    text.extend_from_slice(b"} }\n");
                    requests.push(text);
                }
                for text in requests {
                    let answer =
                        self.request("POST", &update, "application/sparql-update", &text)?;
                    if !(200..300).contains(&answer.status) {
                        return Err(refused(&update, answer));
                    }
                }
                self.report.graphs_updated += 1;
                self.report.bytes += body.len();
                Ok(())
            }
            _ => Err(refused(&url, answer)),
        }
    }

    /// Sends one request, answering an authentication challenge and retrying transient failures.
    fn request(
        &mut self,
        method: &str,
        url: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<Answer, PushError> {
        let mut pause = self.options.pause;
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(method, url, content_type, body);
            let transient = match &outcome {
                Ok(answer) => matches!(answer.status, 408 | 429 | 500..=599),
                Err(_) => true,
            };
            if !transient || attempt >= self.options.retries {
                return outcome;
            }
            attempt += 1;
            self.report.retried += 1;
            std::thread::sleep(pause);
            pause *= 2;
        }
    }

    /// One try: with the credentials the last challenge asked for, and once more if challenged now.
    fn attempt(
        &mut self,
        method: &str,
        url: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<Answer, PushError> {
        let first = self.send(method, url, content_type, body)?;
        if first.0.status != 401 || self.options.credentials.is_none() {
            return Ok(first.0);
        }
        let Some(challenge) = first.1.as_deref().and_then(parse_challenge) else {
            return Ok(first.0);
        };
        self.challenge = Some(challenge);
        Ok(self.send(method, url, content_type, body)?.0)
    }

    /// Sends the request as it stands; gives the answer and its `WWW-Authenticate` header.
    fn send(
        &mut self,
        method: &str,
        url: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<(Answer, Option<String>), PushError> {
        let unreachable = |error: ureq::Error| PushError::Unreachable {
            url: url.to_string(),
            message: error.to_string(),
        };
        let header = match (&self.challenge, &self.options.credentials) {
            (Some(challenge), Some((user, password))) => {
                self.count += 1;
                Some(authorization(
                    challenge, user, password, method, url, self.count,
                ))
            }
            _ => None,
        };
        let sent = if method == "GET" {
            let mut request = self.agent.get(url);
            if let Some(header) = header {
                request = request.header("Authorization", header);
            }
            request.call()
        } else {
            let mut request = match method {
                "PUT" => self.agent.put(url),
                _ => self.agent.post(url),
            }
            .header("Content-Type", content_type);
            if let Some(header) = header {
                request = request.header("Authorization", header);
            }
            request.send(body)
        };
        let mut response = sent.map_err(unreachable)?;
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("Digest"))
            .or_else(|| {
                response
                    .headers()
                    .get("www-authenticate")
                    .and_then(|value| value.to_str().ok())
            })
            .map(str::to_string);
        let text = response.body_mut().read_to_string().unwrap_or_default();
        Ok((
            Answer {
                status,
                body: text.chars().take(300).collect(),
            },
            challenge,
        ))
    }
}

fn refused(url: &str, answer: Answer) -> PushError {
    PushError::Refused {
        url: url.to_string(),
        status: answer.status,
        body: answer.body,
    }
}

/// Reads a `WWW-Authenticate` header: Digest (its realm, nonce, opaque and qop) or Basic.
fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let mut fields = std::collections::HashMap::new();
    let mut rest = rest.trim();
    while let Some((name, after)) = rest.split_once('=') {
        let name = name
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"')?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim(), &after[end..])
        };
        fields.insert(name, value.to_string());
        rest = remaining.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
    }
    Some(Challenge::Digest(DigestChallenge {
        realm: fields.get("realm")?.clone(),
        nonce: fields.get("nonce")?.clone(),
        opaque: fields.get("opaque").cloned(),
        qop_auth: fields
            .get("qop")
            .is_some_and(|qop| qop.split(',').any(|q| q.trim() == "auth")),
    }))
}

/// The `Authorization` header answering `challenge`.
fn authorization(
    challenge: &Challenge,
    user: &str,
    password: &str,
    method: &str,
    url: &str,
    count: u32,
) -> String {
    match challenge {
        Challenge::Basic => {
            let token = base64(format!("{user}:{password}").as_bytes());
            format!("Basic {token}")
        }
        Challenge::Digest(digest) => {
            let uri = url
                .find("://")
                .and_then(|start| {
                    url[start + 3..]
                        .find('/')
                        .map(|path| &url[start + 3 + path..])
                })
                .unwrap_or("/");
            let ha1 = md5_hex(&format!("{user}:{}:{password}", digest.realm));
            let ha2 = md5_hex(&format!("{method}:{uri}"));
            let nc = format!("{count:08x}");
            let cnonce = md5_hex(&format!("{count}:{}", std::process::id()))[..16].to_string();
            let (response, qop) = if digest.qop_auth {
                (
                    md5_hex(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", digest.nonce)),
                    format!(", qop=auth, nc={nc}, cnonce=\"{cnonce}\""),
                )
            } else {
                (
                    md5_hex(&format!("{ha1}:{}:{ha2}", digest.nonce)),
                    String::new(),
                )
            };
            let opaque = digest
                .opaque
                .as_ref()
                .map(|o| format!(", opaque=\"{o}\""))
                .unwrap_or_default();
            format!(
                "Digest username=\"{user}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", algorithm=MD5, response=\"{response}\"{qop}{opaque}",
                digest.realm, digest.nonce
            )
        }
    }
}

fn md5_hex(text: &str) -> String {
    crate::ingest::hex(&Md5::digest(text.as_bytes()))
}

/// Standard base64 with padding (for Basic authentication).
fn base64(bytes: &[u8]) -> String {
    use ::base64::Engine;
    ::base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_a_digest_challenge_as_rfc_2617_does() {
        // The worked example of RFC 2617, section 3.5.
        let challenge = parse_challenge(
            "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", \
             nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
        )
        .expect("a digest challenge");
        let Challenge::Digest(digest) = &challenge else {
            panic!("not digest: {challenge:?}");
        };
        assert!(digest.qop_auth);
        let ha1 = md5_hex("Mufasa:testrealm@host.com:Circle Of Life");
        let ha2 = md5_hex("GET:/dir/index.html");
        let response = md5_hex(&format!(
            "{ha1}:{}:00000001:0a4f113b:auth:{ha2}",
            digest.nonce
        ));
        assert_eq!(response, "6629fae49393a05397450978507c4ef1");
        let header = authorization(
            &challenge,
            "Mufasa",
            "Circle Of Life",
            "GET",
            "http://host.com/dir/index.html",
            1,
        );
        assert!(
            header.contains("uri=\"/dir/index.html\"") && header.contains("nc=00000001"),
            "{header}"
        );
    }

    #[test]
    fn encodes_basic_credentials() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert!(matches!(
            parse_challenge("Basic realm=\"x\""),
            Some(Challenge::Basic)
        ));
        assert!(parse_challenge("Bearer").is_none());
    }
}
