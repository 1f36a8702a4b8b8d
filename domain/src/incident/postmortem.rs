//! Post-mortems: what an incident did, why, and what will be done about it. Drafted by the
//! responders, closed by a reviewer or an incident commander once it says what happened,
//! why, and who does what by when.

use super::TimelineEntry;
use crate::policy::Severity;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostmortemStatus {
    Draft,
    Closed,
}

impl PostmortemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PostmortemStatus::Draft => "draft",
            PostmortemStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<PostmortemStatus> {
        [PostmortemStatus::Draft, PostmortemStatus::Closed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Open,
    Done,
}

/// Something to do so that it does not happen again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub title: String,
    /// An e-mail address.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub status: ItemStatus,
}

/// The parts people write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostmortemText {
    #[serde(default)]
    pub impact: String,
    #[serde(default)]
    pub root_cause: String,
    #[serde(default)]
    pub contributing_factors: String,
    #[serde(default)]
    pub action_items: Vec<ActionItem>,
}

/// A post-mortem with its incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Postmortem {
    pub incident_id: i64,
    pub incident_title: String,
    pub severity: Severity,
    pub status: PostmortemStatus,
    #[serde(flatten)]
    pub text: PostmortemText,
    /// Bumped on every save: a save naming an older revision is refused instead of
    /// overwriting what someone else wrote meanwhile.
    pub revision: i64,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    /// Filled in from the incident.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// Whether the caller may edit it, and close or reopen it.
    #[serde(default)]
    pub may_edit: bool,
    #[serde(default)]
    pub may_close: bool,
}

/// A post-mortem still to close, as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenPostmortem {
    pub incident_id: i64,
    pub incident_title: String,
    pub severity: Severity,
    pub created_at: i64,
    pub updated_at: i64,
    pub updated_by: String,
}

const MAX_TEXT: usize = 20_000;
const MAX_ITEMS: usize = 50;

impl PostmortemText {
    /// The text trimmed, or why it cannot be saved.
    pub fn validate(mut self) -> Result<PostmortemText, String> {
        for (name, field) in [
            ("impact", &mut self.impact),
            ("root_cause", &mut self.root_cause),
            ("contributing_factors", &mut self.contributing_factors),
        ] {
            *field = field.trim().to_string();
            if field.chars().count() > MAX_TEXT {
                return Err(format!("{name} has at most {MAX_TEXT} characters"));
            }
        }
        if self.action_items.len() > MAX_ITEMS {
            return Err(format!("at most {MAX_ITEMS} action items"));
        }
        for (n, item) in self.action_items.iter_mut().enumerate() {
            let n = n + 1;
            item.title = item.title.trim().to_string();
            item.owner = item.owner.trim().to_string();
            item.due = item.due.trim().to_string();
            if item.title.is_empty() || item.title.chars().count() > 300 {
                return Err(format!("action item {n}: a title is 1 to 300 characters"));
            }
            if !item.owner.is_empty() && !looks_like_mail(&item.owner) {
                return Err(format!(
                    "action item {n}: the owner is an e-mail address, not `{}`",
                    item.owner.chars().take(60).collect::<String>()
                ));
            }
            if !item.due.is_empty() && crate::timefmt::parse_date(&item.due).is_none() {
                return Err(format!("action item {n}: the due date is YYYY-MM-DD"));
            }
        }
        Ok(self)
    }

    /// What is missing before it can be closed; empty when nothing is.
    pub fn missing_for_close(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.impact.is_empty() {
            missing.push("the impact".to_string());
        }
        if self.root_cause.is_empty() {
            missing.push("the root cause".to_string());
        }
        if self.action_items.is_empty() {
            missing.push("at least one action item".to_string());
        }
        for (n, item) in self.action_items.iter().enumerate() {
            if item.owner.is_empty() || item.due.is_empty() {
                missing.push(format!("an owner and a due date for action item {}", n + 1));
            }
        }
        missing
    }
}

fn looks_like_mail(text: &str) -> bool {
    text.split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && !text.contains(char::is_whitespace)
        && text.len() <= 200
}

/// Whether resolving an incident of `severity` opens its post-mortem: at or above
/// `from` (`incidents.postmortem_from`).
pub fn required_for(severity: Severity, from: Severity) -> bool {
    severity >= from
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(owner: &str, due: &str) -> ActionItem {
        ActionItem {
            title: " add a canary ".into(),
            owner: owner.into(),
            due: due.into(),
            status: ItemStatus::Open,
        }
    }

    #[test]
    fn a_draft_may_be_incomplete_but_not_wrong() {
        let ok = PostmortemText {
            impact: "  ".into(),
            action_items: vec![item("", "")],
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.action_items[0].title, "add a canary");
        for bad in [
            item("bob", ""),
            item("", "2026-13-01"),
            item("", "tomorrow"),
        ] {
            let text = PostmortemText {
                action_items: vec![bad],
                ..Default::default()
            };
            assert!(text.validate().is_err());
        }
    }

    #[test]
    fn closing_needs_impact_cause_and_owned_dated_items() {
        let mut text = PostmortemText::default();
        assert_eq!(text.missing_for_close().len(), 3);
        text.impact = "HR agent mailed 3 salaries".into();
        text.root_cause = "prompt template leaked the payroll context".into();
        text.action_items = vec![item("ops@example.com", "")];
        assert_eq!(
            text.missing_for_close(),
            ["an owner and a due date for action item 1"]
        );
        text.action_items[0].due = "2026-12-24".into();
        assert!(text.missing_for_close().is_empty());
    }

    #[test]
    fn severe_incidents_ask_for_a_postmortem() {
        assert!(required_for(Severity::Critical, Severity::High));
        assert!(required_for(Severity::High, Severity::High));
        assert!(!required_for(Severity::Medium, Severity::High));
    }
}
