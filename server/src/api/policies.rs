//! The policy hierarchy and agents' effective policies as JSON.

use super::telemetry::nonempty;
use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use warden_domain::policy::{AgentPolicy, PolicyOverview, RuleName, Violation, ViolationFilter};
use warden_services::Actor;

/// `GET /api/v1/policies`: every level with the rules it sets itself.
pub async fn overview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<PolicyOverview>, ApiError> {
    Ok(Json(state.services.policy_overview(&Actor::User(user))?))
}

/// `GET /api/v1/agents/{name}/policy`: each rule in force, its value and its level.
pub async fn agent_policy(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<AgentPolicy>, ApiError> {
    let Path(name) = name.map_err(|_| ApiError::bad_request("bad agent name"))?;
    Ok(Json(
        state
            .services
            .agent_policy(&Actor::User(user), &name)
            .await?,
    ))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolationQuery {
    rule: Option<String>,
    agent: Option<String>,
    /// Epoch ms.
    from: Option<i64>,
    to: Option<i64>,
    before: Option<i64>,
    limit: Option<u32>,
}

#[derive(serde::Serialize)]
pub struct ViolationPage {
    violations: Vec<Violation>,
    /// Pass as `before` for the next page; absent on the last one.
    next_before: Option<i64>,
}

/// `GET /api/v1/violations?rule=&agent=&from=&to=&before=&limit=`: newest first.
pub async fn violations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<ViolationQuery>, QueryRejection>,
) -> Result<Json<ViolationPage>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let rule = match nonempty(q.rule) {
        None => None,
        Some(name) => Some(RuleName::parse(&name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "rule {name:?} is not one of {}",
                RuleName::ALL.map(RuleName::as_str).join(", ")
            ))
        })?),
    };
    let filter = ViolationFilter {
        rule,
        agent: nonempty(q.agent),
        since_ms: q.from,
        until_ms: q.to,
        before_id: q.before,
        limit: q.limit,
    };
    let violations = state
        .services
        .list_violations(&Actor::User(user), &filter)
        .await?;
    let next_before = (violations.len() == filter.limit() as usize)
        .then(|| violations.last().map(|v| v.id))
        .flatten();
    Ok(Json(ViolationPage {
        violations,
        next_before,
    }))
}
