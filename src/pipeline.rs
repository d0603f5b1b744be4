//! The pipeline: ingest → extract → resolve → rdf → store, with a summary of what was built.
//!
//! It wires the stages together and is what the command line calls. Per-document problems (a file
//! that is not UTF-8, a malformed JSON Lines record or extraction) are collected and reported, never
//! fatal: the other documents are still built. Extraction runs in parallel over all cores.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::model::Quad;
use oxigraph::store::Store;
use rayon::prelude::*;

use crate::curation::Curation;
use crate::extract::{EntityClass, ExtractError, Extraction, Extractor};
use crate::ingest::{documents, ClutterRules, IngestError, Limits};
use crate::rdf::{build_quads, build_quads_in_parts, BuildInfo, Minter};
use crate::resolve::{resolve, Resolution, ResolvedEntity};
use crate::store::{load, StoreError};
use crate::text::CharMap;

/// Why a build could not run at all (per-document problems are [`Problem`]s instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The extractor could not be built.
    #[error(transparent)]
    Extract(#[from] ExtractError),
    /// The clutter rules could not be read.
    #[error(transparent)]
    Clutter(#[from] crate::ingest::ClutterRuleError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An extractions file could not be opened.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// A document that was rejected, with the reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// An input file or record could not be ingested.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A second document with the identity of an earlier one in the same input (the same file
    /// given twice, or two records with one id): the first is kept.
    #[error(
        "{source_name}: skipped: an earlier document of this input has the same identity {id:?}"
    )]
    Duplicate {
        /// Where the skipped document came from.
        source_name: String,
        /// The identity both documents have.
        id: String,
    },
    /// A warning: the folder an earlier build was writing when it was killed (its process no
    /// longer runs), found beside the store and removed.
    #[error("{}: removed what a build that did not finish left behind (PID {pid} no longer runs)", path.display())]
    LeftBehind {
        /// The folder removed.
        path: PathBuf,
        /// The process that was writing it.
        pid: u32,
    },
    /// A warning: a killed build had set the store aside to replace it; it was put back.
    #[error("{}: put back the store that a build that did not finish had set aside (PID {pid} no longer runs)", path.display())]
    PutBack {
        /// The store, as it is again.
        path: PathBuf,
        /// The process that set it aside.
        pid: u32,
    },
    /// A line of an extractions file is not a valid extraction.
    #[error("{path}:{line}: invalid extraction: {message}")]
    Extraction {
        /// The extractions file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl Problem {
    /// Whether this is only a warning (an input skipped because it was read already): nothing
    /// was rejected.
    pub fn is_warning(&self) -> bool {
        match self {
            Problem::Ingest(error) => error.is_warning(),
            Problem::LeftBehind { .. } | Problem::PutBack { .. } => true,
            Problem::Duplicate { .. } | Problem::Extraction { .. } => false,
        }
    }
}

/// What a build made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Documents built.
    pub documents: usize,
    /// Resolved entities by class name.
    pub entities: BTreeMap<&'static str, usize>,
    /// Quads written.
    pub quads: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Curation rules that matched nothing.
    pub unmatched_rules: Vec<String>,
}

/// The stages that need setting up once.
pub struct Pipeline {
    extractor: Extractor,
    rules: ClutterRules,
    limits: Limits,
}

impl Pipeline {
    /// Builds the extractor and clutter rules from the embedded reference data.
    pub fn new() -> Result<Self, PipelineError> {
        Ok(Self {
            extractor: Extractor::new()?,
            rules: ClutterRules::embedded()?,
            limits: Limits::default(),
        })
    }

    /// The same pipeline reading inputs within `limits`.
    pub fn with_limits(self, limits: Limits) -> Self {
        Self { limits, ..self }
    }

    /// Ingests and extracts the inputs (the embedded seeds when empty), holding them all.
    pub fn extract(&self, inputs: &[PathBuf]) -> (Vec<Extraction>, Vec<Problem>) {
        let mut extractions = Vec::new();
        let problems = self.extract_batches(inputs, |batch| {
            extractions.extend(batch);
            Ok::<(), std::convert::Infallible>(())
        });
        let problems = match problems {
            Ok(problems) => problems,
            Err(never) => match never {},
        };
        (extractions, problems)
    }

    /// Ingests and extracts the inputs (the embedded seeds when empty) a batch of at most
    /// [`BATCH`] documents at a time, extracted in parallel and given to `sink` in input order, so
    /// no more than a batch is held; gives the inputs that were rejected.
    pub fn extract_batches<E>(
        &self,
        inputs: &[PathBuf],
        mut sink: impl FnMut(Vec<Extraction>) -> Result<(), E>,
    ) -> Result<Vec<Problem>, E> {
        let mut documents = documents(inputs, &self.rules, self.limits);
        let mut problems = Vec::new();
        let progress = progress_counter("extracting");
        loop {
            let mut batch = Vec::with_capacity(BATCH);
            for item in documents.by_ref() {
                match item {
                    Ok(document) => batch.push(document),
                    Err(error) => problems.push(Problem::from(error)),
                }
                if batch.len() == BATCH {
                    break;
                }
            }
            if batch.is_empty() {
                break;
            }
            let extractions: Vec<Extraction> = batch
                .into_par_iter()
                .map(|document| self.extractor.extract(document))
                .collect();
            progress.inc(extractions.len() as u64);
            sink(extractions)?;
        }
        progress.finish_and_clear();
        Ok(problems)
    }
}

/// How many documents are extracted, or extraction lines parsed, at a time when streaming.
pub const BATCH: usize = 256;

/// Where a build's extractions come from.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// Articles: files, folders and JSON Lines (the embedded seeds when empty), read within the
    /// limits and extracted here.
    Articles(&'a [PathBuf], Limits),
    /// An extractions file (JSON Lines of [`Extraction`]), read a line at a time.
    ExtractionsFile(&'a Path),
    /// Extractions already in memory.
    Extractions(&'a [Extraction]),
}

impl Input<'_> {
    /// Gives the extractions to `sink` in batches of at most [`BATCH`], in input order, holding no
    /// more than a batch (and the identities seen); gives the documents that were rejected, a
    /// document whose identity an earlier one had among them.
    pub fn stream<E: From<PipelineError>>(
        &self,
        mut sink: impl FnMut(Vec<Extraction>) -> Result<(), E>,
    ) -> Result<Vec<Problem>, E> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut duplicates = Vec::new();
        let mut unique = |mut batch: Vec<Extraction>| {
            batch.retain(|extraction| {
                let document = &extraction.document;
                let first = seen.insert(document.id.clone());
                if !first {
                    duplicates.push(Problem::Duplicate {
                        source_name: document.source.clone(),
                        id: document.id.clone(),
                    });
                }
                first
            });
            sink(batch)
        };
        let mut problems = match self {
            Input::Articles(inputs, limits) => Pipeline::new()?
                .with_limits(*limits)
                .extract_batches(inputs, &mut unique),
            Input::ExtractionsFile(path) => read_extraction_batches(path, &mut unique),
            Input::Extractions(extractions) => {
                for batch in extractions.chunks(BATCH) {
                    unique(batch.to_vec())?;
                }
                Ok(Vec::new())
            }
        }?;
        problems.extend(duplicates);
        Ok(problems)
    }

    /// Every extraction, held in memory, and the documents that were rejected.
    pub fn collect(&self) -> Result<(Vec<Extraction>, Vec<Problem>), PipelineError> {
        let mut extractions = Vec::new();
        let problems = self.stream(|batch| {
            extractions.extend(batch);
            Ok::<(), PipelineError>(())
        })?;
        Ok((extractions, problems))
    }
}

/// Reads an extractions file (JSON Lines of [`Extraction`]), checking each one, holding them all.
pub fn read_extractions(path: &Path) -> Result<(Vec<Extraction>, Vec<Problem>), PipelineError> {
    Input::ExtractionsFile(path).collect()
}

/// Reads an extractions file a batch of at most [`BATCH`] lines at a time (parsed and checked in
/// parallel), giving the valid extractions of each batch to `sink` in file order.
fn read_extraction_batches<E: From<PipelineError>>(
    path: &Path,
    mut sink: impl FnMut(Vec<Extraction>) -> Result<(), E>,
) -> Result<Vec<Problem>, E> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|source| PipelineError::Io {
        path: shown.clone(),
        source,
    })?;
    let mut lines = BufReader::new(file).lines().enumerate();
    let mut problems = Vec::new();
    loop {
        let batch: Vec<(usize, std::io::Result<String>)> = lines.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let parsed: Vec<Option<Result<Extraction, Problem>>> = batch
            .into_par_iter()
            .map(|(index, line)| {
                let problem = |message: String| Problem::Extraction {
                    path: shown.clone(),
                    line: index + 1,
                    message,
                };
                let line = match line {
                    Ok(line) => line,
                    Err(error) => return Some(Err(problem(error.to_string()))),
                };
                if line.trim().is_empty() {
                    return None;
                }
                Some(match serde_json::from_str::<Extraction>(&line) {
                    Ok(extraction) => check(&extraction).map(|()| extraction).map_err(problem),
                    Err(error) => Err(problem(format!("column {}: {error}", error.column()))),
                })
            })
            .collect();
        let mut extractions = Vec::with_capacity(parsed.len());
        for item in parsed.into_iter().flatten() {
            match item {
                Ok(extraction) => extractions.push(extraction),
                Err(problem) => problems.push(problem),
            }
        }
        sink(extractions)?;
    }
    Ok(problems)
}

/// Checks what the schema cannot: spans inside the text, mention text equal to the text at its span,
/// sentence indexes and entity references that exist.
pub fn check(extraction: &Extraction) -> Result<(), String> {
    let text = &extraction.document.text;
    let map = CharMap::new(text);
    let length = map.char_len();
    for sentence in &extraction.sentences {
        if sentence.start >= sentence.end || sentence.end > length {
            return Err(format!(
                "sentence span {}..{} is empty or outside the text ({length} characters)",
                sentence.start, sentence.end
            ));
        }
    }
    for zone in &extraction.document.zones {
        if zone.start >= zone.end || zone.end > length {
            return Err(format!(
                "zone {}..{} ({}) is empty or outside the text",
                zone.start, zone.end, zone.rule
            ));
        }
    }
    let ids: std::collections::HashSet<&str> =
        extraction.entities.iter().map(|e| e.id.as_str()).collect();
    if ids.len() != extraction.entities.len() {
        return Err("entity ids are not unique".into());
    }
    for mention in &extraction.mentions {
        if mention.start >= mention.end || mention.end > length {
            return Err(format!(
                "mention {:?} span {}..{} is empty or outside the text",
                mention.text, mention.start, mention.end
            ));
        }
        if map.slice(text, mention.span()) != mention.text {
            return Err(format!(
                "mention {:?} at {}..{} does not match the text there ({:?})",
                mention.text,
                mention.start,
                mention.end,
                map.slice(text, mention.span())
            ));
        }
        if mention.sentence >= extraction.sentences.len()
            || !extraction.sentences[mention.sentence].contains(&mention.span())
        {
            return Err(format!(
                "mention {:?} at {}..{} is not inside its sentence {}",
                mention.text, mention.start, mention.end, mention.sentence
            ));
        }
        if !ids.contains(mention.entity.as_str()) {
            return Err(format!(
                "mention {:?} names unknown entity {}",
                mention.text, mention.entity
            ));
        }
    }
    for claim in &extraction.claims {
        let mut referenced = vec![claim.subject.as_str()];
        referenced.extend(claim.value.entity());
        if let Some(unknown) = referenced.iter().find(|id| !ids.contains(**id)) {
            return Err(format!("claim names unknown entity {unknown}"));
        }
        if claim.evidence.is_empty()
            || claim
                .evidence
                .iter()
                .any(|s| s.start >= s.end || s.end > length)
        {
            return Err(format!(
                "claim about {} has no evidence or evidence outside the text",
                claim.subject
            ));
        }
        if claim.sentence >= extraction.sentences.len() {
            return Err(format!(
                "claim about {} refers to sentence {} of {}",
                claim.subject,
                claim.sentence,
                extraction.sentences.len()
            ));
        }
        if !(0.0..=1.0).contains(&claim.confidence) {
            return Err(format!(
                "claim about {} has confidence {} outside [0, 1]",
                claim.subject, claim.confidence
            ));
        }
    }
    Ok(())
}

impl BuildInfo {
    /// This version of dealgraph, starting now (see [`build_time`]).
    pub fn now() -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION").to_string(),
            started: build_time(),
        }
    }
}

/// The time a build records: `SOURCE_DATE_EPOCH` when set (for reproducible output), else now.
pub fn build_time() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    format_utc(seconds)
}

/// An `xsd:dateTime` in UTC for seconds since the Unix epoch.
fn format_utc(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), valid for all dates after 1970.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// Resolves the extractions (applying the curation rules) and builds their quads.
pub fn graph_of(
    extractions: &[Extraction],
    minter: &Minter,
    curation: &Curation,
) -> (Vec<Quad>, Resolution) {
    let resolution = resolve(extractions, curation);
    let quads = build_quads(extractions, &resolution, minter, &BuildInfo::now());
    (quads, resolution)
}

/// How many quads an in-memory build gathers before loading them.
const LOAD_QUADS: usize = 100_000;

/// Builds the graph of `extractions` into `store` and summarises it.
pub fn build_into(
    store: &Store,
    extractions: &[Extraction],
    minter: &Minter,
    curation: &Curation,
    started: Instant,
) -> Result<Summary, PipelineError> {
    let resolution = resolve(extractions, curation);
    // Loaded a few parts at a time: the graph is never held twice, as quads and in the store.
    let mut pending: Vec<Quad> = Vec::new();
    build_quads_in_parts(
        extractions,
        &resolution,
        minter,
        &BuildInfo::now(),
        |part| {
            pending.extend(part);
            if pending.len() >= LOAD_QUADS {
                load(store, std::mem::take(&mut pending))?;
            }
            Ok::<(), StoreError>(())
        },
    )?;
    load(store, pending)?;
    let stored = store.len().map_err(|source| StoreError::Storage {
        location: "count".into(),
        source,
    })?;
    Ok(Summary::of(
        stored,
        extractions.len(),
        &resolution.entities,
        resolution.unmatched_rules,
        started,
    ))
}

impl Summary {
    /// A build of `documents` articles, resolved to `resolved` with `unmatched_rules` left over,
    /// that wrote `quads` distinct quads.
    pub fn of(
        quads: usize,
        documents: usize,
        resolved: &[ResolvedEntity],
        unmatched_rules: Vec<String>,
        started: Instant,
    ) -> Self {
        let mut entities = BTreeMap::new();
        for entity in resolved {
            let name = match entity.class {
                EntityClass::Country => "countries",
                EntityClass::Organisation => "organisations",
                EntityClass::Official => "officials",
                EntityClass::Person => "other people",
                EntityClass::Agreement => "agreements",
                EntityClass::Place => "places",
            };
            *entities.entry(name).or_insert(0) += 1;
        }
        Self {
            documents,
            entities,
            quads,
            elapsed: started.elapsed(),
            unmatched_rules,
        }
    }
}

/// A count of documents done on standard error, hidden when it is not a terminal.
fn progress_counter(message: &'static str) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::no_length().with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{msg} {pos} documents ({per_sec})") {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::format_utc;

    #[test]
    fn formats_utc_times() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_750_000_000), "2025-06-15T15:06:40Z");
    }
}
