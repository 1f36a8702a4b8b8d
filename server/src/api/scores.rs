//! `POST /api/v1/scores` (one score or a list, from a person or from an agent with its
//! ingest key) and `GET /api/v1/traces/{trace_id}/scores`.

use super::control::agent_scope;
use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use warden_domain::CurrentUser;
use warden_domain::metrics::score::{NewScore, Score};
use warden_domain::telemetry::KeyScope;
use warden_services::Actor;
use warden_services::scores::ScoreAuthor;

/// The body as one score or a list, each read with the index it had.
fn parse(body: Value) -> Result<Vec<NewScore>, ApiError> {
    let items = match body {
        Value::Array(items) => items,
        one => vec![one],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item)
                .map_err(|e| ApiError::bad_request(format!("scores[{i}]: {e}")))
        })
        .collect()
}

pub async fn create(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    headers: HeaderMap,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<Vec<Score>>), ApiError> {
    let Json(body) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let scores = parse(body)?;
    let stored = match user {
        Some(axum::Extension(user)) => {
            let actor = Actor::User(user);
            state
                .services
                .record_scores(ScoreAuthor::User(&actor), scores)
                .await?
        }
        None => {
            let scope = agent_scope(&state, &headers).await?;
            let label = match &scope {
                KeyScope::Agent(agent) => agent.clone(),
                KeyScope::Environment(env) => format!("environment {env}"),
            };
            state
                .services
                .record_scores(
                    ScoreAuthor::Key {
                        scope: &scope,
                        prefix: &label,
                    },
                    scores,
                )
                .await?
        }
    };
    Ok((StatusCode::CREATED, Json(stored)))
}

pub async fn of_trace(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<Score>>, ApiError> {
    let Path(id) = id.map_err(|r| ApiError::bad_request(r.body_text()))?;
    Ok(Json(
        state.services.trace_scores(&Actor::User(user), &id).await?,
    ))
}
