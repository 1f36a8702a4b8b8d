//! The page guard: sends visitors to the sign-in page and marks refused pages 403, using the
//! same page table as the navigation. Server functions and API routes check for themselves.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header::COOKIE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use warden_domain::CurrentUser;
use warden_domain::access::{Access, access};

pub async fn guard_pages(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let user = request.extensions().get::<CurrentUser>();
    let path = request.uri().path();
    if path == "/login" && user.is_some() {
        return Redirect::to("/").into_response();
    }
    match access(path, user.map(|u| u.roles.as_slice())) {
        Access::Public | Access::Allowed(_) => next.run(request).await,
        Access::SignIn => {
            let wanted = request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str())
                .unwrap_or("/");
            let had_session = request.headers().get_all(COOKIE).iter().any(|c| {
                c.to_str()
                    .is_ok_and(|c| c.contains(crate::router::SESSION_COOKIE))
            });
            let mut query = Vec::new();
            if had_session {
                query.push("error=expired".to_string());
            }
            if wanted != "/" {
                query.push(format!("next={}", encode(wanted)));
            }
            let target = if query.is_empty() {
                "/login".to_string()
            } else {
                format!("/login?{}", query.join("&"))
            };
            Redirect::to(&target).into_response()
        }
        Access::Forbidden(_) => {
            let mut response = next.run(request).await;
            *response.status_mut() = StatusCode::FORBIDDEN;
            response
        }
    }
}

/// Percent-encodes a path and query for use as one query parameter value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where to go after signing in: only a path on this site, never another host.
///
/// Only visible ASCII is accepted: browsers drop tabs and newlines from URLs, so
/// `/\t/evil.example` would otherwise turn into `//evil.example` after the redirect.
pub fn safe_next(next: &str) -> &str {
    let visible = next.bytes().all(|b| b.is_ascii_graphic());
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if visible && local && !next.starts_with("/login") {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_encoded_as_one_parameter() {
        assert_eq!(
            encode("/admin/users?a=1&b=2"),
            "/admin/users%3Fa%3D1%26b%3D2"
        );
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/admin/users"), "/admin/users");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/\r\nSet-Cookie: x=1",
            "/caf\u{e9}",
            "",
            "/login?x",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile}");
        }
    }
}
