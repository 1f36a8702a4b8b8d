//! Reading an ingest body: bounded on the wire and again after decompression, so neither
//! a huge upload nor a small gzip bomb can take the memory.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use std::io::Read;

/// Why a body was refused, with the status to answer.
#[derive(Debug)]
pub struct BodyError {
    pub status: StatusCode,
    pub message: String,
}

impl BodyError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        BodyError {
            status,
            message: message.into(),
        }
    }
}

/// Limits for one request body.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    /// Bytes on the wire (compressed or not).
    pub wire: usize,
    /// Bytes after decompression.
    pub decoded: usize,
}

/// A body read off the wire, not yet inflated.
pub struct RawBody {
    wire: axum::body::Bytes,
    gzip: bool,
}

/// Reads the whole body (chunked or with a length) and checks its encoding; inflating is
/// CPU work, left to [`RawBody::inflate`] so the caller can run it where CPU work runs.
pub async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limits: BodyLimits,
) -> Result<RawBody, BodyError> {
    let wire = axum::body::to_bytes(body, limits.wire)
        .await
        .map_err(|err| {
            // `to_bytes` reports an exceeded limit as an error whose source says so.
            if std::error::Error::source(&err)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            {
                BodyError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than {} bytes", limits.wire),
                )
            } else {
                BodyError::new(
                    StatusCode::BAD_REQUEST,
                    "the body could not be read to its end",
                )
            }
        })?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    let gzip = match encoding.as_deref() {
        None | Some("" | "identity") => false,
        Some("gzip" | "x-gzip") => true,
        Some(other) => {
            return Err(BodyError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Content-Encoding {other:?} is not supported; send gzip or none"),
            ));
        }
    };
    Ok(RawBody { wire, gzip })
}

impl RawBody {
    /// The body's size as it came, compressed or not.
    pub fn wire_len(&self) -> usize {
        self.wire.len()
    }

    /// The body's bytes, gunzipped when it was sent compressed, within `limit`.
    pub fn inflate(self, limit: usize) -> Result<Vec<u8>, BodyError> {
        if self.gzip {
            gunzip(&self.wire, limit)
        } else if self.wire.len() > limit {
            Err(too_large(limit))
        } else {
            Ok(self.wire.to_vec())
        }
    }
}

fn too_large(limit: usize) -> BodyError {
    BodyError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is larger than {limit} bytes once decompressed"),
    )
}

fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::with_capacity((data.len() * 4).min(limit));
    // One byte past the limit tells "exactly at the limit" from "over it".
    let mut reader = flate2::read::MultiGzDecoder::new(data).take(limit as u64 + 1);
    reader.read_to_end(&mut out).map_err(|e| {
        BodyError::new(
            StatusCode::BAD_REQUEST,
            format!("the gzip body is corrupt: {e}"),
        )
    })?;
    if out.len() > limit {
        return Err(too_large(limit));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn a_gzip_bomb_is_stopped_at_the_limit() {
        let bomb = gzip(&vec![0u8; 50 * 1024 * 1024]);
        assert!(bomb.len() < 100 * 1024, "the bomb is small on the wire");
        let err = gunzip(&bomb, 1024 * 1024).unwrap_err();
        assert_eq!(err.status, StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn gzip_round_trips_and_garbage_is_a_bad_request() {
        assert_eq!(gunzip(&gzip(b"hello"), 5).unwrap(), b"hello");
        assert_eq!(
            gunzip(b"not gzip at all", 100).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }
}
