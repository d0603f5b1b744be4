//! The browser side: the query page at `/` (an editor, the example queries of `examples/` one click
//! away, results as a table whose IRIs link to resource pages, downloads in every format) and a page
//! for every resource, reached at the path its IRI has under the base IRI (or `/resource?iri=`), in
//! HTML for a browser or RDF for a client. A resource page shows the label, types, aliases, a
//! picture of an entity's neighbourhood (from `/graph.svg`), every claim about the resource with its
//! article and source sentence, and its other relations; a term of the `dg:` namespace also shows
//! its definition from the ontology. Static files and the ontology are embedded in the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, Term};

use crate::export::write_triples;
use crate::query::{evaluate, Answer, OutputFormat};
use crate::rdf::vocab::{dg, schema, PREFIXES};

use super::error::HttpError;
use super::negotiation::{self, Representation};
use super::protocol::negotiated;
use super::AppState;

/// The classes whose resources are drawn in pictures, so their pages show one.
const ENTITY_CLASSES: [oxigraph::model::NamedNodeRef<'static>; 6] = [
    dg::COUNTRY,
    dg::AGREEMENT,
    dg::OFFICIAL,
    dg::ORGANISATION,
    schema::PERSON,
    schema::PLACE,
];

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");
/// The ontology, for the pages of its terms.
const ONTOLOGY_TURTLE: &str = include_str!("../../schema/dealgraph.ttl");

/// The example queries of the README (`examples/*.rq`), by file stem.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "kosovo-agreements",
        include_str!("../../examples/kosovo-agreements.rq"),
    ),
    ("officials", include_str!("../../examples/officials.rq")),
    (
        "claim-sentences",
        include_str!("../../examples/claim-sentences.rq"),
    ),
    (
        "agreement-figures",
        include_str!("../../examples/agreement-figures.rq"),
    ),
    (
        "disagreements",
        include_str!("../../examples/disagreements.rq"),
    ),
    (
        "latest-status",
        include_str!("../../examples/latest-status.rq"),
    ),
];

const STARTER_QUERY: &str = "# The classes of the graph and how many resources each has.
SELECT ?class (COUNT(DISTINCT ?resource) AS ?resources)
WHERE { ?resource a ?class }
GROUP BY ?class
ORDER BY DESC(?resources)
";

/// The opening comment of an example, its lines joined: what it asks.
fn title_of(example: &str) -> String {
    example
        .lines()
        .map_while(|line| line.strip_prefix('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn html(body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::VARY, HeaderValue::from_static("Accept")),
        ],
        body,
    )
        .into_response()
}

/// `GET /`: the query page; `?example=NAME` or `?query=TEXT` fills the editor and runs it.
pub async fn index(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let mut text = None;
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "example" => {
                let example = EXAMPLES
                    .iter()
                    .find(|(stem, _)| *stem == value)
                    .ok_or_else(|| HttpError::NotFound {
                        method: "GET".into(),
                        path: format!("/?example={value}"),
                    })?;
                text = Some(example.1.to_string());
            }
            "query" => text = Some(value.into_owned()),
            _ => {}
        }
    }
    let examples: String = EXAMPLES
        .iter()
        .map(|(stem, example)| {
            format!(
                "<li><a class=\"example\" href=\"/?example={stem}\">{}</a></li>\n",
                escape(&title_of(example))
            )
        })
        .collect();
    let prefixes: serde_json::Map<String, serde_json::Value> = PREFIXES
        .iter()
        .map(|(prefix, namespace)| (prefix.to_string(), (*namespace).into()))
        .collect();
    let page = INDEX_HTML
        .replace("{{base}}", &escape(state.shared.minter.base()))
        .replace("{{base_path}}", &escape(&state.shared.base_path))
        .replace("{{autorun}}", if text.is_some() { "true" } else { "false" })
        .replace(
            "{{prefixes}}",
            &serde_json::Value::Object(prefixes)
                .to_string()
                .replace('<', "\\u003c"),
        )
        .replace("{{examples}}", &examples)
        .replace(
            "{{query}}",
            &escape(text.as_deref().unwrap_or(STARTER_QUERY)),
        );
    Ok(html(page))
}

/// `GET /assets/FILE`: the embedded script and style sheet.
pub async fn asset(Path(file): Path<String>) -> Result<Response, HttpError> {
    let (media_type, body) = match file.as_str() {
        "app.js" => ("text/javascript; charset=utf-8", APP_JS),
        "style.css" => ("text/css; charset=utf-8", STYLE_CSS),
        _ => {
            return Err(HttpError::NotFound {
                method: "GET".into(),
                path: format!("/assets/{file}"),
            })
        }
    };
    Ok(([(header::CONTENT_TYPE, media_type)], body).into_response())
}

/// `GET /resource?iri=IRI`: the page of any resource of the graph.
pub async fn resource(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let mut iri = None;
    let mut format = None;
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "iri" => iri = Some(value.into_owned()),
            "format" => format = Some(value.into_owned()),
            _ => {}
        }
    }
    let iri = iri.ok_or_else(|| HttpError::BadRequest("give ?iri=IRI".into()))?;
    let node = NamedNode::new(&iri)
        .map_err(|error| HttpError::BadRequest(format!("invalid IRI <{iri}>: {error}")))?;
    describe(&state, node, &headers, format).await
}

/// Any other path: the resource whose IRI has this path under the base IRI, else 404.
pub async fn dereference(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let not_found = || HttpError::NotFound {
        method: method.to_string(),
        path: uri.path().to_string(),
    };
    if method != Method::GET && method != Method::HEAD {
        return Err(not_found());
    }
    let relative = uri
        .path()
        .strip_prefix(state.shared.base_path.as_str())
        .filter(|relative| !relative.is_empty())
        .ok_or_else(not_found)?;
    let decoded = percent_decode(relative).ok_or_else(not_found)?;
    let node = NamedNode::new(state.shared.minter.at_path(&decoded)).map_err(|_| not_found())?;
    let format = uri.query().and_then(|query| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "format")
            .map(|(_, value)| value.into_owned())
    });
    match describe(&state, node, &headers, format).await {
        Err(HttpError::ResourceNotFound(_)) => Err(not_found()),
        other => other,
    }
}

/// Decodes `%XX` sequences; `None` when they do not make UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = path.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// One row of a SELECT answer, by variable name.
type Row = HashMap<String, Term>;

fn select(store: &oxigraph::store::Store, sparql: &str) -> Result<Vec<Row>, HttpError> {
    match evaluate(store, sparql)? {
        Answer::Solutions(variables, rows) => Ok(rows
            .into_iter()
            .map(|row| {
                variables
                    .iter()
                    .zip(row)
                    .filter_map(|(variable, term)| Some((variable.as_str().to_string(), term?)))
                    .collect()
            })
            .collect()),
        _ => Err(HttpError::Internal("a page query is not a SELECT".into())),
    }
}

/// What a resource page shows.
struct Description {
    outgoing: Vec<Row>,
    incoming: Vec<Row>,
    claims: Vec<Row>,
}

/// Answers with the resource's page or its RDF, as negotiated.
async fn describe(
    state: &AppState,
    node: NamedNode,
    headers: &HeaderMap,
    format: Option<String>,
) -> Result<Response, HttpError> {
    let offer = negotiation::choose(
        format.as_deref(),
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
        negotiation::PAGE,
    )?;
    let iri = node.as_str().to_string();
    let definitions = definitions_of(&iri)?;
    match offer.representation {
        Representation::Sparql(OutputFormat::Graph(graph_format)) => {
            let body = state
                .run_blocking(move |store, _| {
                    let sparql = format!(
                        "CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} \
                         WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
                    );
                    let mut triples = Vec::new();
                    for store in std::iter::once(store).chain(definitions.as_ref()) {
                        let Answer::Graph(found) = evaluate(store, &sparql)? else {
                            return Err(HttpError::Internal("a CONSTRUCT gave no graph".into()));
                        };
                        triples.extend(found);
                    }
                    if triples.is_empty() {
                        return Err(HttpError::ResourceNotFound(iri));
                    }
                    let mut body = Vec::new();
                    write_triples(&triples, graph_format, &mut body)
                        .map_err(|error| HttpError::Internal(format!("resource RDF: {error}")))?;
                    Ok(body)
                })
                .await?;
            Ok(negotiated(offer.media_type, body))
        }
        Representation::Sparql(OutputFormat::Results(_)) => Err(HttpError::Internal(
            "a results format offered for a resource".into(),
        )),
        Representation::Html => {
            let lookup = iri.clone();
            let description = state
                .run_blocking(move |store, _| {
                    let mut description = describe_resource(store, &lookup)?;
                    if let Some(ontology) = &definitions {
                        description.add_definition(describe_resource(ontology, &lookup)?);
                    }
                    Ok(description)
                })
                .await?;
            if description.outgoing.is_empty() && description.incoming.is_empty() {
                return Err(HttpError::ResourceNotFound(iri));
            }
            Ok(html(render(state, &iri, &description)))
        }
    }
}

impl Description {
    /// Puts what the ontology says of a term before what the graph says of it.
    fn add_definition(&mut self, definition: Description) {
        self.outgoing.splice(0..0, definition.outgoing);
        self.incoming.splice(0..0, definition.incoming);
    }
}

/// The ontology (`schema/dealgraph.ttl`) as a store of its own, for the pages of the terms of the
/// `dg:` namespace, when `iri` is one of them: the graph uses these terms but does not define them.
fn definitions_of(iri: &str) -> Result<Option<oxigraph::store::Store>, HttpError> {
    static ONTOLOGY: OnceLock<Result<oxigraph::store::Store, String>> = OnceLock::new();
    if !iri.starts_with(dg::NAMESPACE) {
        return Ok(None);
    }
    let ontology = ONTOLOGY.get_or_init(|| {
        let store = oxigraph::store::Store::new().map_err(|error| error.to_string())?;
        store
            .load_from_slice(RdfFormat::Turtle, ONTOLOGY_TURTLE)
            .map_err(|error| format!("schema/dealgraph.ttl: {error}"))?;
        Ok(store)
    });
    match ontology {
        Ok(store) => Ok(Some(store.clone())),
        Err(message) => Err(HttpError::Internal(message.clone())),
    }
}

fn describe_resource(store: &oxigraph::store::Store, iri: &str) -> Result<Description, HttpError> {
    let outgoing = select(
        store,
        &format!(
            "SELECT ?p ?o (SAMPLE(?l) AS ?label) WHERE {{ <{iri}> ?p ?o \
             OPTIONAL {{ ?o rdfs:label ?l }} }} GROUP BY ?p ?o ORDER BY ?p ?o LIMIT 2000"
        ),
    )?;
    let incoming = select(
        store,
        &format!(
            "SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE {{ ?s ?p <{iri}> \
             FILTER(?p NOT IN (rdf:subject, rdf:object, itsrdf:taIdentRef)) \
             OPTIONAL {{ ?s rdfs:label ?l }} }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT 2000"
        ),
    )?;
    let claims = select(
        store,
        &format!(
            "SELECT DISTINCT ?s ?sLabel ?p ?o ?oLabel ?article ?title ?source ?sentence WHERE {{
               {{ ?claim rdf:subject <{iri}> }} UNION {{ ?claim rdf:object <{iri}> }}
               UNION {{ ?claim prov:wasDerivedFrom <{iri}> }}
               ?claim a dg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                      prov:wasDerivedFrom ?article .
               OPTIONAL {{ ?claim dg:claimSentence/nif:anchorOf ?sentence }}
               OPTIONAL {{ ?article dcterms:title ?title }}
               OPTIONAL {{ ?article dcterms:source ?source }}
               OPTIONAL {{ ?s rdfs:label ?sLabel }}
               OPTIONAL {{ ?o rdfs:label ?oLabel }}
             }} ORDER BY ?source ?sentence ?p ?o LIMIT 2000"
        ),
    )?;
    Ok(Description {
        outgoing,
        incoming,
        claims,
    })
}

/// An IRI shortened with the known prefixes, or relative to the base.
fn short(state: &AppState, iri: &str) -> String {
    PREFIXES
        .iter()
        .find_map(|(prefix, namespace)| {
            iri.strip_prefix(namespace)
                .map(|local| format!("{prefix}:{local}"))
        })
        .or_else(|| {
            iri.strip_prefix(state.shared.minter.base())
                .map(str::to_string)
        })
        .unwrap_or_else(|| iri.to_string())
}

/// Where the page of `iri` is on this server: its path under the base, or `/resource?iri=` for other
/// IRIs and for hash IRIs (claims, spans), whose fragment a browser does not send.
pub fn href(state: &AppState, iri: &str) -> String {
    match iri
        .strip_prefix(state.shared.minter.base())
        .filter(|relative| !relative.contains('#'))
    {
        Some(relative) => format!("{}{relative}", state.shared.base_path),
        None => format!(
            "/resource?iri={}",
            form_urlencoded::byte_serialize(iri.as_bytes()).collect::<String>()
        ),
    }
}

/// A term as HTML: IRIs link to their page (shown by `label` when given), literals by value.
fn term_html(state: &AppState, term: &Term, label: Option<&Term>) -> String {
    match term {
        Term::NamedNode(node) => {
            let shown = match label {
                Some(Term::Literal(label)) => label.value().to_string(),
                _ => short(state, node.as_str()),
            };
            format!(
                "<a href=\"{}\">{}</a>",
                escape(&href(state, node.as_str())),
                escape(&shown)
            )
        }
        Term::Literal(literal) => escape(literal.value()),
        other => escape(&other.to_string()),
    }
}

fn render(state: &AppState, iri: &str, description: &Description) -> String {
    let values_of = |predicate: &str| -> Vec<&Row> {
        description
            .outgoing
            .iter()
            .filter(
                |row| matches!(row.get("p"), Some(Term::NamedNode(p)) if p.as_str() == predicate),
            )
            .collect()
    };
    let literal = |row: &Row, name: &str| match row.get(name) {
        Some(Term::Literal(literal)) => Some(literal.value().to_string()),
        _ => None,
    };
    const LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
    const TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    const ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
    const TITLE: &str = "http://purl.org/dc/terms/title";
    let label = values_of(LABEL)
        .first()
        .or(values_of(TITLE).first())
        .and_then(|row| literal(row, "o"))
        .unwrap_or_else(|| short(state, iri));
    let own = href(state, iri);
    let joiner = if own.contains('?') { '&' } else { '?' };
    let mut page = String::new();
    page.push_str(&format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · dealgraph</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n\
         </head>\n<body>\n<header><a href=\"/\">dealgraph</a> · resource</header>\n<main>\n\
         <h1>{title}</h1>\n<p class=\"iri\"><code>{iri_text}</code></p>\n<p class=\"downloads\">RDF:",
        title = escape(&label),
        iri_text = escape(iri),
    ));
    for (name, shown) in [
        ("ttl", "Turtle"),
        ("nt", "N-Triples"),
        ("nq", "N-Quads"),
        ("trig", "TriG"),
        ("jsonld", "JSON-LD"),
        ("rdfxml", "RDF/XML"),
    ] {
        page.push_str(&format!(
            " <a href=\"{}\">{shown}</a>",
            escape(&format!("{own}{joiner}format={name}"))
        ));
    }
    page.push_str("</p>\n");
    let list = |page: &mut String, heading: &str, class: &str, rows: &[&Row]| {
        if rows.is_empty() {
            return;
        }
        page.push_str(&format!("<h2>{heading}</h2>\n<ul class=\"{class}\">\n"));
        for row in rows {
            if let Some(term) = row.get("o") {
                page.push_str(&format!(
                    "<li>{}</li>\n",
                    term_html(state, term, row.get("label"))
                ));
            }
        }
        page.push_str("</ul>\n");
    };
    list(&mut page, "Types", "types", &values_of(TYPE));
    let drawn = values_of(TYPE).iter().any(|row| {
        matches!(row.get("o"), Some(Term::NamedNode(class)) if ENTITY_CLASSES.contains(&class.as_ref()))
    });
    if drawn {
        let picture = format!(
            "/graph.svg?focus={}&depth=1",
            form_urlencoded::byte_serialize(iri.as_bytes()).collect::<String>()
        );
        page.push_str(&format!(
            "<h2>Picture</h2>\n<object class=\"graph-picture\" data=\"{0}\" type=\"image/svg+xml\">\
             No picture: <a href=\"{0}\">the picture's address</a> says why (Graphviz missing \
             on the server, or too large a graph).</object>\n",
            escape(&picture)
        ));
    }
    list(&mut page, "Also known as", "aliases", &values_of(ALT_LABEL));
    if !description.claims.is_empty() {
        page.push_str(
            "<h2>Claims</h2>\n<table class=\"claims\">\n<thead><tr><th>statement</th>\
             <th>article</th><th>source sentence</th></tr></thead>\n<tbody>\n",
        );
        for claim in &description.claims {
            let cell = |name: &str, label: &str| {
                claim
                    .get(name)
                    .map_or_else(String::new, |term| term_html(state, term, claim.get(label)))
            };
            let article = claim.get("article").map_or_else(String::new, |article| {
                let shown = claim.get("title").or(claim.get("source"));
                term_html(state, article, shown)
            });
            let source = literal(claim, "source")
                .map(|source| format!("<br><small>{}</small>", escape(&source)))
                .unwrap_or_default();
            page.push_str(&format!(
                "<tr><td>{} {} {}</td><td>{article}{source}</td><td class=\"sentence\">{}</td></tr>\n",
                cell("s", "sLabel"),
                cell("p", ""),
                cell("o", "oLabel"),
                escape(&literal(claim, "sentence").unwrap_or_default()),
            ));
        }
        page.push_str("</tbody>\n</table>\n");
    }
    let shown = [LABEL, TYPE, ALT_LABEL];
    let relations: Vec<&Row> = description
        .outgoing
        .iter()
        .filter(
            |row| !matches!(row.get("p"), Some(Term::NamedNode(p)) if shown.contains(&p.as_str())),
        )
        .collect();
    if !relations.is_empty() {
        page.push_str(
            "<h2>Relations</h2>\n<table class=\"relations\">\n<thead><tr><th>property</th>\
             <th>value</th></tr></thead>\n<tbody>\n",
        );
        for row in relations {
            page.push_str(&format!(
                "<tr><td>{}</td><td>{}</td></tr>\n",
                row.get("p")
                    .map_or_else(String::new, |p| term_html(state, p, None)),
                row.get("o")
                    .map_or_else(String::new, |o| term_html(state, o, row.get("label"))),
            ));
        }
        page.push_str("</tbody>\n</table>\n");
    }
    if !description.incoming.is_empty() {
        page.push_str(
            "<h2>Referred to by</h2>\n<table class=\"incoming\">\n<thead><tr><th>resource</th>\
             <th>property</th></tr></thead>\n<tbody>\n",
        );
        for row in &description.incoming {
            page.push_str(&format!(
                "<tr><td>{}</td><td>{}</td></tr>\n",
                row.get("s")
                    .map_or_else(String::new, |s| term_html(state, s, row.get("label"))),
                row.get("p")
                    .map_or_else(String::new, |p| term_html(state, p, None)),
            ));
        }
        page.push_str("</tbody>\n</table>\n");
    }
    page.push_str("</main>\n</body>\n</html>\n");
    page
}
