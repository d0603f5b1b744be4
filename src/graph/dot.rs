//! Writing an [`EntityGraph`] as Graphviz DOT: a shape and colour per kind of node with a compact
//! legend, attributes (an agreement's capacity, amount, duration, status) inside an HTML-like label,
//! edges labelled with their relations (parallel relations share one edge; each label is underlined
//! and tied to its edge, so labels that meet near a busy node stay readable) and as wide as the
//! number of articles behind them, and every node's IRI as its tooltip and link. Nodes come in IRI order and edges in (source, target, label) order,
//! so the same graph always gives the same bytes. The text is written here, with our own escaping,
//! not by petgraph's `Dot` (whose output may change between releases): [`quoted`] for DOT strings,
//! [`html_text`] for HTML-like labels.

use std::io::{self, Write};

use super::{EntityGraph, Node, NodeKind, Relation};

/// How nodes link out of the picture.
pub struct DotOptions<'a> {
    /// The address a node links to (its IRI by default); `None` for no link.
    pub link: &'a dyn Fn(&Node) -> Option<String>,
    /// The `target` of links (`_top` when the picture is embedded in a page), if any.
    pub target: Option<&'a str>,
}

/// A node's IRI, except for blank nodes.
pub fn iri_link(node: &Node) -> Option<String> {
    (!node.is_blank()).then(|| node.iri.clone())
}

impl Default for DotOptions<'_> {
    fn default() -> Self {
        Self {
            link: &iri_link,
            target: None,
        }
    }
}

/// The widest edge, in points.
const MAX_PENWIDTH: usize = 6;
/// The most article names an edge's tooltip lists.
const TOOLTIP_ARTICLES: usize = 5;

/// How a kind of node is drawn: shape, style and fill colour.
fn appearance(kind: NodeKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        NodeKind::Country => ("ellipse", "filled", "#cfe2f3"),
        NodeKind::Agreement => ("note", "filled", "#fff2cc"),
        NodeKind::Official => ("box", "filled,rounded", "#fce5cd"),
        NodeKind::Person => ("box", "filled,rounded,dashed", "#f4cccc"),
        NodeKind::Organisation => ("hexagon", "filled", "#d9ead3"),
        NodeKind::Place => ("house", "filled", "#ead1dc"),
        NodeKind::Quote => ("box", "filled,dashed", "#ffffff"),
        NodeKind::Article => ("tab", "filled", "#eeeeee"),
        NodeKind::Other => ("ellipse", "filled,dashed", "#ffffff"),
    }
}

/// Writes `graph` as a DOT digraph.
pub fn write_dot(
    graph: &EntityGraph,
    options: &DotOptions<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(
        b"digraph dealgraph {\n  \
          graph [rankdir=LR, ranksep=0.9, nodesep=0.3, splines=true, overlap=false, \
          fontname=\"Helvetica\", fontsize=11];\n  \
          node [fontname=\"Helvetica\", fontsize=10, penwidth=0.8];\n  \
          edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", fontcolor=\"#333333\", arrowsize=0.6, \
          decorate=true];\n",
    )?;
    write_legend(graph, out)?;
    for node in graph.graph.node_weights() {
        write_node(node, options, out)?;
    }
    let edges: Vec<_> = graph.graph.edge_indices().collect();
    for parallel in
        edges.chunk_by(|a, b| graph.graph.edge_endpoints(*a) == graph.graph.edge_endpoints(*b))
    {
        let (source, target) = graph
            .graph
            .edge_endpoints(parallel[0])
            .expect("an edge of the graph");
        let relations: Vec<&Relation> = parallel.iter().map(|&edge| &graph.graph[edge]).collect();
        write_edge(
            graph,
            &graph.graph[source],
            &graph.graph[target],
            &relations,
            out,
        )?;
    }
    out.write_all(b"}\n")
}

/// A cluster with one small sample node per kind drawn, two a row, and what edge labels and widths
/// mean.
fn write_legend(graph: &EntityGraph, out: &mut dyn Write) -> io::Result<()> {
    let kinds: Vec<NodeKind> = NodeKind::ALL
        .into_iter()
        .filter(|kind| graph.graph.node_weights().any(|node| node.kind == *kind))
        .collect();
    if kinds.is_empty() {
        return Ok(());
    }
    out.write_all(
        b"  subgraph cluster_legend {\n    \
          graph [label=\"Legend\", style=\"rounded\", color=\"#999999\", fontsize=10];\n",
    )?;
    for kind in &kinds {
        let (shape, style, fill) = appearance(*kind);
        writeln!(
            out,
            "    {} [label={}, shape={shape}, style={}, fillcolor={}, fontsize=9, height=0.3, \
             margin=\"0.08,0.02\"];",
            quoted(&format!("legend {kind}")),
            quoted(kind.name()),
            quoted(style),
            quoted(fill),
        )?;
    }
    // Samples in pairs, one after the other across the picture, so the legend takes two columns
    // rather than a column as tall as all of them.
    for pair in kinds.chunks_exact(2) {
        writeln!(
            out,
            "    {} -> {} [style=invis];",
            quoted(&format!("legend {}", pair[0])),
            quoted(&format!("legend {}", pair[1])),
        )?;
    }
    writeln!(
        out,
        "    \"legend edges\" [shape=plaintext, fontsize=9, label=<edge label: relation or post held<br/>\
         edge width: articles stating it<br/>(n): articles stating a value>];"
    )?;
    out.write_all(b"  }\n")
}

fn write_node(node: &Node, options: &DotOptions<'_>, out: &mut dyn Write) -> io::Result<()> {
    let (shape, style, fill) = appearance(node.kind);
    write!(
        out,
        "  {} [label={}, shape={shape}, style={}, fillcolor={}, tooltip={}",
        quoted(&node.iri),
        label(node),
        quoted(style),
        quoted(fill),
        quoted(&node.iri),
    )?;
    if let Some(link) = (options.link)(node) {
        write!(out, ", URL={}", quoted(&link))?;
        if let Some(target) = options.target {
            write!(out, ", target={}", quoted(target))?;
        }
    }
    out.write_all(b"];\n")
}

/// A node's label: plain when it has no attributes, else an HTML-like table of its name and
/// attributes.
fn label(node: &Node) -> String {
    if node.attributes.is_empty() {
        return quoted(&node.label);
    }
    let mut table = format!(
        "<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">\
         <tr><td><b>{}</b></td></tr>",
        html_text(&node.label)
    );
    for attribute in &node.attributes {
        let count = if attribute.articles > 1 {
            format!(" ({})", attribute.articles)
        } else {
            String::new()
        };
        table.push_str(&format!(
            "<tr><td align=\"left\"><font point-size=\"8\">{}: {}{count}</font></td></tr>",
            html_text(&attribute.name),
            html_text(&attribute.value),
        ));
    }
    table.push_str("</table>>");
    table
}

/// One edge for the relations between two nodes in one direction: their labels joined, as wide as
/// the number of articles stating any of them.
fn write_edge(
    graph: &EntityGraph,
    source: &Node,
    target: &Node,
    relations: &[&Relation],
    out: &mut dyn Write,
) -> io::Result<()> {
    let labels: Vec<&str> = relations
        .iter()
        .map(|relation| relation.label.as_str())
        .collect();
    let label = labels.join(", ");
    let mut sources: Vec<usize> = relations
        .iter()
        .flat_map(|relation| relation.sources.iter().copied())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let articles = sources.len();
    let mut tooltip = format!(
        "{} {label} {}: {articles} article{}",
        source.label,
        target.label,
        if articles == 1 { "" } else { "s" }
    );
    if articles > 0 {
        let names: Vec<&str> = sources
            .iter()
            .take(TOOLTIP_ARTICLES)
            .map(|&index| graph.articles[index].name.as_str())
            .collect();
        tooltip.push_str(" (");
        tooltip.push_str(&names.join(", "));
        if articles > TOOLTIP_ARTICLES {
            tooltip.push_str(", …");
        }
        tooltip.push(')');
    }
    writeln!(
        out,
        "  {} -> {} [label={}, penwidth={}, tooltip={}];",
        quoted(&source.iri),
        quoted(&target.iri),
        quoted(&label),
        articles.clamp(1, MAX_PENWIDTH),
        quoted(&tooltip),
    )
}

/// `text` as a DOT quoted string of an escString attribute (label, tooltip, URL): `"` and `\`
/// escaped, line breaks as `\n`, tabs as spaces and other control characters as U+FFFD, so no
/// Graphviz escape sequence (`\N`, `\l`...) can come from the text; and `&` as `&amp;`, because
/// Graphviz reads entities such as `&lt;` in quoted strings too (and writes a bare `&` of a URL
/// into SVG unescaped).
pub fn quoted(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '&' => escaped.push_str("&amp;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push(' '),
            c if c.is_control() => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped.push('"');
    escaped
}

/// `text` as the content of an HTML-like label: `&`, `<`, `>`, `"` and `'` as entities, line
/// breaks as `<br/>`, tabs as spaces and other control characters (which XML forbids) as U+FFFD.
pub fn html_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("<br/>");
            }
            '\n' => escaped.push_str("<br/>"),
            '\t' => escaped.push(' '),
            c if c.is_control() => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{html_text, quoted};

    #[test]
    fn quoted_strings_escape_quotes_backslashes_and_breaks() {
        assert_eq!(quoted(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quoted(r"a\N\"), r#""a\\N\\""#);
        assert_eq!(
            quoted("one\ntwo\r\nthree\rfour"),
            r#""one\ntwo\nthree\nfour""#
        );
        assert_eq!(quoted("a\tb\u{7}c"), "\"a b\u{FFFD}c\"");
        assert_eq!(quoted("Zoë 🙂 שלום"), "\"Zoë 🙂 שלום\"");
        assert_eq!(quoted("a &amp; b & c"), "\"a &amp;amp; b &amp; c\"");
    }

    #[test]
    fn html_text_escapes_markup() {
        assert_eq!(
            html_text("<b>&\"'</b>\nx"),
            "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;<br/>x"
        );
        assert_eq!(html_text("&amp;"), "&amp;amp;");
    }
}
