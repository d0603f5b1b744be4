//! The extraction model: what an extractor says about one document, as plain serde data.
//!
//! This is a public interface (JSON Schema: `schema/extraction.schema.json`): `dealgraph extract`
//! writes one [`Extraction`] per line, and `dealgraph build --extractions` reads them back, so any
//! other extractor that writes this format can feed the graph builder. Entities here are local to
//! their document (`e0`, `e1`, ...); the resolve stage links them across documents.

use serde::{Deserialize, Serialize};

use crate::ingest::Document;
use crate::text::CharSpan;

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The document, with its full text.
    pub document: Document,
    /// Sentence spans, in order; mentions and claims refer to them by index.
    pub sentences: Vec<CharSpan>,
    /// The things the document speaks of.
    pub entities: Vec<EntityRecord>,
    /// Where the document names them.
    pub mentions: Vec<Mention>,
    /// What the document says about them.
    pub claims: Vec<Claim>,
}

/// The kind of real thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityClass {
    /// A country (ISO 3166-1 or Kosovo).
    Country,
    /// An organisation of any kind.
    Organisation,
    /// A named person who holds an office or role.
    Official,
    /// A named person whose role the document does not give.
    Person,
    /// An agreement between parties.
    Agreement,
    /// A location that is not a country: a city, region or site.
    Place,
}

/// The finer kind of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// A government, ministry, agency, parliament...
    GovernmentBody,
    /// A court or tribunal.
    Court,
    /// A non-governmental organisation.
    Ngo,
    /// An intergovernmental or international body.
    InternationalBody,
    /// A news organisation.
    Media,
    /// A company.
    Company,
    /// A political party.
    Party,
}

/// A thing the document speaks of, local to the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// Local identifier (`e0`, `e1`, ...), unique within the extraction.
    pub id: String,
    /// What kind of thing it is.
    pub class: EntityClass,
    /// Its canonical name as far as this document knows it.
    pub name: String,
    /// ISO 3166-1 alpha-2 code (countries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// ISO 3166-1 alpha-3 code (countries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha3: Option<String>,
    /// Finer kinds (organisations only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<OrganisationKind>,
    /// Other names the document gives it (an acronym, a full form).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// How a mention names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A name or alias ("United States", "U.S.").
    Name,
    /// A demonym or adjective of a country ("Danish").
    Demonym,
    /// An acronym ("HRW").
    Acronym,
    /// Part of a person's name used alone ("Rama" for "Edi Rama").
    PartialName,
    /// The word that signals an agreement ("deal", "treaty").
    Trigger,
    /// A definite description that refers back to a body named earlier ("the group", "the court").
    Reference,
}

/// One place where the document names an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The entity named (local identifier).
    pub entity: String,
    /// How it is named.
    pub kind: MentionKind,
    /// The surface text; always equals the document text at `start..end`.
    pub text: String,
    /// First character (Unicode scalar values).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Index of the sentence that holds the mention.
    pub sentence: usize,
}

impl Mention {
    /// The mention's character span.
    pub fn span(&self) -> CharSpan {
        CharSpan::new(self.start, self.end)
    }
}

/// What a claim states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// The subject (an agreement) has the value (an entity) as a party.
    Party,
    /// The party (the value) that sends people under the agreement (the subject).
    Sender,
    /// The party (the value) that receives or hosts people under the agreement (the subject).
    Host,
    /// The subject (an official) holds the value (a post).
    Holds,
    /// How many people or things the agreement covers.
    Capacity,
    /// How long the agreement or its stays last.
    Duration,
    /// Money paid under the agreement.
    Money,
    /// The year the agreement was made or started.
    Year,
    /// The state the agreement is in.
    Status,
    /// The subject (a person or organisation) said the value (a quotation).
    Quoted,
}

/// How an amount was qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// "up to", "a maximum of", "at most".
    AtMost,
    /// "over", "more than".
    Over,
    /// "about", "approximately", "some", "around", "nearly".
    About,
}

/// The state of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    /// Proposed or offered.
    Proposed,
    /// Under discussion or negotiation.
    InDiscussion,
    /// Agreed or approved.
    Agreed,
    /// Signed.
    Signed,
    /// In effect.
    Implemented,
    /// Challenged (in court or otherwise).
    Challenged,
    /// Struck down by a court.
    StruckDown,
    /// Ended.
    Ended,
}

/// The value of a claim.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimValue {
    /// Another entity of the same extraction (local identifier).
    Entity(String),
    /// A post: its title and, when known, the organisation or country it is in.
    Post {
        /// The title as written, e.g. "Justice Minister".
        title: String,
        /// Local identifier of the organisation or country.
        #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
        within: Option<String>,
    },
    /// A number of people or things.
    Quantity {
        /// The number.
        value: u64,
        /// What is counted, as written ("deportees", "prison cells").
        unit: String,
        /// "up to", "over", "about", if the text said so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qualifier: Option<Qualifier>,
    },
    /// An amount of money.
    Money {
        /// The amount in units of the currency.
        value: u64,
        /// ISO 4217 code.
        currency: String,
        /// "up to", "over", "about", if the text said so.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        qualifier: Option<Qualifier>,
    },
    /// An `xsd:duration` such as `P1Y`.
    Duration(String),
    /// A year.
    Year(i32),
    /// A state.
    Status(AgreementStatus),
    /// The words of a quotation, without its quotation marks.
    Quote(String),
}

impl ClaimValue {
    /// The local entity the value refers to: the entity itself, or the place of a post.
    pub fn entity(&self) -> Option<&str> {
        match self {
            ClaimValue::Entity(id) => Some(id),
            ClaimValue::Post { within, .. } => within.as_deref(),
            _ => None,
        }
    }
}

/// One statement of the document, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The entity the claim is about (local identifier).
    pub subject: String,
    /// What is stated.
    pub predicate: Predicate,
    /// The stated value.
    pub value: ClaimValue,
    /// The spans of text that support the claim.
    pub evidence: Vec<CharSpan>,
    /// Index of the sentence that holds the evidence.
    pub sentence: usize,
    /// The extractor's confidence, from 0 to 1.
    pub confidence: f64,
}
