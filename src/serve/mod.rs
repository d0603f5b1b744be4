//! Serve: the graph over HTTP, read-only. Takes a loaded store and answers the SPARQL 1.1 Protocol
//! at `/sparql` and `/query`, the read side of the Graph Store Protocol at `/store`, a query page at
//! `/`, an HTML or RDF page for every IRI minted under the base IRI, a picture of the graph at
//! `/graph.svg` (drawn by Graphviz), and `/health`. It never writes to
//! the store; every query runs on one of its own few query threads under a deadline that cancels
//! it, so a slow query holds up neither the other requests nor the health check. At most
//! [`ServeOptions::query_threads`] queries are evaluated at once and the others wait their turn
//! (under the same deadline): a few threads kept busy answer faster than one thread per
//! connection, whose per-thread allocator heaps and caches go cold. This is the only module that
//! knows HTTP.

mod connections;
mod error;
mod graph_store;
mod negotiation;
mod pages;
mod picture;
mod protocol;
mod query_threads;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::sparql::CancellationToken;
use oxigraph::store::Store;
use tokio::net::TcpListener;
use tower_http::cors::{Any, CorsLayer};

pub use error::HttpError;

use crate::rdf::Minter;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How long a query may run before it is cancelled and the client gets 503.
    pub timeout: Duration,
    /// Answer cross-origin requests from any origin (CORS).
    pub cors: bool,
    /// The largest request body taken, in bytes.
    pub max_body_bytes: usize,
    /// How many queries are evaluated at once (at least one); the others wait for a free thread,
    /// their time limit running while they wait.
    pub query_threads: usize,
    /// The Graphviz program that draws `/graph.svg` (looked up on `PATH` unless a path).
    pub graphviz: PathBuf,
    /// The directory of the on-disk store served, whose graph snapshot `/graph.svg` may read
    /// (`None` for a store in memory).
    pub store_directory: Option<PathBuf>,
    /// How many connections are served at once; more clients wait to be accepted.
    pub max_connections: usize,
    /// How long a client may take to send a request's head (request line and headers).
    pub header_timeout: Duration,
    /// The largest request head (request line and headers) read, in bytes (at least 8 KiB).
    pub max_head_bytes: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            cors: false,
            max_body_bytes: 1 << 20,
            query_threads: default_query_threads(),
            graphviz: PathBuf::from(crate::graph::render::GRAPHVIZ_DOT),
            store_directory: None,
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            max_head_bytes: 64 * 1024,
        }
    }
}

/// Twice the cores: enough to keep every core busy while some queries wait on the disk.
pub fn default_query_threads() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get) * 2
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// Why it failed.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the server failed: {0}")]
    Io(std::io::Error),
}

/// What every handler shares: the store, the base IRI and the limits. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    store: Store,
    minter: Minter,
    base_path: String,
    /// The store's size, counted on the blocking pool when `/health` is first asked: counting reads
    /// a whole index, too long to wait for at start on a large store.
    quads: OnceLock<usize>,
    counting_quads: AtomicBool,
    options: ServeOptions,
    running_queries: AtomicUsize,
    /// The threads that evaluate queries (`ServeOptions::query_threads`).
    query_threads: query_threads::QueryThreads,
    /// The entity graph of the pictures, read from the store on first use.
    entity_graph: Mutex<Option<Arc<crate::graph::EntityGraph>>>,
}

impl AppState {
    /// The state of a server over `store`, whose resources were minted by `minter`.
    pub fn new(store: Store, minter: &Minter, options: ServeOptions) -> Self {
        let base_path = path_of(minter.base());
        Self {
            shared: Arc::new(Shared {
                store,
                minter: minter.clone(),
                base_path,
                quads: OnceLock::new(),
                counting_quads: AtomicBool::new(false),
                query_threads: query_threads::QueryThreads::new(options.query_threads),
                options,
                running_queries: AtomicUsize::new(0),
                entity_graph: Mutex::new(None),
            }),
        }
    }

    /// How many queries are being evaluated right now.
    pub fn running_queries(&self) -> usize {
        self.shared.running_queries.load(Ordering::SeqCst)
    }

    /// Runs `job` on a query thread with a cancellation token, once one of them is free. When the
    /// deadline passes first (waiting included), the token is cancelled (the evaluation stops at
    /// its next read, a job not yet started never starts) and the client gets 503; when the client
    /// goes away, the token is cancelled too.
    async fn run_blocking<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Store, CancellationToken) -> Result<T, HttpError> + Send + 'static,
    ) -> Result<T, HttpError> {
        let cancellation = CancelOnDrop(CancellationToken::new());
        let token = cancellation.0.clone();
        let state = self.clone();
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.shared
            .query_threads
            .run(move || {
                let result = if token.is_cancelled() {
                    Err(HttpError::Unavailable("the query was cancelled".into()))
                } else {
                    let _running = RunningQuery::start(&state.shared.running_queries);
                    job(&state.shared.store, token)
                };
                let _ = answer.send(result);
            })
            .map_err(|error| HttpError::Internal(error.to_string()))?;
        let evaluation = async {
            answered
                .await
                .map_err(|_| HttpError::Internal("the query's evaluation panicked".into()))?
        };
        let timeout = self.shared.options.timeout;
        match tokio::time::timeout(timeout, evaluation).await {
            Ok(result) => result,
            Err(_) => {
                cancellation.0.cancel();
                Err(HttpError::Unavailable(format!(
                    "the query ran longer than the {} s limit and was cancelled",
                    timeout.as_secs_f64()
                )))
            }
        }
    }
}

/// Cancels its token when the request's future is dropped (the client went away).
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Counts a query as running while it lives.
struct RunningQuery<'a>(&'a AtomicUsize);

impl<'a> RunningQuery<'a> {
    fn start(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Self(counter)
    }
}

impl Drop for RunningQuery<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The path of an absolute IRI (`https://host/id/` → `/id/`).
fn path_of(iri: &str) -> String {
    let after_scheme = iri.split_once("://").map_or(iri, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(start) => after_scheme[start..].to_string(),
        None => "/".to_string(),
    }
}

/// The router: every route of the server over `state`.
pub fn app(state: AppState) -> Router {
    let sparql = || {
        get(protocol::get)
            .post(protocol::post)
            .fallback(method_not_allowed)
    };
    let mut router = Router::new()
        .route("/", get(pages::index).fallback(method_not_allowed))
        .route("/sparql", sparql())
        .route("/sparql/", sparql())
        .route("/query", sparql())
        .route("/query/", sparql())
        .route("/store", get(graph_store::get).fallback(method_not_allowed))
        .route(
            "/resource",
            get(pages::resource).fallback(method_not_allowed),
        )
        .route("/health", get(health).fallback(method_not_allowed))
        .route(
            "/graph.svg",
            get(picture::graph_svg).fallback(method_not_allowed),
        )
        .route("/assets/{file}", get(pages::asset))
        .fallback(pages::dereference)
        .layer(DefaultBodyLimit::max(state.shared.options.max_body_bytes));
    if state.shared.options.cors {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::POST])
                .allow_headers(Any),
        );
    }
    router.with_state(state)
}

async fn method_not_allowed(method: Method, uri: Uri) -> HttpError {
    HttpError::MethodNotAllowed {
        method: method.to_string(),
        path: uri.path().to_string(),
        allowed: "GET, HEAD or POST",
    }
}

/// `GET /health`: the server answers at once, with the queries running and the store's size
/// (`null` until counted: the first call starts the count on the blocking pool).
async fn health(State(state): State<AppState>) -> Response {
    if !state.shared.counting_quads.swap(true, Ordering::SeqCst) {
        let counter = state.clone();
        tokio::task::spawn_blocking(move || match counter.shared.store.len() {
            Ok(quads) => {
                let _ = counter.shared.quads.set(quads);
            }
            Err(error) => eprintln!("error: cannot count the store's quads: {error}"),
        });
    }
    let body = serde_json::json!({
        "status": "ok",
        "quads": state.shared.quads.get(),
        "running_queries": state.running_queries(),
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{body}\n"),
    )
        .into_response()
}

/// Serves `app(state)` on `listener` until `shutdown` completes, then finishes the requests in
/// flight (within the limits of [`ServeOptions`]: connections, request heads, shutdown time).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let options = state.shared.options.clone();
    connections::serve_connections(listener, app(state), &options, shutdown).await
}

/// Binds `address`, tells `announce` the address bound (port 0 picks a free one), and serves until
/// Ctrl-C or SIGTERM.
pub fn run(
    address: SocketAddr,
    state: AppState,
    announce: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    // Queries have their own threads; tokio's blocking pool only counts the store for `/health`.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async {
        let listener = TcpListener::bind(address)
            .await
            .map_err(|source| ServeError::Bind { address, source })?;
        announce(listener.local_addr().map_err(ServeError::Io)?);
        serve(listener, state, shutdown_signal())
            .await
            .map_err(ServeError::Io)
    })?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM where there are signals.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
