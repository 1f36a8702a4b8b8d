//! The HTTP surface of Warden in one place: which path goes where, and which layers wrap it.

use crate::state::AppState;
use crate::{api, auth, collector, health, static_files};
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use warden_app::{App, shell};
use warden_db::SessionStore;

/// Forms and JSON calls of the UI and API are small; ingestion gets its own, larger limit.
const BODY_LIMIT: usize = 64 * 1024;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "warden_session";

/// Builds the whole application router.
pub fn router(state: AppState, sessions: SessionStore) -> Router {
    let idle = time::Duration::seconds(
        i64::try_from(state.config.auth.session_idle_timeout.as_secs()).unwrap_or(i64::MAX),
    );
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(idle));

    let services = state.services.clone();
    let pipeline = state.pipeline.clone();
    let commands = state.commands.clone();
    let leptos_options = state.leptos_options.clone();
    let pages = generate_route_list(App);

    let ui_and_api = Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/login", post(auth::login::sign_in))
        .route("/logout", post(auth::login::sign_out))
        .route(
            "/ack/{token}",
            get(crate::ack_link::show).post(crate::ack_link::acknowledge),
        )
        .nest("/api/v1", api::routes())
        .leptos_routes_with_context(
            &state,
            pages,
            move || {
                leptos::prelude::provide_context(services.clone());
                leptos::prelude::provide_context(pipeline.clone());
                leptos::prelude::provide_context(commands.clone());
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(
            state.leptos_options.clone(),
            static_files::cache_headers,
        ))
        // Pages and JSON are compressed as they go; the site's files are served from the
        // gzip and brotli copies a release build leaves beside them, and pass through.
        .layer(CompressionLayer::new().gzip(true))
        // Layers run bottom-up for a request: limit, session, origin, who, then the page guard.
        .layer(from_fn(auth::guard::guard_pages))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(from_fn_with_state(
            state.clone(),
            auth::origin::refuse_cross_site,
        ))
        .layer(session_layer)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    // Agents' routes are merged after the layers above, so none of them applies: agents
    // send no cookies, authenticate with ingest keys and need larger bodies.
    ui_and_api.merge(collector::routes()).with_state(state)
}
