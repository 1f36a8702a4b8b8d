//! The ground truth of a finished interaction: whether personal data or a protected inference
//! made it into the trace, and the history the conversation's next turn carries.

use super::{Kind, Msg, Scenario};
use crate::slots::Slots;

/// Reads the ground truth off the finished content, so that steps dropped by a failure cannot
/// make it lie, and remembers the turn for the conversation's next one.
pub(super) fn record_truth(s: &mut Scenario, slots: &Slots, inference: Option<&str>) {
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
