//! The policy half of preparing a request: each span and each trace whose root is here
//! checked against its agent's effective policy. A trace that breaks a rule is always kept
//! by sampling; its violations are committed with its spans.

use crate::policy::evaluate::{
    Breach, PolicyCache, check_span, check_trace, discloses_ai, is_output_field,
};
use std::collections::{HashMap, HashSet};
use warden_db::{ConversationStart, PiiEventRecord, ReviewRecord, TraceCostCheck, ViolationRecord};
use warden_domain::policy::{PolicySet, RuleName, RuleValue};
use warden_domain::review::ReviewSource;
use warden_domain::telemetry::{AgentInfo, Span, TraceId};
use warden_inference::Detector;

#[derive(Default)]
pub(super) struct Judgement {
    pub violations: Vec<ViolationRecord>,
    pub cost_checks: Vec<TraceCostCheck>,
    /// Traces sampling must keep: they broke a rule, or are over their cost limit already.
    pub must_keep: HashSet<TraceId>,
    /// Traces with a violation in this request (tagged `violation`).
    pub violated: HashSet<TraceId>,
    /// Interactions of agents under `mandatory_human_review`, for the review queue.
    pub reviews: Vec<ReviewRecord>,
    /// Answers that may open a conversation (`transparency_notice_required`).
    pub conversation_starts: Vec<ConversationStart>,
}

/// What judging needs besides the request.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub policies: &'a PolicySet,
    pub detector: &'a Detector,
    pub currency: &'a str,
    pub now: i64,
    pub review_sla_ms: i64,
    pub ai_disclosures: &'a [String],
    /// Review items are stored redacted whatever the agent's `pii_scan`.
    pub scanner: &'a warden_pii::Scanner,
}

pub(super) struct Inputs<'a> {
    pub context: Context<'a>,
    /// Traces of which spans arrived before without their root: their total cost is
    /// the stored one, checked by the commit. Every other trace whose root is here is
    /// whole in this request (exporters send a trace's root last) and judged here.
    pub earlier_parts: &'a HashSet<TraceId>,
    /// Traces whose conversation this server has not seen before: probably its first
    /// answer, so an undisclosed one is kept by sampling until the commit decides.
    pub new_conversations: &'a HashSet<TraceId>,
}

/// `agent_of` gives each span's registration; `costs` each span's cost in micros.
pub(super) fn judge<'a>(
    inputs: &Inputs<'_>,
    spans: &[Span],
    agent_of: impl Fn(&str) -> &'a AgentInfo,
    pii_events: &[PiiEventRecord],
    costs: &[Option<i64>],
) -> Judgement {
    let mut judgement = Judgement::default();
    let earlier_parts = inputs.earlier_parts;
    let new_conversations = inputs.new_conversations;
    let inputs = &inputs.context;
    if inputs.policies.is_empty() {
        return judgement;
    }
    let mut cache = PolicyCache::default();
    let mut output_pii: HashMap<(&str, &str), Vec<(String, String)>> = HashMap::new();
    for event in pii_events.iter().filter(|e| is_output_field(&e.field)) {
        output_pii
            .entry((event.trace_id.as_str(), event.span_id.as_str()))
            .or_default()
            .push((event.field.clone(), event.kind.clone()));
    }
    let mut breaches: Vec<(Breach, String)> = Vec::new();
    // Turns of one conversation in one request: the commit keeps the earliest as its start.
    let mut starts: Vec<(i64, ConversationStart)> = Vec::new();
    let mut by_trace: HashMap<TraceId, Vec<usize>> = HashMap::new();
    for (i, span) in spans.iter().enumerate() {
        by_trace.entry(span.trace_id).or_default().push(i);
        let Some(policy) = cache.get(inputs.policies, agent_of(&span.agent)) else {
            continue;
        };
        // Most requests carry no PII in outputs: no ids rendered for them.
        let ids = (!output_pii.is_empty()).then(|| (span.trace_id.to_hex(), span.span_id.to_hex()));
        let pii = ids
            .as_ref()
            .and_then(|(trace, span)| output_pii.get(&(trace.as_str(), span.as_str())))
            .map_or(&[][..], Vec::as_slice);
        let mut found = Vec::new();
        check_span(policy, span, pii, inputs.detector, &mut found);
        breaches.extend(found.into_iter().map(|b| (b, span.agent.clone())));
    }
    for (trace, indexes) in &by_trace {
        let members: Vec<&Span> = indexes.iter().map(|&i| &spans[i]).collect();
        let Some(root) = members.iter().find(|s| s.parent_span_id.is_none()) else {
            continue;
        };
        let Some(policy) = cache.get(inputs.policies, agent_of(&root.agent)) else {
            continue;
        };
        if policy.is_on(RuleName::MandatoryHumanReview) {
            // Reviewers want the interaction in full: it is kept whatever the sample rate.
            judgement.must_keep.insert(*trace);
            judgement.reviews.push(review_of(root, &members, inputs));
        }
        if let Some(rule) = policy
            .get(RuleName::TransparencyNoticeRequired)
            .filter(|_| policy.is_on(RuleName::TransparencyNoticeRequired))
        {
            let undisclosed =
                (!discloses_ai(&members, inputs.ai_disclosures)).then(|| ViolationRecord {
                    rule: RuleName::TransparencyNoticeRequired,
                    severity: rule.severity,
                    agent: root.agent.clone(),
                    level: rule.from.clone(),
                    trace_id: Some(trace.to_hex()),
                    span_id: Some(root.span_id.to_hex()),
                    evidence: "the first answer of the conversation does not say it comes from \
                               an AI"
                        .to_string(),
                    detected_at: inputs.now,
                });
            let conversation = root
                .conversation_id
                .as_deref()
                .or_else(|| members.iter().find_map(|s| s.conversation_id.as_deref()));
            match conversation {
                // A trace outside any conversation is a conversation of its own.
                None => {
                    if let Some(violation) = undisclosed {
                        judgement.must_keep.insert(*trace);
                        judgement.violated.insert(*trace);
                        judgement.violations.push(violation);
                    }
                }
                Some(conversation) => {
                    if undisclosed.is_some() && new_conversations.contains(trace) {
                        judgement.must_keep.insert(*trace);
                    }
                    starts.push((
                        root.start_ns,
                        ConversationStart {
                            agent: root.agent.clone(),
                            conversation_id: conversation.to_string(),
                            trace_id: trace.to_hex(),
                            started_at: inputs.now,
                            undisclosed,
                        },
                    ));
                }
            }
        }
        let mut found = Vec::new();
        check_trace(policy, &members, &mut found);
        breaches.extend(found.into_iter().map(|b| (b, root.agent.clone())));
        if let Some(rule) = policy.get(RuleName::MaxCostPerInteraction)
            && let RuleValue::Money(limit) = &rule.value
        {
            let local: i64 = indexes.iter().filter_map(|&i| costs[i]).sum();
            let check = TraceCostCheck {
                trace_id: trace.to_hex(),
                agent: root.agent.clone(),
                level: rule.from.clone(),
                severity: rule.severity,
                limit_micros: limit.micros,
                currency: inputs.currency.to_string(),
            };
            if earlier_parts.contains(trace) {
                if local > limit.micros {
                    judgement.must_keep.insert(*trace);
                }
                judgement.cost_checks.push(check);
            } else if let Some(violation) = check.judge(local, inputs.now) {
                judgement.must_keep.insert(*trace);
                judgement.violated.insert(*trace);
                judgement.violations.push(ViolationRecord {
                    span_id: Some(root.span_id.to_hex()),
                    ..violation
                });
            }
        }
    }
    starts.sort_by_key(|(start_ns, _)| *start_ns);
    judgement.conversation_starts = starts.into_iter().map(|(_, start)| start).collect();
    // One violation per rule and trace: an answer repeated by the agent span after the
    // LLM span that wrote it is one breach, not two.
    let mut seen: HashSet<(TraceId, RuleName)> = HashSet::new();
    for (breach, agent) in breaches {
        if !seen.insert((breach.trace_id, breach.rule)) {
            continue;
        }
        let Some(rule) = cache
            .get(inputs.policies, agent_of(&agent))
            .and_then(|p| p.get(breach.rule))
        else {
            continue;
        };
        judgement.must_keep.insert(breach.trace_id);
        judgement.violated.insert(breach.trace_id);
        judgement.violations.push(ViolationRecord {
            rule: breach.rule,
            severity: rule.severity,
            agent,
            level: rule.from.clone(),
            trace_id: Some(breach.trace_id.to_hex()),
            span_id: breach.span_id,
            evidence: breach.evidence,
            detected_at: inputs.now,
        });
    }
    judgement
}

/// The review item of an interaction: what the user said (the root's input, else the
/// earliest input in the trace) and what the agent answered (the root's output, else the
/// latest output), both already redacted.
fn review_of(root: &Span, members: &[&Span], context: &Context<'_>) -> ReviewRecord {
    let redacted = |text: String| {
        let text = readable(text);
        crate::ingest::redact_text(context.scanner, &text, true).map_or(text, |(r, _)| r)
    };
    let input = root.input.clone().or_else(|| {
        members
            .iter()
            .filter(|s| s.input.is_some())
            .min_by_key(|s| s.start_ns)
            .and_then(|s| s.input.clone())
    });
    let output = root.output.clone().or_else(|| {
        members
            .iter()
            .filter(|s| s.output.is_some())
            .max_by_key(|s| s.end_ns)
            .and_then(|s| s.output.clone())
    });
    let trace_id = root.trace_id.to_hex();
    ReviewRecord {
        agent: root.agent.clone(),
        source: ReviewSource::Trace,
        dedupe_key: Some(format!("trace:{trace_id}")),
        trace_id: Some(trace_id),
        input: input.map(redacted),
        output: redacted(output.unwrap_or_default()),
        created_at: context.now,
        due_at: context.now.saturating_add(context.review_sla_ms),
    }
}

/// What a reviewer reads: GenAI message lists (`[{"role", "parts": [{"type": "text",
/// "content"}]}]`, or `{"role", "content"}` items) as their text, one message a line; any
/// other text as it is.
fn readable(raw: String) -> String {
    let Ok(serde_json::Value::Array(messages)) = serde_json::from_str::<serde_json::Value>(&raw)
    else {
        return raw;
    };
    let mut lines = Vec::new();
    for message in &messages {
        let mut text = String::new();
        if let Some(content) = message.get("content").and_then(|c| c.as_str()) {
            text.push_str(content);
        }
        for part in message
            .get("parts")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            if part.get("type").and_then(|t| t.as_str()) == Some("text")
                && let Some(content) = part.get("content").and_then(|c| c.as_str())
            {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(content);
            }
        }
        if !text.is_empty() {
            match message.get("role").and_then(|r| r.as_str()) {
                Some(role) if messages.len() > 1 => lines.push(format!("{role}: {text}")),
                _ => lines.push(text),
            }
        }
    }
    if lines.is_empty() {
        raw
    } else {
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn message_lists_read_as_their_text() {
        let one = r#"[{"role":"assistant","parts":[{"type":"text","content":"Hello."}],"finish_reason":"stop"}]"#;
        assert_eq!(readable(one.into()), "Hello.");
        let two = r#"[{"role":"system","content":"Be brief."},{"role":"user","parts":[{"type":"text","content":"Hi"}]}]"#;
        assert_eq!(readable(two.into()), "system: Be brief.\nuser: Hi");
        let tool_only = r#"[{"role":"assistant","parts":[{"type":"tool_call","name":"x"}]}]"#;
        assert_eq!(readable(tool_only.into()), tool_only);
        assert_eq!(readable("plain text".into()), "plain text");
    }
}
