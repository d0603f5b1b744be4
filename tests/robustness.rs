//! Robustness: ingest and extraction neither panic nor slow down quadratically on any UTF-8 input.
//!
//! `tests/properties.rs` checks `pipeline::check` on short generated texts; these tests push the same
//! public API (`ingest`, `Extractor`, `pipeline`) with hostile input: arbitrary Unicode through every
//! reader (text, Markdown, HTML, JSON Lines) and through the extractions reader, a line of over a
//! megabyte, text without spaces, and thousands of quote marks, capitalised words, brackets, digits
//! and currency signs. Besides `check` they assert what the model promises beyond it (the text
//! unchanged, sentences in order, trimmed and within one line, no sentence or mention in clutter,
//! each claim's sentence holding some of its evidence, the same output twice). The scaling tests time
//! extraction of an input and of one four times longer built from the same pattern: linear work
//! gives a ratio near 4, quadratic work near 16, and the tests fail above 10, a bound loose enough
//! for a busy two-core machine (measured on a quiet one: 4.4 to 5.8).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use dealgraph::curation::Curation;
use dealgraph::ingest::{ingest, ClutterRules, Document, Ingested, SourceFormat, ZoneKind};
use dealgraph::pipeline::{check, graph_of, read_extractions};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::text::CharMap;
use dealgraph::{Extraction, Extractor};
use proptest::prelude::*;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new().expect("extractor"))
}

fn clutter_rules() -> &'static ClutterRules {
    static RULES: OnceLock<ClutterRules> = OnceLock::new();
    RULES.get_or_init(|| ClutterRules::embedded().expect("clutter rules"))
}

/// Words and phrases that set off the extraction rules: countries, demonyms, titles, organisations,
/// acronyms, speech verbs, agreement triggers, amounts and dates.
const RULE_WORDS: &[&str] = &[
    "Kosovo",
    "Peru",
    "Chile",
    "Denmark",
    "Danish",
    "Rwanda",
    "United Kingdom",
    "U.S.",
    "U.K.",
    "President",
    "Prime Minister",
    "Justice Minister",
    "Mr.",
    "Ana",
    "Diaz",
    "said",
    "told",
    "according to",
    "spokesperson",
    "Ministry of Justice",
    "Human Rights Watch",
    "(HRW)",
    "HRW",
    "United Nations",
    "Court",
    "Reuters",
    "deal",
    "agreement",
    "memorandum of understanding",
    "treaty",
    "lease",
    "signed",
    "struck down",
    "up to",
    "more than",
    "about",
    "€5 million",
    "$1.2 billion",
    "1,000 prison cells",
    "300 deportees",
    "five years",
    "12-year",
    "2023",
    "the",
    "of",
    "government",
];

/// Punctuation and characters that stress offsets: quotes, brackets, currency signs, white space of
/// every kind, a byte order mark, combining marks and letters whose case mapping changes their length.
const MARKS: &[&str] = &[
    " ",
    " ",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\u{a0}",
    "\u{3000}",
    "\u{2028}",
    "\u{feff}",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "-",
    "—",
    "…",
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "$",
    "€",
    "£",
    "¥",
    "₹",
    "%",
    "&",
    "\u{301}",
    "İ",
    "ẞ",
    "ǅ",
    "ﬃ",
    "🙂",
    "👩‍👩‍👧",
];

/// Markup that the HTML and Markdown readers interpret.
const MARKUP: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "<pre>",
    "</pre>",
    "<script>",
    "</script>",
    "<title>",
    "</title>",
    "<h1>",
    "</h1>",
    "<figure><img alt=\"x\"><figcaption>",
    "</figcaption></figure>",
    "<figcaption>",
    "</figcaption>",
    "<meta property=\"article:published_time\" content=\"2021-02-30\">",
    "<link rel=\"canonical\" href=\"https://news.example/a\">",
    "<time datetime=\"2024-13-45T99:00\">",
    "&amp;",
    "&nbsp;",
    "&#8220;",
    "&#x10FFFF;",
    "&#0;",
    "&bogus;",
    "<!--",
    "-->",
    "<",
    ">",
    "---\n",
    "title: ",
    "date: 2021-05-04\n",
    "# ",
    "## ",
    "![",
    "](",
    "**",
    "> ",
    "```\n",
    "* ",
    "Share this article",
    "Advertisement",
    "3 min read",
];

/// One piece of hostile text: an arbitrary character, a rule word, a mark, a number or a
/// capitalised word.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<char>().prop_map(String::from),
        3 => prop::sample::select(RULE_WORDS).prop_map(str::to_string),
        4 => prop::sample::select(MARKS).prop_map(str::to_string),
        1 => "[0-9]{1,30}",
        1 => "[A-Z][a-z]{0,8}",
    ]
}

/// Hostile text of up to `pieces` pieces.
fn hostile_text(pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_piece(), 0..pieces).prop_map(|parts| parts.concat())
}

/// Hostile text with markup mixed in, for the HTML and Markdown readers.
fn marked_up_text(pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => hostile_piece(),
        1 => prop::sample::select(MARKUP).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..pieces).prop_map(|parts| parts.concat())
}

/// Everything an extraction of `text` must satisfy: `pipeline::check` and what the model promises
/// beyond it.
fn consistency(extraction: &Extraction, text: &str) -> Result<(), String> {
    check(extraction)?;
    if extraction.document.text != text {
        return Err("extraction changed the document text".into());
    }
    let map = CharMap::new(text);
    let clutter: Vec<_> = extraction
        .document
        .zones
        .iter()
        .filter(|zone| zone.kind == ZoneKind::Clutter)
        .map(|zone| zone.span())
        .collect();
    for pair in extraction.sentences.windows(2) {
        if pair[0].end > pair[1].start {
            return Err(format!(
                "sentences {:?} and {:?} overlap or are out of order",
                pair[0], pair[1]
            ));
        }
    }
    for sentence in &extraction.sentences {
        let words = map.slice(text, *sentence);
        if words.trim() != words || words.contains('\n') {
            return Err(format!(
                "sentence {sentence:?} is not trimmed or spans lines: {words:?}"
            ));
        }
        if let Some(zone) = clutter.iter().find(|zone| zone.overlaps(sentence)) {
            return Err(format!("sentence {sentence:?} overlaps clutter {zone:?}"));
        }
    }
    for pair in extraction.mentions.windows(2) {
        if (pair[0].start, pair[0].end) > (pair[1].start, pair[1].end) {
            return Err(format!(
                "mentions {:?} and {:?} are out of order",
                pair[0], pair[1]
            ));
        }
    }
    for mention in &extraction.mentions {
        if let Some(zone) = clutter.iter().find(|zone| zone.overlaps(&mention.span())) {
            return Err(format!("mention {mention:?} lies in clutter {zone:?}"));
        }
    }
    let mentioned: std::collections::HashSet<&str> = extraction
        .mentions
        .iter()
        .map(|mention| mention.entity.as_str())
        .collect();
    if let Some(entity) = extraction
        .entities
        .iter()
        .find(|entity| !mentioned.contains(entity.id.as_str()))
    {
        return Err(format!("entity {} has no mention", entity.id));
    }
    for claim in &extraction.claims {
        let sentence = extraction.sentences[claim.sentence];
        if !claim.evidence.iter().any(|span| sentence.contains(span)) {
            return Err(format!(
                "no evidence of claim {claim:?} lies in its sentence {sentence:?}"
            ));
        }
    }
    Ok(())
}

/// Extracts `document` twice (the output must not depend on hashing order) and checks the result.
fn extract_checked(document: Document) -> Result<Extraction, String> {
    let text = document.text.clone();
    let extraction = extractor().extract(document.clone());
    consistency(&extraction, &text)?;
    if extractor().extract(document) != extraction {
        return Err("two extractions of the same document differ".into());
    }
    Ok(extraction)
}

/// Extracts `text` as a plain-text document and checks the result.
fn extract_text_checked(text: &str) -> Result<Extraction, String> {
    extract_checked(Document::from_text("generated", text))
}

/// Writes `contents` to a file called `name` in a fresh directory and ingests it.
fn ingest_file(name: &str, contents: &str) -> Ingested {
    let directory = tempfile::tempdir().expect("temp dir");
    let path = directory.path().join(name);
    std::fs::write(&path, contents).expect("write");
    ingest(&[path], clutter_rules())
}

/// Checks what ingest promises of every document and extracts each one, checked.
fn check_ingested(ingested: Ingested, written: &str) -> Result<(), String> {
    for document in ingested.documents {
        check_document(&document, written)?;
        extract_checked(document)?;
    }
    Ok(())
}

/// Checks what ingest promises of a document read from `written`: zones inside the text and in
/// order, and the text kept as written for plain text and Markdown.
fn check_document(document: &Document, written: &str) -> Result<(), String> {
    let length = document.text.chars().count();
    if let Some(zone) = document
        .zones
        .iter()
        .find(|zone| zone.start >= zone.end || zone.end > length)
    {
        return Err(format!(
            "zone {zone:?} outside a text of {length} characters"
        ));
    }
    if let Some(pair) = document
        .zones
        .windows(2)
        .find(|pair| pair[0].start > pair[1].start)
    {
        return Err(format!(
            "zones {:?} and {:?} out of order",
            pair[0], pair[1]
        ));
    }
    let kept_as_written = matches!(document.format, SourceFormat::Text | SourceFormat::Markdown);
    if kept_as_written && document.text != written.strip_prefix('\u{feff}').unwrap_or(written) {
        return Err(format!("{} text was edited on reading", document.format));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn arbitrary_unicode_extracts_consistently(
        characters in prop::collection::vec(any::<char>(), 0..3_000)
    ) {
        let text: String = characters.into_iter().collect();
        prop_assert_eq!(extract_text_checked(&text).map(|_| ()), Ok(()));
    }

    #[test]
    fn hostile_text_extracts_consistently(text in hostile_text(600)) {
        prop_assert_eq!(extract_text_checked(&text).map(|_| ()), Ok(()));
    }

    #[test]
    fn text_without_white_space_extracts_consistently(text in hostile_text(600)) {
        let unspaced: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(extract_text_checked(&unspaced).map(|_| ()), Ok(()));
    }

    #[test]
    fn unbalanced_quotes_extract_consistently(
        pieces in prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(&["\"", "'", "“", "”", "‘", "’", "«", "»", " \"", "” "][..]),
                2 => prop::sample::select(RULE_WORDS),
                1 => Just(" "),
            ],
            0..2_000,
        )
    ) {
        prop_assert_eq!(extract_text_checked(&pieces.concat()).map(|_| ()), Ok(()));
    }

    #[test]
    fn every_reader_ingests_and_extracts_consistently(
        body in marked_up_text(400),
        name in prop::sample::select(&["article.txt", "article.md", "article.html", "article"][..]),
    ) {
        let ingested = ingest_file(name, &body);
        prop_assert_eq!(ingested.documents.len() + ingested.errors.len(), 1);
        prop_assert_eq!(check_ingested(ingested, &body), Ok(()));
    }
}

/// One line of a JSON Lines file: a record with arbitrary fields, or a line that is not one.
#[derive(Debug, Clone)]
enum JsonLine {
    Record {
        id: Option<String>,
        title: Option<String>,
        published: Option<String>,
        text: String,
    },
    Garbage(String),
}

impl JsonLine {
    fn render(&self) -> String {
        match self {
            JsonLine::Record {
                id,
                title,
                published,
                text,
            } => {
                serde_json::json!({"id": id, "title": title, "published": published, "text": text})
                    .to_string()
            }
            JsonLine::Garbage(line) => line.replace(['\n', '\r'], " "),
        }
    }
}

fn json_line() -> impl Strategy<Value = JsonLine> {
    let field = || prop::option::of(hostile_text(10));
    prop_oneof![
        3 => (field(), field(), field(), hostile_text(200)).prop_map(
            |(id, title, published, text)| JsonLine::Record { id, title, published, text }
        ),
        1 => hostile_text(40).prop_map(JsonLine::Garbage),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn json_lines_ingest_record_by_record(lines in prop::collection::vec(json_line(), 1..8)) {
        let rendered: Vec<String> = lines.iter().map(JsonLine::render).collect();
        let file = rendered.join("\n");
        let ingested = ingest_file("articles.jsonl", &file);
        let non_blank = rendered.iter().filter(|line| !line.trim().is_empty()).count();
        prop_assert_eq!(ingested.documents.len() + ingested.errors.len(), non_blank.max(1));
        let texts: Vec<&str> = lines
            .iter()
            .filter_map(|line| match line {
                JsonLine::Record { text, .. } if !text.trim().is_empty() => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let documents: Vec<&str> = ingested.documents.iter().map(|d| d.text.as_str()).collect();
        prop_assert!(
            documents.iter().all(|text| texts.contains(text)),
            "a document's text is not a record's text"
        );
        for document in ingested.documents {
            let text = document.text.clone();
            prop_assert_eq!(extract_checked(document).map(|_| ()), Ok(()), "{:?}", text);
        }
    }

    #[test]
    fn edited_extraction_files_are_accepted_consistent_or_rejected(
        text in hostile_text(120),
        edits in prop::collection::vec((any::<prop::sample::Index>(), hostile_text(3)), 1..4),
    ) {
        let extraction = extract_text_checked(&text).map_err(TestCaseError::fail)?;
        let mut line = serde_json::to_string(&extraction).expect("serialises");
        for (position, replacement) in &edits {
            let boundaries: Vec<usize> = line.char_indices().map(|(byte, _)| byte).collect();
            let at = boundaries[position.index(boundaries.len())];
            let end = line[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            line.replace_range(at..end, replacement);
        }
        let directory = tempfile::tempdir().expect("temp dir");
        let path = directory.path().join("extractions.jsonl");
        std::fs::write(&path, format!("{line}\n")).expect("write");
        let (accepted, problems) = read_extractions(&path).expect("the file opens");
        prop_assert!(accepted.len() + problems.len() <= line.split('\n').count());
        for extraction in &accepted {
            prop_assert_eq!(check(extraction), Ok(()));
        }
        let minter = Minter::new(DEFAULT_BASE).expect("base");
        let (quads, _) = graph_of(&accepted, &minter, &Curation::default());
        prop_assert!(accepted.is_empty() || !quads.is_empty());
    }
}

/// A reproducible stream of pseudo-random indexes (a linear congruential generator), so that the
/// large inputs below are the same on every run.
fn pseudo_random_indexes(seed: u64, bound: usize) -> impl Iterator<Item = usize> {
    let mut state = seed;
    std::iter::repeat_with(move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound
    })
}

/// Text of `count` pieces drawn from `pieces`, reproducibly.
fn mixture(pieces: &[&str], count: usize) -> String {
    pseudo_random_indexes(count as u64, pieces.len())
        .take(count)
        .map(|index| pieces[index])
        .collect()
}

/// A capitalised made-up word for each number, all different ("Ba", "Ca", ..., "Baba", ...).
fn capitalised_word(number: usize) -> String {
    const CONSONANTS: &[u8] = b"BCDFGHKLMNPRSTVZ";
    const VOWELS: &[u8] = b"aeiou";
    let mut word = String::new();
    let mut rest = number + 1;
    while rest > 0 {
        let syllable = rest % (CONSONANTS.len() * VOWELS.len());
        rest /= CONSONANTS.len() * VOWELS.len();
        let consonant = CONSONANTS[syllable / VOWELS.len()] as char;
        word.push(if word.is_empty() {
            consonant
        } else {
            consonant.to_ascii_lowercase()
        });
        word.push(VOWELS[syllable % VOWELS.len()] as char);
    }
    word
}

/// About `bytes` bytes of rule words separated by spaces, without a line break, and with a full
/// stop before a capitalised word every `words_per_sentence` words.
fn one_line(bytes: usize, words_per_sentence: usize) -> String {
    let words: Vec<&str> = RULE_WORDS
        .iter()
        .copied()
        .filter(|word| !word.contains(['.', '!', '?']))
        .collect();
    let mut text = String::with_capacity(bytes + 64);
    for (count, index) in pseudo_random_indexes(7, words.len()).enumerate() {
        if text.len() >= bytes {
            break;
        }
        if count % words_per_sentence == words_per_sentence - 1 {
            text.push_str("The ");
        }
        text.push_str(words[index]);
        text.push_str(if count % words_per_sentence == words_per_sentence - 2 {
            ". "
        } else {
            " "
        });
    }
    text
}

/// One sentence of about `bytes` bytes: rule words separated by spaces, without a line break or a
/// sentence end.
fn one_long_sentence(bytes: usize) -> String {
    one_line(bytes, usize::MAX)
}

/// About a megabyte of hostile pieces and rule words on one line.
fn hostile_line() -> String {
    let pieces: Vec<&str> = MARKS
        .iter()
        .chain(RULE_WORDS)
        .chain(&["word", "of", "and", "in", "to", "Word"])
        .copied()
        .filter(|piece| !piece.contains('\n'))
        .collect();
    let line = mixture(&pieces, 300_000);
    assert!(line.len() >= 1 << 20 && !line.contains('\n'));
    line
}

#[test]
fn a_megabyte_line_without_a_newline_is_read_by_every_reader() {
    let line = hostile_line();
    let record = serde_json::json!({"id": "line", "text": line}).to_string();
    for (name, contents) in [
        ("line.txt", &line),
        ("line.md", &line),
        ("line.html", &line),
        ("line.jsonl", &record),
    ] {
        let ingested = ingest_file(name, contents);
        assert_eq!(ingested.documents.len(), 1, "{name}: {:?}", ingested.errors);
        check_document(&ingested.documents[0], &line)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

#[test]
fn a_megabyte_line_without_a_newline_is_extracted_in_seconds() {
    for (name, line) in [
        ("hostile line", hostile_line()),
        ("article on one line", one_line(1 << 20, 20)),
    ] {
        let started = Instant::now();
        let extraction = extractor().extract(Document::from_text("line", &line));
        let elapsed = started.elapsed();
        consistency(&extraction, &line).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(!extraction.mentions.is_empty(), "{name}");
        assert!(elapsed < Duration::from_secs(10), "{name}: {elapsed:?}");
    }
}

#[test]
fn thousands_of_marks_and_words_extract_consistently() {
    let inputs = [
        (
            "quote marks",
            mixture(&["\"", "'", "“", "”", "‘", "’", "Peru ", "said "], 20_000),
        ),
        (
            "brackets",
            mixture(
                &["(", ")", "[", "]", "{", "}", "(HRW) ", "Court ", " "],
                20_000,
            ),
        ),
        (
            "digits and currency",
            mixture(
                &["9", "0", ",", ".", "$", "€", "£", " million ", " people "],
                40_000,
            ),
        ),
        (
            "unbroken digits",
            "9".repeat(100_000) + " people and €" + &"1".repeat(5_000),
        ),
        (
            "capitalised words",
            (0..10_000).map(|n| capitalised_word(n) + " ").collect(),
        ),
        ("no spaces", mixture(RULE_WORDS, 10_000).replace(' ', "")),
    ];
    for (name, text) in inputs {
        extract_text_checked(&text).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

/// The fastest of three extractions of `text`.
fn best_time(text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let document = Document::from_text("timed", text);
            let started = Instant::now();
            let extraction = extractor().extract(document);
            let elapsed = started.elapsed();
            drop(extraction);
            elapsed
        })
        .min()
        .expect("three runs")
}

/// Asserts that extracting `pattern(4 n)` takes less than ten times as long as `pattern(n)`, with
/// `n` doubled from `start` until one extraction takes 50 ms (so that timer noise does not count,
/// and quadratic work, if any, outweighs the linear) or the text reaches 1 MB. The larger text's
/// extraction is checked too.
fn assert_linear(name: &str, pattern: impl Fn(usize) -> String, start: usize) {
    let mut size = start;
    loop {
        let text = pattern(size);
        if text.len() >= 1 << 20 || best_time(&text) >= Duration::from_millis(50) {
            break;
        }
        size *= 2;
    }
    let small = pattern(size);
    let large = pattern(4 * size);
    let small_time = best_time(&small);
    let large_time = best_time(&large);
    let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-6);
    eprintln!(
        "{name}: {} bytes in {small_time:?}, {} bytes in {large_time:?}, ratio {ratio:.1}",
        small.len(),
        large.len()
    );
    assert!(
        ratio < 10.0,
        "{name}: 4× the input took {ratio:.1}× the time ({small_time:?} for {} bytes, {large_time:?} for {} bytes)",
        small.len(),
        large.len()
    );
    consistency(
        &extractor().extract(Document::from_text("timed", &large)),
        &large,
    )
    .unwrap_or_else(|error| panic!("{name}: {error}"));
}

#[test]
fn one_long_sentence_scales_linearly() {
    assert_linear("one long sentence", one_long_sentence, 4_096);
}

#[test]
fn many_sentences_scale_linearly() {
    assert_linear(
        "many sentences",
        |count| "Kosovo’s President Ana Diaz said the deal with Peru was signed. ".repeat(count),
        64,
    );
}

#[test]
fn text_without_spaces_scales_linearly() {
    assert_linear(
        "no spaces",
        |count| "Kosovo’sPresident“AnaDiaz”said(HRW)€5,000,000.".repeat(count),
        64,
    );
}

#[test]
fn quote_marks_scale_linearly() {
    assert_linear(
        "quote marks",
        |count| {
            mixture(
                &["\"", "'", "“", "”", "‘", "’", "Peru ", "said ", "Ana Diaz "],
                count,
            )
        },
        1_024,
    );
}

#[test]
fn capitalised_words_scale_linearly() {
    assert_linear(
        "capitalised words",
        |count| (0..count).map(|n| capitalised_word(n) + " ").collect(),
        256,
    );
}

#[test]
fn named_people_scale_linearly() {
    assert_linear(
        "named people",
        |count| {
            (0..count)
                .map(|n| {
                    format!(
                        "{} {} said ",
                        capitalised_word(2 * n),
                        capitalised_word(2 * n + 1)
                    )
                })
                .collect()
        },
        64,
    );
}

#[test]
fn repeated_countries_scale_linearly() {
    assert_linear(
        "repeated countries",
        |count| "Peru, Chile and Denmark, ".repeat(count),
        64,
    );
}

#[test]
fn brackets_scale_linearly() {
    assert_linear(
        "brackets",
        |count| {
            mixture(
                &[
                    "(",
                    ")",
                    "[",
                    "]",
                    "(HRW) ",
                    "Human Rights Watch ",
                    "Court ",
                ],
                count,
            )
        },
        1_024,
    );
}

#[test]
fn digits_and_currency_scale_linearly() {
    assert_linear(
        "digits and currency",
        |count| {
            mixture(
                &[
                    "9",
                    "0",
                    ",",
                    ".",
                    "$",
                    "€",
                    "£",
                    " million ",
                    " people ",
                    " ",
                ],
                count,
            )
        },
        1_024,
    );
}

#[test]
fn a_caption_of_wide_white_space_stays_inside_the_text() {
    let page =
        "<figure><figcaption><pre>\u{3000}\u{3000}</pre></figcaption></figure><p>Peru signed.</p>";
    let ingested = ingest_file("page.html", page);
    assert_eq!(ingested.documents.len(), 1, "{:?}", ingested.errors);
    check_ingested(ingested, page).expect("consistent document");
}
