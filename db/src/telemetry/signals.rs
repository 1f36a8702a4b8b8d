//! Agents' OTLP metrics (per minute) and warning-and-above logs (agent events).

use crate::{DbError, Store, with_pool};
use serde::Serialize;
use sqlx::QueryBuilder;

/// One metric series' value in one minute.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MetricRecord {
    pub agent: String,
    pub minute: i64,
    pub name: String,
    pub series: String,
    /// `sum`, `gauge`, `histogram` or `summary`.
    pub kind: String,
    pub cumulative: bool,
    /// The sum (counters, histograms) or the value (gauges).
    pub value: f64,
    /// Observations (histograms, summaries); 0 otherwise.
    pub count: i64,
    pub unit: String,
}

/// A log record at WARN or above.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct EventRecord {
    pub agent: String,
    pub time_ns: i64,
    pub severity_number: i32,
    pub severity: String,
    pub body: String,
    pub trace_id: Option<String>,
    pub span_id: Option<String>,
    /// JSON object.
    pub attributes: String,
}

const METRIC_UPSERT_TAIL: &str = " on conflict (agent, minute, name, series) do update set \
     value = case when excluded.cumulative or excluded.kind = 'gauge' then excluded.value \
       else agent_metrics.value + excluded.value end, \
     count = case when excluded.cumulative then excluded.count \
       else agent_metrics.count + excluded.count end, \
     cumulative = excluded.cumulative, updated_at = excluded.updated_at";

impl Store {
    /// Stores one request's metrics and events in one transaction, registering agents
    /// nobody registered as unregistered.
    pub async fn commit_signals(
        &self,
        metrics: &[MetricRecord],
        events: &[EventRecord],
        agents_seen: &[(String, Option<String>)],
        now: i64,
    ) -> Result<(), DbError> {
        let lock = self.agent_row_lock();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let seen = super::ingest::distinct_agents(agents_seen.iter());
            super::ingest::mark_agents_seen!(tx, &seen, now, lock);
            // One statement per point: two points of one series and minute in the same
            // multi-row upsert would be refused ("cannot affect row a second time").
            let upsert = format!(
                "insert into agent_metrics (agent, minute, name, series, kind, cumulative, \
                 value, count, unit, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 {METRIC_UPSERT_TAIL}"
            );
            for m in metrics {
                sqlx::query(&upsert)
                    .bind(&m.agent)
                    .bind(m.minute)
                    .bind(&m.name)
                    .bind(&m.series)
                    .bind(&m.kind)
                    .bind(m.cumulative)
                    .bind(m.value)
                    .bind(m.count)
                    .bind(&m.unit)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            for chunk in events.chunks(500) {
                let mut query = QueryBuilder::new(
                    "insert into agent_events (agent, time_ns, severity_number, severity, body, \
                     trace_id, span_id, attributes, received_at) ",
                );
                query.push_values(chunk, |mut row, e| {
                    row.push_bind(&e.agent)
                        .push_bind(e.time_ns)
                        .push_bind(e.severity_number)
                        .push_bind(&e.severity)
                        .push_bind(&e.body)
                        .push_bind(&e.trace_id)
                        .push_bind(&e.span_id)
                        .push_bind(&e.attributes)
                        .push_bind(now);
                });
                query.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// An agent's latest events, newest first.
    pub async fn list_agent_events(
        &self,
        agent: &str,
        limit: u32,
    ) -> Result<Vec<EventRecord>, DbError> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, time_ns, severity_number, severity, body, trace_id, span_id, \
                 attributes from agent_events where agent = $1 order by time_ns desc, id desc limit $2",
            )
            .bind(agent)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// An agent's metric values from `since_ms` on, by name, series and minute.
    pub async fn list_agent_metrics(
        &self,
        agent: &str,
        since_ms: i64,
    ) -> Result<Vec<MetricRecord>, DbError> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, minute, name, series, kind, cumulative, value, count, unit \
                 from agent_metrics where agent = $1 and minute >= $2 \
                 order by name, series, minute limit 10000",
            )
            .bind(agent)
            .bind(since_ms)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
