//! The Incident dashboard's server functions; the service checks the caller's roles.

use crate::error::AppError;
use leptos::prelude::*;
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
