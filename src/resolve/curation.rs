//! Curation rules applied to the resolved groups: `split` rules choose a key per document while
//! documents are added; `merge`, `alias` and `reject` rules run once every document is in, by the
//! names and aliases of the groups (accent-free, case-blind).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Group, LocalEntity};
use crate::curation::Curation;
use crate::extract::EntityClass;

/// The folded forms of a local entity: its name, aliases and the text of its mentions (not
/// triggers).
pub(super) fn local_forms(local: &LocalEntity) -> BTreeSet<String> {
    std::iter::once(&local.record.name)
        .chain(&local.record.aliases)
        .chain(&local.surface)
        .chain(&local.other_forms)
        .map(|form| fold(form))
        .collect()
}

/// Accent-free lower case, as curation rules and gold files compare names.
pub(super) fn fold(name: &str) -> String {
    crate::eval::normalise(name)
}

/// The keys of the groups a rule names.
fn matching(
    groups: &BTreeMap<String, Group>,
    name: &str,
    class: Option<EntityClass>,
) -> Vec<String> {
    let wanted = fold(name);
    groups
        .iter()
        .filter(|(_, group)| class.is_none_or(|c| c == group.class))
        .filter(|(_, group)| {
            group
                .names
                .keys()
                .chain(group.aliases.iter())
                .any(|n| fold(n) == wanted)
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// What the merge rules did: the labels they set, by key, and for each key a rule merged into
/// another, that other key.
#[derive(Default)]
pub(super) struct Merged {
    pub labels: HashMap<String, String>,
    pub into: HashMap<String, String>,
}

/// Applies merge, alias and reject rules to the groups, noting unmatched rules in `unmatched`.
pub(super) fn apply_curation(
    curation: &Curation,
    groups: &mut BTreeMap<String, Group>,
    unmatched: &mut Vec<String>,
) -> Merged {
    let mut merged = Merged::default();
    for rule in &curation.merge {
        let mut keys: Vec<String> = Vec::new();
        for name in &rule.names {
            // A name the corpus does not use is no fault of the rule (it may be the label the
            // rule gives); only a rule none of whose names match did nothing.
            for key in matching(groups, name, rule.class) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let Some((target, others)) = keys.split_first() else {
            unmatched.push(format!("merge: no entity named any of {:?}", rule.names));
            continue;
        };
        for other in others {
            if let Some(group) = groups.remove(other) {
                if let Some(into) = groups.get_mut(target) {
                    into.absorb(group);
                }
            }
            merged.into.insert(other.clone(), target.clone());
        }
        if let Some(label) = &rule.label {
            merged.labels.insert(target.clone(), label.clone());
            if let Some(group) = groups.get_mut(target) {
                group.aliases.push(label.clone());
            }
        }
    }
    for rule in &curation.alias {
        let found = matching(groups, &rule.name, rule.class);
        if found.is_empty() {
            unmatched.push(format!("alias: no entity named {:?}", rule.name));
        }
        for key in found {
            if let Some(group) = groups.get_mut(&key) {
                group.aliases.push(rule.alias.clone());
            }
        }
    }
    for rule in &curation.reject {
        let found = matching(groups, &rule.name, rule.class);
        if found.is_empty() {
            unmatched.push(format!("reject: no entity named {:?}", rule.name));
        }
        for key in found {
            groups.remove(&key);
        }
    }
    merged
}
