//! The error server functions return, typed so that pages can say what went wrong.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("your session has ended; sign in again")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Details are in the server log, never sent to the browser.
    #[error("something went wrong on the server; it has been logged")]
    Internal,
    #[error("the request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Gives the server function's HTTP response the status that matches this error, so a
    /// refusal is a 4xx like everywhere else, not the 500 server functions answer by default.
    pub fn with_status(self) -> Self {
        use http::StatusCode;
        let status = match &self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        self
    }
}

#[cfg(feature = "ssr")]
impl From<warden_services::ServiceError> for AppError {
    fn from(err: warden_services::ServiceError) -> Self {
        use warden_services::ServiceError as E;
        let error = match err {
            E::NotFound(what) => AppError::NotFound(what.to_string()),
            E::Forbidden(message) => AppError::Forbidden(message),
            E::Invalid(message) => AppError::Invalid(message),
            E::Conflict(message) => AppError::Conflict(message),
            E::Internal(cause) => {
                tracing::error!(error = ?cause, "server function failed");
                AppError::Internal
            }
        };
        error.with_status()
    }
}
