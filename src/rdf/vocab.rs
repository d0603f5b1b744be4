//! The RDF terms dealgraph writes: its own namespace (`schema/dealgraph.ttl`) and the standard
//! vocabularies it reuses (schema.org, W3C ORG, PROV-O, NIF 2.0, ITS RDF, DCTERMS, SKOS).
//!
//! Only terms are defined here; the graph builder decides how they are combined.

use oxigraph::model::NamedNodeRef;

macro_rules! terms {
    ($module:ident, $namespace:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        #[doc = concat!("Terms of `", $namespace, "`.")]
        #[allow(missing_docs)]
        pub mod $module {
            use super::NamedNodeRef;
            #[doc = "The namespace IRI."]
            pub const NAMESPACE: &str = $namespace;
            $(pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($namespace, $local));)*
        }
    };
}

terms!(dg, "https://dealgraph.example/ns#", {
    COUNTRY = "Country",
    OFFICIAL = "Official",
    ORGANISATION = "Organisation",
    AGREEMENT = "Agreement",
    GOVERNMENT_BODY = "GovernmentBody",
    COURT = "Court",
    NGO = "NGO",
    INTERNATIONAL_BODY = "InternationalBody",
    MEDIA_ORGANISATION = "MediaOrganisation",
    COMPANY = "Company",
    POLITICAL_PARTY = "PoliticalParty",
    MENTION = "Mention",
    CLAIM = "Claim",
    CAPTION = "Caption",
    CLUTTER = "Clutter",
    PARTY = "party",
    SENDER = "sender",
    HOST = "host",
    MENTIONED_IN = "mentionedIn",
    MENTION_KIND = "mentionKind",
    HAS_CONTEXT = "hasContext",
    CONTENT_HASH = "contentHash",
    RESOLUTION_KEY = "resolutionKey",
    SOURCE_FORMAT = "sourceFormat",
    ISO_ALPHA2 = "iso3166Alpha2",
    ISO_ALPHA3 = "iso3166Alpha3",
    EVIDENCE = "evidence",
    CONFIDENCE = "confidence",
    CLAIM_SENTENCE = "claimSentence",
    ZONE_RULE = "zoneRule",
    SOFTWARE_VERSION = "softwareVersion",
    CAPACITY = "capacity",
    AMOUNT = "amount",
    DURATION = "duration",
    YEAR = "year",
    STATUS = "status",
    QUALIFIER = "qualifier",
    QUOTED = "quoted",
    PROPOSED = "Proposed",
    IN_DISCUSSION = "InDiscussion",
    AGREED = "Agreed",
    SIGNED = "Signed",
    IMPLEMENTED = "Implemented",
    CHALLENGED = "Challenged",
    STRUCK_DOWN = "StruckDown",
    ENDED = "Ended",
});

terms!(schema, "https://schema.org/", {
    COUNTRY = "Country",
    PERSON = "Person",
    ORGANIZATION = "Organization",
    GOVERNMENT_ORGANIZATION = "GovernmentOrganization",
    NEWS_ARTICLE = "NewsArticle",
    NEWS_MEDIA_ORGANIZATION = "NewsMediaOrganization",
    NGO = "NGO",
    CORPORATION = "Corporation",
    POLITICAL_PARTY = "PoliticalParty",
    URL = "url",
    PLACE = "Place",
    QUANTITATIVE_VALUE = "QuantitativeValue",
    MONETARY_AMOUNT = "MonetaryAmount",
    VALUE = "value",
    UNIT_TEXT = "unitText",
    CURRENCY = "currency",
    QUOTATION = "Quotation",
    TEXT = "text",
    CREATOR = "creator",
});

terms!(org, "http://www.w3.org/ns/org#", {
    POST = "Post",
    HOLDS = "holds",
    POST_IN = "postIn",
});

terms!(prov, "http://www.w3.org/ns/prov#", {
    ACTIVITY = "Activity",
    SOFTWARE_AGENT = "SoftwareAgent",
    USED = "used",
    STARTED_AT_TIME = "startedAtTime",
    WAS_ASSOCIATED_WITH = "wasAssociatedWith",
    WAS_DERIVED_FROM = "wasDerivedFrom",
});

terms!(nif, "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", {
    CONTEXT = "Context",
    SENTENCE = "Sentence",
    PHRASE = "Phrase",
    OFFSET_BASED_STRING = "OffsetBasedString",
    IS_STRING = "isString",
    BEGIN_INDEX = "beginIndex",
    END_INDEX = "endIndex",
    ANCHOR_OF = "anchorOf",
    REFERENCE_CONTEXT = "referenceContext",
    SENTENCE_PROPERTY = "sentence",
});

terms!(itsrdf, "http://www.w3.org/2005/11/its/rdf#", {
    TA_IDENT_REF = "taIdentRef",
});

terms!(dcterms, "http://purl.org/dc/terms/", {
    SOURCE = "source",
    TITLE = "title",
    ISSUED = "issued",
    IDENTIFIER = "identifier",
});

terms!(skos, "http://www.w3.org/2004/02/skos/core#", {
    ALT_LABEL = "altLabel",
});

/// Prefixes used when writing Turtle and TriG, and offered to queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dg", dg::NAMESPACE),
    ("schema", schema::NAMESPACE),
    ("org", org::NAMESPACE),
    ("prov", prov::NAMESPACE),
    ("nif", nif::NAMESPACE),
    ("itsrdf", itsrdf::NAMESPACE),
    ("dcterms", dcterms::NAMESPACE),
    ("skos", skos::NAMESPACE),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];
