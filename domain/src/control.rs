//! An agent's control state, the kill switch: running, paused or killed, with an optional
//! rate limit and pinned version. Agents read it (or are told by webhook) and obey; the
//! guard refuses an agent that is not running.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlState {
    Running,
    /// Stop taking new work until resumed.
    Paused,
    /// Stop now; a person must bring it back.
    Killed,
}

impl ControlState {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlState::Running => "running",
            ControlState::Paused => "paused",
            ControlState::Killed => "killed",
        }
    }

    pub fn parse(text: &str) -> Option<ControlState> {
        Some(match text {
            "running" => ControlState::Running,
            "paused" => ControlState::Paused,
            "killed" => ControlState::Killed,
            _ => return None,
        })
    }
}

/// What an agent is told to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentControl {
    pub agent: String,
    pub state: ControlState,
    pub reason: String,
    pub rate_limit_per_min: Option<u32>,
    pub pinned_version: Option<String>,
    /// 0 for an agent never switched; bumped on every change.
    pub version: i64,
    /// Who changed it last (an e-mail, or `system`).
    pub updated_by: String,
    pub updated_at: i64,
    /// When the agent last read its state (epoch ms).
    pub last_read_at: Option<i64>,
}

impl AgentControl {
    /// The state of an agent nobody switched.
    pub fn running(agent: &str) -> AgentControl {
        AgentControl {
            agent: agent.to_string(),
            state: ControlState::Running,
            reason: String::new(),
            rate_limit_per_min: None,
            pinned_version: None,
            version: 0,
            updated_by: String::new(),
            updated_at: 0,
            last_read_at: None,
        }
    }
}

/// A change asked for with `PUT /api/v1/agents/{name}/control` or the agent page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlChange {
    pub state: ControlState,
    pub reason: String,
    #[serde(default)]
    pub rate_limit_per_min: Option<u32>,
    #[serde(default)]
    pub pinned_version: Option<String>,
}

impl ControlChange {
    /// The change with its text trimmed, or why it is refused: pulling the switch needs a
    /// reason people can read later.
    pub fn validate(mut self) -> Result<ControlChange, String> {
        self.reason = self.reason.trim().to_string();
        if self.reason.is_empty() {
            return Err("a reason is required: say why the agent's state changes".into());
        }
        if self.reason.chars().count() > 500 {
            return Err("the reason has at most 500 characters".into());
        }
        if self.rate_limit_per_min == Some(0) {
            return Err(
                "a rate limit is at least 1 request per minute; pause the agent to stop it".into(),
            );
        }
        self.pinned_version = self
            .pinned_version
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if self.pinned_version.as_ref().is_some_and(|v| v.len() > 100) {
            return Err("a pinned version has at most 100 characters".into());
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(reason: &str) -> ControlChange {
        ControlChange {
            state: ControlState::Killed,
            reason: reason.into(),
            rate_limit_per_min: None,
            pinned_version: Some("  ".into()),
        }
    }

    #[test]
    fn a_change_needs_a_reason_and_a_positive_rate_limit() {
        assert!(change("  ").validate().is_err());
        let ok = change(" leaking PII ").validate().unwrap();
        assert_eq!(ok.reason, "leaking PII");
        assert_eq!(ok.pinned_version, None);
        let zero = ControlChange {
            rate_limit_per_min: Some(0),
            ..change("slow down")
        };
        assert!(zero.validate().unwrap_err().contains("pause"));
    }

    #[test]
    fn states_round_trip_through_their_names() {
        for state in [
            ControlState::Running,
            ControlState::Paused,
            ControlState::Killed,
        ] {
            assert_eq!(ControlState::parse(state.as_str()), Some(state));
        }
        assert_eq!(ControlState::parse("stopped"), None);
    }
}
