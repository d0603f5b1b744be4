//! Validate: checks a graph against SHACL shapes (`schema/shapes.ttl`), read at run time.
//!
//! No SHACL crate builds today, so this is a SHACL Core subset evaluated with SPARQL. Supported:
//! node shapes with `sh:targetClass` (instances of subclasses included), property shapes with an IRI
//! `sh:path` and `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:nodeKind`; and
//! SHACL-SPARQL `sh:sparql` constraints with `sh:select` (`$this` pre-bound to each focus node).
//! Anything else in the shapes (other targets, paths or components) is reported as unsupported,
//! never silently ignored.

use std::collections::BTreeSet;

use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};
use oxigraph::store::Store;
use serde::Serialize;

use crate::query::{evaluate, Answer, QueryError};

/// The shapes shipped with dealgraph.
pub const EMBEDDED_SHAPES: &str = include_str!("../schema/shapes.ttl");

const SH: &str = "http://www.w3.org/ns/shacl#";

/// One violation, in the terms of a SHACL validation result.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Violation {
    /// The focus node's IRI.
    pub focus: String,
    /// The property path, if the constraint is on a property.
    pub path: Option<String>,
    /// The constraint component IRI (e.g. `sh:MinCountConstraintComponent`, full IRI).
    pub component: String,
    /// A readable message.
    pub message: String,
}

/// Why validation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// The shapes graph does not parse.
    #[error("shapes: {0}")]
    Shapes(String),
    /// The shapes use a SHACL feature this validator does not implement.
    #[error("shapes use an unsupported SHACL feature: {0}")]
    Unsupported(String),
    /// A generated query failed.
    #[error(transparent)]
    Query(#[from] QueryError),
}

/// Validates the data in `data` (union of its graphs) against the Turtle shapes in `shapes`.
pub fn validate(data: &Store, shapes: &str) -> Result<Vec<Violation>, ValidateError> {
    let shapes_store = Store::new().map_err(|e| ValidateError::Shapes(e.to_string()))?;
    shapes_store
        .load_from_slice(RdfFormat::Turtle, shapes.as_bytes())
        .map_err(|e| ValidateError::Shapes(e.to_string()))?;
    let mut violations = BTreeSet::new();
    let unsupported = rows(&shapes_store, &format!(
        "PREFIX sh: <{SH}> SELECT DISTINCT ?p WHERE {{ ?s a sh:NodeShape ; ?p ?o . \
         FILTER(?p NOT IN (rdf:type, sh:targetClass, sh:property, sh:sparql, sh:name, sh:description, rdfs:label, rdfs:comment, sh:message)) }}"
    ))?;
    if let Some(row) = unsupported.first() {
        return Err(ValidateError::Unsupported(term_text(row[0].as_ref())));
    }
    let unsupported = rows(&shapes_store, &format!(
        "PREFIX sh: <{SH}> SELECT DISTINCT ?p WHERE {{ ?n sh:property ?s . ?s ?p ?o . \
         FILTER(?p NOT IN (sh:path, sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:nodeKind, sh:name, sh:description, sh:message, sh:severity)) }}"
    ))?;
    if let Some(row) = unsupported.first() {
        return Err(ValidateError::Unsupported(term_text(row[0].as_ref())));
    }
    let targets = rows(&shapes_store, &format!("PREFIX sh: <{SH}> SELECT ?shape ?class WHERE {{ ?shape a sh:NodeShape ; sh:targetClass ?class }} ORDER BY ?shape ?class"))?;
    for target in targets {
        let (Some(Term::NamedNode(class)), Some(shape)) = (target[1].clone(), target[0].clone())
        else {
            continue;
        };
        let focus = format!("?this rdf:type/rdfs:subClassOf* <{}>", class.as_str());
        let properties = rows(&shapes_store, &format!(
            "PREFIX sh: <{SH}> SELECT ?path ?min ?max ?datatype ?class ?kind WHERE {{ {shape} sh:property ?p . ?p sh:path ?path . \
             OPTIONAL {{ ?p sh:minCount ?min }} OPTIONAL {{ ?p sh:maxCount ?max }} OPTIONAL {{ ?p sh:datatype ?datatype }} \
             OPTIONAL {{ ?p sh:class ?class }} OPTIONAL {{ ?p sh:nodeKind ?kind }} }}",
            shape = shape
        ))?;
        for property in properties {
            let Some(Term::NamedNode(path)) = &property[0] else {
                return Err(ValidateError::Unsupported("a non-IRI sh:path".into()));
            };
            check_property(data, &focus, path, &property, &mut violations)?;
        }
        let sparql = rows(&shapes_store, &format!(
            "PREFIX sh: <{SH}> SELECT ?select ?message WHERE {{ {shape} sh:sparql ?c . ?c sh:select ?select . OPTIONAL {{ ?c sh:message ?message }} }}",
            shape = shape
        ))?;
        for constraint in sparql {
            let Some(Term::Literal(select)) = &constraint[0] else {
                continue;
            };
            let message = constraint[1].as_ref().map_or_else(
                || "SPARQL constraint violated".to_string(),
                |m| term_text(Some(m)),
            );
            check_sparql(data, &focus, select.value(), &message, &mut violations)?;
        }
    }
    Ok(violations.into_iter().collect())
}

fn check_property(
    data: &Store,
    focus: &str,
    path: &NamedNode,
    property: &[Option<Term>],
    violations: &mut BTreeSet<Violation>,
) -> Result<(), ValidateError> {
    let p = format!("<{}>", path.as_str());
    let number = |term: &Option<Term>| match term {
        Some(Term::Literal(literal)) => literal.value().parse::<usize>().ok(),
        _ => None,
    };
    let mut push = |focus_node: Option<Term>, component: &str, message: String| {
        violations.insert(Violation {
            focus: term_text(focus_node.as_ref()),
            path: Some(path.as_str().to_string()),
            component: format!("{SH}{component}"),
            message,
        });
    };
    if let Some(min) = number(&property[1]) {
        let query = format!("SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {min})");
        for row in rows(data, &query)? {
            push(
                row[0].clone(),
                "MinCountConstraintComponent",
                format!("fewer than {min} values of {}", path.as_str()),
            );
        }
    }
    if let Some(max) = number(&property[2]) {
        let query = format!("SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} ?this {p} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {max})");
        for row in rows(data, &query)? {
            push(
                row[0].clone(),
                "MaxCountConstraintComponent",
                format!("more than {max} values of {}", path.as_str()),
            );
        }
    }
    if let Some(Term::NamedNode(datatype)) = &property[3] {
        // Compared here, not with SPARQL DATATYPE(): oxigraph reports derived integer types such as
        // xsd:nonNegativeInteger as xsd:integer there, while the stored literal keeps its datatype.
        let query = format!("SELECT DISTINCT ?this ?v WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} ?this {p} ?v }}");
        for row in rows(data, &query)? {
            let conforms = matches!(&row[1], Some(Term::Literal(literal)) if literal.datatype() == datatype.as_ref());
            if !conforms {
                push(
                    row[0].clone(),
                    "DatatypeConstraintComponent",
                    format!(
                        "a value of {} is not a {}",
                        path.as_str(),
                        datatype.as_str()
                    ),
                );
            }
        }
    }
    if let Some(Term::NamedNode(class)) = &property[4] {
        let query = format!("SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} ?this {p} ?v FILTER NOT EXISTS {{ ?v rdf:type/rdfs:subClassOf* <{}> }} }}", class.as_str());
        for row in rows(data, &query)? {
            push(
                row[0].clone(),
                "ClassConstraintComponent",
                format!("a value of {} is not a {}", path.as_str(), class.as_str()),
            );
        }
    }
    if let Some(Term::NamedNode(kind)) = &property[5] {
        let test = match kind.as_str().strip_prefix(SH) {
            Some("IRI") => "isIRI(?v)",
            Some("Literal") => "isLiteral(?v)",
            Some("BlankNode") => "isBlank(?v)",
            Some("BlankNodeOrIRI") => "(isBlank(?v) || isIRI(?v))",
            Some("BlankNodeOrLiteral") => "(isBlank(?v) || isLiteral(?v))",
            Some("IRIOrLiteral") => "(isIRI(?v) || isLiteral(?v))",
            _ => {
                return Err(ValidateError::Unsupported(format!(
                    "sh:nodeKind {}",
                    kind.as_str()
                )))
            }
        };
        let query = format!("SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} ?this {p} ?v FILTER(!{test}) }}");
        for row in rows(data, &query)? {
            push(
                row[0].clone(),
                "NodeKindConstraintComponent",
                format!(
                    "a value of {} is not of kind {}",
                    path.as_str(),
                    kind.as_str()
                ),
            );
        }
    }
    Ok(())
}

fn check_sparql(
    data: &Store,
    focus: &str,
    select: &str,
    message: &str,
    violations: &mut BTreeSet<Violation>,
) -> Result<(), ValidateError> {
    // $this is pre-bound by joining the constraint with the focus nodes.
    let body = select.replace("$this", "?this");
    let (prologue, rest) = match body.find("SELECT") {
        Some(position) => body.split_at(position),
        None => {
            return Err(ValidateError::Unsupported(
                "sh:select without SELECT".into(),
            ))
        }
    };
    let query = format!("{prologue} SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} {{ {rest} }} }}");
    for row in rows(data, &query)? {
        violations.insert(Violation {
            focus: term_text(row[0].as_ref()),
            path: None,
            component: format!("{SH}SPARQLConstraintComponent"),
            message: message.to_string(),
        });
    }
    Ok(())
}

fn rows(store: &Store, query: &str) -> Result<Vec<Vec<Option<Term>>>, ValidateError> {
    match evaluate(store, query)? {
        Answer::Solutions(_, rows) => Ok(rows),
        _ => Ok(Vec::new()),
    }
}

fn term_text(term: Option<&Term>) -> String {
    match term {
        Some(Term::NamedNode(node)) => node.as_str().to_string(),
        Some(Term::Literal(literal)) => literal.value().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
