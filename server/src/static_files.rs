//! How long browsers keep the site's static files. A release build names the WASM, JS and
//! CSS after their content (cargo-leptos `hash-files`, its `hash.txt` beside the binary), so
//! those may be kept for a year: an upgrade brings new names. Anything not named so is
//! revalidated on every use (`Last-Modified` from the file server answers 304).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::CACHE_CONTROL;
use leptos::config::LeptosOptions;
use std::path::Path;

const FOREVER: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Whether the build beside `exe` named its files after their content: cargo-leptos writes
/// the hashes to `hash_file` next to the binary when it does.
pub fn hashed_build(exe: &Path, hash_file: &str) -> bool {
    exe.parent()
        .is_some_and(|dir| dir.join(hash_file).is_file())
}

/// Adds `Cache-Control` to what the file server answers under the site's package folder.
pub async fn cache_headers(
    State(options): State<LeptosOptions>,
    request: Request,
    next: Next,
) -> Response {
    let pkg = format!("/{}/", options.site_pkg_dir.trim_matches('/'));
    let is_pkg = request.uri().path().starts_with(&pkg);
    let mut response = next.run(request).await;
    if is_pkg && response.status().is_success() {
        let policy = if options.hash_files {
            FOREVER
        } else {
            REVALIDATE
        };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_build_is_hashed_when_its_hash_file_is_beside_the_binary() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("warden");
        assert!(!hashed_build(&exe, "hash.txt"));
        std::fs::write(dir.path().join("hash.txt"), "wasm: 0123\n").unwrap();
        assert!(hashed_build(&exe, "hash.txt"));
    }
}
