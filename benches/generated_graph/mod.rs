//! A generated knowledge graph of any size, in the shapes the graph builder writes (see
//! `src/rdf/builder.rs`): an entities graph of countries, organisations, officials and agreements
//! with types, labels and aliases, posts with their titles and places; one named graph per made-up
//! article holding parties, senders, hosts, posts held, agreement statuses and capacities, mentions,
//! and a reified claim (seven quads) behind each fact, as real builds have. The same seed and size
//! always give the same quads. Shared by `benches/graph.rs` and `examples/gen_graph.rs` through
//! `#[path]`; it reads no file and knows no article.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};

use dealgraph::rdf::vocab::{dcterms, dg, org, prov, schema, skos};

const BASE: &str = "https://dealgraph.example/id/";

/// A splitmix64 generator: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

fn iri(path: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{BASE}{path}"))
}

/// How many entities of each class a graph of `entities` entities holds.
pub struct Shape {
    /// Countries (at least 2).
    pub countries: usize,
    /// Organisations.
    pub organisations: usize,
    /// Officials, each holding one post.
    pub officials: usize,
    /// Agreements, each between two parties.
    pub agreements: usize,
    /// Articles (named graphs).
    pub articles: usize,
}

impl Shape {
    /// About 1% countries, 24% organisations, 40% officials and 35% agreements, one article per
    /// five entities.
    pub fn of(entities: usize) -> Self {
        let countries = (entities / 100).max(2);
        let organisations = entities * 24 / 100;
        let officials = entities * 40 / 100;
        let agreements = entities.saturating_sub(countries + organisations + officials);
        Self {
            countries,
            organisations,
            officials,
            agreements,
            articles: (entities / 5).max(1),
        }
    }
}

/// Every quad of a generated graph of `entities` entities.
pub fn quads(entities: usize, seed: u64) -> Vec<Quad> {
    let shape = Shape::of(entities);
    let mut rng = Rng(seed);
    let mut quads = Vec::new();
    let entities_graph: GraphName = iri("graph/entities").into();
    let mut add = |graph: &GraphName, s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        quads.push(Quad::new(s.clone(), p.into_owned(), o, graph.clone()));
    };
    let text = |value: String| Term::from(Literal::new_simple_literal(value));
    let countries: Vec<NamedNode> = (0..shape.countries)
        .map(|i| iri(&format!("country/c{i}")))
        .collect();
    let organisations: Vec<NamedNode> = (0..shape.organisations)
        .map(|i| iri(&format!("organisation/o{i}")))
        .collect();
    for (i, country) in countries.iter().enumerate() {
        add(
            &entities_graph,
            country,
            rdf::TYPE,
            dg::COUNTRY.into_owned().into(),
        );
        add(
            &entities_graph,
            country,
            rdf::TYPE,
            schema::COUNTRY.into_owned().into(),
        );
        add(
            &entities_graph,
            country,
            rdfs::LABEL,
            text(format!("Country {i}")),
        );
        add(
            &entities_graph,
            country,
            skos::ALT_LABEL,
            text(format!("C{i}")),
        );
    }
    for (i, organisation) in organisations.iter().enumerate() {
        add(
            &entities_graph,
            organisation,
            rdf::TYPE,
            dg::ORGANISATION.into_owned().into(),
        );
        add(
            &entities_graph,
            organisation,
            rdf::TYPE,
            schema::ORGANIZATION.into_owned().into(),
        );
        add(
            &entities_graph,
            organisation,
            rdfs::LABEL,
            text(format!("Organisation {i}")),
        );
    }
    let party = |rng: &mut Rng| -> NamedNode {
        if rng.below(3) == 0 {
            organisations[rng.below(organisations.len().max(1))].clone()
        } else {
            countries[rng.below(countries.len())].clone()
        }
    };
    let articles: Vec<NamedNode> = (0..shape.articles)
        .map(|i| iri(&format!("doc/generated/{i}.txt")))
        .collect();
    for (i, article) in articles.iter().enumerate() {
        let graph: GraphName = article.clone().into();
        add(
            &graph,
            article,
            rdf::TYPE,
            schema::NEWS_ARTICLE.into_owned().into(),
        );
        add(
            &graph,
            article,
            dcterms::SOURCE,
            text(format!("generated/{i}.txt")),
        );
    }
    let mut facts = Vec::new();
    // Facts go to one to three articles each, with a claim behind each.
    let fact = |rng: &mut Rng,
                subject: &NamedNode,
                predicate: NamedNodeRef<'_>,
                object: Term,
                out: &mut Vec<(GraphName, NamedNode, NamedNode, Term)>| {
        for _ in 0..=rng.below(3) {
            let article = &articles[rng.below(articles.len())];
            out.push((
                article.clone().into(),
                subject.clone(),
                predicate.into_owned(),
                object.clone(),
            ));
        }
    };
    for i in 0..shape.officials {
        let official = iri(&format!("person/p{i}"));
        add(
            &entities_graph,
            &official,
            rdf::TYPE,
            dg::OFFICIAL.into_owned().into(),
        );
        add(
            &entities_graph,
            &official,
            rdf::TYPE,
            schema::PERSON.into_owned().into(),
        );
        add(
            &entities_graph,
            &official,
            rdfs::LABEL,
            text(format!("Official {i}")),
        );
        let place = party(&mut rng);
        let title = ["Minister", "Spokesperson", "Ambassador", "Director"][rng.below(4)];
        let post = NamedNode::new_unchecked(format!(
            "{}post/{}--{}",
            BASE,
            title.to_lowercase(),
            place.as_str().rsplit('/').next().unwrap_or("x")
        ));
        add(
            &entities_graph,
            &post,
            rdf::TYPE,
            org::POST.into_owned().into(),
        );
        add(&entities_graph, &post, rdfs::LABEL, text(title.to_string()));
        add(&entities_graph, &post, org::POST_IN, place.into());
        fact(&mut rng, &official, org::HOLDS, post.into(), &mut facts);
    }
    for i in 0..shape.agreements {
        let agreement = iri(&format!("agreement/a{i}"));
        add(
            &entities_graph,
            &agreement,
            rdf::TYPE,
            dg::AGREEMENT.into_owned().into(),
        );
        add(
            &entities_graph,
            &agreement,
            rdfs::LABEL,
            text(format!("Agreement {i}")),
        );
        let (first, second) = (party(&mut rng), party(&mut rng));
        fact(
            &mut rng,
            &agreement,
            dg::PARTY,
            first.clone().into(),
            &mut facts,
        );
        fact(
            &mut rng,
            &agreement,
            dg::PARTY,
            second.clone().into(),
            &mut facts,
        );
        if rng.below(4) == 0 {
            fact(&mut rng, &agreement, dg::SENDER, first.into(), &mut facts);
            fact(&mut rng, &agreement, dg::HOST, second.into(), &mut facts);
        }
        let status = [dg::PROPOSED, dg::AGREED, dg::SIGNED][rng.below(3)];
        fact(
            &mut rng,
            &agreement,
            dg::STATUS,
            status.into_owned().into(),
            &mut facts,
        );
        let years = 1 + rng.below(5);
        fact(
            &mut rng,
            &agreement,
            dg::DURATION,
            Literal::new_typed_literal(format!("P{years}Y"), xsd::DURATION).into(),
            &mut facts,
        );
    }
    for (claim_number, (graph, subject, predicate, object)) in facts.into_iter().enumerate() {
        let GraphName::NamedNode(article) = &graph else {
            continue;
        };
        add(&graph, &subject, predicate.as_ref(), object.clone());
        add(&graph, &subject, dg::MENTIONED_IN, article.clone().into());
        let claim = NamedNode::new_unchecked(format!("{}#claim-{claim_number}", article.as_str()));
        add(&graph, &claim, rdf::TYPE, dg::CLAIM.into_owned().into());
        add(
            &graph,
            &claim,
            rdf::TYPE,
            rdf::STATEMENT.into_owned().into(),
        );
        add(&graph, &claim, rdf::SUBJECT, subject.into());
        add(&graph, &claim, rdf::PREDICATE, predicate.into());
        add(&graph, &claim, rdf::OBJECT, object);
        add(
            &graph,
            &claim,
            prov::WAS_DERIVED_FROM,
            article.clone().into(),
        );
        add(
            &graph,
            &claim,
            dg::CONFIDENCE,
            Literal::new_typed_literal("0.8", xsd::DECIMAL).into(),
        );
    }
    quads
}
