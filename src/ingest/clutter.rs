//! Marks web clutter and captions by the rules of `schema/clutter.json`, and finds a text's title.
//!
//! Takes a document's text and gives [`Zone`]s in character offsets; it never edits the text. The
//! regular rules are data; the rules that compare parts of the text with each other
//! (`repeated-title`, `duplicate-line`, `repeated-sentence`) are here.

use regex::Regex;
use serde::Deserialize;

use super::{Zone, ZoneKind};
use std::collections::HashMap;

use crate::text::{split_sentences, CharMap, CharSpan};

const RULES_JSON: &str = include_str!("../../schema/clutter.json");

/// The clutter and caption rules, compiled.
#[derive(Debug, Clone)]
pub struct ClutterRules {
    rules: Vec<CompiledRule>,
}

#[derive(Debug, Clone)]
struct CompiledRule {
    name: String,
    kind: ZoneKind,
    whole_line: bool,
    pattern: Regex,
}

#[derive(Deserialize)]
struct RuleFile {
    rules: Vec<RuleEntry>,
}

#[derive(Deserialize)]
struct RuleEntry {
    name: String,
    kind: ZoneKind,
    scope: RuleScope,
    pattern: String,
}

#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum RuleScope {
    Line,
    Inline,
}

/// Why a rule file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClutterRuleError {
    /// The file is not valid JSON of the expected shape.
    #[error("clutter rules: {0}")]
    Json(#[from] serde_json::Error),
    /// A pattern does not compile.
    #[error("clutter rule {name}: {source}")]
    Pattern {
        /// The rule's name.
        name: String,
        /// The regex error.
        source: regex::Error,
    },
}

/// What marking found in one text.
#[derive(Debug, Default)]
pub(crate) struct Marked {
    /// Zones sorted by start.
    pub zones: Vec<Zone>,
    /// The title found in the text (first line of content, without inline clutter or site name).
    pub title: Option<String>,
}

impl ClutterRules {
    /// The rules shipped in `schema/clutter.json`.
    pub fn embedded() -> Result<Self, ClutterRuleError> {
        Self::from_json(RULES_JSON)
    }

    /// Rules from a JSON text shaped like `schema/clutter.json`.
    pub fn from_json(json: &str) -> Result<Self, ClutterRuleError> {
        let file: RuleFile = serde_json::from_str(json)?;
        let rules = file
            .rules
            .into_iter()
            .map(|entry| {
                let whole_line = entry.scope == RuleScope::Line;
                let source = if whole_line {
                    format!("^(?:{})$", entry.pattern)
                } else {
                    entry.pattern
                };
                let pattern = Regex::new(&source).map_err(|source| ClutterRuleError::Pattern {
                    name: entry.name.clone(),
                    source,
                })?;
                Ok(CompiledRule {
                    name: entry.name,
                    kind: entry.kind,
                    whole_line,
                    pattern,
                })
            })
            .collect::<Result<_, ClutterRuleError>>()?;
        Ok(Self { rules })
    }

    /// Marks `text`. `known_title` is the title given by the source format, if any; `format_zones`
    /// are zones the format reader already found (HTML captions, Markdown images).
    pub(crate) fn mark(
        &self,
        text: &str,
        known_title: Option<&str>,
        format_zones: Vec<Zone>,
    ) -> Marked {
        let map = CharMap::new(text);
        let mut zones = format_zones;
        let lines = lines_with_offsets(text);
        let mut previous_content: Option<(usize, &str)> = None;
        let mut title = known_title.map(str::to_string);
        let mut title_line = None;
        for (line_index, &(start, line)) in lines.iter().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let trimmed_start = start + lead;
            let trimmed_end = trimmed_start + trimmed.len();
            let whole = map.span_of_bytes(trimmed_start, trimmed_end);
            let mut line_clutter: Vec<CharSpan> = Vec::new();
            let mut whole_line_kind = None;
            for rule in &self.rules {
                if rule.whole_line {
                    if whole_line_kind.is_none() && rule.pattern.is_match(trimmed) {
                        whole_line_kind = Some(rule.kind);
                        zones.push(zone(rule.kind, &rule.name, whole));
                    }
                } else {
                    for found in rule.pattern.find_iter(trimmed) {
                        let span = map.span_of_bytes(
                            trimmed_start + found.start(),
                            trimmed_start + found.end(),
                        );
                        zones.push(zone(rule.kind, &rule.name, span));
                        if rule.kind == ZoneKind::Clutter {
                            line_clutter.push(span);
                        }
                    }
                }
            }
            if whole_line_kind == Some(ZoneKind::Clutter) {
                continue;
            }
            let content = without_spans(&map, text, whole, &line_clutter);
            if content.is_empty() {
                continue;
            }
            if title.is_none() {
                title = Some(strip_site_name(&content, &lines[line_index + 1..]));
                title_line = Some(line_index);
            } else if title_line != Some(line_index)
                && title.as_deref().is_some_and(|t| t == content.as_str())
            {
                zones.push(zone(ZoneKind::Clutter, "repeated-title", whole));
                continue;
            }
            if let Some((previous_line, previous_text)) = previous_content {
                if repeats(previous_text, &content) {
                    let (previous_start, previous_line_text) = lines[previous_line];
                    let previous_lead =
                        previous_line_text.len() - previous_line_text.trim_start().len();
                    let previous_span = map.span_of_bytes(
                        previous_start + previous_lead,
                        previous_start + previous_lead + previous_line_text.trim().len(),
                    );
                    if !zones.iter().any(|z| z.span() == previous_span) {
                        zones.push(zone(ZoneKind::Caption, "duplicate-line", previous_span));
                    }
                    zones.push(zone(ZoneKind::Clutter, "duplicate-line", whole));
                    previous_content = None;
                    continue;
                }
            }
            previous_content = Some((line_index, lines[line_index].1.trim()));
        }
        zones.extend(repeated_sentences(text, &map));
        zones.sort_by_key(|z| (z.start, z.end));
        zones.dedup();
        Marked { zones, title }
    }
}

/// How often a sentence may occur in one text before its further copies are boilerplate: a
/// quotation repeated as a pull quote is news, the same sentence a third time is not.
const SENTENCE_COPIES_KEPT: usize = 2;

/// Sentences shorter than this (in characters) are never counted: short ones ("Read more.",
/// fragments cut at abbreviations) repeat in real articles.
const SHORTEST_COUNTED_SENTENCE: usize = 24;

/// Marks as clutter each copy of a sentence after the first [`SENTENCE_COPIES_KEPT`] (repeated
/// boilerplate, or a page that repeats itself), copies next to each other forming one zone. The
/// split here knows no abbreviations, which only matters for sentences too short to count.
fn repeated_sentences(text: &str, map: &CharMap) -> Vec<Zone> {
    let mut copies: HashMap<&str, usize> = HashMap::new();
    let mut repeated: Vec<CharSpan> = Vec::new();
    for sentence in split_sentences(text, &[], &[]) {
        if sentence.end - sentence.start < SHORTEST_COUNTED_SENTENCE {
            continue;
        }
        let count = copies.entry(map.slice(text, sentence)).or_default();
        *count += 1;
        if *count <= SENTENCE_COPIES_KEPT {
            continue;
        }
        let joins_last = repeated.last().is_some_and(|last| {
            map.slice(text, CharSpan::new(last.end, sentence.start))
                .trim()
                .is_empty()
        });
        match repeated.last_mut() {
            Some(last) if joins_last => last.end = sentence.end,
            _ => repeated.push(sentence),
        }
    }
    repeated
        .into_iter()
        .map(|span| zone(ZoneKind::Clutter, "repeated-sentence", span))
        .collect()
}

fn zone(kind: ZoneKind, rule: &str, span: CharSpan) -> Zone {
    Zone {
        kind,
        rule: rule.to_string(),
        start: span.start,
        end: span.end,
    }
}

/// Each line with the byte offset where it starts (line breaks excluded).
fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        lines.push((start, line.strip_suffix('\r').unwrap_or(line)));
        start += line.len() + 1;
    }
    lines
}

/// The text of `whole` with the `removed` spans taken out, white space collapsed.
fn without_spans(map: &CharMap, text: &str, whole: CharSpan, removed: &[CharSpan]) -> String {
    let mut kept = String::new();
    let mut cursor = whole.start;
    let mut spans = removed.to_vec();
    spans.sort();
    for span in spans {
        if span.start > cursor {
            kept.push_str(map.slice(text, CharSpan::new(cursor, span.start)));
            kept.push(' ');
        }
        cursor = cursor.max(span.end);
    }
    if cursor < whole.end {
        kept.push_str(map.slice(text, CharSpan::new(cursor, whole.end)));
    }
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title line such as "Headline – Site Name" loses its site name when a later line repeats the
/// headline alone.
fn strip_site_name(title: &str, later_lines: &[(usize, &str)]) -> String {
    for separator in [" – ", " — ", " | ", " - ", " :: "] {
        if let Some(position) = title.rfind(separator) {
            let headline = title[..position].trim();
            if later_lines.iter().any(|(_, line)| line.trim() == headline) {
                return headline.to_string();
            }
        }
    }
    title.to_string()
}

/// Whether `line` repeats `previous`: equal, or one is the other missing a few leading characters
/// (a caption whose copy lost its first letter), for lines long enough to tell.
fn repeats(previous: &str, line: &str) -> bool {
    if previous == line {
        return true;
    }
    let (shorter, longer) = if previous.len() < line.len() {
        (previous, line)
    } else {
        (line, previous)
    };
    shorter.chars().count() >= 20 && longer.ends_with(shorter) && longer.len() - shorter.len() <= 3
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sentence_copied_again_and_again_is_clutter_after_two_copies() {
        let sentence = "Denmark and Kosovo signed an agreement.";
        let text = format!("Intro line here. {}", [sentence; 5].join(" "));
        let (zones, _) = marked(&text);
        let repeated: Vec<&(String, String, ZoneKind)> = zones
            .iter()
            .filter(|(rule, _, _)| rule == "repeated-sentence")
            .collect();
        assert_eq!(repeated.len(), 1, "{zones:?}");
        assert_eq!(repeated[0].1, [sentence; 3].join(" "));
        assert_eq!(repeated[0].2, ZoneKind::Clutter);
    }

    #[test]
    fn short_and_separated_repeats_are_counted_apart() {
        let text = "Read more. Read more. Read more. Read more.\n\
                    Chile and Peru signed a fishing treaty. A new line of news follows here. \
                    Chile and Peru signed a fishing treaty. Chile and Peru signed a fishing treaty. \
                    Something else entirely is said. Chile and Peru signed a fishing treaty.";
        let (zones, _) = marked(text);
        let repeated: Vec<String> = zones
            .iter()
            .filter(|(rule, _, _)| rule == "repeated-sentence")
            .map(|(_, text, _)| text.clone())
            .collect();
        assert_eq!(
            repeated,
            vec![
                "Chile and Peru signed a fishing treaty.",
                "Chile and Peru signed a fishing treaty."
            ]
        );
    }

    use super::*;

    fn marked(text: &str) -> (Vec<(String, String, ZoneKind)>, Option<String>) {
        let rules = ClutterRules::embedded().expect("embedded rules compile");
        let map = CharMap::new(text);
        let result = rules.mark(text, None, Vec::new());
        let zones = result
            .zones
            .iter()
            .map(|z| {
                (
                    z.rule.clone(),
                    map.slice(text, z.span()).to_string(),
                    z.kind,
                )
            })
            .collect();
        (zones, result.title)
    }

    #[test]
    fn marks_clutter_of_a_made_up_page() {
        let text = "gtag('config', 'UA-1');\nFree Web Hit Counter Ministers Sign Water Pact – The Daily Blog\n\nMinisters Sign Water Pact\n5 min read\nShare on Facebook | Twitter | Email\n1,204 views\nEgypt and Sudan signed a water pact on Monday.\nPosted by admin";
        let (zones, title) = marked(text);
        assert_eq!(title.as_deref(), Some("Ministers Sign Water Pact"));
        let rules: Vec<&str> = zones.iter().map(|(rule, _, _)| rule.as_str()).collect();
        assert_eq!(
            rules,
            vec![
                "tracking-snippet",
                "hit-counter",
                "repeated-title",
                "reading-time",
                "share-buttons",
                "view-count",
                "byline-admin"
            ]
        );
        assert!(zones.iter().all(|(_, _, kind)| *kind == ZoneKind::Clutter));
        assert_eq!(zones[1].1, "Free Web Hit Counter");
    }

    #[test]
    fn keeps_article_sentences_that_mention_sharing() {
        let text = "Headline\nThe two countries agreed to share water from the river.\nReaders can print the report.";
        let (zones, _) = marked(text);
        assert!(zones.is_empty(), "{zones:?}");
    }

    #[test]
    fn marks_captions_and_their_duplicates() {
        let text = "Headline\nThe minister arrives in Cairo on 3 May. Photo by Jane Roe/Getty Images\nBridge over the Nile at dusk\nBridge over the Nile at dusk\nBody text follows here.";
        let (zones, _) = marked(text);
        assert_eq!(zones.len(), 3, "{zones:?}");
        assert_eq!(zones[0].0, "photo-credit-caption");
        assert_eq!(zones[0].2, ZoneKind::Caption);
        assert_eq!(
            (zones[1].0.as_str(), zones[1].2),
            ("duplicate-line", ZoneKind::Caption)
        );
        assert_eq!(
            (zones[2].0.as_str(), zones[2].2),
            ("duplicate-line", ZoneKind::Clutter)
        );
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "Überschrift – naïve\n3 Min Read\nText.";
        let rules = ClutterRules::embedded().expect("embedded rules compile");
        let result = rules.mark(text, None, Vec::new());
        assert_eq!(result.zones.len(), 1);
        let zone = &result.zones[0];
        let chars: Vec<char> = text.chars().collect();
        let marked: String = chars[zone.start..zone.end].iter().collect();
        assert_eq!(marked, "3 Min Read");
    }
}
