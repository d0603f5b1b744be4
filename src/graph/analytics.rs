//! Graph analytics over an [`EntityGraph`], with relations taken in either direction: the shortest
//! chains of relations between two entities (breadth-first search, then every shortest chain up to
//! a limit, in IRI order), and a ranking of entities by PageRank with their degrees and connected
//! components (petgraph's union-find). Both run in time linear in the graph's size.

use std::collections::VecDeque;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::EntityGraph;

/// One step of a chain: two neighbouring entities and every relation between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Where the step starts.
    pub from: NodeIndex,
    /// Where it ends.
    pub to: NodeIndex,
    /// The relations between the two, either way, in graph order.
    pub relations: Vec<EdgeIndex>,
}

/// The distinct neighbours of every node, relations taken either way, sorted, without the node.
fn neighbours(graph: &EntityGraph) -> Vec<Vec<NodeIndex>> {
    let mut lists = vec![Vec::new(); graph.graph.node_count()];
    for edge in graph.graph.edge_references() {
        if edge.source() != edge.target() {
            lists[edge.source().index()].push(edge.target());
            lists[edge.target().index()].push(edge.source());
        }
    }
    for list in &mut lists {
        list.sort_unstable();
        list.dedup();
    }
    lists
}

/// The shortest chains of relations from `from` to `to` (at most `limit`, in the order of the IRIs
/// along them); empty when no chain joins them, one chain of no steps when they are the same.
pub fn shortest_chains(
    graph: &EntityGraph,
    from: NodeIndex,
    to: NodeIndex,
    limit: usize,
) -> Vec<Vec<Step>> {
    let adjacent = neighbours(graph);
    let mut distance = vec![usize::MAX; adjacent.len()];
    distance[from.index()] = 0;
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            break;
        }
        for &next in &adjacent[node.index()] {
            if distance[next.index()] == usize::MAX {
                distance[next.index()] = distance[node.index()] + 1;
                queue.push_back(next);
            }
        }
    }
    if distance[to.index()] == usize::MAX || limit == 0 {
        return Vec::new();
    }
    // Walk back from `to` through nodes one step nearer `from`, depth first.
    let mut chains = Vec::new();
    let mut path = vec![to];
    collect(&adjacent, &distance, &mut path, limit, &mut chains);
    chains
        .into_iter()
        .map(|nodes| {
            nodes
                .windows(2)
                .map(|pair| Step {
                    from: pair[0],
                    to: pair[1],
                    relations: between(graph, pair[0], pair[1]),
                })
                .collect()
        })
        .collect()
}

/// Extends `path` (from the target back towards the start) into whole chains, start first.
fn collect(
    adjacent: &[Vec<NodeIndex>],
    distance: &[usize],
    path: &mut Vec<NodeIndex>,
    limit: usize,
    chains: &mut Vec<Vec<NodeIndex>>,
) {
    let last = *path.last().expect("a path is never empty");
    if distance[last.index()] == 0 {
        chains.push(path.iter().rev().copied().collect());
        return;
    }
    for &previous in &adjacent[last.index()] {
        if chains.len() >= limit {
            return;
        }
        if distance[previous.index()] + 1 == distance[last.index()] {
            path.push(previous);
            collect(adjacent, distance, path, limit, chains);
            path.pop();
        }
    }
}

/// The relations between two nodes, either way.
fn between(graph: &EntityGraph, a: NodeIndex, b: NodeIndex) -> Vec<EdgeIndex> {
    let mut edges: Vec<EdgeIndex> = graph
        .graph
        .edges_directed(a, Direction::Outgoing)
        .filter(|edge| edge.target() == b)
        .chain(
            graph
                .graph
                .edges_directed(a, Direction::Incoming)
                .filter(|edge| edge.source() == b),
        )
        .map(|edge| edge.id())
        .collect();
    edges.sort_unstable();
    edges
}

/// The damping factor of PageRank.
pub const DAMPING: f64 = 0.85;
/// PageRank stops when an iteration changes the scores by less than this in total...
const TOLERANCE: f64 = 1e-12;
/// ...or after this many iterations.
const MAX_ITERATIONS: usize = 200;

/// One entity's place in the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The entity.
    pub node: NodeIndex,
    /// Its PageRank (the scores of all nodes sum to 1).
    pub score: f64,
    /// How many distinct entities it is related to.
    pub degree: usize,
    /// Its connected component, as a position in [`Ranking::components`].
    pub component: usize,
}

/// Entities by centrality, and the connected components.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Every node, highest score first (ties in IRI order).
    pub ranked: Vec<Ranked>,
    /// The connected components, largest first (ties by their first IRI), each in IRI order.
    pub components: Vec<Vec<NodeIndex>>,
}

/// Ranks every node by PageRank over the relations taken both ways (a random walk that follows a
/// relation with probability [`DAMPING`], else jumps anywhere; a node with no relation jumps
/// anywhere), and finds the connected components.
pub fn rank(graph: &EntityGraph) -> Ranking {
    let adjacent = neighbours(graph);
    let scores = page_rank(&adjacent);
    let count = adjacent.len();
    let mut union = UnionFind::<usize>::new(count);
    for edge in graph.graph.edge_references() {
        union.union(edge.source().index(), edge.target().index());
    }
    let labels = union.into_labeling();
    let mut members: Vec<Vec<NodeIndex>> = vec![Vec::new(); count];
    for (node, &root) in labels.iter().enumerate() {
        members[root].push(NodeIndex::new(node));
    }
    let mut components: Vec<Vec<NodeIndex>> = members
        .into_iter()
        .filter(|nodes| !nodes.is_empty())
        .collect();
    components.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut component_of = vec![0; count];
    for (position, nodes) in components.iter().enumerate() {
        for node in nodes {
            component_of[node.index()] = position;
        }
    }
    let mut ranked: Vec<Ranked> = (0..count)
        .map(|node| Ranked {
            node: NodeIndex::new(node),
            score: scores[node],
            degree: adjacent[node].len(),
            component: component_of[node],
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
    Ranking { ranked, components }
}

/// PageRank by power iteration over neighbour lists.
fn page_rank(adjacent: &[Vec<NodeIndex>]) -> Vec<f64> {
    let count = adjacent.len();
    if count == 0 {
        return Vec::new();
    }
    let share = 1.0 / count as f64;
    let mut scores = vec![share; count];
    let mut next = vec![0.0; count];
    for _ in 0..MAX_ITERATIONS {
        let stranded: f64 = adjacent
            .iter()
            .zip(&scores)
            .filter(|(list, _)| list.is_empty())
            .map(|(_, score)| score)
            .sum();
        let base = (1.0 - DAMPING) * share + DAMPING * stranded * share;
        next.fill(base);
        for (node, list) in adjacent.iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let passed = DAMPING * scores[node] / list.len() as f64;
            for neighbour in list {
                next[neighbour.index()] += passed;
            }
        }
        let change: f64 = scores.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut scores, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    scores
}
