//! Liveness and readiness probes for load balancers and orchestrators.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// The process is up and answering.
pub async fn live() -> &'static str {
    "ok"
}

/// The database answers; a replica that cannot reach it should get no traffic.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.services.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = ?err, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
