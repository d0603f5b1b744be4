//! The ontology declares, labels and explains every term of its namespace that the graph uses.

mod common;

use common::{extract, root, select, store_of};
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

fn ontology() -> Store {
    let store = Store::new().expect("store");
    let turtle = std::fs::read(root().join("schema/dealgraph.ttl")).expect("schema/dealgraph.ttl");
    store
        .load_from_slice(RdfFormat::Turtle, &turtle)
        .expect("the ontology parses");
    store
}

#[test]
fn every_term_has_a_label_and_a_comment() {
    let ontology = ontology();
    let terms = select(&ontology, "SELECT ?t WHERE { ?t a ?kind FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty)) }");
    assert!(terms.len() >= 30, "{}", terms.len());
    let missing = select(
        &ontology,
        "SELECT ?t WHERE { ?t a ?kind FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
           FILTER NOT EXISTS { ?t rdfs:label ?l ; rdfs:comment ?c } }",
    );
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn every_dealgraph_term_the_graph_uses_is_declared() {
    let graph = store_of(&extract(&[]));
    let used = select(
        &graph,
        "SELECT DISTINCT ?term WHERE { { ?s ?term ?o } UNION { ?s a ?term } FILTER(STRSTARTS(STR(?term), STR(dg:))) } ORDER BY ?term",
    );
    assert!(used.len() > 15, "{used:?}");
    let ontology = ontology();
    let declared: Vec<String> = select(&ontology, "SELECT ?t WHERE { ?t rdfs:label ?l }")
        .into_iter()
        .map(|row| row[0].clone())
        .collect();
    for row in used {
        assert!(
            declared.contains(&row[0]),
            "{} is used but not declared in schema/dealgraph.ttl",
            row[0]
        );
    }
}

#[test]
fn the_contract_classes_extend_the_standard_ones() {
    let ontology = ontology();
    for (class, parent) in [
        ("dg:Country", "schema:Country"),
        ("dg:Official", "schema:Person"),
        ("dg:Organisation", "schema:Organization"),
        ("dg:GovernmentBody", "schema:GovernmentOrganization"),
        ("dg:Mention", "nif:Phrase"),
        ("dg:Claim", "rdf:Statement"),
    ] {
        let rows = select(
            &ontology,
            &format!("SELECT ?x WHERE {{ {class} rdfs:subClassOf {parent} BIND(1 AS ?x) }}"),
        );
        assert_eq!(rows.len(), 1, "{class} ⊑ {parent}");
    }
    for property in ["dg:sender", "dg:host"] {
        let rows = select(
            &ontology,
            &format!("SELECT ?x WHERE {{ {property} rdfs:subPropertyOf dg:party BIND(1 AS ?x) }}"),
        );
        assert_eq!(rows.len(), 1, "{property} ⊑ dg:party");
    }
}
