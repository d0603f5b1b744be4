//! Reading an [`EntityGraph`] from the store: one SPARQL SELECT per kind of fact (nodes of a kind
//! with their labels, aliases, parties, posts, agreement attributes), run in parallel and joined in
//! memory, so the cost grows with the entities and relations drawn, not with the text the store
//! also holds; or the triples of a SPARQL CONSTRUCT, with the store giving labels, kinds and the
//! articles behind each triple. It only reads. What [`from_store`] gives is also kept in snapshots
//! (see [`snapshot`](super::snapshot)): change `snapshot::FORMAT` when it changes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term};
use oxigraph::store::Store;

use super::{Article, Attribute, EntityGraph, GraphError, Node, NodeKind, Relation};
use crate::query::{evaluate, Answer};
use crate::rdf::vocab::{dcterms, dg, org, schema, skos};

/// What is drawn besides entities, agreements and posts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Content {
    /// Quotations, linked from their speakers (`quoted`).
    pub quotes: bool,
    /// Articles, linked from the entities they mention (`mentionedIn`).
    pub articles: bool,
}

/// The classes that make a node, by precedence (an official is also a person).
const KIND_CLASSES: [(NamedNodeRef<'static>, NodeKind); 6] = [
    (dg::COUNTRY, NodeKind::Country),
    (dg::AGREEMENT, NodeKind::Agreement),
    (dg::OFFICIAL, NodeKind::Official),
    (dg::ORGANISATION, NodeKind::Organisation),
    (schema::PERSON, NodeKind::Person),
    (schema::PLACE, NodeKind::Place),
];

/// The longest label of a quotation node, in characters.
const QUOTE_CHARS: usize = 80;

/// The SPARQL queries [`from_store`] runs, all at once: each projects only the terms that vary,
/// because decoding a term is what reading the store costs (a quad read by pattern decodes all four).
/// The first six give nodes of each kind in [`KIND_CLASSES`] order, with their labels.
fn queries() -> Vec<String> {
    let mut queries: Vec<String> = KIND_CLASSES
        .iter()
        .map(|(class, kind)| {
            let official = if *kind == NodeKind::Person {
                // An anti-join on stored terms: one pass instead of a lookup per person.
                "MINUS { ?s a dg:Official }"
            } else {
                ""
            };
            format!(
                "SELECT ?s ?label WHERE {{ ?s a <{}> {official} OPTIONAL {{ ?s rdfs:label ?label }} }}",
                class.as_str()
            )
        })
        .collect();
    queries.extend([
        "SELECT ?s ?alias WHERE { ?s skos:altLabel ?alias }".to_string(),
        "SELECT ?g ?source WHERE { GRAPH ?g { ?g dcterms:source ?source } }".to_string(),
        "SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s dg:party ?o } }".to_string(),
        "SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s dg:sender ?o } }".to_string(),
        "SELECT ?s ?o ?g WHERE { GRAPH ?g { ?s dg:host ?o } }".to_string(),
        "SELECT ?s ?place ?title ?g WHERE { GRAPH ?g { ?s org:holds ?post } \
         OPTIONAL { ?post org:postIn ?place } OPTIONAL { ?post rdfs:label ?title } }"
            .to_string(),
        "SELECT ?s ?status ?g WHERE { GRAPH ?g { ?s dg:status ?status } }".to_string(),
        "SELECT ?s ?duration ?g WHERE { GRAPH ?g { ?s dg:duration ?duration } }".to_string(),
        "SELECT ?s ?year ?g WHERE { GRAPH ?g { ?s dg:year ?year } }".to_string(),
        "SELECT ?s ?qualifier ?value ?unit ?g WHERE { GRAPH ?g { ?s dg:capacity ?n . \
         OPTIONAL { ?n dg:qualifier ?qualifier } OPTIONAL { ?n schema:value ?value } \
         OPTIONAL { ?n schema:unitText ?unit } } }"
            .to_string(),
        "SELECT ?s ?qualifier ?value ?unit ?g WHERE { GRAPH ?g { ?s dg:amount ?n . \
         OPTIONAL { ?n dg:qualifier ?qualifier } OPTIONAL { ?n schema:value ?value } \
         OPTIONAL { ?n schema:currency ?unit } } }"
            .to_string(),
    ]);
    queries
}

/// Rows of a SELECT.
type Rows = Vec<Vec<Option<Term>>>;

fn select(store: &Store, sparql: &str) -> Result<Rows, GraphError> {
    match evaluate(store, sparql)? {
        Answer::Solutions(_, rows) => Ok(rows),
        Answer::Boolean(_) | Answer::Graph(_) => Err(GraphError::NotConstruct("SELECT")),
    }
}

/// The IRI of a cell.
fn iri_in(cell: &Option<Term>) -> Option<&str> {
    match cell {
        Some(Term::NamedNode(node)) => Some(node.as_str()),
        _ => None,
    }
}

/// The lexical value of a literal cell.
fn text_in(cell: &Option<Term>) -> Option<&str> {
    match cell {
        Some(Term::Literal(literal)) => Some(literal.value()),
        _ => None,
    }
}

/// Reads the graph of entities, agreements and posts (and `content`) from `store`.
pub fn from_store(store: &Store, content: Content) -> Result<EntityGraph, GraphError> {
    let answers: Vec<Rows> = queries()
        .par_iter()
        .map(|sparql| select(store, sparql))
        .collect::<Result<_, _>>()?;
    let mut answers = answers.into_iter();
    let mut next = || answers.next().expect("one answer per query");
    let mut nodes_by_kind = Vec::new();
    for (_, kind) in KIND_CLASSES {
        nodes_by_kind.push((kind, next()));
    }
    let aliases = next();
    let article_names = next()
        .into_iter()
        .filter_map(|row| Some((iri_in(&row[0])?.to_string(), text_in(&row[1])?.to_string())))
        .collect();
    let mut builder = Builder::with_article_names(store, article_names);
    for (kind, rows) in nodes_by_kind {
        for row in rows {
            let Some(iri) = iri_in(&row[0]) else { continue };
            let position = builder.node(iri.to_string(), kind);
            if let Some(label) = text_in(&row[1]) {
                keep_least(&mut builder.labels[position], label);
            }
        }
    }
    for row in aliases {
        if let (Some(&position), Some(alias)) = (
            iri_in(&row[0]).and_then(|iri| builder.index.get(iri)),
            text_in(&row[1]),
        ) {
            builder.nodes[position].aliases.push(alias.to_string());
        }
    }
    for side in [dg::PARTY, dg::SENDER, dg::HOST] {
        for row in next() {
            builder.relate_row(&row, local_name(side.as_str()), side.as_str());
        }
    }
    for row in next() {
        let Some(&from) = iri_in(&row[0]).and_then(|iri| builder.index.get(iri)) else {
            continue;
        };
        let title = text_in(&row[2]).unwrap_or("post").to_string();
        let article = builder.article_of(&row[3]);
        match iri_in(&row[1]).and_then(|place| builder.index.get(place)) {
            Some(&to) => {
                builder.add_relation(from, to, title, org::HOLDS.as_str().to_string(), article)
            }
            None => builder.add_attribute(from, "post", title, article),
        }
    }
    for name in ["status", "duration", "year"] {
        for row in next() {
            let Some(&node) = iri_in(&row[0]).and_then(|iri| builder.index.get(iri)) else {
                continue;
            };
            let value = match (&row[1], name) {
                (Some(Term::NamedNode(status)), _) => status_text(status.as_str()),
                (Some(Term::Literal(duration)), "duration") => duration_text(duration.value()),
                (Some(Term::Literal(literal)), _) => literal.value().to_string(),
                _ => continue,
            };
            let article = builder.article_of(&row[2]);
            builder.add_attribute(node, name, value, article);
        }
    }
    for name in ["capacity", "amount"] {
        for row in next() {
            let Some(&node) = iri_in(&row[0]).and_then(|iri| builder.index.get(iri)) else {
                continue;
            };
            let value = [
                text_in(&row[1]).map(|qualifier| qualifier.replace('_', " ")),
                text_in(&row[2]).map(group_digits),
                text_in(&row[3]).map(str::to_string),
            ]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
            let article = builder.article_of(&row[4]);
            builder.add_attribute(node, name, value, article);
        }
    }
    if content.quotes {
        builder.quotes()?;
    }
    if content.articles {
        builder.mentions()?;
    }
    Ok(builder.finish())
}

/// Draws the triples of a SPARQL CONSTRUCT (or DESCRIBE) over `store`: IRIs and blank nodes become
/// nodes, `rdf:type` picks kinds, `rdfs:label` and `skos:altLabel` name them, other literals become
/// attributes, other triples relations labelled with the predicate's short name. Labels and kinds
/// the result does not give come from the store, and each relation cites the named graphs of the
/// store that hold its triple.
pub fn from_construct(store: &Store, sparql: &str) -> Result<EntityGraph, GraphError> {
    let triples = match evaluate(store, sparql)? {
        Answer::Graph(triples) => triples,
        Answer::Solutions(..) => return Err(GraphError::NotConstruct("SELECT")),
        Answer::Boolean(_) => return Err(GraphError::NotConstruct("ASK")),
    };
    let mut builder = Builder::new(store)?;
    let mut kinds: HashMap<String, NodeKind> = HashMap::new();
    for triple in &triples {
        let subject = subject_key(triple.subject.as_ref());
        let subject_position = builder.node(subject.clone(), NodeKind::Other);
        let predicate = triple.predicate.as_ref();
        match &triple.object {
            Term::NamedNode(class) if predicate == rdf::TYPE => {
                if let Some(kind) = kind_of_class(class.as_ref()) {
                    let slot = kinds.entry(subject).or_insert(kind);
                    *slot = (*slot).min(kind);
                }
            }
            Term::Literal(label) if predicate == rdfs::LABEL => {
                keep_least(&mut builder.labels[subject_position], label.value());
            }
            Term::Literal(alias) if predicate == skos::ALT_LABEL => {
                builder.nodes[subject_position]
                    .aliases
                    .push(alias.value().to_string());
            }
            Term::Literal(value) => {
                let graphs = builder.graphs_holding(triple)?;
                let name = local_name(predicate.as_str());
                builder.add_attribute(subject_position, name, value.value().to_string(), graphs);
            }
            object => {
                let object_key = match object {
                    Term::NamedNode(node) => node.as_str().to_string(),
                    Term::BlankNode(node) => format!("_:{}", node.as_str()),
                    Term::Literal(_) => unreachable!("literals are matched above"),
                };
                let object_position = builder.node(object_key, NodeKind::Other);
                let graphs = builder.graphs_holding(triple)?;
                builder.add_relation(
                    subject_position,
                    object_position,
                    local_name(predicate.as_str()).to_string(),
                    predicate.as_str().to_string(),
                    graphs,
                );
            }
        }
    }
    builder.fill_from_store(&kinds)?;
    Ok(builder.finish())
}

/// The quads of one predicate, in every graph.
fn scan<'s>(store: &'s Store, predicate: NamedNodeRef<'_>) -> oxigraph::store::QuadIter<'s> {
    store.quads_for_pattern(None, Some(predicate), None, None)
}

/// The node key of a subject: its IRI, or `_:id`.
fn subject_key(subject: NamedOrBlankNodeRef<'_>) -> String {
    match subject {
        NamedOrBlankNodeRef::NamedNode(node) => node.as_str().to_string(),
        NamedOrBlankNodeRef::BlankNode(node) => format!("_:{}", node.as_str()),
    }
}

/// The part of an IRI after its last `#` or `/`.
pub fn local_name(iri: &str) -> &str {
    let trimmed = iri.trim_end_matches(['/', '#']);
    trimmed
        .rfind(['#', '/'])
        .map_or(trimmed, |at| &trimmed[at + 1..])
}

/// Keeps the least of the labels seen, so a resource with several gets the same one every time.
fn keep_least(slot: &mut String, candidate: &str) {
    if slot.is_empty() || candidate < slot.as_str() {
        *slot = candidate.to_string();
    }
}

fn kind_of_class(class: NamedNodeRef<'_>) -> Option<NodeKind> {
    KIND_CLASSES
        .iter()
        .find(|(known, _)| *known == class)
        .map(|(_, kind)| *kind)
        .or_else(|| {
            if class == schema::QUOTATION {
                Some(NodeKind::Quote)
            } else if class == schema::NEWS_ARTICLE {
                Some(NodeKind::Article)
            } else {
                None
            }
        })
}

/// Nodes, relations and articles as they are found, keyed by IRI.
struct Builder<'s> {
    store: &'s Store,
    nodes: Vec<Node>,
    labels: Vec<String>,
    index: HashMap<String, usize>,
    /// The source name (`dcterms:source`) of each article graph.
    article_names: HashMap<String, String>,
    articles: Vec<String>,
    article_index: HashMap<String, usize>,
    relations: BTreeMap<(usize, usize, String, String), BTreeSet<usize>>,
    attributes: BTreeMap<(usize, String, String), BTreeSet<usize>>,
}

impl<'s> Builder<'s> {
    fn new(store: &'s Store) -> Result<Self, GraphError> {
        let mut article_names = HashMap::new();
        for quad in scan(store, dcterms::SOURCE) {
            let quad = quad?;
            if let (Term::Literal(name), GraphNameRef::NamedNode(graph)) =
                (&quad.object, quad.graph_name.as_ref())
            {
                if quad.subject.as_ref() == NamedOrBlankNodeRef::NamedNode(graph) {
                    article_names.insert(graph.as_str().to_string(), name.value().to_string());
                }
            }
        }
        Ok(Self::with_article_names(store, article_names))
    }

    fn with_article_names(store: &'s Store, article_names: HashMap<String, String>) -> Self {
        Self {
            store,
            nodes: Vec::new(),
            labels: Vec::new(),
            index: HashMap::new(),
            article_names,
            articles: Vec::new(),
            article_index: HashMap::new(),
            relations: BTreeMap::new(),
            attributes: BTreeMap::new(),
        }
    }

    /// The position of the node of `key`, made with `kind` if new.
    fn node(&mut self, key: String, kind: NodeKind) -> usize {
        if let Some(&position) = self.index.get(&key) {
            return position;
        }
        let position = self.nodes.len();
        self.nodes.push(Node {
            iri: key.clone(),
            label: String::new(),
            aliases: Vec::new(),
            kind,
            attributes: Vec::new(),
        });
        self.labels.push(String::new());
        self.index.insert(key, position);
        position
    }

    /// The position of the article of a graph name; `None` for the default graph.
    fn article(&mut self, graph: GraphNameRef<'_>) -> Option<usize> {
        let GraphNameRef::NamedNode(graph) = graph else {
            return None;
        };
        if let Some(&position) = self.article_index.get(graph.as_str()) {
            return Some(position);
        }
        let position = self.articles.len();
        self.articles.push(graph.as_str().to_string());
        self.article_index
            .insert(graph.as_str().to_string(), position);
        Some(position)
    }

    /// The position of the article of a graph cell.
    fn article_of(&mut self, cell: &Option<Term>) -> Option<usize> {
        let graph = iri_in(cell)?;
        self.article(GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(graph)))
    }

    /// Records the relation of a `?s ?o ?g` row between two known nodes.
    fn relate_row(&mut self, row: &[Option<Term>], label: &str, iri: &str) {
        let (Some(&from), Some(&to)) = (
            iri_in(&row[0]).and_then(|subject| self.index.get(subject)),
            iri_in(&row[1]).and_then(|object| self.index.get(object)),
        ) else {
            return;
        };
        let article = self.article_of(&row[2]);
        self.add_relation(from, to, label.to_string(), iri.to_string(), article);
    }

    /// Records the relation of a quad between two known nodes.
    fn relate(&mut self, quad: &Quad, label: &str, iri: &str) {
        let Term::NamedNode(object) = &quad.object else {
            return;
        };
        let (Some(&from), Some(&to)) = (
            self.index.get(&subject_key(quad.subject.as_ref())),
            self.index.get(object.as_str()),
        ) else {
            return;
        };
        let article = self.article(quad.graph_name.as_ref());
        self.add_relation(from, to, label.to_string(), iri.to_string(), article);
    }

    /// Records a relation (even one no article states) and the articles that state it.
    fn add_relation(
        &mut self,
        from: usize,
        to: usize,
        label: String,
        iri: String,
        articles: impl IntoIterator<Item = usize>,
    ) {
        let sources = self.relations.entry((from, to, label, iri)).or_default();
        sources.extend(articles);
    }

    /// Records an attribute of a node and the articles that state it.
    fn add_attribute(
        &mut self,
        node: usize,
        name: &str,
        value: String,
        articles: impl IntoIterator<Item = usize>,
    ) {
        let sources = self
            .attributes
            .entry((node, name.to_string(), value))
            .or_default();
        sources.extend(articles);
    }

    /// The articles (named graphs) of the store that hold a triple of a CONSTRUCT.
    fn graphs_holding(
        &mut self,
        triple: &oxigraph::model::Triple,
    ) -> Result<Vec<usize>, GraphError> {
        let mut graphs = Vec::new();
        for quad in self.store.quads_for_pattern(
            Some(triple.subject.as_ref()),
            Some(triple.predicate.as_ref()),
            Some(triple.object.as_ref()),
            None,
        ) {
            let quad = quad?;
            graphs.extend(self.article(quad.graph_name.as_ref()));
        }
        Ok(graphs)
    }

    /// Quotation nodes, linked from their speakers.
    fn quotes(&mut self) -> Result<(), GraphError> {
        for quad in scan(self.store, dg::QUOTED) {
            let quad = quad?;
            let Term::NamedNode(quote) = &quad.object else {
                continue;
            };
            if !self.index.contains_key(&subject_key(quad.subject.as_ref())) {
                continue;
            }
            let position = self.node(quote.as_str().to_string(), NodeKind::Quote);
            for text in self.store.quads_for_pattern(
                Some(quote.as_ref().into()),
                Some(schema::TEXT),
                None,
                None,
            ) {
                if let Term::Literal(text) = text?.object {
                    let shown = shorten(text.value(), QUOTE_CHARS);
                    keep_least(&mut self.labels[position], &shown);
                }
            }
            self.relate(&quad, "quoted", dg::QUOTED.as_str());
        }
        Ok(())
    }

    /// Article nodes, linked from the entities they mention.
    fn mentions(&mut self) -> Result<(), GraphError> {
        for quad in scan(self.store, dg::MENTIONED_IN) {
            let quad = quad?;
            let Term::NamedNode(article) = &quad.object else {
                continue;
            };
            if !self.index.contains_key(&subject_key(quad.subject.as_ref())) {
                continue;
            }
            let position = self.node(article.as_str().to_string(), NodeKind::Article);
            let name = self
                .article_names
                .get(article.as_str())
                .cloned()
                .unwrap_or_else(|| local_name(article.as_str()).to_string());
            keep_least(&mut self.labels[position], &name);
            self.relate(&quad, "mentionedIn", dg::MENTIONED_IN.as_str());
        }
        Ok(())
    }

    /// Kinds from the result (else the store) and labels from the store for nodes the result left
    /// unnamed.
    fn fill_from_store(&mut self, kinds: &HashMap<String, NodeKind>) -> Result<(), GraphError> {
        for position in 0..self.nodes.len() {
            let iri = self.nodes[position].iri.clone();
            if let Some(&kind) = kinds.get(&iri) {
                self.nodes[position].kind = kind;
            }
            let Ok(node) = NamedNodeRef::new(&iri) else {
                continue;
            };
            if !kinds.contains_key(&iri) {
                for quad in
                    self.store
                        .quads_for_pattern(Some(node.into()), Some(rdf::TYPE), None, None)
                {
                    if let Term::NamedNode(class) = quad?.object {
                        if let Some(kind) = kind_of_class(class.as_ref()) {
                            let slot = &mut self.nodes[position].kind;
                            *slot = if *slot == NodeKind::Other {
                                kind
                            } else {
                                (*slot).min(kind)
                            };
                        }
                    }
                }
            }
            if self.labels[position].is_empty() {
                for quad in
                    self.store
                        .quads_for_pattern(Some(node.into()), Some(rdfs::LABEL), None, None)
                {
                    if let Term::Literal(label) = quad?.object {
                        keep_least(&mut self.labels[position], label.value());
                    }
                }
            }
        }
        Ok(())
    }

    /// The graph, with articles in name order.
    fn finish(self) -> EntityGraph {
        let mut order: Vec<usize> = (0..self.articles.len()).collect();
        let names: Vec<String> = self
            .articles
            .iter()
            .map(|iri| {
                self.article_names
                    .get(iri)
                    .cloned()
                    .unwrap_or_else(|| iri.clone())
            })
            .collect();
        order.sort_by(|&a, &b| (&names[a], &self.articles[a]).cmp(&(&names[b], &self.articles[b])));
        let mut renumbered = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old] = new;
        }
        let articles = order
            .iter()
            .map(|&old| Article {
                iri: self.articles[old].clone(),
                name: names[old].clone(),
            })
            .collect();
        let renumber = |sources: BTreeSet<usize>| -> Vec<usize> {
            let mut sorted: Vec<usize> = sources.into_iter().map(|old| renumbered[old]).collect();
            sorted.sort_unstable();
            sorted
        };
        let mut nodes = self.nodes;
        for (node, label) in nodes.iter_mut().zip(self.labels) {
            node.label = if label.is_empty() {
                local_name(&node.iri).to_string()
            } else {
                label
            };
            node.aliases.sort();
            node.aliases.dedup();
        }
        for ((node, name, value), sources) in self.attributes {
            nodes[node].attributes.push(Attribute {
                name,
                value,
                articles: sources.len(),
            });
        }
        let relations = self
            .relations
            .into_iter()
            .map(|((from, to, label, iri), sources)| {
                (
                    from,
                    to,
                    Relation {
                        label,
                        iri,
                        sources: renumber(sources),
                    },
                )
            })
            .collect();
        EntityGraph::new(nodes, relations, articles)
    }
}

/// A status concept as words: `InDiscussion` → "in discussion".
fn status_text(iri: &str) -> String {
    let mut text = String::new();
    for c in local_name(iri).chars() {
        if c.is_uppercase() && !text.is_empty() {
            text.push(' ');
        }
        text.extend(c.to_lowercase());
    }
    text
}

/// An `xsd:duration` of one part as words (`P1Y` → "1 year"), else as written.
fn duration_text(duration: &str) -> String {
    let Some(body) = duration.strip_prefix('P') else {
        return duration.to_string();
    };
    let unit = match body.chars().last() {
        Some('Y') => "year",
        Some('M') => "month",
        Some('W') => "week",
        Some('D') => "day",
        _ => return duration.to_string(),
    };
    let number = &body[..body.len() - 1];
    match number.parse::<u64>() {
        Ok(1) => format!("1 {unit}"),
        Ok(count) => format!("{count} {unit}s"),
        Err(_) => duration.to_string(),
    }
}

/// A decimal with its whole part in groups of three digits: `200000000` → "200,000,000".
fn group_digits(number: &str) -> String {
    let (whole, fraction) = number
        .split_once('.')
        .map_or((number, None), |(w, f)| (w, Some(f)));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
        return number.to_string();
    }
    let mut grouped = String::new();
    for (position, digit) in whole.chars().enumerate() {
        if position > 0 && (whole.len() - position) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) if fraction.chars().any(|c| c != '0') => format!("{grouped}.{fraction}"),
        _ => grouped,
    }
}

/// At most `limit` characters, with an ellipsis when cut.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(limit - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_words() {
        assert_eq!(group_digits("200000000"), "200,000,000");
        assert_eq!(group_digits("1500.50"), "1,500.50");
        assert_eq!(group_digits("12.0"), "12");
        assert_eq!(group_digits("-3"), "-3");
        assert_eq!(duration_text("P1Y"), "1 year");
        assert_eq!(duration_text("P18M"), "18 months");
        assert_eq!(duration_text("P1Y6M"), "P1Y6M");
        assert_eq!(
            status_text("https://x.example/ns#InDiscussion"),
            "in discussion"
        );
        assert_eq!(local_name("http://www.w3.org/ns/org#postIn"), "postIn");
        assert_eq!(local_name("https://x.example/id/post/"), "post");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ab", 4), "ab");
    }
}
