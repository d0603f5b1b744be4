//! Query: runs SPARQL over a store, the default graph being the union of all graphs (unless the
//! query names its own dataset), and writes the results in the format asked for.
//!
//! The usual prefixes (`dg:`, `schema:`, `nif:`, `org:`, `prov:`, `skos:`, `dcterms:`, `rdfs:`...) are
//! predeclared. SERVICE cannot reach the network (oxigraph's HTTP client is not compiled in) and
//! updates are not queries, so this stage only ever reads.

use std::io::Write;

use oxigraph::model::{Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;

use crate::export::{write_triples, GraphFormat};
use crate::rdf::vocab::PREFIXES;

/// A format for SELECT and ASK results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// An aligned text table.
    Table,
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// SPARQL 1.1 Query Results CSV.
    Csv,
    /// SPARQL 1.1 Query Results TSV.
    Tsv,
    /// SPARQL Query Results XML.
    Xml,
}

/// Any output format the `query` command accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// For SELECT and ASK.
    Results(ResultsFormat),
    /// For CONSTRUCT and DESCRIBE.
    Graph(GraphFormat),
}

impl OutputFormat {
    /// Parses a format name: table, json, csv, tsv, xml, ttl, nt, nq, trig, jsonld, rdfxml.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "table" => Self::Results(ResultsFormat::Table),
            "json" => Self::Results(ResultsFormat::Json),
            "csv" => Self::Results(ResultsFormat::Csv),
            "tsv" => Self::Results(ResultsFormat::Tsv),
            "xml" => Self::Results(ResultsFormat::Xml),
            other => Self::Graph(GraphFormat::parse(other)?),
        })
    }
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The query does not parse; the message gives the position.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// Evaluation failed.
    #[error("SPARQL evaluation error: {0}")]
    Evaluation(String),
    /// The format does not suit the query form.
    #[error("format {format} does not suit a {form} query (SELECT/ASK: table, json, csv, tsv, xml; CONSTRUCT/DESCRIBE: ttl, nt, nq, trig, jsonld, rdfxml)")]
    FormatMismatch {
        /// The format asked for.
        format: String,
        /// SELECT, ASK, CONSTRUCT or DESCRIBE.
        form: &'static str,
    },
    /// Writing the results failed.
    #[error("cannot write results: {0}")]
    Io(#[from] std::io::Error),
}

/// The evaluated result of a query.
pub enum Answer {
    /// SELECT: variables and rows.
    Solutions(Vec<Variable>, Vec<Vec<Option<Term>>>),
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT / DESCRIBE.
    Graph(Vec<Triple>),
}

/// Evaluates `sparql` over `store`, with the union of all graphs as the default graph.
pub fn evaluate(store: &Store, sparql: &str) -> Result<Answer, QueryError> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, namespace) in PREFIXES {
        evaluator = evaluator
            .with_prefix(*prefix, *namespace)
            .map_err(|e| QueryError::Syntax(e.to_string()))?;
    }
    let mut prepared = evaluator
        .parse_query(sparql)
        .map_err(|e| QueryError::Syntax(e.to_string()))?;
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    let evaluation =
        |e: oxigraph::sparql::QueryEvaluationError| QueryError::Evaluation(e.to_string());
    match prepared.on_store(store).execute().map_err(evaluation)? {
        QueryResults::Boolean(value) => Ok(Answer::Boolean(value)),
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(evaluation)?;
                rows.push(variables.iter().map(|v| solution.get(v).cloned()).collect());
            }
            Ok(Answer::Solutions(variables, rows))
        }
        QueryResults::Graph(triples) => {
            let mut collected = Vec::new();
            for triple in triples {
                collected.push(triple.map_err(evaluation)?);
            }
            Ok(Answer::Graph(collected))
        }
    }
}

/// Evaluates `sparql` and writes the answer to `out` in `format` (default: table, or Turtle for
/// graphs). Gives the number of rows or triples written (1 or 0 for ASK).
pub fn run(
    store: &Store,
    sparql: &str,
    format: Option<OutputFormat>,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let answer = evaluate(store, sparql)?;
    write_answer(&answer, format, out)
}

/// Writes an evaluated answer.
pub fn write_answer(
    answer: &Answer,
    format: Option<OutputFormat>,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let mismatch = |form: &'static str, name: &str| QueryError::FormatMismatch {
        format: name.to_string(),
        form,
    };
    match answer {
        Answer::Solutions(variables, rows) => {
            let results = match format {
                None => ResultsFormat::Table,
                Some(OutputFormat::Results(results)) => results,
                Some(OutputFormat::Graph(graph)) => return Err(mismatch("SELECT", graph.name())),
            };
            write_solutions(variables, rows, results, out)?;
            Ok(rows.len())
        }
        Answer::Boolean(value) => {
            let results = match format {
                None => ResultsFormat::Table,
                Some(OutputFormat::Results(results)) => results,
                Some(OutputFormat::Graph(graph)) => return Err(mismatch("ASK", graph.name())),
            };
            match results_format(results) {
                Some(serialized) => {
                    QueryResultsSerializer::from_format(serialized)
                        .serialize_boolean_to_writer(&mut *out, *value)?;
                }
                None => writeln!(out, "{value}")?,
            }
            Ok(usize::from(*value))
        }
        Answer::Graph(triples) => {
            let graph = match format {
                None => GraphFormat::Turtle,
                Some(OutputFormat::Graph(graph)) => graph,
                Some(OutputFormat::Results(_)) => {
                    return Err(mismatch("CONSTRUCT", "a results format"))
                }
            };
            write_triples(triples, graph, out)?;
            Ok(triples.len())
        }
    }
}

fn results_format(format: ResultsFormat) -> Option<QueryResultsFormat> {
    match format {
        ResultsFormat::Table => None,
        ResultsFormat::Json => Some(QueryResultsFormat::Json),
        ResultsFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultsFormat::Tsv => Some(QueryResultsFormat::Tsv),
        ResultsFormat::Xml => Some(QueryResultsFormat::Xml),
    }
}

fn write_solutions(
    variables: &[Variable],
    rows: &[Vec<Option<Term>>],
    format: ResultsFormat,
    out: &mut dyn Write,
) -> Result<(), QueryError> {
    if let Some(serialized) = results_format(format) {
        let mut serializer = QueryResultsSerializer::from_format(serialized)
            .serialize_solutions_to_writer(&mut *out, variables.to_vec())?;
        for row in rows {
            serializer.serialize(
                variables
                    .iter()
                    .zip(row)
                    .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
            )?;
        }
        serializer.finish()?;
        return Ok(());
    }
    let header: Vec<String> = variables.iter().map(|v| v.as_str().to_string()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|t| t.as_ref().map_or_else(String::new, display_term))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, values: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        writeln!(out, "| {} |", padded.join(" | "))
    };
    line(out, &header)?;
    writeln!(
        out,
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    )?;
    for row in &cells {
        line(out, row)?;
    }
    Ok(())
}

/// A term for a text table: IRIs shortened with the known prefixes, literals by their value, line
/// breaks shown as `\n`.
pub fn display_term(term: &Term) -> String {
    let shown = match term {
        Term::NamedNode(node) => PREFIXES
            .iter()
            .find_map(|(prefix, namespace)| {
                node.as_str()
                    .strip_prefix(namespace)
                    .map(|local| format!("{prefix}:{local}"))
            })
            .unwrap_or_else(|| format!("<{}>", node.as_str())),
        Term::Literal(literal) => literal.value().to_string(),
        other => other.to_string(),
    };
    shown.replace('\n', "\\n").replace('|', "\\|")
}
