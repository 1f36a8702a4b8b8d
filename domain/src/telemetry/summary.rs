//! What the trace pages and `/api/v1/traces` show: trace summaries, the spans of one
//! trace, and PII events.

use super::span::Span;
use serde::{Deserialize, Serialize};

/// One interaction as the trace list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceSummary {
    pub trace_id: String,
    pub agent: String,
    /// The root span's name, or the earliest span's while the root has not arrived.
    pub name: String,
    pub start_ns: i64,
    pub end_ns: i64,
    pub span_count: i64,
    pub error_count: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    /// Millionths of the configured currency.
    pub cost_micros: i64,
    pub model: Option<String>,
    pub environment: Option<String>,
    pub pii_count: i64,
    pub tags: Vec<String>,
}

impl TraceSummary {
    pub fn duration_ns(&self) -> i64 {
        (self.end_ns - self.start_ns).max(0)
    }

    pub fn is_error(&self) -> bool {
        self.error_count > 0
    }
}

/// A stored span with the cost fixed at ingest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanView {
    #[serde(flatten)]
    pub span: Span,
    pub cost_micros: Option<i64>,
    /// How the cost was reached: `price:<model>@<date>` or `reported:...`.
    pub cost_basis: Option<String>,
    /// Whether any text of the span was redacted.
    pub redacted: bool,
}

/// One trace with its spans, in start order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceDetail {
    pub summary: TraceSummary,
    pub spans: Vec<SpanView>,
    pub pii_events: Vec<PiiEventInfo>,
    pub currency: String,
}

/// A PII finding: where and what kind, never the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PiiEventInfo {
    pub id: i64,
    pub agent: String,
    pub trace_id: String,
    pub span_id: String,
    /// `input`, `output` or the attribute key that held it.
    pub field: String,
    /// `EMAIL`, `PHONE`, `CREDIT_CARD`, ... or a configured pattern's name.
    pub kind: String,
    pub detected_at: i64,
    /// `ingest` (real-time scan) or `batch` (scheduled scan).
    pub stage: String,
}

/// Status filter of the trace list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    Ok,
    Error,
}

/// The trace list's filters; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceFilter {
    pub agent: Option<String>,
    /// Epoch milliseconds, inclusive.
    pub from_ms: Option<i64>,
    /// Epoch milliseconds, exclusive.
    pub to_ms: Option<i64>,
    pub tag: Option<String>,
    pub status: Option<StatusFilter>,
    pub model: Option<String>,
    /// Words searched in the stored (redacted) input and output.
    pub text: Option<String>,
    /// Traces that started before this instant (ns), for the next page.
    pub before_ns: Option<i64>,
    pub limit: Option<u32>,
}

impl TraceFilter {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 500;

    pub fn limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }
}
