//! PII events as the pages and the API read them, and the batch PII scan's work: the spans
//! it has not seen yet, and what it made of one.

use super::traces::PiiRow;
use crate::{DbError, Store, with_pool};
use warden_domain::telemetry::PiiEventInfo;

/// A span the batch PII scan has not seen: its texts and where they go back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingScan {
    pub id: i64,
    pub agent: String,
    pub trace_id: String,
    pub span_id: String,
    pub input: Option<String>,
    pub output: Option<String>,
    pub attributes_json: String,
}

impl Store {
    /// PII events, newest first, optionally of one agent and since a time.
    pub async fn list_pii_events(
        &self,
        agent: Option<&str>,
        since_ms: Option<i64>,
        limit: u32,
    ) -> Result<Vec<PiiEventInfo>, DbError> {
        let rows: Vec<PiiRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, agent, trace_id, span_id, field, kind, detected_at, stage \
                 from pii_events where ($1 is null or agent = $1) and detected_at >= $2 \
                 order by id desc limit $3",
            )
            .bind(agent)
            .bind(since_ms.unwrap_or(i64::MIN))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// PII events in `[from, to)` per `step_ms` period and kind: (period start, kind,
    /// count), for the Compliance page's chart.
    pub async fn pii_event_counts(
        &self,
        from: i64,
        to: i64,
        step_ms: i64,
    ) -> Result<Vec<(i64, String, i64)>, DbError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "select detected_at - (detected_at % $3) as period, kind, count(*) \
                 from pii_events where detected_at >= $1 and detected_at < $2 \
                 group by period, kind order by period, kind",
            )
            .bind(from)
            .bind(to)
            .bind(step_ms)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Spans the batch PII scan has not seen yet, oldest first.
    pub async fn pending_pii_scans(&self, limit: u32) -> Result<Vec<PendingScan>, DbError> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, agent, trace_id, span_id, input, output, attributes as attributes_json \
                 from spans where pii_pending order by id limit $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Stores what the batch scan made of one span: redacted text where it found PII,
    /// its events, the trace's PII count and tag; the span is no longer pending.
    pub async fn finish_pii_scan(
        &self,
        scan: &PendingScan,
        redacted: bool,
        events: &[super::PiiEventRecord],
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if redacted {
                sqlx::query(
                    "update spans set input = $2, output = $3, attributes = $4, redacted = true, \
                     pii_pending = false where id = $1",
                )
                .bind(scan.id)
                .bind(&scan.input)
                .bind(&scan.output)
                .bind(&scan.attributes_json)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query("update spans set pii_pending = false where id = $1")
                    .bind(scan.id)
                    .execute(&mut *tx)
                    .await?;
            }
            for event in events {
                sqlx::query(
                    "insert into pii_events (agent, trace_id, span_id, field, kind, stage, \
                     detected_at, span_row) values ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&event.agent)
                .bind(&event.trace_id)
                .bind(&event.span_id)
                .bind(&event.field)
                .bind(&event.kind)
                .bind(event.stage)
                .bind(event.detected_at)
                .bind(scan.id)
                .execute(&mut *tx)
                .await?;
            }
            let pii = i64::try_from(events.iter().filter(|e| e.kind != "SECRET").count()).unwrap_or(0);
            if pii > 0 {
                sqlx::query(
                    "update traces set pii_count = pii_count + $2, tags = case \
                     when tags like '% pii %' then tags else tags || 'pii ' end where trace_id = $1",
                )
                .bind(&scan.trace_id)
                .bind(pii)
                .execute(&mut *tx)
                .await?;

            }
            tx.commit().await?;
        });
        Ok(())
    }
}
