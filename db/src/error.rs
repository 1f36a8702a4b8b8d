//! The one error type of the storage crate.

/// What can go wrong in storage, sorted by what a caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A unique or foreign key constraint refused the write.
    #[error("conflicts with existing data ({constraint})")]
    Conflict { constraint: String },
    /// The change would leave no enabled admin.
    #[error("this is the last enabled admin")]
    LastAdmin,
    /// A stored value this build cannot read (e.g. a role a newer version wrote).
    #[error("stored data is invalid: {0}")]
    Invalid(String),
    #[error("the database URL must start with sqlite: or postgres://")]
    UnsupportedUrl,
    #[error("cannot create the database folder {dir}")]
    CreateDir {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    #[error("migrating the database")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                DbError::Conflict {
                    constraint: db.constraint().unwrap_or("unique").to_string(),
                }
            }
            other => DbError::Other(other),
        }
    }
}
