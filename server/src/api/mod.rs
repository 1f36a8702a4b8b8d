//! The JSON API under `/api/v1`: everything a page shows, for scripts with a personal
//! token (`Authorization: Bearer`) or a browser session. Every route checks the caller.

mod audit;
mod budgets;
mod compliance;
mod control;
mod error;
mod incidents;
mod metrics;
mod oncall;
mod policies;
mod proposals;
mod reviews;
mod scores;
mod telemetry;
mod users;
mod webhooks;

pub use error::ApiError;

use crate::state::AppState;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{delete, get, post, put};
use warden_domain::CurrentUser;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(users::me))
        .route("/me/tokens", get(users::my_tokens))
        .route("/users", get(users::index).post(users::create))
        .route("/users/{id}", delete(users::remove))
        .route("/traces", get(telemetry::traces))
        .route("/traces/{trace_id}", get(telemetry::trace))
        .route("/traces/{trace_id}/scores", get(scores::of_trace))
        .route("/scores", post(scores::create))
        .route("/pii-events", get(telemetry::pii_events))
        .route(
            "/agents",
            get(telemetry::agents).post(telemetry::save_agent),
        )
        .route(
            "/agents/{name}",
            get(telemetry::agent).delete(telemetry::delete_agent),
        )
        .route("/agents/{name}/events", get(telemetry::agent_events))
        .route("/agents/{name}/metrics", get(telemetry::agent_metrics))
        .route("/agents/{name}/policy", get(policies::agent_policy))
        .route(
            "/agents/{name}/control",
            get(control::get).put(control::set),
        )
        .route(
            "/agents/{name}/webhook",
            get(webhooks::get)
                .put(webhooks::set)
                .delete(webhooks::delete),
        )
        .route("/guard", post(control::guard))
        .route("/policies", get(policies::overview).put(proposals::propose))
        .route("/policies/proposals", get(proposals::index))
        .route("/policies/proposals/{id}", get(proposals::show))
        .route("/policies/proposals/{id}/approve", post(proposals::approve))
        .route("/policies/proposals/{id}/reject", post(proposals::reject))
        .route("/policies/versions", get(proposals::versions))
        .route("/policies/export", get(proposals::export))
        .route("/reviews", get(reviews::index))
        .route("/reviews/{id}", get(reviews::show))
        .route("/reviews/{id}/decide", post(reviews::decide))
        .route("/metrics/system", get(metrics::system))
        .route("/metrics/agents", get(metrics::agents))
        .route("/metrics/agents/{name}", get(metrics::agent))
        .route("/metrics/models", get(metrics::models))
        .route("/recommendations", get(metrics::recommendations))
        .route("/anomalies", get(metrics::anomalies))
        .route("/incidents", get(incidents::index).post(incidents::create))
        .route("/incidents/events", get(incidents::events))
        .route("/incidents/{id}", get(incidents::show))
        .route("/incidents/{id}/ack", post(incidents::ack))
        .route("/incidents/{id}/resolve", post(incidents::resolve))
        .route("/incidents/{id}/notes", post(incidents::note))
        .route("/incidents/{id}/steps/{n}", post(incidents::step))
        .route(
            "/incidents/{id}/postmortem",
            get(incidents::postmortem).put(incidents::save_postmortem),
        )
        .route("/postmortems", get(incidents::open_postmortems))
        .route("/on-call", get(oncall::board))
        .route("/on-call/overrides", post(oncall::add))
        .route("/on-call/overrides/{id}", delete(oncall::remove))
        .route("/budgets", get(budgets::index))
        .route(
            "/budgets/fleet",
            put(budgets::set_fleet).delete(budgets::delete_fleet),
        )
        .route(
            "/budgets/agents/{name}",
            put(budgets::set_agent).delete(budgets::delete_agent),
        )
        .route("/compliance", get(compliance::report))
        .route("/audit", get(audit::index))
        .route("/audit/export", get(audit::export))
        .route("/audit/verify", get(audit::verify))
        .route("/violations", get(policies::violations))
        .route(
            "/ingest-keys",
            get(telemetry::keys).post(telemetry::create_key),
        )
        .route("/ingest-keys/{id}", delete(telemetry::revoke_key))
        .fallback(|| async { ApiError::not_found("no such API route") })
}

/// The authenticated caller of an API route; refuses anonymous calls with a JSON 401.
pub struct ApiUser(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(ApiUser)
            .ok_or_else(|| {
                ApiError::unauthenticated("sign in or send `Authorization: Bearer <token>`")
            })
    }
}
