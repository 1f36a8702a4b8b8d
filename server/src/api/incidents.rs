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
use warden_domain::incident::Incident;
use warden_domain::incident::postmortem::{OpenPostmortem, Postmortem};
use warden_domain::incident::runbook::IncidentStep;
use warden_services::Actor;
use warden_services::incidents::{IncidentDetail, ManualIncident, PostmortemInput, StepInput};

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
/// incident changes on any replica, while the caller may still see incidents. The `incident_watch` job reads the incident timeline's
/// version once per tick for the whole process; the event carries no state, the page
/// reads it again.
pub async fn events(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let user_id = user.id;
    let changes = state.services.watch_incidents(&Actor::User(user))?;
    let services = state.services.clone();
    let stream = futures_util::stream::unfold(changes, move |mut changes| {
        let services = services.clone();
        async move {
            // Ends with the process (the sender is gone), or when the account may no longer
            // watch (checked at each change, not only when the stream opened).
            changes.changed().await.ok()?;
            if !services
                .may_still_watch_incidents(user_id)
                .await
                .unwrap_or(false)
            {
                return None;
            }
            let (count, last) = *changes.borrow_and_update();
            let event = Event::default()
                .event("incidents")
                .id(format!("{count}-{last}"))
                .data(last.to_string());
            Some((Ok(event), changes))
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

/// `POST /api/v1/incidents/{id}/steps/{n}`: `{do: run|done|skip, note}`; `n` counts from 1
/// as the pages show the steps.
pub async fn step(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    body: Result<Json<StepInput>, JsonRejection>,
) -> Result<Json<IncidentStep>, ApiError> {
    let Path((id, n)) =
        path.map_err(|_| ApiError::bad_request("an incident id and a step number are numbers"))?;
    let position = n
        .checked_sub(1)
        .ok_or_else(|| ApiError::bad_request("steps count from 1"))?;
    Ok(Json(
        state
            .services
            .hand_step(
                &Actor::User(user),
                state.commands.as_ref(),
                id,
                position,
                json(body)?,
            )
            .await?,
    ))
}

/// `GET /api/v1/incidents/{id}/postmortem`: with the incident's timeline.
pub async fn postmortem(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
) -> Result<Json<Postmortem>, ApiError> {
    state
        .services
        .postmortem(&Actor::User(user), id(path)?)
        .await?
        .map(Json)
        .ok_or_else(|| {
            ApiError::not_found("this incident has no post-mortem yet: PUT one to start it")
        })
}

/// `PUT /api/v1/incidents/{id}/postmortem`: `{impact, root_cause, contributing_factors,
/// action_items, status, revision}`; starts one on demand.
pub async fn save_postmortem(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    path: Result<Path<i64>, PathRejection>,
    body: Result<Json<PostmortemInput>, JsonRejection>,
) -> Result<Json<Postmortem>, ApiError> {
    let id = id(path)?;
    Ok(Json(
        state
            .services
            .save_postmortem(&Actor::User(user), id, json(body)?)
            .await?,
    ))
}

/// `GET /api/v1/postmortems`: those not yet closed, oldest first.
pub async fn open_postmortems(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<OpenPostmortem>>, ApiError> {
    Ok(Json(
        state.services.open_postmortems(&Actor::User(user)).await?,
    ))
}
