//! Cross-site request refusal for cookie-authenticated writes.
//!
//! Session cookies are SameSite=Lax, which already keeps them off cross-site POSTs in
//! current browsers; checking `Origin` (and `Sec-Fetch-Site` where `Origin` is absent) also
//! covers older browsers and same-site subdomains, without a token in every form.

use crate::api::ApiError;
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // Token-authenticated calls carry no ambient credentials, so they cannot be forged.
    if safe || request.headers().contains_key(header::AUTHORIZATION) || same_origin(&request) {
        next.run(request).await
    } else {
        ApiError::forbidden("cross-site request refused").into_response()
    }
}

fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match headers.get(header::ORIGIN) {
        Some(origin) => {
            let origin_host = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, rest)| rest);
            origin_host.is_some() && origin_host == host
        }
        None => headers
            .get("sec-fetch-site")
            .is_none_or(|site| site.as_bytes() != b"cross-site"),
    }
}
