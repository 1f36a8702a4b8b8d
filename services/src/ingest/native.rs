//! Warden's own JSON batch format (`POST /api/v1/ingest`), for agents without an
//! OpenTelemetry SDK: plain HTTP, flat fields, times in epoch milliseconds.
//!
//! ```json
//! {"agent": "billing-bot", "environment": "production",
//!  "spans": [{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7",
//!             "name": "answer", "kind": "llm", "start_ms": 1764000000000, "duration_ms": 840,
//!             "model": "gpt-4o-mini", "input_tokens": 812, "output_tokens": 95,
//!             "input": "...", "output": "...", "attributes": {"customer.tier": "gold"}}]}
//! ```

use super::DecodeError;
use super::otlp::Decoded;
use serde::Deserialize;
use warden_domain::telemetry::{
    Attributes, Span, SpanId, SpanKind, SpanStatus, TokenUsage, TraceId,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    /// The agent of spans that do not name one.
    agent: Option<String>,
    environment: Option<String>,
    spans: Vec<NativeSpan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeSpan {
    trace_id: String,
    /// Made up when missing: an agent logging one call per trace need not invent ids.
    span_id: Option<String>,
    parent_span_id: Option<String>,
    agent: Option<String>,
    name: String,
    kind: Option<String>,
    start_ms: f64,
    end_ms: Option<f64>,
    duration_ms: Option<f64>,
    status: Option<String>,
    error: Option<String>,
    error_type: Option<String>,
    operation: Option<String>,
    provider: Option<String>,
    model: Option<String>,
    input_tokens: Option<i64>,
    output_tokens: Option<i64>,
    cache_read_tokens: Option<i64>,
    reasoning_tokens: Option<i64>,
    cost_usd: Option<f64>,
    tool: Option<String>,
    conversation_id: Option<String>,
    user_id: Option<String>,
    input: Option<String>,
    output: Option<String>,
    #[serde(default)]
    attributes: Attributes,
}

/// Decodes a native batch. Any invalid span refuses the whole request (with the span's
/// index and the field), so a client never half-succeeds without noticing.
pub fn decode_native(body: &[u8]) -> Result<Decoded, DecodeError> {
    let batch: Batch = serde_json::from_slice(body)
        .map_err(|e| DecodeError(format!("the body is not a Warden ingest batch: {e}")))?;
    if batch.spans.is_empty() {
        return Err(DecodeError("the batch has no spans".into()));
    }
    let mut spans = Vec::with_capacity(batch.spans.len());
    for (i, span) in batch.spans.into_iter().enumerate() {
        let span = convert(span, batch.agent.as_deref(), batch.environment.as_deref())
            .map_err(|why| DecodeError(format!("spans[{i}]: {why}")))?;
        spans.push(span);
    }
    Ok(Decoded {
        spans,
        rejected: 0,
        first_rejection: None,
        digest: Some(super::otlp::digest(body)),
    })
}

fn ms_to_ns(ms: f64, field: &str) -> Result<i64, String> {
    if !ms.is_finite() || !(0.0..9.0e12).contains(&ms) {
        return Err(format!("{field} must be epoch milliseconds"));
    }
    Ok((ms * 1e6).round() as i64)
}

fn convert(
    s: NativeSpan,
    default_agent: Option<&str>,
    environment: Option<&str>,
) -> Result<Span, String> {
    let trace_id = TraceId::parse_hex(&s.trace_id)
        .ok_or("trace_id must be 32 hex characters, not all zero")?;
    let span_id = match &s.span_id {
        Some(id) => {
            SpanId::parse_hex(id).ok_or("span_id must be 16 hex characters, not all zero")?
        }
        None => random_span_id()?,
    };
    let parent_span_id = match &s.parent_span_id {
        Some(id) => Some(SpanId::parse_hex(id).ok_or("parent_span_id must be 16 hex characters")?),
        None => None,
    };
    let agent = s
        .agent
        .as_deref()
        .or(default_agent)
        .filter(|a| !a.trim().is_empty())
        .ok_or("no agent: set \"agent\" on the batch or the span")?;
    let agent = warden_domain::telemetry::agent::validate_agent_name(agent)?;
    if s.name.trim().is_empty() {
        return Err("name must not be empty".into());
    }
    let start_ns = ms_to_ns(s.start_ms, "start_ms")?;
    let end_ns = match (s.end_ms, s.duration_ms) {
        (Some(end), _) => ms_to_ns(end, "end_ms")?,
        (None, Some(d)) => start_ns + ms_to_ns(d, "duration_ms")?,
        (None, None) => start_ns,
    };
    if end_ns < start_ns {
        return Err("end_ms is before start_ms".into());
    }
    let kind = match s.kind.as_deref() {
        None => {
            if s.tool.is_some() {
                SpanKind::Tool
            } else if s.model.is_some() {
                SpanKind::Llm
            } else if parent_span_id.is_none() {
                SpanKind::Agent
            } else {
                SpanKind::Other
            }
        }
        Some(kind) => SpanKind::parse(kind).ok_or_else(|| {
            format!("kind {kind:?} is not one of agent, llm, tool, retriever, chain, other")
        })?,
    };
    let status = match s.status.as_deref() {
        None if s.error.is_some() || s.error_type.is_some() => SpanStatus::Error,
        None => SpanStatus::Unset,
        Some(status) => SpanStatus::parse(status)
            .ok_or_else(|| format!("status {status:?} is not one of ok, error, unset"))?,
    };
    Ok(Span {
        trace_id,
        span_id,
        parent_span_id,
        agent,
        name: s.name,
        kind,
        start_ns,
        end_ns,
        status,
        status_message: s.error,
        error_type: s.error_type,
        operation: s.operation,
        provider: s.provider,
        model: s.model,
        usage: TokenUsage {
            input: s.input_tokens,
            output: s.output_tokens,
            cache_read: s.cache_read_tokens,
            cache_write: None,
            reasoning: s.reasoning_tokens,
        },
        reported_cost_usd: s.cost_usd,
        tool_name: s.tool,
        conversation_id: s.conversation_id,
        session_id: None,
        user_id: s.user_id,
        environment: environment.map(str::to_string),
        service_version: None,
        input: s.input,
        output: s.output,
        attributes: s.attributes,
        events: Vec::new(),
        resource: None,
    })
}

fn random_span_id() -> Result<SpanId, String> {
    loop {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|_| "no randomness for a span id".to_string())?;
        if let Some(id) = SpanId::from_bytes(&bytes) {
            return Ok(id);
        }
    }
}
