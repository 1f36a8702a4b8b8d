//! The span rows of an ingest commit, written the way each engine takes them fastest, and
//! the row id each span was given (a trace's summary lists them; a PII event points to one).

use super::records::SpanRecord;
use crate::DbError;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Postgres, QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::sync::LazyLock;

const SPAN_COLUMNS: &str = "trace_id, span_id, parent_span_id, agent, name, kind, start_s, \
     start_ns, end_ns, status, status_message, error_type, operation, provider, model, \
     input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, \
     reported_cost_usd, cost_micros, cost_basis, tool_name, conversation_id, session_id, \
     user_id, environment, service_version, input, output, attributes, events, redacted, \
     pii_pending, received_at, resource_id";

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
///
/// `or fail`: a multi-row insert that may abort midway (a `not null` column's default
/// conflict action) makes SQLite copy every page it touches to a statement journal first,
/// so that the statement alone can be undone; that copy was 17% of the writer thread's time
/// (perf, ingest benchmark). A failed row fails the whole commit, whose transaction is then
/// rolled back, so the rows before it need no undoing of their own.
pub(super) async fn insert_sqlite(
    conn: &mut SqliteConnection,
    spans: &[&SpanRecord],
    resource_ids: &ResourceIds<'_>,
    received_at: i64,
    want_span_ids: bool,
) -> Result<Vec<SpanRow>, DbError> {
    let mut rows = Vec::with_capacity(spans.len());
    for chunk in spans.chunks(SQLITE_CHUNK) {
        let mut query: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("insert or fail into spans ({SPAN_COLUMNS}) "));
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
    let mut c = Columns::with_capacity(spans.len());
    for record in spans {
        c.push(record, resource_id(record, resource_ids));
    }
    let returned: Vec<(i64, String, String)> = sqlx::query_as::<Postgres, _>(&PG_SPAN_INSERT)
        .bind(c.trace_id)
        .bind(c.span_id)
        .bind(c.parent_span_id)
        .bind(c.agent)
        .bind(c.name)
        .bind(c.kind)
        .bind(c.start_s)
        .bind(c.start_ns)
        .bind(c.end_ns)
        .bind(c.status)
        .bind(c.status_message)
        .bind(c.error_type)
        .bind(c.operation)
        .bind(c.provider)
        .bind(c.model)
        .bind(c.input_tokens)
        .bind(c.output_tokens)
        .bind(c.cache_read_tokens)
        .bind(c.cache_write_tokens)
        .bind(c.reasoning_tokens)
        .bind(c.reported_cost_usd)
        .bind(c.cost_micros)
        .bind(c.cost_basis)
        .bind(c.tool_name)
        .bind(c.conversation_id)
        .bind(c.session_id)
        .bind(c.user_id)
        .bind(c.environment)
        .bind(c.service_version)
        .bind(c.input)
        .bind(c.output)
        .bind(c.attributes)
        .bind(c.events)
        .bind(c.redacted)
        .bind(c.pii_pending)
        .bind(received_at)
        .bind(c.resource_id)
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

static PG_SPAN_INSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "insert into spans ({SPAN_COLUMNS}) \
     select c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, \
       c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, \
       $36, c37 \
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
       $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], \
       $13::text[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[], \
       $19::bigint[], $20::bigint[], $21::float8[], $22::bigint[], $23::text[], $24::text[], \
       $25::text[], $26::text[], $27::text[], $28::text[], $29::text[], $30::text[], \
       $31::text[], $32::text[], $33::text[], $34::boolean[], $35::boolean[], $37::bigint[]) \
       as u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, \
       c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, \
       c37) \
     returning id, trace_id, span_id"
    )
});

/// The spans' values, a vector per column.
struct Columns<'a> {
    trace_id: Vec<String>,
    span_id: Vec<String>,
    parent_span_id: Vec<Option<String>>,
    agent: Vec<&'a str>,
    name: Vec<&'a str>,
    kind: Vec<&'static str>,
    start_s: Vec<i64>,
    start_ns: Vec<i64>,
    end_ns: Vec<i64>,
    status: Vec<&'static str>,
    status_message: Vec<Option<&'a str>>,
    error_type: Vec<Option<&'a str>>,
    operation: Vec<Option<&'a str>>,
    provider: Vec<Option<&'a str>>,
    model: Vec<Option<&'a str>>,
    input_tokens: Vec<Option<i64>>,
    output_tokens: Vec<Option<i64>>,
    cache_read_tokens: Vec<Option<i64>>,
    cache_write_tokens: Vec<Option<i64>>,
    reasoning_tokens: Vec<Option<i64>>,
    reported_cost_usd: Vec<Option<f64>>,
    cost_micros: Vec<Option<i64>>,
    cost_basis: Vec<Option<&'a str>>,
    tool_name: Vec<Option<&'a str>>,
    conversation_id: Vec<Option<&'a str>>,
    session_id: Vec<Option<&'a str>>,
    user_id: Vec<Option<&'a str>>,
    environment: Vec<Option<&'a str>>,
    service_version: Vec<Option<&'a str>>,
    input: Vec<Option<&'a str>>,
    output: Vec<Option<&'a str>>,
    attributes: Vec<&'a str>,
    events: Vec<&'a str>,
    redacted: Vec<bool>,
    pii_pending: Vec<bool>,
    resource_id: Vec<Option<i64>>,
}

impl<'a> Columns<'a> {
    fn with_capacity(n: usize) -> Columns<'a> {
        Columns {
            trace_id: Vec::with_capacity(n),
            span_id: Vec::with_capacity(n),
            parent_span_id: Vec::with_capacity(n),
            agent: Vec::with_capacity(n),
            name: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            start_s: Vec::with_capacity(n),
            start_ns: Vec::with_capacity(n),
            end_ns: Vec::with_capacity(n),
            status: Vec::with_capacity(n),
            status_message: Vec::with_capacity(n),
            error_type: Vec::with_capacity(n),
            operation: Vec::with_capacity(n),
            provider: Vec::with_capacity(n),
            model: Vec::with_capacity(n),
            input_tokens: Vec::with_capacity(n),
            output_tokens: Vec::with_capacity(n),
            cache_read_tokens: Vec::with_capacity(n),
            cache_write_tokens: Vec::with_capacity(n),
            reasoning_tokens: Vec::with_capacity(n),
            reported_cost_usd: Vec::with_capacity(n),
            cost_micros: Vec::with_capacity(n),
            cost_basis: Vec::with_capacity(n),
            tool_name: Vec::with_capacity(n),
            conversation_id: Vec::with_capacity(n),
            session_id: Vec::with_capacity(n),
            user_id: Vec::with_capacity(n),
            environment: Vec::with_capacity(n),
            service_version: Vec::with_capacity(n),
            input: Vec::with_capacity(n),
            output: Vec::with_capacity(n),
            attributes: Vec::with_capacity(n),
            events: Vec::with_capacity(n),
            redacted: Vec::with_capacity(n),
            pii_pending: Vec::with_capacity(n),
            resource_id: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, record: &'a SpanRecord, resource_id: Option<i64>) {
        let span = &record.span;
        self.trace_id.push(span.trace_id.to_hex());
        self.span_id.push(span.span_id.to_hex());
        self.parent_span_id
            .push(span.parent_span_id.map(|p| p.to_hex()));
        self.agent.push(&span.agent);
        self.name.push(&span.name);
        self.kind.push(span.kind.as_str());
        self.start_s.push(span.start_ns.div_euclid(1_000_000_000));
        self.start_ns.push(span.start_ns);
        self.end_ns.push(span.end_ns);
        self.status.push(span.status.as_str());
        self.status_message.push(span.status_message.as_deref());
        self.error_type.push(span.error_type.as_deref());
        self.operation.push(span.operation.as_deref());
        self.provider.push(span.provider.as_deref());
        self.model.push(span.model.as_deref());
        self.input_tokens.push(span.usage.input);
        self.output_tokens.push(span.usage.output);
        self.cache_read_tokens.push(span.usage.cache_read);
        self.cache_write_tokens.push(span.usage.cache_write);
        self.reasoning_tokens.push(span.usage.reasoning);
        self.reported_cost_usd.push(span.reported_cost_usd);
        self.cost_micros.push(record.cost_micros);
        self.cost_basis.push(record.cost_basis.as_deref());
        self.tool_name.push(span.tool_name.as_deref());
        self.conversation_id.push(span.conversation_id.as_deref());
        self.session_id.push(span.session_id.as_deref());
        self.user_id.push(span.user_id.as_deref());
        self.environment.push(span.environment.as_deref());
        self.service_version.push(span.service_version.as_deref());
        self.input.push(span.input.as_deref());
        self.output.push(span.output.as_deref());
        self.attributes.push(&record.attributes_json);
        self.events.push(&record.events_json);
        self.redacted.push(record.redacted);
        self.pii_pending.push(record.pii_pending);
        self.resource_id.push(resource_id);
    }
}
