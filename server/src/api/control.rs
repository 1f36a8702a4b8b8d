//! The kill switch over HTTP: people set an agent's control state; the agent reads its own
//! with its ingest key (cheap, with an ETag) and asks the guard before it answers.

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use warden_domain::CurrentUser;
use warden_domain::control::{AgentControl, ControlChange};
use warden_domain::policy::GuardRequest;
use warden_domain::telemetry::KeyScope;
use warden_services::Actor;
use warden_services::ingest::GuardRefusal;

/// The agent's key, when the request carries one.
pub(super) async fn agent_scope(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<KeyScope, ApiError> {
    crate::collector::authenticate(state, headers)
        .await
        .map_err(|refusal| match refusal.status {
            StatusCode::UNAUTHORIZED => ApiError::unauthenticated(refusal.message),
            status => ApiError::with_status(status, "unavailable", refusal.message),
        })
}

fn agent_name(name: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    name.map(|Path(n)| n)
        .map_err(|_| ApiError::bad_request("bad agent name"))
}

/// `PUT /api/v1/agents/{name}/control` with `{"state", "reason", "rate_limit_per_min"?,
/// "pinned_version"?}`.
pub async fn set(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
    body: Result<Json<ControlChange>, JsonRejection>,
) -> Result<Json<AgentControl>, ApiError> {
    let name = agent_name(name)?;
    let Json(change) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    Ok(Json(
        state
            .services
            .set_agent_control(&Actor::User(user), &name, change)
            .await?,
    ))
}

/// `GET /api/v1/agents/{name}/control`: for a person (session or token) or for the agent
/// itself (its ingest key; the read is recorded for `kill_switch_required`). Answers 304
/// to `If-None-Match` with the current ETag, so polling every few seconds costs little.
pub async fn get(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let name = agent_name(name)?;
    let control = match user {
        Some(axum::Extension(user)) => {
            state
                .services
                .agent_control(&Actor::User(user), &name)
                .await?
        }
        None => {
            let scope = agent_scope(&state, &headers).await?;
            state.services.read_own_control(&scope, &name).await?
        }
    };
    let etag = format!("\"v{}\"", control.version);
    let tag = HeaderValue::from_str(&etag).map_err(|_| ApiError::internal())?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(control).into_response()
    };
    response.headers_mut().insert(header::ETAG, tag);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// `POST /api/v1/guard` (ingest key): the agent's output judged before it is sent.
pub async fn guard(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<GuardRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let scope = agent_scope(&state, &headers).await?;
    let Json(request) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    match state.pipeline.guard(&scope, request).await {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(GuardRefusal::Service(err)) => Err(err.into()),
        Err(refusal) => Ok(refused(&refusal)),
    }
}

/// The answer to an agent the guard will not judge: `block`, with why. 423 Locked for a
/// stopped agent (it must not answer at all until a person resumes it), 429 with
/// `Retry-After` over its rate limit, 409 for a version other than the pinned one.
fn refused(refusal: &GuardRefusal) -> Response {
    let (status, code, retry_after) = match refusal {
        GuardRefusal::Stopped { .. } => (StatusCode::LOCKED, "agent_stopped", None),
        GuardRefusal::RateLimited { retry_after_s, .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            Some(*retry_after_s),
        ),
        GuardRefusal::WrongVersion { .. } => (StatusCode::CONFLICT, "wrong_version", None),
        GuardRefusal::Service(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
    };
    let body = serde_json::json!({
        "decision": "block",
        "output": "",
        "violations": [],
        "code": code,
        "message": refusal.to_string(),
    });
    let mut response = (status, Json(body)).into_response();
    if let Some(seconds) = retry_after
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}
