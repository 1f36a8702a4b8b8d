//! Traces as Warden keeps them: one normalised span model behind OTLP and the native JSON
//! API, the agents that send them, sampling, prices and the trace summaries pages list.

pub mod agent;
pub mod ids;
pub mod messages;
pub mod pricing;
pub mod sampling;
pub mod span;
pub mod summary;

pub use agent::{AgentInfo, AgentSource, IngestKeyInfo, KeyScope, PiiScanMode};
pub use ids::{SpanId, TraceId};
pub use span::{AttrValue, Attributes, Span, SpanEvent, SpanKind, SpanStatus, TokenUsage};
pub use summary::{PiiEventInfo, SpanView, TraceDetail, TraceFilter, TraceSummary};
