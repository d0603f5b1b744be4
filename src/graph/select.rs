//! Cutting a picture out of the graph: the kinds of node asked for and the relations enough articles
//! support, then the neighbourhood of a focus entity, then (unless asked to keep them) the nodes
//! left without relations. The result keeps the order of nodes and relations it was cut from.

use std::collections::{BTreeSet, VecDeque};

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use super::{EntityGraph, GraphError, NodeKind};

/// What to keep of a graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The IRI of the entity at the centre, if any; it is kept whatever its kind.
    pub focus: Option<String>,
    /// How many relations away from the focus to go (in either direction).
    pub depth: usize,
    /// The kinds of node to keep (all when `None`).
    pub kinds: Option<BTreeSet<NodeKind>>,
    /// Keep only relations at least this many articles state.
    pub min_sources: usize,
    /// Keep nodes left without any relation (the focus is always kept).
    pub isolated: bool,
}

impl Selection {
    /// The part of `graph` this selection keeps.
    pub fn apply(&self, graph: &EntityGraph) -> EntityGraph {
        let focus = self.focus.as_deref();
        let typed = graph.filtered(
            |_, node| {
                Some(node.iri.as_str()) == focus
                    || self
                        .kinds
                        .as_ref()
                        .is_none_or(|kinds| kinds.contains(&node.kind))
            },
            |relation| relation.sources.len() >= self.min_sources,
        );
        let near = match focus.and_then(|iri| typed.node_of(iri)) {
            Some(centre) => {
                let near = within(&typed, centre, self.depth);
                typed.filtered(|index, _| near.contains(&index), |_| true)
            }
            None => typed,
        };
        if self.isolated {
            return near;
        }
        near.filtered(
            |index, node| {
                Some(node.iri.as_str()) == focus
                    || near.graph.neighbors_undirected(index).next().is_some()
            },
            |_| true,
        )
    }
}

/// The nodes at most `depth` relations from `centre`, following relations either way.
fn within(graph: &EntityGraph, centre: NodeIndex, depth: usize) -> BTreeSet<NodeIndex> {
    let mut seen = BTreeSet::from([centre]);
    let mut queue = VecDeque::from([(centre, 0)]);
    while let Some((node, distance)) = queue.pop_front() {
        if distance == depth {
            continue;
        }
        for direction in [Direction::Outgoing, Direction::Incoming] {
            for next in graph.graph.neighbors_directed(node, direction) {
                if seen.insert(next) {
                    queue.push_back((next, distance + 1));
                }
            }
        }
    }
    seen
}

/// The kinds of a comma-separated list (`country,agreement`).
pub fn parse_kinds(list: &str) -> Result<BTreeSet<NodeKind>, GraphError> {
    list.split(',')
        .filter(|name| !name.trim().is_empty())
        .map(|name| {
            NodeKind::parse(name).ok_or_else(|| GraphError::UnknownKind(name.trim().to_string()))
        })
        .collect()
}
