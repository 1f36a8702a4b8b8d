//! Claims on the periods of background jobs that must run once however many replicas share
//! the database. A period is claimed by inserting its row; the claim is a lease, so a
//! replica that died mid-run (its lease ran out, nothing finished) is taken over by the
//! next one to try, and a finished period is never claimed again.

use crate::{DbError, Store, with_pool};

/// How one period of a job went, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRun {
    pub job: String,
    pub period_start: i64,
    pub claimed_by: String,
    pub lease_until: i64,
    pub attempts: i32,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Runs kept per job: the history of the last ones, not every minute of a year.
const RUNS_KEPT_MS: i64 = 7 * 24 * 3_600_000;

impl Store {
    /// Claims `job`'s period starting at `period_start` for `claimant` until `lease_until`.
    /// True when this caller won it: no one had, or the one who had let its lease run out
    /// without finishing. On PostgreSQL two replicas inserting at once queue on the key,
    /// and the second sees the first's live lease.
    pub async fn claim_job_run(
        &self,
        job: &str,
        period_start: i64,
        claimant: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<bool, DbError> {
        let row: Option<(String,)> = with_pool!(self, pool => {
            sqlx::query_as(
                "insert into job_runs (job, period_start, claimed_by, lease_until, attempts, \
                 started_at) values ($1, $2, $3, $4, 1, $5) \
                 on conflict (job, period_start) do update set \
                 claimed_by = excluded.claimed_by, lease_until = excluded.lease_until, \
                 attempts = job_runs.attempts + 1, started_at = excluded.started_at \
                 where job_runs.finished_at is null and job_runs.lease_until <= excluded.started_at \
                 returning job",
            )
            .bind(job)
            .bind(period_start)
            .bind(claimant)
            .bind(lease_until)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.is_some())
    }

    /// Ends a claimed period. Done, it is never run again, and runs older than a week are
    /// dropped; failed, its lease is given up so that the next try (on any replica) runs it.
    /// A claimant whose lease was taken over changes nothing.
    pub async fn finish_job_run(
        &self,
        job: &str,
        period_start: i64,
        claimant: &str,
        now: i64,
        error: Option<&str>,
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            match error {
                None => {
                    sqlx::query(
                        "update job_runs set finished_at = $4, last_error = null \
                         where job = $1 and period_start = $2 and claimed_by = $3",
                    )
                    .bind(job)
                    .bind(period_start)
                    .bind(claimant)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "delete from job_runs where job = $1 and period_start < $2 \
                         and finished_at is not null",
                    )
                    .bind(job)
                    .bind(period_start.min(now) - RUNS_KEPT_MS)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(error) => {
                    sqlx::query(
                        "update job_runs set lease_until = $4, last_error = $5 \
                         where job = $1 and period_start = $2 and claimed_by = $3",
                    )
                    .bind(job)
                    .bind(period_start)
                    .bind(claimant)
                    .bind(now)
                    .bind(error)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// When the newest finished run of `job` started, if one has.
    pub async fn last_finished_job_run(&self, job: &str) -> Result<Option<i64>, DbError> {
        let (started,): (Option<i64>,) = with_pool!(self, pool => {
            sqlx::query_as(
                "select max(started_at) from job_runs where job = $1 and finished_at is not null",
            )
            .bind(job)
            .fetch_one(pool)
            .await?
        });
        Ok(started)
    }

    /// The stored runs of `job`, newest period first.
    pub async fn list_job_runs(&self, job: &str, limit: i64) -> Result<Vec<JobRun>, DbError> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, JobRun>(
                "select job, period_start, claimed_by, lease_until, attempts, started_at, \
                 finished_at, last_error from job_runs where job = $1 \
                 order by period_start desc limit $2",
            )
            .bind(job)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
