//! Who is on call, and the overrides people add, over HTTP (the service checks the roles).

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use warden_domain::incident::oncall::{NewOverride, OnCallBoard, OnCallOverride};
use warden_services::Actor;

/// `GET /api/v1/on-call`: now, next, the rotation and the overrides to come.
pub async fn board(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<OnCallBoard>, ApiError> {
    Ok(Json(
        state.services.on_call_board(&Actor::User(user)).await?,
    ))
}

/// `POST /api/v1/on-call/overrides`: `{who?, starts_at, ends_at, note?}` (epoch ms).
pub async fn add(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Result<Json<NewOverride>, JsonRejection>,
) -> Result<(StatusCode, Json<OnCallOverride>), ApiError> {
    let Json(new) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let added = state
        .services
        .add_on_call_override(&Actor::User(user), new)
        .await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// `DELETE /api/v1/on-call/overrides/{id}`.
pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = path.map_err(|_| ApiError::bad_request("an override id is a number"))?;
    state
        .services
        .remove_on_call_override(&Actor::User(user), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
