//! Agreements: a trigger word ("deal", "treaty", "agreed", "return hubs"...) in a sentence that names
//! at least two countries (directly, by demonym, or through their governments) makes an agreement
//! with those countries as parties. Within a document, one agreement per set of parties.

use std::collections::BTreeMap;

use super::draft::Draft;
use super::gazetteer::Gazetteers;
use super::model::{ClaimValue, EntityClass, MentionKind, Predicate};
use super::Found;
use crate::text::is_whole_word;

/// Finds agreements and records them with `party` claims.
pub(crate) fn find(
    gazetteers: &Gazetteers,
    countries: &[Found],
    organisations: &[Found],
    draft: &mut Draft<'_>,
) {
    let text = draft.text;
    for (sentence_start, sentence_end) in draft.sentence_byte_ranges() {
        let sentence = &text[sentence_start..sentence_end];
        let Some(trigger) = gazetteers
            .trigger_matcher
            .find_iter(sentence)
            .find(|hit| is_whole_word(sentence, hit.start(), hit.end()))
        else {
            continue;
        };
        let trigger_span = (
            sentence_start + trigger.start(),
            sentence_start + trigger.end(),
        );
        // Each country once, with its first mention in the sentence.
        let mut parties: BTreeMap<String, &Found> = BTreeMap::new();
        for found in countries.iter().chain(organisations.iter()) {
            let Some(code) = &found.country_code else {
                continue;
            };
            if sentence_start <= found.start && found.end <= sentence_end {
                parties.entry(code.clone()).or_insert(found);
            }
        }
        if parties.len() < 2 {
            continue;
        }
        let mut names: Vec<String> = parties
            .keys()
            .filter_map(|code| gazetteers.countries.iter().find(|c| &c.code == code))
            .map(|c| c.name.clone())
            .collect();
        names.sort();
        let key = parties.keys().cloned().collect::<Vec<_>>().join("|");
        let name = format!("Agreement between {}", join_names(&names));
        let agreement = draft.entity(EntityClass::Agreement, &key, &name);
        draft.mention(
            &agreement,
            MentionKind::Trigger,
            trigger_span.0,
            trigger_span.1,
        );
        let confidence = if parties.len() == 2 { 0.5 } else { 0.35 };
        for (code, found) in &parties {
            let Some(index) = gazetteers.countries.iter().position(|c| &c.code == code) else {
                continue;
            };
            let country = gazetteers.country_entity(draft, index);
            draft.claim(
                &agreement,
                Predicate::Party,
                ClaimValue::Entity(country),
                &[trigger_span, (found.start, found.end)],
                confidence,
            );
        }
    }
}

/// "A and B", "A, B and C".
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::join_names;

    #[test]
    fn joins_party_names() {
        let names: Vec<String> = ["Chile", "Peru", "Bolivia"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(join_names(&names[..2]), "Chile and Peru");
        assert_eq!(join_names(&names), "Chile, Peru and Bolivia");
    }
}
