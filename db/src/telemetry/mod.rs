//! Storage of the trace collector: agents, ingest keys, the ingest commit and its records,
//! trace queries, PII events and retention.

mod agents;
mod ingest;
mod interactions;
mod keys;
mod pii_events;
mod records;
mod retention;
mod signals;
mod span_insert;
mod summaries;
mod traces;
pub(crate) mod usage_shards;

pub use pii_events::PendingScan;
pub use records::{
    CommitOutcome, ConversationStart, IngestWrite, ModelUsageRecord, PiiEventRecord,
    ResourceRecord, SampledInteraction, SpanRecord, UsageRecord,
};
pub use retention::{RetentionRun, RetentionTier, TelemetryCounts};
pub use signals::{EventRecord, MetricRecord};
