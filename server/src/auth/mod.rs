//! Who is calling: a browser session or a personal API token, resolved once per request
//! and attached to it as a [`CurrentUser`]; handlers and server functions read it from there.

pub mod guard;
pub mod login;
pub mod origin;

use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use tower_sessions::Session;
use warden_domain::CurrentUser;

/// The session key holding the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";

/// Resolves the caller and attaches it to the request. A request with a bearer token is
/// judged by the token alone: a bad token is refused outright rather than treated as a
/// visitor, so a script with a revoked token gets a 401 and not someone else's login page.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| bearer_token(value.as_bytes()).map(str::to_owned));
    let user = match bearer {
        Some(Some(token)) => match state.services.authenticate_token(&token).await {
            Ok(Some(user)) => Some(user),
            Ok(None) => {
                return ApiError::unauthenticated(
                    "the API token is not valid: it may be revoked, or its user disabled or deleted",
                )
                .into_response();
            }
            Err(err) => return ApiError::from(err).into_response(),
        },
        Some(None) => {
            return ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
                .into_response();
        }
        None => match session_user(&state, &session).await {
            Ok(user) => user,
            Err(response) => return *response,
        },
    };
    if let Some(user) = user {
        request.extensions_mut().insert(user);
    }
    next.run(request).await
}

async fn session_user(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, Box<Response>> {
    let internal = |err: &dyn std::fmt::Debug| {
        tracing::error!(error = ?err, "reading the session");
        Box::new(ApiError::internal().into_response())
    };
    let Some(user_id) = session
        .get::<i64>(USER_ID_KEY)
        .await
        .map_err(|e| internal(&e))?
    else {
        return Ok(None);
    };
    let user = state
        .services
        .session_user(user_id)
        .await
        .map_err(|e| internal(&e))?;
    if user.is_none() {
        // The account was disabled or deleted: end its sessions rather than keep them around.
        session.flush().await.map_err(|e| internal(&e))?;
    }
    Ok(user)
}

/// The token of an `Authorization: Bearer <token>` header; `None` for any other form.
fn bearer_token(value: &[u8]) -> Option<&str> {
    let value = std::str::from_utf8(value).ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The client's network address, for throttling; behind a proxy this is the proxy.
pub fn client_address(request_extensions: &axum::http::Extensions) -> String {
    request_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn bearer_tokens_are_read_case_insensitively_and_other_schemes_refused() {
        assert_eq!(bearer_token(b"Bearer wdn_abc"), Some("wdn_abc"));
        assert_eq!(bearer_token(b"bearer  wdn_abc "), Some("wdn_abc"));
        assert_eq!(bearer_token(b"Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token(b"Bearer "), None);
        assert_eq!(bearer_token(&[0xff, 0xfe]), None);
    }
}
