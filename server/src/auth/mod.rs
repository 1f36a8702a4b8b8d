//! Who is calling: a browser session or a personal API token, resolved once per request
//! and attached to it as a [`CurrentUser`]; handlers and server functions read it from there.

pub mod guard;
pub mod login;
pub mod origin;

use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{Extensions, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;
use warden_domain::CurrentUser;
use warden_domain::user::AuthenticatedByToken;

/// The session key holding the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";
/// The session key holding the user's session epoch at sign-in; a password change bumps
/// the user's epoch and so ends every older session.
pub const EPOCH_KEY: &str = "session_epoch";
/// The session key holding when the session was last marked as used (epoch seconds).
pub(crate) const SEEN_AT_KEY: &str = "seen_at";
/// tower-sessions extends a session's expiry only when the session is saved; re-marking it
/// this often makes the timeout an idle timeout without a database write per request.
const SEEN_RESOLUTION_SECS: i64 = 300;

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
        // An agent's ingest key: the routes agents call check it themselves.
        Some(Some(token))
            if token.starts_with(warden_domain::telemetry::agent::INGEST_KEY_PREFIX) =>
        {
            None
        }
        Some(Some(token)) => match state.services.authenticate_token(&token).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(AuthenticatedByToken);
                Some(user)
            }
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
    let epoch = session
        .get::<i64>(EPOCH_KEY)
        .await
        .map_err(|e| internal(&e))?
        .unwrap_or(-1);
    let user = state
        .services
        .session_user(user_id, epoch)
        .await
        .map_err(|e| internal(&e))?;
    if user.is_none() {
        // The account was disabled or deleted, or its password changed: end the session.
        session.flush().await.map_err(|e| internal(&e))?;
        return Ok(None);
    }
    let now = state.services.now() / 1000;
    let seen = session
        .get::<i64>(SEEN_AT_KEY)
        .await
        .map_err(|e| internal(&e))?;
    if seen.is_none_or(|seen| now - seen >= SEEN_RESOLUTION_SECS) {
        session
            .insert(SEEN_AT_KEY, now)
            .await
            .map_err(|e| internal(&e))?;
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

/// The client's network address, for throttling. Behind a trusted reverse proxy it is the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy; otherwise the
/// peer's address (a header anyone can write is not trusted).
pub fn client_address(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted_proxies: &[IpAddr],
) -> String {
    let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>() else {
        return "unknown".to_string();
    };
    let mut client = peer.ip();
    if trusted_proxies.contains(&client) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        for hop in forwarded.into_iter().rev() {
            client = hop;
            if !trusted_proxies.contains(&hop) {
                break;
            }
        }
    }
    client.to_string()
}

#[cfg(test)]
mod tests {
    use super::{bearer_token, client_address};
    use axum::extract::ConnectInfo;
    use axum::http::{Extensions, HeaderMap, HeaderValue};
    use std::net::{IpAddr, SocketAddr};

    #[test]
    fn the_forwarded_address_is_used_only_behind_a_trusted_proxy() {
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.0.0.2"),
        );
        let proxies: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        assert_eq!(
            client_address(&extensions, &headers, &proxies),
            "203.0.113.9"
        );
        assert_eq!(client_address(&extensions, &headers, &[]), "10.0.0.1");
        assert_eq!(
            client_address(&Extensions::new(), &headers, &proxies),
            "unknown"
        );
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively_and_other_schemes_refused() {
        assert_eq!(bearer_token(b"Bearer wdn_abc"), Some("wdn_abc"));
        assert_eq!(bearer_token(b"bearer  wdn_abc "), Some("wdn_abc"));
        assert_eq!(bearer_token(b"Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token(b"Bearer "), None);
        assert_eq!(bearer_token(&[0xff, 0xfe]), None);
    }
}
