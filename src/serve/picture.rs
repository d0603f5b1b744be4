//! The picture of the graph: `GET /graph.svg?focus=ENTITY&depth=N&types=LIST&min-sources=N` draws
//! the graph (or the neighbourhood of an entity named by label, alias or IRI) as `dealgraph dot
//! --render svg` does, with nodes linking to their pages on this server. The entity graph is read
//! once, on the first request, as the commands read it (from a current snapshot of an on-disk
//! store, which the server never writes); Graphviz runs on a query thread under the query
//! deadline. Without Graphviz the answer is 503 with how to install it.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::graph::dot::{write_dot, DotOptions};
use crate::graph::render::{render, PictureFormat, RenderError};
use crate::graph::select::parse_kinds;
use crate::graph::{find, read, Content, EntityGraph, GraphError, Keep, NodeKind, Selection};

use super::error::HttpError;
use super::pages::href;
use super::AppState;

/// The most nodes drawn in one picture (Graphviz's layout time grows fast beyond).
pub const MAX_PICTURE_NODES: usize = 1_500;
/// How far from a focus the picture goes unless told.
const DEFAULT_DEPTH: usize = 2;

/// What a request asks to draw.
struct PictureRequest {
    focus: Option<String>,
    depth: usize,
    kinds: Option<BTreeSet<NodeKind>>,
    min_sources: usize,
}

fn parse(raw: Option<String>) -> Result<PictureRequest, HttpError> {
    let mut request = PictureRequest {
        focus: None,
        depth: DEFAULT_DEPTH,
        kinds: None,
        min_sources: 0,
    };
    let number = |name: &str, value: &str| {
        value.parse::<usize>().map_err(|_| {
            HttpError::BadRequest(format!("{name} must be a whole number, not {value:?}"))
        })
    };
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "focus" if !value.trim().is_empty() => request.focus = Some(value.into_owned()),
            "depth" => request.depth = number("depth", &value)?,
            "types" => request.kinds = Some(parse_kinds(&value).map_err(graph_error)?),
            "min-sources" => request.min_sources = number("min-sources", &value)?,
            _ => {}
        }
    }
    Ok(request)
}

/// `GET /graph.svg`: the picture, as SVG.
pub async fn graph_svg(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let request = parse(raw)?;
    let shared = state.clone();
    let svg = state
        .run_blocking(move |store, _| {
            let entities = shared.entity_graph(store)?;
            let focus = request
                .focus
                .map(|name| find(&entities, &name).map(|node| entities.graph[node].iri.clone()))
                .transpose()
                .map_err(graph_error)?;
            let selection = Selection {
                focus,
                depth: request.depth,
                kinds: request.kinds,
                min_sources: request.min_sources,
                isolated: false,
            };
            let picture = selection.apply(&entities);
            if picture.graph.node_count() > MAX_PICTURE_NODES {
                return Err(HttpError::BadRequest(format!(
                    "the picture would hold {} nodes (at most {MAX_PICTURE_NODES}): give a focus \
                     entity, a smaller depth, types or min-sources",
                    picture.graph.node_count()
                )));
            }
            let link =
                |node: &crate::graph::Node| (!node.is_blank()).then(|| href(&shared, &node.iri));
            let options = DotOptions {
                link: &link,
                target: Some("_top"),
            };
            let mut dot = Vec::new();
            write_dot(&picture, &options, &mut dot)
                .map_err(|error| HttpError::Internal(format!("writing DOT: {error}")))?;
            let program = shared.shared.options.graphviz.clone();
            match render(&program, &dot, PictureFormat::Svg) {
                Ok(picture) => Ok(picture.bytes),
                Err(error @ RenderError::Missing(_)) => {
                    Err(HttpError::Unavailable(error.to_string()))
                }
                Err(error) => Err(HttpError::Internal(error.to_string())),
            }
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

fn graph_error(error: GraphError) -> HttpError {
    match error {
        GraphError::UnknownEntity { .. } => HttpError::EntityNotFound(error.to_string()),
        GraphError::AmbiguousEntity { .. } | GraphError::UnknownKind(_) => {
            HttpError::BadRequest(error.to_string())
        }
        other => HttpError::Internal(other.to_string()),
    }
}

impl AppState {
    /// The entity graph of the store, read on first use (from the store's snapshot when current;
    /// the server never writes one) and kept.
    fn entity_graph(&self, store: &oxigraph::store::Store) -> Result<Arc<EntityGraph>, HttpError> {
        let mut cached = self
            .shared
            .entity_graph
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(graph) = cached.as_ref() {
            return Ok(Arc::clone(graph));
        }
        let directory = self.shared.options.store_directory.as_deref();
        let (graph, _) =
            read(store, directory, Content::default(), Keep::ReadOnly).map_err(graph_error)?;
        let graph = Arc::new(graph);
        *cached = Some(Arc::clone(&graph));
        Ok(graph)
    }
}
