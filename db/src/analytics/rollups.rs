//! Hour and day rollups, recomputed from the minutes: an hour whose minutes changed since
//! the last pass is summed again whole (all shards, all agents), then its day from its
//! hours. Recomputing rather than adding makes a pass safe to repeat or to run on two
//! replicas at once; the job claims it anyway, so that it runs once.

use crate::{DbError, Store, with_pool};
use warden_domain::metrics::range::{DAY_MS, HOUR_MS, floor};
use warden_domain::metrics::sketch::Sketch;

/// The usage columns the minutes and the rollups share.
pub(crate) const USAGE_COLUMNS: [&str; 14] = [
    "spans",
    "traces",
    "errors",
    "error_traces",
    "llm_calls",
    "tool_calls",
    "tool_errors",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cost_micros",
    "trace_duration_ns",
    "sampled_out",
];

/// `cast(sum(c) as bigint) as c, ...`: PostgreSQL sums bigints to numeric.
pub(crate) fn summed() -> String {
    USAGE_COLUMNS
        .iter()
        .map(|c| format!("cast(coalesce(sum({c}), 0) as bigint) as {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one pass recomputed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RollupPass {
    pub hours: Vec<i64>,
    pub days: Vec<i64>,
    /// Minute rows (usage and latency) past their week, deleted.
    pub minutes_deleted: u64,
    /// Hour rows given their p95.
    pub p95_filled: u64,
}

/// Hour rows given their p95 per pass at most: the rows a pass recomputes, and older ones
/// without it (rolled up before the column existed), newest first.
const P95_FILLED_PER_PASS: i64 = 2_000;

/// Stored for an hour without durations, so that it is not computed again every pass.
const NO_P95: f64 = -1.0;

/// Minute rows deleted per pass at most, so that a pass after a long stop stays short.
const MINUTES_DELETED_PER_PASS: i64 = 20_000;

impl Store {
    /// Recomputes the hours whose minutes changed at or after `changed_since` (epoch ms of
    /// the commits' clock), and their days; then deletes the minutes of the hours before
    /// `minutes_from`. Hours before then are left as they are, their minutes being gone
    /// (a late span there must not make a whole hour of one minute), except on the first
    /// pass (`changed_since` 0), which rolls up every minute a database holds.
    pub async fn roll_up(
        &self,
        changed_since: i64,
        minutes_from: i64,
    ) -> Result<RollupPass, DbError> {
        let touched: Vec<(i64,)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select minute - (minute % 3600000) from usage_minutes where updated_at >= $1 \
                 union select minute - (minute % 3600000) from score_minutes \
                 where updated_at >= $1",
            )
            .bind(changed_since)
            .fetch_all(pool)
            .await?
        });
        let mut pass = RollupPass {
            hours: touched
                .into_iter()
                .map(|(h,)| h)
                .filter(|&h| changed_since <= 0 || h >= floor(minutes_from, HOUR_MS))
                .collect(),
            ..RollupPass::default()
        };
        pass.hours.sort_unstable();
        pass.hours.dedup();
        pass.days = pass.hours.iter().map(|&h| floor(h, DAY_MS)).collect();
        pass.days.dedup();
        let columns = USAGE_COLUMNS.join(", ");
        let sums = summed();
        let hour_usage = format!(
            "insert into usage_rollups (resolution, agent, period_start, {columns}) \
             select 'hour', agent, $1, {sums} from usage_minutes \
             where minute >= $1 and minute < $2 group by agent"
        );
        let day_usage = format!(
            "insert into usage_rollups (resolution, agent, period_start, {columns}) \
             select 'day', agent, $1, {sums} from usage_rollups \
             where resolution = 'hour' and period_start >= $1 and period_start < $2 \
             group by agent"
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (resolution, starts, len, usage_sql, latency_sql, score_sql) in [
                ("hour", &pass.hours, HOUR_MS, &hour_usage,
                 "insert into latency_rollups (resolution, agent, period_start, bucket, traces) \
                  select 'hour', agent, $1, bucket, cast(sum(traces) as bigint) \
                  from latency_minutes where minute >= $1 and minute < $2 \
                  group by agent, bucket",
                 "insert into score_rollups (resolution, agent, period_start, name, scores, total) \
                  select 'hour', agent, $1, name, cast(sum(scores) as bigint), sum(total) \
                  from score_minutes where minute >= $1 and minute < $2 group by agent, name"),
                ("day", &pass.days, DAY_MS, &day_usage,
                 "insert into latency_rollups (resolution, agent, period_start, bucket, traces) \
                  select 'day', agent, $1, bucket, cast(sum(traces) as bigint) \
                  from latency_rollups where resolution = 'hour' \
                  and period_start >= $1 and period_start < $2 group by agent, bucket",
                 "insert into score_rollups (resolution, agent, period_start, name, scores, total) \
                  select 'day', agent, $1, name, cast(sum(scores) as bigint), sum(total) \
                  from score_rollups where resolution = 'hour' \
                  and period_start >= $1 and period_start < $2 group by agent, name"),
            ] {
                for &start in starts {
                    for table in ["usage_rollups", "latency_rollups", "score_rollups"] {
                        // Table names are ours; the values are bound.
                        sqlx::query(&format!(
                            "delete from {table} where resolution = $1 and period_start = $2"
                        ))
                        .bind(resolution)
                        .bind(start)
                        .execute(&mut *tx)
                        .await?;
                    }
                    for sql in [usage_sql.as_str(), latency_sql, score_sql] {
                        sqlx::query(sql)
                            .bind(start)
                            .bind(start + len)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            tx.commit().await?;
            for (table, key) in [
                ("usage_minutes", "agent, minute, shard"),
                ("latency_minutes", "agent, minute, shard, bucket"),
                ("score_minutes", "agent, minute, name"),
            ] {
                pass.minutes_deleted += sqlx::query(&format!(
                    "delete from {table} where ({key}) in \
                     (select {key} from {table} where minute < $1 limit $2)"
                ))
                .bind(floor(minutes_from, HOUR_MS))
                .bind(MINUTES_DELETED_PER_PASS)
                .execute(pool)
                .await?
                .rows_affected();
            }
        });
        pass.p95_filled = self.fill_hour_p95(P95_FILLED_PER_PASS).await?;
        Ok(pass)
    }

    /// Computes the p95 of up to `limit` hour rows that lack it, newest first, from their
    /// latency buckets.
    async fn fill_hour_p95(&self, limit: i64) -> Result<u64, DbError> {
        let mut filled = 0;
        with_pool!(self, pool => {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "select agent, period_start from usage_rollups where resolution = 'hour' \
                 and p95_ms is null order by period_start desc limit $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?;
            // Read before the transaction, which then only writes: on SQLite a transaction
            // that reads first cannot take the write lock once another commit came between.
            let mut p95s = Vec::with_capacity(rows.len());
            for (agent, start) in rows {
                let buckets: Vec<(i32, i64)> = sqlx::query_as(
                    "select bucket, traces from latency_rollups where resolution = 'hour' \
                     and agent = $1 and period_start = $2",
                )
                .bind(&agent)
                .bind(start)
                .fetch_all(pool)
                .await?;
                let mut sketch = Sketch::default();
                for (bucket, traces) in buckets {
                    sketch.add(bucket, traces);
                }
                p95s.push((agent, start, sketch.quantile_ms(0.95).unwrap_or(NO_P95)));
            }
            let mut tx = pool.begin().await?;
            for (agent, start, p95) in &p95s {
                // Only where still missing: a pass that recomputed the hour meanwhile left
                // it null again, for the next fill.
                filled += sqlx::query(
                    "update usage_rollups set p95_ms = $3 where resolution = 'hour' \
                     and agent = $1 and period_start = $2 and p95_ms is null",
                )
                .bind(agent)
                .bind(start)
                .bind(p95)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(filled)
    }

    /// Each agent's p95 interaction duration (ms) per hour starting in `[from, to)`, for
    /// the hour rows that have it.
    pub async fn hour_p95(&self, from: i64, to: i64) -> Result<Vec<(String, i64, f64)>, DbError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, period_start, p95_ms from usage_rollups where resolution = 'hour' \
                 and period_start >= $1 and period_start < $2 and p95_ms >= 0",
            )
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        }))
    }
}
