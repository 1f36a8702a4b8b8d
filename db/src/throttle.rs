//! Counters of failed logins per account and per client address.

use crate::{DbError, Pool, Store, with_pool};
use warden_domain::throttle::ThrottleState;

#[derive(sqlx::FromRow)]
struct ThrottleRow {
    failures: i32,
    window_started_at: i64,
    locked_until: Option<i64>,
}

impl From<ThrottleRow> for ThrottleState {
    fn from(row: ThrottleRow) -> Self {
        ThrottleState {
            failures: u32::try_from(row.failures).unwrap_or(0),
            window_started_at: row.window_started_at,
            locked_until: row.locked_until,
        }
    }
}

impl Store {
    /// The counter for `key`, if any failure was recorded.
    pub async fn find_throttle(&self, key: &str) -> Result<Option<ThrottleState>, DbError> {
        with_pool!(self, pool => {
            let row: Option<ThrottleRow> = sqlx::query_as(
                "select failures, window_started_at, locked_until from login_throttle where key = $1",
            )
            .bind(key)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(Into::into))
        })
    }

    /// Replaces the counter for `key` with `update(current)` (`None` forgets it), with the
    /// row locked so that concurrent attempts, on any replica, are all counted.
    pub async fn update_throttle(
        &self,
        key: &str,
        now: i64,
        update: impl FnOnce(Option<ThrottleState>) -> Option<ThrottleState>,
    ) -> Result<Option<ThrottleState>, DbError> {
        // SQLite serialises writers: the insert below takes the write lock for the whole
        // transaction. PostgreSQL needs the row lock.
        let select = match self.pool {
            Pool::Sqlite(_) => {
                "select failures, window_started_at, locked_until from login_throttle where key = $1"
            }
            Pool::Postgres(_) => {
                "select failures, window_started_at, locked_until from login_throttle where key = $1 for update"
            }
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // A placeholder row with no failures, so that there is a row to lock.
            sqlx::query(
                "insert into login_throttle (key, failures, window_started_at, locked_until, created_at, updated_at) \
                 values ($1, 0, $2, null, $2, $2) on conflict (key) do nothing",
            )
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let row: ThrottleRow = sqlx::query_as(select).bind(key).fetch_one(&mut *tx).await?;
            let current = Some(ThrottleState::from(row)).filter(|s| s.failures > 0);
            let next = update(current);
            match next {
                Some(next) => {
                    sqlx::query(
                        "update login_throttle set failures = $2, window_started_at = $3, locked_until = $4, \
                         updated_at = $5 where key = $1",
                    )
                    .bind(key)
                    .bind(i32::try_from(next.failures).unwrap_or(i32::MAX))
                    .bind(next.window_started_at)
                    .bind(next.locked_until)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("delete from login_throttle where key = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(next)
        })
    }

    /// Deletes counters that no longer count: their window has passed and they are not locked.
    pub async fn delete_stale_throttles(
        &self,
        window_started_before: i64,
        now: i64,
    ) -> Result<u64, DbError> {
        with_pool!(self, pool => {
            let deleted = sqlx::query(
                "delete from login_throttle where window_started_at < $1 \
                 and (locked_until is null or locked_until < $2)",
            )
            .bind(window_started_before)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(deleted)
        })
    }

    /// Forgets the counter for `key` (after a successful login).
    pub async fn clear_throttle(&self, key: &str) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query("delete from login_throttle where key = $1").bind(key).execute(pool).await?;
            Ok(())
        })
    }
}
