//! Finding an entity by what a person types: its IRI, or its label or one of its aliases compared
//! as curation rules compare names (case and accents folded, a leading "the" dropped). A name that
//! fits several entities, or none, is an error that lists the candidates.

use petgraph::graph::NodeIndex;

use super::{EntityGraph, GraphError, Node};
use crate::eval::normalise;

/// The most candidates an error lists.
const MAX_CANDIDATES: usize = 10;

/// The node `name` stands for: the node of that IRI, else the one node whose label or alias is
/// `name` once folded.
pub fn find(graph: &EntityGraph, name: &str) -> Result<NodeIndex, GraphError> {
    if let Some(index) = graph.node_of(name.trim()) {
        return Ok(index);
    }
    let wanted = normalise(name);
    let named = |node: &Node| {
        std::iter::once(&node.label)
            .chain(&node.aliases)
            .any(|form| normalise(form) == wanted)
    };
    let matches: Vec<NodeIndex> = graph
        .graph
        .node_indices()
        .filter(|&index| named(&graph.graph[index]))
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let containing = |node: &Node| {
                !wanted.is_empty()
                    && std::iter::once(&node.label)
                        .chain(&node.aliases)
                        .any(|form| normalise(form).contains(&wanted))
            };
            let candidates = graph
                .graph
                .node_weights()
                .filter(|node| containing(node))
                .take(MAX_CANDIDATES)
                .map(describe)
                .collect();
            Err(GraphError::UnknownEntity {
                name: name.to_string(),
                candidates,
            })
        }
        several => Err(GraphError::AmbiguousEntity {
            name: name.to_string(),
            candidates: several
                .iter()
                .take(MAX_CANDIDATES)
                .map(|&index| describe(&graph.graph[index]))
                .collect(),
        }),
    }
}

/// A node as a candidate: `label (kind) <IRI>`.
fn describe(node: &Node) -> String {
    format!("{} ({}) <{}>", node.label, node.kind, node.iri)
}
