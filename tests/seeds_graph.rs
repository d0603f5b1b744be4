//! SPARQL checks over the graph built from the embedded seed articles.

mod common;

use common::{ask, extract, select, store_of};
use std::sync::OnceLock;

fn seeds() -> &'static oxigraph::store::Store {
    static STORE: OnceLock<oxigraph::store::Store> = OnceLock::new();
    STORE.get_or_init(|| store_of(&extract(&[])))
}

#[test]
fn kosovo_and_the_united_states_are_parties_of_one_agreement() {
    assert!(ask(
        seeds(),
        r#"ASK { ?a a dg:Agreement ; dg:party ?k, ?u . ?k dg:iso3166Alpha2 "XK" . ?u dg:iso3166Alpha2 "US" }"#
    ));
}

#[test]
fn the_denmark_kosovo_agreement_is_reported_by_several_articles() {
    let rows = select(
        seeds(),
        r#"SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE {
            ?a a dg:Agreement ; dg:party ?d, ?k ; dg:mentionedIn ?doc .
            ?d dg:iso3166Alpha2 "DK" . ?k dg:iso3166Alpha2 "XK" }"#,
    );
    let articles: usize = rows[0][0].parse().expect("a count");
    assert!(articles >= 2, "{articles}");
}

#[test]
fn the_italy_albania_agreement_is_found() {
    assert!(ask(
        seeds(),
        r#"ASK { ?a a dg:Agreement ; dg:party ?i, ?l . ?i dg:iso3166Alpha2 "IT" . ?l dg:iso3166Alpha2 "AL" }"#
    ));
}

#[test]
fn one_entity_for_the_united_states_under_all_its_names() {
    let rows = select(
        seeds(),
        r#"SELECT ?label WHERE { ?us dg:iso3166Alpha2 "US" ; rdfs:label ?label }"#,
    );
    assert_eq!(rows, vec![vec!["United States".to_string()]]);
    for alias in ["U.S.", "America"] {
        assert!(
            ask(
                seeds(),
                &format!(r#"ASK {{ ?us dg:iso3166Alpha2 "US" ; skos:altLabel "{alias}" }}"#)
            ),
            "{alias}"
        );
    }
}

#[test]
fn demonyms_are_demonym_mentions_of_their_country() {
    assert!(ask(
        seeds(),
        r#"ASK { ?m a dg:Mention ; nif:anchorOf "Danish" ; dg:mentionKind "demonym" ; itsrdf:taIdentRef ?dk . ?dk dg:iso3166Alpha2 "DK" }"#
    ));
}

#[test]
fn officials_hold_posts_in_countries_and_organisations() {
    let rows = select(
        seeds(),
        r#"SELECT ?name ?title ?where WHERE {
            ?o a dg:Official ; rdfs:label ?name ; org:holds ?post .
            ?post rdfs:label ?title . OPTIONAL { ?post org:postIn/rdfs:label ?where } } ORDER BY ?name ?title"#,
    );
    let has = |name: &str, title: &str, place: &str| {
        rows.iter()
            .any(|r| r[0] == name && r[1] == title && r[2] == place)
    };
    assert!(
        has("Peter Hummelgaard", "Justice Minister", "Denmark"),
        "{rows:?}"
    );
    assert!(
        has("Përparim Kryeziu", "Spokesperson", "Government of Kosovo"),
        "{rows:?}"
    );
    assert!(
        has("Michael Bochenek", "Senior Counsel", "Human Rights Watch"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[0] == "Karoline Leavitt" && r[1] == "Press Secretary"),
        "{rows:?}"
    );
}

#[test]
fn a_surname_alone_resolves_to_the_full_name() {
    // "Trump" (after "President") and "Trump’s" name one person, typed as an official.
    let rows = select(
        seeds(),
        r#"SELECT ?p WHERE { ?p a dg:Official ; rdfs:label "Trump" }"#,
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    let mentions = select(
        seeds(),
        &format!(
            "SELECT ?m WHERE {{ ?m itsrdf:taIdentRef <{}> }}",
            rows[0][0]
        ),
    );
    assert!(mentions.len() > 10, "{}", mentions.len());
}

#[test]
fn organisations_have_finer_kinds_and_acronyms() {
    assert!(ask(
        seeds(),
        r#"ASK { ?h a dg:Organisation, dg:NGO ; rdfs:label "Human Rights Watch" ; skos:altLabel "HRW" }"#
    ));
    assert!(ask(
        seeds(),
        r#"ASK { ?s a dg:Organisation, dg:GovernmentBody ; rdfs:label "State Department" }"#
    ));
    assert!(ask(
        seeds(),
        r#"ASK { ?g a dg:GovernmentBody ; rdfs:label "Government of Kosovo" }"#
    ));
    assert!(ask(
        seeds(),
        r#"ASK { ?r a dg:MediaOrganisation ; rdfs:label ?l FILTER(CONTAINS(?l, "Reuters")) }"#
    ));
}

#[test]
fn every_entity_is_typed_labelled_once_and_mentioned() {
    for class in [
        "dg:Country",
        "dg:Official",
        "dg:Organisation",
        "dg:Agreement",
    ] {
        assert!(
            ask(seeds(), &format!("ASK {{ ?e a {class} }}")),
            "no {class}"
        );
        let unlabelled = format!("ASK {{ ?e a {class} FILTER NOT EXISTS {{ ?e rdfs:label ?l }} }}");
        assert!(!ask(seeds(), &unlabelled), "{class} without label");
        let twice = format!("ASK {{ ?e a {class} ; rdfs:label ?a, ?b FILTER(?a != ?b) }}");
        assert!(!ask(seeds(), &twice), "{class} with two labels");
        let unmentioned = format!("ASK {{ ?e a {class} FILTER NOT EXISTS {{ ?e dg:mentionedIn ?d . ?d a schema:NewsArticle }} }}");
        assert!(!ask(seeds(), &unmentioned), "{class} not mentioned");
    }
}

#[test]
fn every_party_is_stated_with_party_and_agreements_have_two() {
    assert!(!ask(
        seeds(),
        "ASK { ?a a dg:Agreement . FILTER NOT EXISTS { ?a dg:party ?x, ?y FILTER(?x != ?y) } }"
    ));
    assert!(!ask(
        seeds(),
        "ASK { ?a dg:sender|dg:host ?x . FILTER NOT EXISTS { ?a dg:party ?x } }"
    ));
}

#[test]
fn the_united_states_sends_and_kosovo_hosts() {
    assert!(ask(
        seeds(),
        r#"ASK { ?a dg:sender ?u ; dg:host ?k . ?k dg:iso3166Alpha2 "XK" . ?u dg:iso3166Alpha2 "US" }"#
    ));
    assert!(!ask(
        seeds(),
        r#"ASK { ?a dg:host ?u . ?u dg:iso3166Alpha2 "US" }"#
    ));
}

#[test]
fn source_appears_on_documents_only() {
    assert!(!ask(
        seeds(),
        "ASK { ?s dcterms:source ?o FILTER NOT EXISTS { ?s a schema:NewsArticle } }"
    ));
    let rows = select(seeds(), "SELECT ?source WHERE { ?d a schema:NewsArticle ; dcterms:source ?source } ORDER BY ?source");
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0][0], "seeds/000_5821b829e4867404.txt");
}

#[test]
fn one_named_graph_per_document_plus_entities_and_provenance() {
    let rows = select(
        seeds(),
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    );
    assert_eq!(rows.len(), 7, "{rows:?}");
    assert!(rows.iter().any(|r| r[0].ends_with("graph/entities")));
    assert!(rows.iter().any(|r| r[0].ends_with("graph/provenance")));
    // A document's graph holds its own claims, each tied to its article and sentence.
    assert!(ask(seeds(), "ASK { GRAPH ?doc { ?c a dg:Claim ; prov:wasDerivedFrom ?doc ; dg:claimSentence ?s ; dg:evidence ?e . ?s a nif:Sentence } }"));
    assert!(!ask(
        seeds(),
        "ASK { GRAPH ?g { ?c a dg:Claim ; prov:wasDerivedFrom ?doc } FILTER(?g != ?doc) }"
    ));
}

#[test]
fn every_mention_anchor_equals_the_document_text_at_its_span() {
    let bad = select(
        seeds(),
        "SELECT ?m WHERE { ?m nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?a ; nif:referenceContext/nif:isString ?t
          FILTER(SUBSTR(?t, ?b + 1, ?e - ?b) != ?a) }",
    );
    assert!(bad.is_empty(), "{bad:?}");
    let spans = select(
        seeds(),
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a dg:Mention }",
    );
    assert!(spans[0][0].parse::<usize>().expect("count") > 100);
}

#[test]
fn the_build_is_recorded_as_an_activity() {
    assert!(ask(seeds(), "ASK { ?b a prov:Activity ; prov:startedAtTime ?t ; prov:wasAssociatedWith/dg:softwareVersion ?v ; prov:used ?d . ?d a schema:NewsArticle }"));
}

#[test]
fn clutter_is_marked_and_never_extracted() {
    assert!(ask(
        seeds(),
        r#"ASK { ?z a dg:Clutter ; dg:zoneRule "hit-counter" ; nif:anchorOf ?text FILTER(CONTAINS(LCASE(?text), "hit counter")) }"#
    ));
    assert!(ask(
        seeds(),
        r#"ASK { ?z a dg:Clutter ; dg:zoneRule "reading-time" }"#
    ));
    assert!(ask(
        seeds(),
        r#"ASK { ?z a dg:Clutter ; dg:zoneRule "tracking-snippet" ; nif:anchorOf "fbpx" }"#
    ));
    assert!(ask(seeds(), "ASK { ?z a dg:Caption }"));
    assert!(!ask(
        seeds(),
        "ASK { ?z a dg:Clutter ; nif:beginIndex ?zb ; nif:endIndex ?ze ; nif:referenceContext ?c .
               ?m a dg:Mention ; nif:beginIndex ?mb ; nif:endIndex ?me ; nif:referenceContext ?c
               FILTER(?mb < ?ze && ?zb < ?me) }"
    ));
}

#[test]
fn figures_that_articles_disagree_on_both_stay_with_their_sources() {
    let rows = select(
        seeds(),
        r#"SELECT DISTINCT ?qualifier ?source WHERE {
            ?a a dg:Agreement ; dg:party ?d . ?d dg:iso3166Alpha2 "DK" .
            GRAPH ?doc { ?a dg:amount ?m . ?m schema:currency "EUR" ; schema:value ?v ; dg:qualifier ?qualifier }
            ?doc dcterms:source ?source } ORDER BY ?qualifier"#,
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_ne!(rows[0][0], rows[1][0]);
    assert_ne!(rows[0][1], rows[1][1]);
    assert!(ask(
        seeds(),
        r#"ASK { ?a a dg:Agreement ; dg:party ?u ; dg:capacity ?c . ?u dg:iso3166Alpha2 "US" . ?c schema:value 50 ; dg:qualifier "at_most" }"#
    ));
}
