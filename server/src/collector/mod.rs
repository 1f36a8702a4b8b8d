//! The collector's HTTP surface: OTLP/HTTP at `/v1/traces`, `/v1/metrics` and `/v1/logs`,
//! and the native JSON batch API at `/api/v1/ingest`. Agents authenticate with an ingest key (`Authorization: Bearer
//! wik_...` or `X-Api-Key`); these routes sit outside the session and origin layers (agents
//! send no cookies) and have their own body limits.

mod body;
mod response;

use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use body::{BodyError, BodyLimits, RawBody, read_body};
use response::{Reply, Signal, Wire};
use warden_domain::telemetry::KeyScope;
use warden_services::ingest::{
    DecodeError, Decoded, Encoding, IngestError, Receipt, decode_traces, native, signals,
};

/// 16 MiB on the wire (the OpenTelemetry Collector's default for OTLP/HTTP is larger,
/// but SDK batch exporters send a few MiB at most) and 64 MiB decompressed.
pub const LIMITS: BodyLimits = BodyLimits {
    wire: 16 * 1024 * 1024,
    decoded: 64 * 1024 * 1024,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/traces", post(otlp_traces))
        .route("/v1/metrics", post(otlp_metrics))
        .route("/v1/logs", post(otlp_logs))
        .route("/api/v1/ingest", post(native_batch))
}

async fn otlp_traces(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    otlp(state, headers, body, Signal::Traces).await
}

async fn otlp_metrics(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    otlp(state, headers, body, Signal::Metrics).await
}

async fn otlp_logs(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    otlp(state, headers, body, Signal::Logs).await
}

async fn otlp(state: AppState, headers: HeaderMap, body: Body, signal: Signal) -> Response {
    let wire = match content_type(&headers) {
        Some(ContentType::Protobuf) => Wire::Protobuf,
        Some(ContentType::Json) => Wire::Json,
        None => {
            return Reply::error(
                Wire::Json,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/x-protobuf or application/json",
            );
        }
    };
    let scope = match authenticate(&state, &headers).await {
        Ok(scope) => scope,
        Err(reply) => return reply.into_response(wire),
    };
    let raw = match read_body(&headers, body, LIMITS).await {
        Ok(raw) => raw,
        Err(err) => return Reply::error(wire, err.status, &err.message),
    };
    let size = raw.wire_len();
    let encoding = match wire {
        Wire::Protobuf => Encoding::Protobuf,
        Wire::Json => Encoding::Json,
    };
    let decoded = match signal {
        Signal::Traces => match decode(&state, raw, move |b| decode_traces(b, encoding)).await {
            Ok(decoded) => return submit(&state, &scope, decoded, size, wire).await,
            Err(err) => Err(err),
        },
        Signal::Metrics => decode(&state, raw, move |b| signals::decode_metrics(b, encoding)).await,
        Signal::Logs => decode(&state, raw, move |b| signals::decode_logs(b, encoding)).await,
    };
    match decoded {
        Ok(decoded) => answer(
            state.pipeline.submit_signals(&scope, decoded).await,
            wire,
            signal,
        ),
        Err(err) => Reply::error(wire, err.status, &err.message),
    }
}

/// Inflates and decodes a body as one CPU stage of the pipeline: no more of them at once
/// than there are cores, so requests waiting for CPU hold only their compressed bytes.
async fn decode<T: Send + 'static>(
    state: &AppState,
    raw: RawBody,
    decoder: impl FnOnce(&[u8]) -> Result<T, DecodeError> + Send + 'static,
) -> Result<T, BodyError> {
    state
        .pipeline
        .cpu_stage(raw.wire_len(), move || {
            let bytes = raw.inflate(LIMITS.decoded)?;
            decoder(&bytes).map_err(|err| BodyError {
                status: StatusCode::BAD_REQUEST,
                message: err.0,
            })
        })
        .await
        .unwrap_or_else(|| {
            Err(BodyError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "the body could not be decoded".into(),
            })
        })
}

async fn native_batch(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    if content_type(&headers) != Some(ContentType::Json) {
        return Reply::error(
            Wire::Json,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        );
    }
    let scope = match authenticate(&state, &headers).await {
        Ok(scope) => scope,
        Err(reply) => return reply.into_response(Wire::Json),
    };
    let raw = match read_body(&headers, body, LIMITS).await {
        Ok(raw) => raw,
        Err(err) => return Reply::error(Wire::Json, err.status, &err.message),
    };
    let size = raw.wire_len();
    match decode(&state, raw, native::decode_native).await {
        Ok(decoded) => submit(&state, &scope, decoded, size, Wire::Json).await,
        Err(err) => Reply::error(Wire::Json, err.status, &err.message),
    }
}

/// `size`: the body's bytes as sent, which place the request among those waiting for CPU.
async fn submit(
    state: &AppState,
    scope: &KeyScope,
    decoded: Decoded,
    size: usize,
    wire: Wire,
) -> Response {
    answer(
        state.pipeline.submit(scope, decoded, size).await,
        wire,
        Signal::Traces,
    )
}

fn answer(result: Result<Receipt, IngestError>, wire: Wire, signal: Signal) -> Response {
    match result {
        Ok(receipt) => Reply::accepted(wire, &receipt, signal),
        Err(IngestError::Forbidden(message)) => Reply::error(wire, StatusCode::FORBIDDEN, &message),
        Err(err @ IngestError::Busy { retry_after_s }) => Reply::retry(
            wire,
            StatusCode::TOO_MANY_REQUESTS,
            &err.to_string(),
            retry_after_s,
        ),
        Err(err @ IngestError::Unavailable { retry_after_s }) => Reply::retry(
            wire,
            StatusCode::SERVICE_UNAVAILABLE,
            &err.to_string(),
            retry_after_s,
        ),
    }
}

/// An authentication failure, answered in the request's own encoding.
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub message: &'static str,
}

impl Refusal {
    fn into_response(self, wire: Wire) -> Response {
        let mut response = Reply::error(wire, self.status, self.message);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The scope of the ingest key the request carries (`Authorization: Bearer wik_...` or
/// `X-Api-Key`); also used by the API routes agents call (control state, guard).
pub(crate) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<KeyScope, Refusal> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim);
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Err(Refusal {
            status: StatusCode::UNAUTHORIZED,
            message: "send an ingest key: `Authorization: Bearer wik_...`",
        });
    };
    match state.pipeline.authenticate(secret).await {
        Ok(Some(scope)) => Ok(scope),
        Ok(None) => Err(Refusal {
            status: StatusCode::UNAUTHORIZED,
            message: "the ingest key is unknown or revoked",
        }),
        Err(err) => {
            tracing::error!(error = ?err, "checking an ingest key");
            Err(Refusal {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "the key could not be checked; retry",
            })
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContentType {
    Protobuf,
    Json,
}

fn content_type(headers: &HeaderMap) -> Option<ContentType> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/x-protobuf" | "application/protobuf" => Some(ContentType::Protobuf),
        "application/json" => Some(ContentType::Json),
        _ => None,
    }
}
