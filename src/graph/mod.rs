//! Graph: the knowledge graph as a petgraph graph of entities and their relations, for pictures and
//! analytics. Takes a store (or the triples of a SPARQL CONSTRUCT over it) and gives an
//! [`EntityGraph`]: entities, agreements, and optionally quotations and articles as nodes; agreements
//! linked to their parties (`party`, `sender`, `host`), officials to the country or organisation
//! where they hold a post (labelled with the post's title), each relation with the articles that
//! state it. [`load`] reads the store, [`snapshot`] keeps what it read of an on-disk store in a file
//! beside the store's tables (used only while they are unchanged), [`lookup`] finds an entity by
//! label, alias or IRI, [`select`] cuts out a focus, types or well-supported relations, [`dot`]
//! writes Graphviz DOT, [`render`] runs Graphviz, [`analytics`] finds shortest chains and ranks
//! entities. It never writes to the store, and knows nothing of HTTP.

pub mod analytics;
pub mod dot;
pub mod load;
pub mod lookup;
pub mod render;
pub mod report;
pub mod select;
pub mod snapshot;

use std::collections::HashMap;
use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};

pub use load::{from_construct, from_store, Content};
pub use lookup::find;
pub use select::Selection;
pub use snapshot::{read, Keep, Origin};

/// What a node stands for; it picks the node's shape and colour.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// A country.
    Country,
    /// A person holding an office or role.
    Official,
    /// Any other named person.
    Person,
    /// An organisation of any kind.
    Organisation,
    /// An agreement between parties.
    Agreement,
    /// A place that is not a country.
    Place,
    /// A quotation (shown only when asked for).
    Quote,
    /// A news article (shown only when asked for).
    Article,
    /// A resource of no known type (from a CONSTRUCT).
    Other,
}

impl NodeKind {
    /// Every kind, in legend order.
    pub const ALL: [NodeKind; 9] = [
        Self::Country,
        Self::Agreement,
        Self::Official,
        Self::Person,
        Self::Organisation,
        Self::Place,
        Self::Quote,
        Self::Article,
        Self::Other,
    ];

    /// The kind's name, as `--types` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Official => "official",
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Agreement => "agreement",
            Self::Place => "place",
            Self::Quote => "quote",
            Self::Article => "article",
            Self::Other => "other",
        }
    }

    /// The kind of a name given to `--types` (`organization` is taken too).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim().to_lowercase();
        let name = name.strip_suffix('s').unwrap_or(&name);
        Self::ALL.into_iter().find(|kind| {
            kind.name() == name || (name == "organization" && *kind == Self::Organisation)
        })
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One node: a resource of the graph.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Node {
    /// Its IRI, or `_:id` for a blank node of a CONSTRUCT.
    pub iri: String,
    /// What it is called (its `rdfs:label`, else the end of its IRI).
    pub label: String,
    /// Its other names (`skos:altLabel`), sorted.
    pub aliases: Vec<String>,
    /// What it stands for.
    pub kind: NodeKind,
    /// Attributes shown inside the node, such as an agreement's capacity or status, sorted.
    pub attributes: Vec<Attribute>,
}

impl Node {
    /// True for a blank node, which has no IRI to link to.
    pub fn is_blank(&self) -> bool {
        self.iri.starts_with("_:")
    }
}

/// A named value shown inside a node, with the number of articles that state it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Attribute {
    /// What the value is (`capacity`, `amount`, `duration`, `status`, `year`, a predicate's name).
    pub name: String,
    /// The value as written for a person ("at most 50 deportees").
    pub value: String,
    /// How many articles state it (0 when it comes from no article).
    pub articles: usize,
}

/// A relation from one node to another.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Relation {
    /// The label: the predicate's short name (`party`, `sender`, `host`, `quoted`), or the title of
    /// the post an official holds.
    pub label: String,
    /// The IRI behind it: the predicate, or the post.
    pub iri: String,
    /// The articles that state it, as indices into [`EntityGraph::articles`], sorted.
    pub sources: Vec<usize>,
}

/// An article (or other named graph) that states relations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// The graph's IRI.
    pub iri: String,
    /// What to call it: the article's source (file name or address), else its IRI.
    pub name: String,
}

/// Entities and their relations, with the articles behind each relation. Node and edge indices
/// follow the order of the IRIs (nodes) and of source, target and label (edges), so everything
/// written from it is in a stable order.
#[derive(Debug, Clone, Default)]
pub struct EntityGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Relation>,
    /// The articles relations cite.
    pub articles: Vec<Article>,
    by_iri: HashMap<String, NodeIndex>,
}

impl EntityGraph {
    /// Makes the graph from nodes, relations between node positions and articles, putting nodes
    /// in IRI order and relations in (source IRI, target IRI, label) order.
    pub fn new(
        mut nodes: Vec<Node>,
        relations: Vec<(usize, usize, Relation)>,
        articles: Vec<Article>,
    ) -> Self {
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| nodes[a].iri.cmp(&nodes[b].iri));
        let mut position = vec![0; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = new;
        }
        let mut slots: Vec<Option<Node>> = nodes.drain(..).map(Some).collect();
        let mut graph = DiGraph::with_capacity(slots.len(), relations.len());
        let mut by_iri = HashMap::with_capacity(slots.len());
        for old in order {
            let node = slots[old].take().expect("each node once");
            by_iri.insert(node.iri.clone(), NodeIndex::new(graph.node_count()));
            graph.add_node(node);
        }
        let mut edges: Vec<(usize, usize, Relation)> = relations
            .into_iter()
            .map(|(source, target, relation)| (position[source], position[target], relation))
            .collect();
        edges.sort_by(|a, b| {
            (a.0, a.1, &a.2.label, &a.2.iri).cmp(&(b.0, b.1, &b.2.label, &b.2.iri))
        });
        for (source, target, relation) in edges {
            graph.add_edge(NodeIndex::new(source), NodeIndex::new(target), relation);
        }
        Self {
            graph,
            articles,
            by_iri,
        }
    }

    /// The node of an IRI.
    pub fn node_of(&self, iri: &str) -> Option<NodeIndex> {
        self.by_iri.get(iri).copied()
    }

    /// The names of a relation's articles.
    pub fn source_names(&self, relation: &Relation) -> Vec<&str> {
        relation
            .sources
            .iter()
            .map(|&index| self.articles[index].name.as_str())
            .collect()
    }

    /// A copy holding only the nodes `keep` accepts and the relations `keep_edge` accepts between
    /// them; orders stay as they were.
    pub fn filtered(
        &self,
        keep: impl Fn(NodeIndex, &Node) -> bool,
        keep_edge: impl Fn(&Relation) -> bool,
    ) -> Self {
        let graph = self.graph.filter_map(
            |index, node| keep(index, node).then(|| node.clone()),
            |_, relation| keep_edge(relation).then(|| relation.clone()),
        );
        let by_iri = graph
            .node_indices()
            .map(|index| (graph[index].iri.clone(), index))
            .collect();
        Self {
            graph,
            articles: self.articles.clone(),
            by_iri,
        }
    }
}

/// Why a graph could not be made or searched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Reading the store failed.
    #[error("cannot read the store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// The CONSTRUCT query failed to parse or run.
    #[error("{0}")]
    Query(#[from] crate::query::QueryError),
    /// The query given to draw is not a CONSTRUCT.
    #[error("the query to draw must be a CONSTRUCT (it is a {0})")]
    NotConstruct(&'static str),
    /// No entity has this label, alias or IRI.
    #[error("no entity is called {name:?}{}", candidate_list(.candidates, "; did you mean"))]
    UnknownEntity {
        /// The name asked for.
        name: String,
        /// Entities whose names contain it, as `label (kind) <IRI>`.
        candidates: Vec<String>,
    },
    /// Several entities have this label or alias.
    #[error("{name:?} names {} entities, give one of their IRIs{}", .candidates.len(), candidate_list(.candidates, ""))]
    AmbiguousEntity {
        /// The name asked for.
        name: String,
        /// The entities it names, as `label (kind) <IRI>`.
        candidates: Vec<String>,
    },
    /// A name given to `--types` is no node kind.
    #[error("unknown type {0:?} (country, agreement, official, person, organisation, place, quote, article, other)")]
    UnknownKind(String),
}

fn candidate_list(candidates: &[String], lead: &str) -> String {
    if candidates.is_empty() {
        return String::new();
    }
    let mut list = format!("{lead}:");
    for candidate in candidates {
        list.push_str("\n  ");
        list.push_str(candidate);
    }
    list
}
