//! The dashboards' server functions: the range picker's choice and the agent filter in,
//! one dashboard out; the service checks the caller's roles.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use warden_domain::metrics::dashboard::{
    AgentDashboard, CostDashboard, FleetState, SystemDashboard,
};

/// The System Overview for `range` (`24h`, `7d`, `30d`, `custom` with `from`/`to` dates).
#[server]
pub async fn get_system_dashboard(
    range: String,
    from: String,
    to: String,
    agent: String,
) -> Result<SystemDashboard, AppError> {
    use warden_domain::metrics::dashboard::RangeChoice;
    let choice = RangeChoice::parse(&range, &from, &to);
    Ok(super::ssr::services()?
        .system_dashboard(&super::ssr::actor()?, choice, super::nonempty(agent))
        .await?)
}

#[server]
pub async fn get_cost_dashboard(
    range: String,
    from: String,
    to: String,
    agent: String,
) -> Result<CostDashboard, AppError> {
    use warden_domain::metrics::dashboard::RangeChoice;
    let choice = RangeChoice::parse(&range, &from, &to);
    Ok(super::ssr::services()?
        .cost_dashboard(&super::ssr::actor()?, choice, super::nonempty(agent))
        .await?)
}

#[server]
pub async fn get_agent_dashboard(
    range: String,
    from: String,
    to: String,
    agent: String,
) -> Result<AgentDashboard, AppError> {
    use warden_domain::metrics::dashboard::RangeChoice;
    let choice = RangeChoice::parse(&range, &from, &to);
    Ok(super::ssr::services()?
        .agent_dashboard(&super::ssr::actor()?, choice, super::nonempty(agent))
        .await?)
}

/// The landing page's summary of the last 24 hours.
#[server]
pub async fn get_fleet_state() -> Result<FleetState, AppError> {
    Ok(super::ssr::services()?
        .fleet_state(&super::ssr::actor()?)
        .await?)
}

/// Sets a monthly budget (finance and admins; the service checks).
#[server(input = Json)]
pub async fn set_budget(
    change: warden_domain::metrics::budget::BudgetChange,
) -> Result<warden_domain::metrics::budget::BudgetStatus, AppError> {
    Ok(super::ssr::services()?
        .set_budget(&super::ssr::actor()?, change)
        .await?)
}

/// Removes a monthly budget (finance and admins).
#[server(input = Json)]
pub async fn delete_budget(
    scope: warden_domain::metrics::budget::BudgetScope,
) -> Result<(), AppError> {
    Ok(super::ssr::services()?
        .delete_budget(&super::ssr::actor()?, &scope)
        .await?)
}
