//! Export: writes the store, or a set of triples, in a standard RDF format with a stable order.
//!
//! Dataset formats (N-Quads, TriG, JSON-LD) keep every named graph and are written a graph at a
//! time: the default graph, then the named graphs in IRI order, each graph's quads sorted by their
//! N-Quads form, so memory holds the largest graph, not the store. Triple formats (Turtle,
//! N-Triples, RDF/XML) write the union of all graphs, each distinct triple once, sorted by its
//! N-Triples form (the union is held in memory). The same graph always gives the same bytes.

use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedOrBlankNode, Quad, Triple};
use oxigraph::store::{StorageError, Store};

use crate::rdf::vocab::PREFIXES;

/// An RDF serialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Turtle (union of graphs).
    Turtle,
    /// N-Triples (union of graphs).
    NTriples,
    /// N-Quads.
    NQuads,
    /// TriG.
    TriG,
    /// JSON-LD (with named graphs).
    JsonLd,
    /// RDF/XML (union of graphs).
    RdfXml,
}

impl GraphFormat {
    /// Parses ttl, nt, nq, trig, jsonld or rdfxml.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "ttl" | "turtle" => Self::Turtle,
            "nt" | "ntriples" => Self::NTriples,
            "nq" | "nquads" => Self::NQuads,
            "trig" => Self::TriG,
            "jsonld" | "json-ld" => Self::JsonLd,
            "rdfxml" | "rdf" | "xml" => Self::RdfXml,
            _ => return None,
        })
    }

    /// The short name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::NTriples => "nt",
            Self::NQuads => "nq",
            Self::TriG => "trig",
            Self::JsonLd => "jsonld",
            Self::RdfXml => "rdfxml",
        }
    }

    /// oxigraph's format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::TriG => RdfFormat::TriG,
            Self::JsonLd => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            Self::RdfXml => RdfFormat::RdfXml,
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Reading the store failed.
    #[error("cannot read the store: {0}")]
    Storage(#[from] StorageError),
    /// Writing failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
}

/// An RDF serialiser for `format`, with the usual prefixes where the format has prefixes.
pub(crate) fn serializer(format: GraphFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    if matches!(
        format,
        GraphFormat::Turtle | GraphFormat::TriG | GraphFormat::RdfXml
    ) {
        for (prefix, namespace) in PREFIXES {
            serializer = match serializer.clone().with_prefix(*prefix, *namespace) {
                Ok(with_prefix) => with_prefix,
                Err(_) => serializer,
            };
        }
    }
    serializer
}

/// Writes the whole store in `format`; gives the number of quads (or distinct triples) written.
/// Dataset formats are written a graph at a time (the default graph, then the named graphs in IRI
/// order), so memory holds one graph, not the store; triple formats hold the union in memory.
pub fn export(
    store: &Store,
    format: GraphFormat,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    if format.rdf_format().supports_datasets() {
        let mut named: Vec<NamedOrBlankNode> = store.named_graphs().collect::<Result<_, _>>()?;
        named.sort_by_cached_key(ToString::to_string);
        let graphs =
            std::iter::once(GraphName::DefaultGraph).chain(named.into_iter().map(GraphName::from));
        let mut tracked = LineEnded::new(out);
        let mut writer = serializer(format).for_writer(&mut tracked);
        let mut written = 0;
        for graph in graphs {
            let mut quads: Vec<Quad> = store
                .quads_for_pattern(None, None, None, Some(graph.as_ref()))
                .collect::<Result<_, _>>()?;
            quads.sort_by_cached_key(ToString::to_string);
            for quad in &quads {
                writer.serialize_quad(quad)?;
            }
            written += quads.len();
        }
        writer.finish()?;
        tracked.end_line()?;
        Ok(written)
    } else {
        let triples: Vec<Triple> = store
            .iter()
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<_, _>>()?;
        Ok(write_triples(&triples, format, out)?)
    }
}

/// Writes triples (deduplicated and sorted) in `format`; dataset formats put them in the default
/// graph. Gives the number of distinct triples written.
pub fn write_triples(
    triples: &[Triple],
    format: GraphFormat,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    let mut keyed: Vec<(String, &Triple)> = triples.iter().map(|t| (t.to_string(), t)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    let written = keyed.len();
    let mut tracked = LineEnded::new(out);
    let mut writer = serializer(format).for_writer(&mut tracked);
    for (_, triple) in keyed {
        if format.rdf_format().supports_datasets() {
            writer.serialize_quad(triple.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
        } else {
            writer.serialize_triple(triple)?;
        }
    }
    writer.finish()?;
    tracked.end_line()?;
    Ok(written)
}

/// A writer that remembers its last byte, so that every export ends with a newline as text
/// files do (oxigraph's JSON-LD serialiser stops at the closing bracket).
struct LineEnded<'w> {
    inner: &'w mut dyn Write,
    last: Option<u8>,
}

impl<'w> LineEnded<'w> {
    fn new(inner: &'w mut dyn Write) -> Self {
        Self { inner, last: None }
    }

    /// Writes a newline unless the output is empty or already ends with one.
    fn end_line(&mut self) -> std::io::Result<()> {
        match self.last {
            Some(byte) if byte != b'\n' => self.write_all(b"\n"),
            _ => Ok(()),
        }
    }
}

impl Write for LineEnded<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        if written > 0 {
            self.last = Some(bytes[written - 1]);
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn node(name: &str) -> NamedNode {
        NamedNode::new(format!("http://example.org/{name}")).unwrap()
    }

    /// A store whose quads were inserted out of order: two named graphs and the default graph,
    /// one triple in both named graphs.
    fn store() -> Store {
        let store = Store::new().unwrap();
        let quad = |s: &str, o: &str, graph: Option<&str>| {
            let graph = graph.map_or(GraphName::DefaultGraph, |g| node(g).into());
            Quad::new(node(s), node("p"), Literal::new_simple_literal(o), graph)
        };
        for quad in [
            quad("z", "1", Some("g2")),
            quad("a", "2", Some("g2")),
            quad("m", "3", None),
            quad("b", "4", Some("g1")),
            quad("a", "2", Some("g1")),
        ] {
            store.insert(&quad).unwrap();
        }
        store
    }

    #[test]
    fn every_format_ends_with_a_newline() {
        for name in ["ttl", "nt", "nq", "trig", "jsonld", "rdfxml"] {
            let format = GraphFormat::parse(name).unwrap();
            let mut out = Vec::new();
            export(&store(), format, &mut out).unwrap();
            assert_eq!(out.last(), Some(&b'\n'), "{name}");
            assert_ne!(out[out.len() - 2], b'\n', "{name}: one newline, not two");
        }
    }

    #[test]
    fn n_quads_come_a_graph_at_a_time_default_first_each_sorted() {
        let mut out = Vec::new();
        let written = export(&store(), GraphFormat::NQuads, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let p = "<http://example.org/p>";
        let g1 = "<http://example.org/g1>";
        let g2 = "<http://example.org/g2>";
        assert_eq!(
            lines,
            [
                format!("<http://example.org/m> {p} \"3\" ."),
                format!("<http://example.org/a> {p} \"2\" {g1} ."),
                format!("<http://example.org/b> {p} \"4\" {g1} ."),
                format!("<http://example.org/a> {p} \"2\" {g2} ."),
                format!("<http://example.org/z> {p} \"1\" {g2} ."),
            ]
        );
        assert_eq!(written, 5);
    }

    #[test]
    fn triple_formats_write_the_union_once_sorted() {
        let mut out = Vec::new();
        let written = export(&store(), GraphFormat::NTriples, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let subjects: Vec<&str> = text
            .lines()
            .map(|line| line.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            subjects,
            [
                "<http://example.org/a>",
                "<http://example.org/b>",
                "<http://example.org/m>",
                "<http://example.org/z>",
            ]
        );
        assert_eq!(written, 4);
    }
}
