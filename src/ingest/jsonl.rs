//! JSON Lines input: one `{"id","title","url","published","text"}` object a line, only `text` required.
//!
//! The file is read line by line, never whole. A malformed line is reported with its line and column
//! and skipped; the other lines are still read. A record's identity is its `id`, else its `url`, else
//! `<path>#L<line>`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;

use super::{finish, normalise_path, ClutterRules, IngestError, Ingested, Metadata, SourceFormat};

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    text: String,
}

/// Reads every line of a JSON Lines file into `ingested`.
pub(crate) fn ingest_file(path: &Path, rules: &ClutterRules, ingested: &mut Ingested) {
    let shown = path.display().to_string();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(source) => {
            ingested.errors.push(IngestError::Io {
                path: shown,
                source,
            });
            return;
        }
    };
    let mut reader = BufReader::new(file);
    let mut buffer = Vec::new();
    let mut line_number = 0;
    let mut byte_offset = 0;
    let mut records = 0;
    loop {
        buffer.clear();
        match reader.read_until(b'\n', &mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                line_number += 1;
                let line_start = byte_offset;
                byte_offset += read;
                match record_document(path, &shown, line_number, line_start, &buffer, rules) {
                    Ok(Some(document)) => {
                        records += 1;
                        ingested.documents.push(document);
                    }
                    Ok(None) => {}
                    Err(error) => {
                        records += 1;
                        ingested.errors.push(error);
                    }
                }
            }
            Err(source) => {
                ingested.errors.push(IngestError::Io {
                    path: shown,
                    source,
                });
                return;
            }
        }
    }
    if records == 0 {
        ingested.errors.push(IngestError::Empty { location: shown });
    }
}

fn record_document(
    path: &Path,
    shown: &str,
    line: usize,
    line_start: usize,
    bytes: &[u8],
    rules: &ClutterRules,
) -> Result<Option<super::Document>, IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|error| IngestError::NotUtf8 {
        path: shown.to_string(),
        line,
        byte_offset: line_start + error.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let record: Record = serde_json::from_str(text).map_err(|error| IngestError::JsonLine {
        path: shown.to_string(),
        line,
        column: error.column(),
        message: error.to_string(),
    })?;
    if record.text.trim().is_empty() {
        return Err(IngestError::Empty {
            location: format!("{shown}:{line}"),
        });
    }
    let id = record
        .id
        .clone()
        .or_else(|| record.url.clone())
        .unwrap_or_else(|| format!("{}#L{line}", normalise_path(path)));
    let source = record
        .url
        .clone()
        .or(record.id)
        .unwrap_or_else(|| format!("{shown}#L{line}"));
    let metadata = Metadata {
        title: record.title,
        url: record.url,
        published: record.published,
    };
    Ok(Some(finish(
        &id,
        &source,
        SourceFormat::Jsonl,
        bytes,
        record.text,
        Vec::new(),
        metadata,
        rules,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_good_lines_and_reports_bad_ones() {
        let mut file = tempfile::NamedTempFile::with_suffix(".jsonl").expect("temp file");
        writeln!(
            file,
            r#"{{"id":"a1","title":"T","published":"2021-05-04","text":"Chile signed."}}"#
        )
        .expect("write");
        writeln!(file).expect("write");
        writeln!(file, r#"{{"id":"a2","text": 5}}"#).expect("write");
        writeln!(file, r#"{{"text":"Peru signed."}}"#).expect("write");
        let rules = ClutterRules::embedded().expect("rules");
        let mut ingested = Ingested::default();
        ingest_file(file.path(), &rules, &mut ingested);
        assert_eq!(ingested.documents.len(), 2);
        assert_eq!(ingested.documents[0].id, "a1");
        assert_eq!(
            ingested.documents[0].published.as_deref(),
            Some("2021-05-04")
        );
        assert!(ingested.documents[1].id.ends_with("#L4"));
        assert_eq!(ingested.errors.len(), 1);
        let message = ingested.errors[0].to_string();
        assert!(message.contains(":3:"), "{message}");
    }
}
