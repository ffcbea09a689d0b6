//! The one place archive errors become HTTP statuses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An error answered over HTTP: JSON under `/api`, a page elsewhere (the
/// pages render it themselves from [`HttpError::status`] and the message).
#[derive(Debug)]
pub struct HttpError {
    /// The status.
    pub status: StatusCode,
    /// What went wrong, for the user.
    pub message: String,
}

impl HttpError {
    /// A 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> HttpError {
        HttpError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
    /// A 404 with a message.
    pub fn not_found(message: impl Into<String>) -> HttpError {
        HttpError { status: StatusCode::NOT_FOUND, message: message.into() }
    }
    /// A 500 with a message.
    pub fn internal(message: impl Into<String>) -> HttpError {
        HttpError { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into() }
    }
}

impl From<archive::Error> for HttpError {
    fn from(e: archive::Error) -> HttpError {
        let status = match e.kind() {
            archive::ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            archive::ErrorKind::NotFound => StatusCode::NOT_FOUND,
            archive::ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            archive::ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            archive::ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            archive::ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        };
        HttpError { status, message: e.to_string() }
    }
}

/// The JSON body of every API error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for the user (for a query: where and why).
    pub error: String,
    /// The HTTP status again.
    pub status: u16,
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.message, status: self.status.as_u16() };
        (self.status, Json(body)).into_response()
    }
}
