//! Incremental resolution: for random sequences of articles added, replaced and removed, a
//! [`Resolver`] updated one article at a time (only the entities `keys_touched_by` names are
//! recomputed, as `growing` does) gives the same entities and links as resolving the current
//! articles from scratch, after every step; and `finish` after removals equals it too (the path
//! taken when curation rules match entities by name).

use std::collections::{BTreeMap, HashMap};

use dealgraph::curation::{Curation, MergeRule, SplitRule};
use dealgraph::extract::{EntityClass, EntityRecord, OrganisationKind};
use dealgraph::resolve::{
    resolve_documents, DocumentEntities, LocalEntity, ResolvedEntity, Resolver,
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
            label: "Smith (reporter)".into(),
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
}
