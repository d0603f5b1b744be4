//! Query: runs SPARQL over a store, the default graph being the union of all graphs (unless the
//! query names its own dataset), and writes the results in the format asked for.
//!
//! The usual prefixes (`dg:`, `schema:`, `nif:`, `org:`, `prov:`, `skos:`, `dcterms:`, `rdfs:`...) are
//! predeclared. This stage only ever reads: updates are refused as such, and a query with a SERVICE
//! pattern is refused when it is parsed (oxigraph's HTTP client is not compiled in either), so no
//! query reaches the network or the file system.

mod syntax_error;
mod total_order;

use std::io::Write;
use std::sync::OnceLock;

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator,
    Variable,
};
use oxigraph::store::Store;
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::{Query, SparqlParser};

use crate::export::{serializer, write_triples, GraphFormat};
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

impl ResultsFormat {
    /// The name [`OutputFormat::parse`] reads.
    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Xml => "xml",
        }
    }
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The query does not parse; the message gives the position.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The text is a SPARQL update, and this stage only reads.
    #[error("SPARQL updates are refused: the graph is read-only")]
    Update,
    /// The query has a SERVICE pattern (federated queries are refused).
    #[error("SERVICE is refused: queries run on this graph only and never reach the network")]
    Service,
    /// Evaluation was cancelled (its time ran out).
    #[error("the query was cancelled")]
    Cancelled,
    /// Evaluation failed.
    #[error("SPARQL evaluation error: {0}")]
    Evaluation(String),
    /// The format does not suit the query form.
    #[error("format {format} does not suit {form} queries (SELECT/ASK: table, json, csv, tsv, xml; CONSTRUCT/DESCRIBE: ttl, nt, nq, trig, jsonld, rdfxml)")]
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

/// The four forms of SPARQL query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryForm {
    /// SELECT: a table of solutions.
    Select,
    /// ASK: a boolean.
    Ask,
    /// CONSTRUCT: a graph.
    Construct,
    /// DESCRIBE: a graph.
    Describe,
}

impl QueryForm {
    /// The form of a parsed query.
    pub fn of(query: &Query) -> Self {
        match query {
            Query::Select { .. } => Self::Select,
            Query::Ask { .. } => Self::Ask,
            Query::Construct { .. } => Self::Construct,
            Query::Describe { .. } => Self::Describe,
        }
    }

    /// True for CONSTRUCT and DESCRIBE, whose answer is a graph.
    pub fn gives_graph(self) -> bool {
        matches!(self, Self::Construct | Self::Describe)
    }
}

/// The graphs a request names for a query's dataset (SPARQL 1.1 Protocol `default-graph-uri` and
/// `named-graph-uri`). When both are empty the query's own FROM / FROM NAMED apply, and without
/// those the default graph is the union of all graphs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// The graphs merged into the default graph.
    pub default_graphs: Vec<NamedNode>,
    /// The graphs `GRAPH` patterns may match.
    pub named_graphs: Vec<NamedNode>,
}

impl Dataset {
    /// True when the request names no graph.
    pub fn is_empty(&self) -> bool {
        self.default_graphs.is_empty() && self.named_graphs.is_empty()
    }
}

/// Parses `sparql` with the predeclared prefixes, resolving relative IRIs against `base_iri` when
/// given; refuses updates and SERVICE patterns.
pub fn parse(sparql: &str, base_iri: Option<&str>) -> Result<Query, QueryError> {
    let mut parser = prefixed_parser()?.clone();
    if let Some(base_iri) = base_iri {
        parser = parser
            .with_base_iri(base_iri)
            .map_err(|e| QueryError::Syntax(format!("base IRI <{base_iri}>: {e}")))?;
    }
    let mut query = parser.clone().parse_query(sparql).map_err(|error| {
        if parser.parse_update(sparql).is_ok() {
            QueryError::Update
        } else {
            QueryError::Syntax(syntax_error::describe(sparql, &error.to_string()))
        }
    })?;
    let pattern = match &query {
        Query::Select { pattern, .. }
        | Query::Ask { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. } => pattern,
    };
    if pattern_has_service(pattern) {
        return Err(QueryError::Service);
    }
    total_order::make_orders_total(&mut query);
    Ok(query)
}

/// Evaluates a parsed query over `dataset` of `store` and writes its results to `out` as they come
/// (solutions, booleans or triples, never collected); `cancellation` stops the evaluation at its
/// next read.
pub fn run_to_writer(
    store: &Store,
    query: Query,
    dataset: &Dataset,
    cancellation: CancellationToken,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let results = prepare(query, dataset, cancellation)
        .on_store(store)
        .execute()
        .map_err(evaluation_error)?;
    write_results(results, format, out)
}

/// Prepares a parsed query over `dataset` (see [`Dataset`]), cancelled by `cancellation`.
fn prepare(
    query: Query,
    dataset: &Dataset,
    cancellation: CancellationToken,
) -> PreparedSparqlQuery {
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(cancellation)
        .for_query(query);
    let specification = prepared.dataset_mut();
    if !dataset.is_empty() {
        specification.set_default_graph(
            dataset
                .default_graphs
                .iter()
                .cloned()
                .map(GraphName::from)
                .collect(),
        );
        specification.set_available_named_graphs(
            dataset
                .named_graphs
                .iter()
                .cloned()
                .map(NamedOrBlankNode::from)
                .collect(),
        );
    } else if specification.is_default_dataset() {
        specification.set_default_graph_as_union();
    }
    prepared
}

fn evaluation_error(error: QueryEvaluationError) -> QueryError {
    match error {
        QueryEvaluationError::Cancelled => QueryError::Cancelled,
        other => QueryError::Evaluation(other.to_string()),
    }
}

/// Evaluates `sparql` over `store`, with the union of all graphs as the default graph.
pub fn evaluate(store: &Store, sparql: &str) -> Result<Answer, QueryError> {
    let prepared = prepare(
        parse(sparql, None)?,
        &Dataset::default(),
        CancellationToken::new(),
    );
    let evaluation = evaluation_error;
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
                Some(OutputFormat::Results(results)) => {
                    return Err(mismatch("CONSTRUCT", results.name()))
                }
            };
            write_triples(triples, graph, out)?;
            Ok(triples.len())
        }
    }
}

/// Writes evaluated results as they come, without collecting them: solutions and booleans in a
/// standard results format, graphs in an RDF format (in the default graph for dataset formats).
/// Gives the number of solutions or triples written. A table is not a streaming format, and a format
/// that does not suit the results is refused.
fn write_results(
    results: QueryResults<'_>,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let standard = |form: &'static str| match format {
        OutputFormat::Results(results) => {
            results_format(results).ok_or_else(|| QueryError::FormatMismatch {
                format: "table".into(),
                form,
            })
        }
        OutputFormat::Graph(graph) => Err(QueryError::FormatMismatch {
            format: graph.name().into(),
            form,
        }),
    };
    match results {
        QueryResults::Boolean(value) => {
            QueryResultsSerializer::from_format(standard("ASK")?)
                .serialize_boolean_to_writer(&mut *out, value)?;
            Ok(usize::from(value))
        }
        QueryResults::Solutions(solutions) => {
            let mut writer = QueryResultsSerializer::from_format(standard("SELECT")?)
                .serialize_solutions_to_writer(&mut *out, solutions.variables().to_vec())?;
            let mut count = 0;
            for solution in solutions {
                writer.serialize(&solution.map_err(evaluation_error)?)?;
                count += 1;
            }
            writer.finish()?;
            Ok(count)
        }
        QueryResults::Graph(triples) => {
            let graph = match format {
                OutputFormat::Graph(graph) => graph,
                OutputFormat::Results(results) => {
                    return Err(QueryError::FormatMismatch {
                        format: results.name().into(),
                        form: "CONSTRUCT",
                    })
                }
            };
            let dataset = graph.rdf_format().supports_datasets();
            let mut writer = serializer(graph).for_writer(&mut *out);
            let mut count = 0;
            for triple in triples {
                let triple = triple.map_err(evaluation_error)?;
                if dataset {
                    writer.serialize_quad(triple.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
                } else {
                    writer.serialize_triple(&triple)?;
                }
                count += 1;
            }
            writer.finish()?;
            Ok(count)
        }
    }
}

/// A parser that knows the predeclared prefixes, built once (checking their IRIs costs more than
/// parsing a short query).
fn prefixed_parser() -> Result<&'static SparqlParser, QueryError> {
    static PARSER: OnceLock<Result<SparqlParser, String>> = OnceLock::new();
    PARSER
        .get_or_init(|| {
            PREFIXES
                .iter()
                .try_fold(SparqlParser::new(), |parser, (prefix, namespace)| {
                    parser
                        .with_prefix(*prefix, *namespace)
                        .map_err(|e| format!("prefix {prefix}: <{namespace}>: {e}"))
                })
        })
        .as_ref()
        .map_err(|message| QueryError::Syntax(message.clone()))
}

fn pattern_has_service(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Service { .. } => true,
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => false,
        GraphPattern::Join { left, right }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            pattern_has_service(left) || pattern_has_service(right)
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            pattern_has_service(left)
                || pattern_has_service(right)
                || expression.as_ref().is_some_and(expression_has_service)
        }
        GraphPattern::Filter { expr, inner } => {
            expression_has_service(expr) || pattern_has_service(inner)
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => expression_has_service(expression) || pattern_has_service(inner),
        GraphPattern::OrderBy { inner, expression } => {
            pattern_has_service(inner)
                || expression.iter().any(|order| match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => expression_has_service(e),
                })
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            pattern_has_service(inner)
                || aggregates.iter().any(|(_, aggregate)| match aggregate {
                    spargebra::algebra::AggregateExpression::CountSolutions { .. } => false,
                    spargebra::algebra::AggregateExpression::FunctionCall { expr, .. } => {
                        expression_has_service(expr)
                    }
                })
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => pattern_has_service(inner),
    }
}

fn expression_has_service(expression: &Expression) -> bool {
    match expression {
        Expression::Exists(pattern) => pattern_has_service(pattern),
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => false,
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => expression_has_service(a) || expression_has_service(b),
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            expression_has_service(a)
        }
        Expression::In(a, list) => {
            expression_has_service(a) || list.iter().any(expression_has_service)
        }
        Expression::If(a, b, c) => {
            expression_has_service(a) || expression_has_service(b) || expression_has_service(c)
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter().any(expression_has_service)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_plain(sparql: &str) -> Result<Query, QueryError> {
        parse(sparql, None)
    }

    #[test]
    fn refuses_updates_and_service_wherever_it_hides() {
        assert!(matches!(
            parse_plain("INSERT DATA { <a:s> <a:p> <a:o> }"),
            Err(QueryError::Update)
        ));
        assert!(matches!(
            parse_plain("LOAD <file:///etc/passwd>"),
            Err(QueryError::Update)
        ));
        for hidden in [
            "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://x.org/> { ?s ?p ?o } } }",
            "ASK { OPTIONAL { ?s ?p ?o } BIND(EXISTS { SERVICE <http://x.org/> {} } AS ?x) }",
            "SELECT (COUNT(*) AS ?n) { { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } }",
        ] {
            assert!(
                matches!(parse_plain(hidden), Err(QueryError::Service)),
                "{hidden}"
            );
        }
        assert!(matches!(
            parse_plain("SELECT * {"),
            Err(QueryError::Syntax(_))
        ));
        assert_eq!(
            QueryForm::of(&parse_plain("SELECT ?x WHERE { ?x a dg:Agreement }").expect("parses")),
            QueryForm::Select
        );
    }
}
