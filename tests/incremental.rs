//! Incremental resolution: for random sequences of articles added, replaced and removed, a
//! [`Resolver`] updated one article at a time (only the entities `keys_touched_by` names are
//! recomputed, as `growing` does) gives the same entities and links as resolving the current
//! articles from scratch, after every step, and both equal a plain one-pass grouping written here
//! (so what the tallies keep, such as the first code in id order, is checked against something
//! else); `finish` after removals equals a resolution from scratch too (the path taken when
//! curation rules match entities by name). The [`FoldingResolver`] `build` uses gives the same
//! entities and links as the counting [`Resolver`] whatever order the articles come in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use dealgraph::curation::{Curation, MergeRule, SplitRule};
use dealgraph::extract::{EntityClass, EntityRecord, OrganisationKind};
use dealgraph::resolve::{
    resolve_documents, DocumentEntities, FoldingResolver, LocalEntity, ResolvedEntity, Resolver,
};
use proptest::prelude::*;

const PEOPLE: [&str; 8] = [
    "Smith",
    "John Smith",
    "Jane Smith",
    "Doe",
    "John Doe",
    "Émile Doe",
    "Emile Doe",
    "Ana",
];
const COUNTRIES: [&str; 2] = ["Denmark", "Greenland"];
const ORGANISATIONS: [&str; 3] = ["Human Rights Watch", "HRW", "Ministry of Justice"];
const KINDS: [OrganisationKind; 3] = [
    OrganisationKind::Ngo,
    OrganisationKind::GovernmentBody,
    OrganisationKind::Court,
];

/// The label of the split rule's entity.
const SPLIT_LABEL: &str = "Smith (reporter)";

/// One local entity drawn at random: a class, a name and bits choosing codes, kinds and forms.
type LocalSpec = (u8, usize, u8);

/// Lower case without accents, as the extraction's normalised names are for these names.
fn normalised(name: &str) -> String {
    name.replace('É', "E").to_lowercase()
}

fn local(index: usize, (class, name, bits): LocalSpec) -> LocalEntity {
    let pick = |names: &[&str]| names[name % names.len()].to_string();
    let (class, name) = match class % 5 {
        0 => (EntityClass::Person, pick(&PEOPLE)),
        1 => (EntityClass::Official, pick(&PEOPLE)),
        2 => (EntityClass::Country, pick(&COUNTRIES)),
        3 => (EntityClass::Organisation, pick(&ORGANISATIONS)),
        _ => (EntityClass::Place, pick(&COUNTRIES)),
    };
    let country = class == EntityClass::Country;
    let record = EntityRecord {
        id: format!("e{index}"),
        class,
        code: (country && bits & 1 == 1).then(|| name[..2].to_uppercase()),
        alpha3: (country && bits & 2 == 2).then(|| format!("{}{}", &name[..2], bits % 3)),
        kinds: if class == EntityClass::Organisation {
            KINDS
                .iter()
                .enumerate()
                .filter(|(i, _)| bits >> i & 1 == 1)
                .map(|(_, kind)| *kind)
                .collect()
        } else {
            Vec::new()
        },
        aliases: if bits & 4 == 4 {
            vec![format!("{name} (alias)")]
        } else {
            Vec::new()
        },
        name: name.clone(),
    };
    let mut surface = vec![name.clone()];
    if bits & 8 == 8 {
        surface.push(name.to_uppercase());
    }
    surface.sort();
    LocalEntity {
        normalised: normalised(&name),
        agreement_key: None,
        surface,
        other_forms: if bits & 16 == 16 {
            vec!["theirs".into()]
        } else {
            Vec::new()
        },
        record,
    }
}

/// Article `index` in `variant` (another content under the same id).
fn document(index: usize, variant: usize, locals: &[LocalSpec]) -> DocumentEntities {
    DocumentEntities {
        id: format!("d{index}"),
        content_hash: format!("h{variant}"),
        source: format!("d{index}.txt"),
        url: None,
        entities: locals
            .iter()
            .enumerate()
            .map(|(i, spec)| local(i, *spec))
            .collect(),
        posts: Vec::new(),
    }
}

fn curation(merging: bool) -> Curation {
    Curation {
        split: vec![SplitRule {
            name: "Smith".into(),
            documents: vec!["d1".into()],
            label: SPLIT_LABEL.into(),
            class: None,
        }],
        merge: if merging {
            vec![MergeRule {
                names: vec!["Human Rights Watch".into(), "HRW".into()],
                label: None,
                class: None,
            }]
        } else {
            Vec::new()
        },
        ..Curation::default()
    }
}

/// The entities by key and each current article's links (local id → entity key) of a resolution
/// from scratch.
fn from_scratch(
    current: &BTreeMap<String, DocumentEntities>,
    curation: &Curation,
) -> (Vec<ResolvedEntity>, Vec<HashMap<String, String>>) {
    let documents: Vec<DocumentEntities> = current.values().cloned().collect();
    let resolution = resolve_documents(&documents, curation);
    let links = resolution
        .links
        .iter()
        .map(|links| {
            links
                .iter()
                .map(|(local, &index)| (local.clone(), resolution.entities[index].key.clone()))
                .collect()
        })
        .collect();
    (resolution.entities, links)
}

/// The entities of the current articles made the plain way, as a one-pass resolution did before
/// resolution could be undone: the articles folded in id order into one group per first key (the
/// first code, alpha-3 code and class seen kept), one-word names joined to the only full name ending
/// with them, the most used name as label. Independent of the tallies it checks.
fn plainly(
    current: &BTreeMap<String, DocumentEntities>,
    resolver: &Resolver,
) -> Vec<ResolvedEntity> {
    let mut groups: BTreeMap<String, PlainEntity> = BTreeMap::new();
    let mut names: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut singles: BTreeSet<String> = BTreeSet::new();
    let mut full_by_last: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let empty = |class| PlainEntity {
        class,
        label: String::new(),
        aliases: BTreeSet::new(),
        code: None,
        alpha3: None,
        kinds: BTreeSet::new(),
        members: BTreeSet::new(),
    };
    for document in current.values() {
        let keyed = resolver.first_keys(document);
        for (local, key) in &keyed {
            let record = &local.record;
            if matches!(record.class, EntityClass::Person | EntityClass::Official) {
                match local.normalised.rsplit_once(' ') {
                    None => {
                        singles.insert(local.normalised.clone());
                    }
                    Some((_, last)) => {
                        full_by_last
                            .entry(last.to_string())
                            .or_default()
                            .insert(local.normalised.clone());
                    }
                }
            }
            let name = if key.starts_with("split:") {
                SPLIT_LABEL.to_string()
            } else {
                record.name.clone()
            };
            let group = groups
                .entry(key.clone())
                .or_insert_with(|| empty(record.class));
            if record.class == EntityClass::Official {
                group.class = EntityClass::Official;
            }
            *names
                .entry(key.clone())
                .or_default()
                .entry(name)
                .or_default() += 1;
            group.aliases.extend(record.aliases.iter().cloned());
            group.code = group.code.take().or_else(|| record.code.clone());
            group.alpha3 = group.alpha3.take().or_else(|| record.alpha3.clone());
            group.kinds.extend(record.kinds.iter().copied());
            group.members.insert(key.clone());
        }
        for (local, key) in &keyed {
            if let Some(group) = groups.get_mut(key) {
                group.aliases.extend(local.surface.iter().cloned());
            }
        }
    }
    for single in &singles {
        let Some(full) = full_by_last.get(single).filter(|full| full.len() == 1) else {
            continue;
        };
        let (from, into) = (
            format!("person:{single}"),
            format!("person:{}", full.iter().next().unwrap()),
        );
        let Some(moved) = groups.remove(&from) else {
            continue;
        };
        let moved_names = names.remove(&from).unwrap_or_default();
        let target = groups
            .entry(into.clone())
            .or_insert_with(|| empty(moved.class));
        if moved.class == EntityClass::Official {
            target.class = EntityClass::Official;
        }
        target.aliases.extend(moved.aliases);
        target.code = target.code.take().or(moved.code);
        target.alpha3 = target.alpha3.take().or(moved.alpha3);
        target.kinds.extend(moved.kinds);
        target.members.extend(moved.members);
        let counts = names.entry(into).or_default();
        for (name, count) in moved_names {
            *counts.entry(name).or_default() += count;
        }
    }
    groups
        .into_iter()
        .map(|(key, mut entity)| {
            let counts = names.remove(&key).unwrap_or_default();
            let accents = |name: &str| name.chars().filter(|c| !c.is_ascii()).count();
            entity.label = counts
                .iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then(accents(a.0).cmp(&accents(b.0)))
                        .then(a.0.chars().count().cmp(&b.0.chars().count()))
                        .then(b.0.cmp(a.0))
                })
                .map(|(name, _)| name.clone())
                .unwrap_or_default();
            entity.aliases.extend(counts.into_keys());
            entity.aliases.remove(&entity.label);
            ResolvedEntity {
                class: entity.class,
                key,
                label: entity.label,
                aliases: entity.aliases.into_iter().collect(),
                code: entity.code,
                alpha3: entity.alpha3,
                kinds: entity.kinds.into_iter().collect(),
                members: entity.members.into_iter().collect(),
            }
        })
        .collect()
}

/// An entity of [`plainly`] as it is gathered, in sets.
struct PlainEntity {
    class: EntityClass,
    label: String,
    aliases: BTreeSet<String>,
    code: Option<String>,
    alpha3: Option<String>,
    kinds: BTreeSet<OrganisationKind>,
    members: BTreeSet<String>,
}

fn pool() -> impl Strategy<Value = Vec<Vec<Vec<LocalSpec>>>> {
    let spec = (0u8..5, 0usize..8, any::<u8>());
    prop::collection::vec(
        prop::collection::vec(prop::collection::vec(spec, 0..6), 2),
        5,
    )
}

fn steps() -> impl Strategy<Value = Vec<(bool, usize, usize)>> {
    prop::collection::vec((prop::bool::weighted(0.7), 0usize..5, 0usize..2), 1..30)
}

/// Applies `(add, index, variant)` to `current` and `resolver`: adds or replaces article `index`
/// with `variant`, or removes it.
fn step(
    current: &mut BTreeMap<String, DocumentEntities>,
    resolver: &mut Resolver,
    pool: &[Vec<Vec<LocalSpec>>],
    (add, index, variant): (bool, usize, usize),
) {
    let id = format!("d{index}");
    let wanted = add.then(|| document(index, variant, &pool[index][variant]));
    if current.get(&id) == wanted.as_ref() {
        return;
    }
    let removed = current.remove(&id);
    if let Some(document) = &removed {
        resolver.remove(document);
    }
    if let Some(document) = &wanted {
        resolver.add(document);
        current.insert(id, document.clone());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn touched_entities_recomputed_equal_a_resolution_from_scratch(pool in pool(), steps in steps()) {
        let curation = curation(false);
        let mut resolver = Resolver::new(&curation);
        prop_assert!(!resolver.matches_by_name());
        let mut current = BTreeMap::new();
        let mut entities: BTreeMap<String, ResolvedEntity> = BTreeMap::new();
        for &change in &steps {
            // As `growing` does: the keys the articles taken out and put in touch, before the
            // change and after it.
            let (add, index, variant) = change;
            let changed: Vec<DocumentEntities> = current
                .get(&format!("d{index}"))
                .cloned()
                .into_iter()
                .chain(add.then(|| document(index, variant, &pool[index][variant])))
                .collect();
            let mut touched: Vec<String> = changed
                .iter()
                .flat_map(|document| resolver.keys_touched_by(document))
                .collect();
            step(&mut current, &mut resolver, &pool, change);
            touched.extend(changed.iter().flat_map(|document| resolver.keys_touched_by(document)));
            for key in touched {
                match resolver.entity(&key) {
                    Some(entity) => entities.insert(key, entity),
                    None => entities.remove(&key),
                };
            }
            let (expected, expected_links) = from_scratch(&current, &curation);
            prop_assert_eq!(&plainly(&current, &resolver), &expected);
            let actual: Vec<ResolvedEntity> = entities.values().cloned().collect();
            prop_assert_eq!(&actual, &expected);
            let key_of_member: HashMap<&str, &str> = entities
                .values()
                .flat_map(|entity| entity.members.iter().map(|m| (m.as_str(), entity.key.as_str())))
                .collect();
            for (document, expected) in current.values().zip(&expected_links) {
                let links: HashMap<String, String> = resolver
                    .first_keys(document)
                    .into_iter()
                    .filter_map(|(local, key)| {
                        Some((local.record.id.clone(), key_of_member.get(key.as_str())?.to_string()))
                    })
                    .collect();
                prop_assert_eq!(&links, expected, "links of {}", document.id);
            }
        }
    }

    #[test]
    fn finishing_after_removals_equals_a_resolution_from_scratch(pool in pool(), steps in steps()) {
        let curation = curation(true);
        let mut resolver = Resolver::new(&curation);
        prop_assert!(resolver.matches_by_name());
        let mut current = BTreeMap::new();
        for &change in &steps {
            step(&mut current, &mut resolver, &pool, change);
            let (expected, _) = from_scratch(&current, &curation);
            prop_assert_eq!(&resolver.finish().entities, &expected);
        }
    }

    #[test]
    fn folding_in_any_order_equals_counting(
        pool in pool(),
        variants in prop::collection::vec(0usize..2, 5),
        order in Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
        merging in any::<bool>(),
    ) {
        let curation = curation(merging);
        let documents: Vec<DocumentEntities> = order
            .iter()
            .map(|&index| document(index, variants[index], &pool[index][variants[index]]))
            .collect();
        let mut folding = FoldingResolver::new(&curation);
        let mut counting = Resolver::new(&curation);
        for document in &documents {
            folding.add(document);
            counting.add(document);
        }
        let (folded, counted) = (folding.finish(), counting.finish());
        prop_assert_eq!(&folded.entities, &counted.entities);
        prop_assert_eq!(&folded.unmatched_rules, &counted.unmatched_rules);
        let current: BTreeMap<String, DocumentEntities> = documents
            .iter()
            .map(|document| (document.id.clone(), document.clone()))
            .collect();
        prop_assert_eq!(&folded.entities, &from_scratch(&current, &curation).0);
        for document in &documents {
            prop_assert_eq!(folded.links(document), counted.links(document), "links of {}", document.id);
        }
    }
}
