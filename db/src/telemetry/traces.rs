//! Reading traces: the filtered list, one trace with its spans and PII events, and an
//! agent's usage totals.

use crate::{DbError, Pool, Store, with_pool};
use sqlx::QueryBuilder;
use std::sync::Arc;
use warden_domain::telemetry::summary::StatusFilter;
use warden_domain::telemetry::{
    Attributes, PiiEventInfo, Span, SpanId, SpanKind, SpanStatus, SpanView, TokenUsage,
    TraceFilter, TraceId, TraceSummary,
};

#[derive(sqlx::FromRow)]
struct TraceRow {
    trace_id: String,
    agent: String,
    name: String,
    start_ns: i64,
    end_ns: i64,
    span_count: i64,
    error_count: i64,
    input_tokens: i64,
    output_tokens: i64,
    cost_micros: i64,
    model: Option<String>,
    environment: Option<String>,
    pii_count: i64,
    tags: String,
    /// Only read for one trace's page.
    #[sqlx(default)]
    span_ids: String,
}

impl From<TraceRow> for TraceSummary {
    fn from(r: TraceRow) -> Self {
        TraceSummary {
            trace_id: r.trace_id,
            agent: r.agent,
            name: r.name,
            start_ns: r.start_ns,
            end_ns: r.end_ns,
            span_count: r.span_count,
            error_count: r.error_count,
            input_tokens: r.input_tokens,
            output_tokens: r.output_tokens,
            cost_micros: r.cost_micros,
            model: r.model,
            environment: r.environment,
            pii_count: r.pii_count,
            tags: {
                let mut tags: Vec<String> = r.tags.split_whitespace().map(str::to_string).collect();
                tags.sort_unstable();
                tags.dedup();
                tags
            },
        }
    }
}

const TRACE_COLUMNS: &str = "t.trace_id, t.agent, t.name, t.start_ns, t.end_ns, t.span_count, \
     t.error_count, t.input_tokens, t.output_tokens, t.cost_micros, t.model, t.environment, \
     t.pii_count, t.tags";

#[derive(sqlx::FromRow)]
struct SpanRow {
    trace_id: String,
    span_id: String,
    parent_span_id: Option<String>,
    agent: String,
    name: String,
    kind: String,
    start_ns: i64,
    end_ns: i64,
    status: String,
    status_message: Option<String>,
    error_type: Option<String>,
    operation: Option<String>,
    provider: Option<String>,
    model: Option<String>,
    input_tokens: Option<i64>,
    output_tokens: Option<i64>,
    cache_read_tokens: Option<i64>,
    cache_write_tokens: Option<i64>,
    reasoning_tokens: Option<i64>,
    reported_cost_usd: Option<f64>,
    cost_micros: Option<i64>,
    cost_basis: Option<String>,
    tool_name: Option<String>,
    conversation_id: Option<String>,
    session_id: Option<String>,
    user_id: Option<String>,
    environment: Option<String>,
    service_version: Option<String>,
    input: Option<String>,
    output: Option<String>,
    attributes: String,
    events: String,
    redacted: bool,
    resource_attributes: Option<String>,
}

const SPAN_COLUMNS: &str = "trace_id, span_id, parent_span_id, agent, name, kind, start_ns, \
     end_ns, status, status_message, error_type, operation, provider, model, input_tokens, \
     output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, reported_cost_usd, \
     cost_micros, cost_basis, tool_name, conversation_id, session_id, user_id, environment, \
     service_version, input, output, attributes, events, redacted, \
     (select r.attributes from resources r where r.id = spans.resource_id) as resource_attributes";

fn invalid(what: &str, value: &str) -> DbError {
    DbError::Invalid(format!("{what} {value:?}"))
}

impl TryFrom<SpanRow> for SpanView {
    type Error = DbError;

    fn try_from(r: SpanRow) -> Result<Self, DbError> {
        let attributes: Attributes = serde_json::from_str(&r.attributes)
            .map_err(|e| DbError::Invalid(format!("span attributes: {e}")))?;
        let events = serde_json::from_str(&r.events)
            .map_err(|e| DbError::Invalid(format!("span events: {e}")))?;
        let resource: Option<Attributes> = r
            .resource_attributes
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| DbError::Invalid(format!("resource attributes: {e}")))?;
        let mut span = Span {
            trace_id: TraceId::parse_hex(&r.trace_id)
                .ok_or_else(|| invalid("trace id", &r.trace_id))?,
            span_id: SpanId::parse_hex(&r.span_id).ok_or_else(|| invalid("span id", &r.span_id))?,
            parent_span_id: match r.parent_span_id {
                Some(p) => Some(SpanId::parse_hex(&p).ok_or_else(|| invalid("parent id", &p))?),
                None => None,
            },
            agent: r.agent,
            name: r.name,
            kind: SpanKind::parse(&r.kind).ok_or_else(|| invalid("span kind", &r.kind))?,
            start_ns: r.start_ns,
            end_ns: r.end_ns,
            status: SpanStatus::parse(&r.status).ok_or_else(|| invalid("status", &r.status))?,
            status_message: r.status_message,
            error_type: r.error_type,
            operation: r.operation,
            provider: r.provider,
            model: r.model,
            usage: TokenUsage {
                input: r.input_tokens,
                output: r.output_tokens,
                cache_read: r.cache_read_tokens,
                cache_write: r.cache_write_tokens,
                reasoning: r.reasoning_tokens,
            },
            reported_cost_usd: r.reported_cost_usd,
            tool_name: r.tool_name,
            conversation_id: r.conversation_id,
            session_id: r.session_id,
            user_id: r.user_id,
            environment: r.environment,
            service_version: r.service_version,
            input: r.input,
            output: r.output,
            attributes,
            events,
            resource: resource.map(Arc::new),
        };
        span.merge_resource();
        Ok(SpanView {
            span,
            cost_micros: r.cost_micros,
            cost_basis: r.cost_basis,
            redacted: r.redacted,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct PiiRow {
    id: i64,
    agent: String,
    trace_id: String,
    span_id: String,
    field: String,
    kind: String,
    detected_at: i64,
    stage: String,
}

impl From<PiiRow> for PiiEventInfo {
    fn from(r: PiiRow) -> Self {
        PiiEventInfo {
            id: r.id,
            agent: r.agent,
            trace_id: r.trace_id,
            span_id: r.span_id,
            field: r.field,
            kind: r.kind,
            detected_at: r.detected_at,
            stage: r.stage,
        }
    }
}

/// Appends the filter's conditions; `like` is the engine's case-insensitive match.
fn push_filter<'a, DB: sqlx::Database>(
    query: &mut QueryBuilder<'a, DB>,
    filter: &'a TraceFilter,
    like: &str,
) where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    query.push(" where 1 = 1");
    let key = start_key(filter);
    if let Some(agent) = &filter.agent {
        query.push(" and t.agent = ").push_bind(agent.as_str());
    }
    if let Some(from) = filter.from_ms {
        let from_ns = from.saturating_mul(1_000_000);
        query.push(" and t.start_ns >= ").push_bind(from_ns);
        push_start_key(query, &key, ">=", from_ns);
    }
    for to_ns in [
        filter.to_ms.map(|to| to.saturating_mul(1_000_000)),
        filter.before_ns,
    ]
    .into_iter()
    .flatten()
    {
        query.push(" and t.start_ns < ").push_bind(to_ns);
        push_start_key(query, &key, "<=", to_ns);
    }
    match filter.status {
        Some(StatusFilter::Error) => {
            query.push(" and t.error_count > 0");
        }
        Some(StatusFilter::Ok) => {
            query.push(" and t.error_count = 0");
        }
        None => {}
    }
    if let Some(model) = &filter.model {
        // Every model a trace used is one of its tags.
        query
            .push(" and t.tags like ")
            .push_bind(format!("% model:{} %", escape_like(model.trim())))
            .push(" escape '\\'");
    }
    if let Some(tag) = &filter.tag {
        query
            .push(" and t.tags like ")
            .push_bind(format!("% {} %", escape_like(tag.trim())))
            .push(" escape '\\'");
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        // No index helps a substring search: scan the spans of the time window, through the
        // start index (pick a window to keep it short).
        let pattern = format!("%{}%", escape_like(text));
        query.push(" and t.trace_id in (select x.trace_id from spans x where 1 = 1");
        if let Some(from) = filter.from_ms {
            query
                .push(" and x.start_s >= ")
                .push_bind(from.div_euclid(1000));
        }
        if let Some(to) = filter.to_ms {
            query
                .push(" and x.start_s <= ")
                .push_bind(to.div_euclid(1000));
        }
        query
            .push(format!(" and (x.input {like} "))
            .push_bind(pattern.clone())
            .push(format!(" escape '\\' or x.output {like} "))
            .push_bind(pattern)
            .push(" escape '\\'))");
    }
}

/// The key of the index the list walks: the start second (`traces_start`), or for one
/// agent the start minute (`traces_agent_minute`). Its SQL must match the index's
/// expression for the engine to use it.
struct StartKey {
    sql: &'static str,
    seconds: i64,
}

fn start_key(filter: &TraceFilter) -> StartKey {
    if filter.agent.is_some() {
        StartKey {
            sql: "t.start_s / 60",
            seconds: 60,
        }
    } else {
        StartKey {
            sql: "t.start_s",
            seconds: 1,
        }
    }
}

/// A bound on `start_ns`, restated on the key: implied by the exact bound, it only lets the
/// index narrow the rows. SQL's integer division truncates, as Rust's `/` does.
fn push_start_key<'a, DB: sqlx::Database>(
    query: &mut QueryBuilder<'a, DB>,
    key: &StartKey,
    op: &str,
    bound_ns: i64,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let second = bound_ns.div_euclid(1_000_000_000);
    query
        .push(format!(" and {} {op} ", key.sql))
        .push_bind(second / key.seconds);
}

/// Newest first, in the key's order and then by start_ns: the list sorts only the rows of
/// the newest keys it reaches. Ends with `limit `, for the caller's bound.
fn newest_first_limit(filter: &TraceFilter) -> String {
    format!(
        " order by {} desc, t.start_ns desc limit ",
        start_key(filter).sql
    )
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    /// Trace summaries matching `filter`, newest first, with their tags.
    pub async fn list_traces(&self, filter: &TraceFilter) -> Result<Vec<TraceSummary>, DbError> {
        let limit = i64::from(filter.limit());
        let rows: Vec<TraceRow> = match &self.pool {
            Pool::Sqlite(pool) => {
                let mut query = QueryBuilder::new(format!("select {TRACE_COLUMNS} from traces t"));
                push_filter(&mut query, filter, "like");
                query.push(newest_first_limit(filter)).push_bind(limit);
                query.build_query_as().fetch_all(pool).await?
            }
            Pool::Postgres(pool) => {
                let mut query = QueryBuilder::new(format!("select {TRACE_COLUMNS} from traces t"));
                push_filter(&mut query, filter, "ilike");
                query.push(newest_first_limit(filter)).push_bind(limit);
                query.build_query_as().fetch_all(pool).await?
            }
        };
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One trace's summary, its spans in start order and its PII events.
    pub async fn get_trace(
        &self,
        trace_id: &str,
    ) -> Result<Option<(TraceSummary, Vec<SpanView>, Vec<PiiEventInfo>)>, DbError> {
        let sql = format!("select {TRACE_COLUMNS}, t.span_ids from traces t where t.trace_id = $1");
        let row: Option<TraceRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(trace_id).fetch_optional(pool).await?
        });
        let Some(row) = row else { return Ok(None) };
        let ids: Vec<i64> = row
            .span_ids
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect();
        let summary = TraceSummary::from(row);
        let mut spans: Vec<SpanRow> = self
            .select_in(
                &format!("select {SPAN_COLUMNS} from spans where id in ("),
                &ids,
            )
            .await?;
        spans.sort_by_key(|s| s.start_ns);
        let spans = spans
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_, _>>()?;
        // Events point to the row of their span; those stored before they did, and any whose
        // span the commit did not hold, are found by trace id.
        let mut events: Vec<PiiRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, agent, trace_id, span_id, field, kind, detected_at, stage \
                 from pii_events where trace_id = $1 and span_row is null",
            )
            .bind(trace_id)
            .fetch_all(pool)
            .await?
        });
        events.extend(
            self.select_in::<PiiRow>(
                "select id, agent, trace_id, span_id, field, kind, detected_at, stage \
                 from pii_events where span_row in (",
                &ids,
            )
            .await?,
        );
        events.sort_by_key(|e| e.id);
        Ok(Some((
            summary,
            spans,
            events.into_iter().map(Into::into).collect(),
        )))
    }

    /// The rows `select` (which ends in `in (`) finds for `ids`, a thousand binds a
    /// statement.
    async fn select_in<T>(&self, select: &str, ids: &[i64]) -> Result<Vec<T>, DbError>
    where
        T: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            let rows: Vec<T> = with_pool!(self, pool => {
                let mut query = QueryBuilder::new(select);
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build_query_as().fetch_all(pool).await?
            });
            found.extend(rows);
        }
        Ok(found)
    }

    /// An agent's usage summed over every minute kept (a week).
    pub async fn usage_totals(&self, agent: &str) -> Result<super::UsageRecord, DbError> {
        let row: (i64, i64, i64, i64, i64, i64, i64, i64, i64) = with_pool!(self, pool => {
            sqlx::query_as(
                "select cast(coalesce(sum(spans), 0) as bigint), cast(coalesce(sum(traces), 0) as bigint), \
                 cast(coalesce(sum(errors), 0) as bigint), cast(coalesce(sum(llm_calls), 0) as bigint), \
                 cast(coalesce(sum(input_tokens), 0) as bigint), cast(coalesce(sum(output_tokens), 0) as bigint), \
                 cast(coalesce(sum(cost_micros), 0) as bigint), cast(coalesce(sum(trace_duration_ns), 0) as bigint), \
                 cast(coalesce(sum(sampled_out), 0) as bigint) from usage_minutes where agent = $1",
            )
            .bind(agent)
            .fetch_one(pool)
            .await?
        });
        Ok(super::UsageRecord {
            agent: agent.to_string(),
            minute: 0,
            spans: row.0,
            traces: row.1,
            errors: row.2,
            llm_calls: row.3,
            input_tokens: row.4,
            output_tokens: row.5,
            cost_micros: row.6,
            trace_duration_ns: row.7,
            sampled_out: row.8,
            ..super::UsageRecord::default()
        })
    }
}
