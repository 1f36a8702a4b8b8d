//! What happens in one interaction, before it is written as telemetry.
//!
//! A scenario fixes the conversation (who asks what, which tools run, what the agent answers),
//! the faults and anomalies rolled for it, and the timeline of every step. Traces, logs and
//! metrics are then three views of the same scenario, so they always agree with each other.

use rand::Rng;
use rand::rngs::StdRng;

use crate::fake::{self, pick};
use crate::faults::{Fault, llm_fault, tool_fault};
use crate::fleet::AgentProfile;
use crate::llm::{LlmPlan, apply_prompt_caching, llm_call, ms, pick_model, tokens, tool_call_id};
use crate::models::Model;
use crate::otlp;
use crate::slots::Slots;
use crate::text::{self, Call, Document, Tool};

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

/// Fills one template picked at random from `templates`.
fn fill_one(slots: &mut Slots, rng: &mut StdRng, templates: &[&str]) -> String {
    let template = pick(rng, templates, "");
    slots.fill(rng, template)
}

/// Splices a JSON fragment (`,"k":v`) into an object before its closing brace.
pub(crate) fn splice(object: &str, fragment: &str) -> String {
    match object.rfind('}') {
        Some(pos) => format!("{}{fragment}{}", &object[..pos], &object[pos..]),
        None => object.to_string(),
    }
}

struct PlannedTool {
    tool: &'static Tool,
    arguments: String,
    result: String,
    fault: Option<(Fault, u64)>,
}

/// The anomalies and governance slips of one interaction, rolled in a fixed order so that a
/// seed always means the same traffic.
struct Rolls {
    fail_llm: bool,
    fail_tool: bool,
    slow: bool,
    expensive: bool,
    pii: bool,
    retry: bool,
    human_request: bool,
    refuse_handoff: bool,
    omit_disclosure: bool,
    hr_inference: bool,
}

impl Rolls {
    fn roll(rng: &mut StdRng, agent: &AgentProfile, first_turn: bool) -> Rolls {
        let customer_facing = agent.is_customer_facing();
        let fail_llm = rng.random_bool(rates::LLM_FAILURE);
        let fail_tool = !fail_llm && rng.random_bool(rates::TOOL_FAILURE);
        let slow = rng.random_bool(rates::SLOW);
        let expensive = rng.random_bool(rates::EXPENSIVE);
        let pii = rng.random_bool(rates::PII);
        let retry = rng.random_bool(rates::RATE_LIMIT_RETRY);
        let human_request = customer_facing && rng.random_bool(rates::HUMAN_REQUEST);
        let refuse_handoff = human_request && rng.random_bool(rates::HANDOFF_REFUSED);
        let omit_disclosure =
            customer_facing && first_turn && rng.random_bool(rates::DISCLOSURE_OMITTED);
        let hr_inference = agent.bank.assesses_people && rng.random_bool(rates::HR_INFERENCE);
        Rolls {
            fail_llm,
            fail_tool,
            slow,
            expensive,
            pii,
            retry,
            human_request,
            refuse_handoff,
            omit_disclosure,
            hr_inference,
        }
    }
}

/// The words of an interaction: what the user asks, which tools run with what, and the answer.
struct Content {
    intent: &'static str,
    user_text: String,
    tools: Vec<PlannedTool>,
    /// The answer without the AI disclosure, which `Content::answer` prepends.
    body: String,
    disclosure: Option<&'static str>,
    attachment_tokens: u64,
    failed_tool: bool,
    inference: Option<&'static str>,
}

impl Content {
    fn answer(&self, body: &str) -> String {
        match self.disclosure {
            Some(d) => format!("{d} {body}"),
            None => body.to_string(),
        }
    }
}

fn write_content(
    rng: &mut StdRng,
    agent: &'static AgentProfile,
    rolls: &Rolls,
    slots: &mut Slots,
    first_turn: bool,
) -> Content {
    let bank = agent.bank;
    let intent = &bank.intents[rng.random_range(0..bank.intents.len())];
    let (key, ask, calls): (&'static str, &'static str, Vec<&'static Call>) = if rolls.human_request
    {
        let calls = if rolls.refuse_handoff {
            Vec::new()
        } else {
            vec![&text::HANDOFF_CALL]
        };
        ("human_request", pick(rng, text::HUMAN_ASKS, ""), calls)
    } else {
        (
            intent.key,
            pick(rng, intent.asks, ""),
            intent.calls.iter().collect(),
        )
    };
    let mut user_text = slots.fill(rng, ask);
    let mut attachment_tokens = 0;
    if rolls.expensive {
        // The attachment explains the huge prompt without putting megabytes into the span.
        let attachment = fill_one(slots, rng, bank.attachments);
        user_text = format!("{user_text}\n\n{attachment}");
        attachment_tokens = rng.random_range(55_000..140_000);
    }

    let mut tools: Vec<PlannedTool> = calls
        .iter()
        .filter_map(|call| {
            Some(PlannedTool {
                tool: bank.tool(call.tool)?,
                arguments: slots.fill(rng, call.args),
                result: slots.fill(rng, call.result),
                fault: None,
            })
        })
        .collect();

    // A failed tool ends the plan: the agent stops and tells the user what broke.
    let mut failed_system = None;
    if rolls.fail_tool && !tools.is_empty() {
        let k = rng.random_range(0..tools.len());
        tools.truncate(k + 1);
        let (fault, result, duration) = tool_fault(rng, agent, tools[k].tool);
        tools[k].result = result;
        tools[k].fault = Some((fault, duration));
        failed_system = Some(tools[k].tool.system);
    }

    // Personal data goes into a tool result when a tool can carry it, else into the answer.
    let mut pii_sentence = None;
    if rolls.pii {
        let carriers: Vec<usize> = (0..tools.len())
            .filter(|&i| !tools[i].tool.pii_fields.is_empty() && tools[i].fault.is_none())
            .collect();
        if !carriers.is_empty() && rng.random_bool(0.6) {
            let i = carriers[rng.random_range(0..carriers.len())];
            let fragment = slots.fill(rng, tools[i].tool.pii_fields);
            tools[i].result = splice(&tools[i].result, &fragment);
        } else {
            pii_sentence = Some(fill_one(slots, rng, bank.pii_sentences));
        }
    }

    // The inference hides among the job-relevant facts, where a reviewer would meet it.
    let mut inference = None;
    if rolls.hr_inference {
        let facts = slots.get(rng, "facts").unwrap_or_default();
        let sentence = pick(rng, text::HR_INFERENCES, "");
        slots.set("facts", format!("{facts} {sentence}"));
        inference = Some(sentence);
    }

    let body = if let Some(system) = failed_system {
        slots.set("system", system.to_string());
        fill_one(slots, rng, text::TOOL_FAILURE_REPLIES)
    } else if rolls.human_request && rolls.refuse_handoff {
        fill_one(slots, rng, text::HANDOFF_REFUSALS)
    } else if rolls.human_request {
        fill_one(slots, rng, text::HANDOFF_ANSWERS)
    } else {
        let body = fill_one(slots, rng, intent.answers);
        match &pii_sentence {
            Some(sentence) => format!("{body} {sentence}"),
            None => body,
        }
    };
    let disclosure = (agent.is_customer_facing() && first_turn && !rolls.omit_disclosure)
        .then(|| pick(rng, text::DISCLOSURES, ""));
    Content {
        intent: key,
        user_text,
        tools,
        body,
        disclosure,
        attachment_tokens,
        failed_tool: failed_system.is_some(),
        inference,
    }
}

/// OpenInference agents look up their documentation before answering, most of the time.
fn retrieve(rng: &mut StdRng, documents: &'static [Document], query: &str) -> Option<Retrieval> {
    if documents.is_empty() || !rng.random_bool(0.7) {
        return None;
    }
    let n = rng.random_range(2..=3).min(documents.len());
    let mut found: Vec<(&'static Document, f64)> = Vec::new();
    while found.len() < n {
        let doc = &documents[rng.random_range(0..documents.len())];
        if !found.iter().any(|(d, _)| d.id == doc.id) {
            found.push((doc, rng.random_range(0.62..0.91)));
        }
    }
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    Some(Retrieval {
        query: query.to_string(),
        documents: found,
        retriever_span: otlp::span_id(rng),
        embedding_span: otlp::span_id(rng),
        embedding_ms: rng.random_range(30..150),
    })
}

/// Tool calls grouped into rounds: a model sometimes asks for two tools at once.
fn rounds(rng: &mut StdRng, tools: Vec<PlannedTool>) -> Vec<Vec<PlannedTool>> {
    let mut rounds: Vec<Vec<PlannedTool>> = Vec::new();
    for planned in tools {
        match rounds.last_mut() {
            Some(round) if round.len() < 2 && round[0].fault.is_none() && rng.random_bool(0.3) => {
                round.push(planned)
            }
            _ => rounds.push(vec![planned]),
        }
    }
    rounds
}

/// A cheap first call that classifies the request, as routing agents do.
fn router_call(
    rng: &mut StdRng,
    agent: &AgentProfile,
    router: &'static Model,
    intent: &str,
    user_text: &str,
) -> (Kind, u64) {
    let keys: Vec<&str> = agent.bank.intents.iter().map(|i| i.key).collect();
    let system = format!(
        "You route messages for the {}. Classify the user's latest message into exactly one intent from this list: {}, human_request. Use human_request whenever the user asks for a person, and other if nothing fits. Reply with JSON only, for example {{\"intent\":\"{}\",\"confidence\":0.93}}, and no prose.",
        agent.name,
        keys.join(", "),
        keys.first().copied().unwrap_or("other")
    );
    let output = format!(
        "{{\"intent\":\"{intent}\",\"confidence\":{:.2}}}",
        rng.random_range(0.78..0.99)
    );
    llm_call(
        rng,
        LlmPlan {
            model: router,
            system_tokens: tokens(&system),
            system,
            input: vec![Msg::text("user", user_text.to_string())],
            output: vec![Msg::text("assistant", output)],
            finish_reason: router.finish_reasons().0,
            extra_input_tokens: 0,
            temperature: Some(0.0),
            max_tokens: 64,
            expensive: false,
            digesting: false,
        },
    )
}

/// The steps in order, each with its duration in milliseconds: retrieval, an optional router
/// call, one model call per tool round followed by its tools, and the final answer.
fn plan_steps(
    rng: &mut StdRng,
    agent: &'static AgentProfile,
    conversation: &Conversation,
    content: Content,
    expensive: bool,
) -> Vec<(Kind, u64)> {
    let bank = agent.bank;
    let answer = content.answer(&content.body);
    let retrieval = retrieve(rng, bank.documents, &content.user_text);
    let rounds = rounds(rng, content.tools);
    let use_router = agent.router.is_some() && rounds.len() < 3 && rng.random_bool(0.3);
    let temperature = match agent.category {
        "customer_facing" => Some(0.3),
        _ if agent.name == "marketing-content-agent" => Some(0.8),
        _ => Some(0.1),
    };
    // The SDK sends every tool's JSON schema with each call; about 90 tokens a tool.
    let system_tokens = tokens(bank.system) + 90 * bank.tools.len() as u64;

    let mut transcript: Vec<Msg> = Vec::new();
    for (user, assistant) in &conversation.history {
        transcript.push(Msg::text("user", user.clone()));
        transcript.push(Msg::text("assistant", assistant.clone()));
    }
    let mut steps: Vec<(Kind, u64)> = Vec::new();
    if let Some(r) = retrieval {
        let context: Vec<String> = r
            .documents
            .iter()
            .map(|(d, _)| format!("[{}] {}", d.id, d.content))
            .collect();
        transcript.push(Msg::text(
            "system",
            format!("Context information:\n{}", context.join("\n")),
        ));
        let duration = r.embedding_ms + rng.random_range(20..180) + 6;
        steps.push((Kind::Retrieval(r), duration));
    }
    transcript.push(Msg::text("user", content.user_text.clone()));
    if let (true, Some(router)) = (use_router, agent.router) {
        steps.push(router_call(
            rng,
            agent,
            router,
            content.intent,
            &content.user_text,
        ));
    }

    let choose_model = |rng: &mut StdRng| {
        if expensive {
            agent.expensive
        } else {
            pick_model(rng, agent)
        }
    };
    // Only the first call over a huge attachment pays the full prefill; later ones hit the cache.
    let mut digesting = expensive;
    let mut main_call = |rng: &mut StdRng, model: &'static Model, input: Vec<Msg>, output: Msg| {
        let calls_tools = output
            .parts
            .iter()
            .any(|p| matches!(p, Part::ToolCall { .. }));
        let (stop, tool_use) = model.finish_reasons();
        let call = llm_call(
            rng,
            LlmPlan {
                model,
                system: bank.system.to_string(),
                system_tokens,
                input,
                output: vec![output],
                finish_reason: if calls_tools { tool_use } else { stop },
                extra_input_tokens: content.attachment_tokens,
                temperature,
                max_tokens: 1024,
                expensive,
                digesting,
            },
        );
        digesting = false;
        call
    };

    for round in rounds {
        // Call ids are in the provider's format, so the model is chosen first.
        let model = choose_model(rng);
        let ids: Vec<String> = round.iter().map(|_| tool_call_id(rng, model)).collect();
        let request = Msg {
            role: "assistant",
            parts: round
                .iter()
                .zip(&ids)
                .map(|(t, id)| Part::ToolCall {
                    id: id.clone(),
                    name: t.tool.name,
                    arguments: t.arguments.clone(),
                })
                .collect(),
        };
        let call = main_call(rng, model, transcript.clone(), request.clone());
        steps.push(call);
        transcript.push(request);
        let mut results = Vec::new();
        for (planned, id) in round.into_iter().zip(ids) {
            let (fault, duration) = match planned.fault {
                Some((fault, duration)) => (Some(fault), duration),
                None => (None, ms(rng, planned.tool.latency_ms)),
            };
            results.push(Part::ToolResult {
                id: id.clone(),
                result: planned.result.clone(),
            });
            let tool = ToolCall {
                tool: planned.tool,
                call_id: id,
                arguments: planned.arguments,
                result: planned.result,
                fault,
            };
            steps.push((Kind::Tool(tool), duration));
        }
        transcript.push(Msg {
            role: "tool",
            parts: results,
        });
    }
    let model = choose_model(rng);
    let call = main_call(rng, model, transcript, Msg::text("assistant", answer));
    steps.push(call);
    steps
}

/// Fails one model call (usually the last): the steps after it never happen.
fn fail_a_model_call(
    rng: &mut StdRng,
    agent: &AgentProfile,
    steps: &mut Vec<(Kind, u64)>,
) -> Option<Fault> {
    let calls: Vec<usize> = (0..steps.len())
        .filter(|&i| matches!(steps[i].0, Kind::Llm(_)))
        .collect();
    let failing = if rng.random_bool(0.7) {
        calls.last().copied()
    } else {
        calls.get(rng.random_range(0..calls.len().max(1))).copied()
    }?;
    steps.truncate(failing + 1);
    let (Kind::Llm(call), duration) = steps.last_mut()? else {
        return None;
    };
    let (fault, fault_ms) = llm_fault(rng, agent, call.model);
    call.output.clear();
    call.output_tokens = 0;
    call.cache_read = 0;
    call.cost = 0.0;
    call.retried = false;
    call.fault = Some(fault.clone());
    *duration = fault_ms;
    Some(fault)
}

/// Stretches one step so the whole turn takes 10-30 s: a provider latency spike or a slow backend.
fn stretch(rng: &mut StdRng, steps: &mut [(Kind, u64)]) {
    let total: u64 = steps.iter().map(|(_, d)| d).sum();
    let target = rng.random_range(10_000..30_000);
    if target <= total || steps.is_empty() {
        return;
    }
    let i = rng.random_range(0..steps.len());
    // A retrieval is three nested spans; stretching it would read as a slow vector store, which
    // these agents do not have, so the last step takes the delay instead.
    let i = if matches!(steps[i].0, Kind::Retrieval(_)) {
        steps.len() - 1
    } else {
        i
    };
    steps[i].1 += target - total;
}

/// Lays the steps out back to back with small gaps, so the turn ends at `end`.
fn lay_out(rng: &mut StdRng, steps: Vec<(Kind, u64)>, end: u64) -> (Vec<Step>, u64, u64) {
    let pre = rng.random_range(8..60);
    let post = rng.random_range(3..40);
    let gaps: Vec<u64> = steps.iter().map(|_| rng.random_range(1..15)).collect();
    let total_ms =
        pre + post + steps.iter().map(|(_, d)| d).sum::<u64>() + gaps.iter().sum::<u64>();
    let start = end.saturating_sub(total_ms * MS);
    let mut t = start + pre * MS;
    let mut laid = Vec::with_capacity(steps.len());
    for ((kind, duration), gap) in steps.into_iter().zip(gaps) {
        let step_end = t + duration * MS;
        laid.push(Step {
            span_id: otlp::span_id(rng),
            start: t,
            end: step_end,
            kind,
        });
        t = step_end + gap * MS;
    }
    (laid, start, start + total_ms * MS)
}

/// Builds one interaction of `agent` that ends at `end`.
pub(crate) fn build(
    rng: &mut StdRng,
    agent: &'static AgentProfile,
    mut conversation: Conversation,
    end: u64,
) -> Scenario {
    conversation.turn += 1;
    let first_turn = conversation.turn == 1;
    let rolls = Rolls::roll(rng, agent, first_turn);

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
        missing_disclosure: agent.is_customer_facing() && first_turn && rolls.omit_disclosure,
        missed_handoff: rolls.human_request && rolls.refuse_handoff,
        handed_off,
        demographic_inference: false,
    };
    record_truth(&mut scenario, &slots, inference);
    scenario
}

/// Reads the ground truth off the finished content, so that steps dropped by a failure cannot
/// make it lie, and remembers the turn for the conversation's next one.
fn record_truth(s: &mut Scenario, slots: &Slots, inference: Option<&str>) {
    s.demographic_inference = inference.is_some_and(|sentence| s.answer.contains(sentence));
    let texts = scenario_texts(s);
    let present: Vec<String> = slots
        .pii_values()
        .iter()
        .chain(&s.conversation.history_pii)
        .filter(|v| texts.iter().any(|t| t.contains(v.as_str())))
        .cloned()
        .collect();
    s.has_pii = !present.is_empty();

    // The history is capped, as a context window would be; its personal data is remembered so a
    // later turn that repeats it is flagged too.
    let carried: Vec<String> = present
        .into_iter()
        .filter(|v| s.answer.contains(v.as_str()) || s.user_text.contains(v.as_str()))
        .collect();
    let conversation = &mut s.conversation;
    conversation
        .history
        .push((s.user_text.clone(), s.answer.clone()));
    if conversation.history.len() > 3 {
        conversation.history.remove(0);
    }
    conversation.history_pii.extend(carried);
}

/// Every piece of text the trace will carry, for the PII truth check.
fn scenario_texts(s: &Scenario) -> Vec<String> {
    let mut texts = vec![s.user_text.clone(), s.answer.clone()];
    for step in &s.steps {
        match &step.kind {
            Kind::Llm(c) => {
                texts.extend(c.input.iter().map(Msg::plain));
                texts.extend(c.output.iter().map(Msg::plain));
            }
            Kind::Tool(t) => {
                texts.push(t.arguments.clone());
                texts.push(t.result.clone());
            }
            Kind::Retrieval(r) => {
                texts.extend(r.documents.iter().map(|(d, _)| d.content.to_string()));
            }
        }
    }
    texts
}
