//! The agents of the fleet and the keys they send with.

use serde::{Deserialize, Serialize};

/// Ingest keys start with this, so that a leaked one is recognised (and told apart from a
/// person's `wdn_` token).
pub const INGEST_KEY_PREFIX: &str = "wik_";

/// When an agent's text is scanned for PII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PiiScanMode {
    /// Before storage: the raw value never reaches the database.
    RealTime,
    /// By a scheduled job that redacts stored text in place.
    Batch,
}

impl PiiScanMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PiiScanMode::RealTime => "real-time",
            PiiScanMode::Batch => "batch",
        }
    }

    pub fn parse(text: &str) -> Option<PiiScanMode> {
        match text {
            "real-time" => Some(PiiScanMode::RealTime),
            "batch" => Some(PiiScanMode::Batch),
            _ => None,
        }
    }
}

/// Where an agent's registration comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentSource {
    /// Named in the config file, which stays the source of truth for it.
    Config,
    /// Registered by an admin in the UI or API.
    Ui,
    /// Seen in traffic but registered by nobody; its spans are kept.
    Unregistered,
}

impl AgentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentSource::Config => "config",
            AgentSource::Ui => "ui",
            AgentSource::Unregistered => "unregistered",
        }
    }

    pub fn parse(text: &str) -> Option<AgentSource> {
        match text {
            "config" => Some(AgentSource::Config),
            "ui" => Some(AgentSource::Ui),
            "unregistered" => Some(AgentSource::Unregistered),
            _ => None,
        }
    }
}

/// An agent's registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentInfo {
    pub name: String,
    pub source: AgentSource,
    pub sdk: Option<String>,
    pub owner: Option<String>,
    pub category: Option<String>,
    pub environment: Option<String>,
    pub policy: Option<String>,
    pub description: Option<String>,
    /// Share of traces kept, 0 to 1.
    pub sample_rate: f64,
    pub pii_scan: PiiScanMode,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
}

impl AgentInfo {
    /// Whether `email` is this agent's owner (e-mails compare case-insensitively).
    pub fn is_owned_by(&self, email: &str) -> bool {
        self.owner
            .as_deref()
            .is_some_and(|o| o.eq_ignore_ascii_case(email))
    }

    /// How an agent nobody registered is treated: everything kept, scanned before storage.
    pub fn unregistered(name: &str, environment: Option<String>, now: i64) -> AgentInfo {
        AgentInfo {
            name: name.to_string(),
            source: AgentSource::Unregistered,
            sdk: None,
            owner: None,
            category: None,
            environment,
            policy: None,
            description: None,
            sample_rate: 1.0,
            pii_scan: PiiScanMode::RealTime,
            created_at: now,
            last_seen_at: Some(now),
        }
    }
}

pub const MAX_AGENT_NAME_LEN: usize = 128;

/// Agent names are ids in URLs, tags and config: printable, no spaces, bounded.
pub fn validate_agent_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("an agent needs a name".into());
    }
    if name.len() > MAX_AGENT_NAME_LEN {
        return Err(format!(
            "an agent name has at most {MAX_AGENT_NAME_LEN} bytes"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/' | '@')))
    {
        return Err(format!(
            "an agent name may hold letters, digits and - _ . : / @, not {bad:?}"
        ));
    }
    Ok(name.to_string())
}

/// Checks a sample rate from the config or a form.
pub fn validate_sample_rate(rate: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("a sample rate is between 0 and 1, not {rate}"))
    }
}

/// What an ingest key may write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "scope", content = "name")]
pub enum KeyScope {
    /// Spans of this agent only.
    Agent(String),
    /// Spans of any agent in this environment (agents it has not seen yet are registered
    /// into it as unregistered).
    Environment(String),
}

impl KeyScope {
    /// Whether a key of this scope may write spans of `agent`, whose environment is
    /// `agent_environment` (`None` for an agent nobody has registered yet).
    pub fn allows(&self, agent: &str, agent_environment: Option<&str>, known: bool) -> bool {
        match self {
            KeyScope::Agent(name) => name == agent,
            KeyScope::Environment(env) => !known || agent_environment == Some(env.as_str()),
        }
    }

    /// The environment agents first seen with this key join.
    pub fn environment(&self) -> Option<&str> {
        match self {
            KeyScope::Environment(env) => Some(env),
            KeyScope::Agent(_) => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            KeyScope::Agent(name) => format!("agent {name}"),
            KeyScope::Environment(env) => format!("environment {env}"),
        }
    }
}

/// An ingest key's public facts; the secret is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestKeyInfo {
    pub id: i64,
    pub name: String,
    pub scope: KeyScope,
    pub prefix: String,
    pub created_at: i64,
    pub created_by: Option<String>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_key_writes_only_its_agent() {
        let key = KeyScope::Agent("support-agent".into());
        assert!(key.allows("support-agent", Some("production"), true));
        assert!(!key.allows("sales-agent", Some("production"), true));
        assert!(!key.allows("sales-agent", None, false));
    }

    #[test]
    fn an_environment_key_writes_its_environment_and_new_agents() {
        let key = KeyScope::Environment("staging".into());
        assert!(key.allows("a", Some("staging"), true));
        assert!(!key.allows("a", Some("production"), true));
        assert!(!key.allows("a", None, true));
        assert!(key.allows("new-agent", None, false));
    }

    #[test]
    fn agent_names_are_checked() {
        assert_eq!(
            validate_agent_name(" support-agent "),
            Ok("support-agent".into())
        );
        assert!(validate_agent_name("").is_err());
        assert!(validate_agent_name("two words").is_err());
        assert!(validate_agent_name(&"a".repeat(129)).is_err());
        assert!(validate_sample_rate(1.5).is_err());
        assert!(validate_sample_rate(0.25).is_ok());
    }
}
