//! Trace summaries: a commit's share of each trace, merged into the trace's summary row,
//! written the way each engine takes it fastest.

use super::records::SpanRecord;
use crate::DbError;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Postgres, QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Rows per SQLite upsert: 250 x 19 columns stays well under its bound parameters.
const SQLITE_CHUNK: usize = 250;

const TRACE_COLUMNS: &str = "trace_id, agent, name, root_span_id, start_ns, start_s, end_ns, \
     span_count, error_count, input_tokens, output_tokens, cost_micros, model, environment, \
     conversation_id, pii_count, tags, span_ids, received_at";

/// A trace's share of a commit, merged into its summary row.
#[derive(Debug, Clone)]
pub(super) struct TraceDelta {
    pub(super) trace_id: String,
    pub(super) agent: String,
    pub(super) name: String,
    pub(super) root_span_id: Option<String>,
    pub(super) start_ns: i64,
    pub(super) end_ns: i64,
    pub(super) span_count: i64,
    pub(super) error_count: i64,
    pub(super) input_tokens: i64,
    pub(super) output_tokens: i64,
    pub(super) cost_micros: i64,
    pub(super) model: Option<String>,
    pub(super) environment: Option<String>,
    pub(super) conversation_id: Option<String>,
    pub(super) pii_count: i64,
    /// ` tag1 tag2 `: framed by spaces, so that `like '% tag %'` finds a tag.
    pub(super) tags: String,
    /// `12,13,17,`: the row ids of the trace's spans in this commit.
    pub(super) span_ids: String,
}

pub(super) fn trace_deltas(
    spans: &[&SpanRecord],
    tags: &HashMap<&str, Vec<&str>>,
) -> Vec<TraceDelta> {
    let mut by_trace: HashMap<String, TraceDelta> = HashMap::new();
    let mut order = Vec::new();
    for record in spans {
        let span = &record.span;
        let trace_id = span.trace_id.to_hex();
        let is_root = span.parent_span_id.is_none();
        let delta = by_trace.entry(trace_id.clone()).or_insert_with(|| {
            order.push(trace_id.clone());
            TraceDelta {
                trace_id,
                agent: span.agent.clone(),
                name: span.name.clone(),
                root_span_id: None,
                start_ns: span.start_ns,
                end_ns: span.end_ns,
                span_count: 0,
                error_count: 0,
                input_tokens: 0,
                output_tokens: 0,
                cost_micros: 0,
                model: None,
                environment: None,
                conversation_id: None,
                pii_count: 0,
                tags: String::new(),
                span_ids: String::new(),
            }
        });
        if is_root {
            delta.root_span_id = Some(span.span_id.to_hex());
            delta.name = span.name.clone();
            delta.agent = span.agent.clone();
        } else if delta.root_span_id.is_none() && span.start_ns < delta.start_ns {
            delta.name = span.name.clone();
        }
        delta.start_ns = delta.start_ns.min(span.start_ns);
        delta.end_ns = delta.end_ns.max(span.end_ns);
        delta.span_count += 1;
        delta.error_count += i64::from(span.is_error());
        delta.input_tokens += span.usage.input.unwrap_or(0);
        delta.output_tokens += span.usage.output.unwrap_or(0);
        delta.cost_micros += record.cost_micros.unwrap_or(0);
        delta.pii_count += record.pii_count;
        if delta.model.is_none() {
            delta.model.clone_from(&span.model);
        }
        if delta.environment.is_none() {
            delta.environment.clone_from(&span.environment);
        }
        if delta.conversation_id.is_none() {
            delta.conversation_id.clone_from(&span.conversation_id);
        }
    }
    order
        .into_iter()
        .filter_map(|id| by_trace.remove(&id))
        .map(|mut delta| {
            let mut list = tags
                .get(delta.trace_id.as_str())
                .cloned()
                .unwrap_or_default();
            list.sort_unstable();
            list.dedup();
            delta.tags = format!(" {} ", list.join(" ")).replace("  ", " ");
            delta
        })
        .collect()
}

/// The summary upsert; the engines spell the two-argument minimum differently.
fn trace_upsert_tail(least: &str, greatest: &str) -> String {
    format!(
        " on conflict (trace_id) do update set \
         name = case when excluded.root_span_id is not null then excluded.name \
           when traces.root_span_id is null and excluded.start_ns < traces.start_ns \
           then excluded.name else traces.name end, \
         agent = case when excluded.root_span_id is not null then excluded.agent \
           else traces.agent end, \
         root_span_id = coalesce(traces.root_span_id, excluded.root_span_id), \
         start_ns = {least}(traces.start_ns, excluded.start_ns), \
         start_s = {least}(traces.start_s, excluded.start_s), \
         end_ns = {greatest}(traces.end_ns, excluded.end_ns), \
         span_count = traces.span_count + excluded.span_count, \
         error_count = traces.error_count + excluded.error_count, \
         input_tokens = traces.input_tokens + excluded.input_tokens, \
         output_tokens = traces.output_tokens + excluded.output_tokens, \
         cost_micros = traces.cost_micros + excluded.cost_micros, \
         model = coalesce(traces.model, excluded.model), \
         environment = coalesce(traces.environment, excluded.environment), \
         conversation_id = coalesce(traces.conversation_id, excluded.conversation_id), \
         pii_count = traces.pii_count + excluded.pii_count, \
         tags = traces.tags || ltrim(excluded.tags), \
         span_ids = traces.span_ids || excluded.span_ids"
    )
}

/// A trace's summary after the commit, as the upsert returns it: what its cost check and
/// its interaction count need.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct TraceTotals {
    pub(super) trace_id: String,
    pub(super) agent: String,
    pub(super) cost_micros: i64,
    pub(super) start_ns: i64,
    pub(super) end_ns: i64,
    pub(super) error_count: i64,
    pub(super) has_root: bool,
}

const RETURNING: &str = " returning trace_id, agent, cost_micros, start_ns, end_ns, error_count, \
     root_span_id is not null as has_root";

/// SQLite: multi-row upserts, each returning the traces' totals after the commit. `or fail`
/// spares SQLite the statement journal (as for the spans, see
/// `span_insert::insert_sqlite`); the `on conflict` clause still decides for the trace id.
pub(super) async fn upsert_sqlite(
    conn: &mut SqliteConnection,
    deltas: &[TraceDelta],
    received_at: i64,
) -> Result<Vec<TraceTotals>, DbError> {
    let tail = trace_upsert_tail("min", "max");
    let mut out = Vec::new();
    for chunk in deltas.chunks(SQLITE_CHUNK) {
        let mut query: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("insert or fail into traces ({TRACE_COLUMNS}) "));
        query.push_values(chunk, |mut row, d| {
            row.push_bind(&d.trace_id)
                .push_bind(&d.agent)
                .push_bind(&d.name)
                .push_bind(&d.root_span_id)
                .push_bind(d.start_ns)
                .push_bind(d.start_ns.div_euclid(1_000_000_000))
                .push_bind(d.end_ns)
                .push_bind(d.span_count)
                .push_bind(d.error_count)
                .push_bind(d.input_tokens)
                .push_bind(d.output_tokens)
                .push_bind(d.cost_micros)
                .push_bind(&d.model)
                .push_bind(&d.environment)
                .push_bind(&d.conversation_id)
                .push_bind(d.pii_count)
                .push_bind(&d.tags)
                .push_bind(&d.span_ids)
                .push_bind(received_at);
        });
        query.push(&tail);
        query.push(RETURNING);
        out.extend(query.build_query_as().fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// PostgreSQL: one statement, a parameter array per column, unnested (see
/// `span_insert::insert_postgres` for why).
pub(super) async fn upsert_postgres(
    conn: &mut PgConnection,
    deltas: &[TraceDelta],
    received_at: i64,
) -> Result<Vec<TraceTotals>, DbError> {
    if deltas.is_empty() {
        return Ok(Vec::new());
    }
    let column = |f: fn(&TraceDelta) -> i64| deltas.iter().map(f).collect::<Vec<i64>>();
    let text =
        |f: for<'a> fn(&'a TraceDelta) -> &'a str| deltas.iter().map(f).collect::<Vec<&str>>();
    let optional =
        |f: for<'a> fn(&'a TraceDelta) -> Option<&'a str>| deltas.iter().map(f).collect::<Vec<_>>();
    let query = sqlx::query_as::<Postgres, TraceTotals>(&PG_UPSERT)
        .bind(text(|d| &d.trace_id))
        .bind(text(|d| &d.agent))
        .bind(text(|d| &d.name))
        .bind(optional(|d| d.root_span_id.as_deref()))
        .bind(column(|d| d.start_ns))
        .bind(column(|d| d.start_ns.div_euclid(1_000_000_000)))
        .bind(column(|d| d.end_ns))
        .bind(column(|d| d.span_count))
        .bind(column(|d| d.error_count))
        .bind(column(|d| d.input_tokens))
        .bind(column(|d| d.output_tokens))
        .bind(column(|d| d.cost_micros))
        .bind(optional(|d| d.model.as_deref()))
        .bind(optional(|d| d.environment.as_deref()))
        .bind(optional(|d| d.conversation_id.as_deref()))
        .bind(column(|d| d.pii_count))
        .bind(text(|d| &d.tags))
        .bind(text(|d| &d.span_ids))
        .bind(received_at);
    Ok(query.fetch_all(&mut *conn).await?)
}

static PG_UPSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "insert into traces ({TRACE_COLUMNS}) \
         select c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, \
           c18, $19 \
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], \
           $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], \
           $11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::text[], \
           $16::bigint[], $17::text[], $18::text[]) \
           as u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, \
           c18){}{RETURNING}",
        trace_upsert_tail("least", "greatest")
    )
});
