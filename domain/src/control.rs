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
    /// Whether the agent has read its state since the last switch: `None` for an agent
    /// never switched. An agent that has not may not know it was paused or killed.
    pub fn read_since_switch(&self) -> Option<bool> {
        (self.version > 0).then(|| {
            self.last_read_at
                .is_some_and(|read| read >= self.updated_at)
        })
    }

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

    #[test]
    fn an_agent_read_its_state_since_the_switch_or_not() {
        let mut c = AgentControl::running("a");
        assert_eq!(c.read_since_switch(), None);
        c.version = 1;
        c.updated_at = 1_000;
        assert_eq!(c.read_since_switch(), Some(false));
        c.last_read_at = Some(999);
        assert_eq!(c.read_since_switch(), Some(false));
        c.last_read_at = Some(1_000);
        assert_eq!(c.read_since_switch(), Some(true));
    }

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

/// An agent's control webhook, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentWebhook {
    pub agent: String,
    pub url: String,
    pub created_at: i64,
    pub created_by: String,
    pub last_delivery_at: Option<i64>,
    /// The last delivery the agent answered with 2xx.
    pub last_ok_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Checks a webhook URL: http or https, at most 2,000 characters, no credentials in it.
pub fn validate_webhook_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("a webhook URL starts with https:// (or http:// on a private network)")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err("the webhook URL has no host".into());
    }
    if host.contains('@') {
        return Err("put no credentials in the webhook URL: requests are signed".into());
    }
    if url.len() > 2000 || url.chars().any(char::is_whitespace) {
        return Err("the webhook URL is too long or holds spaces".into());
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod webhook_tests {
    use super::validate_webhook_url;

    #[test]
    fn webhook_urls_are_http_with_a_host_and_no_credentials() {
        assert_eq!(
            validate_webhook_url(" https://agent.example.com/warden ").as_deref(),
            Ok("https://agent.example.com/warden")
        );
        assert!(validate_webhook_url("http://10.0.0.7:8080/hook").is_ok());
        assert!(validate_webhook_url("ftp://example.com").is_err());
        assert!(validate_webhook_url("https:///path").is_err());
        assert!(validate_webhook_url("https://user:pw@example.com").is_err());
        assert!(validate_webhook_url("https://example.com/a b").is_err());
    }
}
