//! Export: writes the store, or a set of triples, in a standard RDF format with a stable order.
//!
//! Dataset formats (N-Quads, TriG, JSON-LD) keep every named graph; triple formats (Turtle,
//! N-Triples, RDF/XML) write the union of all graphs, each distinct triple once. Quads and triples
//! are sorted by their N-Quads form, so the same graph always gives the same bytes.

use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Quad, Triple};
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
pub fn export(
    store: &Store,
    format: GraphFormat,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut quads: Vec<Quad> = store.iter().collect::<Result<_, _>>()?;
    if format.rdf_format().supports_datasets() {
        quads.sort_by_cached_key(|quad| quad.to_string());
        let mut writer = serializer(format).for_writer(&mut *out);
        for quad in &quads {
            writer.serialize_quad(quad)?;
        }
        writer.finish()?;
        Ok(quads.len())
    } else {
        let triples: Vec<Triple> = quads.into_iter().map(Triple::from).collect();
        write_triples(&triples, format, out)?;
        let mut distinct: Vec<String> = triples.iter().map(ToString::to_string).collect();
        distinct.sort();
        distinct.dedup();
        Ok(distinct.len())
    }
}

/// Writes triples (deduplicated and sorted) in `format`; dataset formats put them in the default
/// graph.
pub fn write_triples(
    triples: &[Triple],
    format: GraphFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut keyed: Vec<(String, &Triple)> = triples.iter().map(|t| (t.to_string(), t)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    let mut writer = serializer(format).for_writer(&mut *out);
    for (_, triple) in keyed {
        if format.rdf_format().supports_datasets() {
            writer.serialize_quad(triple.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
        } else {
            writer.serialize_triple(triple)?;
        }
    }
    writer.finish()?;
    Ok(())
}
