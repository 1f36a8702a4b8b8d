//! Stored anomalies: opened, updated with each hour judged while open, closed.

use crate::{DbError, Store, with_pool};
use warden_domain::metrics::anomaly::Anomaly;

pub(crate) const COLUMNS: &str = "id, agent, metric, window_start, window_end, observed, baseline, z, \
     direction, opened_at, closed_at, updated_at";

#[derive(sqlx::FromRow)]
pub(crate) struct AnomalyRow {
    id: i64,
    agent: String,
    metric: String,
    window_start: i64,
    window_end: i64,
    observed: f64,
    baseline: f64,
    z: f64,
    direction: String,
    opened_at: i64,
    closed_at: Option<i64>,
    updated_at: i64,
}

impl From<AnomalyRow> for Anomaly {
    fn from(r: AnomalyRow) -> Anomaly {
        Anomaly {
            id: r.id,
            agent: r.agent,
            metric: r.metric,
            window_start: r.window_start,
            window_end: r.window_end,
            observed: r.observed,
            baseline: r.baseline,
            z: r.z,
            direction: r.direction,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            updated_at: r.updated_at,
        }
    }
}

impl Store {
    /// Opens an anomaly; an agent's metric has one open at most, so a second opening of the
    /// same one (another replica's pass) is a no-op that returns `None`.
    pub async fn open_anomaly(&self, a: &Anomaly) -> Result<Option<Anomaly>, DbError> {
        let sql = format!(
            "insert into anomalies (agent, metric, window_start, window_end, observed, baseline, \
             z, direction, opened_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             on conflict (agent, metric) where closed_at is null do nothing returning {COLUMNS}"
        );
        let row: Option<AnomalyRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(&a.agent)
                .bind(&a.metric)
                .bind(a.window_start)
                .bind(a.window_end)
                .bind(a.observed)
                .bind(a.baseline)
                .bind(a.z)
                .bind(&a.direction)
                .bind(a.opened_at)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    /// Records the latest hour judged of an open anomaly, and closes it at `closed_at`.
    pub async fn update_anomaly(&self, a: &Anomaly, closed_at: Option<i64>) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "update anomalies set window_start = $2, window_end = $3, observed = $4, \
                 baseline = $5, z = $6, direction = $7, updated_at = $8, closed_at = $9 \
                 where id = $1 and closed_at is null",
            )
            .bind(a.id)
            .bind(a.window_start)
            .bind(a.window_end)
            .bind(a.observed)
            .bind(a.baseline)
            .bind(a.z)
            .bind(&a.direction)
            .bind(a.updated_at)
            .bind(closed_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Anomalies, newest first: the open ones only, or also those closed since `since`.
    pub async fn list_anomalies(
        &self,
        open_only: bool,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Anomaly>, DbError> {
        let sql = format!(
            "select {COLUMNS} from anomalies where closed_at is null \
             or ($1 = 0 and closed_at >= $2) order by opened_at desc, id desc limit $3"
        );
        let rows: Vec<AnomalyRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(i32::from(open_only))
                .bind(since)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
