//! The SPARQL 1.1 Protocol, query operation: reads the query and its dataset from a GET query
//! string, a direct POST (`application/sparql-query`) or a form POST
//! (`application/x-www-form-urlencoded`), negotiates the answer's format, evaluates on the blocking
//! pool and sends the results. Without a query, GET answers the service description. Updates are
//! refused: the endpoint is read-only.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, Triple};

use crate::export::write_triples;
use crate::query::{self, Dataset, OutputFormat, QueryForm};

use super::error::HttpError;
use super::negotiation::{self, content_type, Representation};
use super::AppState;

const READ_ONLY: &str = "SPARQL updates are refused: this endpoint is read-only";

/// The parameters of a protocol request, from the query string and a form body.
#[derive(Debug, Default)]
struct Parameters {
    queries: Vec<String>,
    updates: usize,
    dataset: Dataset,
    format: Option<String>,
}

impl Parameters {
    fn read(&mut self, encoded: &[u8]) -> Result<(), HttpError> {
        for (name, value) in form_urlencoded::parse(encoded) {
            match name.as_ref() {
                "query" => self.queries.push(value.into_owned()),
                "update" => self.updates += 1,
                "default-graph-uri" => self.dataset.default_graphs.push(graph_iri(&value)?),
                "named-graph-uri" => self.dataset.named_graphs.push(graph_iri(&value)?),
                "format" => self.format = Some(value.into_owned()),
                _ => {}
            }
        }
        Ok(())
    }

    fn from_query_string(raw: Option<&str>) -> Result<Self, HttpError> {
        let mut parameters = Self::default();
        parameters.read(raw.unwrap_or_default().as_bytes())?;
        Ok(parameters)
    }

    /// The one query of the request.
    fn query(&mut self) -> Result<Option<String>, HttpError> {
        if self.updates > 0 {
            return Err(HttpError::Forbidden(READ_ONLY.into()));
        }
        match self.queries.len() {
            0 | 1 => Ok(self.queries.pop()),
            n => Err(HttpError::BadRequest(format!(
                "the request gives {n} queries; give exactly one `query` parameter"
            ))),
        }
    }
}

fn graph_iri(value: &str) -> Result<NamedNode, HttpError> {
    NamedNode::new(value)
        .map_err(|error| HttpError::BadRequest(format!("invalid graph IRI <{value}>: {error}")))
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// `GET /sparql?query=…`, or the service description without a query.
pub async fn get(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let mut parameters = Parameters::from_query_string(raw.as_deref())?;
    match parameters.query()? {
        Some(text) => answer(&state, &headers, &text, parameters).await,
        None => service_description(&headers, parameters.format.as_deref()),
    }
}

/// `POST /sparql` with a direct or form-encoded query.
pub async fn post(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::PayloadTooLarge(state.shared.options.max_body_bytes)
        } else {
            HttpError::BadRequest(rejection.body_text())
        }
    })?;
    let mut parameters = Parameters::from_query_string(raw.as_deref())?;
    let (media_type, charset) =
        content_type(header_text(&headers, header::CONTENT_TYPE).unwrap_or(""));
    if let Some(charset) = charset.filter(|charset| charset != "utf-8") {
        return Err(HttpError::UnsupportedMediaType(format!(
            "charset {charset} is not supported: send the request in UTF-8"
        )));
    }
    match media_type.as_str() {
        "application/sparql-query" => {
            let text = String::from_utf8(body.to_vec()).map_err(|_| {
                HttpError::BadRequest("the query is not valid UTF-8".into())
            })?;
            if parameters.updates > 0 || !parameters.queries.is_empty() {
                return Err(HttpError::BadRequest(
                    "a direct POST carries its query in the body, not in a `query` parameter".into(),
                ));
            }
            answer(&state, &headers, &text, parameters).await
        }
        "application/x-www-form-urlencoded" => {
            parameters.read(&body)?;
            match parameters.query()? {
                Some(text) => answer(&state, &headers, &text, parameters).await,
                None => Err(HttpError::BadRequest(
                    "the form has no `query` parameter".into(),
                )),
            }
        }
        "application/sparql-update" => Err(HttpError::Forbidden(READ_ONLY.into())),
        "" => Err(HttpError::UnsupportedMediaType(
            "the request has no Content-Type: send application/sparql-query or application/x-www-form-urlencoded".into(),
        )),
        other => Err(HttpError::UnsupportedMediaType(format!(
            "Content-Type {other} is not read here: send application/sparql-query or application/x-www-form-urlencoded"
        ))),
    }
}

/// The endpoint's IRI as the client named it (the base IRI of queries, the service's name).
fn endpoint_iri(headers: &HeaderMap) -> String {
    let host = header_text(headers, header::HOST).unwrap_or("localhost");
    format!("http://{host}/sparql")
}

/// Parses, negotiates, evaluates off the async threads and sends the answer.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    text: &str,
    parameters: Parameters,
) -> Result<Response, HttpError> {
    let parsed = query::parse(text, Some(&endpoint_iri(headers)))?;
    let offers = if QueryForm::of(&parsed).gives_graph() {
        negotiation::GRAPHS
    } else {
        negotiation::RESULTS
    };
    let offer = negotiation::choose(
        parameters.format.as_deref(),
        header_text(headers, header::ACCEPT),
        offers,
    )?;
    let Representation::Sparql(format) = offer.representation else {
        return Err(HttpError::Internal("an HTML offer for a query".into()));
    };
    let dataset = parameters.dataset;
    let body = state
        .run_blocking(move |store, cancellation| {
            let mut body = Vec::new();
            query::run_to_writer(store, parsed, &dataset, cancellation, format, &mut body)?;
            Ok(body)
        })
        .await?;
    Ok(negotiated(offer.media_type, body))
}

/// A response whose format was negotiated.
pub fn negotiated(media_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::VARY, HeaderValue::from_static("Accept")),
        ],
        body,
    )
        .into_response()
}

/// The SPARQL 1.1 Service Description of this endpoint, named by the Host the client used.
fn service_description(headers: &HeaderMap, format: Option<&str>) -> Result<Response, HttpError> {
    let offer = negotiation::choose(
        format,
        header_text(headers, header::ACCEPT),
        negotiation::GRAPHS,
    )?;
    let Representation::Sparql(OutputFormat::Graph(graph)) = offer.representation else {
        return Err(HttpError::Internal(
            "a non-RDF offer for the service description".into(),
        ));
    };
    let endpoint = NamedNode::new(endpoint_iri(headers))
        .map_err(|_| HttpError::BadRequest("invalid Host header".into()))?;
    let dataset = NamedNode::new_unchecked(format!("{}#dataset", endpoint.as_str()));
    let sd = |local: &str| {
        NamedNode::new_unchecked(format!(
            "http://www.w3.org/ns/sparql-service-description#{local}"
        ))
    };
    let formats =
        |local: &str| NamedNode::new_unchecked(format!("http://www.w3.org/ns/formats/{local}"));
    let mut triples = vec![
        Triple::new(endpoint.clone(), rdf::TYPE, sd("Service")),
        Triple::new(endpoint.clone(), sd("endpoint"), endpoint.clone()),
        Triple::new(
            endpoint.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(endpoint.clone(), sd("feature"), sd("UnionDefaultGraph")),
        Triple::new(endpoint.clone(), sd("defaultDataset"), dataset.clone()),
        Triple::new(dataset, rdf::TYPE, sd("Dataset")),
    ];
    for local in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "N-Quads",
        "TriG",
        "JSON-LD",
        "RDF_XML",
    ] {
        triples.push(Triple::new(
            endpoint.clone(),
            sd("resultFormat"),
            formats(local),
        ));
    }
    let mut body = Vec::new();
    write_triples(&triples, graph, &mut body)
        .map_err(|error| HttpError::Internal(format!("service description: {error}")))?;
    Ok(negotiated(offer.media_type, body))
}
