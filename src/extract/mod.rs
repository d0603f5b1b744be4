//! Extract: turns one [`Document`] into an [`Extraction`]: sentences, entities, mentions and claims.
//!
//! The first extractor is made of general rules over reference data from `schema/reference/`:
//! gazetteers for countries (names, aliases, demonyms) and well-known organisations, organisation
//! head words ("Ministry", "Court", "Watch"), acronym definitions, titles before names, appositive
//! roles, speech verbs, and agreement trigger words with the countries named in the same sentence as
//! parties. It does no I/O and knows nothing of any particular article. Every mention's text equals
//! the document text at its span, and no mention lies in clutter.

mod administrations;
mod agreements;
mod attributes;
mod draft;
mod gazetteer;
pub mod model;
mod names;
mod organisations;
mod people;
mod quotes;
mod reach;
pub mod reference;
mod tokens;

use foldhash::HashSet;

use crate::ingest::{Document, ZoneKind};
use crate::text::{split_sentences, CharSpan};

pub use model::{
    AgreementStatus, Claim, ClaimValue, EntityClass, EntityRecord, Extraction, Mention,
    MentionKind, OrganisationKind, Predicate, Qualifier,
};
pub use reference::{Reference, ReferenceError};

use crate::ner::features::Gazetteer;
use crate::ner::{Model, Recogniser, EMBEDDED_MODEL};
use draft::{Draft, Finished};
use gazetteer::Gazetteers;
use tokens::{tokenise_sentences, TokenisedSentence};

/// The rule-based extractor, built once and used for any number of documents (it is `Sync`).
#[derive(Debug)]
pub struct Extractor {
    reference: Reference,
    gazetteers: Gazetteers,
    speech_verbs: HashSet<String>,
    recogniser: Recogniser,
}

/// Why an extractor could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// A reference file is malformed.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The shipped named-entity model cannot be read.
    #[error(transparent)]
    Model(#[from] crate::ner::ModelError),
    /// A matcher could not be built from the reference data.
    #[error("cannot build the {what} matcher: {message}")]
    Matcher {
        /// Which matcher.
        what: &'static str,
        /// The underlying error.
        message: String,
    },
}

impl Extractor {
    /// An extractor over the embedded reference data.
    pub fn new() -> Result<Self, ExtractError> {
        Self::with_reference(Reference::embedded()?)
    }

    /// An extractor over the given reference data.
    pub fn with_reference(reference: Reference) -> Result<Self, ExtractError> {
        let gazetteers = Gazetteers::new(&reference)?;
        let speech_verbs = reference.speech_verbs.iter().cloned().collect();
        let model = Model::from_bytes(EMBEDDED_MODEL)?;
        let recogniser = Recogniser::with_gazetteer(model, Gazetteer::from_reference(&reference));
        Ok(Self {
            reference,
            gazetteers,
            speech_verbs,
            recogniser,
        })
    }

    /// Extracts what `document` says: sentences are split and tokenised once for the recogniser
    /// and the rules.
    pub fn extract(&self, document: Document) -> Extraction {
        let draft = Draft::new(&document.text, self.sentences(&document));
        let sentences = self.tokenise(&draft);
        let names = names::find(&self.recogniser, &sentences);
        let parts = self.apply_rules(draft, &sentences, &names);
        extraction(document, parts)
    }

    /// The recogniser's names in `document` (the first half of [`Extractor::extract`], apart so
    /// that the rules can be measured alone).
    pub fn recognise(&self, document: &Document) -> RecognisedNames {
        let draft = Draft::new(&document.text, self.sentences(document));
        RecognisedNames(names::find(&self.recogniser, &self.tokenise(&draft)))
    }

    /// Extracts what `document` says given the recogniser's names in it (from
    /// [`Extractor::recognise`] on the same document).
    pub fn extract_with_names(&self, document: Document, names: &RecognisedNames) -> Extraction {
        let draft = Draft::new(&document.text, self.sentences(&document));
        let sentences = self.tokenise(&draft);
        let parts = self.apply_rules(draft, &sentences, &names.0);
        extraction(document, parts)
    }

    /// The rule passes over one document's draft, its tokenised sentences and the recogniser's
    /// names in it.
    fn apply_rules(
        &self,
        mut draft: Draft<'_>,
        sentences: &[TokenisedSentence<'_>],
        names: &[names::NamedSpan],
    ) -> Finished {
        let countries = self.gazetteers.find_countries(&mut draft, names);
        let mut organisations = organisations::find(
            &self.gazetteers,
            &self.reference,
            &countries,
            names,
            sentences,
            &mut draft,
        );
        let administration_mentions = people::find(
            &self.gazetteers,
            &self.speech_verbs,
            &countries,
            &organisations,
            names,
            sentences,
            &mut draft,
        );
        organisations.extend(administration_mentions);
        administrations::tie_to_countries(&mut organisations, &countries, &draft);
        agreements::find(&self.gazetteers, &countries, &organisations, &mut draft);
        let named: Vec<&Found> = countries.iter().chain(organisations.iter()).collect();
        names::record_places(names, &named, &mut draft);
        quotes::find(&mut draft);
        draft.finish()
    }

    /// The draft's sentences with their tokens and titles.
    fn tokenise<'t>(&self, draft: &Draft<'t>) -> Vec<TokenisedSentence<'t>> {
        tokenise_sentences(
            draft.text,
            &draft.sentence_byte_ranges(),
            &self.gazetteers.title_matcher,
        )
    }

    /// The sentences of a document, clutter excluded.
    fn sentences(&self, document: &Document) -> Vec<CharSpan> {
        let clutter: Vec<CharSpan> = document
            .zones
            .iter()
            .filter(|z| z.kind == ZoneKind::Clutter)
            .map(|z| z.span())
            .collect();
        split_sentences(&document.text, &clutter, &self.reference.abbreviations)
    }
}

/// The extraction of `document` from its finished draft.
fn extraction(document: Document, (sentences, entities, mentions, claims): Finished) -> Extraction {
    Extraction {
        document,
        sentences,
        entities,
        mentions,
        claims,
    }
}

/// The names the recogniser found in one document, in byte offsets of its text; opaque, for
/// [`Extractor::extract_with_names`].
#[derive(Debug, Clone, Default)]
pub struct RecognisedNames(Vec<names::NamedSpan>);

impl RecognisedNames {
    /// How many names.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A mention found by one pass, in byte offsets, for the passes after it.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Local entity identifier.
    pub entity: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The country's ISO code, for countries and the governments of countries.
    pub country_code: Option<String>,
}
