//! `/api/v1/traces`, `/api/v1/agents`, `/api/v1/pii-events` and `/api/v1/ingest-keys`:
//! what the trace, agent and key pages show, as JSON.

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use warden_db::{EventRecord, MetricRecord};
use warden_domain::telemetry::summary::StatusFilter;
use warden_domain::telemetry::{
    AgentInfo, AgentSource, IngestKeyInfo, KeyScope, PiiEventInfo, PiiScanMode, TraceDetail,
    TraceFilter, TraceSummary,
};
use warden_services::Actor;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceQuery {
    agent: Option<String>,
    /// Epoch ms.
    from: Option<i64>,
    to: Option<i64>,
    tag: Option<String>,
    status: Option<String>,
    model: Option<String>,
    q: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
}

#[derive(Serialize)]
pub struct TracePage {
    traces: Vec<TraceSummary>,
    currency: String,
    /// Pass as `before` for the next page; absent on the last one.
    next_before: Option<i64>,
}

pub(super) fn nonempty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub async fn traces(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<TraceQuery>, QueryRejection>,
) -> Result<Json<TracePage>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let status = match nonempty(q.status).as_deref() {
        None => None,
        Some("error") => Some(StatusFilter::Error),
        Some("ok") => Some(StatusFilter::Ok),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "status {other:?} is not one of ok, error"
            )));
        }
    };
    let filter = TraceFilter {
        agent: nonempty(q.agent),
        from_ms: q.from,
        to_ms: q.to,
        tag: nonempty(q.tag),
        status,
        model: nonempty(q.model),
        text: nonempty(q.q),
        before_ns: q.before,
        limit: q.limit,
    };
    let traces = state
        .services
        .list_traces(&Actor::User(user), &filter)
        .await?;
    let next_before = (traces.len() == filter.limit() as usize)
        .then(|| traces.last().map(|t| t.start_ns))
        .flatten();
    Ok(Json(TracePage {
        traces,
        currency: state.config.pricing.currency.clone(),
        next_before,
    }))
}

pub async fn trace(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<TraceDetail>, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::bad_request("the trace id is 32 hex characters"))?;
    let detail = state
        .services
        .trace_detail(&Actor::User(user), &id, &state.config.pricing.currency)
        .await?;
    Ok(Json(detail))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiiQuery {
    agent: Option<String>,
    since: Option<i64>,
    limit: Option<u32>,
}

pub async fn pii_events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<PiiQuery>, QueryRejection>,
) -> Result<Json<Vec<PiiEventInfo>>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let agent = nonempty(q.agent);
    let events = state
        .services
        .list_pii_events(
            &Actor::User(user),
            agent.as_deref(),
            q.since,
            q.limit.unwrap_or(100),
        )
        .await?;
    Ok(Json(events))
}

pub async fn agents(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<AgentInfo>>, ApiError> {
    Ok(Json(state.services.list_agents(&Actor::User(user)).await?))
}

pub async fn agent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<AgentInfo>, ApiError> {
    let Path(name) = name.map_err(|_| ApiError::bad_request("bad agent name"))?;
    state
        .services
        .list_agents(&Actor::User(user))
        .await?
        .into_iter()
        .find(|a| a.name == name)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("agent not found"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentBody {
    name: String,
    sdk: Option<String>,
    owner: Option<String>,
    category: Option<String>,
    environment: Option<String>,
    policy: Option<String>,
    description: Option<String>,
    sample_rate: Option<f64>,
    pii_scan: Option<String>,
}

pub async fn save_agent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Result<Json<AgentBody>, JsonRejection>,
) -> Result<Json<AgentInfo>, ApiError> {
    let Json(body) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let pii_scan = match body.pii_scan.as_deref() {
        None => PiiScanMode::RealTime,
        Some(mode) => PiiScanMode::parse(mode).ok_or_else(|| {
            ApiError::bad_request(format!("pii_scan {mode:?} is not real-time or batch"))
        })?,
    };
    let agent = AgentInfo {
        name: body.name,
        source: AgentSource::Ui,
        sdk: body.sdk,
        owner: body.owner,
        category: body.category,
        environment: body.environment,
        policy: body.policy,
        description: body.description,
        sample_rate: body.sample_rate.unwrap_or(1.0),
        pii_scan,
        created_at: 0,
        last_seen_at: None,
    };
    let saved = state.services.save_agent(&Actor::User(user), agent).await?;
    refresh(&state).await;
    Ok(Json(saved))
}

pub async fn delete_agent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(name) = name.map_err(|_| ApiError::bad_request("bad agent name"))?;
    state
        .services
        .delete_agent(&Actor::User(user), &name)
        .await?;
    refresh(&state).await;
    Ok(StatusCode::NO_CONTENT)
}

async fn refresh(state: &AppState) {
    if let Err(err) = state.pipeline.refresh_registry().await {
        tracing::warn!(error = ?err, "refreshing the agent registry");
    }
}

pub async fn keys(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<IngestKeyInfo>>, ApiError> {
    Ok(Json(
        state.services.list_ingest_keys(&Actor::User(user)).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyBody {
    name: String,
    agent: Option<String>,
    environment: Option<String>,
}

#[derive(Serialize)]
pub struct CreatedKey {
    #[serde(flatten)]
    info: IngestKeyInfo,
    /// Shown this once.
    secret: String,
}

pub async fn create_key(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Result<Json<KeyBody>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedKey>), ApiError> {
    let Json(body) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let scope = match (nonempty(body.agent), nonempty(body.environment)) {
        (Some(agent), None) => KeyScope::Agent(agent),
        (None, Some(env)) => KeyScope::Environment(env),
        _ => {
            return Err(ApiError::bad_request(
                "a key is for one agent or one environment: set exactly one of agent, environment",
            ));
        }
    };
    let key = state
        .services
        .create_ingest_key(&Actor::User(user), &body.name, scope)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedKey {
            info: key.info,
            secret: key.secret,
        }),
    ))
}

pub async fn revoke_key(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<IngestKeyInfo>, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::bad_request("the key id must be a number"))?;
    Ok(Json(
        state
            .services
            .revoke_ingest_key(&Actor::User(user), id)
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalQuery {
    limit: Option<u32>,
    /// Epoch ms.
    since: Option<i64>,
}

pub async fn agent_events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
    query: Result<Query<SignalQuery>, QueryRejection>,
) -> Result<Json<Vec<EventRecord>>, ApiError> {
    let Path(name) = name.map_err(|_| ApiError::bad_request("bad agent name"))?;
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let events = state
        .services
        .agent_events(&Actor::User(user), &name, q.limit.unwrap_or(100))
        .await?;
    Ok(Json(events))
}

pub async fn agent_metrics(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
    query: Result<Query<SignalQuery>, QueryRejection>,
) -> Result<Json<Vec<MetricRecord>>, ApiError> {
    let Path(name) = name.map_err(|_| ApiError::bad_request("bad agent name"))?;
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let since = q.since.unwrap_or_else(|| state.services.now() - 86_400_000);
    let metrics = state
        .services
        .agent_metrics(&Actor::User(user), &name, since)
        .await?;
    Ok(Json(metrics))
}
