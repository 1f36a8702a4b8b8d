//! Signing in and out with plain HTML forms, so that both work without JavaScript.

use crate::auth::guard::{encode, safe_next};
use crate::auth::{EPOCH_KEY, SEEN_AT_KEY, USER_ID_KEY, client_address};
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;
use warden_services::LoginError;

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    extensions: Extensions,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return back_to_login("bad_request", "");
    };
    let client = client_address(&extensions, &headers, &state.config.server.trusted_proxies);
    match state
        .services
        .login(&form.email, &form.password, &client)
        .await
    {
        Ok(signed_in) => {
            let user = signed_in.user;
            // A new session id at every sign-in, so an id planted before it is worthless.
            let stored = async {
                session.cycle_id().await?;
                session.insert(USER_ID_KEY, user.id).await?;
                session.insert(EPOCH_KEY, signed_in.session_epoch).await?;
                session
                    .insert(SEEN_AT_KEY, state.services.now() / 1000)
                    .await
            };
            if let Err(err) = stored.await {
                tracing::error!(error = ?err, "storing the session");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            tracing::info!(user_id = user.id, "signed in");
            Redirect::to(safe_next(&form.next)).into_response()
        }
        Err(LoginError::Invalid) => {
            tracing::info!(client, "failed sign-in");
            back_to_login("invalid", &form.next)
        }
        Err(LoginError::Disabled) => back_to_login("disabled", &form.next),
        Err(err @ LoginError::Throttled { retry_after_secs }) => {
            tracing::warn!(client, "sign-in refused by throttling");
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after_secs.to_string())],
                Html(refusal_page(&err.to_string())),
            )
                .into_response()
        }
        Err(LoginError::Internal(err)) => {
            tracing::error!(error = ?err, "sign-in failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn sign_out(session: Session) -> Response {
    if let Err(err) = session.flush().await {
        tracing::error!(error = ?err, "ending a session");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Redirect::to("/login?status=signed_out").into_response()
}

fn back_to_login(error: &str, next: &str) -> Response {
    let next = safe_next(next);
    let next = if next == "/" {
        String::new()
    } else {
        format!("&next={}", encode(next))
    };
    Redirect::to(&format!("/login?error={error}{next}")).into_response()
}

fn refusal_page(message: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts · Warden</title>\
         <link rel=\"stylesheet\" href=\"/pkg/warden.css\"></head><body><main class=\"login\"><div class=\"card\">\
         <h1>Too many attempts</h1><p class=\"note error\" role=\"alert\">{}.</p>\
         <p><a href=\"/login\">Back to sign in</a></p></div></main></body></html>",
        capitalise(message)
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
