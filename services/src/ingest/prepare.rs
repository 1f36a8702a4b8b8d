//! The CPU half of ingestion, run before a request queues for a commit: scope check, PII
//! and secret redaction, cost, sampling, tags and usage.

use super::otlp::Decoded;
use super::scan::{self, SpanScan};
use super::{IngestError, IngestSettings, Receipt};
use std::collections::{HashMap, HashSet};
use warden_db::{IngestWrite, ModelUsageRecord, SampledInteraction, SpanRecord, UsageRecord};
use warden_domain::telemetry::pricing::Cost;
use warden_domain::telemetry::sampling::{Keep, decide};
use warden_domain::telemetry::{
    AgentInfo, AgentSource, KeyScope, PiiScanMode, Span, SpanKind, TraceId,
};

/// Traces kept against their sample rate (errors, PII, violations) recently: their later
/// spans, arriving in other requests, are kept too. And traces seen without their root span:
/// when the root comes, their cost is judged on the stored total.
#[derive(Default)]
pub(super) struct ForcedTraces {
    forced: TraceGenerations,
    partial: TraceGenerations,
    /// Conversations seen, as hashes of (agent, conversation id).
    conversations: Generations<u64>,
}

impl ForcedTraces {
    fn contains(&self, trace: &TraceId) -> bool {
        self.forced.contains(trace)
    }

    fn insert(&mut self, trace: TraceId) {
        self.forced.insert(trace);
    }
}

const FORCED_GENERATION: usize = 50_000;

/// A set bounded by two generations: when the current one is full it becomes the previous
/// one, and the oldest is forgotten.
struct Generations<T> {
    current: HashSet<T>,
    previous: HashSet<T>,
}

type TraceGenerations = Generations<TraceId>;

impl<T> Default for Generations<T> {
    fn default() -> Self {
        Generations {
            current: HashSet::new(),
            previous: HashSet::new(),
        }
    }
}

impl<T: std::hash::Hash + Eq> Generations<T> {
    fn contains(&self, item: &T) -> bool {
        self.current.contains(item) || self.previous.contains(item)
    }

    fn insert(&mut self, item: T) {
        if self.current.len() >= FORCED_GENERATION {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(item);
    }
}

fn conversation_key(agent: &str, conversation: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (agent, conversation).hash(&mut hasher);
    hasher.finish()
}

pub(super) struct Prepared {
    pub write: IngestWrite,
    pub receipt: Receipt,
}

pub(super) fn prepare(
    settings: &IngestSettings,
    registry: &super::Registry,
    forced: &std::sync::Mutex<ForcedTraces>,
    scope: &KeyScope,
    decoded: Decoded,
    context: super::judge::Context<'_>,
) -> Result<Prepared, IngestError> {
    let now = context.now;
    let agents = registry.snapshot();
    let mut receipt = Receipt {
        rejected: decoded.rejected,
        message: decoded.first_rejection,
        ..Receipt::default()
    };
    let total = decoded.spans.len() as u64;
    let mut spans = Vec::with_capacity(decoded.spans.len());
    let mut foreign = 0u64;
    for span in decoded.spans {
        let known = agents.get(&span.agent);
        let allowed = scope.allows(
            &span.agent,
            known.and_then(|a| a.environment.as_deref()),
            known.is_some(),
        );
        if allowed {
            spans.push(span);
        } else {
            if foreign == 0 {
                receipt.message.get_or_insert_with(|| {
                    format!(
                        "this key is for {} and may not write spans of agent {:?}",
                        scope.describe(),
                        span.agent
                    )
                });
            }
            foreign += 1;
        }
    }
    receipt.rejected += foreign;
    if spans.is_empty() && foreign > 0 && foreign == total {
        return Err(IngestError::Forbidden(receipt.message.unwrap_or_default()));
    }

    let mut write = IngestWrite {
        received_at: now,
        digest: decoded.digest,
        ..IngestWrite::default()
    };
    // Agents nobody registered get the defaults, once per request rather than per span.
    let mut unregistered: HashMap<String, AgentInfo> = HashMap::new();
    for span in &spans {
        if !agents.contains_key(&span.agent) && !unregistered.contains_key(&span.agent) {
            let env = scope.environment().map(str::to_string);
            unregistered.insert(
                span.agent.clone(),
                AgentInfo::unregistered(&span.agent, env, now),
            );
        }
    }
    // Every name is in one of the two maps; the fallback only satisfies the types.
    let fallback = AgentInfo::unregistered("", scope.environment().map(str::to_string), now);
    let settings_of = |name: &str| -> &AgentInfo {
        agents
            .get(name)
            .or_else(|| unregistered.get(name))
            .unwrap_or(&fallback)
    };
    let mut resources = scan::Resources::default();
    let mut scans = Vec::with_capacity(spans.len());
    for span in &mut spans {
        let agent = settings_of(&span.agent);
        if span.environment.is_none() {
            span.environment.clone_from(&agent.environment);
        }
        let scan = resources.scan(&settings.scanner, agent, span, &mut write.pii_events, now);
        scans.push(scan);
    }

    let mut costs: Vec<Option<Cost>> = spans.iter().map(|s| cost_of(settings, s)).collect();
    let micros: Vec<Option<i64>> = costs.iter().map(|c| c.as_ref().map(|c| c.micros)).collect();
    // Traces whose root is here but whose other spans came earlier, remembered under the
    // sampling lock (which also records this request's rootless traces for later).
    // And conversations opened by this request's roots that this server has not seen.
    let (earlier_parts, new_conversations): (HashSet<TraceId>, HashSet<TraceId>) = {
        let roots: HashSet<TraceId> = spans
            .iter()
            .filter(|s| s.parent_span_id.is_none())
            .map(|s| s.trace_id)
            .collect();
        let mut state = forced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for span in spans.iter().filter(|s| !roots.contains(&s.trace_id)) {
            state.partial.insert(span.trace_id);
        }
        let mut new_conversations = HashSet::new();
        for span in spans.iter().filter(|s| roots.contains(&s.trace_id)) {
            if let Some(conversation) = span.conversation_id.as_deref() {
                let key = conversation_key(&span.agent, conversation);
                if !state.conversations.contains(&key) {
                    state.conversations.insert(key);
                    new_conversations.insert(span.trace_id);
                }
            }
        }
        let earlier = roots
            .into_iter()
            .filter(|t| state.partial.contains(t))
            .collect();
        (earlier, new_conversations)
    };
    let policy = super::judge::Inputs {
        context,
        earlier_parts: &earlier_parts,
        new_conversations: &new_conversations,
    };
    let judgement = super::judge::judge(
        &policy,
        &spans,
        |name| settings_of(name),
        &write.pii_events,
        &micros,
    );

    // Decide per trace: every span of a trace shares its fate. The lock covers only this
    // bookkeeping, so concurrent requests scan and serialise in parallel.
    let mut must_keep: HashMap<TraceId, bool> = HashMap::new();
    for (span, scan) in spans.iter().zip(&scans) {
        let entry = must_keep.entry(span.trace_id).or_insert(false);
        *entry |= span.is_error() || scan.pii > 0 || judgement.must_keep.contains(&span.trace_id);
    }
    let mut decisions: HashMap<TraceId, Keep> = HashMap::new();
    {
        let mut forced = forced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for span in &spans {
            if decisions.contains_key(&span.trace_id) {
                continue;
            }
            let rate = agents.get(&span.agent).map_or(1.0, |a| a.sample_rate);
            let must = must_keep[&span.trace_id] || forced.contains(&span.trace_id);
            let keep = decide(&span.trace_id, rate, must);
            if keep == Keep::Forced {
                forced.insert(span.trace_id);
            }
            decisions.insert(span.trace_id, keep);
        }
    }

    let mut seen_agents: Vec<(String, Option<String>)> = Vec::new();
    let mut usage: HashMap<(String, i64), UsageRecord> = HashMap::new();
    let mut model_usage: HashMap<(String, String, i64), ModelUsageRecord> = HashMap::new();
    let mut trace_tags: HashMap<TraceId, HashSet<String>> = HashMap::new();
    let mut kept_ids: HashSet<(TraceId, String)> = HashSet::new();
    let mut dropped: HashMap<TraceId, DroppedTrace> = HashMap::new();
    for ((span, scan), cost) in spans.into_iter().zip(scans).zip(costs.drain(..)) {
        if !seen_agents.iter().any(|(a, _)| *a == span.agent) {
            seen_agents.push((span.agent.clone(), span.environment.clone()));
        }
        let keep = decisions[&span.trace_id];
        let record = usage
            .entry((span.agent.clone(), minute_of(span.start_ns)))
            .or_insert_with(|| UsageRecord {
                agent: span.agent.clone(),
                minute: minute_of(span.start_ns),
                ..UsageRecord::default()
            });
        record.spans += 1;
        record.errors += i64::from(span.is_error());
        record.llm_calls += i64::from(span.kind == SpanKind::Llm);
        record.tool_calls += i64::from(span.kind == SpanKind::Tool);
        record.tool_errors += i64::from(span.kind == SpanKind::Tool && span.is_error());
        record.input_tokens += span.usage.input.unwrap_or(0);
        record.output_tokens += span.usage.output.unwrap_or(0);
        record.cache_read_tokens += span.usage.cache_read.unwrap_or(0);
        record.cache_write_tokens += span.usage.cache_write.unwrap_or(0);
        record.cost_micros += cost.as_ref().map_or(0, |c| c.micros);
        if let (SpanKind::Llm, Some(model)) = (span.kind, &span.model) {
            let hour = span.start_ns.div_euclid(3_600_000_000_000) * 3_600_000;
            let m = model_usage
                .entry((span.agent.clone(), model.clone(), hour))
                .or_insert_with(|| ModelUsageRecord {
                    agent: span.agent.clone(),
                    model: model.clone(),
                    hour,
                    ..ModelUsageRecord::default()
                });
            m.calls += 1;
            m.failed_calls += i64::from(span.is_error());
            m.input_tokens += span.usage.input.unwrap_or(0);
            m.output_tokens += span.usage.output.unwrap_or(0);
            m.cache_read_tokens += span.usage.cache_read.unwrap_or(0);
            m.cache_write_tokens += span.usage.cache_write.unwrap_or(0);
            let micros = cost.as_ref().map_or(0, |c| c.micros);
            m.cost_micros += micros;
            if span.is_error() {
                m.failed_cost_micros += micros;
            }
        }
        if keep == Keep::Dropped {
            record.sampled_out += 1;
            receipt.sampled_out += 1;
            dropped
                .entry(span.trace_id)
                .or_insert_with(|| DroppedTrace::new(&span))
                .add(&span);
            continue;
        }
        let agent = settings_of(&span.agent);
        let tags = trace_tags.entry(span.trace_id).or_default();
        add_tags(tags, settings, agent, &span, &scan, keep);
        if judgement.violated.contains(&span.trace_id) {
            tags.insert("violation".into());
        }
        kept_ids.insert((span.trace_id, span.span_id.to_hex()));
        let attributes_json =
            serde_json::to_string(&span.attributes).unwrap_or_else(|_| "{}".into());
        let events_json = serde_json::to_string(&span.events).unwrap_or_else(|_| "[]".into());
        write.spans.push(SpanRecord {
            pii_pending: agent.pii_scan == PiiScanMode::Batch,
            pii_count: scan.pii,
            redacted: scan.redacted,
            cost_micros: cost.as_ref().map(|c| c.micros),
            cost_basis: cost.map(|c| c.basis),
            attributes_json,
            events_json,
            resource: scan.resource,
            span,
        });
    }
    // Events of spans sampled out go with them.
    write.pii_events.retain(|e| {
        TraceId::parse_hex(&e.trace_id).is_some_and(|t| kept_ids.contains(&(t, e.span_id.clone())))
    });
    for (trace, tags) in trace_tags {
        let trace = trace.to_hex();
        write
            .tags
            .extend(tags.into_iter().map(|tag| (trace.clone(), tag)));
    }
    write.violations = judgement.violations;
    write.cost_checks = judgement.cost_checks;
    write.reviews = judgement.reviews;
    write.conversation_starts = judgement.conversation_starts;
    write.usage = usage.into_values().collect();
    write.model_usage = model_usage.into_values().collect();
    write.sampled_interactions = dropped
        .into_values()
        .filter_map(DroppedTrace::interaction)
        .collect();
    write.agents_seen = seen_agents;
    receipt.accepted = total - foreign;
    Ok(Prepared { write, receipt })
}

/// A trace sampled out, as far as this request carries it: counted as an interaction
/// when the request has its root (the commit's rule for stored traces, applied to what
/// the request holds, since nothing of it is stored).
struct DroppedTrace {
    agent: String,
    has_root: bool,
    start_ns: i64,
    end_ns: i64,
    error: bool,
}

impl DroppedTrace {
    fn new(span: &Span) -> DroppedTrace {
        DroppedTrace {
            agent: span.agent.clone(),
            has_root: false,
            start_ns: span.start_ns,
            end_ns: span.end_ns,
            error: false,
        }
    }

    fn add(&mut self, span: &Span) {
        if span.parent_span_id.is_none() {
            self.has_root = true;
            self.agent.clone_from(&span.agent);
        }
        self.start_ns = self.start_ns.min(span.start_ns);
        self.end_ns = self.end_ns.max(span.end_ns);
        self.error |= span.is_error();
    }

    fn interaction(self) -> Option<SampledInteraction> {
        self.has_root.then(|| SampledInteraction {
            agent: self.agent,
            start_ns: self.start_ns,
            duration_ns: (self.end_ns - self.start_ns).max(0),
            error: self.error,
        })
    }
}

fn minute_of(start_ns: i64) -> i64 {
    (start_ns / 1_000_000).div_euclid(60_000) * 60_000
}

fn cost_of(
    settings: &IngestSettings,
    span: &Span,
) -> Option<warden_domain::telemetry::pricing::Cost> {
    if let Some(usd) = span.reported_cost_usd {
        return settings.prices.reported_usd(usd);
    }
    let model = span.model.as_deref()?;
    settings
        .prices
        .cost(model, span.start_ns / 1_000_000, &span.usage)
}

fn add_tags(
    tags: &mut HashSet<String>,
    settings: &IngestSettings,
    agent: &AgentInfo,
    span: &Span,
    scan: &SpanScan,
    keep: Keep,
) {
    tags.insert(format!("agent:{}", span.agent));
    if let Some(env) = &span.environment {
        tags.insert(format!("env:{env}"));
    }
    if let Some(model) = &span.model {
        tags.insert(format!("model:{model}"));
    }
    if span.is_error() {
        tags.insert("error".into());
    }
    if scan.pii > 0 {
        tags.insert("pii".into());
    }
    if scan.secrets > 0 {
        tags.insert("secret".into());
    }
    match keep {
        Keep::Sampled => {
            tags.insert("sampled".into());
        }
        Keep::Forced => {
            tags.insert("sampled:forced".into());
        }
        Keep::All | Keep::Dropped => {}
    }
    if agent.source == AgentSource::Unregistered {
        tags.insert("unregistered".into());
    }
    for key in &settings.tag_attributes {
        let value = span
            .attribute(key)
            .or_else(|| span.attribute(&format!("resource.{key}")));
        if let Some(value) = value {
            let text = value.to_string();
            let text: String = text.chars().take(100).collect();
            tags.insert(format!("{key}:{text}"));
        }
    }
}
