//! Names found by the statistical recogniser ([`crate::ner`]): people, organisations, locations
//! and other names, sentence by sentence, in byte offsets of the document text.
//!
//! Headings are skipped: in "Chile Opens Border Posts" capitals say nothing about names.
//! The rule passes decide what the spans become: reference data keeps the final word on countries,
//! and titles, appositions and speech verbs on who is an official.

use super::draft::Draft;
use super::model::{EntityClass, MentionKind};
use super::tokens::TokenisedSentence;
use super::Found;
use crate::ner::{token_ranges, EntityType, Recogniser};

/// One name the recogniser found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NamedSpan {
    /// Its type.
    pub kind: EntityType,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Records the recogniser's locations that are neither a country nor part of an organisation's name
/// as places (cities, regions, sites).
pub(crate) fn record_places(names: &[NamedSpan], named: &[&Found], draft: &mut Draft<'_>) {
    let mut named_bytes = vec![false; draft.text.len()];
    for found in named {
        named_bytes[found.start..found.end].fill(true);
    }
    for name in names.iter().filter(|n| n.kind == EntityType::Loc) {
        if named_bytes[name.start..name.end].contains(&true)
            || draft.is_covered(name.start, name.end)
        {
            continue;
        }
        let label = draft.text[name.start..name.end].to_string();
        let key = label.to_lowercase();
        let id = draft.entity(EntityClass::Place, &key, &label);
        draft.mention(&id, MentionKind::Name, name.start, name.end);
    }
}

/// Tags every sentence but headings.
pub(crate) fn find(recogniser: &Recogniser, sentences: &[TokenisedSentence<'_>]) -> Vec<NamedSpan> {
    let mut names = Vec::new();
    // In a heading every word is capitalised, so capitals say nothing about names.
    for tokenised in sentences.iter().filter(|s| !s.is_heading) {
        let (sentence_start, sentence) = (tokenised.start, tokenised.text);
        let ranges = token_ranges(sentence);
        let words: Vec<&str> = ranges
            .iter()
            .map(|&(start, end)| &sentence[start..end])
            .collect();
        for span in recogniser.tag(&words) {
            names.push(NamedSpan {
                kind: span.kind,
                start: sentence_start + ranges[span.start].0,
                end: sentence_start + ranges[span.end - 1].1,
            });
        }
    }
    names
}
