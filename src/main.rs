//! The `dealgraph` command: parses flags and calls the library; nothing else lives here.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use dealgraph::curation::Curation;
use dealgraph::eval::{evaluate, Scope};
use dealgraph::export::{export, GraphFormat};
use dealgraph::graph::analytics::{rank, shortest_chains};
use dealgraph::graph::dot::{write_dot, DotOptions};
use dealgraph::graph::render::{PictureFormat, GRAPHVIZ_DOT};
use dealgraph::graph::report::{write_chains, write_ranking, ReportFormat};
use dealgraph::graph::select::parse_kinds;
use dealgraph::graph::{self, Content, Keep, Origin, Selection};
use dealgraph::growing::{self, Added, GrowingStore, LockMode, StoreLock};
use dealgraph::ingest::{Limits, DEFAULT_MAX_DOCUMENT_BYTES};
use dealgraph::ner::conll::{read_annotated, tag_file, CorpusDocument, Layout};
use dealgraph::ner::features::Domain;
use dealgraph::ner::train::{train, TrainOptions};
use dealgraph::ner::{dev_sentences, training_sentences, Recogniser};
use dealgraph::pipeline::{build_into, check, Input, Pipeline, Problem, Summary};
use dealgraph::push::{push, PushOptions};
use dealgraph::query::{run as run_query, OutputFormat};
use dealgraph::rdf::{Minter, DEFAULT_BASE};
use dealgraph::serve::{AppState, ServeOptions};
use dealgraph::store;
use dealgraph::syntax::conllu;
use dealgraph::syntax::train::{train as train_syntax, TrainOptions as SyntaxTrainOptions};
use dealgraph::syntax::{Score as SyntaxScore, SyntaxModel};
use dealgraph::validate::{validate, EMBEDDED_SHAPES};
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

/// The program's allocator: mimalloc. Extraction makes many small strings and vectors per
/// document; with mimalloc it runs about 30% faster than with the system's malloc (see
/// BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds an RDF knowledge graph of international agreements from news articles.
#[derive(Parser)]
#[command(name = "dealgraph", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Reject any document larger than this many bytes (a file, or a JSON Lines record's line);
    /// the other inputs are still read.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Build the graph from articles (default: the embedded seeds) or from an extractions file.
    Build {
        #[command(flatten)]
        source: Source,
        /// Keep the graph in this on-disk store (default: in memory, summary only).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
        /// Clear a non-empty store before building into it.
        #[arg(long)]
        replace: bool,
    },
    /// Add articles to an on-disk store (new ones added, changed ones replaced), one transaction each.
    Add {
        /// Articles: files or directories.
        #[arg(required_unless_present = "extractions")]
        inputs: Vec<PathBuf>,
        /// Add the extractions in this file (written by `extract` or another extractor) instead.
        #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
        extractions: Option<PathBuf>,
        /// Print a line per article as it is committed (`new ID`, `replaced ID`, `unchanged ID`).
        #[arg(short, long)]
        verbose: bool,
        #[command(flatten)]
        target: GrowingTarget,
    },
    /// Remove an article, and whatever only it supported, from an on-disk store.
    Remove {
        /// The article: its path, URL, document id or IRI.
        document: String,
        #[command(flatten)]
        target: GrowingTarget,
    },
    /// Send every named graph of a store to another triplestore (SPARQL 1.1 Graph Store Protocol).
    Push {
        /// The Graph Store Protocol endpoint (each graph is `PUT` to it with `?graph=IRI`).
        #[arg(long, value_name = "URL")]
        endpoint: String,
        /// The store to send.
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// The query parameter naming the graph (Virtuoso's crud endpoint also reads `graph-uri`).
        #[arg(long, value_name = "NAME", default_value = "graph")]
        graph_parameter: String,
        /// Fall back on SPARQL Update at this endpoint when the server refuses `PUT`.
        #[arg(long, value_name = "URL")]
        update_endpoint: Option<String>,
        /// User name, for servers that ask (Basic or Digest authentication).
        #[arg(long, value_name = "U", requires = "password_env")]
        user: Option<String>,
        /// The environment variable that holds the password.
        #[arg(long, value_name = "VAR", requires = "user")]
        password_env: Option<String>,
        /// Retries of a request after a transient failure (connection, 408, 429, 5xx).
        #[arg(long, value_name = "N", default_value_t = 4)]
        retries: u32,
        /// Print each graph as it is sent.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Write the extraction of each article as JSON Lines (schema/extraction.schema.json).
    Extract {
        /// Articles: files or directories (default: the embedded seeds).
        inputs: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run a SPARQL query (the default graph is the union of all graphs).
    Query {
        /// The query text (or use --file).
        sparql: Option<String>,
        /// Read the query from this file.
        #[arg(long, value_name = "FILE", conflicts_with = "sparql")]
        file: Option<PathBuf>,
        /// table, json, csv, tsv, xml (SELECT/ASK); ttl, nt, nq, trig, jsonld, rdfxml (CONSTRUCT/DESCRIBE).
        #[arg(long)]
        format: Option<String>,
        #[command(flatten)]
        graph: GraphSource,
    },
    /// Export the graph as RDF.
    Export {
        /// ttl, nt, nq, trig, jsonld or rdfxml.
        #[arg(long, default_value = "nq")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        graph: GraphSource,
    },
    /// Score extraction against gold files (one JSON file per article, named after it).
    Eval {
        /// The folder of gold files.
        #[arg(long, value_name = "DIR")]
        gold: PathBuf,
        /// Also list every missed gold item and every spurious prediction.
        #[arg(long)]
        errors: bool,
        /// Score each article's extraction alone, not as the graph of all the inputs resolves it.
        #[arg(long)]
        per_document: bool,
        /// Articles: files or directories (default: the embedded seeds).
        inputs: Vec<PathBuf>,
    },
    /// Train the named-entity recogniser on CoNLL-2003 (and WikiANN) training data.
    TrainNer {
        /// The folder holding conll2003/ and wikiann/ (see their SOURCE.md).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "models/ner.bin")]
        out: PathBuf,
        /// Passes over the training data (the best on the development split is kept).
        #[arg(long, default_value_t = 15)]
        epochs: usize,
        /// Seed of the shuffle.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Drop features seen fewer times than this.
        #[arg(long, default_value_t = 1)]
        min_count: usize,
        /// Drop averaged weights smaller than this from the written model.
        #[arg(long, default_value_t = 0.0)]
        prune_below: f32,
        /// Also train on the WikiANN training split.
        #[arg(long)]
        wikiann: bool,
    },
    /// Tag a CoNLL-format file with the recogniser (predicted tag appended as the last column).
    Ner {
        /// The CoNLL file (token in the first column, blank lines between sentences).
        #[arg(long, value_name = "FILE")]
        conll: PathBuf,
        /// Use this model instead of the shipped one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Print the entity-level score against the file's last column on standard error.
        #[arg(long)]
        score: bool,
    },
    /// Train the part-of-speech tagger and dependency parser on Universal Dependencies (English EWT
    /// and GUM training splits; their development splits choose the epochs).
    TrainParser {
        /// The folder holding ud/ (see its SOURCE.md).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "models/parser.bin")]
        out: PathBuf,
        /// Most passes of the tagger (the best on the development splits is kept).
        #[arg(long, default_value_t = 8)]
        tagger_epochs: usize,
        /// Most passes of the parser (the best on the development splits is kept).
        #[arg(long, default_value_t = 12)]
        parser_epochs: usize,
        /// Parts of the jackknife that gives the parser predicted tags.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Seed of the shuffles and of exploration.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Drop averaged tagger weights smaller than this from the model.
        #[arg(long, default_value_t = 0.5)]
        tagger_prune_below: f32,
        /// Drop averaged parser weights smaller than this from the model.
        #[arg(long, default_value_t = 1.5)]
        parser_prune_below: f32,
    },
    /// Tag and parse a CoNLL-U file with its own tokenisation: writes it to standard output with
    /// predicted UPOS, XPOS, HEAD and DEPREL (other columns, multiword tokens and empty nodes as read).
    Parse {
        /// The CoNLL-U file.
        #[arg(long, value_name = "FILE")]
        conllu: PathBuf,
        /// The model (default: models/parser.bin here, else in the source tree).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Print UPOS accuracy, UAS and LAS against the file's own columns on standard error.
        #[arg(long)]
        score: bool,
    },
    /// Serve the graph: SPARQL endpoint, graph downloads, query page and resource pages.
    Serve {
        #[command(flatten)]
        source: Source,
        /// Serve this on-disk store (read-only) instead of building from articles.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["inputs", "extractions"])]
        store: Option<PathBuf>,
        /// The address to listen on (loopback by default; port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: SocketAddr,
        /// Cancel a query after this many seconds (the client gets 503).
        #[arg(long, value_name = "N", default_value_t = 30)]
        timeout_s: u64,
        /// Allow cross-origin requests from any origin (CORS).
        #[arg(long)]
        cors: bool,
        /// Evaluate at most this many queries at once; the others wait their turn (default: twice
        /// the cores).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        query_threads: Option<u16>,
        /// Serve at most this many connections at once; further clients wait to be accepted.
        #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
    },
    /// Draw the graph as Graphviz DOT, or as SVG or PNG with --render (needs Graphviz).
    Dot {
        #[command(flatten)]
        graph: GraphInputs,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        picture: PictureArgs,
        /// Draw the result of this SPARQL CONSTRUCT query instead of the entities.
        #[arg(long, value_name = "FILE.rq", conflicts_with_all = ["quotes", "articles"])]
        construct: Option<PathBuf>,
        /// Run Graphviz's `dot` and write a picture: svg or png.
        #[arg(long, value_name = "FORMAT")]
        render: Option<String>,
    },
    /// Print the shortest chains of relations between two entities, with the articles behind them.
    Path {
        /// The first entity: label, alias or IRI.
        from: String,
        /// The second entity: label, alias or IRI.
        to: String,
        #[command(flatten)]
        graph: GraphInputs,
        /// text or json.
        #[arg(long, default_value = "text")]
        format: String,
        /// Print at most this many chains.
        #[arg(long, value_name = "N", default_value_t = 10)]
        limit: usize,
    },
    /// Rank entities by centrality (PageRank) and list the connected components.
    Rank {
        #[command(flatten)]
        graph: GraphInputs,
        /// text or json.
        #[arg(long, default_value = "text")]
        format: String,
        /// Show this many entities (default: 20 as text, all as JSON).
        #[arg(long, value_name = "N")]
        top: Option<usize>,
    },
    /// Check the graph against the SHACL shapes (schema/shapes.ttl).
    Validate {
        /// Validate this RDF file (format from its extension) instead of a built graph.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["store", "input", "extractions"])]
        data: Option<PathBuf>,
        /// Use these shapes instead of the embedded ones.
        #[arg(long, value_name = "FILE")]
        shapes: Option<PathBuf>,
        /// text or json.
        #[arg(long, default_value = "text")]
        format: String,
        #[command(flatten)]
        graph: GraphSource,
    },
}

/// Where a build reads from.
#[derive(Args)]
struct Source {
    /// Articles: files or directories (default: the embedded seeds).
    inputs: Vec<PathBuf>,
    /// Build from an extractions file written by `extract` (or another extractor).
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    extractions: Option<PathBuf>,
    /// Base IRI of minted resources.
    #[arg(long, default_value = DEFAULT_BASE)]
    base: String,
    /// Apply this curation file (default: curation.json in the working directory, if any).
    #[arg(long, value_name = "FILE")]
    curation: Option<PathBuf>,
}

/// Where the output commands find their graph.
#[derive(Args)]
struct GraphSource {
    /// Use this on-disk store.
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
    /// Build from these articles instead (repeatable; default: the embedded seeds).
    #[arg(short, long = "input", value_name = "PATH")]
    input: Vec<PathBuf>,
    /// Build from this extractions file instead.
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    extractions: Option<PathBuf>,
    /// Base IRI of minted resources.
    #[arg(long, default_value = DEFAULT_BASE)]
    base: String,
    /// Apply this curation file (default: curation.json in the working directory, if any).
    #[arg(long, value_name = "FILE")]
    curation: Option<PathBuf>,
}

/// Where the graph commands (`dot`, `path`, `rank`) find their graph: articles named on the command
/// line (default: the embedded seeds), or a store.
#[derive(Args)]
struct GraphInputs {
    /// Articles: files or directories (default: the embedded seeds).
    inputs: Vec<PathBuf>,
    /// Use this on-disk store instead.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["inputs", "extractions"])]
    store: Option<PathBuf>,
    /// Build from this extractions file instead.
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    extractions: Option<PathBuf>,
    /// Base IRI of minted resources.
    #[arg(long, default_value = DEFAULT_BASE)]
    base: String,
    /// Apply this curation file (default: curation.json in the working directory, if any).
    #[arg(long, value_name = "FILE")]
    curation: Option<PathBuf>,
}

impl From<GraphInputs> for GraphSource {
    fn from(inputs: GraphInputs) -> Self {
        Self {
            store: inputs.store,
            input: inputs.inputs,
            extractions: inputs.extractions,
            base: inputs.base,
            curation: inputs.curation,
        }
    }
}

/// What part of the graph `dot` draws.
#[derive(Args)]
struct PictureArgs {
    /// Draw only the neighbourhood of this entity (label, alias or IRI).
    #[arg(long, value_name = "ENTITY")]
    focus: Option<String>,
    /// How many relations away from the focus to go.
    #[arg(long, value_name = "N", default_value_t = 2, requires = "focus")]
    depth: usize,
    /// Draw only these kinds of node (comma-separated: country, agreement, official, person,
    /// organisation, place, quote, article, other).
    #[arg(long, value_name = "LIST")]
    types: Option<String>,
    /// Draw only relations at least N articles state.
    #[arg(long, value_name = "N", default_value_t = 0)]
    min_sources: usize,
    /// Also draw entities without relations (left out by default).
    #[arg(long)]
    isolated: bool,
    /// Also draw quotations, linked from their speakers.
    #[arg(long)]
    quotes: bool,
    /// Also draw articles, linked from the entities they mention.
    #[arg(long)]
    articles: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            let broken_pipe = error.chain().any(|cause| {
                cause
                    .downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
                    || cause
                        .downcast_ref::<serde_json::Error>()
                        .and_then(serde_json::Error::io_error_kind)
                        == Some(io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes in one line, a cause left out when the message already says it (a
/// typed error that names its source in its own message).
fn one_line(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

/// Exit code when some inputs were rejected but the rest was built.
const PARTIAL: u8 = 2;

/// How many entities `rank` prints as text unless told.
const DEFAULT_TOP: usize = 20;

fn run(cli: Cli) -> Result<ExitCode> {
    let limits = Limits {
        max_document_bytes: cli.max_document_bytes,
    };
    match cli.command {
        Command::Build {
            source,
            store: directory,
            replace,
        } => {
            let started = Instant::now();
            let minter = Minter::new(&source.base)?;
            let input = input_of(&source.inputs, source.extractions.as_deref(), limits);
            let curation = curation_of(source.curation.as_deref())?;
            let (summary, problems) = match &directory {
                Some(directory) => {
                    growing::build_store(directory, replace, input, &minter, &curation, started)?
                }
                None => build_in_a_temporary_store(input, &minter, &curation, started)?,
            };
            for rule in &summary.unmatched_rules {
                eprintln!("warning: curation rule matched nothing: {rule}");
            }
            if summary.documents == 0 && problems.iter().any(|p| !p.is_warning()) {
                return Ok(nothing_built(&problems, directory.as_deref()));
            }
            let mut out = io::stdout().lock();
            writeln!(
                out,
                "built {} documents in {:.2} s",
                summary.documents,
                summary.elapsed.as_secs_f64()
            )?;
            for (class, count) in &summary.entities {
                writeln!(out, "  {class:<14} {count:>7}")?;
            }
            writeln!(out, "  {:<14} {:>7}", "quads", summary.quads)?;
            match &directory {
                Some(directory) => writeln!(out, "store: {}", directory.display())?,
                None => writeln!(out, "store: none kept (use --store DIR to keep the graph)")?,
            }
            Ok(report(&problems))
        }
        Command::Add {
            inputs,
            extractions,
            verbose,
            target,
        } => add(&inputs, extractions.as_deref(), &target, verbose, limits),
        Command::Remove { document, target } => {
            if !target.store.is_dir() {
                bail!(growing::GrowError::Missing(target.store));
            }
            let mut grown = target.open()?;
            // Closed cleanly whether or not the removal worked.
            let removed = grown.remove(&document);
            let articles = grown.articles();
            grown.close()?;
            let id = removed?;
            println!("removed {id}; the store holds {articles} articles");
            Ok(ExitCode::SUCCESS)
        }
        Command::Push {
            endpoint,
            store: directory,
            graph_parameter,
            update_endpoint,
            user,
            password_env,
            retries,
            verbose,
        } => {
            let credentials = match (user, password_env) {
                (Some(user), Some(variable)) => {
                    let password = std::env::var(&variable)
                        .with_context(|| format!("the password variable {variable} is not set"))?;
                    Some((user, password))
                }
                _ => None,
            };
            if !directory.is_dir() {
                bail!(growing::GrowError::Missing(directory));
            }
            let _lock = StoreLock::acquire(&directory, LockMode::Read)?;
            let store = store::open_read_only(&directory)?;
            let options = PushOptions {
                endpoint,
                graph_parameter,
                update_endpoint,
                credentials,
                retries,
                pause: Duration::from_millis(500),
            };
            let report = push(&store, &options, |graph, triples| {
                if verbose {
                    println!("sent {graph} ({triples} triples)");
                }
            })?;
            println!(
                "pushed {} graphs ({} by PUT, {} by SPARQL Update), {} triples, {} bytes; {} retries",
                report.graphs_put + report.graphs_updated,
                report.graphs_put,
                report.graphs_updated,
                report.triples,
                report.bytes,
                report.retried
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { inputs, output } => {
            let mut out = writer(output.as_deref())?;
            // The documents `build` would build: a second record with an identity already seen is
            // skipped and reported, as `build` does.
            let problems = Input::Articles(&inputs, limits).stream(|extractions| {
                for extraction in &extractions {
                    debug_check(extraction)?;
                    serde_json::to_writer(&mut out, extraction)?;
                    out.write_all(b"\n")?;
                }
                anyhow::Ok(())
            })?;
            out.flush()?;
            Ok(report(&problems))
        }
        Command::Query {
            sparql,
            file,
            format,
            graph,
        } => {
            let text = match (sparql, file) {
                (Some(text), _) => text,
                (None, Some(file)) => std::fs::read_to_string(&file)
                    .with_context(|| format!("{}: cannot read the query", file.display()))?,
                (None, None) => bail!("give a query, or --file FILE"),
            };
            let format = format
                .map(|name| {
                    OutputFormat::parse(&name).with_context(|| format!("unknown format {name}"))
                })
                .transpose()?;
            let (store, problems, _lock) = open_graph(&graph, limits)?;
            let mut out = io::stdout().lock();
            run_query(&store, &text, format, &mut out)?;
            out.flush()?;
            Ok(report(&problems))
        }
        Command::Export {
            format,
            output,
            graph,
        } => {
            let format = GraphFormat::parse(&format).with_context(|| {
                format!("unknown format {format} (ttl, nt, nq, trig, jsonld, rdfxml)")
            })?;
            let (store, problems, _lock) = open_graph(&graph, limits)?;
            let mut out = writer(output.as_deref())?;
            export(&store, format, &mut out)?;
            out.flush()?;
            Ok(report(&problems))
        }
        Command::Eval {
            gold,
            errors,
            per_document,
            inputs,
        } => {
            let (extractions, problems) = Pipeline::new()?.with_limits(limits).extract(&inputs);
            let scope = if per_document {
                Scope::Document
            } else {
                Scope::Corpus
            };
            let evaluation = evaluate(&extractions, &gold, scope)?;
            print!("{evaluation}");
            if errors {
                for discrepancy in &evaluation.discrepancies {
                    println!("{discrepancy}");
                }
            }
            Ok(report(&problems))
        }
        Command::TrainNer {
            data,
            out,
            epochs,
            seed,
            min_count,
            prune_below,
            wikiann,
        } => train_ner(&data, &out, epochs, seed, min_count, prune_below, wikiann),
        Command::Ner {
            conll,
            model,
            score: show_score,
        } => {
            let recogniser = match model {
                Some(path) => Recogniser::from_bytes(
                    &std::fs::read(&path)
                        .with_context(|| format!("{}: cannot read", path.display()))?,
                )?,
                None => Recogniser::embedded().context("the shipped NER model cannot be read")?,
            };
            let file =
                File::open(&conll).with_context(|| format!("{}: cannot open", conll.display()))?;
            let mut out = BufWriter::new(io::stdout().lock());
            let score = tag_file(io::BufReader::new(file), &mut out, |words| {
                recogniser.tag(words)
            })
            .with_context(|| format!("{}", conll.display()))?;
            out.flush()?;
            if show_score {
                eprintln!("{score}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::TrainParser {
            data,
            out,
            tagger_epochs,
            parser_epochs,
            folds,
            seed,
            tagger_prune_below,
            parser_prune_below,
        } => {
            let options = SyntaxTrainOptions {
                tagger_epochs,
                parser_epochs,
                folds,
                seed,
                tagger_prune_below,
                parser_prune_below,
                ..SyntaxTrainOptions::default()
            };
            train_parser(&data, &out, options)
        }
        Command::Parse {
            conllu,
            model,
            score,
        } => parse_conllu(&conllu, model.as_deref(), score),
        Command::Serve {
            source,
            store: directory,
            bind,
            timeout_s,
            cors,
            query_threads,
            max_connections,
        } => {
            let minter = Minter::new(&source.base)?;
            // Held while serving: no writer may change the store under the server.
            let _lock = match &directory {
                Some(directory) if directory.is_dir() => {
                    Some(StoreLock::acquire(directory, LockMode::Read)?)
                }
                _ => None,
            };
            let (store, problems) = match &directory {
                Some(directory) => (store::open_read_only(directory)?, Vec::new()),
                None => build_in_memory(
                    &source.inputs,
                    source.extractions.as_deref(),
                    &minter,
                    source.curation.as_deref(),
                    limits,
                )?,
            };
            let code = report(&problems);
            let options = ServeOptions {
                timeout: Duration::from_secs(timeout_s),
                cors,
                query_threads: query_threads
                    .map_or_else(dealgraph::serve::default_query_threads, usize::from),
                store_directory: directory,
                max_connections: max_connections as usize,
                ..ServeOptions::default()
            };
            let state = AppState::new(store, &minter, options);
            dealgraph::serve::run(bind, state, |address| {
                println!("serving http://{address}/ (SPARQL endpoint: http://{address}/sparql); Ctrl-C stops");
            })?;
            Ok(code)
        }
        Command::Dot {
            graph,
            output,
            picture,
            construct,
            render,
        } => {
            let format = render
                .map(|name| {
                    PictureFormat::parse(&name)
                        .with_context(|| format!("unknown picture format {name} (svg or png)"))
                })
                .transpose()?;
            let source: GraphSource = graph.into();
            let (store, problems, _lock) = open_graph(&source, limits)?;
            let entities = match construct {
                Some(path) => {
                    let sparql = std::fs::read_to_string(&path)
                        .with_context(|| format!("{}: cannot read the query", path.display()))?;
                    graph::from_construct(&store, &sparql)
                        .with_context(|| format!("{}", path.display()))?
                }
                None => entity_graph(
                    &store,
                    &source,
                    Content {
                        quotes: picture.quotes,
                        articles: picture.articles,
                    },
                )?,
            };
            let selection = Selection {
                focus: picture
                    .focus
                    .map(|name| {
                        graph::find(&entities, &name).map(|node| entities.graph[node].iri.clone())
                    })
                    .transpose()?,
                depth: picture.depth,
                kinds: picture.types.as_deref().map(parse_kinds).transpose()?,
                min_sources: picture.min_sources,
                isolated: picture.isolated,
            };
            let mut text = Vec::new();
            write_dot(
                &selection.apply(&entities),
                &DotOptions::default(),
                &mut text,
            )?;
            let mut out = writer(output.as_deref())?;
            match format {
                None => out.write_all(&text)?,
                Some(format) => {
                    let picture = graph::render::render(Path::new(GRAPHVIZ_DOT), &text, format)?;
                    if !picture.warnings.is_empty() {
                        eprintln!("{}", picture.warnings);
                    }
                    out.write_all(&picture.bytes)?;
                }
            }
            out.flush()?;
            Ok(report(&problems))
        }
        Command::Path {
            from,
            to,
            graph,
            format,
            limit,
        } => {
            let format = ReportFormat::parse(&format)
                .with_context(|| format!("unknown format {format} (text or json)"))?;
            let source: GraphSource = graph.into();
            let (store, problems, _lock) = open_graph(&source, limits)?;
            let entities = entity_graph(&store, &source, Content::default())?;
            let start = graph::find(&entities, &from)?;
            let end = graph::find(&entities, &to)?;
            let chains = shortest_chains(&entities, start, end, limit);
            let mut out = io::stdout().lock();
            write_chains(&entities, start, end, &chains, format, &mut out)?;
            out.flush()?;
            if chains.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
            Ok(report(&problems))
        }
        Command::Rank { graph, format, top } => {
            let format = ReportFormat::parse(&format)
                .with_context(|| format!("unknown format {format} (text or json)"))?;
            let source: GraphSource = graph.into();
            let (store, problems, _lock) = open_graph(&source, limits)?;
            let entities = entity_graph(&store, &source, Content::default())?;
            let ranking = rank(&entities);
            let top = top.or((format == ReportFormat::Text).then_some(DEFAULT_TOP));
            let mut out = io::stdout().lock();
            write_ranking(&entities, &ranking, top, format, &mut out)?;
            out.flush()?;
            Ok(report(&problems))
        }
        Command::Validate {
            data,
            shapes,
            format,
            graph,
        } => {
            let shapes = match shapes {
                Some(path) => std::fs::read_to_string(&path)
                    .with_context(|| format!("{}: cannot read the shapes", path.display()))?,
                None => EMBEDDED_SHAPES.to_string(),
            };
            let (store, problems, _lock) = match data {
                Some(path) => (load_rdf_file(&path)?, Vec::new(), None),
                None => open_graph(&graph, limits)?,
            };
            let violations = validate(&store, &shapes)?;
            let mut out = io::stdout().lock();
            if format == "json" {
                serde_json::to_writer_pretty(&mut out, &violations)?;
                writeln!(out)?;
            } else {
                for violation in &violations {
                    let path = violation.path.as_deref().unwrap_or("-");
                    let component = violation
                        .component
                        .rsplit('#')
                        .next()
                        .unwrap_or(&violation.component);
                    writeln!(
                        out,
                        "{}\t{path}\t{component}\t{}",
                        violation.focus, violation.message
                    )?;
                }
                writeln!(
                    out,
                    "{} violation{}",
                    violations.len(),
                    if violations.len() == 1 { "" } else { "s" }
                )?;
            }
            if !violations.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
            Ok(report(&problems))
        }
    }
}

/// The store that `add` and `remove` change, with the base IRI and curation it is built with.
#[derive(Args)]
struct GrowingTarget {
    /// The store (`add` creates it when missing).
    #[arg(long, value_name = "DIR")]
    store: PathBuf,
    /// Base IRI of minted resources.
    #[arg(long, default_value = DEFAULT_BASE)]
    base: String,
    /// Apply this curation file (default: curation.json in the working directory, if any).
    #[arg(long, value_name = "FILE")]
    curation: Option<PathBuf>,
}

impl GrowingTarget {
    /// Opens the store for writing.
    fn open(&self) -> Result<GrowingStore> {
        Ok(GrowingStore::open(
            &self.store,
            Minter::new(&self.base)?,
            curation_of(self.curation.as_deref())?,
        )?)
    }
}

/// Adds articles (or extractions) to a store, one transaction each, and reports what changed.
fn add(
    inputs: &[PathBuf],
    extractions: Option<&Path>,
    target: &GrowingTarget,
    verbose: bool,
    limits: Limits,
) -> Result<ExitCode> {
    let started = Instant::now();
    let grown = target.open()?;
    let (additions, problems) =
        growing::add_all(grown, input_of(inputs, extractions, limits), |id, added| {
            if verbose {
                let what = match added {
                    Added::New => "new",
                    Added::Replaced => "replaced",
                    Added::Unchanged => "unchanged",
                };
                let mut out = io::stdout().lock();
                writeln!(out, "{what} {id}")
                    .and_then(|()| out.flush())
                    .map_err(|source| growing::GrowError::Io {
                        path: "standard output".into(),
                        source,
                    })?;
            }
            Ok(())
        })?;
    println!(
        "added {} new and {} changed articles ({} unchanged) in {:.2} s; the store holds {} articles",
        additions.new,
        additions.replaced,
        additions.unchanged,
        started.elapsed().as_secs_f64(),
        additions.articles,
    );
    Ok(report(&problems))
}

/// The articles to extract, or the extractions file when one is given.
fn input_of<'a>(inputs: &'a [PathBuf], extractions: Option<&'a Path>, limits: Limits) -> Input<'a> {
    match extractions {
        Some(path) => Input::ExtractionsFile(path),
        None => Input::Articles(inputs, limits),
    }
}

/// The store of `--store`, opened read-only under its shared lock (held while the returned lock
/// lives, so no writer changes it meanwhile), or an in-memory graph built from the inputs.
fn open_graph(
    graph: &GraphSource,
    limits: Limits,
) -> Result<(Store, Vec<Problem>, Option<StoreLock>)> {
    if let Some(directory) = &graph.store {
        if !directory.is_dir() {
            bail!(store::StoreError::Missing(directory.clone()));
        }
        let lock = StoreLock::acquire(directory, LockMode::Read)?;
        return Ok((store::open_read_only(directory)?, Vec::new(), Some(lock)));
    }
    let minter = Minter::new(&graph.base)?;
    let (store, problems) = build_in_memory(
        &graph.input,
        graph.extractions.as_deref(),
        &minter,
        graph.curation.as_deref(),
        limits,
    )?;
    Ok((store, problems, None))
}

/// The entity graph of the store opened for `source`: an on-disk store's comes from its snapshot
/// when that is current, and is kept as the new snapshot when read.
fn entity_graph(
    store: &Store,
    source: &GraphSource,
    content: Content,
) -> Result<graph::EntityGraph> {
    let (entities, origin) = graph::read(store, source.store.as_deref(), content, Keep::Write)?;
    if let Origin::Unkept(error) = origin {
        eprintln!(
            "warning: the graph snapshot could not be kept in the store's directory: {error}"
        );
    }
    Ok(entities)
}

/// Builds `input` as `build --store` does, into a store in a temporary folder that is removed
/// afterwards: a build that keeps no graph then needs the memory of one that keeps it, which is
/// bounded by the bulk loader's buffer rather than by the graph's size.
fn build_in_a_temporary_store(
    input: Input<'_>,
    minter: &Minter,
    curation: &Curation,
    started: Instant,
) -> Result<(Summary, Vec<Problem>)> {
    let folder = tempfile::Builder::new()
        .prefix("dealgraph-build-")
        .tempdir()
        .context("cannot make a temporary folder for the build")?;
    let built = growing::build_store(
        &folder.path().join("graph"),
        false,
        input,
        minter,
        curation,
        started,
    )?;
    Ok(built)
}

/// An in-memory graph built from articles or an extractions file (default: the seeds).
fn build_in_memory(
    inputs: &[PathBuf],
    extractions: Option<&Path>,
    minter: &Minter,
    curation: Option<&Path>,
    limits: Limits,
) -> Result<(Store, Vec<Problem>)> {
    let (extractions, problems) = input_of(inputs, extractions, limits).collect()?;
    let store = store::open(None)?;
    let curation = curation_of(curation)?;
    let summary = build_into(&store, &extractions, minter, &curation, Instant::now())?;
    for rule in &summary.unmatched_rules {
        eprintln!("warning: curation rule matched nothing: {rule}");
    }
    Ok((store, problems))
}

/// The curation file given, or `curation.json` in the working directory when there is one.
fn curation_of(path: Option<&Path>) -> Result<Curation> {
    let default = Path::new("curation.json");
    match path {
        Some(path) => Ok(Curation::load(path)?),
        None if default.is_file() => Ok(Curation::load(default)?),
        None => Ok(Curation::default()),
    }
}

fn train_ner(
    data: &Path,
    out: &Path,
    epochs: usize,
    seed: u64,
    min_count: usize,
    prune_below: f32,
    wikiann: bool,
) -> Result<ExitCode> {
    let started = Instant::now();
    let read = |path: PathBuf, layout: Layout| -> Result<Vec<CorpusDocument>> {
        let file = File::open(&path).with_context(|| {
            format!(
                "{}: cannot open (see the data folder's SOURCE.md)",
                path.display()
            )
        })?;
        read_annotated(io::BufReader::new(file), layout)
            .with_context(|| format!("{}", path.display()))
    };
    let gazetteer = dealgraph::ner::gazetteer();
    let train_documents = read(data.join("conll2003/eng.train"), Layout::Conll2003)?;
    let mut trained_on = "CoNLL-2003 eng.train".to_string();
    let news = wikiann.then_some(Domain::News);
    let mut training = training_sentences(&train_documents, &gazetteer, news);
    if wikiann {
        let wiki = read(data.join("wikiann/wikiann-en.train"), Layout::WikiAnn)?;
        training.extend(training_sentences(
            &wiki,
            &gazetteer,
            Some(Domain::Wikipedia),
        ));
        trained_on.push_str(" + WikiANN en train (domain-augmented features)");
    }
    let dev_documents = read(data.join("conll2003/eng.testa"), Layout::Conll2003)?;
    let dev = dev_sentences(&dev_documents, &gazetteer, news);
    eprintln!(
        "{} training and {} development sentences, features in {:.1} s",
        training.len(),
        dev.len(),
        started.elapsed().as_secs_f64()
    );
    let options = TrainOptions {
        epochs,
        seed,
        min_count,
        prune_below,
        trained_on,
        domain_features: wikiann,
    };
    let trained = train(&training, &dev, &options, |epoch, score| {
        eprintln!(
            "epoch {epoch:>2}: dev F1 {:.4} ({:.0} s)",
            score.overall().f1(),
            started.elapsed().as_secs_f64()
        );
    });
    let bytes = trained.model.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("{}: cannot write", out.display()))?;
    println!("{}", trained.dev_score);
    println!(
        "kept epoch {} of {epochs}: dev F1 {:.4}; {} features, {:.1} MB, {:.0} s",
        trained.model.card.epochs,
        trained.model.card.dev_f1,
        trained.model.feature_count(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn train_parser(data: &Path, out: &Path, mut options: SyntaxTrainOptions) -> Result<ExitCode> {
    let started = Instant::now();
    let read = |name: &str| -> Result<Vec<dealgraph::syntax::Sentence>> {
        let path = data.join("ud").join(name);
        conllu::read_file(&path)
            .with_context(|| "cannot read a treebank (see the data folder's ud/SOURCE.md)")
    };
    let mut training = read("en_ewt-ud-train.conllu")?;
    training.extend(read("gum-train.conllu")?);
    let dev = vec![
        ("EWT dev".to_string(), read("en_ewt-ud-dev.conllu")?),
        ("GUM dev".to_string(), read("gum-dev.conllu")?),
    ];
    options.trained_on = "UD English-EWT train + GUM train".into();
    let model = train_syntax(&training, &dev, &options, |line| {
        eprintln!("[{:>4.0} s] {line}", started.elapsed().as_secs_f64());
    })?;
    let bytes = model.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("{}: cannot write", out.display()))?;
    for dev in &model.card.dev {
        println!(
            "{}: UPOS {:.4}  UAS {:.4}  LAS {:.4}  LAS(universal) {:.4}",
            dev.name, dev.upos, dev.uas, dev.las, dev.universal_las
        );
    }
    println!(
        "kept tagger epoch {} and parser epoch {}; {:.1} MB; {:.0} s",
        model.card.tagger_epochs,
        model.card.parser_epochs,
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn parse_conllu(path: &Path, model: Option<&Path>, show_score: bool) -> Result<ExitCode> {
    use rayon::prelude::*;
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/parser.bin");
    let model_path = match model {
        Some(path) => path.to_path_buf(),
        None if Path::new("models/parser.bin").is_file() => PathBuf::from("models/parser.bin"),
        None => shipped,
    };
    let model = SyntaxModel::load(&model_path)?;
    let gold = conllu::read_file(path)?;
    let parsed: Vec<_> = gold
        .par_iter()
        .map(|sentence| {
            let mut parsed = sentence.clone();
            model.analyse(&mut parsed);
            parsed
        })
        .collect();
    let mut out = BufWriter::new(io::stdout().lock());
    conllu::write(&mut out, &parsed)?;
    out.flush()?;
    if show_score {
        let mut score = SyntaxScore::default();
        for (gold, parsed) in gold.iter().zip(&parsed) {
            score.add(gold, parsed);
        }
        eprintln!("{score}");
    }
    Ok(ExitCode::SUCCESS)
}

fn load_rdf_file(path: &Path) -> Result<Store> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let format = RdfFormat::from_extension(extension)
        .with_context(|| format!("{}: unknown RDF file extension", path.display()))?;
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let store = Store::new()?;
    store
        .load_from_reader(format, io::BufReader::new(file))
        .with_context(|| format!("{}: cannot load", path.display()))?;
    Ok(store)
}

fn writer(output: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Our own extractions must satisfy the same checks as any other extractor's.
fn debug_check(extraction: &dealgraph::Extraction) -> Result<()> {
    check(extraction).map_err(|message| {
        anyhow::anyhow!(
            "{}: internal extraction error: {message}",
            extraction.document.source
        )
    })
}

/// Prints each skipped and rejected input and gives the exit code.
fn report(problems: &[Problem]) -> ExitCode {
    let rejected = print_problems(problems);
    if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{rejected} input{} rejected; the rest was processed",
            plural(rejected)
        );
        ExitCode::from(PARTIAL)
    }
}

/// Says that every input was rejected (and that a store was left as it was); gives the failure.
fn nothing_built(problems: &[Problem], store: Option<&Path>) -> ExitCode {
    let rejected = print_problems(problems);
    let kept = match store {
        Some(store) if store.exists() => {
            format!("; the store {} was left as it was", store.display())
        }
        _ => String::new(),
    };
    eprintln!(
        "nothing was built: {rejected} input{} rejected{kept}",
        plural(rejected)
    );
    ExitCode::FAILURE
}

/// Prints warnings and errors; gives how many inputs were rejected.
fn print_problems(problems: &[Problem]) -> usize {
    let mut rejected = 0;
    for problem in problems {
        if problem.is_warning() {
            eprintln!("warning: {problem}");
        } else {
            rejected += 1;
            eprintln!("error: {problem}");
        }
    }
    rejected
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
