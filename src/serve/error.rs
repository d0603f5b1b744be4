//! The one HTTP error type of the server: every handler fails with an [`HttpError`], which picks its
//! status in one `match` and answers in plain text. The details of an internal error are logged on
//! standard error and never sent to the client.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::query::QueryError;

/// Why a request was not answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The request is malformed (400): a missing or repeated parameter, a body that is not UTF-8.
    #[error("{0}")]
    BadRequest(String),
    /// The query does not parse (400); the message gives the parser's position.
    #[error("{0}")]
    BadQuery(String),
    /// The request asks for something this read-only endpoint refuses (403): an update, LOAD, SERVICE.
    #[error("{0}")]
    Forbidden(String),
    /// No route answers this method and path (404).
    #[error("not found: {method} {path}")]
    NotFound {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
    },
    /// The store holds no graph of this name (404).
    #[error("no graph <{0}> in this store")]
    GraphNotFound(String),
    /// The graph says nothing about this resource (404).
    #[error("nothing is known about <{0}>")]
    ResourceNotFound(String),
    /// No entity has the name a picture is asked to focus on (404); the message lists candidates.
    #[error("{0}")]
    EntityNotFound(String),
    /// The route exists but not for this method (405).
    #[error("method {method} is not allowed on {path} (use {allowed})")]
    MethodNotAllowed {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
        /// The methods the route takes.
        allowed: &'static str,
    },
    /// No format in the Accept header (or `format` parameter) suits the answer (406).
    #[error("none of the formats asked for ({asked}) suits this answer; available: {available}")]
    NotAcceptable {
        /// What the client asked for.
        asked: String,
        /// The media types this answer is available in.
        available: String,
    },
    /// The request body is larger than the server takes (413).
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The request body's media type or charset is not one the route reads (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The query was cancelled, normally because it ran out of time, or the picture cannot be drawn
    /// because Graphviz is not installed (503).
    #[error("{0}")]
    Unavailable(String),
    /// Something failed inside the server (500); the detail is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl HttpError {
    /// The status code of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::BadQuery(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound { .. }
            | Self::GraphNotFound(_)
            | Self::ResourceNotFound(_)
            | Self::EntityNotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<QueryError> for HttpError {
    fn from(error: QueryError) -> Self {
        match error {
            QueryError::Syntax(_) => Self::BadQuery(error.to_string()),
            QueryError::Update | QueryError::Service => Self::Forbidden(error.to_string()),
            QueryError::Cancelled => Self::Unavailable(error.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::Internal(detail) => {
                eprintln!("error: {detail}");
                "internal server error (logged on the server)".to_string()
            }
            other => other.to_string(),
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{message}\n"),
        )
            .into_response()
    }
}
