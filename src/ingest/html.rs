//! HTML pages: reduces a page to its visible text, with title, URL, date and figure captions.
//!
//! The text of an HTML document *is* the text this module derives (block elements become line breaks,
//! white space runs become one space, scripts and styles vanish); all offsets refer to it. The walk over
//! the parsed tree is iterative, so no page nests deeply enough to overflow the stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

use super::{Zone, ZoneKind};

/// What a page gives.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub captions: Vec<Zone>,
}

const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas",
    "button", "select",
];
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];
const DATE_META_NAMES: &[&str] = &[
    "article:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "og:published_time",
];

/// Parses `source` and derives its text and metadata.
pub(crate) fn parse(source: &str) -> Page {
    let html = Html::parse_document(source);
    let mut page = Page::default();
    let mut writer = TextWriter::default();
    let mut hidden_depth = 0usize;
    let mut pre_depth = 0usize;
    let mut caption_starts: Vec<usize> = Vec::new();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if hidden_depth > 0 || INVISIBLE.contains(&name) {
                        hidden_depth += 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        writer.break_line();
                    }
                    if name == "pre" {
                        pre_depth += 1;
                    }
                    if name == "figcaption" {
                        caption_starts.push(writer.char_len);
                    }
                }
                Node::Text(text) if hidden_depth == 0 => writer.write(&text.text, pre_depth > 0),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if hidden_depth > 0 {
                        hidden_depth -= 1;
                        continue;
                    }
                    if name == "pre" {
                        pre_depth = pre_depth.saturating_sub(1);
                    }
                    if name == "figcaption" {
                        if let Some(start) = caption_starts.pop() {
                            let end = writer.trimmed_char_len();
                            if end > start {
                                page.captions.push(Zone {
                                    kind: ZoneKind::Caption,
                                    rule: "html-figcaption".into(),
                                    start,
                                    end,
                                });
                            }
                        }
                    }
                    if BLOCKS.contains(&name) {
                        writer.break_line();
                    }
                }
            }
        }
    }
    page.text = writer.finish();
    page.title = meta_content(&html, &["og:title"])
        .as_deref()
        .and_then(one_line)
        .or_else(|| first_text(&html, "h1"))
        .or_else(|| first_text(&html, "title"));
    page.url = first_attribute(&html, "link[rel=canonical]", "href")
        .or_else(|| meta_content(&html, &["og:url"]))
        .as_deref()
        .and_then(url_of);
    page.published = meta_content(&html, DATE_META_NAMES)
        .or_else(|| first_attribute(&html, "[itemprop=datePublished]", "content"))
        .or_else(|| first_attribute(&html, "[itemprop=datePublished]", "datetime"))
        .or_else(|| first_attribute(&html, "time[datetime]", "datetime"))
        .as_deref()
        .and_then(one_line);
    page
}

/// An attribute's text as one line: white space runs become one space (as in a title taken from
/// the page's text); `None` when nothing is left.
fn one_line(value: &str) -> Option<String> {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// A URL attribute's value without the tabs and line breaks the URL standard removes from a URL
/// before parsing it (`href="https://a.example/\n  page"` is `https://a.example/  page`), trimmed;
/// `None` when nothing is left.
fn url_of(value: &str) -> Option<String> {
    let url: String = value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim();
    (!url.is_empty()).then(|| url.to_string())
}

/// Accumulates visible text with collapsed white space and line breaks between blocks.
#[derive(Default)]
struct TextWriter {
    text: String,
    char_len: usize,
    pending_space: bool,
}

impl TextWriter {
    fn write(&mut self, fragment: &str, preformatted: bool) {
        if preformatted {
            self.push(fragment);
            return;
        }
        for (index, word) in fragment.split_whitespace().enumerate() {
            let space_before =
                index > 0 || fragment.starts_with(char::is_whitespace) || self.pending_space;
            if space_before && !self.text.is_empty() && !self.text.ends_with('\n') {
                self.push(" ");
            }
            self.pending_space = false;
            self.push(word);
        }
        if fragment.ends_with(char::is_whitespace) {
            self.pending_space = true;
        }
    }

    fn push(&mut self, piece: &str) {
        self.text.push_str(piece);
        self.char_len += piece.chars().count();
    }

    fn break_line(&mut self) {
        self.pending_space = false;
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push("\n");
        }
    }

    fn trimmed_char_len(&self) -> usize {
        let trailing_white_space = &self.text[self.text.trim_end().len()..];
        self.char_len - trailing_white_space.chars().count()
    }

    fn finish(self) -> String {
        self.text.trim_end().to_string()
    }
}

fn meta_content(html: &Html, names: &[&str]) -> Option<String> {
    let selector = Selector::parse("meta").ok()?;
    for name in names {
        for element in html.select(&selector) {
            let key = element
                .attr("property")
                .or_else(|| element.attr("name"))
                .or_else(|| element.attr("itemprop"));
            if key.is_some_and(|key| key.eq_ignore_ascii_case(name)) {
                if let Some(content) = element
                    .attr("content")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                {
                    return Some(content.to_string());
                }
            }
        }
    }
    None
}

fn first_text(html: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    let element = html.select(&selector).next()?;
    let text = element.text().collect::<Vec<_>>().join(" ");
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

fn first_attribute(html: &Html, selector: &str, attribute: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    html.select(&selector).find_map(|element| {
        element
            .attr(attribute)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_text_metadata_and_captions() {
        let page = parse(
            r#"<html><head><title>Pact signed | Site</title>
            <meta property="article:published_time" content="2024-03-05T10:00:00Z">
            <link rel="canonical" href="https://news.example/pact">
            <script>var x = "<p>hidden</p>";</script></head>
            <body><h1>Pact  signed</h1><p>Chile and <b>Peru</b> signed a pact.</p>
            <figure><img src="a.jpg" alt="ignored"><figcaption>Ministers in Lima</figcaption></figure>
            <p>More&nbsp;text &amp; “quotes”.</p></body></html>"#,
        );
        assert_eq!(
            page.text,
            "Pact signed\nChile and Peru signed a pact.\nMinisters in Lima\nMore text & “quotes”."
        );
        assert_eq!(page.title.as_deref(), Some("Pact signed"));
        assert_eq!(page.url.as_deref(), Some("https://news.example/pact"));
        assert_eq!(page.published.as_deref(), Some("2024-03-05T10:00:00Z"));
        assert_eq!(page.captions.len(), 1);
        let caption: String = page
            .text
            .chars()
            .skip(page.captions[0].start)
            .take(page.captions[0].end - page.captions[0].start)
            .collect();
        assert_eq!(caption, "Ministers in Lima");
    }

    #[test]
    fn captions_ending_in_wide_white_space_count_characters() {
        let page = parse("<figcaption><pre>Lima\u{3000}\u{3000}</pre></figcaption><p>Text</p>");
        assert_eq!(page.text, "Lima\u{3000}\u{3000}\nText");
        assert_eq!(page.captions.len(), 1);
        assert_eq!((page.captions[0].start, page.captions[0].end), (0, 4));
    }

    #[test]
    fn metadata_from_attributes_is_on_one_line() {
        let page = parse(
            "<meta property=\"og:title\" content=\"Pact\n  signed \">\
             <meta name=\"date\" content=\"2024-03-05\n\">\
             <link rel=\"canonical\" href=\"https://news.example/\n\tpact\r\n\"><p>Text</p>",
        );
        assert_eq!(page.title.as_deref(), Some("Pact signed"));
        assert_eq!(page.published.as_deref(), Some("2024-03-05"));
        assert_eq!(page.url.as_deref(), Some("https://news.example/pact"));
        let page = parse("<link rel=\"canonical\" href=\"\n\"><p>Text</p>");
        assert_eq!(page.url, None);
    }

    #[test]
    fn survives_deep_nesting_and_garbage() {
        let deep = "<div>".repeat(20_000) + "text" + &"</div>".repeat(20_000);
        assert_eq!(parse(&deep).text, "text");
        assert_eq!(parse("<<<>>>&&&;").text, "<<<>>>&&&;");
    }
}
