//! Markdown files: kept as written, with front matter, the first heading and image captions found.
//!
//! Markdown markup stays in the text (offsets refer to the file as written). A YAML front matter block
//! is marked as clutter and read for `title` and `date`; the first `#` heading gives the title
//! otherwise; an image's alt text (`![alt](url)`) is marked as a caption and the rest of the image
//! markup as clutter.

use std::sync::LazyLock;

use regex::Regex;

use super::{Zone, ZoneKind};
use crate::text::CharMap;

/// What scanning a Markdown text gives.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    pub title: Option<String>,
    pub published: Option<String>,
    pub zones: Vec<Zone>,
}

static FRONT_MATTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A---[ \t]*\r?\n((?s:.*?))\r?\n---[ \t]*(?:\r?\n|\z)").expect("valid regex")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^#{1,6}[ \t]+(.+?)[ \t#]*$").expect("valid regex"));
static IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[([^\]\n]*)\]\(([^)\n]*)\)").expect("valid regex"));

/// Scans `text` for front matter, a title and images.
pub(crate) fn scan(text: &str) -> Scanned {
    let map = CharMap::new(text);
    let mut scanned = Scanned::default();
    let mut body_start = 0;
    if let Some(front) = FRONT_MATTER.captures(text) {
        let whole = front.get(0).map_or(0..0, |m| m.range());
        body_start = whole.end;
        scanned.zones.push(zone(
            ZoneKind::Clutter,
            "front-matter",
            &map,
            whole.start,
            whole.end,
        ));
        for line in front[1].lines() {
            if let Some((key, value)) = line.split_once(':') {
                let value = value
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                match key.trim().to_ascii_lowercase().as_str() {
                    "title" if !value.is_empty() => scanned.title = Some(value),
                    "date" | "published" | "pubdate" if !value.is_empty() => {
                        scanned.published = Some(value)
                    }
                    _ => {}
                }
            }
        }
    }
    if scanned.title.is_none() {
        scanned.title = HEADING
            .captures(&text[body_start..])
            .map(|heading| heading[1].trim().to_string())
            .filter(|title| !title.is_empty());
    }
    for image in IMAGE.captures_iter(&text[body_start..]) {
        let (Some(whole), Some(alt)) = (image.get(0), image.get(1)) else {
            continue;
        };
        let offset = body_start;
        scanned.zones.push(zone(
            ZoneKind::Clutter,
            "markdown-image",
            &map,
            offset + whole.start(),
            offset + alt.start(),
        ));
        if alt.start() < alt.end() {
            scanned.zones.push(zone(
                ZoneKind::Caption,
                "markdown-image",
                &map,
                offset + alt.start(),
                offset + alt.end(),
            ));
        }
        scanned.zones.push(zone(
            ZoneKind::Clutter,
            "markdown-image",
            &map,
            offset + alt.end(),
            offset + whole.end(),
        ));
    }
    scanned
}

fn zone(kind: ZoneKind, rule: &str, map: &CharMap, start: usize, end: usize) -> Zone {
    let span = map.span_of_bytes(start, end);
    Zone {
        kind,
        rule: rule.to_string(),
        start: span.start,
        end: span.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_heading_and_images() {
        let text = "---\ntitle: \"Water deal\"\ndate: 2023-04-01\n---\n# Ignored heading\n\n![Ministers in Cairo](x.jpg)\nEgypt signed.";
        let scanned = scan(text);
        assert_eq!(scanned.title.as_deref(), Some("Water deal"));
        assert_eq!(scanned.published.as_deref(), Some("2023-04-01"));
        let chars: Vec<char> = text.chars().collect();
        let pieces: Vec<(ZoneKind, String)> = scanned
            .zones
            .iter()
            .map(|z| (z.kind, chars[z.start..z.end].iter().collect()))
            .collect();
        assert_eq!(pieces[0].0, ZoneKind::Clutter);
        assert!(pieces[0].1.starts_with("---\ntitle"));
        assert_eq!(pieces[1], (ZoneKind::Clutter, "![".to_string()));
        assert_eq!(
            pieces[2],
            (ZoneKind::Caption, "Ministers in Cairo".to_string())
        );
        assert_eq!(pieces[3], (ZoneKind::Clutter, "](x.jpg)".to_string()));
    }

    #[test]
    fn takes_the_first_heading_without_front_matter() {
        assert_eq!(
            scan("Intro\n## Río deal ##\ntext").title.as_deref(),
            Some("Río deal")
        );
    }
}
