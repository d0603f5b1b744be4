//! The graph builder: extractions and their resolution in, quads out.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};

use super::iri::{slugify, Minter};
use super::vocab::{dcterms, dg, itsrdf, nif, org, prov, schema, skos};
use crate::extract::{
    AgreementStatus, ClaimValue, EntityClass, Extraction, MentionKind, OrganisationKind, Predicate,
    Qualifier,
};
use crate::ingest::ZoneKind;
use crate::resolve::{DocumentEntities, Resolution, ResolvedEntity};

/// What is recorded about the build itself.
#[derive(Debug, Clone)]
pub struct BuildInfo {
    /// dealgraph's version.
    pub version: String,
    /// When the build started, as an `xsd:dateTime` lexical form.
    pub started: String,
}

/// Writes quads into one graph, handing each to a sink.
struct GraphWriter<'q> {
    graph: GraphName,
    sink: &'q mut dyn FnMut(Quad),
}

impl GraphWriter<'_> {
    fn add(&mut self, subject: &NamedNode, predicate: NamedNodeRef<'_>, object: impl Into<Term>) {
        (self.sink)(Quad::new(
            NamedOrBlankNode::NamedNode(subject.clone()),
            predicate.into_owned(),
            object.into(),
            self.graph.clone(),
        ));
    }

    fn add_type(&mut self, subject: &NamedNode, class: NamedNodeRef<'_>) {
        self.add(subject, rdf::TYPE, class.into_owned());
    }
}

fn string(value: &str) -> Literal {
    Literal::new_simple_literal(value)
}

fn index(value: usize) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::INTEGER)
}

/// Every quad of the graph of `extractions` as `resolution` resolves them: the entities graph,
/// each article's graph and the provenance graph.
pub fn build_quads(
    extractions: &[Extraction],
    resolution: &Resolution,
    minter: &Minter,
    info: &BuildInfo,
) -> Vec<Quad> {
    let mut quads = Vec::new();
    let built = build_quads_in_parts(extractions, resolution, minter, info, |part| {
        quads.extend(part);
        Ok::<(), std::convert::Infallible>(())
    });
    match built {
        Ok(()) => quads,
        Err(never) => match never {},
    }
}

/// The most quads of one article handed to a sink at once.
const PART_QUADS: usize = 50_000;

/// The quads of [`build_quads`] given to `sink` a part at a time (the entities graph, then each
/// article's graph in parts of at most 50,000 quads, then the provenance graph), so that a
/// caller loading them never holds the graph whole; stops at the first error of `sink`.
pub fn build_quads_in_parts<E>(
    extractions: &[Extraction],
    resolution: &Resolution,
    minter: &Minter,
    info: &BuildInfo,
    mut sink: impl FnMut(Vec<Quad>) -> Result<(), E>,
) -> Result<(), E> {
    let documents: Vec<DocumentEntities> = extractions.iter().map(DocumentEntities::of).collect();
    let entity_iris = entity_iris(&resolution.entities, minter, &HashMap::new());
    sink(entities_graph_quads(
        &documents,
        resolution,
        &entity_iris,
        minter,
    ))?;
    for (extraction, links) in extractions.iter().zip(&resolution.links) {
        // A long article's graph goes in parts too.
        let mut part = Vec::new();
        let mut failure = None;
        write_document_graph(extraction, links, &entity_iris, minter, &mut |quad| {
            if failure.is_some() {
                return;
            }
            part.push(quad);
            if part.len() >= PART_QUADS {
                failure = sink(std::mem::take(&mut part)).err();
            }
        });
        if let Some(error) = failure {
            return Err(error);
        }
        sink(part)?;
    }
    sink(provenance_graph_quads(
        documents
            .iter()
            .map(|d| (d.id.as_str(), d.content_hash.as_str())),
        minter,
        info,
    ))
}

/// One IRI per resolved entity. An entity keeps the IRI `registered` for one of its members (the
/// one registered for its own key first, else the smallest; an IRI goes to the first entity in key
/// order that claims it); the others get the slug of their label, with `-2`, `-3`... when taken.
pub fn entity_iris(
    entities: &[ResolvedEntity],
    minter: &Minter,
    registered: &HashMap<String, NamedNode>,
) -> Vec<NamedNode> {
    let in_use: HashSet<&NamedNode> = registered.values().collect();
    entity_iris_beside(entities, minter, registered, |iri| in_use.contains(iri))
}

/// [`entity_iris`] for a caller that keeps the set of IRIs `registered` holds (`in_use`), so it
/// is not gathered again for every few entities.
pub fn entity_iris_beside(
    entities: &[ResolvedEntity],
    minter: &Minter,
    registered: &HashMap<String, NamedNode>,
    in_use: impl Fn(&NamedNode) -> bool,
) -> Vec<NamedNode> {
    let mut taken: HashSet<NamedNode> = HashSet::new();
    let mut claimed: HashSet<NamedNode> = HashSet::new();
    let kept: Vec<Option<NamedNode>> = entities
        .iter()
        .map(|entity| {
            let own = registered.get(&entity.key);
            let smallest = entity
                .members
                .iter()
                .filter_map(|member| registered.get(member))
                .filter(|iri| !claimed.contains(*iri))
                .min();
            let chosen = own.filter(|iri| !claimed.contains(*iri)).or(smallest)?;
            claimed.insert(chosen.clone());
            Some(chosen.clone())
        })
        .collect();
    entities
        .iter()
        .zip(kept)
        .map(|(entity, kept)| {
            kept.unwrap_or_else(|| {
                let base_slug = slugify(&entity.label);
                let mut iri = minter.entity(entity.class, &base_slug);
                let mut suffix = 1;
                while in_use(&iri) || taken.contains(&iri) {
                    suffix += 1;
                    iri = minter.entity(entity.class, &format!("{base_slug}-{suffix}"));
                }
                taken.insert(iri.clone());
                iri
            })
        })
        .collect()
}

/// The entities graph: resolved entities (with the keys that keep their IRIs stable) and the posts
/// officials hold, each post described once with the smallest of the titles that name it.
pub fn entities_graph_quads(
    documents: &[DocumentEntities],
    resolution: &Resolution,
    iris: &[NamedNode],
    minter: &Minter,
) -> Vec<Quad> {
    let mut quads: Vec<Quad> = resolution
        .entities
        .iter()
        .zip(iris)
        .flat_map(|(entity, iri)| entity_quads(entity, iri, minter))
        .collect();
    quads.extend(post_quads(documents, resolution, iris, minter));
    quads
}

/// One resolved entity's part of the entities graph: its classes, label, aliases, codes and
/// resolution keys, all with its IRI as subject.
pub fn entity_quads(entity: &ResolvedEntity, iri: &NamedNode, minter: &Minter) -> Vec<Quad> {
    let mut quads = Vec::new();
    let mut graph = GraphWriter {
        graph: minter.entities_graph().into(),
        sink: &mut |quad| quads.push(quad),
    };
    for class in classes_of(entity) {
        graph.add_type(iri, class);
    }
    graph.add(iri, rdfs::LABEL, string(&entity.label));
    for alias in &entity.aliases {
        graph.add(iri, skos::ALT_LABEL, string(alias));
    }
    if let Some(code) = &entity.code {
        graph.add(iri, dg::ISO_ALPHA2, string(code));
    }
    if let Some(alpha3) = &entity.alpha3 {
        graph.add(iri, dg::ISO_ALPHA3, string(alpha3));
    }
    for member in &entity.members {
        graph.add(iri, dg::RESOLUTION_KEY, string(member));
    }
    quads
}

/// The posts officials hold, in the entities graph: each described once, with the smallest of the
/// titles that name it.
pub fn post_quads(
    documents: &[DocumentEntities],
    resolution: &Resolution,
    iris: &[NamedNode],
    minter: &Minter,
) -> Vec<Quad> {
    let mut posts = Posts::default();
    for (document, links) in documents.iter().zip(&resolution.links) {
        posts.add(document, links, iris, minter);
    }
    posts.into_quads(minter).collect()
}

/// The posts officials hold, gathered a document at a time ([`post_quads`] over a stream).
#[derive(Debug, Default)]
pub struct Posts {
    /// Post IRI → the smallest title naming it, and the entity it is in (as first seen).
    described: BTreeMap<NamedNode, (String, Option<NamedNode>)>,
}

impl Posts {
    /// Takes in the posts of `document`, whose local entities link to `iris` through `links`.
    pub fn add(
        &mut self,
        document: &DocumentEntities,
        links: &HashMap<String, usize>,
        iris: &[NamedNode],
        minter: &Minter,
    ) {
        for held in &document.posts {
            if !links.contains_key(&held.holder) {
                continue;
            }
            let title = &held.title;
            let within = held
                .within
                .as_deref()
                .and_then(|id| links.get(id))
                .map(|&i| &iris[i]);
            let post = post_iri(minter, title, within);
            self.described
                .entry(post)
                .and_modify(|described| {
                    if title < &described.0 {
                        described.0.clone_from(title);
                    }
                })
                .or_insert_with(|| (title.clone(), within.cloned()));
        }
    }

    /// The posts' quads in the entities graph, made a post at a time.
    pub fn into_quads(self, minter: &Minter) -> impl Iterator<Item = Quad> + '_ {
        self.described
            .into_iter()
            .flat_map(move |(post, (title, within))| {
                post_description_quads(&post, &title, within.as_ref(), minter)
            })
    }
}

/// One post's description in the entities graph: its class, its title and what it is in.
pub fn post_description_quads(
    post: &NamedNode,
    title: &str,
    within: Option<&NamedNode>,
    minter: &Minter,
) -> Vec<Quad> {
    let mut quads = Vec::new();
    let mut graph = GraphWriter {
        graph: minter.entities_graph().into(),
        sink: &mut |quad| quads.push(quad),
    };
    graph.add_type(post, org::POST);
    graph.add(post, rdfs::LABEL, string(title));
    if let Some(within) = within {
        graph.add(post, org::POST_IN, within.clone());
    }
    quads
}

/// A post's IRI: its title within the entity whose IRI it is in (the last segment of that IRI).
pub fn post_iri(minter: &Minter, title: &str, within: Option<&NamedNode>) -> NamedNode {
    let within_slug = within.map(|iri| iri.as_str().rsplit('/').next().unwrap_or_default());
    minter.post(title, within_slug)
}

fn classes_of(entity: &ResolvedEntity) -> Vec<NamedNodeRef<'static>> {
    let mut classes = match entity.class {
        EntityClass::Country => vec![dg::COUNTRY, schema::COUNTRY],
        EntityClass::Organisation => vec![dg::ORGANISATION, schema::ORGANIZATION],
        EntityClass::Official => vec![dg::OFFICIAL, schema::PERSON],
        EntityClass::Person => vec![schema::PERSON],
        EntityClass::Agreement => vec![dg::AGREEMENT],
        EntityClass::Place => vec![schema::PLACE],
    };
    for kind in &entity.kinds {
        classes.extend_from_slice(match kind {
            OrganisationKind::GovernmentBody => {
                &[dg::GOVERNMENT_BODY, schema::GOVERNMENT_ORGANIZATION][..]
            }
            OrganisationKind::Court => &[dg::COURT][..],
            OrganisationKind::Ngo => &[dg::NGO, schema::NGO][..],
            OrganisationKind::InternationalBody => &[dg::INTERNATIONAL_BODY][..],
            OrganisationKind::Media => {
                &[dg::MEDIA_ORGANISATION, schema::NEWS_MEDIA_ORGANIZATION][..]
            }
            OrganisationKind::Company => &[dg::COMPANY, schema::CORPORATION][..],
            OrganisationKind::Party => &[dg::POLITICAL_PARTY, schema::POLITICAL_PARTY][..],
        });
    }
    classes
}

/// The graph of one document: what it states, with the entity IRIs its local entities link to.
pub fn document_graph_quads(
    extraction: &Extraction,
    links: &HashMap<String, usize>,
    entity_iris: &[NamedNode],
    minter: &Minter,
) -> Vec<Quad> {
    let mut quads = Vec::new();
    write_document_graph(extraction, links, entity_iris, minter, &mut |quad| {
        quads.push(quad);
    });
    quads
}

/// The quads of [`document_graph_quads`] handed to `sink` one at a time as they are made, so that a
/// long article's graph need not be held whole.
pub fn write_document_graph(
    extraction: &Extraction,
    links: &HashMap<String, usize>,
    entity_iris: &[NamedNode],
    minter: &Minter,
    sink: &mut dyn FnMut(Quad),
) {
    let iri_of = |local: &str| links.get(local).map(|&i| entity_iris[i].clone());
    let document = &extraction.document;
    let article = minter.document(&document.id);
    let mut graph = GraphWriter {
        graph: article.clone().into(),
        sink,
    };
    let text_length = document.text.chars().count();
    let context = minter.span(&article, 0, text_length);
    graph.add_type(&article, schema::NEWS_ARTICLE);
    graph.add(&article, dcterms::SOURCE, string(&document.source));
    graph.add(&article, dcterms::IDENTIFIER, string(&document.id));
    graph.add(&article, dg::CONTENT_HASH, string(&document.content_hash));
    graph.add(
        &article,
        dg::SOURCE_FORMAT,
        string(&document.format.to_string()),
    );
    graph.add(&article, dg::HAS_CONTEXT, context.clone());
    if let Some(title) = &document.title {
        graph.add(&article, dcterms::TITLE, string(title));
    }
    if let Some(url) = &document.url {
        graph.add(
            &article,
            schema::URL,
            Literal::new_typed_literal(url, xsd::ANY_URI),
        );
    }
    if let Some(published) = &document.published {
        let datatype = if published.contains('T') {
            xsd::DATE_TIME
        } else {
            xsd::DATE
        };
        graph.add(
            &article,
            dcterms::ISSUED,
            Literal::new_typed_literal(published, datatype),
        );
    }
    graph.add_type(&context, nif::CONTEXT);
    graph.add(&context, nif::IS_STRING, string(&document.text));
    graph.add(&context, nif::BEGIN_INDEX, index(0));
    graph.add(&context, nif::END_INDEX, index(text_length));

    let chars: Vec<char> = document.text.chars().collect();
    let anchor = |start: usize, end: usize| -> String {
        chars[start.min(chars.len())..end.min(chars.len())]
            .iter()
            .collect()
    };
    let mut spans_written: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut write_span = |graph: &mut GraphWriter<'_>, start: usize, end: usize| -> NamedNode {
        let iri = minter.span(&article, start, end);
        if spans_written.insert((start, end)) {
            graph.add_type(&iri, nif::OFFSET_BASED_STRING);
            graph.add(&iri, nif::BEGIN_INDEX, index(start));
            graph.add(&iri, nif::END_INDEX, index(end));
            graph.add(&iri, nif::ANCHOR_OF, string(&anchor(start, end)));
            graph.add(&iri, nif::REFERENCE_CONTEXT, context.clone());
        }
        iri
    };
    let sentence_iris: Vec<NamedNode> = extraction
        .sentences
        .iter()
        .map(|sentence| {
            let iri = write_span(&mut graph, sentence.start, sentence.end);
            graph.add_type(&iri, nif::SENTENCE);
            iri
        })
        .collect();
    for zone in &document.zones {
        let iri = write_span(&mut graph, zone.start, zone.end);
        graph.add_type(
            &iri,
            if zone.kind == ZoneKind::Caption {
                dg::CAPTION
            } else {
                dg::CLUTTER
            },
        );
        graph.add(&iri, dg::ZONE_RULE, string(&zone.rule));
    }
    let mut mentioned: BTreeSet<NamedNode> = BTreeSet::new();
    for mention in &extraction.mentions {
        let Some(entity) = iri_of(&mention.entity) else {
            continue;
        };
        let iri = write_span(&mut graph, mention.start, mention.end);
        graph.add_type(&iri, nif::PHRASE);
        graph.add_type(&iri, dg::MENTION);
        graph.add(&iri, itsrdf::TA_IDENT_REF, entity.clone());
        graph.add(
            &iri,
            dg::MENTION_KIND,
            string(mention_kind_name(mention.kind)),
        );
        if let Some(sentence) = sentence_iris.get(mention.sentence) {
            graph.add(&iri, nif::SENTENCE_PROPERTY, sentence.clone());
        }
        mentioned.insert(entity);
    }
    for entity in &mentioned {
        graph.add(entity, dg::MENTIONED_IN, article.clone());
    }
    for claim in &extraction.claims {
        let Some(subject) = iri_of(&claim.subject) else {
            continue;
        };
        let (predicate, object): (NamedNodeRef<'static>, Term) =
            match (&claim.predicate, &claim.value) {
                (
                    side @ (Predicate::Party | Predicate::Sender | Predicate::Host),
                    ClaimValue::Entity(id),
                ) => {
                    let property = match side {
                        Predicate::Sender => dg::SENDER,
                        Predicate::Host => dg::HOST,
                        _ => dg::PARTY,
                    };
                    match iri_of(id) {
                        Some(party) => (property, party.into()),
                        None => continue,
                    }
                }
                (
                    Predicate::Capacity,
                    ClaimValue::Quantity {
                        value,
                        unit,
                        qualifier,
                    },
                ) => {
                    let node = minter.value_node(&article, &digest(&["capacity"], &claim.evidence));
                    graph.add_type(&node, schema::QUANTITATIVE_VALUE);
                    graph.add(
                        &node,
                        schema::VALUE,
                        Literal::new_typed_literal(value.to_string(), xsd::INTEGER),
                    );
                    graph.add(&node, schema::UNIT_TEXT, string(unit));
                    if let Some(qualifier) = qualifier {
                        graph.add(&node, dg::QUALIFIER, string(qualifier_name(*qualifier)));
                    }
                    (dg::CAPACITY, node.into())
                }
                (
                    Predicate::Money,
                    ClaimValue::Money {
                        value,
                        currency,
                        qualifier,
                    },
                ) => {
                    let node = minter.value_node(&article, &digest(&["money"], &claim.evidence));
                    graph.add_type(&node, schema::MONETARY_AMOUNT);
                    graph.add(
                        &node,
                        schema::VALUE,
                        Literal::new_typed_literal(value.to_string(), xsd::DECIMAL),
                    );
                    graph.add(&node, schema::CURRENCY, string(currency));
                    if let Some(qualifier) = qualifier {
                        graph.add(&node, dg::QUALIFIER, string(qualifier_name(*qualifier)));
                    }
                    (dg::AMOUNT, node.into())
                }
                (Predicate::Duration, ClaimValue::Duration(duration)) => (
                    dg::DURATION,
                    Literal::new_typed_literal(duration, xsd::DURATION).into(),
                ),
                (Predicate::Year, ClaimValue::Year(year)) => (
                    dg::YEAR,
                    Literal::new_typed_literal(format!("{year:04}"), xsd::G_YEAR).into(),
                ),
                (Predicate::Quoted, ClaimValue::Quote(words)) => {
                    let node = minter.value_node(&article, &digest(&["quote"], &claim.evidence));
                    graph.add_type(&node, schema::QUOTATION);
                    graph.add(&node, schema::TEXT, string(words));
                    graph.add(&node, schema::CREATOR, subject.clone());
                    (dg::QUOTED, node.into())
                }
                (Predicate::Status, ClaimValue::Status(status)) => {
                    (dg::STATUS, status_concept(*status).into_owned().into())
                }
                (Predicate::Holds, ClaimValue::Post { title, within }) => {
                    let within = within.as_deref().and_then(&iri_of);
                    (org::HOLDS, post_iri(minter, title, within.as_ref()).into())
                }
                _ => continue,
            };
        graph.add(&subject, predicate, object.clone());
        let object_text = match &object {
            Term::NamedNode(node) => node.as_str().to_string(),
            other => other.to_string(),
        };
        let claim_digest = digest(
            &[subject.as_str(), predicate.as_str(), &object_text],
            &claim.evidence,
        );
        let claim_iri = minter.claim(&article, &claim_digest);
        graph.add_type(&claim_iri, dg::CLAIM);
        graph.add_type(&claim_iri, rdf::STATEMENT);
        graph.add(&claim_iri, rdf::SUBJECT, subject.clone());
        graph.add(&claim_iri, rdf::PREDICATE, predicate.into_owned());
        graph.add(&claim_iri, rdf::OBJECT, object);
        graph.add(&claim_iri, prov::WAS_DERIVED_FROM, article.clone());
        graph.add(
            &claim_iri,
            dg::CONFIDENCE,
            Literal::new_typed_literal(format_confidence(claim.confidence), xsd::DECIMAL),
        );
        if let Some(sentence) = sentence_iris.get(claim.sentence) {
            graph.add(&claim_iri, dg::CLAIM_SENTENCE, sentence.clone());
        }
        for span in &claim.evidence {
            let evidence = write_span(&mut graph, span.start, span.end);
            graph.add(&claim_iri, dg::EVIDENCE, evidence);
        }
    }
}

fn qualifier_name(qualifier: Qualifier) -> &'static str {
    match qualifier {
        Qualifier::AtMost => "at_most",
        Qualifier::Over => "over",
        Qualifier::About => "about",
    }
}

fn status_concept(status: AgreementStatus) -> NamedNodeRef<'static> {
    match status {
        AgreementStatus::Proposed => dg::PROPOSED,
        AgreementStatus::InDiscussion => dg::IN_DISCUSSION,
        AgreementStatus::Agreed => dg::AGREED,
        AgreementStatus::Signed => dg::SIGNED,
        AgreementStatus::Implemented => dg::IMPLEMENTED,
        AgreementStatus::Challenged => dg::CHALLENGED,
        AgreementStatus::StruckDown => dg::STRUCK_DOWN,
        AgreementStatus::Ended => dg::ENDED,
    }
}

fn mention_kind_name(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::Name => "name",
        MentionKind::Demonym => "demonym",
        MentionKind::Acronym => "acronym",
        MentionKind::PartialName => "partial_name",
        MentionKind::Reference => "reference",
        MentionKind::Trigger => "trigger",
    }
}

/// A confidence as an `xsd:decimal` lexical form with at most three decimals, clamped to [0, 1].
fn format_confidence(confidence: f64) -> String {
    let clamped = if confidence.is_finite() {
        confidence.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let formatted = format!("{clamped:.3}");
    let trimmed = formatted.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

/// A short hex digest of some parts and evidence spans, to name claims and value nodes stably.
fn digest(parts: &[&str], evidence: &[crate::text::CharSpan]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    for span in evidence {
        hasher.update(format!("{},{};", span.start, span.end).as_bytes());
    }
    crate::ingest::hex(&hasher.finalize()[..8])
}

/// The provenance graph of a build of `articles` (identity and content hash): the build as a `prov:Activity` that used each
/// article, and the software that ran it.
pub fn provenance_graph_quads<'a>(
    articles: impl IntoIterator<Item = (&'a str, &'a str)>,
    minter: &Minter,
    info: &BuildInfo,
) -> Vec<Quad> {
    let mut quads = Vec::new();
    let mut inputs: Vec<(&str, &str)> = articles.into_iter().collect();
    inputs.sort();
    let mut hasher = Sha256::new();
    hasher.update(info.version.as_bytes());
    for (id, hash) in &inputs {
        hasher.update([0]);
        hasher.update(id.as_bytes());
        hasher.update([0]);
        hasher.update(hash.as_bytes());
    }
    let digest = crate::ingest::hex(&hasher.finalize()[..8]);
    let activity = minter.build(&digest);
    let agent = minter.agent(&info.version);
    let mut graph = GraphWriter {
        graph: minter.provenance_graph().into(),
        sink: &mut |quad| quads.push(quad),
    };
    graph.add_type(&activity, prov::ACTIVITY);
    graph.add(
        &activity,
        rdfs::LABEL,
        string(&format!("dealgraph build of {} documents", inputs.len())),
    );
    graph.add(
        &activity,
        prov::STARTED_AT_TIME,
        Literal::new_typed_literal(&info.started, xsd::DATE_TIME),
    );
    graph.add(&activity, prov::WAS_ASSOCIATED_WITH, agent.clone());
    for (id, _) in &inputs {
        graph.add(&activity, prov::USED, minter.document(id));
    }
    graph.add_type(&agent, prov::SOFTWARE_AGENT);
    graph.add(
        &agent,
        rdfs::LABEL,
        string(&format!("dealgraph {}", info.version)),
    );
    graph.add(&agent, dg::SOFTWARE_VERSION, string(&info.version));
    quads
}

#[cfg(test)]
mod tests {
    use super::format_confidence;

    #[test]
    fn confidences_are_decimals() {
        assert_eq!(format_confidence(0.5), "0.5");
        assert_eq!(format_confidence(0.35), "0.35");
        assert_eq!(format_confidence(1.0), "1.0");
        assert_eq!(format_confidence(f64::NAN), "0.0");
        assert_eq!(format_confidence(2.0), "1.0");
    }
}
