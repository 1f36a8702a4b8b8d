//! What happens in one interaction, before it is written as telemetry.
//!
//! A scenario fixes the conversation (who asks what, which tools run, what the agent answers),
//! the faults and anomalies rolled for it, and the timeline of every step. Traces, logs and
//! metrics are then three views of the same scenario, so they always agree with each other.

mod content;
mod steps;
mod timeline;
mod truth;

use rand::Rng;
use rand::rngs::StdRng;

use crate::episodes::Disturbance;
use crate::fake;
use crate::faults::Fault;
use crate::fleet::AgentProfile;
use crate::llm::apply_prompt_caching;
use crate::models::Model;
use crate::otlp;
use crate::slots::Slots;
use crate::text::{Document, Tool};
use content::{Rolls, write_content};
use steps::plan_steps;
use timeline::{fail_a_model_call, lay_out, stretch};
use truth::record_truth;

const MS: u64 = 1_000_000;

/// How often each anomaly is rolled. The realised rates are a little lower for some (a PII value
/// can be dropped with the steps after a failure), which the tests allow for.
pub(crate) mod rates {
    pub const LLM_FAILURE: f64 = 0.04;
    pub const TOOL_FAILURE: f64 = 0.02;
    pub const SLOW: f64 = 0.008;
    pub const EXPENSIVE: f64 = 0.01;
    pub const PII: f64 = 0.042;
    pub const RATE_LIMIT_RETRY: f64 = 0.04;
    pub const HUMAN_REQUEST: f64 = 0.08;
    pub const HANDOFF_REFUSED: f64 = 0.25;
    pub const DISCLOSURE_OMITTED: f64 = 0.05;
    pub const HR_INFERENCE: f64 = 0.15;
    pub const CONTINUE_CONVERSATION: f64 = 0.3;
}

/// One message in the GenAI semantic-convention shape: a role and typed parts.
#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub role: &'static str,
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug)]
pub(crate) enum Part {
    Text(String),
    ToolCall {
        id: String,
        name: &'static str,
        arguments: String,
    },
    ToolResult {
        id: String,
        result: String,
    },
}

impl Msg {
    fn text(role: &'static str, content: String) -> Msg {
        Msg {
            role,
            parts: vec![Part::Text(content)],
        }
    }

    /// Everything a person or a PII scanner could read in the message.
    pub(crate) fn plain(&self) -> String {
        let texts: Vec<&str> = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.as_str(),
                Part::ToolCall { arguments, .. } => arguments.as_str(),
                Part::ToolResult { result, .. } => result.as_str(),
            })
            .collect();
        texts.join("\n")
    }
}

#[derive(Debug)]
pub(crate) struct LlmCall {
    pub model: &'static Model,
    pub system: String,
    pub input: Vec<Msg>,
    /// Empty when the call failed.
    pub output: Vec<Msg>,
    pub finish_reason: &'static str,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read: u64,
    pub response_id: String,
    pub temperature: Option<f64>,
    pub max_tokens: i64,
    /// The provider rate-limited the first attempt and the SDK retried.
    pub retried: bool,
    pub fault: Option<Fault>,
    pub cost: f64,
}

#[derive(Debug)]
pub(crate) struct ToolCall {
    pub tool: &'static Tool,
    pub call_id: String,
    pub arguments: String,
    pub result: String,
    pub fault: Option<Fault>,
}

/// A retrieval (OpenInference agents): a chain wrapping a retriever wrapping a query embedding.
#[derive(Debug)]
pub(crate) struct Retrieval {
    pub query: String,
    pub documents: Vec<(&'static Document, f64)>,
    pub retriever_span: [u8; 8],
    pub embedding_span: [u8; 8],
    pub embedding_ms: u64,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Llm(LlmCall),
    Tool(ToolCall),
    Retrieval(Retrieval),
}

#[derive(Debug)]
pub(crate) struct Step {
    pub span_id: [u8; 8],
    pub start: u64,
    pub end: u64,
    pub kind: Kind,
}

/// A conversation an agent is in; later turns carry the earlier ones as history.
#[derive(Clone, Debug)]
pub(crate) struct Conversation {
    pub id: String,
    pub user_id: String,
    pub turn: u32,
    pub history: Vec<(String, String)>,
    /// Personal data that the history contains, so a later turn's `has_pii` stays truthful.
    pub history_pii: Vec<String>,
}

impl Conversation {
    pub(crate) fn new(rng: &mut StdRng) -> Conversation {
        Conversation {
            id: format!("conv_{}", fake::hex(rng, 24)),
            user_id: format!("usr_{}", fake::hex(rng, 12)),
            turn: 0,
            history: Vec::new(),
            history_pii: Vec::new(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Scenario {
    pub agent: &'static AgentProfile,
    pub trace_id: [u8; 16],
    pub root_span_id: [u8; 8],
    pub conversation: Conversation,
    pub intent: &'static str,
    pub user_text: String,
    pub answer: String,
    pub steps: Vec<Step>,
    pub start: u64,
    pub end: u64,
    pub fault: Option<Fault>,
    pub has_pii: bool,
    pub has_tool_failure: bool,
    pub missing_disclosure: bool,
    pub missed_handoff: bool,
    pub handed_off: bool,
    pub demographic_inference: bool,
}

impl Scenario {
    pub(crate) fn llm_calls(&self) -> impl Iterator<Item = &LlmCall> {
        self.steps.iter().filter_map(|s| match &s.kind {
            Kind::Llm(c) => Some(c),
            _ => None,
        })
    }

    pub(crate) fn is_slow(&self) -> bool {
        self.end - self.start >= 10_000 * MS
    }

    pub(crate) fn is_expensive(&self) -> bool {
        self.llm_calls().any(|c| c.input_tokens >= 50_000)
    }
}

/// Splices a JSON fragment (`,"k":v`) into an object before its closing brace.
pub(crate) fn splice(object: &str, fragment: &str) -> String {
    match object.rfind('}') {
        Some(pos) => format!("{}{fragment}{}", &object[..pos], &object[pos..]),
        None => object.to_string(),
    }
}

/// Builds one interaction of `agent` that ends at `end`.
pub(crate) fn build(
    rng: &mut StdRng,
    agent: &'static AgentProfile,
    mut conversation: Conversation,
    end: u64,
    trouble: Disturbance,
) -> Scenario {
    conversation.turn += 1;
    let first_turn = conversation.turn == 1;
    let rolls = Rolls::roll(rng, agent, first_turn, trouble);

    let mut slots = Slots::new(end);
    slots.set("conv", conversation.id.clone());
    slots.set("queue", agent.bank.human_queue.to_string());
    let topic = slots.fill(rng, agent.bank.human_topic);
    slots.set("topic", topic);
    let content = write_content(rng, agent, &rolls, &mut slots, first_turn);

    let intent = content.intent;
    let user_text = content.user_text.clone();
    let inference = content.inference;
    let failed_tool = content.failed_tool;
    let mut answer = content.answer(&content.body);
    let failure_answer = content.answer(agent.bank.failure_reply);

    let mut steps = plan_steps(rng, agent, &conversation, content, rolls.expensive);
    apply_prompt_caching(rng, &mut steps);
    if rolls.retry
        && let Some((Kind::Llm(call), duration)) =
            steps.iter_mut().find(|(k, _)| matches!(k, Kind::Llm(_)))
    {
        call.retried = true;
        *duration += rng.random_range(1000..4000);
    }
    let fault = if rolls.fail_llm {
        fail_a_model_call(rng, agent, &mut steps)
    } else {
        None
    };
    if fault.is_some() {
        answer = failure_answer;
    }
    if rolls.slow && fault.is_none() && !failed_tool {
        stretch(rng, &mut steps);
    }
    let (steps, start, end) = lay_out(rng, steps, end);

    let has_tool_failure = steps
        .iter()
        .any(|s| matches!(&s.kind, Kind::Tool(t) if t.fault.is_some()));
    let handed_off = steps.iter().any(|s| {
        matches!(&s.kind, Kind::Tool(t) if t.tool.name == "escalate_to_human" && t.fault.is_none())
    });
    let mut scenario = Scenario {
        agent,
        trace_id: otlp::trace_id(rng),
        root_span_id: otlp::span_id(rng),
        conversation,
        intent,
        user_text,
        answer,
        steps,
        start,
        end,
        fault,
        has_pii: false,
        has_tool_failure,
        missing_disclosure: agent.owes_ai_disclosure() && first_turn && rolls.omit_disclosure,
        missed_handoff: rolls.human_request && rolls.refuse_handoff,
        handed_off,
        demographic_inference: false,
    };
    record_truth(&mut scenario, &slots, inference);
    scenario
}
