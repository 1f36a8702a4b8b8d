//! What every request handler shares.

use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use warden_services::Services;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub config: Arc<Config>,
}
