//! The human review queue over HTTP: reviewers list and decide items; the agent whose
//! answer the guard holds reads the decision with its ingest key.

use super::control::agent_scope;
use super::telemetry::nonempty;
use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use warden_domain::CurrentUser;
use warden_domain::review::{ReviewDecision, ReviewFilter, ReviewItem, ReviewState};
use warden_services::Actor;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    /// pending, approved or rejected; every state when absent.
    state: Option<String>,
    agent: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
}

#[derive(serde::Serialize)]
pub struct ReviewPage {
    reviews: Vec<ReviewItem>,
    /// Pass as `before` for the next page; absent on the last one.
    next_before: Option<i64>,
}

/// `GET /api/v1/reviews?state=&agent=&before=&limit=`: pending items oldest first (the
/// queue), others newest first.
pub async fn index(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<ReviewQuery>, QueryRejection>,
) -> Result<Json<ReviewPage>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let review_state = match nonempty(q.state) {
        None => None,
        Some(text) => Some(ReviewState::parse(&text).ok_or_else(|| {
            ApiError::bad_request(format!(
                "state {text:?} is not pending, approved or rejected"
            ))
        })?),
    };
    let filter = ReviewFilter {
        state: review_state,
        agent: nonempty(q.agent),
        before_id: q.before,
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let reviews = state
        .services
        .list_reviews(&Actor::User(user), &filter, limit)
        .await?;
    let next_before = (reviews.len() == limit as usize)
        .then(|| reviews.last().map(|r| r.id))
        .flatten();
    Ok(Json(ReviewPage {
        reviews,
        next_before,
    }))
}

fn review_id(id: Result<Path<i64>, PathRejection>) -> Result<i64, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|_| ApiError::bad_request("a review id is a number"))
}

/// `GET /api/v1/reviews/{id}`: for a person, or for the agent itself with its ingest key
/// (the `review_id` the guard gave it), to learn whether its answer may go out.
pub async fn show(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    headers: HeaderMap,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<ReviewItem>, ApiError> {
    let id = review_id(id)?;
    let item = match user {
        Some(axum::Extension(user)) => state.services.review(&Actor::User(user), id).await?,
        None => {
            let scope = agent_scope(&state, &headers).await?;
            state.services.review_for_agent(&scope, id).await?
        }
    };
    Ok(Json(item))
}

/// `POST /api/v1/reviews/{id}/decide` with `{"decision": "approve"|"reject", "note"}`.
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<i64>, PathRejection>,
    body: Result<Json<ReviewDecision>, JsonRejection>,
) -> Result<Json<ReviewItem>, ApiError> {
    let id = review_id(id)?;
    let Json(decision) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    Ok(Json(
        state
            .services
            .decide_review(&Actor::User(user), id, decision)
            .await?,
    ))
}
