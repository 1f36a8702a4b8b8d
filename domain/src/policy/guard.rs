//! The inline guard's request and answer: an agent asks before it sends a text.

use super::rule::{RuleName, Severity};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/guard`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardRequest {
    /// The text the agent is about to send.
    pub output: String,
    #[serde(default)]
    pub input: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
    /// The agent, when the key is an environment key (an agent key names its agent).
    #[serde(default)]
    pub agent: Option<String>,
    /// The version the agent runs; checked against a pinned version when it is given.
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Send the output as it is.
    Allow,
    /// Send the returned output, which has parts replaced.
    Redact,
    /// Hold the output until a person decides.
    Hold,
    /// Do not send it.
    Block,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardViolation {
    pub rule: RuleName,
    pub severity: Severity,
    /// What was found, without the raw value.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardAnswer {
    pub decision: Decision,
    /// The text to send: the output, redacted where needed; empty when blocked.
    pub output: String,
    pub violations: Vec<GuardViolation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_id: Option<i64>,
}
