//! RDF: the ontology terms ([`vocab`]), stable IRIs ([`Minter`]) and the graph builder ([`build_quads`]).
//!
//! Takes extractions and their resolution and gives quads: one named graph per document (what that
//! document says: article metadata, text, sentences, zones, mentions, asserted facts and the claims
//! behind them), one graph of resolved entities, and one graph recording the build as a
//! `prov:Activity`. No blank nodes are written, and every IRI is derived from names and offsets, so the
//! same input gives the same quads.

mod builder;
mod iri;
pub mod vocab;

pub use builder::{
    build_quads, build_quads_in_parts, document_graph_quads, entities_graph_quads, entity_iris,
    entity_iris_beside, entity_quads, post_description_quads, post_iri, post_quads,
    provenance_graph_quads, write_document_graph, BuildInfo, Posts,
};
pub use iri::{Minter, DEFAULT_BASE};
