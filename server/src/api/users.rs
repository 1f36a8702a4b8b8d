//! `/api/v1/me`, `/api/v1/me/tokens` and `/api/v1/users`.

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use warden_domain::{ApiTokenInfo, CurrentUser, Role, User};
use warden_services::Actor;

pub async fn me(ApiUser(user): ApiUser) -> Json<CurrentUser> {
    Json(user)
}

pub async fn my_tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ApiTokenInfo>>, ApiError> {
    Ok(Json(state.services.list_tokens(&user).await?))
}

pub async fn index(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(state.services.list_users(&Actor::User(user)).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    email: String,
    password: String,
    roles: Vec<String>,
}

pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Result<Json<NewUserBody>, JsonRejection>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let Json(body) = body.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let roles = body
        .roles
        .iter()
        .map(|name| name.parse::<Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| ApiError::bad_request(err.to_string()))?;
    let created = state
        .services
        .add_user(&Actor::User(user), &body.email, &body.password, roles)
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::bad_request("the user id must be a number"))?;
    state.services.delete_user(&Actor::User(user), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
