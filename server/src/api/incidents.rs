//! Incidents over HTTP: listed and read by those who may see them, opened by hand,
//! acknowledged, resolved and annotated by responders (the service checks the roles).

use super::{ApiError, ApiUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use warden_domain::incident::Incident;
use warden_services::Actor;
use warden_services::incidents::{IncidentDetail, ManualIncident};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `triggered`, `acknowledged`, `resolved`; all without it.
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub note: String,
}

fn id(path: Result<Path<i64>, PathRejection>) -> Result<i64, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|_| ApiError::bad_request("an incident id is a number"))
}

fn json<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(b)| b)
        .map_err(|r| ApiError::bad_request(r.body_text()))
}

/// `GET /api/v1/incidents?status=`.
pub async fn index(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<Incident>>, ApiError> {
    let Query(q) = query.map_err(|r| ApiError::bad_request(r.body_text()))?;
    Ok(Json(
        state
            .services
            .list_incidents(&Actor::User(user), q.status.as_deref())
            .await?,
    ))
}

/// `GET /api/v1/incidents/events`: server-sent events, one `incidents` event whenever any
/// incident changes on any replica (each process looks at the database's incident
/// timeline every second; the event carries no state, the page reads it again).
pub async fn events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let actor = Actor::User(user);
    let start = state.services.incidents_version(&actor).await?;
    let services = state.services.clone();
    let stream = futures_util::stream::unfold(start, move |mut seen| {
        let services = services.clone();
        let actor = actor.clone();
        async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                match services.incidents_version(&actor).await {
                    Ok(now) if now != seen => {
                        seen = now;
                        let event = Event::default()
                            .event("incidents")
                            .id(format!("{}-{}", now.0, now.1))
                            .data(now.1.to_string());
                        return Some((Ok(event), seen));
                    }
                    Ok(_) => {}
                    // Roles taken away or the database gone: end the stream; the browser
                    // reconnects and is told why.
                    Err(err) => {
                        tracing::debug!(error = %err, "incident events ended");
                        return None;
                    }
                }
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// `POST /api/v1/incidents`: `{agent, title, severity}`.
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Result<Json<ManualIncident>, JsonRejection>,
) -> Result<(StatusCode, Json<Incident>), ApiError> {
    let incident = state
        .services
        .open_manual_incident(&Actor::User(user), json(body)?)
        .await?;
    Ok((StatusCode::CREATED, Json(incident)))
}

/// `GET /api/v1/incidents/{id}`: with its timeline and pages.
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Json<IncidentDetail>, ApiError> {
    Ok(Json(
        state
            .services
            .incident_detail(&Actor::User(user), id(path)?)
            .await?,
    ))
}

/// `POST /api/v1/incidents/{id}/ack`.
pub async fn ack(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(
        state
            .services
            .acknowledge_incident(&Actor::User(user), id(path)?)
            .await?,
    ))
}

/// `POST /api/v1/incidents/{id}/resolve`: an optional `{note}`.
pub async fn resolve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
    body: Option<Json<ResolveBody>>,
) -> Result<Json<Incident>, ApiError> {
    let note = body.and_then(|Json(b)| b.note);
    Ok(Json(
        state
            .services
            .resolve_incident(&Actor::User(user), id(path)?, note.as_deref())
            .await?,
    ))
}

/// `POST /api/v1/incidents/{id}/notes`: `{note}`.
pub async fn note(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Json<NoteBody>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let id = id(path)?;
    let body = json(body)?;
    state
        .services
        .add_incident_note(&Actor::User(user), id, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
