//! The inline guard's judgement of one output against an effective policy: PII is redacted
//! where `no_pii_in_outputs` applies (secrets always), and an inference of gender, age or
//! ethnicity blocks the output where those rules apply. Pure: no I/O, so its latency is
//! what the benchmark measures.

use warden_domain::policy::{Decision, EffectivePolicy, GuardAnswer, GuardViolation, RuleName};
use warden_inference::{Attribute, Detector};
use warden_pii::{Kind, Scanner};

pub fn judge_output(
    policy: &EffectivePolicy,
    output: &str,
    scanner: &Scanner,
    detector: &Detector,
) -> GuardAnswer {
    let mut violations = Vec::new();
    let mut decision = Decision::Allow;
    let pii_rule = policy
        .get(RuleName::NoPiiInOutputs)
        .filter(|_| policy.is_on(RuleName::NoPiiInOutputs));
    let redacted = crate::ingest::redact_text(scanner, output, pii_rule.is_some());
    let text = match redacted {
        Some((text, findings)) => {
            decision = Decision::Redact;
            if let Some(rule) = pii_rule {
                let mut kinds: Vec<&str> = findings
                    .iter()
                    .filter(|f| f.kind != Kind::Secret)
                    .map(|f| f.kind.label())
                    .collect();
                kinds.sort_unstable();
                kinds.dedup();
                if !kinds.is_empty() {
                    violations.push(GuardViolation {
                        rule: RuleName::NoPiiInOutputs,
                        severity: rule.severity,
                        evidence: format!("{} in the output (redacted)", kinds.join(", ")),
                    });
                }
            }
            text
        }
        None => output.to_string(),
    };
    let wanted: Vec<(RuleName, Attribute)> = [
        (RuleName::NoGenderInference, Attribute::Gender),
        (RuleName::NoAgeInference, Attribute::Age),
        (RuleName::NoEthnicityInference, Attribute::Ethnicity),
    ]
    .into_iter()
    .filter(|(rule, _)| policy.is_on(*rule))
    .collect();
    if !wanted.is_empty() {
        let attributes: Vec<Attribute> = wanted.iter().map(|(_, a)| *a).collect();
        let mut seen = Vec::new();
        for found in detector.detect_only(&text, &attributes) {
            if seen.contains(&found.attribute) {
                continue;
            }
            seen.push(found.attribute);
            let Some((rule, _)) = wanted.iter().find(|(_, a)| *a == found.attribute) else {
                continue;
            };
            let severity = policy
                .get(*rule)
                .map_or(warden_domain::policy::Severity::Critical, |r| r.severity);
            violations.push(GuardViolation {
                rule: *rule,
                severity,
                evidence: format!(
                    "{} ({}): \"{}\"",
                    found.attribute.as_str(),
                    found.cue,
                    text.get(found.start..found.end).unwrap_or_default()
                ),
            });
            decision = Decision::Block;
        }
    }
    GuardAnswer {
        output: if decision == Decision::Block {
            String::new()
        } else {
            text
        },
        decision,
        violations,
        review_id: None,
    }
}
