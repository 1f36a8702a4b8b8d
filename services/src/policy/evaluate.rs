//! Checking ingested spans against their agent's effective policy, inside the pipeline:
//! what one request shows is judged here; a trace's total cost is judged by the commit on
//! its stored total (see `warden_db::TraceCostCheck`). Rules that watch an agent over time
//! (logging gaps, control-state reads, alignment) are the jobs' work.

use std::collections::HashMap;
use warden_domain::policy::{EffectivePolicy, RuleName, RuleValue};
use warden_domain::telemetry::{Span, SpanKind, TraceId};
use warden_inference::{Attribute, Detector};

/// A rule one span or trace broke, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub rule: RuleName,
    pub trace_id: TraceId,
    pub span_id: Option<String>,
    pub evidence: String,
}

/// What the PII scan found in one span's output fields: (field, kind).
pub type OutputPii<'a> = &'a [(String, String)];

/// Fields that hold what the agent said rather than what it was told.
pub fn is_output_field(field: &str) -> bool {
    field == "output"
        || field.contains("output")
        || field.contains("completion")
        || field.ends_with(".response")
}

/// The rules one span breaks on its own.
pub fn check_span(
    policy: &EffectivePolicy,
    span: &Span,
    output_pii: OutputPii<'_>,
    detector: &Detector,
    out: &mut Vec<Breach>,
) {
    let breach = |rule, evidence: String| Breach {
        rule,
        trace_id: span.trace_id,
        span_id: Some(span.span_id.to_hex()),
        evidence,
    };
    if policy.is_on(RuleName::NoPiiInOutputs) && !output_pii.is_empty() {
        let mut kinds: Vec<&str> = output_pii.iter().map(|(_, k)| k.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut fields: Vec<&str> = output_pii.iter().map(|(f, _)| f.as_str()).collect();
        fields.sort_unstable();
        fields.dedup();
        out.push(breach(
            RuleName::NoPiiInOutputs,
            format!(
                "{} in {} of span `{}` (redacted before storage)",
                kinds.join(", "),
                fields.join(", "),
                span.name
            ),
        ));
    }
    if span.parent_span_id.is_none()
        && let Some(RuleValue::Duration { ms }) =
            policy.get(RuleName::MaxResponseTime).map(|r| &r.value)
    {
        let took_ms = span.duration_ns() / 1_000_000;
        if took_ms > i64::try_from(*ms).unwrap_or(i64::MAX) {
            out.push(breach(
                RuleName::MaxResponseTime,
                format!(
                    "the interaction took {:.2} s, over the limit of {ms}ms",
                    took_ms as f64 / 1000.0
                ),
            ));
        }
    }
    if policy.is_on(RuleName::FullExplainabilityLogging)
        && let Some(missing) = unexplained(span)
    {
        out.push(breach(RuleName::FullExplainabilityLogging, missing));
    }
    if matches!(span.kind, SpanKind::Llm | SpanKind::Agent)
        && let Some(output) = span.output.as_deref()
    {
        let wanted: Vec<Attribute> = INFERENCE_RULES
            .iter()
            .filter(|(rule, _)| policy.is_on(*rule))
            .map(|(_, attribute)| *attribute)
            .collect();
        if !wanted.is_empty() {
            let mut seen = Vec::new();
            for found in detector.detect_only(output, &wanted) {
                if seen.contains(&found.attribute) {
                    continue;
                }
                seen.push(found.attribute);
                let rule = INFERENCE_RULES
                    .iter()
                    .find(|(_, a)| *a == found.attribute)
                    .map_or(RuleName::NoGenderInference, |(r, _)| *r);
                out.push(breach(
                    rule,
                    format!(
                        "{} ({}): \"{}\"",
                        found.attribute.as_str(),
                        found.cue,
                        snippet(output, found.start, found.end)
                    ),
                ));
            }
        }
    }
}

const INFERENCE_RULES: [(RuleName, Attribute); 3] = [
    (RuleName::NoGenderInference, Attribute::Gender),
    (RuleName::NoAgeInference, Attribute::Age),
    (RuleName::NoEthnicityInference, Attribute::Ethnicity),
];

/// Why a span does not explain itself: an LLM call without its prompt or answer, a tool
/// call without its arguments or result. A failed call need not have an answer.
fn unexplained(span: &Span) -> Option<String> {
    let has = |text: &Option<String>, keys: &[&str]| {
        text.as_deref().is_some_and(|t| !t.trim().is_empty())
            || keys.iter().any(|k| span.attribute(k).is_some())
    };
    if is_embedding(span) {
        // An embedding call answers with vectors, not text, and instrumentations rarely log
        // what they embedded: there is nothing to explain in words.
        return None;
    }
    let (what, input, output) = match span.kind {
        SpanKind::Llm => (
            "LLM call",
            has(&span.input, &["gen_ai.input.messages", "gen_ai.prompt"]),
            has(
                &span.output,
                &["gen_ai.output.messages", "gen_ai.completion"],
            ),
        ),
        SpanKind::Tool => (
            "tool call",
            has(
                &span.input,
                &["gen_ai.tool.call.arguments", "tool.parameters"],
            ),
            has(&span.output, &["gen_ai.tool.call.result"]),
        ),
        _ => return None,
    };
    let output = output || span.is_error();
    let missing = match (input, output) {
        (true, true) => return None,
        (false, false) => "its input and its output",
        (false, true) => "its input",
        (true, false) => "its output",
    };
    Some(format!(
        "{what} `{}` was logged without {missing}",
        span.name
    ))
}

fn is_embedding(span: &Span) -> bool {
    let embed = |text: &str| text.to_ascii_lowercase().contains("embedding");
    span.operation.as_deref().is_some_and(embed) || embed(&span.name)
}

/// The rules a trace breaks as a whole, judged once its root span is here.
pub fn check_trace(policy: &EffectivePolicy, spans: &[&Span], out: &mut Vec<Breach>) {
    let Some(root) = spans.iter().find(|s| s.parent_span_id.is_none()) else {
        return;
    };
    if policy.is_on(RuleName::HumanEscalationEnabled)
        && let Some(ask) = spans
            .iter()
            .filter_map(|s| s.input.as_deref())
            .find_map(asks_for_a_human)
        && !spans.iter().any(|s| is_hand_off(s))
    {
        out.push(Breach {
            rule: RuleName::HumanEscalationEnabled,
            trace_id: root.trace_id,
            span_id: Some(root.span_id.to_hex()),
            evidence: format!("the user asked for a human (\"{ask}\") and no hand-off followed"),
        });
    }
}

/// Phrases that tell a user they are talking to an AI (`governance.ai_disclosure` replaces
/// them), matched in any case as whole words.
pub const DEFAULT_AI_DISCLOSURES: [&str; 12] = [
    "ai assistant",
    "an ai",
    "virtual assistant",
    "virtual agent",
    "automated assistant",
    "not a person",
    "not a human",
    "a bot",
    "chatbot",
    "artificial intelligence",
    "ai-powered",
    "language model",
];

/// Whether a trace tells the user they are talking to an AI: an output holds one of
/// `phrases` (lower-case), or a span declares it with `warden.ai_disclosure=true`.
pub fn discloses_ai(spans: &[&Span], phrases: &[String]) -> bool {
    spans.iter().any(|s| {
        s.attribute("warden.ai_disclosure")
            .is_some_and(|v| matches!(v, warden_domain::telemetry::AttrValue::Bool(true)))
    }) || spans
        .iter()
        .filter_map(|s| s.output.as_deref())
        .any(|text| holds_phrase(text, phrases))
}

/// Whether `text` tells its reader it comes from an AI, by Warden's own phrases.
pub fn text_discloses_ai(text: &str) -> bool {
    let phrases: Vec<String> = DEFAULT_AI_DISCLOSURES
        .iter()
        .map(|p| p.to_string())
        .collect();
    holds_phrase(text, &phrases)
}

/// Whether `text` holds one of `phrases` (lower-case) with no letter or digit glued to
/// either end: "an AI." counts, "an airline" does not.
fn holds_phrase(text: &str, phrases: &[String]) -> bool {
    let lower = text.to_lowercase();
    let alnum_at = |i: usize, before: bool| {
        let c = if before {
            lower[..i].chars().next_back()
        } else {
            lower[i..].chars().next()
        };
        c.is_some_and(char::is_alphanumeric)
    };
    phrases.iter().filter(|p| !p.is_empty()).any(|phrase| {
        lower
            .match_indices(phrase.as_str())
            .any(|(at, _)| !alnum_at(at, true) && !alnum_at(at + phrase.len(), false))
    })
}

/// The phrase in `input` with which a user asks for a person, if any.
pub fn asks_for_a_human(input: &str) -> Option<String> {
    let lower = input.to_lowercase();
    HUMAN_ASKS.iter().find_map(|phrase| {
        let at = lower.find(phrase)?;
        Some(snippet(input, at, at + phrase.len()))
    })
}

const HUMAN_ASKS: [&str; 14] = [
    "speak to a human",
    "talk to a human",
    "speak with a human",
    "talk with a human",
    "a real person",
    "a human agent",
    "a human being",
    "speak to someone",
    "talk to someone real",
    "speak to a person",
    "talk to a person",
    "speak to an agent",
    "speak to a manager",
    "mit einem menschen",
];

/// A span that hands the conversation to a person: an escalation tool call, or a span
/// that says so in `warden.escalated`.
fn is_hand_off(span: &Span) -> bool {
    let names = [Some(span.name.as_str()), span.tool_name.as_deref()];
    names.into_iter().flatten().any(|name| {
        let name = name.to_lowercase();
        [
            "escalat",
            "hand_off",
            "handoff",
            "hand-off",
            "transfer_to_human",
            "human_agent",
        ]
        .iter()
        .any(|k| name.contains(k))
    }) || span
        .attribute("warden.escalated")
        .is_some_and(|v| matches!(v, warden_domain::telemetry::AttrValue::Bool(true)))
}

/// Up to 60 characters either side of `start..end`, on character boundaries, for
/// evidence that shows the words without the whole text.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let floor = |mut i: usize| {
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(start.saturating_sub(60));
    let to = floor((end + 60).min(text.len()));
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out.replace(['\n', '\r'], " ")
}

/// Effective policies per agent for one request, each computed once.
#[derive(Default)]
pub struct PolicyCache {
    by_agent: HashMap<String, Option<EffectivePolicy>>,
}

impl PolicyCache {
    pub fn get(
        &mut self,
        set: &warden_domain::policy::PolicySet,
        agent: &warden_domain::telemetry::AgentInfo,
    ) -> Option<&EffectivePolicy> {
        // Looked up per span: the name is cloned only the first time an agent is seen.
        if !self.by_agent.contains_key(&agent.name) {
            let (level, _) = super::binding_of(set, agent);
            let policy = set.effective(&level).filter(|e| !e.rules.is_empty());
            self.by_agent.insert(agent.name.clone(), policy);
        }
        self.by_agent.get(&agent.name).and_then(Option::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disclosure_is_a_whole_phrase_in_any_case() {
        let phrases: Vec<String> = DEFAULT_AI_DISCLOSURES
            .iter()
            .map(|p| p.to_string())
            .collect();
        for yes in [
            "Hello! Just so you know, I'm an AI assistant.",
            "Hi, I'm AN AI. How can I help?",
            "You're chatting with Northwind's automated assistant.",
            "I am a virtual agent, not a person.",
        ] {
            assert!(holds_phrase(yes, &phrases), "{yes}");
        }
        for no in [
            "Your order ships today.",
            "Book an airline ticket with us.",
            "We sell a bottle of water and a bottom bracket.",
            "The mainframe is down.",
        ] {
            assert!(!holds_phrase(no, &phrases), "{no}");
        }
    }

    #[test]
    fn a_request_for_a_person_is_found_in_any_case_and_quoted() {
        assert_eq!(
            asks_for_a_human("Honestly, can I SPEAK TO A HUMAN please?").as_deref(),
            Some("Honestly, can I SPEAK TO A HUMAN please?")
        );
        assert!(asks_for_a_human("Which human resources form do I need?").is_none());
        assert!(asks_for_a_human("the humane society called").is_none());
    }

    #[test]
    fn snippets_cut_on_character_boundaries_and_mark_the_cut() {
        let text = format!("{}über alles{}", "é".repeat(80), "x".repeat(100));
        let at = text.find("über").unwrap();
        let cut = snippet(&text, at, at + "über".len());
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.contains("über alles"));
    }

    #[test]
    fn an_embedding_call_needs_no_text_to_explain_itself() {
        let mut span: Span = serde_json::from_value(serde_json::json!({
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7",
            "parent_span_id": null, "agent": "a", "name": "OpenAIEmbedding.get_query_embedding",
            "kind": "llm", "start_ns": 0, "end_ns": 1, "status": "ok", "status_message": null,
            "error_type": null, "operation": null, "provider": null, "model": null,
            "usage": {"input": null, "output": null, "cache_read": null, "cache_write": null, "reasoning": null},
            "reported_cost_usd": null, "tool_name": null, "conversation_id": null,
            "session_id": null, "user_id": null, "environment": null, "service_version": null,
            "input": null, "output": null, "attributes": {}, "events": []
        }))
        .unwrap();
        assert_eq!(unexplained(&span), None);
        span.name = "chat gpt-4o".into();
        assert_eq!(
            unexplained(&span).as_deref(),
            Some("LLM call `chat gpt-4o` was logged without its input and its output")
        );
        span.operation = Some("embeddings".into());
        assert_eq!(unexplained(&span), None);
    }

    #[test]
    fn output_fields_are_told_from_input_fields() {
        for field in [
            "output",
            "gen_ai.output.messages",
            "output.value",
            "gen_ai.completion",
        ] {
            assert!(is_output_field(field), "{field}");
        }
        for field in [
            "input",
            "gen_ai.input.messages",
            "gen_ai.tool.call.arguments",
        ] {
            assert!(!is_output_field(field), "{field}");
        }
    }
}
