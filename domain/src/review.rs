//! The human review queue: interactions of agents under `mandatory_human_review` wait here
//! for a person to approve or reject them, within a due time.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Pending,
    Approved,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Approved => "approved",
            ReviewState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewState> {
        Some(match text {
            "pending" => ReviewState::Pending,
            "approved" => ReviewState::Approved,
            "rejected" => ReviewState::Rejected,
            _ => return None,
        })
    }
}

/// Where an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewSource {
    /// An ingested interaction (a trace whose root span arrived): reviewed after the fact.
    Trace,
    /// An answer the guard holds until a person decides; the agent polls for the decision.
    Guard,
}

impl ReviewSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSource::Trace => "trace",
            ReviewSource::Guard => "guard",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewSource> {
        Some(match text {
            "trace" => ReviewSource::Trace,
            "guard" => ReviewSource::Guard,
            _ => return None,
        })
    }
}

/// One item of the queue. Input and output are stored redacted, as everything else is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: i64,
    pub agent: String,
    pub source: ReviewSource,
    pub trace_id: Option<String>,
    pub input: Option<String>,
    pub output: String,
    pub created_at: i64,
    /// When a decision is due (`governance.review_sla` after it was queued).
    pub due_at: i64,
    pub state: ReviewState,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub note: Option<String>,
}

impl ReviewItem {
    pub fn is_overdue(&self, now: i64) -> bool {
        self.state == ReviewState::Pending && now > self.due_at
    }
}

/// Which items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFilter {
    /// `None`: every state.
    pub state: Option<ReviewState>,
    pub agent: Option<String>,
    /// Items with a smaller id than this (the next page).
    pub before_id: Option<i64>,
}

/// What a reviewer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    Reject,
}

/// A person's decision on an item: `{"decision": "approve"|"reject", "note": TEXT}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecision {
    pub decision: Verdict,
    #[serde(default)]
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pending_item_past_its_due_time_is_overdue() {
        let mut item = ReviewItem {
            id: 1,
            agent: "a".into(),
            source: ReviewSource::Trace,
            trace_id: None,
            input: None,
            output: String::new(),
            created_at: 0,
            due_at: 100,
            state: ReviewState::Pending,
            decided_by: None,
            decided_at: None,
            note: None,
        };
        assert!(!item.is_overdue(100));
        assert!(item.is_overdue(101));
        item.state = ReviewState::Approved;
        assert!(!item.is_overdue(101));
        for state in [
            ReviewState::Pending,
            ReviewState::Approved,
            ReviewState::Rejected,
        ] {
            assert_eq!(ReviewState::parse(state.as_str()), Some(state));
        }
        for source in [ReviewSource::Trace, ReviewSource::Guard] {
            assert_eq!(ReviewSource::parse(source.as_str()), Some(source));
        }
    }
}
