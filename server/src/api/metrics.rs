//! `/api/v1/metrics/...`: the seed's metrics hierarchy as JSON, the twins of the
//! dashboards. `from` and `to` are RFC 3339 (default: the last 24 hours); rates are
//! fractions, a metric without data is `null`.

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use warden_domain::metrics::report::{AgentDetailMetrics, AgentsMetrics, SystemMetrics};
use warden_services::Actor;

const DAY_MS: i64 = 86_400_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    /// The series' step (`5m`, `1h`, `1d`); by default about a hundred steps.
    step: Option<String>,
}

/// An RFC 3339 time as epoch ms.
fn parse_time(name: &str, text: &str) -> Result<i64, ApiError> {
    let t =
        time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
            .map_err(|_| {
                ApiError::bad_request(format!(
                    "`{name}` must be an RFC 3339 time such as 2026-12-01T00:00:00Z"
                ))
            })?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
        .map_err(|_| ApiError::bad_request(format!("`{name}` is out of range")))
}

/// `[from, to)` in epoch ms from the query, defaulting to the 24 hours before now.
pub(crate) fn range(
    state: &AppState,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(i64, i64), ApiError> {
    let to = match to {
        Some(t) => parse_time("to", t)?,
        None => state.services.now(),
    };
    let from = match from {
        Some(f) => parse_time("from", f)?,
        None => to - DAY_MS,
    };
    Ok((from, to))
}

/// About a hundred steps of a round size for a range.
fn default_step(range_ms: i64) -> i64 {
    const STEPS: [i64; 7] = [
        60_000,
        300_000,
        900_000,
        3_600_000,
        6 * 3_600_000,
        DAY_MS,
        7 * DAY_MS,
    ];
    STEPS
        .into_iter()
        .find(|&s| range_ms / s <= 120)
        .unwrap_or(7 * DAY_MS)
}

pub async fn system(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<SystemMetrics>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let (from, to) = range(&state, q.from.as_deref(), q.to.as_deref())?;
    let metrics = state
        .services
        .system_metrics(&Actor::User(user), from, to, None)
        .await?;
    Ok(Json(metrics))
}

pub async fn agents(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<AgentsMetrics>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let (from, to) = range(&state, q.from.as_deref(), q.to.as_deref())?;
    let metrics = state
        .services
        .fleet_agent_metrics(&Actor::User(user), from, to)
        .await?;
    Ok(Json(metrics))
}

pub async fn agent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<AgentDetailMetrics>, ApiError> {
    let Path(name) = name.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let (from, to) = range(&state, q.from.as_deref(), q.to.as_deref())?;
    let step = match q.step.as_deref() {
        None => default_step(to - from),
        Some(text) => {
            let step = warden_domain::duration::parse_duration(text)
                .map_err(|e| ApiError::bad_request(format!("`step`: {e}")))?;
            let ms = i64::try_from(step.as_millis()).unwrap_or(i64::MAX);
            if ms < 60_000
                || !(ms % DAY_MS == 0 || (ms < DAY_MS && ms % 60_000 == 0 && DAY_MS % ms == 0))
            {
                return Err(ApiError::bad_request(
                    "`step` is whole minutes that divide a day (1m, 5m, 15m, 1h, 6h...) or whole days",
                ));
            }
            ms
        }
    };
    let metrics = state
        .services
        .agent_detail_metrics(&Actor::User(user), &name, from, to, step)
        .await?;
    Ok(Json(metrics))
}

/// `GET /api/v1/metrics/models?from=&to=`: spend by model (finance, CTOs, admins).
pub async fn models(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<RangeQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let (from, to) = range(&state, q.from.as_deref(), q.to.as_deref())?;
    let models = state
        .services
        .model_metrics(&Actor::User(user), from, to)
        .await?;
    Ok(Json(serde_json::json!({
        "currency": state.services.currency(),
        "models": models,
    })))
}

/// `GET /api/v1/recommendations`: cost recommendations from the last week, each with its
/// evidence and estimated monthly saving (finance, CTOs, admins).
pub async fn recommendations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state.services.recommendations(&Actor::User(user)).await?;
    Ok(Json(serde_json::json!({
        "currency": state.services.currency(),
        "window_days": warden_services::recommendations::WINDOW_DAYS,
        "recommendations": list,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnomalyQuery {
    /// `open` (default) or `all` (with those closed in the last 30 days).
    status: Option<String>,
}

/// An anomaly as the API sends it: times in RFC 3339.
#[derive(serde::Serialize)]
pub struct AnomalyView {
    id: i64,
    agent: String,
    metric: String,
    window_start: String,
    window_end: String,
    observed: f64,
    baseline: f64,
    z: f64,
    direction: String,
    opened_at: String,
    closed_at: Option<String>,
}

pub async fn anomalies(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<AnomalyQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    use warden_domain::timefmt::iso_utc;
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let all = match q.status.as_deref() {
        None | Some("open") => false,
        Some("all") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "status {other:?} is not one of open, all"
            )));
        }
    };
    let list = state
        .services
        .list_anomalies(&Actor::User(user), all)
        .await?;
    let views: Vec<AnomalyView> = list
        .into_iter()
        .map(|a| AnomalyView {
            id: a.id,
            agent: a.agent,
            metric: a.metric,
            window_start: iso_utc(a.window_start),
            window_end: iso_utc(a.window_end),
            observed: a.observed,
            baseline: a.baseline,
            z: a.z,
            direction: a.direction,
            opened_at: iso_utc(a.opened_at),
            closed_at: a.closed_at.map(iso_utc),
        })
        .collect();
    Ok(Json(serde_json::json!({ "anomalies": views })))
}
