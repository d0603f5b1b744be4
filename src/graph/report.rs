//! Writing the answers of [`analytics`](super::analytics) for people (aligned text) or programs
//! (JSON): the chains of `dealgraph path` with the articles behind each step, and the ranking and
//! components of `dealgraph rank`.

use std::io::{self, Write};

use petgraph::graph::NodeIndex;
use serde_json::{json, Value};

use super::analytics::{Ranking, Step};
use super::EntityGraph;

/// How an answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Readable text.
    Text,
    /// One JSON document.
    Json,
}

impl ReportFormat {
    /// `text` or `json`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// The most members of a component the text lists.
const LISTED_MEMBERS: usize = 8;
/// The most components the text lists.
const LISTED_COMPONENTS: usize = 20;

fn entity_json(graph: &EntityGraph, node: NodeIndex) -> Value {
    let node = &graph.graph[node];
    json!({ "iri": node.iri, "label": node.label, "type": node.kind })
}

/// Writes the chains between `from` and `to`.
pub fn write_chains(
    graph: &EntityGraph,
    from: NodeIndex,
    to: NodeIndex,
    chains: &[Vec<Step>],
    format: ReportFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            let chains: Vec<Value> = chains
                .iter()
                .map(|steps| {
                    let steps: Vec<Value> = steps
                        .iter()
                        .map(|step| {
                            let relations: Vec<Value> = step
                                .relations
                                .iter()
                                .map(|&edge| {
                                    let (source, target) =
                                        graph.graph.edge_endpoints(edge).expect("an edge");
                                    let relation = &graph.graph[edge];
                                    json!({
                                        "subject": graph.graph[source].iri,
                                        "label": relation.label,
                                        "predicate": relation.iri,
                                        "object": graph.graph[target].iri,
                                        "articles": graph.source_names(relation),
                                    })
                                })
                                .collect();
                            json!({
                                "from": entity_json(graph, step.from),
                                "to": entity_json(graph, step.to),
                                "relations": relations,
                            })
                        })
                        .collect();
                    json!({ "steps": steps })
                })
                .collect();
            let document = json!({
                "from": entity_json(graph, from),
                "to": entity_json(graph, to),
                "length": chains.first().map(|chain| chain["steps"].as_array().map_or(0, Vec::len)),
                "chains": chains,
            });
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        ReportFormat::Text => {
            let (start, end) = (&graph.graph[from].label, &graph.graph[to].label);
            let Some(first) = chains.first() else {
                return writeln!(out, "no chain of relations joins {start} and {end}");
            };
            writeln!(
                out,
                "{} shortest chain{} of {} step{} between {start} and {end}",
                chains.len(),
                if chains.len() == 1 { "" } else { "s" },
                first.len(),
                if first.len() == 1 { "" } else { "s" },
            )?;
            for (number, steps) in chains.iter().enumerate() {
                writeln!(out, "\nchain {}:", number + 1)?;
                for step in steps {
                    for &edge in &step.relations {
                        let (source, _) = graph.graph.edge_endpoints(edge).expect("an edge");
                        let relation = &graph.graph[edge];
                        let arrow = if source == step.from {
                            format!(
                                "{} -[{}]-> {}",
                                graph.graph[step.from].label,
                                relation.label,
                                graph.graph[step.to].label
                            )
                        } else {
                            format!(
                                "{} <-[{}]- {}",
                                graph.graph[step.from].label,
                                relation.label,
                                graph.graph[step.to].label
                            )
                        };
                        let articles = graph.source_names(relation);
                        if articles.is_empty() {
                            writeln!(out, "  {arrow}")?;
                        } else {
                            writeln!(out, "  {arrow}\n      according to {}", articles.join(", "))?;
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// Writes the `top` best-ranked entities (all with `None`) and the components.
pub fn write_ranking(
    graph: &EntityGraph,
    ranking: &Ranking,
    top: Option<usize>,
    format: ReportFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    let shown =
        &ranking.ranked[..top.map_or(ranking.ranked.len(), |top| top.min(ranking.ranked.len()))];
    match format {
        ReportFormat::Json => {
            let entities: Vec<Value> = shown
                .iter()
                .map(|ranked| {
                    let mut entity = entity_json(graph, ranked.node);
                    entity["pagerank"] = json!(ranked.score);
                    entity["degree"] = json!(ranked.degree);
                    entity["component"] = json!(ranked.component + 1);
                    entity
                })
                .collect();
            let components: Vec<Value> = ranking
                .components
                .iter()
                .enumerate()
                .map(|(position, members)| {
                    json!({
                        "component": position + 1,
                        "size": members.len(),
                        "members": members.iter().map(|&node| &graph.graph[node].iri).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let document = json!({
                "entities": graph.graph.node_count(),
                "relations": graph.graph.edge_count(),
                "ranking": entities,
                "components": components,
            });
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        ReportFormat::Text => {
            writeln!(
                out,
                "{} entities, {} relations, {} connected component{}",
                graph.graph.node_count(),
                graph.graph.edge_count(),
                ranking.components.len(),
                if ranking.components.len() == 1 {
                    ""
                } else {
                    "s"
                }
            )?;
            writeln!(
                out,
                "\n rank  pagerank  degree  component  type          entity"
            )?;
            for (position, ranked) in shown.iter().enumerate() {
                let node = &graph.graph[ranked.node];
                writeln!(
                    out,
                    "{:>5}  {:>8.4}  {:>6}  {:>9}  {:<12}  {}",
                    position + 1,
                    ranked.score,
                    ranked.degree,
                    ranked.component + 1,
                    node.kind.name(),
                    node.label
                )?;
            }
            writeln!(out, "\ncomponents:")?;
            for (position, members) in ranking
                .components
                .iter()
                .enumerate()
                .take(LISTED_COMPONENTS)
            {
                let mut names: Vec<&str> = members
                    .iter()
                    .take(LISTED_MEMBERS)
                    .map(|&node| graph.graph[node].label.as_str())
                    .collect();
                if members.len() > LISTED_MEMBERS {
                    names.push("…");
                }
                writeln!(
                    out,
                    "{:>5}  {:>6} entit{}: {}",
                    position + 1,
                    members.len(),
                    if members.len() == 1 { "y  " } else { "ies" },
                    names.join(", ")
                )?;
            }
            if ranking.components.len() > LISTED_COMPONENTS {
                writeln!(
                    out,
                    "  ... and {} smaller components (--format json lists them all)",
                    ranking.components.len() - LISTED_COMPONENTS
                )?;
            }
            Ok(())
        }
    }
}
