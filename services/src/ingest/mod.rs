//! The ingestion pipeline behind `POST /v1/traces` and `POST /api/v1/ingest`: decode,
//! normalise, check the key's scope, scan for PII and secrets, cost, sample, then commit;
//! the caller hears back only once its spans are committed.
//!
//! Commits are grouped: requests that arrive while a commit runs are written together by
//! the next one, so durability costs one transaction per group, not per request. The queue
//! in front of the writers is bounded in spans; when it is full a request waits briefly,
//! then is refused with a retryable error rather than buffered without bound.

mod batch_scan;
mod cpu_gate;
mod guard;
mod judge;
pub mod native;
pub mod otlp;
mod prepare;
mod registry;
mod scan;
pub mod signals;
mod writer;

pub use guard::{GuardRefusal, MAX_GUARD_OUTPUT};
pub use otlp::{Decoded, Encoding, decode_traces};
pub use registry::Registry;
pub(crate) use scan::redact_text;

use crate::Services;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, Semaphore, mpsc};
use warden_domain::telemetry::KeyScope;
use warden_domain::telemetry::pricing::PriceTable;
use warden_pii::Scanner;

/// A body that is not what it claims to be; nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// The pipeline's settings, from the config's `ingestion` and `pricing` blocks.
#[derive(Clone)]
pub struct IngestSettings {
    /// Spans accepted but not yet committed, at most (`ingestion.buffer_size`).
    pub queue_spans: usize,
    /// Spans per group commit, at most.
    pub commit_spans: usize,
    /// Concurrent commits: 1 for SQLite (one writer at a time anyway), more for PostgreSQL.
    pub writers: usize,
    /// How long a request waits for room in the queue before it is refused.
    pub admission_wait: Duration,
    /// Span or resource attributes whose values become `key:value` tags.
    pub tag_attributes: Vec<String>,
    pub prices: Arc<PriceTable>,
    pub scanner: Arc<Scanner>,
    /// Finds gender, age and ethnicity inferences in outputs (the `no_*_inference` rules).
    pub detector: Arc<warden_inference::Detector>,
    /// Phrases that count as telling the user they talk to an AI, lower-case
    /// (`transparency_notice_required`).
    pub ai_disclosures: Arc<Vec<String>>,
}

impl IngestSettings {
    pub fn new(prices: PriceTable, scanner: Scanner) -> IngestSettings {
        IngestSettings {
            queue_spans: 10_000,
            commit_spans: 1_000,
            writers: 1,
            admission_wait: Duration::from_millis(100),
            tag_attributes: Vec::new(),
            prices: Arc::new(prices),
            scanner: Arc::new(scanner),
            detector: shared_detector(),
            ai_disclosures: Arc::new(
                crate::policy::evaluate::DEFAULT_AI_DISCLOSURES
                    .iter()
                    .map(|p| p.to_string())
                    .collect(),
            ),
        }
    }
}

/// The inference detector holds only compiled patterns: one per process serves every
/// pipeline (compiling them takes a fifth of a second, several seconds unoptimised).
fn shared_detector() -> Arc<warden_inference::Detector> {
    static DETECTOR: std::sync::OnceLock<Arc<warden_inference::Detector>> =
        std::sync::OnceLock::new();
    DETECTOR
        .get_or_init(|| Arc::new(warden_inference::Detector::new()))
        .clone()
}

/// Why a request was not (wholly) taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// Every span belongs to agents the key may not write.
    #[error("{0}")]
    Forbidden(String),
    /// The queue is full: retry after the given seconds.
    #[error("ingestion is at capacity; retry in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    /// The database refused the commit; nothing of the request was stored.
    #[error("the spans could not be committed; retry in {retry_after_s} s")]
    Unavailable { retry_after_s: u64 },
}

/// What happened to a request's spans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    /// Spans taken (committed, or counted and dropped by sampling).
    pub accepted: u64,
    /// Spans refused one by one (invalid ids, another agent's spans).
    pub rejected: u64,
    pub sampled_out: u64,
    pub message: Option<String>,
}

/// The running pipeline; cheap to clone.
#[derive(Clone)]
pub struct Pipeline {
    inner: Arc<Inner>,
}

struct Inner {
    services: Services,
    settings: IngestSettings,
    registry: Registry,
    queue: mpsc::Sender<writer::Job>,
    capacity: Arc<Semaphore>,
    /// One slot per core but one: CPU stages (inflate, decode, scan) beyond that wait
    /// their turn instead of all holding their decoded requests in memory at once.
    cpu: cpu_gate::CpuGate,
    forced: std::sync::Mutex<prepare::ForcedTraces>,
    /// Guard calls per agent in the current minute, for control states with a rate limit.
    guard_calls: std::sync::Mutex<guard::CallCounter>,
}

impl Pipeline {
    /// Loads the agent registry and starts the writers.
    pub async fn start(
        services: Services,
        settings: IngestSettings,
    ) -> Result<Pipeline, crate::ServiceError> {
        let registry = Registry::load(services.store()).await?;
        let (queue, receiver) = mpsc::channel(settings.queue_spans.max(1));
        let receiver = Arc::new(Mutex::new(writer::Queue::new(receiver)));
        for _ in 0..settings.writers.max(1) {
            tokio::spawn(writer::run(
                services.store().clone(),
                receiver.clone(),
                settings.commit_spans,
            ));
        }
        let capacity = Arc::new(Semaphore::new(settings.queue_spans.max(1)));
        let pipeline = Pipeline {
            inner: Arc::new(Inner {
                services,
                registry,
                queue,
                capacity,
                cpu: cpu_gate::CpuGate::new(
                    std::thread::available_parallelism()
                        .map_or(1, |n| usize::from(n).saturating_sub(1).max(1)),
                ),
                forced: std::sync::Mutex::new(prepare::ForcedTraces::default()),
                guard_calls: std::sync::Mutex::new(guard::CallCounter::default()),
                settings,
            }),
        };
        Ok(pipeline)
    }

    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    pub fn settings(&self) -> &IngestSettings {
        &self.inner.settings
    }

    /// Re-reads the agent registry (after an edit, or periodically for other replicas'
    /// edits).
    pub async fn refresh_registry(&self) -> Result<(), crate::ServiceError> {
        self.inner
            .registry
            .refresh(self.inner.services.store())
            .await
    }

    /// The scope of the live ingest key `secret`, or `None`.
    pub async fn authenticate(
        &self,
        secret: &str,
    ) -> Result<Option<KeyScope>, crate::ServiceError> {
        self.inner.services.authenticate_ingest_key(secret).await
    }

    /// Runs CPU-bound work of a request (inflate, decode, scan) once a core is free, the
    /// smallest waiting request first (`size`: its body's bytes on the wire); `None` if it
    /// panicked.
    ///
    /// It runs on the async worker itself. Measured with the ingest benchmark, moving it to
    /// the blocking pool doubled the peak RSS (600 MiB against 330): buffers allocated on
    /// short-lived pool threads and freed by the writer stayed with the allocator, and the
    /// throughput did not improve. The slots keep one core's worth of workers free for
    /// small requests and answers whenever there are more than two.
    pub async fn cpu_stage<T>(&self, size: usize, work: impl FnOnce() -> T) -> Option<T> {
        let _permit = self.inner.cpu.enter(size).await;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).ok()
    }

    /// Takes a decoded request written with a key of `scope`, and answers once its spans
    /// are committed; `wire_bytes`, its body's size as sent, places it at the CPU stage.
    pub async fn submit(
        &self,
        scope: &KeyScope,
        decoded: Decoded,
        wire_bytes: usize,
    ) -> Result<Receipt, IngestError> {
        let inner = &self.inner;
        let now = inner.services.now();
        // Scanning and serialising a large request takes milliseconds of CPU: off the async
        // workers, so that small requests and the commit answers are not stuck behind it.
        let prepared = {
            let inner = self.inner.clone();
            let scope = scope.clone();
            self.cpu_stage(wire_bytes, move || {
                let policies = inner.services.policies();
                let context = judge::Context {
                    policies: &policies,
                    detector: &inner.settings.detector,
                    currency: inner.services.currency(),
                    now,
                    review_sla_ms: inner.services.review_sla_ms(),
                    ai_disclosures: &inner.settings.ai_disclosures,
                    scanner: &inner.settings.scanner,
                };
                prepare::prepare(
                    &inner.settings,
                    &inner.registry,
                    &inner.forced,
                    &scope,
                    decoded,
                    context,
                )
            })
            .await
            .ok_or(IngestError::Unavailable { retry_after_s: 1 })??
        };
        let receipt = prepared.receipt;
        if prepared.write.is_empty() {
            return Ok(receipt);
        }
        let wanted = prepared
            .write
            .spans
            .len()
            .clamp(1, inner.settings.queue_spans.max(1));
        let permits = u32::try_from(wanted).unwrap_or(u32::MAX);
        let permit = tokio::time::timeout(
            inner.settings.admission_wait,
            inner.capacity.clone().acquire_many_owned(permits),
        )
        .await
        .map_err(|_| IngestError::Busy { retry_after_s: 1 })?
        .map_err(|_| IngestError::Unavailable { retry_after_s: 5 })?;
        let (done, answer) = tokio::sync::oneshot::channel();
        inner
            .queue
            .send(writer::Job {
                write: prepared.write,
                permit,
                done,
            })
            .await
            .map_err(|_| IngestError::Unavailable { retry_after_s: 5 })?;
        match answer.await {
            Ok(Ok(())) => Ok(receipt),
            _ => Err(IngestError::Unavailable { retry_after_s: 2 }),
        }
    }
}
