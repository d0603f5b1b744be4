//! The read side of the SPARQL 1.1 Graph Store HTTP Protocol: `GET`/`HEAD /store?graph=IRI` gives
//! one named graph (an article's graph, the entities graph...), `/store?default` the default graph,
//! which here is the union of all graphs as in queries. A graph the store does not hold is a 404.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use oxigraph::model::{GraphNameRef, NamedNode, Triple};

use crate::export::write_triples;
use crate::query::OutputFormat;

use super::error::HttpError;
use super::negotiation::{self, Representation};
use super::protocol::negotiated;
use super::AppState;

/// Which graph a request names.
enum Target {
    Named(NamedNode),
    Default,
}

/// `GET /store?graph=IRI` or `GET /store?default`.
pub async fn get(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let mut target = None;
    let mut format = None;
    let mut count = 0;
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "graph" => {
                count += 1;
                target = Some(Target::Named(NamedNode::new(value.as_ref()).map_err(
                    |error| HttpError::BadRequest(format!("invalid graph IRI <{value}>: {error}")),
                )?));
            }
            "default" => {
                count += 1;
                target = Some(Target::Default);
            }
            "format" => format = Some(value.into_owned()),
            _ => {}
        }
    }
    let target = match (target, count) {
        (Some(target), 1) => target,
        _ => {
            return Err(HttpError::BadRequest(
                "name one graph: /store?graph=IRI or /store?default".into(),
            ))
        }
    };
    let offer = negotiation::choose(
        format.as_deref(),
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
        negotiation::GRAPHS,
    )?;
    let Representation::Sparql(OutputFormat::Graph(graph_format)) = offer.representation else {
        return Err(HttpError::Internal("a non-RDF offer for a graph".into()));
    };
    let body = state
        .run_blocking(move |store, cancellation| {
            let storage = |error: oxigraph::store::StorageError| {
                HttpError::Internal(format!("reading the store: {error}"))
            };
            let quads = match &target {
                Target::Named(graph) => {
                    if !store.contains_named_graph(graph).map_err(storage)? {
                        return Err(HttpError::GraphNotFound(graph.as_str().to_string()));
                    }
                    store.quads_for_pattern(None, None, None, Some(GraphNameRef::from(graph)))
                }
                Target::Default => store.iter(),
            };
            let mut triples = Vec::new();
            for quad in quads {
                if triples.len() % 4096 == 0 && cancellation.is_cancelled() {
                    return Err(HttpError::Unavailable("the download was cancelled".into()));
                }
                triples.push(Triple::from(quad.map_err(storage)?));
            }
            let mut body = Vec::new();
            write_triples(&triples, graph_format, &mut body)
                .map_err(|error| HttpError::Internal(format!("writing a graph: {error}")))?;
            Ok(body)
        })
        .await?;
    Ok(negotiated(offer.media_type, body))
}
