//! The seeded fleet generator: picks agents by traffic weight, keeps conversations going across
//! turns, and turns scenarios into OTLP export requests.

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::ResourceSpans;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::episodes::Episodes;
use crate::fake;
use crate::feedback::{self, Feedback};
use crate::fleet::{fleet, index_of};
use crate::logs::{self, LogQueue};
use crate::metrics::Recorder;
use crate::otlp;
use crate::scenario::{self, Conversation, Kind, Scenario, rates};
use crate::trace;

const MS: u64 = 1_000_000;

/// Open conversations kept per agent; older ones are simply abandoned, as users do.
const OPEN_CONVERSATIONS: usize = 12;

/// A batch span processor exports every few seconds, so a batch holds spans that ended within
/// this window before the export.
const BATCH_WINDOW_MS: u64 = 5000;

/// Interactions generated to feed a metrics or logs export that has nothing new to report.
const TOP_UP: usize = 10;

/// One interaction (one trace) of one agent, with the facts a test or a benchmark needs.
#[derive(Clone, Debug)]
pub struct Interaction {
    pub agent: &'static str,
    pub trace_id: [u8; 16],
    pub conversation_id: String,
    /// The conversation's first turn.
    pub first_turn: bool,
    /// The trace alone, as its agent's SDK would export it.
    pub request: ExportTraceServiceRequest,
    pub span_count: usize,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
    /// Summed over the trace's successful LLM calls.
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// At list prices, cache discounts applied.
    pub cost_usd: f64,
    /// The interaction failed: the root span has status ERROR (a model-provider error).
    pub has_error: bool,
    /// Some span carries personal data (e-mail, phone, card, IBAN, SSN or IP address).
    pub has_pii: bool,
    /// Model calls and tool calls made, tool calls that failed, and spans with status ERROR.
    pub llm_calls: u32,
    pub tool_calls: u32,
    pub failed_tool_calls: u32,
    pub error_spans: u32,
    pub cache_read_tokens: u64,
    /// The model that wrote the answer: the successful call with the most output tokens.
    pub answered_by: Option<&'static str>,
    /// Took 10 s or more.
    pub is_slow: bool,
    /// Some LLM call had 50,000 or more input tokens.
    pub is_expensive: bool,
    /// A tool failed and the agent recovered (ERROR tool span under an OK root).
    pub has_tool_failure: bool,
    /// An agent that owes the AI notice (customer-facing or high-risk) opened a conversation
    /// without it.
    pub missing_disclosure: bool,
    /// The user asked for a human and the agent did not hand off.
    pub missed_handoff: bool,
    /// The HR agent's answer infers a protected characteristic of a candidate.
    pub demographic_inference: bool,
}

/// The simulated fleet: a seeded random source plus the state real agents would have (open
/// conversations, cumulative meters, unsent log lines).
#[derive(Debug)]
pub struct Fleet {
    rng: StdRng,
    resources: Vec<Resource>,
    conversations: Vec<Vec<Conversation>>,
    metrics: Recorder,
    logs: LogQueue,
    episodes: Option<Episodes>,
}

impl Fleet {
    pub fn new(seed: u64) -> Fleet {
        let mut rng = StdRng::seed_from_u64(seed);
        let gateway_token = format!("oc_gw_{}", fake::hex(&mut rng, 32));
        let resources = fleet()
            .iter()
            .map(|agent| {
                let instance = fake::uuid(&mut rng);
                otlp::resource(agent, &instance, &gateway_token)
            })
            .collect();
        Fleet {
            rng,
            resources,
            conversations: vec![Vec::new(); fleet().len()],
            metrics: Recorder::default(),
            logs: LogQueue::default(),
            episodes: None,
        }
    }

    /// A fleet that runs into the trouble of [`Episodes`], timed from `start_unix_nanos`:
    /// one agent's cost jumps and another's errors drift up, minutes in and every six hours.
    pub fn with_episodes(seed: u64, start_unix_nanos: u64) -> Fleet {
        Fleet {
            episodes: Some(Episodes { start_unix_nanos }),
            ..Fleet::new(seed)
        }
    }

    /// One interaction of `agent`, ending at `end_unix_nanos`; `None` for an unknown agent.
    pub fn interaction_of(&mut self, agent: &str, end_unix_nanos: u64) -> Option<Interaction> {
        let index = index_of(agent)?;
        Some(self.interaction(index, end_unix_nanos))
    }

    /// One interaction (one trace) of one agent, chosen by traffic weight (support and sales
    /// busiest), ending at about `now_unix_nanos`.
    pub fn next_interaction(&mut self, now_unix_nanos: u64) -> Interaction {
        let agent = self.pick_agent_at(now_unix_nanos);
        let end = now_unix_nanos.saturating_sub(self.rng.random_range(0..250) * MS);
        self.interaction(agent, end)
    }

    /// `n` interactions grouped into one OTLP export request (one `ResourceSpans` per agent), as
    /// an SDK's batch exporter would send them.
    pub fn export_request(&mut self, now_unix_nanos: u64, n: usize) -> ExportTraceServiceRequest {
        let interactions: Vec<Interaction> = (0..n)
            .map(|_| {
                let agent = self.pick_agent_at(now_unix_nanos);
                let end = self.batch_end(now_unix_nanos);
                self.interaction(agent, end)
            })
            .collect();
        merge(interactions)
    }

    /// The same, with the scores that users and the fleet's evaluator give some of these
    /// interactions (to post to the scores API once the traces are sent).
    pub fn export_with_feedback(
        &mut self,
        now_unix_nanos: u64,
        n: usize,
    ) -> (ExportTraceServiceRequest, Vec<Feedback>) {
        let mut scores = Vec::new();
        let interactions: Vec<Interaction> = (0..n)
            .map(|_| {
                let agent = self.pick_agent_at(now_unix_nanos);
                let end = self.batch_end(now_unix_nanos);
                let interaction = self.interaction(agent, end);
                scores.extend(feedback::feedback(&mut self.rng, &interaction));
                interaction
            })
            .collect();
        (merge(interactions), scores)
    }

    /// The same for one agent only (for per-agent keys); `None` for an unknown agent.
    pub fn export_request_for(
        &mut self,
        agent: &str,
        now_unix_nanos: u64,
        n: usize,
    ) -> Option<ExportTraceServiceRequest> {
        let index = index_of(agent)?;
        let interactions: Vec<Interaction> = (0..n)
            .map(|_| {
                let end = self.batch_end(now_unix_nanos);
                self.interaction(index, end)
            })
            .collect();
        Some(merge(interactions))
    }

    /// OTLP metrics as agents send them: `gen_ai.client.token.usage` and
    /// `gen_ai.client.operation.duration` histograms and the `openclaw.cost.usd` counter, all
    /// cumulative since the fleet started. They aggregate the LLM calls of every interaction
    /// generated so far; when nothing happened since the last export, a few interactions are
    /// generated first so a metrics-only caller still sees traffic.
    pub fn metrics_request(&mut self, now_unix_nanos: u64) -> ExportMetricsServiceRequest {
        if self.metrics.fresh == 0 {
            for _ in 0..TOP_UP {
                self.next_interaction(now_unix_nanos);
            }
        }
        self.metrics.export(now_unix_nanos, &self.resources)
    }

    /// `n` OTLP log records: mostly INFO, some WARN/ERROR (provider rate limits and timeouts,
    /// tool failures), each with the trace and span id of the interaction that wrote it. Lines
    /// of interactions generated earlier come first; more interactions are generated as needed.
    pub fn logs_request(&mut self, now_unix_nanos: u64, n: usize) -> ExportLogsServiceRequest {
        let mut records = Vec::with_capacity(n);
        loop {
            records.extend(self.logs.take(n - records.len()));
            if records.len() >= n {
                break;
            }
            self.next_interaction(now_unix_nanos);
        }
        logs::request(records, &self.resources)
    }

    /// Log lines waiting for the next logs export.
    pub fn pending_log_records(&self) -> usize {
        self.logs.len()
    }

    fn batch_end(&mut self, now: u64) -> u64 {
        now.saturating_sub(self.rng.random_range(0..BATCH_WINDOW_MS) * MS)
    }

    /// An agent by traffic weight, but none of the episodes has gone quiet at `t`.
    fn pick_agent_at(&mut self, t_unix_nanos: u64) -> usize {
        loop {
            let index = self.pick_agent();
            let quiet = self
                .episodes
                .is_some_and(|e| e.is_quiet(fleet()[index].name, t_unix_nanos));
            if !quiet {
                return index;
            }
        }
    }

    fn pick_agent(&mut self) -> usize {
        let agents = fleet();
        let total: u32 = agents.iter().map(|a| a.weight).sum();
        let mut roll = self.rng.random_range(0..total.max(1));
        for (i, agent) in agents.iter().enumerate() {
            if roll < agent.weight {
                return i;
            }
            roll -= agent.weight;
        }
        0
    }

    fn interaction(&mut self, index: usize, end: u64) -> Interaction {
        let agents = fleet();
        let agent = &agents[index];
        let open = &mut self.conversations[index];
        let conversation = if !open.is_empty() && self.rng.random_bool(rates::CONTINUE_CONVERSATION)
        {
            let i = self.rng.random_range(0..open.len());
            open.remove(i)
        } else {
            Conversation::new(&mut self.rng)
        };
        let trouble = self
            .episodes
            .map(|e| e.disturbance(agent.name, end))
            .unwrap_or_default();
        let s = scenario::build(&mut self.rng, agent, conversation, end, trouble);
        self.metrics.record(index, &s);
        self.logs.push(index, &s);
        // A conversation handed to a person is over for the agent.
        if !s.handed_off {
            let open = &mut self.conversations[index];
            if open.len() == OPEN_CONVERSATIONS {
                open.remove(0);
            }
            open.push(s.conversation.clone());
        }
        self.to_interaction(index, s)
    }

    fn to_interaction(&self, index: usize, s: Scenario) -> Interaction {
        let scope_spans = trace::scope_spans(&s);
        let span_count = scope_spans.iter().map(|ss| ss.spans.len()).sum();
        let calls: Vec<_> = s.llm_calls().collect();
        let input_tokens = calls
            .iter()
            .filter(|c| c.fault.is_none())
            .map(|c| c.input_tokens)
            .sum();
        let output_tokens = calls
            .iter()
            .filter(|c| c.fault.is_none())
            .map(|c| c.output_tokens)
            .sum();
        let cost_usd = calls.iter().map(|c| c.cost).sum();
        let cache_read_tokens = calls
            .iter()
            .filter(|c| c.fault.is_none())
            .map(|c| c.cache_read)
            .sum();
        let tools: Vec<_> = s
            .steps
            .iter()
            .filter_map(|step| match &step.kind {
                Kind::Tool(t) => Some(t),
                _ => None,
            })
            .collect();
        let error_spans = scope_spans
            .iter()
            .flat_map(|ss| ss.spans.iter())
            .filter(|span| span.status.as_ref().is_some_and(|st| st.code == 2))
            .count() as u32;
        Interaction {
            agent: s.agent.name,
            trace_id: s.trace_id,
            conversation_id: s.conversation.id.clone(),
            first_turn: s.conversation.turn == 1,
            request: ExportTraceServiceRequest {
                resource_spans: vec![ResourceSpans {
                    resource: self.resources.get(index).cloned(),
                    scope_spans,
                    ..Default::default()
                }],
            },
            span_count,
            start_unix_nanos: s.start,
            end_unix_nanos: s.end,
            input_tokens,
            output_tokens,
            cost_usd,
            llm_calls: calls.len() as u32,
            tool_calls: tools.len() as u32,
            failed_tool_calls: tools.iter().filter(|t| t.fault.is_some()).count() as u32,
            error_spans,
            cache_read_tokens,
            answered_by: calls
                .iter()
                .filter(|c| c.fault.is_none())
                .max_by_key(|c| c.output_tokens)
                .map(|c| c.model.name),
            has_error: s.fault.is_some(),
            has_pii: s.has_pii,
            is_slow: s.is_slow(),
            is_expensive: s.is_expensive(),
            has_tool_failure: s.has_tool_failure,
            missing_disclosure: s.missing_disclosure,
            missed_handoff: s.missed_handoff,
            demographic_inference: s.demographic_inference,
        }
    }
}

/// One `ResourceSpans` per agent (in fleet order), one `ScopeSpans` per instrumentation scope.
fn merge(interactions: Vec<Interaction>) -> ExportTraceServiceRequest {
    let mut per_agent: Vec<Option<ResourceSpans>> = vec![None; fleet().len()];
    for interaction in interactions {
        let Some(index) = index_of(interaction.agent) else {
            continue;
        };
        for rs in interaction.request.resource_spans {
            match &mut per_agent[index] {
                None => per_agent[index] = Some(rs),
                Some(merged) => {
                    for ss in rs.scope_spans {
                        let name = ss.scope.as_ref().map(|s| s.name.clone());
                        match merged
                            .scope_spans
                            .iter_mut()
                            .find(|m| m.scope.as_ref().map(|s| s.name.clone()) == name)
                        {
                            Some(existing) => existing.spans.extend(ss.spans),
                            None => merged.scope_spans.push(ss),
                        }
                    }
                }
            }
        }
    }
    ExportTraceServiceRequest {
        resource_spans: per_agent.into_iter().flatten().collect(),
    }
}
