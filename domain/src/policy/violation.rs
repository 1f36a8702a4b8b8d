//! A rule broken: what the Violations page lists and the compliance score counts.

use super::rule::{RuleName, Severity};
use super::value::Money;
use serde::{Deserialize, Serialize};

/// A violation to store: found by the guard or the ingest pipeline with the spans that
/// broke the rule, or by the jobs that watch agents over time.
#[derive(Debug, Clone, PartialEq)]
pub struct ViolationRecord {
    pub rule: RuleName,
    pub severity: Severity,
    pub agent: String,
    pub level: String,
    pub trace_id: Option<String>,
    pub span_id: Option<String>,
    pub evidence: String,
    pub detected_at: i64,
}

/// A trace whose root span arrived while earlier parts of it may already be stored: its
/// total cost is known only once the commit has added this request's spans, so the
/// commit hands that total to [`TraceCostCheck::judge`].
#[derive(Debug, Clone, PartialEq)]
pub struct TraceCostCheck {
    pub trace_id: String,
    pub agent: String,
    pub level: String,
    pub severity: Severity,
    pub limit_micros: i64,
    pub currency: String,
}

impl TraceCostCheck {
    /// The violation, if `total_micros` is over the limit.
    pub fn judge(&self, total_micros: i64, detected_at: i64) -> Option<ViolationRecord> {
        (total_micros > self.limit_micros).then(|| ViolationRecord {
            rule: RuleName::MaxCostPerInteraction,
            severity: self.severity,
            agent: self.agent.clone(),
            level: self.level.clone(),
            trace_id: Some(self.trace_id.clone()),
            span_id: None,
            evidence: format!(
                "the interaction cost {}, over the limit of {}",
                Money::new(total_micros, &self.currency),
                Money::new(self.limit_micros, &self.currency)
            ),
            detected_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    pub id: i64,
    pub rule: RuleName,
    pub severity: Severity,
    pub agent: String,
    /// The policy level that set the rule.
    pub level: String,
    /// The trace that broke it; `None` for rules that watch an agent over time.
    pub trace_id: Option<String>,
    pub span_id: Option<String>,
    /// What was seen, redacted: never a raw PII value.
    pub evidence: String,
    /// Epoch ms.
    pub detected_at: i64,
}

/// Which violations to list; newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViolationFilter {
    pub rule: Option<RuleName>,
    pub agent: Option<String>,
    /// Epoch ms, inclusive.
    pub since_ms: Option<i64>,
    /// Epoch ms, exclusive.
    pub until_ms: Option<i64>,
    /// Paging: only ids below this one.
    pub before_id: Option<i64>,
    pub limit: Option<u32>,
}

impl ViolationFilter {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cost_check_fires_only_over_the_limit() {
        let check = TraceCostCheck {
            trace_id: "t".into(),
            agent: "a".into(),
            level: "global".into(),
            severity: Severity::High,
            limit_micros: 500_000,
            currency: "EUR".into(),
        };
        assert!(check.judge(500_000, 1).is_none());
        let v = check.judge(500_001, 1).unwrap();
        assert_eq!(
            v.evidence,
            "the interaction cost 0.500001 EUR, over the limit of 0.50 EUR"
        );
    }
}
