//! dealgraph reads English news articles about international agreements and builds an RDF knowledge
//! graph of the countries, officials, organisations and agreements they describe, with the sentence
//! and character span behind every claim. See `README.md` for use and `ARCHITECTURE.md` for the map
//! of the code: ingest → extract → resolve → rdf → store → query / export / validate / serve / graph.

pub mod curation;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod growing;
pub mod ingest;
pub mod ner;
pub mod pipeline;
pub mod push;
pub mod query;
pub mod rdf;
pub mod resolve;
pub mod serve;
pub mod store;
pub mod syntax;
pub mod text;
pub mod validate;

pub use extract::{Extraction, Extractor};
pub use ingest::Document;
pub use pipeline::{Pipeline, Summary};
