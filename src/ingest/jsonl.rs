//! JSON Lines input: one `{"id","title","url","published","text"}` object a line, only `text` required.
//!
//! The file is read line by line, never whole. A malformed line is reported with its line and column
//! and skipped; the other lines are still read. A record's identity is its `id`, else its `url`, else
//! `<path>#L<line>`. A line longer than the document limit is rejected without being held: the
//! reader skips to its end.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{finish, normalise_path, ClutterRules, IngestError, Metadata, SourceFormat};

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

/// The records of one JSON Lines file, read a line at a time.
pub(crate) struct Lines<R> {
    path: PathBuf,
    shown: String,
    reader: R,
    buffer: Vec<u8>,
    line_number: usize,
    byte_offset: usize,
    records: usize,
    done: bool,
    /// The longest line read, in bytes (the document limit).
    max_line_bytes: u64,
}

impl<R: BufRead> Lines<R> {
    /// Reads the file at `path` through `reader`, rejecting lines longer than `max_line_bytes`.
    pub(crate) fn new(path: &Path, reader: R, max_line_bytes: u64) -> Self {
        Self {
            path: path.to_path_buf(),
            shown: path.display().to_string(),
            reader,
            buffer: Vec::new(),
            line_number: 0,
            byte_offset: 0,
            records: 0,
            done: false,
            max_line_bytes,
        }
    }

    /// The next record's document, or the error in its place; at the end, an error if the file
    /// held no record, then nothing.
    pub(crate) fn next_document(
        &mut self,
        rules: &ClutterRules,
    ) -> Option<Result<super::Document, IngestError>> {
        while !self.done {
            self.buffer.clear();
            match self.read_line() {
                Ok(Line::Read(0)) => {
                    self.done = true;
                    if self.records == 0 {
                        return Some(Err(IngestError::Empty {
                            location: self.shown.clone(),
                        }));
                    }
                }
                Ok(Line::TooLong(read)) => {
                    self.line_number += 1;
                    self.byte_offset += read;
                    self.records += 1;
                    return Some(Err(IngestError::TooLarge {
                        location: format!("{}:{}", self.shown, self.line_number),
                        bytes: read as u64,
                        limit: self.max_line_bytes,
                    }));
                }
                Ok(Line::Read(read)) => {
                    self.line_number += 1;
                    let line_start = self.byte_offset;
                    self.byte_offset += read;
                    let record = record_document(
                        &self.path,
                        &self.shown,
                        self.line_number,
                        line_start,
                        &self.buffer,
                        rules,
                    )
                    .transpose();
                    if record.is_some() {
                        self.records += 1;
                        return record;
                    }
                }
                Err(source) => {
                    self.done = true;
                    return Some(Err(IngestError::Io {
                        path: self.shown.clone(),
                        source,
                    }));
                }
            }
        }
        None
    }
}

/// What reading one line gave.
enum Line {
    /// A line of this many bytes, in the buffer (0 at the end of the file).
    Read(usize),
    /// A line of this many bytes, longer than the limit: skipped, not held.
    TooLong(usize),
}

impl<R: BufRead> Lines<R> {
    /// Reads the next line into the buffer, or past it when it is longer than the limit.
    fn read_line(&mut self) -> std::io::Result<Line> {
        let limit = self.max_line_bytes.saturating_add(1);
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.buffer)?;
        let ended = self.buffer.last() == Some(&b'\n');
        if (read as u64) < limit || ended {
            return Ok(Line::Read(read));
        }
        self.buffer.clear();
        Ok(Line::TooLong(read + self.skip_rest_of_line()?))
    }

    /// Consumes the reader up to and including the next newline; gives the bytes consumed.
    fn skip_rest_of_line(&mut self) -> std::io::Result<usize> {
        let mut skipped = 0;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Ok(skipped);
            }
            match available.iter().position(|&byte| byte == b'\n') {
                Some(newline) => {
                    self.reader.consume(newline + 1);
                    return Ok(skipped + newline + 1);
                }
                None => {
                    let length = available.len();
                    self.reader.consume(length);
                    skipped += length;
                }
            }
        }
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
        let ingested = crate::ingest::ingest(&[file.path().to_path_buf()], &rules);
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

    #[test]
    fn a_line_over_the_limit_is_rejected_and_the_next_read() {
        let long = format!(
            r#"{{"id":"long","text":"{}"}}"#,
            "Chile signed. ".repeat(500)
        );
        let file = format!("{long}\n{{\"id\":\"short\",\"text\":\"Peru signed.\"}}\n");
        let reader = std::io::BufReader::with_capacity(64, file.as_bytes());
        let rules = ClutterRules::embedded().expect("rules");
        let mut lines = Lines::new(Path::new("mixed.jsonl"), reader, 1_000);
        let rejected = lines
            .next_document(&rules)
            .expect("an item")
            .expect_err("too long");
        let message = rejected.to_string();
        assert!(message.starts_with("mixed.jsonl:1: rejected"), "{message}");
        assert!(
            message.contains(&format!("{} bytes", long.len() + 1)),
            "{message}"
        );
        let next = lines
            .next_document(&rules)
            .expect("an item")
            .expect("valid");
        assert_eq!(next.id, "short");
        assert!(lines.next_document(&rules).is_none());
    }

    /// A reader that records how far it has been read.
    struct Counting<'c> {
        bytes: &'c [u8],
        read: &'c std::cell::Cell<usize>,
    }

    impl std::io::Read for Counting<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.bytes.len().min(out.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            self.read.set(self.read.get() + n);
            Ok(n)
        }
    }

    #[test]
    fn reads_a_record_without_reading_the_rest_of_the_file() {
        let line = format!(
            r#"{{"text":"Chile signed. {}"}}"#,
            "Peru agreed. ".repeat(40)
        );
        let file = format!("{line}\n").repeat(2_000);
        let read = std::cell::Cell::new(0);
        let capacity = 8 * 1024;
        let reader = std::io::BufReader::with_capacity(
            capacity,
            Counting {
                bytes: file.as_bytes(),
                read: &read,
            },
        );
        let rules = ClutterRules::embedded().expect("rules");
        let mut lines = Lines::new(Path::new("big.jsonl"), reader, u64::MAX);
        for expected in 1..=3 {
            let document = lines
                .next_document(&rules)
                .expect("a record")
                .expect("valid");
            assert!(
                document.id.ends_with(&format!("#L{expected}")),
                "{}",
                document.id
            );
            assert!(
                read.get() <= expected * (line.len() + 1) + capacity,
                "{} bytes of {} read for {expected} records",
                read.get(),
                file.len()
            );
        }
        let mut records = 3;
        while let Some(item) = lines.next_document(&rules) {
            item.expect("valid");
            records += 1;
        }
        assert_eq!((records, read.get()), (2_000, file.len()));
    }
}
