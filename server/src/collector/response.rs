//! OTLP/HTTP answers: the export response (with partial success) on success, a
//! `google.rpc.Status` on failure, each in the encoding the client sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceResponse,
};
use prost::Message;
use warden_services::ingest::Receipt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    Protobuf,
    Json,
}

/// `google.rpc.Status`, the error body OTLP/HTTP specifies; opentelemetry-proto does not
/// ship it, and two fields do not justify another crate.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
}

/// Which OTLP signal a request carried: the answers differ only in the JSON name of the
/// rejected count (the protobuf messages are field-for-field the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Traces,
    Metrics,
    Logs,
}

impl Signal {
    fn rejected_field(self) -> &'static str {
        match self {
            Signal::Traces => "rejectedSpans",
            Signal::Metrics => "rejectedDataPoints",
            Signal::Logs => "rejectedLogRecords",
        }
    }
}

pub struct Reply;

impl Reply {
    pub fn accepted(wire: Wire, receipt: &Receipt, signal: Signal) -> Response {
        let partial = (receipt.rejected > 0).then(|| ExportTracePartialSuccess {
            rejected_spans: i64::try_from(receipt.rejected).unwrap_or(i64::MAX),
            error_message: receipt.message.clone().unwrap_or_default(),
        });
        match wire {
            Wire::Protobuf => protobuf(
                StatusCode::OK,
                ExportTraceServiceResponse {
                    partial_success: partial,
                }
                .encode_to_vec(),
            ),
            Wire::Json => {
                let mut body = serde_json::json!({});
                if let Some(p) = partial {
                    body["partialSuccess"] = serde_json::json!({
                        signal.rejected_field(): p.rejected_spans.to_string(),
                        "errorMessage": p.error_message,
                    });
                }
                body["accepted"] = receipt.accepted.into();
                body["sampledOut"] = receipt.sampled_out.into();
                json(StatusCode::OK, &body)
            }
        }
    }

    pub fn error(wire: Wire, status: StatusCode, message: &str) -> Response {
        // gRPC codes for the HTTP statuses OTLP names.
        let code = match status {
            StatusCode::BAD_REQUEST
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::UNSUPPORTED_MEDIA_TYPE => 3,
            StatusCode::UNAUTHORIZED => 16,
            StatusCode::FORBIDDEN => 7,
            StatusCode::TOO_MANY_REQUESTS => 8,
            StatusCode::SERVICE_UNAVAILABLE => 14,
            _ => 13,
        };
        match wire {
            Wire::Protobuf => protobuf(
                status,
                RpcStatus {
                    code,
                    message: message.to_string(),
                }
                .encode_to_vec(),
            ),
            Wire::Json => json(
                status,
                &serde_json::json!({"code": code, "message": message}),
            ),
        }
    }

    pub fn retry(wire: Wire, status: StatusCode, message: &str, after_s: u64) -> Response {
        let mut response = Self::error(wire, status, message);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(after_s));
        response
    }
}

fn protobuf(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/x-protobuf")],
        body,
    )
        .into_response()
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}
