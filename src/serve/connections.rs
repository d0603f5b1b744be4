//! The connections: accepting them within the limits a server on an open network needs, and
//! closing them on shutdown.
//!
//! At most [`ServeOptions::max_connections`] connections are served at once (further clients
//! wait in the kernel's backlog until one closes); a client must send a request's head (request
//! line and headers, at most [`ServeOptions::max_head_bytes`] bytes and 100 headers) within
//! [`ServeOptions::header_timeout`], so slow or silent clients cannot hold connections for ever.
//! On shutdown no connection is accepted, idle ones are closed, and the requests in flight are
//! finished, for at most the query time limit and a few seconds more.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use super::ServeOptions;

/// How long requests in flight may take to finish after the shutdown signal, beyond the query
/// time limit (the longest a request can otherwise run).
const SHUTDOWN_MARGIN: Duration = Duration::from_secs(5);

/// Serves `router` on `listener` within the limits of `options` until `shutdown` completes, then
/// finishes the requests in flight.
pub(super) async fn serve_connections(
    listener: TcpListener,
    router: Router,
    options: &ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let max_connections = options.max_connections.max(1);
    let permits = Arc::new(Semaphore::new(max_connections));
    // Dropped at shutdown: every connection sees its receiver close and shuts down gracefully.
    let (closing, closed) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    pause_after(&error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = Connection {
            stream,
            router: router.clone(),
            header_timeout: options.header_timeout,
            max_head_bytes: options.max_head_bytes,
            closed: closed.clone(),
            _permit: permit,
        };
        tokio::spawn(connection.serve());
    }
    drop(listener);
    drop(closing);
    // Every permit back means every connection has closed.
    let all_closed = permits.acquire_many(max_connections as u32);
    let _ = tokio::time::timeout(options.timeout + SHUTDOWN_MARGIN, all_closed).await;
    Ok(())
}

/// After a failed accept: a client that went away costs nothing, but running out of file
/// descriptors would make the loop spin, so it waits a little before trying again.
async fn pause_after(error: &std::io::Error) {
    use std::io::ErrorKind;
    let clients_fault = matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    );
    if !clients_fault {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One accepted connection and what serving it needs.
struct Connection {
    stream: TcpStream,
    router: Router,
    header_timeout: Duration,
    max_head_bytes: usize,
    /// Closes when the server shuts down.
    closed: watch::Receiver<()>,
    /// Given back when the connection closes.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn serve(mut self) {
        let _ = self.stream.set_nodelay(true);
        let service = TowerToHyperService::new(
            self.router
                .map_request(|request: Request<Incoming>| request.map(Body::new)),
        );
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .max_buf_size(self.max_head_bytes.max(MIN_HEAD_BYTES))
            .serve_connection(TokioIo::new(self.stream), service);
        let mut connection = std::pin::pin!(connection);
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = self.closed.changed() => {}
        }
        connection.as_mut().graceful_shutdown();
        let _ = connection.await;
    }
}

/// The smallest read buffer hyper accepts.
const MIN_HEAD_BYTES: usize = 8192;
