//! An agent's control webhook over HTTP: registered by the agent with its ingest key, or by
//! a person who may switch the agent.

use super::ApiError;
use super::control::agent_scope;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use warden_domain::CurrentUser;
use warden_domain::control::AgentWebhook;
use warden_domain::telemetry::KeyScope;
use warden_services::{Actor, WebhookCaller};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    url: String,
}

#[derive(serde::Serialize)]
pub struct Registered {
    webhook: AgentWebhook,
    /// Signs every delivery; shown only now.
    secret: String,
}

/// The caller: a person (session or token) or the agent's key.
enum Who {
    Person(Actor),
    Agent(KeyScope),
}

impl Who {
    fn caller(&self) -> WebhookCaller<'_> {
        match self {
            Who::Person(actor) => WebhookCaller::Person(actor),
            Who::Agent(scope) => WebhookCaller::Agent(scope),
        }
    }
}

async fn who(
    state: &AppState,
    user: Option<axum::Extension<CurrentUser>>,
    headers: &HeaderMap,
) -> Result<Who, ApiError> {
    Ok(match user {
        Some(axum::Extension(user)) => Who::Person(Actor::User(user)),
        None => Who::Agent(agent_scope(state, headers).await?),
    })
}

fn agent_name(name: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    name.map(|Path(n)| n)
        .map_err(|_| ApiError::bad_request("bad agent name"))
}

/// `PUT /api/v1/agents/{name}/webhook` with `{"url"}`: 201 with the webhook and its secret.
pub async fn set(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
    body: Result<Json<WebhookBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let name = agent_name(name)?;
    let who = who(&state, user, &headers).await?;
    let Json(body) = body.map_err(|r| ApiError::bad_request(r.body_text()))?;
    let (webhook, secret) = state
        .services
        .register_webhook(who.caller(), &name, &body.url)
        .await?;
    Ok((StatusCode::CREATED, Json(Registered { webhook, secret })))
}

/// `GET /api/v1/agents/{name}/webhook`: the URL and how the last delivery went.
pub async fn get(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<AgentWebhook>, ApiError> {
    let name = agent_name(name)?;
    let who = who(&state, user, &headers).await?;
    Ok(Json(
        state.services.agent_webhook(who.caller(), &name).await?,
    ))
}

/// `DELETE /api/v1/agents/{name}/webhook`.
pub async fn delete(
    State(state): State<AppState>,
    user: Option<axum::Extension<CurrentUser>>,
    headers: HeaderMap,
    name: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let name = agent_name(name)?;
    let who = who(&state, user, &headers).await?;
    state.services.delete_webhook(who.caller(), &name).await?;
    Ok(StatusCode::NO_CONTENT)
}
