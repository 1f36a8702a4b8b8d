//! The error type of every use case, sorted by what the caller should be told.

use warden_db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The input is wrong; the message says how, and is safe to show.
    #[error("{0}")]
    Invalid(String),
    /// The change collides with existing data; the message is safe to show.
    #[error("{0}")]
    Conflict(String),
    /// Anything else: logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbError> for ServiceError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ServiceError::NotFound("record"),
            DbError::Conflict { constraint } => {
                ServiceError::Conflict(format!("conflicts with existing data ({constraint})"))
            }
            other => ServiceError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl ServiceError {
    pub fn invalid(message: impl ToString) -> Self {
        ServiceError::Invalid(message.to_string())
    }

    /// Like `From<DbError>`, but names what was not found.
    pub(crate) fn from_db(err: DbError, what: &'static str) -> Self {
        match err {
            DbError::NotFound => ServiceError::NotFound(what),
            other => other.into(),
        }
    }
}
