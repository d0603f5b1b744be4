//! Growing stores: `add` and `remove` against `build`, compared as canonicalised N-Quads; a writer
//! killed at many points of a batch; one writer per store.

mod common;

#[allow(dead_code, missing_docs)]
#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{data, dealgraph, extract, root, stderr, stdout};
use dealgraph::curation::Curation;
use dealgraph::growing::{build_store, Added, GrowError, GrowingStore, LockMode, StoreLock};
use dealgraph::pipeline::{graph_of, Input};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::Extraction;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{BlankNode, Dataset, GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;

const RESOLUTION_KEY: &str = "https://dealgraph.example/ns#resolutionKey";

fn minter() -> Minter {
    Minter::new(DEFAULT_BASE).expect("base")
}

/// The seeds and the test articles of other deals, extracted once per test.
fn corpus() -> Vec<Extraction> {
    extract(&[root().join("seeds"), data("articles")])
}

fn quads_of(directory: &Path) -> Vec<Quad> {
    let store = Store::open(directory).expect("open store");
    store.iter().collect::<Result<_, _>>().expect("quads")
}

/// Sorted N-Quads lines of the store, without the provenance graph when `facts_only`.
fn nquads(quads: &[Quad], facts_only: bool) -> Vec<String> {
    let provenance = minter().provenance_graph();
    let mut lines: Vec<String> = quads
        .iter()
        .filter(|q| !facts_only || q.graph_name != GraphName::NamedNode(provenance.clone()))
        .map(ToString::to_string)
        .collect();
    lines.sort();
    lines
}

/// The facts of a store (all graphs but provenance) with the names dealgraph mints for entities
/// replaced by their resolution keys, and posts and claims (whose IRIs are made from entity IRIs)
/// made blank nodes, then canonicalised: what must hold whatever order the articles came in.
fn facts_up_to_minted_names(quads: &[Quad]) -> Vec<String> {
    let minter = minter();
    let mut keys: BTreeMap<NamedNode, BTreeSet<String>> = BTreeMap::new();
    for quad in quads {
        if quad.predicate.as_str() == RESOLUTION_KEY {
            if let (NamedOrBlankNode::NamedNode(entity), Term::Literal(key)) =
                (&quad.subject, &quad.object)
            {
                keys.entry(entity.clone())
                    .or_default()
                    .insert(key.value().to_string());
            }
        }
    }
    let renamed: HashMap<NamedNode, NamedNode> = keys
        .into_iter()
        .map(|(entity, keys)| {
            let joined = keys.into_iter().collect::<Vec<_>>().join("|");
            let hex: String = joined.bytes().map(|b| format!("{b:02x}")).collect();
            (
                entity,
                NamedNode::new(format!("urn:keys:{hex}")).expect("iri"),
            )
        })
        .collect();
    let posts = format!("{}post/", minter.base());
    let rename = |node: &NamedNode| -> Term {
        if let Some(new) = renamed.get(node) {
            return new.clone().into();
        }
        if node.as_str().contains("#claim-") || node.as_str().starts_with(&posts) {
            let hex: String = node.as_str().bytes().map(|b| format!("{b:02x}")).collect();
            return BlankNode::new(format!("b{hex}")).expect("bnode").into();
        }
        node.clone().into()
    };
    let subject = |node: &NamedOrBlankNode| match node {
        NamedOrBlankNode::NamedNode(n) => match rename(n) {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
            Term::Literal(_) => unreachable!("IRIs are renamed to IRIs or blank nodes"),
        },
        other => other.clone(),
    };
    let provenance = GraphName::NamedNode(minter.provenance_graph());
    let mut dataset: Dataset = quads
        .iter()
        .filter(|q| q.graph_name != provenance)
        .map(|q| {
            let object = match &q.object {
                Term::NamedNode(n) => rename(n),
                other => other.clone(),
            };
            let graph = match &q.graph_name {
                GraphName::NamedNode(n) => match rename(n) {
                    Term::NamedNode(n) => GraphName::NamedNode(n),
                    _ => q.graph_name.clone(),
                },
                other => other.clone(),
            };
            Quad::new(subject(&q.subject), q.predicate.clone(), object, graph)
        })
        .collect();
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    let mut lines: Vec<String> = dataset.iter().map(|q| q.to_string()).collect();
    lines.sort();
    lines
}

fn build(directory: &Path, extractions: &[Extraction]) {
    build_curated(directory, extractions, &Curation::default());
}

fn build_curated(directory: &Path, extractions: &[Extraction], curation: &Curation) {
    let (summary, _) = build_store(
        directory,
        false,
        Input::Extractions(extractions),
        &minter(),
        curation,
        Instant::now(),
    )
    .expect("build");
    let stored = Store::open(directory).expect("open").len().expect("count");
    assert_eq!(summary.quads, stored, "the summary counts the quads stored");
}

/// The quads of a build as sorted N-Quads lines without repeats (no blank nodes are written, so
/// that is their canonical form), with the build's start time (the one line that may differ) left
/// out.
fn canonical_without_start_time(quads: &[Quad]) -> Vec<String> {
    let mut lines = nquads(quads, false);
    lines.dedup();
    let started = lines
        .iter()
        .filter(|line| line.contains("http://www.w3.org/ns/prov#startedAtTime"))
        .count();
    assert_eq!(started, 1, "one build activity");
    lines
        .into_iter()
        .filter(|line| !line.contains("http://www.w3.org/ns/prov#startedAtTime"))
        .collect()
}

/// A store built by streaming (extractions saved and read back, quads loaded as they are made)
/// holds exactly the quads the in-memory builder makes of the same extractions.
fn assert_streamed_build_equals_the_in_memory_graph(extractions: &[Extraction]) {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("db");
    build(&store, extractions);
    let (quads, _) = graph_of(extractions, &minter(), &Curation::default());
    let expected = canonical_without_start_time(&quads);
    let actual = canonical_without_start_time(&quads_of(&store));
    assert!(expected == actual, "{}", difference(&expected, &actual));
}

#[test]
fn a_streamed_build_equals_the_in_memory_graph_of_the_seeds_and_test_articles() {
    assert_streamed_build_equals_the_in_memory_graph(&corpus());
}

#[test]
fn a_streamed_build_equals_the_in_memory_graph_of_a_generated_corpus() {
    // More articles than one extraction batch and many loader chunks.
    let directory = tempfile::tempdir().expect("temp dir");
    let corpus = directory.path().join("corpus.jsonl");
    short_articles(&corpus, 700);
    let extractions = extract(&[corpus]);
    assert_eq!(extractions.len(), 700);
    assert_streamed_build_equals_the_in_memory_graph(&extractions);
}

fn add_all(directory: &Path, extractions: &[Extraction]) -> Vec<Added> {
    let mut grown = GrowingStore::open(directory, minter(), Curation::default()).expect("open");
    let added = extractions
        .iter()
        .map(|e| grown.add(e.clone()).expect("add"))
        .collect();
    grown.close().expect("close");
    added
}

/// Lines present in one list and not the other, for assertion messages.
fn difference(a: &[String], b: &[String]) -> String {
    let a_set: BTreeSet<&String> = a.iter().collect();
    let b_set: BTreeSet<&String> = b.iter().collect();
    let only_a: Vec<_> = a_set.difference(&b_set).take(5).collect();
    let only_b: Vec<_> = b_set.difference(&a_set).take(5).collect();
    format!("only in the first: {only_a:#?}\nonly in the second: {only_b:#?}")
}

#[test]
fn adding_the_same_articles_twice_changes_nothing() {
    let extractions = corpus();
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("db");
    let first = add_all(&store, &extractions);
    assert!(first.iter().all(|a| *a == Added::New), "{first:?}");
    let once = nquads(&quads_of(&store), false);
    let second = add_all(&store, &extractions);
    assert!(second.iter().all(|a| *a == Added::Unchanged), "{second:?}");
    let twice = nquads(&quads_of(&store), false);
    assert_eq!(once.len(), twice.len(), "{}", difference(&once, &twice));
    assert!(once == twice, "{}", difference(&once, &twice));
}

#[test]
fn batches_hold_the_same_facts_as_one_build() {
    let extractions = corpus();
    let directory = tempfile::tempdir().expect("temp dir");
    let built = directory.path().join("built");
    build(&built, &extractions);
    let grown = directory.path().join("grown");
    // Three batches, the last first: order must not change what the store says.
    let (head, tail) = extractions.split_at(extractions.len() / 2);
    let (middle, last) = tail.split_at(tail.len() / 2);
    for batch in [last, head, middle] {
        add_all(&grown, batch);
    }
    let built_quads = quads_of(&built);
    let grown_quads = quads_of(&grown);
    let expected = facts_up_to_minted_names(&built_quads);
    let actual = facts_up_to_minted_names(&grown_quads);
    assert!(expected == actual, "{}", difference(&expected, &actual));
    // Labels and aliases do not depend on order, and most IRIs are the ones a build mints: only an
    // entity first seen under another name keeps the IRI minted from that name.
    let iris = |quads: &[Quad]| -> BTreeSet<String> {
        quads
            .iter()
            .filter(|q| q.predicate.as_str() == RESOLUTION_KEY)
            .map(|q| q.subject.to_string())
            .collect()
    };
    let (built_iris, grown_iris) = (iris(&built_quads), iris(&grown_quads));
    let shared = built_iris.intersection(&grown_iris).count();
    assert!(
        shared * 10 >= built_iris.len() * 9,
        "{shared} of {} IRIs shared",
        built_iris.len()
    );
}

#[test]
fn batches_in_build_order_equal_the_build_exactly_when_no_name_changes() {
    // Each test article is about other deals, so one at a time mints the IRIs a build mints.
    let extractions = extract(&[data("articles")]);
    let directory = tempfile::tempdir().expect("temp dir");
    let built = directory.path().join("built");
    build(&built, &extractions);
    let grown = directory.path().join("grown");
    for article in &extractions {
        add_all(&grown, std::slice::from_ref(article));
    }
    let expected = nquads(&quads_of(&built), true);
    let actual = nquads(&quads_of(&grown), true);
    assert!(expected == actual, "{}", difference(&expected, &actual));
}

#[test]
fn removing_an_article_equals_building_without_it() {
    let extractions = corpus();
    let directory = tempfile::tempdir().expect("temp dir");
    let grown = directory.path().join("grown");
    add_all(&grown, &extractions);
    let gone = &extractions[1];
    let mut opened = GrowingStore::open(&grown, minter(), Curation::default()).expect("open");
    assert!(opened.remove("no/such/article.txt").is_err());
    let removed = opened
        .remove(&gone.document.source)
        .expect("remove by path");
    assert_eq!(removed, gone.document.id);
    drop(opened);
    let rest: Vec<Extraction> = extractions
        .iter()
        .filter(|e| e.document.id != gone.document.id)
        .cloned()
        .collect();
    let built = directory.path().join("built");
    build(&built, &rest);
    let expected = facts_up_to_minted_names(&quads_of(&built));
    let actual = facts_up_to_minted_names(&quads_of(&grown));
    assert!(expected == actual, "{}", difference(&expected, &actual));
    // Nothing about the removed article is left, provenance included.
    let article = minter().document(&gone.document.id);
    assert!(!quads_of(&grown).iter().any(|q| {
        q.graph_name == GraphName::NamedNode(article.clone())
            || q.object == Term::NamedNode(article.clone())
    }));
}

#[test]
fn a_changed_article_replaces_its_own_graph() {
    let directory = tempfile::tempdir().expect("temp dir");
    let inputs = directory.path().join("inputs");
    std::fs::create_dir_all(&inputs).expect("dir");
    let article = inputs.join("article.md");
    let original = std::fs::read_to_string(data("articles/nile_pact.md")).expect("read");
    std::fs::write(&article, &original).expect("write");
    let other = std::fs::read_to_string(data("articles/nordic_fisheries.md")).expect("read");
    let add = |expected: &str| {
        let output = dealgraph(
            directory.path(),
            &["add", "inputs", "--store", "db", "--verbose"],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stdout(&output).contains(expected), "{}", stdout(&output));
    };
    add("new inputs/article.md");
    std::fs::write(&article, &other).expect("rewrite");
    add("replaced inputs/article.md");
    add("unchanged inputs/article.md");
    let rebuilt = directory.path().join("rebuilt");
    let output = dealgraph(directory.path(), &["build", "inputs", "--store", "rebuilt"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = facts_up_to_minted_names(&quads_of(&rebuilt));
    let actual = facts_up_to_minted_names(&quads_of(&directory.path().join("db")));
    assert!(expected == actual, "{}", difference(&expected, &actual));
}

/// A pseudo-random number below `bound` (xorshift), the same sequence on every run.
fn pseudo_random(state: &mut u64, bound: u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % bound
}

/// `extraction` with one of its people (chosen by `choice`) named by the last word of their name
/// alone, or by a new full name ending with it, so that one-word names join full names and
/// stop joining them as articles come and go; its content hash marks it as another version.
fn renamed(extraction: &Extraction, choice: u64) -> Extraction {
    use dealgraph::extract::EntityClass;
    let mut renamed = extraction.clone();
    let people: Vec<usize> = (0..renamed.entities.len())
        .filter(|&i| {
            matches!(
                renamed.entities[i].class,
                EntityClass::Person | EntityClass::Official
            )
        })
        .collect();
    if let Some(&index) = people.get(choice as usize % people.len().max(1)) {
        let person = &mut renamed.entities[index];
        let last = person
            .name
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        person.name = if choice % 2 == 0 {
            last
        } else {
            format!("Zed {last}")
        };
        renamed.document.content_hash = format!("{}{choice:02x}", renamed.document.content_hash);
    }
    renamed
}

/// Random adds, replacements (another article's extraction, a person renamed, under the same
/// identity) and removals: one writer doing them all holds exactly the facts of a writer reopened for each one
/// (which resolves the whole corpus and rewrites whatever its stored entities graph lacks, so an
/// incremental update that drifted from a whole resolution shows), and that one holds the same
/// facts as a build of the articles left after every step.
#[test]
fn random_adds_replacements_and_removals_equal_a_writer_reopened_each_time_and_a_build() {
    assert_random_changes_equal_a_writer_reopened_each_time_and_a_build(&Curation::default(), 60);
}

/// The same with curation rules that merge, alias and reject entities by name (then every commit
/// resolves all entities from the resolver's counts).
#[test]
fn random_changes_under_merge_alias_and_reject_rules_equal_a_build() {
    let curation = merge_alias_reject(&corpus());
    assert_random_changes_equal_a_writer_reopened_each_time_and_a_build(&curation, 25);
}

/// Rules that merge two organisations, give a country another name and reject a person of
/// `extractions`.
fn merge_alias_reject(extractions: &[Extraction]) -> Curation {
    use dealgraph::curation::{AliasRule, EntityName, MergeRule};
    use dealgraph::extract::EntityClass;
    let names = |class: EntityClass| -> Vec<String> {
        let unique: BTreeSet<String> = extractions
            .iter()
            .flat_map(|e| &e.entities)
            .filter(|entity| entity.class == class)
            .map(|entity| entity.name.clone())
            .collect();
        unique.into_iter().collect()
    };
    let (organisations, countries, people) = (
        names(EntityClass::Organisation),
        names(EntityClass::Country),
        names(EntityClass::Person),
    );
    Curation {
        merge: vec![MergeRule {
            names: organisations[..2].to_vec(),
            label: Some("Merged organisation".into()),
            class: None,
        }],
        alias: vec![AliasRule {
            name: countries[0].clone(),
            alias: "Another name".into(),
            class: None,
        }],
        reject: vec![EntityName {
            name: people[0].clone(),
            class: None,
        }],
        ..Curation::default()
    }
}

/// A store written under one set of curation rules is not opened for writing under another (its
/// article graphs link by the old rules): the error names the store, the store is left as it was,
/// and under its own rules it still grows. Both ways round.
#[test]
fn a_store_is_not_grown_under_other_curation_rules() {
    let extractions = corpus();
    let (last, before) = extractions.split_last().expect("articles");
    let curated = merge_alias_reject(&extractions);
    for (built_under, opened_under) in [
        (Curation::default(), curated.clone()),
        (curated.clone(), Curation::default()),
    ] {
        let directory = tempfile::tempdir().expect("temp dir");
        let grown = directory.path().join("grown");
        build_curated(&grown, before, &built_under);
        let stored = nquads(&quads_of(&grown), true);
        let refused = GrowingStore::open(&grown, minter(), opened_under.clone());
        match refused {
            Err(error @ GrowError::ResolvedOtherwise { .. }) => {
                let message = error.to_string();
                assert!(message.contains(&grown.display().to_string()), "{message}");
                assert!(message.contains("curation"), "{message}");
            }
            Err(other) => panic!("another error: {other}"),
            Ok(_) => panic!("opened under other rules"),
        }
        assert_eq!(
            nquads(&quads_of(&grown), true),
            stored,
            "the store was changed"
        );
        let mut store = GrowingStore::open(&grown, minter(), built_under.clone()).expect("open");
        assert_eq!(store.add(last.clone()).expect("add"), Added::New);
        store.close().expect("close");
    }
}

fn assert_random_changes_equal_a_writer_reopened_each_time_and_a_build(
    curation: &Curation,
    steps: usize,
) {
    let extractions = corpus();
    let count = extractions.len() as u64;
    let directory = tempfile::tempdir().expect("temp dir");
    let (one, each) = (directory.path().join("one"), directory.path().join("each"));
    let mut grown = GrowingStore::open(&one, minter(), curation.clone()).expect("open");
    let mut current: BTreeMap<String, Extraction> = BTreeMap::new();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for step in 0..steps {
        let original = &extractions[pseudo_random(&mut state, count) as usize];
        let id = original.document.id.clone();
        let kind = pseudo_random(&mut state, 10);
        let other = pseudo_random(&mut state, count) as usize;
        let mut reopened = GrowingStore::open(&each, minter(), curation.clone()).expect("open");
        if kind >= 8 {
            if current.remove(&id).is_some() {
                assert_eq!(grown.remove(&id).expect("remove"), id);
                assert_eq!(reopened.remove(&id).expect("remove"), id);
            }
        } else {
            let mut extraction = original.clone();
            if kind >= 5 {
                extraction = renamed(&extractions[other], pseudo_random(&mut state, 64));
                extraction.document.id.clone_from(&id);
                extraction
                    .document
                    .source
                    .clone_from(&original.document.source);
            }
            let added = grown.add(extraction.clone()).expect("add");
            assert_eq!(reopened.add(extraction.clone()).expect("add"), added);
            current.insert(id, extraction);
        }
        reopened.close().expect("close");
        let left: Vec<Extraction> = current.values().cloned().collect();
        let built = directory.path().join(format!("built-{step}"));
        build_curated(&built, &left, curation);
        let expected = facts_up_to_minted_names(&quads_of(&built));
        let actual = facts_up_to_minted_names(&quads_of(&each));
        assert!(
            expected == actual,
            "after step {step}: {}",
            difference(&expected, &actual)
        );
        std::fs::remove_dir_all(&built).expect("remove the build");
    }
    grown.close().expect("close");
    assert!(current.len() > 3, "{} articles left", current.len());
    let (expected, actual) = (
        nquads(&quads_of(&each), true),
        nquads(&quads_of(&one), true),
    );
    assert!(expected == actual, "{}", difference(&expected, &actual));
}

/// Short generated articles (the first paragraph of each), as JSON Lines.
fn short_articles(path: &Path, count: u64) {
    let reference = dealgraph::extract::Reference::embedded().expect("reference");
    let generator = synthetic::ArticleGenerator::new(&reference, 7);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for index in 0..count {
        let mut article = generator.article(index);
        let first: Vec<&str> = article.text.split("\n\n").take(1).collect();
        article.text = first.join("\n\n");
        serde_json::to_writer(&mut out, &article).expect("write");
        out.write_all(b"\n").expect("write");
    }
}

/// A digest of the store's facts (every graph but provenance) and the articles it holds.
fn state_of(quads: &[Quad]) -> (usize, String) {
    use std::hash::{Hash, Hasher};
    let lines = nquads(quads, true);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    lines.hash(&mut hasher);
    let articles = quads
        .iter()
        .filter(|q| q.predicate.as_str() == "https://dealgraph.example/ns#contentHash")
        .count();
    (articles, format!("{:016x}", hasher.finish()))
}

#[test]
fn a_writer_killed_anywhere_leaves_the_store_before_or_after_an_article() {
    const ARTICLES: u64 = 1_000;
    const KILLS: usize = 24;
    let directory = tempfile::tempdir().expect("temp dir");
    let corpus = directory.path().join("corpus.jsonl");
    short_articles(&corpus, ARTICLES);
    let extractions_file = directory.path().join("extractions.jsonl");
    let extracted = dealgraph(
        directory.path(),
        &["extract", "corpus.jsonl", "-o", "extractions.jsonl"],
    );
    assert!(extracted.status.success(), "{}", stderr(&extracted));
    let (extractions, problems) =
        dealgraph::pipeline::read_extractions(&extractions_file).expect("read extractions");
    assert!(problems.is_empty() && extractions.len() == ARTICLES as usize);

    // Kill `add` after a pseudo-random number of committed articles plus a pseudo-random delay, so
    // kills land inside transactions, between them and during start-up; resume each time.
    let store = directory.path().join("db");
    let mut seen: BTreeMap<usize, String> = BTreeMap::new();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    let per_kill = ARTICLES / (KILLS as u64 + 2);
    for _ in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dealgraph"))
            .args(["add", "--verbose", "--extractions"])
            .arg(&extractions_file)
            .arg("--store")
            .arg(&store)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn add");
        let wanted = 1 + next(per_kill * 2);
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut committed = 0;
        while committed < wanted {
            match lines.next() {
                Some(Ok(line)) if line.starts_with("new ") => committed += 1,
                Some(Ok(_)) => {}
                _ => break,
            }
        }
        // Up to a couple of articles' time: an `add` commits an article in about a millisecond.
        std::thread::sleep(Duration::from_micros(next(2_000)));
        child.kill().expect("kill");
        child.wait().expect("wait");
        let (articles, digest) = state_of(&quads_of(&store));
        seen.insert(articles, digest);
    }
    assert!(
        seen.len() >= 20,
        "only {} distinct kill points: {:?}",
        seen.len(),
        seen.keys()
    );
    let last = seen.keys().last().copied().unwrap_or_default();
    assert!(
        last > ARTICLES as usize / 2 && last < ARTICLES as usize,
        "kills spread up to {last}"
    );

    // The state after the first n articles of the batch, for every n a kill left: the articles of
    // this corpus keep their first names, so a build of the first n mints the IRIs `add` mints.
    for (&articles, expected) in &seen {
        let reference = directory.path().join(format!("reference-{articles}"));
        build(&reference, &extractions[..articles]);
        assert_eq!(
            &state_of(&quads_of(&reference)).1,
            expected,
            "the store killed after {articles} articles differs from the first {articles} built"
        );
    }
}

/// The write-ahead logs of a store that hold data (what a read-only reader would have to replay).
fn logs_with_data(store: &Path) -> Vec<String> {
    std::fs::read_dir(store)
        .expect("store directory")
        .map(|entry| entry.expect("entry"))
        .filter(|entry| {
            entry.file_name().to_string_lossy().ends_with(".log")
                && entry.metadata().expect("metadata").len() > 0
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn writers_leave_everything_in_the_tables() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("db");
    for args in [
        &["build", "--store", "db"][..],
        &["add", "--store", "db", "articles"][..],
        &["remove", "--store", "db", "articles/nile_pact.md"][..],
    ] {
        if args[0] == "add" {
            let articles = directory.path().join("articles");
            std::fs::create_dir_all(&articles).expect("dir");
            std::fs::copy(
                data("articles").join("nile_pact.md"),
                articles.join("nile_pact.md"),
            )
            .expect("copy");
        }
        let output = dealgraph(directory.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let logs = logs_with_data(&store);
        assert!(logs.is_empty(), "{args:?} left {logs:?}");
    }
}

#[test]
fn a_second_writer_is_told_which_process_holds_the_store() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output = dealgraph(directory.path(), &["build", "--store", "db"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let held = StoreLock::acquire(&directory.path().join("db"), LockMode::Write).expect("lock");
    let pid = std::process::id().to_string();
    for args in [
        &["add", "--store", "db", "inputs"][..],
        &["remove", "--store", "db", "doc"][..],
        &["build", "--store", "db", "--replace"][..],
        &["serve", "--store", "db", "--bind", "127.0.0.1:0"][..],
        &["query", "--store", "db", "ASK { ?s ?p ?o }"][..],
        &["export", "--store", "db"][..],
        &["dot", "--store", "db"][..],
        &["rank", "--store", "db"][..],
        &["path", "--store", "db", "Denmark", "Kosovo"][..],
    ] {
        let output = dealgraph(directory.path(), args);
        assert!(!output.status.success(), "{args:?} ran beside a writer");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("in use by PID {pid}")),
            "{args:?}: {message}"
        );
    }
    drop(held);
    // Readers share the store with each other, and a reader refuses writers.
    let reader = StoreLock::acquire(&directory.path().join("db"), LockMode::Read).expect("lock");
    let output = dealgraph(
        directory.path(),
        &[
            "query",
            "--store",
            "db",
            "ASK { ?s ?p ?o }",
            "--format",
            "csv",
        ],
    );
    assert!(
        output.status.success() && stdout(&output).trim() == "true",
        "{}",
        stderr(&output)
    );
    // The reader that finished is not named; the one still reading is.
    let output = dealgraph(directory.path(), &["remove", "--store", "db", "doc"]);
    assert!(
        !output.status.success() && stderr(&output).contains(&format!("in use by PID {pid} ")),
        "{}",
        stderr(&output)
    );
    drop(reader);
    // A served store refuses writers too, naming the server's PID.
    let db = directory.path().join("db");
    let server = common::Server::start(&["--store", db.to_str().expect("UTF-8 path")]);
    let output = dealgraph(directory.path(), &["remove", "--store", "db", "doc"]);
    let message = stderr(&output);
    assert!(
        !output.status.success() && message.contains("in use by PID"),
        "{message}"
    );
    drop(server);
}

#[test]
fn an_article_that_cannot_be_added_stops_the_stream_and_leaves_a_clean_store() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("db");
    let extractions: Vec<Extraction> = corpus().into_iter().take(3).collect();
    let second = extractions[1].document.clone();
    let saved = dealgraph::growing::SavedExtractions::of_store(&store).expect("saved");
    let blocked = saved.path_of(&second.id, &second.content_hash);
    let grown = GrowingStore::open(&store, minter(), Curation::default()).expect("open");
    let mut told = Vec::new();
    let failed = dealgraph::growing::add_all(grown, Input::Extractions(&extractions), |id, _| {
        // Once the first article is in, its successor's extraction cannot be saved: a folder
        // stands where the file goes (refused even to root).
        std::fs::create_dir_all(blocked.join("in-the-way")).expect("block");
        told.push(id.to_string());
        Ok(())
    })
    .expect_err("the second article cannot be added");
    assert_eq!(told, vec![extractions[0].document.id.clone()]);
    let message = failed.to_string();
    assert!(
        message.starts_with(&format!("{}: cannot add", second.source)),
        "{message}"
    );
    let logs = logs_with_data(&store);
    assert!(logs.is_empty(), "the failed writer left {logs:?}");
    std::fs::remove_dir_all(&blocked).expect("unblock");
    let reopened = GrowingStore::open(&store, minter(), Curation::default()).expect("reopen");
    assert_eq!(reopened.articles(), 1, "the first article stays committed");
    reopened.close().expect("close");
}

#[test]
fn a_folder_given_twice_is_built_once_and_the_repeat_reported() {
    let directory = tempfile::tempdir().expect("temp dir");
    let seeds = root().join("seeds");
    let seeds = seeds.to_str().expect("UTF-8 path");
    let twice = dealgraph(
        directory.path(),
        &["build", "--store", "twice", seeds, seeds],
    );
    // The folder is read once: nothing is rejected, and the second reading is a warning.
    assert_eq!(twice.status.code(), Some(0), "{}", stderr(&twice));
    let message = stderr(&twice);
    assert_eq!(
        message
            .matches(&format!(
                "warning: {seeds}: skipped: the same folder as {seeds}"
            ))
            .count(),
        1,
        "{message}"
    );
    let once = dealgraph(directory.path(), &["build", "--store", "once", seeds]);
    assert!(once.status.success(), "{}", stderr(&once));
    let expected = canonical_without_start_time(&quads_of(&directory.path().join("once")));
    let actual = canonical_without_start_time(&quads_of(&directory.path().join("twice")));
    assert!(expected == actual, "{}", difference(&expected, &actual));
}
