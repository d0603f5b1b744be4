//! CoNLL-2003 and WikiANN files: sentences of tokens with entity tags, grouped in documents.
//!
//! CoNLL-2003 lines are `token POS chunk NER` (IOB1), `-DOCSTART-` lines separate documents and blank
//! lines separate sentences; WikiANN lines are `en:token<TAB>tag` (IOB2). Tags are read into
//! [`EntitySpan`]s, so both schemes (and the BILOU scheme the model uses) meet in one place.

use std::io::BufRead;

use super::score::Score;
use super::tags::{EntitySpan, EntityType};

/// One sentence: tokens and, when read from annotated data, the gold entity spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// The tokens.
    pub tokens: Vec<String>,
    /// Gold entities (token ranges).
    pub entities: Vec<EntitySpan>,
}

/// A document: its sentences in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusDocument {
    /// The sentences.
    pub sentences: Vec<Sentence>,
}

/// A line of a CoNLL file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConllError {
    /// Reading failed.
    #[error("line {line}: {source}")]
    Io {
        /// 1-based line.
        line: usize,
        /// The error.
        source: std::io::Error,
    },
}

/// The layout of an annotated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// CoNLL-2003: space-separated columns, tag last, IOB1, `-DOCSTART-` documents.
    Conll2003,
    /// WikiANN: `en:token<TAB>tag`, IOB2, no documents (each sentence is its own).
    WikiAnn,
}

/// Reads an annotated file into documents. Tags outside PER/ORG/LOC/MISC count as O.
pub fn read_annotated(
    reader: impl BufRead,
    layout: Layout,
) -> Result<Vec<CorpusDocument>, ConllError> {
    let mut documents = vec![CorpusDocument::default()];
    let mut tokens = Vec::new();
    let mut tags = Vec::new();
    let flush =
        |tokens: &mut Vec<String>, tags: &mut Vec<String>, documents: &mut Vec<CorpusDocument>| {
            if tokens.is_empty() {
                return;
            }
            let entities = spans_from_tags(tags);
            let sentence = Sentence {
                tokens: std::mem::take(tokens),
                entities,
            };
            tags.clear();
            if let Some(document) = documents.last_mut() {
                document.sentences.push(sentence);
            }
            if layout == Layout::WikiAnn {
                documents.push(CorpusDocument::default());
            }
        };
    for (index, line) in reader.lines().enumerate() {
        let line = line.map_err(|source| ConllError::Io {
            line: index + 1,
            source,
        })?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            flush(&mut tokens, &mut tags, &mut documents);
            continue;
        }
        if trimmed.starts_with("-DOCSTART-") {
            flush(&mut tokens, &mut tags, &mut documents);
            if documents.last().is_some_and(|d| !d.sentences.is_empty()) {
                documents.push(CorpusDocument::default());
            }
            continue;
        }
        let mut fields: Vec<&str> = match layout {
            Layout::Conll2003 => trimmed.split_whitespace().collect(),
            Layout::WikiAnn => trimmed.split('\t').collect(),
        };
        let tag = if fields.len() > 1 {
            fields.pop().unwrap_or("O")
        } else {
            "O"
        };
        let token = fields.first().copied().unwrap_or_default();
        let token = token
            .strip_prefix("en:")
            .filter(|_| layout == Layout::WikiAnn)
            .unwrap_or(token);
        tokens.push(token.to_string());
        tags.push(tag.to_string());
    }
    flush(&mut tokens, &mut tags, &mut documents);
    documents.retain(|d| !d.sentences.is_empty());
    Ok(documents)
}

/// Entity spans from IOB1 or IOB2 tags: `B-X` always opens an entity; `I-X` opens one unless the
/// previous token is inside an entity of type X.
pub fn spans_from_tags(tags: &[impl AsRef<str>]) -> Vec<EntitySpan> {
    let mut spans: Vec<EntitySpan> = Vec::new();
    let mut open: Option<EntitySpan> = None;
    for (index, tag) in tags.iter().enumerate() {
        let tag = tag.as_ref();
        let (prefix, kind) = tag
            .split_once('-')
            .map_or((tag, None), |(p, k)| (p, EntityType::parse(k)));
        let Some(kind) = kind.filter(|_| matches!(prefix, "B" | "I" | "E" | "S" | "L" | "U"))
        else {
            spans.extend(open.take());
            continue;
        };
        let continues = matches!(prefix, "I" | "E" | "L")
            && open.is_some_and(|o| o.kind == kind && o.end == index);
        if continues {
            if let Some(span) = open.as_mut() {
                span.end = index + 1;
            }
        } else {
            spans.extend(open.take());
            open = Some(EntitySpan {
                kind,
                start: index,
                end: index + 1,
            });
        }
        if matches!(prefix, "E" | "S" | "L" | "U") {
            spans.extend(open.take());
        }
    }
    spans.extend(open);
    spans
}

/// IOB2 tags (`B-X`, `I-X`, `O`) for `length` tokens holding `spans`.
pub fn iob2_tags(length: usize, spans: &[EntitySpan]) -> Vec<String> {
    let mut tags = vec!["O".to_string(); length];
    for span in spans {
        for (offset, tag) in tags
            .iter_mut()
            .enumerate()
            .take(span.end.min(length))
            .skip(span.start)
        {
            let prefix = if offset == span.start { "B" } else { "I" };
            *tag = format!("{prefix}-{}", span.kind);
        }
    }
    tags
}

/// Tags a CoNLL file: every token line is written back with the predicted IOB2 tag appended as a
/// last column; `-DOCSTART-` and blank lines pass through. Gives the entity-level score of the
/// predictions against the file's own last column (when lines have at least two columns).
pub fn tag_file(
    reader: impl BufRead,
    mut writer: impl std::io::Write,
    tagger: impl Fn(&[&str]) -> Vec<EntitySpan>,
) -> Result<Score, ConllError> {
    let mut lines: Vec<String> = Vec::new();
    let mut score = Score::default();
    let mut number = 0;
    let io = |line: usize| move |source| ConllError::Io { line, source };
    let mut flush = |lines: &mut Vec<String>,
                     writer: &mut dyn std::io::Write,
                     number: usize|
     -> Result<(), ConllError> {
        if lines.is_empty() {
            return Ok(());
        }
        let columns: Vec<Vec<&str>> = lines
            .iter()
            .map(|l| l.split_whitespace().collect())
            .collect();
        let words: Vec<&str> = columns
            .iter()
            .map(|c| c.first().copied().unwrap_or_default())
            .collect();
        let predicted = tagger(&words);
        let tags = iob2_tags(words.len(), &predicted);
        let gold_tags: Vec<&str> = columns
            .iter()
            .map(|c| if c.len() > 1 { c[c.len() - 1] } else { "O" })
            .collect();
        for (line, tag) in lines.iter().zip(&tags) {
            writeln!(writer, "{line} {tag}").map_err(io(number))?;
        }
        score.add(&spans_from_tags(&gold_tags), &predicted);
        lines.clear();
        Ok(())
    };
    for line in reader.lines() {
        number += 1;
        let line = line.map_err(io(number))?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.starts_with("-DOCSTART-") {
            flush(&mut lines, &mut writer, number)?;
            writeln!(writer, "{trimmed}").map_err(io(number))?;
            continue;
        }
        lines.push(trimmed.to_string());
    }
    flush(&mut lines, &mut writer, number)?;
    Ok(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob1_and_iob2_into_the_same_spans() {
        let iob1 = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"];
        let iob2 = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG"];
        assert_eq!(spans_from_tags(&iob1), spans_from_tags(&iob2));
        assert_eq!(spans_from_tags(&iob1).len(), 4);
        assert_eq!(
            iob2_tags(6, &spans_from_tags(&iob1)),
            iob2.iter().map(|t| t.to_string()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn reads_documents_and_sentences() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nX NN O O\n";
        let documents = read_annotated(text.as_bytes(), Layout::Conll2003).expect("reads");
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].sentences.len(), 2);
        assert_eq!(
            documents[0].sentences[0].entities,
            vec![EntitySpan {
                kind: EntityType::Org,
                start: 0,
                end: 1
            }]
        );
        let wiki = "en:R.H.\tB-ORG\nen:Saunders\tI-ORG\n\nen:Paris\tB-LOC\n";
        let documents = read_annotated(wiki.as_bytes(), Layout::WikiAnn).expect("reads");
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].sentences[0].tokens, vec!["R.H.", "Saunders"]);
    }
}
