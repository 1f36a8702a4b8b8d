//! The words of an interaction: the anomaly rolls, what the user asks, which tools run with
//! what arguments and results, and the answer.

use rand::Rng;
use rand::rngs::StdRng;

use super::{rates, splice};
use crate::episodes::Disturbance;
use crate::fake::pick;
use crate::faults::{Fault, tool_fault};
use crate::fleet::AgentProfile;
use crate::slots::Slots;
use crate::text::{self, Call, Tool};

/// Fills one template picked at random from `templates`.
fn fill_one(slots: &mut Slots, rng: &mut StdRng, templates: &[&str]) -> String {
    let template = pick(rng, templates, "");
    slots.fill(rng, template)
}

pub(super) struct PlannedTool {
    pub(super) tool: &'static Tool,
    pub(super) arguments: String,
    pub(super) result: String,
    pub(super) fault: Option<(Fault, u64)>,
}

/// The anomalies and governance slips of one interaction, rolled in a fixed order so that a
/// seed always means the same traffic.
pub(super) struct Rolls {
    pub(super) fail_llm: bool,
    fail_tool: bool,
    pub(super) slow: bool,
    pub(super) expensive: bool,
    pii: bool,
    pub(super) retry: bool,
    pub(super) human_request: bool,
    pub(super) refuse_handoff: bool,
    pub(super) omit_disclosure: bool,
    hr_inference: bool,
}

impl Rolls {
    pub(super) fn roll(
        rng: &mut StdRng,
        agent: &AgentProfile,
        first_turn: bool,
        trouble: Disturbance,
    ) -> Rolls {
        let customer_facing = agent.is_customer_facing();
        let fail_llm = rng.random_bool((rates::LLM_FAILURE + trouble.llm_failure).clamp(0.0, 1.0));
        let fail_tool = !fail_llm && rng.random_bool(rates::TOOL_FAILURE);
        let slow = rng.random_bool(rates::SLOW);
        let expensive = rng.random_bool((rates::EXPENSIVE + trouble.expensive).clamp(0.0, 1.0));
        let pii = rng.random_bool(rates::PII);
        let retry = rng.random_bool(rates::RATE_LIMIT_RETRY);
        let human_request = customer_facing && rng.random_bool(rates::HUMAN_REQUEST);
        let refuse_handoff = human_request && rng.random_bool(rates::HANDOFF_REFUSED);
        let omit_disclosure =
            agent.owes_ai_disclosure() && first_turn && rng.random_bool(rates::DISCLOSURE_OMITTED);
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
pub(super) struct Content {
    pub(super) intent: &'static str,
    pub(super) user_text: String,
    pub(super) tools: Vec<PlannedTool>,
    /// The answer without the AI disclosure, which `Content::answer` prepends.
    pub(super) body: String,
    disclosure: Option<&'static str>,
    pub(super) attachment_tokens: u64,
    pub(super) failed_tool: bool,
    pub(super) inference: Option<&'static str>,
}

impl Content {
    pub(super) fn answer(&self, body: &str) -> String {
        match self.disclosure {
            Some(d) => format!("{d} {body}"),
            None => body.to_string(),
        }
    }
}

pub(super) fn write_content(
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
    let disclosure =
        (agent.owes_ai_disclosure() && first_turn && !rolls.omit_disclosure).then(|| {
            let lines = if agent.is_customer_facing() {
                text::DISCLOSURES
            } else {
                text::INTERNAL_DISCLOSURES
            };
            pick(rng, lines, "")
        });
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
