//! The ingest commit: one transaction writes a group of requests' spans, trace summaries,
//! tags, PII events and usage, so an acknowledged span is a committed span.

use super::interactions;
use super::records::{
    CommitOutcome, ConversationStart, IngestWrite, ModelUsageRecord, PiiEventRecord,
    ResourceRecord, SpanRecord, UsageRecord,
};
use super::span_insert;
use super::summaries::{self, trace_deltas};
use super::usage_shards::UsageShards;
use crate::governance::reviews::{ReviewRecord, review_insert};
use crate::governance::violations::violation_insert;
use crate::governance::{TraceCostCheck, ViolationRecord};
use crate::{DbError, Pool, Store};
use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

/// A resource's last-seen time moves when it is this old, so that retention keeps what
/// traffic still names without every commit rewriting the row.
pub(super) const RESOURCE_SEEN_EVERY_MS: i64 = 24 * 3600 * 1000;

/// Rows per multi-row INSERT of the smaller tables: under SQLite's 32,766 bound
/// parameters, and one statement text per table keeps the prepared-statement cache warm.
const SMALL_CHUNK: usize = 2000;

fn merge_usage<'a>(usage: impl Iterator<Item = &'a UsageRecord>) -> Vec<UsageRecord> {
    let mut merged: HashMap<(&str, i64), UsageRecord> = HashMap::new();
    for record in usage {
        merged
            .entry((record.agent.as_str(), record.minute))
            .and_modify(|m| m.add(record))
            .or_insert_with(|| record.clone());
    }
    let mut out: Vec<UsageRecord> = merged.into_values().collect();
    // A fixed order takes row locks in the same order in concurrent commits (PostgreSQL).
    out.sort_by(|a, b| a.agent.cmp(&b.agent).then(a.minute.cmp(&b.minute)));
    out
}

fn merge_model_usage<'a>(
    usage: impl Iterator<Item = &'a ModelUsageRecord>,
) -> Vec<ModelUsageRecord> {
    let mut merged: HashMap<(&str, &str, i64), ModelUsageRecord> = HashMap::new();
    for record in usage {
        merged
            .entry((record.agent.as_str(), record.model.as_str(), record.hour))
            .and_modify(|m| m.add(record))
            .or_insert_with(|| record.clone());
    }
    let mut out: Vec<ModelUsageRecord> = merged.into_values().collect();
    // In key order, like the usage minutes: concurrent commits lock rows in the same order.
    out.sort_by(|a, b| {
        (a.agent.as_str(), a.model.as_str(), a.hour).cmp(&(
            b.agent.as_str(),
            b.model.as_str(),
            b.hour,
        ))
    });
    out
}

const MODEL_USAGE_UPSERT_TAIL: &str = " on conflict (agent, model, hour, shard) do update set \
     calls = model_usage_hours.calls + excluded.calls, \
     failed_calls = model_usage_hours.failed_calls + excluded.failed_calls, \
     input_tokens = model_usage_hours.input_tokens + excluded.input_tokens, \
     output_tokens = model_usage_hours.output_tokens + excluded.output_tokens, \
     cache_read_tokens = model_usage_hours.cache_read_tokens + excluded.cache_read_tokens, \
     cache_write_tokens = model_usage_hours.cache_write_tokens + excluded.cache_write_tokens, \
     cost_micros = model_usage_hours.cost_micros + excluded.cost_micros, \
     failed_cost_micros = model_usage_hours.failed_cost_micros + excluded.failed_cost_micros";

/// An agent's last-seen time moves when it is this old. Moving it on every commit made
/// PostgreSQL's concurrent commits queue for the agent rows (each waits for the row
/// lock until the commit before it ends); the time is read in minutes (the agents page,
/// the mandatory-logging watch).
pub(super) const AGENT_SEEN_EVERY_MS: i64 = 10_000;

/// A last-seen time this far ahead of the commit's clock is moved back: one replica with
/// a clock running fast would otherwise pin it in the future and hide a silent agent.
pub(super) const AGENT_AHEAD_MS: i64 = 60_000;

/// Agents seen in traffic: registered as unregistered the first time (sampled whole,
/// scanned in real time), their last-seen time moved on when it is stale. No statement
/// waits for a row another commit holds, so concurrent commits naming the same agents do
/// not queue behind each other. `$seen`: `&[&(String, Option<String>)]`, sorted by name;
/// `$lock`: how the engine takes the stale rows ([`Store::agent_row_lock`]).
macro_rules! mark_agents_seen {
    ($tx:expr, $seen:expr, $now:expr, $lock:expr) => {{
        let seen: &[&(String, Option<String>)] = $seen;
        let now: i64 = $now;
        if !seen.is_empty() {
            let mut query = sqlx::QueryBuilder::new(
                "insert into agents (name, source, environment, sample_rate, pii_scan, \
                 created_at, updated_at, last_seen_at) ",
            );
            query.push_values(seen, |mut row, (name, environment)| {
                row.push_bind(name)
                    .push("'unregistered'")
                    .push_bind(environment)
                    .push("1.0")
                    .push("'real-time'")
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(now);
            });
            query.push(" on conflict (name) do nothing");
            query.build().execute(&mut *$tx).await?;
            // The stale ones, locked; one another commit holds is being moved by it, and is
            // skipped rather than waited for (it would be fresh by then anyway).
            let stale_before = now - $crate::telemetry::ingest::AGENT_SEEN_EVERY_MS;
            let ahead = now + $crate::telemetry::ingest::AGENT_AHEAD_MS;
            let mut query = sqlx::QueryBuilder::new(
                "select name from agents where (last_seen_at is null or last_seen_at < ",
            );
            query
                .push_bind(stale_before)
                .push(" or last_seen_at > ")
                .push_bind(ahead)
                .push(") and name in (");
            let mut list = query.separated(", ");
            for (name, _) in seen {
                list.push_bind(name);
            }
            list.push_unseparated(")");
            query.push($lock);
            let stale: Vec<String> = query.build_query_scalar().fetch_all(&mut *$tx).await?;
            if !stale.is_empty() {
                let mut query = sqlx::QueryBuilder::new("update agents set last_seen_at = ");
                query.push_bind(now).push(" where true");
                $crate::push_in(&mut query, "name", &stale);
                query.build().execute(&mut *$tx).await?;
            }
        }
    }};
}
pub(super) use mark_agents_seen;

/// Each agent once, by name, in name order: new agents' rows are inserted in the same
/// order by concurrent commits.
pub(super) fn distinct_agents<'a>(
    agents: impl Iterator<Item = &'a (String, Option<String>)>,
) -> Vec<&'a (String, Option<String>)> {
    let mut seen: Vec<&(String, Option<String>)> = agents.collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    seen.dedup_by(|a, b| a.0 == b.0);
    seen
}

const USAGE_UPSERT_TAIL: &str = " on conflict (agent, minute, shard) do update set \
     spans = usage_minutes.spans + excluded.spans, \
     traces = usage_minutes.traces + excluded.traces, \
     errors = usage_minutes.errors + excluded.errors, \
     error_traces = usage_minutes.error_traces + excluded.error_traces, \
     llm_calls = usage_minutes.llm_calls + excluded.llm_calls, \
     tool_calls = usage_minutes.tool_calls + excluded.tool_calls, \
     tool_errors = usage_minutes.tool_errors + excluded.tool_errors, \
     input_tokens = usage_minutes.input_tokens + excluded.input_tokens, \
     output_tokens = usage_minutes.output_tokens + excluded.output_tokens, \
     cache_read_tokens = usage_minutes.cache_read_tokens + excluded.cache_read_tokens, \
     cache_write_tokens = usage_minutes.cache_write_tokens + excluded.cache_write_tokens, \
     cost_micros = usage_minutes.cost_micros + excluded.cost_micros, \
     trace_duration_ns = usage_minutes.trace_duration_ns + excluded.trace_duration_ns, \
     sampled_out = usage_minutes.sampled_out + excluded.sampled_out, \
     updated_at = excluded.updated_at";

/// The whole commit, written once and compiled for each engine.
///
/// `$pool`: the engine's pool (SQLite's ingest writer); `$insert_spans`, `$upsert_traces`:
/// its span insert (`span_insert`) and trace summary upsert (`summaries`).
///
/// Concurrent PostgreSQL commits take the rows they may share (a retried request's digest,
/// a trace sent in parts, a conversation, a review, an agent, another process's usage
/// minute) each table in key order, so that one waits for the other instead of each for
/// the other: a deadlock, which PostgreSQL breaks after a second by failing one of them
/// (the ingest benchmark saw one a run, on conversations, before they were sorted).
macro_rules! commit_body {
    ($store:expr, $pool:expr, $writes:expr, $insert_spans:path, $upsert_traces:path) => {{
        let all_writes: &[IngestWrite] = $writes;
        let received_at = all_writes.iter().map(|w| w.received_at).max().unwrap_or(0);
        // Taken before the transaction, so given back only after it is dropped: a failed
        // commit's rollback is started before another commit can take the shard.
        let shard = UsageShards::take(&$store.usage_shards);
        let mut tx = $pool.begin().await?;

        // A request already committed (an exporter retrying after a lost answer) is
        // skipped whole; claiming its digest here makes two concurrent copies race safely.
        let mut claim_order: Vec<usize> = (0..all_writes.len()).collect();
        claim_order.sort_by_key(|&i| &all_writes[i].digest);
        let mut claimed = vec![true; all_writes.len()];
        for i in claim_order {
            let Some(digest) = &all_writes[i].digest else {
                continue;
            };
            let row: Option<(String,)> = sqlx::query_as(
                "insert into ingest_requests (digest, received_at) values ($1, $2) \
                 on conflict (digest) do nothing returning digest",
            )
            .bind(digest)
            .bind(received_at)
            .fetch_optional(&mut *tx)
            .await?;
            claimed[i] = row.is_some();
        }
        let writes: Vec<&IngestWrite> = all_writes
            .iter()
            .zip(&claimed)
            .filter_map(|(write, claimed)| claimed.then_some(write))
            .collect();
        let all_spans: Vec<&SpanRecord> = writes.iter().flat_map(|w| &w.spans).collect();

        // Each distinct resource once: inserted when new, then its id looked up. Neither
        // statement locks a row that exists, so concurrent PostgreSQL commits naming the
        // same resources do not queue behind each other; a new resource two commits insert
        // at once makes the second wait, and the digest order keeps that wait from becoming
        // a deadlock.
        let mut resource_ids: HashMap<&str, i64> = HashMap::new();
        {
            let mut distinct = HashSet::new();
            let mut resources: Vec<&ResourceRecord> = all_spans
                .iter()
                .filter_map(|s| s.resource.as_deref())
                .filter(|r| distinct.insert(r.digest.as_str()))
                .collect();
            resources.sort_by(|a, b| a.digest.cmp(&b.digest));
            for chunk in resources.chunks(SMALL_CHUNK / 4) {
                let mut query = QueryBuilder::new(
                    "insert into resources (digest, attributes, first_seen_at, last_seen_at) ",
                );
                query.push_values(chunk, |mut row, r| {
                    row.push_bind(&r.digest)
                        .push_bind(&r.attributes_json)
                        .push_bind(received_at)
                        .push_bind(received_at);
                });
                query.push(" on conflict (digest) do nothing");
                query.build().execute(&mut *tx).await?;
                let mut query =
                    QueryBuilder::new("select id, digest, last_seen_at from resources where digest in (");
                let mut list = query.separated(", ");
                for r in chunk {
                    list.push_bind(&r.digest);
                }
                list.push_unseparated(")");
                let rows: Vec<(i64, String, i64)> =
                    query.build_query_as().fetch_all(&mut *tx).await?;
                // One statement each, in digest order like the inserts above: one naming
                // them all would lock them in whatever order its plan visits them, and two
                // commits refreshing the same resources could then deadlock.
                let mut stale: Vec<(&str, i64)> = rows
                    .iter()
                    .filter(|r| r.2 < received_at - RESOURCE_SEEN_EVERY_MS)
                    .map(|r| (r.1.as_str(), r.0))
                    .collect();
                stale.sort_unstable();
                let mut kept = 0;
                for (_, id) in &stale {
                    kept += sqlx::query("update resources set last_seen_at = $1 where id = $2")
                        .bind(received_at)
                        .bind(*id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                // Retention deleted a resource between the statements (PostgreSQL, a
                // resource unseen for the whole raw tier): the request is refused whole,
                // and its retry stores the resource anew.
                if rows.len() < chunk.len() || kept < stale.len() as u64 {
                    return Err(DbError::Conflict {
                        constraint: "resources deleted by retention while stored".into(),
                    });
                }
                for (id, digest, _) in rows {
                    if let Some(r) = chunk.iter().copied().find(|r| r.digest == digest) {
                        resource_ids.insert(r.digest.as_str(), id);
                    }
                }
            }
        }

        // The row of each span a PII event was found in, which its event points to.
        let events: Vec<&PiiEventRecord> = writes.iter().flat_map(|w| &w.pii_events).collect();
        let mut event_rows: HashMap<(String, String), Option<i64>> = events
            .iter()
            .map(|e| ((e.trace_id.clone(), e.span_id.clone()), None))
            .collect();
        let rows_wanted = !event_rows.is_empty();
        let mut span_ids: HashMap<String, Vec<i64>> = HashMap::new();
        let mut file_span = |trace: String, span: Option<String>, id: i64| {
            if let Some(span) = span {
                let key = (trace, span);
                if let Some(row) = event_rows.get_mut(&key) {
                    *row = Some(id);
                }
                span_ids.entry(key.0).or_default().push(id);
            } else {
                span_ids.entry(trace).or_default().push(id);
            }
        };
        for row in $insert_spans(&mut *tx, &all_spans, &resource_ids, received_at, rows_wanted).await? {
            file_span(row.trace_id, row.span_id, row.id);
        }
        let fresh = all_spans;

        let mut tags: HashMap<&str, Vec<&str>> = HashMap::new();
        for (trace, tag) in writes.iter().flat_map(|w| &w.tags) {
            tags.entry(trace.as_str()).or_default().push(tag.as_str());
        }
        let mut deltas = trace_deltas(&fresh, &tags);
        deltas.sort_by(|a, b| a.trace_id.cmp(&b.trace_id));
        for delta in &mut deltas {
            let mut ids = span_ids.remove(&delta.trace_id).unwrap_or_default();
            ids.sort_unstable();
            delta.span_ids = ids.iter().map(|id| format!("{id},")).collect();
        }
        let mut violations: Vec<ViolationRecord> =
            writes.iter().flat_map(|w| w.violations.iter().cloned()).collect();
        let cost_checks: HashMap<&str, &TraceCostCheck> = writes
            .iter()
            .flat_map(|w| &w.cost_checks)
            .map(|c| (c.trace_id.as_str(), c))
            .collect();
        let totals = $upsert_traces(&mut *tx, &deltas, received_at).await?;
        for t in &totals {
            if let Some(check) = cost_checks.get(t.trace_id.as_str())
                && let Some(violation) = check.judge(t.cost_micros, received_at)
            {
                violations.push(violation);
            }
        }
        let (interaction_usage, latency) = interactions::count(
            &deltas,
            &totals,
            writes.iter().flat_map(|w| &w.sampled_interactions),
        );

        for chunk in events.chunks(SMALL_CHUNK / 4) {
            let mut query = QueryBuilder::new(
                "insert into pii_events (agent, trace_id, span_id, field, kind, stage, detected_at, \
                 span_row) ",
            );
            query.push_values(chunk, |mut row, e| {
                let span_row = event_rows
                    .get(&(e.trace_id.clone(), e.span_id.clone()))
                    .copied()
                    .flatten();
                row.push_bind(&e.agent)
                    .push_bind(&e.trace_id)
                    .push_bind(&e.span_id)
                    .push_bind(&e.field)
                    .push_bind(&e.kind)
                    .push_bind(e.stage)
                    .push_bind(e.detected_at)
                    .push_bind(span_row);
            });
            query.build().execute(&mut *tx).await?;
        }

        let mut reviews: Vec<ReviewRecord> =
            writes.iter().flat_map(|w| w.reviews.iter().cloned()).collect();
        // A trace re-sent within one group commit is queued once.
        let mut keys = std::collections::HashSet::new();
        reviews.retain(|r| r.dedupe_key.as_ref().is_none_or(|k| keys.insert(k.clone())));
        reviews.sort_by(|a, b| a.dedupe_key.cmp(&b.dedupe_key));
        for chunk in reviews.chunks(SMALL_CHUNK / 8) {
            review_insert(chunk).build().execute(&mut *tx).await?;
        }

        // A conversation two concurrent PostgreSQL commits both open makes the second wait
        // for the first's end, so this comes late too, before the rows every commit shares.
        let mut starts: Vec<&ConversationStart> =
            writes.iter().flat_map(|w| &w.conversation_starts).collect();
        let mut opened = std::collections::HashSet::new();
        starts.retain(|c| opened.insert((c.agent.as_str(), c.conversation_id.as_str())));
        starts.sort_by(|a, b| (&a.agent, &a.conversation_id).cmp(&(&b.agent, &b.conversation_id)));
        for chunk in starts.chunks(SMALL_CHUNK / 4) {
            let mut query = QueryBuilder::new(
                "insert into conversations (agent, conversation_id, first_trace_id, started_at) ",
            );
            query.push_values(chunk, |mut row, c| {
                row.push_bind(&c.agent)
                    .push_bind(&c.conversation_id)
                    .push_bind(&c.trace_id)
                    .push_bind(c.started_at);
            });
            // The rows inserted are the conversations this commit opens.
            query.push(" on conflict (agent, conversation_id) do nothing returning agent, conversation_id");
            let new: Vec<(String, String)> = query.build_query_as().fetch_all(&mut *tx).await?;
            for (agent, conversation) in new {
                if let Some(violation) = chunk
                    .iter()
                    .find(|c| c.agent == agent && c.conversation_id == conversation)
                    .and_then(|c| c.undisclosed.clone())
                {
                    violations.push(violation);
                }
            }
        }

        for chunk in violations.chunks(SMALL_CHUNK / 4) {
            violation_insert(chunk).build().execute(&mut *tx).await?;
        }

        // Last, with the usage rows: another process's commits may share those (each
        // process's own take distinct shards), and what is locked last is held shortest.
        let seen = distinct_agents(writes.iter().flat_map(|w| &w.agents_seen));
        mark_agents_seen!(tx, &seen, received_at, $store.agent_row_lock());

        let usage = merge_usage(writes.iter().flat_map(|w| &w.usage).chain(&interaction_usage));
        for chunk in usage.chunks(SMALL_CHUNK / 16) {
            let mut query = QueryBuilder::new(
                "insert into usage_minutes (agent, minute, shard, spans, traces, errors, \
                 error_traces, llm_calls, tool_calls, tool_errors, input_tokens, output_tokens, \
                 cache_read_tokens, cache_write_tokens, cost_micros, trace_duration_ns, \
                 sampled_out, updated_at) ",
            );
            query.push_values(chunk, |mut row, u| {
                row.push_bind(&u.agent)
                    .push_bind(u.minute)
                    .push_bind(shard.id)
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
                    .push_bind(received_at);
            });
            query.push(USAGE_UPSERT_TAIL);
            query.build().execute(&mut *tx).await?;
        }
        for chunk in latency.chunks(SMALL_CHUNK / 4) {
            interactions::latency_upsert(chunk, shard.id).build().execute(&mut *tx).await?;
        }
        let models = merge_model_usage(writes.iter().flat_map(|w| &w.model_usage));
        for chunk in models.chunks(SMALL_CHUNK / 13) {
            let mut query = QueryBuilder::new(
                "insert into model_usage_hours (agent, model, hour, shard, calls, failed_calls, \
                 input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, \
                 failed_cost_micros) ",
            );
            query.push_values(chunk, |mut row, m| {
                row.push_bind(&m.agent)
                    .push_bind(&m.model)
                    .push_bind(m.hour)
                    .push_bind(i32::from(shard.id))
                    .push_bind(m.calls)
                    .push_bind(m.failed_calls)
                    .push_bind(m.input_tokens)
                    .push_bind(m.output_tokens)
                    .push_bind(m.cache_read_tokens)
                    .push_bind(m.cache_write_tokens)
                    .push_bind(m.cost_micros)
                    .push_bind(m.failed_cost_micros);
            });
            query.push(MODEL_USAGE_UPSERT_TAIL);
            query.build().execute(&mut *tx).await?;
        }

        tx.commit().await?;
        let spans_inserted = fresh.len() as u64;
        let all = all_writes.iter().map(|w| w.spans.len() as u64).sum::<u64>();
        Ok(CommitOutcome {
            spans_inserted,
            spans_duplicate: all - spans_inserted,
        })
    }};
}

impl Store {
    /// How a commit takes the agent rows whose last-seen time it moves: PostgreSQL locks
    /// them, skipping those another commit holds; SQLite has one writer and no row locks.
    pub(super) fn agent_row_lock(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "",
            Pool::Postgres(_) => " for update skip locked",
        }
    }

    /// Writes a group of requests in a single transaction. A request whose digest was
    /// committed before is skipped whole, so an exporter's retry does not count twice.
    pub async fn commit_ingest(&self, writes: &[IngestWrite]) -> Result<CommitOutcome, DbError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let _shared = self.wal_gate.read().await;
                let pool = self.ingest_writer.as_ref().unwrap_or(pool);
                commit_body!(
                    self,
                    pool,
                    writes,
                    span_insert::insert_sqlite,
                    summaries::upsert_sqlite
                )
            }
            Pool::Postgres(pool) => commit_body!(
                self,
                pool,
                writes,
                span_insert::insert_postgres,
                summaries::upsert_postgres
            ),
        }
    }
}
