//! A rule broken: what the Violations page lists and the compliance score counts.

use super::rule::{RuleName, Severity};
use serde::{Deserialize, Serialize};

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
