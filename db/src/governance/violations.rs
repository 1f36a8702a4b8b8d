//! Violations: written with the spans that caused them (in the ingest commit) or by the
//! jobs that watch agents over time, and listed newest first.

use crate::{DbError, Store, with_pool};
use warden_domain::policy::{RuleName, Severity, Violation, ViolationFilter};

pub use warden_domain::policy::{TraceCostCheck, ViolationRecord};

#[derive(sqlx::FromRow)]
pub(crate) struct ViolationRow {
    pub(crate) id: i64,
    rule: String,
    severity: String,
    agent: String,
    level: String,
    trace_id: Option<String>,
    span_id: Option<String>,
    evidence: String,
    detected_at: i64,
}

impl ViolationRow {
    pub(crate) fn into_violation(self) -> Option<Violation> {
        Some(Violation {
            id: self.id,
            // A row written by a newer version with a rule this one does not know is skipped
            // rather than shown wrong.
            rule: RuleName::parse(&self.rule)?,
            severity: Severity::parse(&self.severity)?,
            agent: self.agent,
            level: self.level,
            trace_id: self.trace_id,
            span_id: self.span_id,
            evidence: self.evidence,
            detected_at: self.detected_at,
        })
    }
}

/// The insert of `records`, one multi-row statement, for either engine.
pub(crate) fn violation_insert<'a, DB: sqlx::Database>(
    records: &'a [ViolationRecord],
) -> sqlx::QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a Option<String>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut query = sqlx::QueryBuilder::new(
        "insert into violations (rule, severity, agent, level, trace_id, span_id, evidence, \
         detected_at) ",
    );
    query.push_values(records, |mut row, v| {
        row.push_bind(v.rule.as_str())
            .push_bind(v.severity.as_str())
            .push_bind(&v.agent)
            .push_bind(&v.level)
            .push_bind(&v.trace_id)
            .push_bind(&v.span_id)
            .push_bind(&v.evidence)
            .push_bind(v.detected_at);
    });
    query
}

/// Interactions per agent, and violations as (agent, severity, tied to an interaction,
/// count).
pub type ComplianceRows = (Vec<(String, i64)>, Vec<(String, Severity, bool, i64)>);

impl Store {
    /// Stores a violation found by a watch that every replica runs, unless one with the
    /// same `dedupe_key` exists; whether this call stored it.
    pub async fn claim_violation(
        &self,
        record: &ViolationRecord,
        dedupe_key: &str,
    ) -> Result<bool, DbError> {
        let done = with_pool!(self, pool => {
            sqlx::query(
                "insert into violations (rule, severity, agent, level, trace_id, span_id, \
                 evidence, detected_at, dedupe_key) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 on conflict (dedupe_key) do nothing",
            )
            .bind(record.rule.as_str())
            .bind(record.severity.as_str())
            .bind(&record.agent)
            .bind(&record.level)
            .bind(&record.trace_id)
            .bind(&record.span_id)
            .bind(&record.evidence)
            .bind(record.detected_at)
            .bind(dedupe_key)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Stores violations found outside the ingest commit (jobs, the guard).
    pub async fn insert_violations(&self, records: &[ViolationRecord]) -> Result<(), DbError> {
        if records.is_empty() {
            return Ok(());
        }
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in records.chunks(500) {
                violation_insert(chunk).build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Violations matching `filter`, newest first; `agents` limits them to those agents
    /// (an agent owner's), `None` means all.
    pub async fn list_violations(
        &self,
        filter: &ViolationFilter,
        agents: Option<&[String]>,
    ) -> Result<Vec<Violation>, DbError> {
        if agents.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        let rows: Vec<ViolationRow> = with_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new(
                "select id, rule, severity, agent, level, trace_id, span_id, evidence, \
                 detected_at from violations where 1 = 1",
            );
            if let Some(rule) = filter.rule {
                query.push(" and rule = ").push_bind(rule.as_str());
            }
            if let Some(agent) = &filter.agent {
                query.push(" and agent = ").push_bind(agent.as_str());
            }
            if let Some(agents) = agents {
                crate::push_in(&mut query, "agent", agents);
            }
            if let Some(since) = filter.since_ms {
                query.push(" and detected_at >= ").push_bind(since);
            }
            if let Some(until) = filter.until_ms {
                query.push(" and detected_at < ").push_bind(until);
            }
            if let Some(before) = filter.before_id {
                query.push(" and id < ").push_bind(before);
            }
            query
                .push(" order by id desc limit ")
                .push_bind(i64::from(filter.limit()));
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(ViolationRow::into_violation)
            .collect())
    }

    /// What an agent's alignment score over `since_ms..` is made of: its interactions
    /// (traces counted by the rollups, sampled out or not) and, per interaction with a
    /// violation, the most severe rule it broke.
    pub async fn alignment_inputs(
        &self,
        agent: &str,
        since_ms: i64,
        now: i64,
    ) -> Result<(i64, Vec<Severity>), DbError> {
        let interactions = self
            .interactions_since(since_ms, now)
            .await?
            .into_iter()
            .find(|(a, _)| a == agent)
            .map_or(0, |(_, n)| n);
        let rows: Vec<(String, String)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select trace_id, severity from violations where agent = $1 \
                 and detected_at >= $2 and trace_id is not null",
            )
            .bind(agent)
            .bind(since_ms)
            .fetch_all(pool)
            .await?
        });
        let mut worst: std::collections::HashMap<String, Severity> =
            std::collections::HashMap::new();
        for (trace, severity) in rows {
            let Some(severity) = Severity::parse(&severity) else {
                continue;
            };
            let entry = worst.entry(trace).or_insert(severity);
            *entry = (*entry).max(severity);
        }
        Ok((interactions, worst.into_values().collect()))
    }

    /// Interactions per agent from `since_ms` on: from the minutes for the last six days
    /// (minutes are kept a week), from the hour rollups before (from the first whole hour).
    async fn interactions_since(
        &self,
        since_ms: i64,
        now: i64,
    ) -> Result<Vec<(String, i64)>, DbError> {
        use warden_domain::metrics::range::{DAY_MS, HOUR_MS, ceil, floor};
        let boundary = floor(now - 6 * DAY_MS, HOUR_MS).max(since_ms);
        let rows: Vec<(String, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, cast(coalesce(sum(traces), 0) as bigint) from ( \
                   select agent, traces from usage_minutes where minute >= $1 and minute >= $2 \
                   union all \
                   select agent, traces from usage_rollups where resolution = 'hour' \
                   and period_start >= $3 and period_start < $2) as counted group by agent",
            )
            .bind(since_ms)
            .bind(boundary)
            .bind(ceil(since_ms, HOUR_MS))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Per agent, the most severe rule each of its interactions with a violation detected
    /// in `[from, to)` broke: the violating half of alignment scores over a range.
    pub async fn violating_interactions(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, Severity)>, DbError> {
        let rows: Vec<(String, String, String, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, trace_id, severity, detected_at from violations \
                 where detected_at >= $1 and detected_at < $2 and trace_id is not null",
            )
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        });
        Ok(worst_per_interaction(rows)
            .into_iter()
            .map(|(agent, _, severity)| (agent, severity))
            .collect())
    }

    /// As [`Store::violating_interactions`], with when each interaction started (epoch ms),
    /// for scores hour by hour: a violation found late (by the batch PII scan, or in
    /// traffic sent late) counts in the hour its interaction counts in, not in the hour it
    /// was found. A violation whose trace is not stored has no such hour and is left out:
    /// counted when found, a burst of them (a day of traffic sent at once) made every
    /// agent's alignment look anomalous.
    pub async fn violating_interactions_at(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(String, i64, Severity)>, DbError> {
        let rows: Vec<(String, String, String, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select v.agent, v.trace_id, v.severity, t.start_ns / 1000000 \
                 from violations v join traces t on t.trace_id = v.trace_id \
                 where v.detected_at >= $1 and v.detected_at < $2",
            )
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        });
        Ok(worst_per_interaction(rows))
    }

    /// Per agent since `since_ms`: its interactions (traces, sampled out or not) and its
    /// violations as (agent, severity, tied to an interaction, count), for the compliance
    /// scores.
    pub async fn compliance_inputs(
        &self,
        since_ms: i64,
        now: i64,
    ) -> Result<ComplianceRows, DbError> {
        let interactions = self.interactions_since(since_ms, now).await?;
        let rows: Vec<(String, String, bool, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, severity, trace_id is not null, count(*) from violations \
                 where detected_at >= $1 group by agent, severity, trace_id is not null",
            )
            .bind(since_ms)
            .fetch_all(pool)
            .await?
        });
        let violations = rows
            .into_iter()
            .filter_map(|(agent, severity, traced, n)| {
                Severity::parse(&severity).map(|s| (agent, s, traced, n))
            })
            .collect();
        Ok((interactions, violations))
    }

    /// Violations per rule since `since_ms`, for the violations page's summary.
    pub async fn count_violations_by_rule(
        &self,
        since_ms: i64,
    ) -> Result<Vec<(String, i64)>, DbError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "select rule, count(*) from violations where detected_at >= $1 \
                 group by rule order by count(*) desc, rule",
            )
            .bind(since_ms)
            .fetch_all(pool)
            .await?
        }))
    }
}

/// One row per interaction (agent, trace) of `(agent, trace, severity, at)` rows: its
/// earliest time and its most severe rule.
fn worst_per_interaction(rows: Vec<(String, String, String, i64)>) -> Vec<(String, i64, Severity)> {
    let mut worst: std::collections::HashMap<(String, String), (i64, Severity)> =
        std::collections::HashMap::new();
    for (agent, trace, severity, at) in rows {
        let Some(severity) = Severity::parse(&severity) else {
            continue;
        };
        let entry = worst.entry((agent, trace)).or_insert((at, severity));
        *entry = (entry.0.min(at), entry.1.max(severity));
    }
    worst
        .into_iter()
        .map(|((agent, _), (at, s))| (agent, at, s))
        .collect()
}
