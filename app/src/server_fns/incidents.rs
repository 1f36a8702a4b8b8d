//! The Incident dashboard's server functions; the service checks the caller's roles.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use warden_domain::incident::postmortem::{Postmortem, PostmortemText};
use warden_domain::incident::runbook::IncidentStep;
use warden_domain::incident::{Incident, IncidentBoard, IncidentDetail};

#[server]
pub async fn get_incident_board() -> Result<IncidentBoard, AppError> {
    Ok(super::ssr::services()?
        .incident_board(&super::ssr::actor()?)
        .await?)
}

#[server]
pub async fn get_incident(id: i64) -> Result<IncidentDetail, AppError> {
    Ok(super::ssr::services()?
        .incident_detail(&super::ssr::actor()?, id)
        .await?)
}

#[server]
pub async fn acknowledge_incident(id: i64) -> Result<Incident, AppError> {
    Ok(super::ssr::services()?
        .acknowledge_incident(&super::ssr::actor()?, id)
        .await?)
}

#[server]
pub async fn resolve_incident(id: i64, note: String) -> Result<Incident, AppError> {
    Ok(super::ssr::services()?
        .resolve_incident(&super::ssr::actor()?, id, Some(&note))
        .await?)
}

#[server]
pub async fn add_incident_note(id: i64, note: String) -> Result<(), AppError> {
    Ok(super::ssr::services()?
        .add_incident_note(&super::ssr::actor()?, id, &note)
        .await?)
}

/// Opens an incident by hand (`agent` may be empty).
#[server]
pub async fn open_incident(
    title: String,
    agent: String,
    severity: String,
) -> Result<Incident, AppError> {
    use warden_services::incidents::ManualIncident;
    Ok(super::ssr::services()?
        .open_manual_incident(
            &super::ssr::actor()?,
            ManualIncident {
                agent: super::nonempty(agent),
                title,
                severity: Some(severity),
            },
        )
        .await?)
}

/// Runs (`run`), ticks off (`done`) or skips (`skip`) a runbook step.
#[server]
pub async fn run_incident_step(
    id: i64,
    position: u32,
    act: String,
    note: String,
) -> Result<IncidentStep, AppError> {
    use warden_services::incidents::{AgentCommands, HandStep, StepInput};
    let act = match act.as_str() {
        "run" => HandStep::Run,
        "done" => HandStep::Done,
        "skip" => HandStep::Skip,
        _ => return Err(AppError::Invalid("a step is run, done or skipped".into())),
    };
    let commands = use_context::<std::sync::Arc<dyn AgentCommands>>().ok_or_else(|| {
        tracing::error!("agent commands missing from the Leptos context");
        AppError::Internal
    })?;
    Ok(super::ssr::services()?
        .hand_step(
            &super::ssr::actor()?,
            commands.as_ref(),
            id,
            position,
            StepInput {
                act,
                note: super::nonempty(note),
            },
        )
        .await?)
}

/// An incident's post-mortem, if started, and whether the caller may start one.
#[server]
pub async fn get_postmortem(id: i64) -> Result<(Option<Postmortem>, bool), AppError> {
    let services = super::ssr::services()?;
    let actor = super::ssr::actor()?;
    let found = services.postmortem(&actor, id).await?;
    Ok((found, services.may_write_postmortems(&actor)))
}

/// Saves a post-mortem as `draft` or `closed`, against the revision it was written on.
#[server(input = Json)]
pub async fn save_postmortem(
    id: i64,
    text: PostmortemText,
    status: String,
    revision: Option<i64>,
) -> Result<Postmortem, AppError> {
    use warden_services::incidents::PostmortemInput;
    Ok(super::ssr::services()?
        .save_postmortem(
            &super::ssr::actor()?,
            id,
            PostmortemInput::new(text, &status, revision),
        )
        .await?)
}

/// Adds an on-call override; `starts` and `ends` as a `datetime-local` input sends them,
/// in UTC; `who` empty for the caller.
#[server]
pub async fn add_on_call_override(
    who: String,
    starts: String,
    ends: String,
    note: String,
) -> Result<(), AppError> {
    use warden_domain::incident::oncall::NewOverride;
    use warden_domain::timefmt::parse_utc_minute;
    let at = |text: &str| {
        parse_utc_minute(text)
            .ok_or_else(|| AppError::Invalid(format!("`{text}` is not a date and time (UTC)")))
    };
    super::ssr::services()?
        .add_on_call_override(
            &super::ssr::actor()?,
            NewOverride {
                who: super::nonempty(who),
                starts_at: at(&starts)?,
                ends_at: at(&ends)?,
                note,
            },
        )
        .await?;
    Ok(())
}

#[server]
pub async fn remove_on_call_override(id: i64) -> Result<(), AppError> {
    Ok(super::ssr::services()?
        .remove_on_call_override(&super::ssr::actor()?, id)
        .await?)
}
