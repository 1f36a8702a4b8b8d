//! The audit trail over HTTP: list, export (CSV or JSON) and check the chain.

use super::telemetry::nonempty;
use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use warden_domain::audit::{AuditEvent, AuditFilter, ChainStatus};
use warden_services::Actor;
use warden_services::audit::ExportFormat;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    /// Epoch ms.
    from: Option<i64>,
    to: Option<i64>,
    before: Option<i64>,
    limit: Option<u32>,
    format: Option<String>,
    /// The last N hours (instead of `from`), as the Audit trail page's window.
    window: Option<i64>,
}

impl AuditQuery {
    fn filter(&self, now: i64) -> AuditFilter {
        let window = self
            .window
            .filter(|h| *h > 0)
            .map(|h| now - h.saturating_mul(3_600_000));
        AuditFilter {
            actor: nonempty(self.actor.clone()),
            action: nonempty(self.action.clone()),
            target: nonempty(self.target.clone()),
            since: window.or(self.from),
            until: self.to,
            before_seq: self.before,
        }
    }
}

#[derive(serde::Serialize)]
pub struct AuditPage {
    events: Vec<AuditEvent>,
    /// Pass as `before` for the next page; absent on the last one.
    next_before: Option<i64>,
}

/// `GET /api/v1/audit?actor=&action=&target=&from=&to=&window=&before=&limit=`: newest
/// first.
/// `action=policy` matches every `policy.*`, `target=agent` every `agent:*`.
pub async fn index(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
    let events = state
        .services
        .list_audit(&Actor::User(user), &q.filter(state.services.now()), limit)
        .await?;
    let next_before = (events.len() == limit as usize)
        .then(|| events.last().map(|e| e.seq))
        .flatten();
    Ok(Json(AuditPage {
        events,
        next_before,
    }))
}

/// `GET /api/v1/audit/export?format=csv|json` (and the filters of the list): oldest first,
/// as a download. The export is itself recorded.
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let text = q.format.as_deref().unwrap_or("csv");
    let format = ExportFormat::parse(text)
        .ok_or_else(|| ApiError::bad_request(format!("format {text:?} is not csv or json")))?;
    let body = state
        .services
        .export_audit(&Actor::User(user), &q.filter(state.services.now()), format)
        .await?;
    let disposition = format!(
        "attachment; filename=\"warden-audit.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/v1/audit/verify`: whether the chain is intact, or where it breaks.
pub async fn verify(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<ChainStatus>, ApiError> {
    Ok(Json(state.services.verify_audit(&Actor::User(user)).await?))
}
