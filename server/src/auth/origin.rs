//! Cross-site request refusal for cookie-authenticated writes.
//!
//! Session cookies are SameSite=Lax, which already keeps them off cross-site POSTs in
//! current browsers; checking `Origin` (and `Sec-Fetch-Site` where `Origin` is absent) also
//! covers older browsers and same-site subdomains, without a token in every form.

use crate::api::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // Token-authenticated calls carry no ambient credentials, so they cannot be forged.
    let public_url = state.config.server.public_url.as_deref();
    if safe
        || request.headers().contains_key(header::AUTHORIZATION)
        || same_origin(request.headers(), public_url)
    {
        next.run(request).await
    } else {
        ApiError::forbidden("cross-site request refused").into_response()
    }
}

/// `scheme://host[:port]` of a URL, lower-cased, without path or trailing slash.
fn origin_of(url: &str) -> String {
    let url = url.trim().to_ascii_lowercase();
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => url,
    }
}

/// Whether a state-changing request comes from Warden's own pages. With a configured public
/// URL the whole origin (scheme, host, port) must match it, which also holds behind proxies
/// that rewrite `Host`; without one, the host must match the `Host` header.
fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return headers
            .get("sec-fetch-site")
            .is_none_or(|site| site.as_bytes() != b"cross-site");
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin_of(origin);
    match public_url {
        Some(public) => origin == origin_of(public),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            host.is_some_and(|host| {
                let host = host.to_ascii_lowercase();
                origin == format!("http://{host}") || origin == format!("https://{host}")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn with_a_public_url_the_whole_origin_must_match() {
        let public = Some("https://warden.example.com/");
        assert!(same_origin(
            &headers(&[("origin", "https://Warden.example.com")]),
            public
        ));
        assert!(!same_origin(
            &headers(&[("origin", "http://warden.example.com")]),
            public
        ));
        assert!(!same_origin(
            &headers(&[("origin", "https://warden.example.com:8443")]),
            public
        ));
        assert!(!same_origin(&headers(&[("origin", "null")]), public));
    }

    #[test]
    fn without_a_public_url_the_host_header_decides() {
        let h = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(same_origin(&h, None));
        let h = headers(&[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(!same_origin(&h, None));
        assert!(!same_origin(
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            None
        ));
    }

    #[test]
    fn without_origin_only_a_declared_cross_site_request_is_refused() {
        assert!(same_origin(&headers(&[]), None));
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            None
        ));
    }
}
