//! What every request handler shares.

use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use warden_services::Services;
use warden_services::incidents::AgentCommands;
use warden_services::ingest::Pipeline;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub pipeline: Pipeline,
    pub config: Arc<Config>,
    /// How runbook steps reach agents (restart commands).
    pub commands: Arc<dyn AgentCommands>,
}
