//! Warden's storage: every SQL statement lives in this crate, behind methods of [`Store`]
//! named for what they do.
//!
//! One `Store` serves SQLite (the embedded default) and PostgreSQL (for production and
//! replicas). Most statements are written once in the SQL both engines accept (`$1`
//! placeholders, `returning`, `on conflict`) and run through [`with_pool!`], which
//! type-checks them against each driver; where the engines differ, the method says so.
#![forbid(unsafe_code)]

mod accounts;
mod analytics;
mod error;
mod governance;
mod incidents;
mod jobs;
mod sessions;
mod telemetry;
mod throttle;
mod tokens;
mod users;

#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::AccountChange;
pub use analytics::{
    LatencyCount, ModelQualityRow, ModelSpend, RollupPass, ScoreBucket, ScoreRecord, UsageBucket,
};
pub use error::DbError;
pub use governance::*;
pub use incidents::{
    EscalationStep, FindingSource, NewIncident, NewPage, Opened, PostmortemSave, PostmortemSaved,
    StepOutcome, StoredIncident,
};
pub use jobs::JobRun;
pub use sessions::SessionStore;
pub use telemetry::*;
pub use users::{Credentials, NewUser};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on Warden's database; cheap to clone (it wraps a connection pool).
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// SQLite: the one connection ingest commits run on. Its page cache is large enough
    /// for the hot pages of the span and trace indexes, and only it has one that large:
    /// when any pooled connection could commit, each grew its own cache.
    ingest_writer: Option<SqlitePool>,
    /// Ingest commits hold it shared; the checkpoint that lets SQLite start its log over
    /// holds it alone, between two commits (see [`Store::checkpoint`]).
    wal_gate: Arc<tokio::sync::RwLock<()>>,
    /// The usage rows each ingest commit in flight adds to.
    usage_shards: Arc<telemetry::usage_shards::UsageShards>,
    /// SQLite: the database file, opened to flush what checkpoints copied into it ahead of
    /// the log reset (see [`Store::checkpoint`]).
    database_file: Option<Arc<std::fs::File>>,
}

/// Runs the same body against whichever pool the store holds. The body is compiled once per
/// engine, so a statement or row type that does not suit both fails the build, not a request.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Appends ` and {column} in (...)` binding each of `values`, to a query being built.
pub(crate) fn push_in<'a, DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<'a, DB>,
    column: &str,
    values: &'a [String],
) where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    // `in ()` is a syntax error on PostgreSQL: an empty list matches nothing.
    if values.is_empty() {
        query.push(" and false");
        return;
    }
    query.push(format!(" and {column} in ("));
    let mut list = query.separated(", ");
    for value in values {
        list.push_bind(value.as_str());
    }
    query.push(")");
}

/// The write-ahead log after a checkpoint (all zero on PostgreSQL).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalState {
    pub log_pages: i64,
    /// How long ingest commits were held back to let the log start over, if they were.
    pub held: Option<Duration>,
}

/// Passive checkpoints run back to back before a log reset holds the commits back.
const CONVERGING_PASSES: usize = 3;
/// Log growth during a pass below which the passes stop: less than one 500-span commit
/// writes (about 600 pages).
const SETTLED_GROWTH_PAGES: i64 = 512;

/// Options for opening a store.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// Has PostgreSQL pass the pages this session writes out to the disk as it goes
/// (`backend_flush_after`), unless the server sets its own amount.
///
/// By default the pages a backend evicts wait in the kernel's cache until the checkpoint
/// syncs their files. Under the ingest load that was several hundred megabytes every ten
/// seconds, and while the checkpoint synced them every commit's log flush waited: the
/// commits in flight then took 400-800 ms (ingest benchmark; the checkpoint's sync phase
/// went from 0.7 s to 0.2 s with this, and the slowest commit from 795 ms to 133 ms).
/// The setting is per session and anyone may set it; a server without it is left alone.
async fn flush_as_written(conn: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    let set = sqlx::query(
        "select set_config('backend_flush_after', '256kB', false) \
         where current_setting('backend_flush_after', true) = '0'",
    )
    .execute(conn)
    .await;
    if let Err(err) = set {
        tracing::debug!(error = %err, "backend_flush_after left as the server sets it");
    }
    Ok(())
}

impl Store {
    /// Opens the database named by `url`: `sqlite://path` (created with its folder when
    /// missing) or `postgres://...`.
    pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Store, DbError> {
        let mut database_file = None;
        let (pool, ingest_writer) =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                let connect = PgConnectOptions::from_str(url)?;
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .after_connect(|conn, _| Box::pin(flush_as_written(conn)))
                    .connect_with(connect)
                    .await?;
                (Pool::Postgres(pool), None)
            } else if url.starts_with("sqlite:") {
                let connect = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // WAL with NORMAL is durable across application crashes; only a power
                    // loss can take back the last transactions, as the SQLite docs explain.
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    // A checkpoint run by the committing connection makes that commit wait for
                    // the copy and its fsync; the server checkpoints from another connection
                    // instead (`checkpoint`), and this is only the backstop for the CLI.
                    .pragma("wal_autocheckpoint", "100000");
                create_parent_dir(connect.get_filename())?;
                // The pool's connections keep SQLite's default page cache (2 MB); the
                // ingest writer's is larger.
                let pool = SqlitePoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(connect.clone())
                    .await?;
                // 8 MiB holds the hot index pages of a commit. Measured with the ingest
                // benchmark: 4 MiB and 16 MiB gave 7% less throughput, 32 MiB 15% less.
                let writer = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(options.acquire_timeout)
                    // The other statements of a commit that may abort midway keep their
                    // statement journal in memory rather than in a file of their own (each
                    // page written to it was a system call).
                    .connect_with(
                        connect
                            .clone()
                            .pragma("cache_size", "-8192")
                            .pragma("temp_store", "memory"),
                    )
                    .await?;
                database_file = open_to_flush(connect.get_filename());
                (Pool::Sqlite(pool), Some(writer))
            } else {
                return Err(DbError::UnsupportedUrl);
            };
        Ok(Store {
            pool,
            ingest_writer,
            wal_gate: Arc::default(),
            usage_shards: Arc::default(),
            database_file,
        })
    }

    /// Applies the migrations this build embeds; safe to run on every start and from
    /// several replicas at once (sqlx takes a lock).
    pub async fn migrate(&self) -> Result<(), DbError> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Pool::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// Copies committed WAL pages into the SQLite database file without blocking writers
    /// (a passive checkpoint), and lets the log start over once it passes
    /// `reset_after_pages`. Nothing to do on PostgreSQL.
    ///
    /// SQLite starts its log over for a write transaction whose snapshot began with every
    /// frame copied. Under constant ingest the next commit always begins before a passive
    /// checkpoint ends, so past the threshold one more runs holding the ingest gate: the
    /// commit in flight ends first, the next waits for the copy of the few frames left, and
    /// then writes from the log's start. `wal_checkpoint(restart)` did this before but
    /// stalled ingest for 1-4 s: it holds SQLite's write lock while waiting for readers,
    /// and blocked commits poll that lock with the busy handler's sleeps of up to 100 ms.
    /// It stays as the backstop for a log that other writers keep growing.
    pub async fn checkpoint(&self, reset_after_pages: i64) -> Result<WalState, DbError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Ok(WalState::default());
        };
        let passive = || async {
            let (_, log_pages, _): (i64, i64, i64) =
                sqlx::query_as("pragma wal_checkpoint(passive)")
                    .fetch_one(pool)
                    .await?;
            Ok::<_, DbError>(log_pages)
        };
        let mut log_pages = passive().await?;
        if log_pages <= reset_after_pages {
            return Ok(WalState {
                log_pages,
                held: None,
            });
        }
        // Each pass copies what the commits wrote during the one before, so a few more
        // leave about one commit's frames for the copy that holds them back. Going straight
        // to the gate left it the frames of all the commits since the last tick: holds of
        // 20-165 ms against 9-38 ms this way (ingest benchmark, a 30 s run each).
        // Past four times the threshold the backstop below restarts the log, and passes
        // first would only let the other writers grow it further.
        self.flush_database_file().await;
        let passes = if log_pages > 4 * reset_after_pages {
            0
        } else {
            CONVERGING_PASSES
        };
        for _ in 0..passes {
            let before = log_pages;
            log_pages = passive().await?;
            if log_pages - before < SETTLED_GROWTH_PAGES {
                break;
            }
        }
        // Even when that copied every frame, the log starts over only for a commit whose
        // snapshot began after the copy: the commits in flight did not.
        let _alone = self.wal_gate.write().await;
        let holding = std::time::Instant::now();
        let log_pages = passive().await?;
        if log_pages > 4 * reset_after_pages {
            // Other writers (retention, the batch scan, sessions) or readers kept the log
            // from starting over: SQLite's own restart, which makes them wait, bounds it.
            tracing::warn!(pages = log_pages, "restarting the write-ahead log");
            sqlx::query("pragma wal_checkpoint(restart)")
                .execute(pool)
                .await?;
        }
        Ok(WalState {
            log_pages,
            held: Some(holding.elapsed()),
        })
    }

    /// Writes out the pages checkpoints copied into the database file since it was last
    /// synced, without holding anything.
    ///
    /// SQLite syncs the database file only at the end of a checkpoint that copies the whole
    /// log, which under constant ingest a passive one manages only now and then. The pages
    /// the others copied waited in the kernel's cache, and the sync of the checkpoint that
    /// holds the commits back wrote them all. Flushed first, that sync finds only the last
    /// few commits' pages: with the ingest benchmark (60 s, back to back, three runs without
    /// it and three builds with it) the holds went from a median of 59-73 ms and a maximum
    /// of 114-143 ms to 37-52 and 71-102, at the same throughput.
    async fn flush_database_file(&self) {
        let Some(file) = self.database_file.clone() else {
            return;
        };
        let synced = tokio::task::spawn_blocking(move || file.sync_data()).await;
        if let Ok(Err(err)) = synced {
            tracing::debug!(error = %err, "flushing the database file ahead of a log reset");
        }
    }

    /// Checks that the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        with_pool!(self, pool => sqlx::query("select 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The tables and their columns, sorted: used to check that both engines' migrations
    /// build the same schema.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>, DbError> {
        let rows: Vec<(String, String)> =
            match &self.pool {
                Pool::Sqlite(pool) => {
                    sqlx::query_as(
                        "select m.name, p.name from sqlite_master m, pragma_table_info(m.name) p \
                     where m.type = 'table' and m.name not like 'sqlite_%' \
                     and m.name not like '\\_%' escape '\\' and m.name <> 'tower_sessions' \
                     order by 1, 2",
                    )
                    .fetch_all(pool)
                    .await?
                }
                Pool::Postgres(pool) => sqlx::query_as(
                    "select table_name::text, column_name::text from information_schema.columns \
                     where table_schema = current_schema() and table_name not like '\\_%' \
                     order by 1, 2",
                )
                .fetch_all(pool)
                .await?,
            };
        Ok(rows)
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        if let Some(writer) = &self.ingest_writer {
            writer.close().await;
        }
        with_pool!(self, pool => pool.close().await)
    }
}

/// A read handle on the SQLite database file, for [`Store::flush_database_file`]; none for
/// an in-memory database. Syncing through any handle writes out the file's pages.
fn open_to_flush(path: &std::path::Path) -> Option<Arc<std::fs::File>> {
    if in_memory(path) {
        return None;
    }
    match std::fs::File::open(path) {
        Ok(file) => Some(Arc::new(file)),
        Err(err) => {
            tracing::debug!(error = %err, "the database file is not open for flushing");
            None
        }
    }
}

/// Whether a SQLite file name is the in-memory database's.
fn in_memory(path: &std::path::Path) -> bool {
    path == std::path::Path::new(":memory:")
}

fn create_parent_dir(path: &std::path::Path) -> Result<(), DbError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !in_memory(path) => {
            std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                dir: dir.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}
