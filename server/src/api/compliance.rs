//! Compliance scores over HTTP.

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use warden_domain::policy::compliance::ComplianceReport;
use warden_services::Actor;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowQuery {
    /// 24h, 7d or 30d.
    window: Option<String>,
}

/// `GET /api/v1/compliance?window=24h|7d|30d`: the fleet's score and each agent's, worst
/// first, with their green/amber/red status.
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<WindowQuery>, QueryRejection>,
) -> Result<Json<ComplianceReport>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let hours = match q.window.as_deref().unwrap_or("24h") {
        "24h" => 24,
        "7d" => 7 * 24,
        "30d" => 30 * 24,
        other => {
            return Err(ApiError::bad_request(format!(
                "window {other:?} is not 24h, 7d or 30d"
            )));
        }
    };
    Ok(Json(
        state.services.compliance(&Actor::User(user), hours).await?,
    ))
}
