//! OTLP traces (protobuf or JSON) to Warden's span model.
//!
//! Agents follow two conventions for LLM telemetry: the OpenTelemetry GenAI semantic
//! conventions (`gen_ai.*`) and OpenInference (`llm.*`, `openinference.span.kind`); older
//! instrumentations still send the deprecated GenAI names. Each dedicated field below reads
//! them in that order of preference; attributes that became a field are not kept twice,
//! everything else stays in the span's attributes.

use super::DecodeError;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::{Span as OtlpSpan, status::StatusCode};
use prost::Message;
use std::sync::Arc;
use warden_domain::telemetry::{
    AttrValue, Attributes, Span, SpanEvent, SpanId, SpanKind, SpanStatus, TokenUsage, TraceId,
};

/// How a body is encoded, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Protobuf,
    Json,
}

/// The spans a request carried, and those refused one by one (OTLP's partial success).
#[derive(Debug, Default)]
pub struct Decoded {
    pub spans: Vec<Span>,
    pub rejected: u64,
    /// Why the first span was refused, for the partial-success message.
    pub first_rejection: Option<String>,
    /// SHA-256 of the (decompressed) body: the same request sent again is not stored twice.
    pub digest: Option<String>,
}

/// Decodes one OTLP export request in either encoding; `what` names it in the error.
pub(crate) fn decode_request<T: Message + Default + serde::de::DeserializeOwned>(
    body: &[u8],
    encoding: Encoding,
    what: &str,
) -> Result<T, DecodeError> {
    match encoding {
        Encoding::Protobuf => T::decode(body)
            .map_err(|e| DecodeError(format!("the body is not an OTLP protobuf {what}: {e}"))),
        Encoding::Json => serde_json::from_slice(body)
            .map_err(|e| DecodeError(format!("the body is not OTLP/JSON {what}: {e}"))),
    }
}

/// The digest of a request body.
pub fn digest(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(body))
}

/// Decodes an OTLP export request. A body that does not decode is refused whole; a span
/// with an invalid id is refused alone.
pub fn decode_traces(body: &[u8], encoding: Encoding) -> Result<Decoded, DecodeError> {
    let request: ExportTraceServiceRequest =
        decode_request(body, encoding, "ExportTraceServiceRequest")?;
    let mut decoded = normalise(request);
    decoded.digest = Some(digest(body));
    Ok(decoded)
}

/// Attribute keys read into dedicated fields, so they are not also kept as attributes.
const CONSUMED: &[&str] = &[
    "gen_ai.agent.name",
    "gen_ai.operation.name",
    "gen_ai.provider.name",
    "gen_ai.system",
    "gen_ai.request.model",
    "gen_ai.response.model",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.prompt_tokens",
    "gen_ai.usage.completion_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.reasoning_tokens",
    "gen_ai.tool.name",
    "gen_ai.conversation.id",
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.prompt",
    "gen_ai.completion",
    "gen_ai.tool.call.arguments",
    "gen_ai.tool.call.result",
    "error.type",
    "openinference.span.kind",
    "llm.model_name",
    "llm.provider",
    "llm.system",
    "llm.token_count.prompt",
    "llm.token_count.completion",
    "llm.token_count.prompt_details.cache_read",
    "llm.token_count.prompt_details.cache_write",
    "llm.token_count.completion_details.reasoning",
    "llm.cost.total",
    "input.value",
    "output.value",
    "tool.name",
    "session.id",
    "user.id",
    "enduser.id",
];

fn normalise(request: ExportTraceServiceRequest) -> Decoded {
    let mut out = Decoded::default();
    for resource_spans in request.resource_spans {
        let resource = Arc::new(
            resource_spans
                .resource
                .map(|r| convert_attributes(r.attributes))
                .unwrap_or_default(),
        );
        let service = resource
            .get("service.name")
            .and_then(AttrValue::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("unknown_service")
            .to_string();
        let environment = text(
            &resource,
            &["deployment.environment.name", "deployment.environment"],
        );
        let version = text(&resource, &["service.version"]);
        let first_of_resource = out.spans.len();
        for scope_spans in resource_spans.scope_spans {
            for span in scope_spans.spans {
                match convert_span(span, &service) {
                    Ok(mut span) => {
                        span.environment = environment.clone();
                        span.service_version = version.clone();
                        if !resource.is_empty() {
                            span.resource = Some(resource.clone());
                        }
                        out.spans.push(span);
                    }
                    Err(reason) => {
                        out.rejected += 1;
                        out.first_rejection.get_or_insert(reason);
                    }
                }
            }
        }
        attribute_agents_by_trace(&mut out.spans[first_of_resource..], &service);
    }
    out
}

/// Only the span that invokes the agent usually names it (`gen_ai.agent.name`); its model
/// and tool calls inherit that name, within the same trace and service.
fn attribute_agents_by_trace(spans: &mut [Span], service: &str) {
    let named: Vec<(TraceId, String)> = spans
        .iter()
        .filter(|s| s.agent != service)
        .map(|s| (s.trace_id, s.agent.clone()))
        .collect();
    if named.is_empty() {
        return;
    }
    for span in spans.iter_mut().filter(|s| s.agent == service) {
        if let Some((_, agent)) = named.iter().find(|(t, _)| *t == span.trace_id) {
            span.agent = agent.clone();
        }
    }
}

fn convert_span(span: OtlpSpan, service: &str) -> Result<Span, String> {
    let trace_id = TraceId::from_bytes(&span.trace_id).ok_or_else(|| {
        format!(
            "span {:?} has an invalid trace id (16 bytes, not all zero)",
            span.name
        )
    })?;
    let span_id = SpanId::from_bytes(&span.span_id).ok_or_else(|| {
        format!(
            "span {:?} has an invalid span id (8 bytes, not all zero)",
            span.name
        )
    })?;
    let parent_span_id = if span.parent_span_id.is_empty() {
        None
    } else {
        Some(
            SpanId::from_bytes(&span.parent_span_id)
                .ok_or_else(|| format!("span {:?} has an invalid parent span id", span.name))?,
        )
    };
    let start_ns = i64::try_from(span.start_time_unix_nano)
        .map_err(|_| "start time out of range".to_string())?;
    let end_ns = i64::try_from(span.end_time_unix_nano)
        .map_err(|_| "end time out of range".to_string())?
        .max(start_ns);
    let attrs = convert_attributes(span.attributes);
    let events: Vec<SpanEvent> = span
        .events
        .into_iter()
        .map(|e| SpanEvent {
            name: e.name,
            time_ns: i64::try_from(e.time_unix_nano).unwrap_or(start_ns),
            attributes: convert_attributes(e.attributes),
        })
        .collect();
    let (status, mut status_message) = match span.status {
        Some(s) if s.code == StatusCode::Error as i32 => (SpanStatus::Error, Some(s.message)),
        Some(s) if s.code == StatusCode::Ok as i32 => (SpanStatus::Ok, Some(s.message)),
        _ => (SpanStatus::Unset, None),
    };
    let exception = events.iter().find(|e| e.name == "exception");
    let mut error_type = text(&attrs, &["error.type"]);
    if error_type.is_none() && status == SpanStatus::Error {
        error_type = exception.and_then(|e| text(&e.attributes, &["exception.type"]));
    }
    if status_message.as_deref().is_none_or(str::is_empty) {
        status_message = exception.and_then(|e| text(&e.attributes, &["exception.message"]));
    }
    let agent = text(&attrs, &["gen_ai.agent.name"]).unwrap_or_else(|| service.to_string());
    let operation = text(&attrs, &["gen_ai.operation.name"]);
    let model = text(
        &attrs,
        &[
            "gen_ai.response.model",
            "gen_ai.request.model",
            "llm.model_name",
        ],
    );
    let tool_name = text(&attrs, &["gen_ai.tool.name", "tool.name"]);
    let kind = span_kind(
        &attrs,
        operation.as_deref(),
        &span.name,
        model.is_some(),
        tool_name.is_some(),
    );
    let usage = TokenUsage {
        input: int(
            &attrs,
            &[
                "gen_ai.usage.input_tokens",
                "gen_ai.usage.prompt_tokens",
                "llm.token_count.prompt",
            ],
        ),
        output: int(
            &attrs,
            &[
                "gen_ai.usage.output_tokens",
                "gen_ai.usage.completion_tokens",
                "llm.token_count.completion",
            ],
        ),
        cache_read: int(
            &attrs,
            &[
                "gen_ai.usage.cache_read.input_tokens",
                "gen_ai.usage.cache_read_input_tokens",
                "llm.token_count.prompt_details.cache_read",
            ],
        ),
        cache_write: int(
            &attrs,
            &[
                "gen_ai.usage.cache_creation.input_tokens",
                "gen_ai.usage.cache_creation_input_tokens",
                "llm.token_count.prompt_details.cache_write",
            ],
        ),
        reasoning: int(
            &attrs,
            &[
                "gen_ai.usage.reasoning.output_tokens",
                "gen_ai.usage.reasoning_tokens",
                "llm.token_count.completion_details.reasoning",
            ],
        ),
    };
    let (input_keys, output_keys): (&[&str], &[&str]) = if kind == SpanKind::Tool {
        (
            &[
                "gen_ai.tool.call.arguments",
                "input.value",
                "gen_ai.input.messages",
            ],
            &[
                "gen_ai.tool.call.result",
                "output.value",
                "gen_ai.output.messages",
            ],
        )
    } else {
        (
            &["gen_ai.input.messages", "input.value", "gen_ai.prompt"],
            &[
                "gen_ai.output.messages",
                "output.value",
                "gen_ai.completion",
            ],
        )
    };
    let mut normalised = Span {
        trace_id,
        span_id,
        parent_span_id,
        agent,
        name: span.name,
        kind,
        start_ns,
        end_ns,
        status,
        status_message: status_message.filter(|m| !m.is_empty()),
        error_type,
        operation,
        provider: text(
            &attrs,
            &[
                "gen_ai.provider.name",
                "gen_ai.system",
                "llm.provider",
                "llm.system",
            ],
        ),
        model,
        usage,
        reported_cost_usd: float(&attrs, &["llm.cost.total"]),
        tool_name,
        conversation_id: text(&attrs, &["gen_ai.conversation.id", "session.id"]),
        session_id: text(&attrs, &["session.id"]),
        user_id: text(&attrs, &["user.id", "enduser.id"]),
        environment: None,
        service_version: None,
        input: text_value(&attrs, input_keys),
        output: text_value(&attrs, output_keys),
        attributes: Attributes::default(),
        events,
        resource: None,
    };
    normalised.attributes = Attributes(
        attrs
            .0
            .into_iter()
            .filter(|(k, _)| !CONSUMED.contains(&k.as_str()))
            .collect(),
    );
    Ok(normalised)
}

fn span_kind(
    attrs: &Attributes,
    operation: Option<&str>,
    name: &str,
    has_model: bool,
    has_tool: bool,
) -> SpanKind {
    if let Some(kind) = attrs
        .get("openinference.span.kind")
        .and_then(AttrValue::as_str)
    {
        return match kind.to_ascii_uppercase().as_str() {
            "AGENT" => SpanKind::Agent,
            "LLM" | "EMBEDDING" => SpanKind::Llm,
            "TOOL" => SpanKind::Tool,
            "RETRIEVER" | "RERANKER" => SpanKind::Retriever,
            "CHAIN" => SpanKind::Chain,
            _ => SpanKind::Other,
        };
    }
    match operation {
        Some("invoke_agent" | "create_agent") => return SpanKind::Agent,
        Some("chat" | "text_completion" | "generate_content" | "embeddings") => {
            return SpanKind::Llm;
        }
        Some("execute_tool") => return SpanKind::Tool,
        _ => {}
    }
    // OpenClaw names its spans instead of setting an operation.
    match name {
        "openclaw.run" => SpanKind::Agent,
        "openclaw.model.call" => SpanKind::Llm,
        "openclaw.tool.execution" => SpanKind::Tool,
        _ if has_tool => SpanKind::Tool,
        _ if has_model => SpanKind::Llm,
        _ => SpanKind::Other,
    }
}

fn text(attrs: &Attributes, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| {
            attrs
                .get(k)
                .and_then(AttrValue::as_str)
                .filter(|s| !s.is_empty())
        })
        .map(str::to_string)
}

/// A text field that may also arrive structured (messages as an array): kept as JSON.
fn text_value(attrs: &Attributes, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match attrs.get(k)? {
        AttrValue::Str(s) if !s.is_empty() => Some(s.clone()),
        AttrValue::Str(_) => None,
        other => serde_json::to_string(other).ok(),
    })
}

fn int(attrs: &Attributes, keys: &[&str]) -> Option<i64> {
    keys.iter()
        .find_map(|k| attrs.get(k).and_then(AttrValue::as_i64))
}

fn float(attrs: &Attributes, keys: &[&str]) -> Option<f64> {
    keys.iter()
        .find_map(|k| attrs.get(k).and_then(AttrValue::as_f64))
}

pub(crate) fn convert_attributes(list: Vec<KeyValue>) -> Attributes {
    Attributes(
        list.into_iter()
            .filter_map(|kv| Some((kv.key, convert_value(kv.value?)?)))
            .collect(),
    )
}

fn convert_value(value: AnyValue) -> Option<AttrValue> {
    Some(match value.value? {
        any_value::Value::StringValue(s) => AttrValue::Str(s),
        any_value::Value::BoolValue(b) => AttrValue::Bool(b),
        any_value::Value::IntValue(n) => AttrValue::Int(n),
        any_value::Value::DoubleValue(d) => AttrValue::Double(d),
        any_value::Value::ArrayValue(a) => {
            AttrValue::Array(a.values.into_iter().filter_map(convert_value).collect())
        }
        any_value::Value::KvlistValue(kv) => AttrValue::Map(convert_attributes(kv.values)),
        any_value::Value::BytesValue(b) => AttrValue::Str(hex::encode(b)),
        // String-table references belong to the profiles signal, never to traces.
        _ => return None,
    })
}
