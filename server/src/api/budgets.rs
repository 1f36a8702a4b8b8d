//! Monthly budgets over HTTP: their status for finance and CTOs, set and removed by finance
//! and admins (the service checks the roles).

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use warden_domain::metrics::budget::{BudgetChange, BudgetScope, BudgetStatus, HardCap};
use warden_services::Actor;

/// `PUT /api/v1/budgets/fleet` and `/api/v1/budgets/agents/{name}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetBody {
    /// In the configured currency.
    pub monthly: f64,
    /// `none` (the default), `pause` or `rate_limit`.
    #[serde(default)]
    pub hard_cap: Option<String>,
    /// With `rate_limit`: requests per minute.
    #[serde(default)]
    pub rate_limit_per_min: Option<u32>,
}

impl BudgetBody {
    fn into_change(self, scope: BudgetScope) -> Result<BudgetChange, ApiError> {
        let hard_cap = HardCap::parse(self.hard_cap.as_deref(), self.rate_limit_per_min)
            .map_err(ApiError::bad_request)?;
        Ok(BudgetChange {
            scope,
            monthly: self.monthly,
            hard_cap,
        })
    }
}

fn agent_scope(name: Result<Path<String>, PathRejection>) -> Result<BudgetScope, ApiError> {
    name.map(|Path(n)| BudgetScope::Agent(n))
        .map_err(|_| ApiError::bad_request("bad agent name"))
}

fn body(body: Result<Json<BudgetBody>, JsonRejection>) -> Result<BudgetBody, ApiError> {
    body.map(|Json(b)| b)
        .map_err(|r| ApiError::bad_request(r.body_text()))
}

/// `GET /api/v1/budgets`: every budget with this month's spend, forecast and state.
pub async fn index(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<BudgetStatus>>, ApiError> {
    Ok(Json(
        state.services.budget_statuses(&Actor::User(user)).await?,
    ))
}

pub async fn set_fleet(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    b: Result<Json<BudgetBody>, JsonRejection>,
) -> Result<Json<BudgetStatus>, ApiError> {
    let change = body(b)?.into_change(BudgetScope::Fleet)?;
    Ok(Json(
        state
            .services
            .set_budget(&Actor::User(user), change)
            .await?,
    ))
}

pub async fn set_agent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
    b: Result<Json<BudgetBody>, JsonRejection>,
) -> Result<Json<BudgetStatus>, ApiError> {
    let change = body(b)?.into_change(agent_scope(name)?)?;
    Ok(Json(
        state
            .services
            .set_budget(&Actor::User(user), change)
            .await?,
    ))
}

pub async fn delete_fleet(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .delete_budget(&Actor::User(user), &BudgetScope::Fleet)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_agent(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    name: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .delete_budget(&Actor::User(user), &agent_scope(name)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
