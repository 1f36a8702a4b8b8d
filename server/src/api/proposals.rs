//! Policy versions and their review over HTTP: propose a new version, approve or reject
//! it, export a version as YAML.

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use warden_domain::policy::{PolicyProposal, PolicyVersionInfo};
use warden_services::Actor;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalBody {
    /// The whole `policies:` file, as `warden policy export` writes it.
    document: String,
    #[serde(default)]
    note: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteQuery {
    #[serde(default)]
    note: String,
}

/// `PUT /api/v1/policies`: proposes a new version. The body is JSON
/// `{"document": YAML, "note"?: TEXT}`, or the YAML itself (`Content-Type: application/yaml`)
/// with `?note=`. Answers 201 with the proposal, its changes and the approvals it needs.
pub async fn propose(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    query: Result<Query<NoteQuery>, QueryRejection>,
    body: Bytes,
) -> Result<(StatusCode, Json<PolicyProposal>), ApiError> {
    let Query(query) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (document, note) = if content_type.starts_with("application/json") {
        let body: ProposalBody = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("the JSON body is invalid: {e}")))?;
        (body.document, body.note)
    } else if content_type.contains("yaml") || content_type.starts_with("text/plain") {
        let text = String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::bad_request("the YAML body is not UTF-8"))?;
        (text, query.note)
    } else {
        return Err(ApiError::with_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send JSON {\"document\": ..., \"note\": ...} or the YAML file with \
             Content-Type: application/yaml",
        ));
    };
    let proposal = state
        .services
        .propose_policies(&Actor::User(user), &document, &note)
        .await?;
    Ok((StatusCode::CREATED, Json(proposal)))
}

/// `GET /api/v1/policies/proposals`: open proposals first, then the newest.
pub async fn index(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<PolicyProposal>>, ApiError> {
    Ok(Json(
        state.services.list_proposals(&Actor::User(user)).await?,
    ))
}

fn proposal_id(id: Result<Path<i64>, PathRejection>) -> Result<i64, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|_| ApiError::bad_request("a proposal id is a number"))
}

/// `GET /api/v1/policies/proposals/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<PolicyProposal>, ApiError> {
    let id = proposal_id(id)?;
    Ok(Json(state.services.proposal(&Actor::User(user), id).await?))
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    note: String,
}

fn decision_note(body: &Bytes) -> Result<String, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(String::new());
    }
    serde_json::from_slice::<DecisionBody>(body)
        .map(|b| b.note)
        .map_err(|e| ApiError::bad_request(format!("the JSON body is invalid: {e}")))
}

/// `POST /api/v1/policies/proposals/{id}/approve` with `{"note"?: TEXT}`.
pub async fn approve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> Result<Json<PolicyProposal>, ApiError> {
    decide(&state, user, id, &body, true).await
}

/// `POST /api/v1/policies/proposals/{id}/reject` with `{"note": TEXT}`; by its author, a
/// withdrawal.
pub async fn reject(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> Result<Json<PolicyProposal>, ApiError> {
    decide(&state, user, id, &body, false).await
}

async fn decide(
    state: &AppState,
    user: warden_domain::CurrentUser,
    id: Result<Path<i64>, PathRejection>,
    body: &Bytes,
    approve: bool,
) -> Result<Json<PolicyProposal>, ApiError> {
    let id = proposal_id(id)?;
    let note = decision_note(body)?;
    Ok(Json(
        state
            .services
            .decide_proposal(&Actor::User(user), id, approve, &note)
            .await?,
    ))
}

/// `GET /api/v1/policies/versions`: newest first.
pub async fn versions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<PolicyVersionInfo>>, ApiError> {
    Ok(Json(
        state.services.policy_versions(&Actor::User(user)).await?,
    ))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    version: Option<i64>,
}

/// `GET /api/v1/policies/export?version=`: a version (the one in force by default) as the
/// YAML file `PUT /api/v1/policies` and `warden policy import` take.
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let document = state
        .services
        .export_policies(&Actor::User(user), q.version)
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/yaml; charset=utf-8")],
        document,
    )
        .into_response())
}
