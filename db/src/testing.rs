//! Fresh databases for tests, on both engines.
//!
//! SQLite tests get a new file in a temporary folder. PostgreSQL tests get a new database
//! on the server named by `TEST_POSTGRES_URL`, named after that URL's database plus a random
//! suffix, so that CI can drop everything a run made by prefix. Without the variable the
//! PostgreSQL variants are skipped with a message, unless `WARDEN_REQUIRE_POSTGRES=1`, which
//! CI sets so that a missing database fails the run instead of passing it silently.

// Test support: a database that cannot be made should fail the test loudly, right here.
#![allow(clippy::expect_used)]

use crate::{ConnectOptions, Store};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

fn suffix() -> String {
    let mut bytes = [0u8; 6];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestDb {
    /// A migrated SQLite database in a fresh temporary folder.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}/warden.db", dir.path().display());
        let store = Store::connect(&url, &ConnectOptions::default())
            .await
            .expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        TestDb {
            url,
            store,
            _dir: Some(dir),
        }
    }

    /// A migrated, empty PostgreSQL database, or `None` when no server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var("TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("WARDEN_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "WARDEN_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set"
            );
            eprintln!("TEST_POSTGRES_URL is not set: skipping the PostgreSQL variant");
            return None;
        };
        let (server, base_db) = base
            .rsplit_once('/')
            .expect("TEST_POSTGRES_URL ends with /database");
        let base_db = base_db.split('?').next().unwrap_or(base_db);
        let name = format!("{base_db}_{}", suffix());
        let mut admin = PgConnection::connect(&base)
            .await
            .expect("connect to TEST_POSTGRES_URL");
        // The name is built from our own alphabet, never from input: safe to splice.
        sqlx::query(&format!("create database \"{name}\""))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let url = format!("{server}/{name}");
        let options = ConnectOptions {
            max_connections: 5,
            ..ConnectOptions::default()
        };
        let store = Store::connect(&url, &options).await.expect("open postgres");
        store.migrate().await.expect("migrate postgres");
        Some(TestDb {
            url,
            store,
            _dir: None,
        })
    }
}

/// Runs each named `async fn(TestDb)` on SQLite and on PostgreSQL, as the tests
/// `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::testing::TestDb::sqlite().await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(db) = $crate::testing::TestDb::postgres().await {
                        super::$name(db).await
                    }
                }
            )*
        }
    };
}

impl Store {
    /// Takes a usage shard the way an ingest commit does, until the guard is dropped: a
    /// test can then stand in for a commit in flight.
    pub fn hold_usage_shard(&self) -> impl Drop {
        crate::telemetry::usage_shards::UsageShards::take(&self.usage_shards)
    }

    /// Makes every insert of a span named `name` fail, the way a constraint would, until
    /// [`Store::cure_span_inserts`]: a test can then fail a commit midway through its span rows.
    pub async fn poison_span_inserts(&self, name: &str) -> Result<(), crate::DbError> {
        // A trigger's text takes no bound parameters; the tests' names are plain words.
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        match &self.pool {
            crate::Pool::Sqlite(pool) => {
                // `fail` keeps the rows the statement stored before this one, as the span
                // insert's own `or fail` does: the commit's rollback must undo them.
                sqlx::query(&format!(
                    "create trigger poisoned_span before insert on spans \
                     when new.name = '{name}' begin select raise(fail, 'poisoned span'); end"
                ))
                .execute(pool)
                .await?;
            }
            crate::Pool::Postgres(pool) => {
                sqlx::query(&format!(
                    "create function poisoned_span() returns trigger language plpgsql as $$ \
                     begin if new.name = '{name}' then raise exception 'poisoned span'; end if; \
                     return new; end $$"
                ))
                .execute(pool)
                .await?;
                sqlx::query(
                    "create trigger poisoned_span before insert on spans for each row \
                     execute function poisoned_span()",
                )
                .execute(pool)
                .await?;
            }
        }
        Ok(())
    }

    /// Undoes [`Store::poison_span_inserts`].
    pub async fn cure_span_inserts(&self) -> Result<(), crate::DbError> {
        match &self.pool {
            crate::Pool::Sqlite(pool) => {
                sqlx::query("drop trigger poisoned_span")
                    .execute(pool)
                    .await?;
            }
            crate::Pool::Postgres(pool) => {
                sqlx::query("drop trigger poisoned_span on spans")
                    .execute(pool)
                    .await?;
                sqlx::query("drop function poisoned_span()")
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Tries to rewrite an audit event the way only someone with the database file or a
    /// superuser could: first as the application would (the triggers refuse; that error is
    /// returned), then past the triggers. For tests that `warden audit verify` notices.
    pub async fn tamper_with_audit_event(
        &self,
        seq: i64,
        actor: &str,
    ) -> Result<String, crate::DbError> {
        let refused = crate::with_pool!(self, pool => {
            sqlx::query("update audit_events set actor = $1 where seq = $2")
                .bind(actor)
                .bind(seq)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .expect_err("the audit trail refuses updates");
        match &self.pool {
            crate::Pool::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("drop trigger audit_events_no_update")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("update audit_events set actor = $1 where seq = $2")
                    .bind(actor)
                    .bind(seq)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            crate::Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("alter table audit_events disable trigger audit_events_no_change")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("update audit_events set actor = $1 where seq = $2")
                    .bind(actor)
                    .bind(seq)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("alter table audit_events enable trigger audit_events_no_change")
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Ok(refused.to_string())
    }
}

/// A user to insert in tests: the password hash is a placeholder nobody can sign in with.
pub fn new_user(email: &str, roles: &[warden_domain::Role]) -> crate::NewUser {
    crate::NewUser {
        email: email.into(),
        password_hash: "$argon2id$placeholder".into(),
        roles: roles.to_vec(),
    }
}

impl Store {
    /// Adds a user for each `(email, role)`, in order, with a placeholder password: for
    /// tests and benchmarks that need people to page, not to sign in.
    pub async fn insert_users(
        &self,
        users: &[(&str, warden_domain::Role)],
        now: i64,
    ) -> Result<Vec<warden_domain::User>, crate::DbError> {
        let mut added = Vec::with_capacity(users.len());
        for (email, role) in users {
            added.push(self.insert_user(&new_user(email, &[*role]), now).await?);
        }
        Ok(added)
    }
}

/// A plain agent span of `agent`, stored as ingestion would store it with nothing found:
/// for tests that write rows directly and care about ids, times and text.
pub fn span_record(
    trace_id: warden_domain::telemetry::TraceId,
    span_id: warden_domain::telemetry::SpanId,
    agent: &str,
    start_ns: i64,
) -> crate::SpanRecord {
    use warden_domain::telemetry::{Attributes, Span, SpanKind, SpanStatus, TokenUsage};
    crate::SpanRecord {
        span: Span {
            trace_id,
            span_id,
            parent_span_id: None,
            agent: agent.into(),
            name: "invoke_agent".into(),
            kind: SpanKind::Agent,
            start_ns,
            end_ns: start_ns + 1_000_000_000,
            status: SpanStatus::Ok,
            status_message: None,
            error_type: None,
            operation: None,
            provider: None,
            model: None,
            usage: TokenUsage::default(),
            reported_cost_usd: None,
            tool_name: None,
            conversation_id: None,
            session_id: None,
            user_id: None,
            environment: None,
            service_version: None,
            input: None,
            output: None,
            attributes: Attributes::default(),
            events: Vec::new(),
            resource: None,
        },
        attributes_json: "{}".into(),
        events_json: "[]".into(),
        resource: None,
        cost_micros: None,
        cost_basis: None,
        redacted: false,
        pii_pending: false,
        pii_count: 0,
    }
}

/// One agent-minute of synthetic traffic for [`Store::seed_minutes`].
#[derive(Debug, Clone)]
pub struct SeedMinute {
    pub agent: String,
    pub minute: i64,
    pub usage: crate::UsageRecord,
    /// (sketch bucket, interactions)
    pub latency: Vec<(i32, i64)>,
}

impl Store {
    /// Writes usage and latency minute rows as ingest would leave them (shard 0), in bulk,
    /// for benchmarks that need weeks of history without sending every span.
    pub async fn seed_minutes(&self, rows: &[SeedMinute]) -> Result<(), crate::DbError> {
        crate::with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in rows.chunks(1000) {
                let mut q = sqlx::QueryBuilder::new(
                    "insert into usage_minutes (agent, minute, shard, spans, traces, errors, \
                     error_traces, llm_calls, tool_calls, tool_errors, input_tokens, \
                     output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, \
                     trace_duration_ns, sampled_out, updated_at) ",
                );
                q.push_values(chunk, |mut b, r| {
                    let u = &r.usage;
                    b.push_bind(&r.agent)
                        .push_bind(r.minute)
                        .push_bind(0i16)
                        .push_bind(u.spans)
                        .push_bind(u.traces)
                        .push_bind(u.errors)
                        .push_bind(u.error_traces)
                        .push_bind(u.llm_calls)
                        .push_bind(u.tool_calls)
                        .push_bind(u.tool_errors)
                        .push_bind(u.input_tokens)
                        .push_bind(u.output_tokens)
                        .push_bind(u.cache_read_tokens)
                        .push_bind(u.cache_write_tokens)
                        .push_bind(u.cost_micros)
                        .push_bind(u.trace_duration_ns)
                        .push_bind(u.sampled_out)
                        .push_bind(r.minute);
                });
                q.build().execute(&mut *tx).await?;
                let latency: Vec<(&str, i64, i32, i64)> = chunk
                    .iter()
                    .flat_map(|r| r.latency.iter().map(|(b, n)| (r.agent.as_str(), r.minute, *b, *n)))
                    .collect();
                for part in latency.chunks(5000) {
                    let mut q = sqlx::QueryBuilder::new(
                        "insert into latency_minutes (agent, minute, shard, bucket, traces) ",
                    );
                    q.push_values(part, |mut b, (agent, minute, bucket, n)| {
                        b.push_bind(*agent)
                            .push_bind(*minute)
                            .push_bind(0i16)
                            .push_bind(*bucket)
                            .push_bind(*n);
                    });
                    q.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
