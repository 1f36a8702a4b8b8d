//! The span rows of an ingest commit, written the way each engine takes them fastest, and
//! the row id each span was given (a trace's summary lists them; a PII event points to one).

use super::bulk::{self, Columns, column};
use super::records::SpanRecord;
use crate::DbError;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Postgres, QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::sync::LazyLock;

const SPAN_COLUMNS: &Columns = &[
    ("trace_id", "text[]"),
    ("span_id", "text[]"),
    ("parent_span_id", "text[]"),
    ("agent", "text[]"),
    ("name", "text[]"),
    ("kind", "text[]"),
    ("start_s", "bigint[]"),
    ("start_ns", "bigint[]"),
    ("end_ns", "bigint[]"),
    ("status", "text[]"),
    ("status_message", "text[]"),
    ("error_type", "text[]"),
    ("operation", "text[]"),
    ("provider", "text[]"),
    ("model", "text[]"),
    ("input_tokens", "bigint[]"),
    ("output_tokens", "bigint[]"),
    ("cache_read_tokens", "bigint[]"),
    ("cache_write_tokens", "bigint[]"),
    ("reasoning_tokens", "bigint[]"),
    ("reported_cost_usd", "float8[]"),
    ("cost_micros", "bigint[]"),
    ("cost_basis", "text[]"),
    ("tool_name", "text[]"),
    ("conversation_id", "text[]"),
    ("session_id", "text[]"),
    ("user_id", "text[]"),
    ("environment", "text[]"),
    ("service_version", "text[]"),
    ("input", "text[]"),
    ("output", "text[]"),
    ("attributes", "text[]"),
    ("events", "text[]"),
    ("redacted", "boolean[]"),
    ("pii_pending", "boolean[]"),
    ("received_at", "bigint[]"),
    ("resource_id", "bigint[]"),
];

static SQLITE_SPAN_INSERT: LazyLock<String> =
    LazyLock::new(|| format!("insert into spans ({}) ", bulk::names(SPAN_COLUMNS)));

static PG_SPAN_INSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} returning id, trace_id, span_id",
        bulk::unnest_insert("spans", SPAN_COLUMNS)
    )
});

/// Rows per SQLite insert: 500 spans x 37 columns stays under its 32,766 bound parameters,
/// and one statement text keeps the prepared-statement cache warm.
const SQLITE_CHUNK: usize = 500;

/// A stored span's row id, with its trace and (when asked for) its span id.
pub(super) struct SpanRow {
    pub id: i64,
    pub trace_id: String,
    pub span_id: Option<String>,
}

/// The spans' own resource rows, by resource digest.
pub(super) type ResourceIds<'a> = HashMap<&'a str, i64>;

fn resource_id(record: &SpanRecord, resource_ids: &ResourceIds<'_>) -> Option<i64> {
    record
        .resource
        .as_ref()
        .and_then(|r| resource_ids.get(r.digest.as_str()).copied())
}

/// SQLite: multi-row inserts. A multi-row insert numbers its rows consecutively in VALUES
/// order and no other writer can take ids in between (one writer, `autoincrement`), so the
/// ids follow from the last one. Returning them instead made the insert take 33 µs a span
/// rather than 19 (ingest benchmark, back to back: 12,000 spans/s against 13,400-14,000):
/// sqlx builds every returned row on its worker thread and hands it over one by one.
pub(super) async fn insert_sqlite(
    conn: &mut SqliteConnection,
    spans: &[&SpanRecord],
    resource_ids: &ResourceIds<'_>,
    received_at: i64,
    want_span_ids: bool,
) -> Result<Vec<SpanRow>, DbError> {
    let mut rows = Vec::with_capacity(spans.len());
    for chunk in spans.chunks(SQLITE_CHUNK) {
        let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(SQLITE_SPAN_INSERT.as_str());
        query.push_values(chunk, |mut row, record| {
            let span = &record.span;
            row.push_bind(span.trace_id.to_hex())
                .push_bind(span.span_id.to_hex())
                .push_bind(span.parent_span_id.map(|p| p.to_hex()))
                .push_bind(&span.agent)
                .push_bind(&span.name)
                .push_bind(span.kind.as_str())
                .push_bind(span.start_ns.div_euclid(1_000_000_000))
                .push_bind(span.start_ns)
                .push_bind(span.end_ns)
                .push_bind(span.status.as_str())
                .push_bind(&span.status_message)
                .push_bind(&span.error_type)
                .push_bind(&span.operation)
                .push_bind(&span.provider)
                .push_bind(&span.model)
                .push_bind(span.usage.input)
                .push_bind(span.usage.output)
                .push_bind(span.usage.cache_read)
                .push_bind(span.usage.cache_write)
                .push_bind(span.usage.reasoning)
                .push_bind(span.reported_cost_usd)
                .push_bind(record.cost_micros)
                .push_bind(&record.cost_basis)
                .push_bind(&span.tool_name)
                .push_bind(&span.conversation_id)
                .push_bind(&span.session_id)
                .push_bind(&span.user_id)
                .push_bind(&span.environment)
                .push_bind(&span.service_version)
                .push_bind(&span.input)
                .push_bind(&span.output)
                .push_bind(&record.attributes_json)
                .push_bind(&record.events_json)
                .push_bind(record.redacted)
                .push_bind(record.pii_pending)
                .push_bind(received_at)
                .push_bind(resource_id(record, resource_ids));
        });
        let done = query.build().execute(&mut *conn).await?;
        let n = chunk.len() as i64;
        if done.rows_affected() != n as u64 {
            return Err(DbError::Invalid(
                "the span insert did not store every row".into(),
            ));
        }
        let last = done.last_insert_rowid();
        for (id, record) in (last - n + 1..).zip(chunk) {
            rows.push(SpanRow {
                id,
                trace_id: record.span.trace_id.to_hex(),
                span_id: want_span_ids.then(|| record.span.span_id.to_hex()),
            });
        }
    }
    Ok(rows)
}

/// PostgreSQL: one statement whose parameters are a column each, as arrays, unnested into
/// rows. A multi-row VALUES of 500 spans bound 18,500 parameters, and PostgreSQL built
/// and checked an expression for each (a fifth of its CPU under the ingest benchmark,
/// perf); arrays are decoded in one pass, and the statement text is the same whatever
/// the number of spans. Concurrent commits interleave their identity values, so the ids
/// are returned, with the spans they belong to.
pub(super) async fn insert_postgres(
    conn: &mut PgConnection,
    spans: &[&SpanRecord],
    resource_ids: &ResourceIds<'_>,
    received_at: i64,
    _want_span_ids: bool,
) -> Result<Vec<SpanRow>, DbError> {
    if spans.is_empty() {
        return Ok(Vec::new());
    }
    let returned: Vec<(i64, String, String)> = sqlx::query_as::<Postgres, _>(&PG_SPAN_INSERT)
        .bind(column!(spans, |r| r.span.trace_id.to_hex()))
        .bind(column!(spans, |r| r.span.span_id.to_hex()))
        .bind(column!(spans, |r| r
            .span
            .parent_span_id
            .map(|p| p.to_hex())))
        .bind(column!(spans, |r| r.span.agent.as_str()))
        .bind(column!(spans, |r| r.span.name.as_str()))
        .bind(column!(spans, |r| r.span.kind.as_str()))
        .bind(column!(spans, |r| r
            .span
            .start_ns
            .div_euclid(1_000_000_000)))
        .bind(column!(spans, |r| r.span.start_ns))
        .bind(column!(spans, |r| r.span.end_ns))
        .bind(column!(spans, |r| r.span.status.as_str()))
        .bind(column!(spans, |r| r.span.status_message.as_deref()))
        .bind(column!(spans, |r| r.span.error_type.as_deref()))
        .bind(column!(spans, |r| r.span.operation.as_deref()))
        .bind(column!(spans, |r| r.span.provider.as_deref()))
        .bind(column!(spans, |r| r.span.model.as_deref()))
        .bind(column!(spans, |r| r.span.usage.input))
        .bind(column!(spans, |r| r.span.usage.output))
        .bind(column!(spans, |r| r.span.usage.cache_read))
        .bind(column!(spans, |r| r.span.usage.cache_write))
        .bind(column!(spans, |r| r.span.usage.reasoning))
        .bind(column!(spans, |r| r.span.reported_cost_usd))
        .bind(column!(spans, |r| r.cost_micros))
        .bind(column!(spans, |r| r.cost_basis.as_deref()))
        .bind(column!(spans, |r| r.span.tool_name.as_deref()))
        .bind(column!(spans, |r| r.span.conversation_id.as_deref()))
        .bind(column!(spans, |r| r.span.session_id.as_deref()))
        .bind(column!(spans, |r| r.span.user_id.as_deref()))
        .bind(column!(spans, |r| r.span.environment.as_deref()))
        .bind(column!(spans, |r| r.span.service_version.as_deref()))
        .bind(column!(spans, |r| r.span.input.as_deref()))
        .bind(column!(spans, |r| r.span.output.as_deref()))
        .bind(column!(spans, |r| r.attributes_json.as_str()))
        .bind(column!(spans, |r| r.events_json.as_str()))
        .bind(column!(spans, |r| r.redacted))
        .bind(column!(spans, |r| r.pii_pending))
        .bind(vec![received_at; spans.len()])
        .bind(column!(spans, |r| resource_id(r, resource_ids)))
        .fetch_all(&mut *conn)
        .await?;
    if returned.len() != spans.len() {
        return Err(DbError::Invalid(
            "the span insert did not store every row".into(),
        ));
    }
    Ok(returned
        .into_iter()
        .map(|(id, trace_id, span_id)| SpanRow {
            id,
            trace_id,
            span_id: Some(span_id),
        })
        .collect())
}
