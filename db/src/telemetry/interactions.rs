//! The interactions an ingest commit counts, and their latency buckets: from the trace
//! summaries the commit left (stored traces) and from the request (traces sampled out).
//! When an interaction counts is the domain's rule ([`warden_domain::metrics::interaction`]).

use super::records::{SampledInteraction, UsageRecord};
use super::summaries::{TraceDelta, TraceTotals};
use sqlx::QueryBuilder;
use std::collections::HashMap;
use warden_domain::metrics::interaction::{Counted, TraceAfterCommit, counted};
use warden_domain::metrics::range::{MINUTE_MS, floor};
use warden_domain::metrics::sketch::bucket_of;

/// Interactions of one agent in one minute whose durations fall in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct LatencyKey<'a> {
    pub(super) agent: &'a str,
    pub(super) minute: i64,
    pub(super) bucket: i32,
}

/// What the commit's interactions add: usage rows holding only the interaction counts, and
/// latency rows, each in key order (the order concurrent commits lock them in).
pub(super) fn count<'a>(
    deltas: &[TraceDelta],
    totals: &'a [TraceTotals],
    sampled: impl Iterator<Item = &'a SampledInteraction>,
) -> (Vec<UsageRecord>, Vec<(LatencyKey<'a>, i64)>) {
    let parts: HashMap<&str, &TraceDelta> =
        deltas.iter().map(|d| (d.trace_id.as_str(), d)).collect();
    let mut usage: HashMap<(&str, i64), UsageRecord> = HashMap::new();
    let mut latency: HashMap<LatencyKey, i64> = HashMap::new();
    let mut add = |agent: &'a str, start_ns: i64, duration_ns: Option<i64>, error: bool| {
        let minute = floor(start_ns.div_euclid(1_000_000), MINUTE_MS);
        let row = usage.entry((agent, minute)).or_insert_with(|| UsageRecord {
            agent: agent.to_string(),
            minute,
            ..UsageRecord::default()
        });
        row.error_traces += i64::from(error);
        if let Some(duration_ns) = duration_ns {
            row.traces += 1;
            row.trace_duration_ns += duration_ns;
            let key = LatencyKey {
                agent,
                minute,
                bucket: bucket_of(duration_ns),
            };
            *latency.entry(key).or_default() += 1;
        }
    };
    for t in totals {
        let Some(part) = parts.get(t.trace_id.as_str()) else {
            continue;
        };
        let after = TraceAfterCommit {
            root_in_commit: part.root_span_id.is_some(),
            errors_in_commit: part.error_count,
            has_root: t.has_root,
            start_ns: t.start_ns,
            end_ns: t.end_ns,
            error_count: t.error_count,
        };
        match counted(after) {
            Some(Counted::Interaction {
                start_ns,
                duration_ns,
                error,
            }) => add(&t.agent, start_ns, Some(duration_ns), error),
            Some(Counted::BecameError { start_ns }) => add(&t.agent, start_ns, None, true),
            None => {}
        }
    }
    for s in sampled {
        add(&s.agent, s.start_ns, Some(s.duration_ns), s.error);
    }
    let mut latency: Vec<(LatencyKey, i64)> = latency.into_iter().collect();
    latency.sort_unstable();
    (usage.into_values().collect(), latency)
}

/// The upsert of a chunk of latency rows into `shard`.
pub(super) fn latency_upsert<'q, DB: sqlx::Database>(
    rows: &'q [(LatencyKey<'q>, i64)],
    shard: i16,
) -> QueryBuilder<'q, DB>
where
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i32: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i16: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let mut query =
        QueryBuilder::new("insert into latency_minutes (agent, minute, shard, bucket, traces) ");
    query.push_values(rows, |mut row, (key, traces)| {
        row.push_bind(key.agent)
            .push_bind(key.minute)
            .push_bind(shard)
            .push_bind(key.bucket)
            .push_bind(*traces);
    });
    query.push(
        " on conflict (agent, minute, shard, bucket) do update set \
         traces = latency_minutes.traces + excluded.traces",
    );
    query
}
