//! Content negotiation: picks the representation of an answer from the request's `Accept` header
//! (media ranges with q-values, the most specific range deciding) or from a `format` parameter
//! (a short name such as `csv` or a media type), among the representations that suit the answer.
//! Ties go to the server's order, whose first entry is also the default without an `Accept` header.

use crate::export::GraphFormat;
use crate::query::{OutputFormat, ResultsFormat};

use super::error::HttpError;

/// What an answer can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// A SPARQL results or RDF format.
    Sparql(OutputFormat),
    /// An HTML page.
    Html,
}

/// One representation on offer, with its media type and short name.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    /// The media type sent as `Content-Type`.
    pub media_type: &'static str,
    /// The short name a `format` parameter may give.
    pub name: &'static str,
    /// What the body is.
    pub representation: Representation,
}

const fn results(media_type: &'static str, name: &'static str, format: ResultsFormat) -> Offer {
    Offer {
        media_type,
        name,
        representation: Representation::Sparql(OutputFormat::Results(format)),
    }
}

const fn graph(media_type: &'static str, name: &'static str, format: GraphFormat) -> Offer {
    Offer {
        media_type,
        name,
        representation: Representation::Sparql(OutputFormat::Graph(format)),
    }
}

/// SELECT and ASK answers; SPARQL JSON first.
pub const RESULTS: &[Offer] = &[
    results(
        "application/sparql-results+json",
        "json",
        ResultsFormat::Json,
    ),
    results("application/sparql-results+xml", "xml", ResultsFormat::Xml),
    results("text/csv", "csv", ResultsFormat::Csv),
    results("text/tab-separated-values", "tsv", ResultsFormat::Tsv),
    results("application/json", "json", ResultsFormat::Json),
    results("application/xml", "xml", ResultsFormat::Xml),
];

/// RDF graphs (CONSTRUCT and DESCRIBE answers, graph downloads); Turtle first.
pub const GRAPHS: &[Offer] = &[
    graph("text/turtle", "ttl", GraphFormat::Turtle),
    graph("application/n-triples", "nt", GraphFormat::NTriples),
    graph("application/n-quads", "nq", GraphFormat::NQuads),
    graph("application/trig", "trig", GraphFormat::TriG),
    graph("application/ld+json", "jsonld", GraphFormat::JsonLd),
    graph("application/rdf+xml", "rdfxml", GraphFormat::RdfXml),
    graph("text/plain", "nt", GraphFormat::NTriples),
];

/// A resource page: HTML for a browser, then the RDF formats.
pub const PAGE: &[Offer] = &[
    Offer {
        media_type: "text/html",
        name: "html",
        representation: Representation::Html,
    },
    graph("text/turtle", "ttl", GraphFormat::Turtle),
    graph("application/n-triples", "nt", GraphFormat::NTriples),
    graph("application/n-quads", "nq", GraphFormat::NQuads),
    graph("application/trig", "trig", GraphFormat::TriG),
    graph("application/ld+json", "jsonld", GraphFormat::JsonLd),
    graph("application/rdf+xml", "rdfxml", GraphFormat::RdfXml),
];

/// Chooses among `offers`: by the `format` parameter when given, else by the `Accept` header.
pub fn choose(
    format: Option<&str>,
    accept: Option<&str>,
    offers: &'static [Offer],
) -> Result<Offer, HttpError> {
    let not_acceptable = |asked: &str| HttpError::NotAcceptable {
        asked: asked.to_string(),
        available: offers
            .iter()
            .map(|offer| offer.media_type)
            .collect::<Vec<_>>()
            .join(", "),
    };
    if let Some(format) = format {
        let wanted = format.trim().to_ascii_lowercase();
        return offers
            .iter()
            .find(|offer| {
                offer.name == wanted
                    || offer.media_type == wanted
                    || named_format(offer.representation, &wanted)
            })
            .copied()
            .ok_or_else(|| not_acceptable(&format!("format={format}")));
    }
    let Some(accept) = accept.filter(|accept| !accept.trim().is_empty()) else {
        return Ok(offers[0]);
    };
    let ranges = parse_accept(accept);
    let mut best: Option<(f32, Offer)> = None;
    for offer in offers {
        let quality = quality_of(offer.media_type, &ranges);
        if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, *offer));
        }
    }
    best.map(|(_, offer)| offer)
        .ok_or_else(|| not_acceptable(&format!("Accept: {accept}")))
}

/// True when `name` is one of the command line's names of the offer's format (`xml`, `turtle`,
/// `rdf`...), as clients such as SPARQLWrapper send in `format`.
fn named_format(representation: Representation, name: &str) -> bool {
    match representation {
        Representation::Sparql(OutputFormat::Graph(graph)) => {
            GraphFormat::parse(name) == Some(graph)
        }
        Representation::Sparql(results) => OutputFormat::parse(name) == Some(results),
        Representation::Html => false,
    }
}

/// A media range of an Accept header: type, subtype (either may be `*`) and quality.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    main: String,
    sub: String,
    quality: f32,
}

fn parse_accept(accept: &str) -> Vec<MediaRange> {
    accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let (main, sub) = parts.next()?.trim().split_once('/')?;
            let mut quality = 1.0;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        quality = value.trim().parse::<f32>().ok()?.clamp(0.0, 1.0);
                    }
                }
            }
            Some(MediaRange {
                main: main.trim().to_ascii_lowercase(),
                sub: sub.trim().to_ascii_lowercase(),
                quality,
            })
        })
        .collect()
}

/// The quality the most specific matching range gives `media_type` (0 when none matches).
fn quality_of(media_type: &str, ranges: &[MediaRange]) -> f32 {
    let (main, sub) = media_type.split_once('/').unwrap_or((media_type, ""));
    ranges
        .iter()
        .filter_map(|range| {
            let specificity = match (range.main.as_str(), range.sub.as_str()) {
                (m, s) if m == main && s == sub => 2,
                (m, "*") if m == main => 1,
                ("*", "*") => 0,
                _ => return None,
            };
            Some((specificity, range.quality))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map_or(0.0, |(_, quality)| quality)
}

/// The media type of a `Content-Type` header without its parameters, and its charset if any.
pub fn content_type(value: &str) -> (String, Option<String>) {
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset = parts.find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    });
    (media_type, charset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(accept: Option<&str>, offers: &'static [Offer]) -> &'static str {
        choose(None, accept, offers).expect("acceptable").media_type
    }

    #[test]
    fn follows_quality_values_and_specificity() {
        assert_eq!(chosen(None, RESULTS), "application/sparql-results+json");
        assert_eq!(chosen(Some("*/*"), GRAPHS), "text/turtle");
        assert_eq!(
            chosen(
                Some("text/csv;q=0.5, application/sparql-results+xml"),
                RESULTS
            ),
            "application/sparql-results+xml"
        );
        assert_eq!(
            chosen(Some("text/*;q=0.9, text/csv;q=0.1"), RESULTS),
            "text/tab-separated-values"
        );
        assert_eq!(
            chosen(Some("application/n-triples, */*;q=0.1"), GRAPHS),
            "application/n-triples"
        );
        assert_eq!(
            chosen(Some("text/html,application/xhtml+xml,*/*;q=0.8"), PAGE),
            "text/html"
        );
        assert_eq!(chosen(Some("text/turtle"), PAGE), "text/turtle");
        assert!(matches!(
            choose(None, Some("image/png"), RESULTS),
            Err(HttpError::NotAcceptable { .. })
        ));
        assert!(matches!(
            choose(None, Some("text/csv;q=0"), RESULTS),
            Err(HttpError::NotAcceptable { .. })
        ));
        assert_eq!(
            choose(Some("tsv"), Some("text/csv"), RESULTS)
                .expect("a format")
                .media_type,
            "text/tab-separated-values"
        );
        let named = |name: &str, offers| choose(Some(name), None, offers).expect(name).media_type;
        assert_eq!(named("xml", GRAPHS), "application/rdf+xml");
        assert_eq!(named("turtle", GRAPHS), "text/turtle");
        assert_eq!(named("xml", RESULTS), "application/sparql-results+xml");
        assert!(choose(Some("png"), None, RESULTS).is_err());
        assert_eq!(
            content_type("application/sparql-query; charset=UTF-16"),
            (
                "application/sparql-query".to_string(),
                Some("utf-16".to_string())
            )
        );
    }
}
