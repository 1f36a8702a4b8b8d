//! What an ingest commit writes: spans ready to store, their resources, PII events, usage
//! and the rest of a request's write, and what the commit reports back.

use crate::governance::reviews::ReviewRecord;
use crate::governance::{TraceCostCheck, ViolationRecord};
use std::sync::Arc;
use warden_domain::telemetry::Span;

/// A span ready to store: text already redacted, cost fixed.
#[derive(Debug, Clone)]
pub struct SpanRecord {
    pub span: Span,
    pub attributes_json: String,
    pub events_json: String,
    pub cost_micros: Option<i64>,
    pub cost_basis: Option<String>,
    pub redacted: bool,
    /// The agent's PII is scanned by the batch job, which has not seen this span yet.
    pub pii_pending: bool,
    /// PII findings in this span (secrets not counted).
    pub pii_count: i64,
    /// The resource the span arrived with, stored once for all its spans.
    pub resource: Option<Arc<ResourceRecord>>,
}

/// An OTLP resource ready to store: its attributes redacted, as JSON, and their digest,
/// which identifies the stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRecord {
    pub digest: String,
    pub attributes_json: String,
}

impl ResourceRecord {
    pub fn new(attributes_json: String) -> ResourceRecord {
        use sha2::{Digest, Sha256};
        ResourceRecord {
            digest: hex::encode(Sha256::digest(attributes_json.as_bytes())),
            attributes_json,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PiiEventRecord {
    pub agent: String,
    pub trace_id: String,
    pub span_id: String,
    pub field: String,
    pub kind: String,
    pub stage: &'static str,
    pub detected_at: i64,
}

/// One agent's usage in one minute; counts every span, sampled out or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageRecord {
    pub agent: String,
    /// Epoch ms of the minute's start.
    pub minute: i64,
    pub spans: i64,
    /// Interactions counted in this minute ([`warden_domain::metrics::interaction`]).
    pub traces: i64,
    /// Spans with status ERROR.
    pub errors: i64,
    /// Interactions with a span with status ERROR.
    pub error_traces: i64,
    pub llm_calls: i64,
    pub tool_calls: i64,
    /// Tool calls with status ERROR.
    pub tool_errors: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_tokens: i64,
    pub cost_micros: i64,
    /// The counted interactions' durations, added up.
    pub trace_duration_ns: i64,
    pub sampled_out: i64,
}

impl UsageRecord {
    pub(super) fn add(&mut self, other: &UsageRecord) {
        self.spans += other.spans;
        self.traces += other.traces;
        self.errors += other.errors;
        self.error_traces += other.error_traces;
        self.llm_calls += other.llm_calls;
        self.tool_calls += other.tool_calls;
        self.tool_errors += other.tool_errors;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cache_read_tokens += other.cache_read_tokens;
        self.cache_write_tokens += other.cache_write_tokens;
        self.cost_micros += other.cost_micros;
        self.trace_duration_ns += other.trace_duration_ns;
        self.sampled_out += other.sampled_out;
    }
}

/// One agent's calls of one model in one hour; counts every call, sampled out or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelUsageRecord {
    pub agent: String,
    pub model: String,
    /// Epoch ms of the hour's start.
    pub hour: i64,
    pub calls: i64,
    /// Calls with status ERROR.
    pub failed_calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_tokens: i64,
    pub cost_micros: i64,
    /// What the failed calls cost.
    pub failed_cost_micros: i64,
}

impl ModelUsageRecord {
    pub(super) fn add(&mut self, other: &ModelUsageRecord) {
        self.calls += other.calls;
        self.failed_calls += other.failed_calls;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cache_read_tokens += other.cache_read_tokens;
        self.cache_write_tokens += other.cache_write_tokens;
        self.cost_micros += other.cost_micros;
        self.failed_cost_micros += other.failed_cost_micros;
    }
}

/// Everything one or more ingest requests write.
#[derive(Debug, Clone, Default)]
pub struct IngestWrite {
    pub spans: Vec<SpanRecord>,
    /// (trace id, tag); stored in the trace's summary row.
    pub tags: Vec<(String, String)>,
    pub pii_events: Vec<PiiEventRecord>,
    pub usage: Vec<UsageRecord>,
    pub model_usage: Vec<ModelUsageRecord>,
    /// Agents seen, with the environment their spans named.
    pub agents_seen: Vec<(String, Option<String>)>,
    pub received_at: i64,
    /// The request body's digest: a request committed before is not stored again.
    pub digest: Option<String>,
    /// Rules the request's spans broke.
    pub violations: Vec<ViolationRecord>,
    /// Traces that ended in this request under a cost limit: judged on their stored total.
    pub cost_checks: Vec<TraceCostCheck>,
    /// Interactions that enter the human review queue (`mandatory_human_review`).
    pub reviews: Vec<ReviewRecord>,
    /// Interactions of traces sampled out whose root this request carried: they are
    /// counted without being stored.
    pub sampled_interactions: Vec<SampledInteraction>,
    /// Traces that may open a conversation: the commit that stores the conversation first
    /// keeps the violation of an answer without the AI disclosure.
    pub conversation_starts: Vec<ConversationStart>,
}

/// An interaction sampled out, as its request carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampledInteraction {
    pub agent: String,
    pub start_ns: i64,
    pub duration_ns: i64,
    pub error: bool,
}

/// A trace's answer in a conversation, judged if it turns out to be the first.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationStart {
    pub agent: String,
    pub conversation_id: String,
    pub trace_id: String,
    pub started_at: i64,
    /// `transparency_notice_required`, broken if this is the conversation's first answer.
    pub undisclosed: Option<ViolationRecord>,
}

impl IngestWrite {
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.usage.is_empty() && self.agents_seen.is_empty()
    }
}

/// What the commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitOutcome {
    pub spans_inserted: u64,
    /// Spans of requests committed before (an exporter retrying after a lost answer).
    pub spans_duplicate: u64,
}
