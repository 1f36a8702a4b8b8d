//! Retention: deleting what is past its tier, a bounded batch per transaction so a large
//! backlog never holds the write lock long enough to stall ingestion.

use crate::{DbError, Store, with_pool};
use serde::Serialize;

/// The retention tiers of the config's `storage.retention`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionTier {
    /// Spans, trace summaries (with their tags), agent events (log records) and the
    /// conversations seen.
    RawTraces,
    /// Per-minute usage rollups and agent metrics.
    Aggregated,
    /// PII events, policy violations, the review queue and the retention log itself.
    ComplianceLogs,
}

impl RetentionTier {
    pub const ALL: [RetentionTier; 3] = [
        RetentionTier::RawTraces,
        RetentionTier::Aggregated,
        RetentionTier::ComplianceLogs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RetentionTier::RawTraces => "raw_traces",
            RetentionTier::Aggregated => "aggregated",
            RetentionTier::ComplianceLogs => "compliance_logs",
        }
    }
}

/// One recorded retention pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RetentionRun {
    pub tier: String,
    pub cutoff: i64,
    pub deleted: i64,
    pub started_at: i64,
    pub finished_at: i64,
}

impl Store {
    /// Deletes at most `batch` rows of `tier` older than `cutoff_ms` (epoch ms); returns how
    /// many rows went. Call until it returns less than `batch`. `kept_longer` lists agents
    /// whose compliance records are kept past the tier (`audit_trail_retention`), each with
    /// its own, earlier cutoff.
    pub async fn delete_expired(
        &self,
        tier: RetentionTier,
        cutoff_ms: i64,
        batch: u32,
        kept_longer: &[(String, i64)],
    ) -> Result<u64, DbError> {
        let batch = i64::from(batch);
        let cutoff_ns = cutoff_ms.saturating_mul(1_000_000);
        let deleted = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let deleted = match tier {
                RetentionTier::RawTraces => {
                    let spans = sqlx::query(
                        "delete from spans where id in \
                         (select id from spans where start_s < $1 limit $2)",
                    )
                    .bind(cutoff_ns.div_euclid(1_000_000_000))
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let traces = sqlx::query(
                        "delete from traces where trace_id in \
                         (select trace_id from traces where end_ns < $1 limit $2)",
                    )
                    .bind(cutoff_ns)
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let events = sqlx::query(
                        "delete from agent_events where id in \
                         (select id from agent_events where time_ns < $1 order by id limit $2)",
                    )
                    .bind(cutoff_ns)
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let conversations = sqlx::query(
                        "delete from conversations where (agent, conversation_id) in \
                         (select agent, conversation_id from conversations \
                          where started_at < $1 limit $2)",
                    )
                    .bind(cutoff_ms)
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    // A resource outlives its last span by two days: commits look its row
                    // up without locking it while it is fresh (see the ingest commit). The
                    // outer condition is checked again on a row a commit has just renewed
                    // (PostgreSQL re-reads a locked row's new version for it).
                    let resources = sqlx::query(
                        "delete from resources where last_seen_at < $1 and id in \
                         (select id from resources where last_seen_at < $1 and not exists \
                          (select 1 from spans where spans.resource_id = resources.id) limit $2)",
                    )
                    .bind(cutoff_ms.saturating_sub(2 * crate::telemetry::ingest::RESOURCE_SEEN_EVERY_MS))
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    spans + traces + events + conversations + resources
                }
                RetentionTier::Aggregated => {
                    let usage = sqlx::query(
                        "delete from usage_minutes where (agent, minute, shard) in \
                         (select agent, minute, shard from usage_minutes where minute < $1 \
                          limit $2)",
                    )
                    .bind(cutoff_ms)
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let metrics = sqlx::query(
                        "delete from agent_metrics where (agent, minute, name, series) in \
                         (select agent, minute, name, series from agent_metrics \
                          where minute < $1 limit $2)",
                    )
                    .bind(cutoff_ms)
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let mut aggregates = 0;
                    for (table, key, at) in [
                        ("usage_rollups", "resolution, period_start, agent", "period_start"),
                        ("latency_rollups", "resolution, period_start, agent, bucket", "period_start"),
                        ("score_rollups", "resolution, period_start, agent, name", "period_start"),
                        ("model_usage_hours", "agent, model, hour, shard", "hour"),
                        ("model_quality_days", "agent, model, day", "day"),
                    ] {
                        // Our own names only are spliced; the values are bound.
                        aggregates += sqlx::query(&format!(
                            "delete from {table} where ({key}) in (select {key} from {table} \
                             where {at} < $1 limit $2)"
                        ))
                        .bind(cutoff_ms)
                        .bind(batch)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    usage + metrics + aggregates
                }
                RetentionTier::ComplianceLogs => {
                    let mut records = 0;
                    for (table, at) in [
                        ("pii_events", "detected_at"),
                        ("violations", "detected_at"),
                        ("reviews", "created_at"),
                    ] {
                        let mut query = sqlx::QueryBuilder::new(format!(
                            "delete from {table} where id in (select id from {table} \
                             where {at} < "
                        ));
                        query.push_bind(cutoff_ms);
                        if !kept_longer.is_empty() {
                            query.push(" and agent not in (");
                            let mut list = query.separated(", ");
                            for (agent, _) in kept_longer {
                                list.push_bind(agent.as_str());
                            }
                            query.push(")");
                        }
                        query.push(" order by id limit ").push_bind(batch).push(")");
                        records += query.build().execute(&mut *tx).await?.rows_affected();
                        for (agent, own_cutoff) in kept_longer {
                            records += sqlx::query(&format!(
                                "delete from {table} where id in (select id from {table} \
                                 where agent = $1 and {at} < $2 order by id limit $3)"
                            ))
                            .bind(agent)
                            .bind(*own_cutoff)
                            .bind(batch)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                        }
                    }
                    let runs = sqlx::query(
                        "delete from retention_runs where id in \
                         (select id from retention_runs where finished_at < $1 order by id limit $2)",
                    )
                    .bind(cutoff_ms)
                    .bind(batch)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    records + runs
                }
            };
            tx.commit().await?;
            deleted
        });
        Ok(deleted)
    }

    /// Forgets the digests of requests committed before `before_ms`: a retry is expected
    /// within minutes, not days.
    pub async fn forget_ingest_requests(&self, before_ms: i64) -> Result<u64, DbError> {
        let deleted = with_pool!(self, pool => {
            sqlx::query("delete from ingest_requests where received_at < $1")
                .bind(before_ms)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }

    pub async fn record_retention_run(&self, run: &RetentionRun) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "insert into retention_runs (tier, cutoff, deleted, started_at, finished_at) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(&run.tier)
            .bind(run.cutoff)
            .bind(run.deleted)
            .bind(run.started_at)
            .bind(run.finished_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The latest retention passes, newest first.
    pub async fn list_retention_runs(&self, limit: u32) -> Result<Vec<RetentionRun>, DbError> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "select tier, cutoff, deleted, started_at, finished_at from retention_runs \
                 order by id desc limit $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Row counts of the collector's tables, for retention tests and the status page.
    pub async fn telemetry_counts(&self) -> Result<TelemetryCounts, DbError> {
        let row: (i64, i64, i64, i64, i64, i64) = with_pool!(self, pool => {
            sqlx::query_as(
                "select (select count(*) from spans), (select count(*) from traces), \
                 (select count(*) from agent_events), (select count(*) from pii_events), \
                 (select count(*) from usage_minutes), (select count(*) from resources)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(TelemetryCounts {
            spans: row.0,
            traces: row.1,
            agent_events: row.2,
            pii_events: row.3,
            usage_minutes: row.4,
            resources: row.5,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TelemetryCounts {
    pub spans: i64,
    pub traces: i64,
    pub agent_events: i64,
    pub pii_events: i64,
    pub usage_minutes: i64,
    pub resources: i64,
}
