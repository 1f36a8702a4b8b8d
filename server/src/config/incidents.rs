//! `incidents:` and `mail:`: the escalation ladder, the SLAs and how pages leave. Every
//! key is optional; without `incidents.escalation` the seed's ladder applies, without
//! `mail.smtp` no mail is sent (and each incident's timeline says so).

use secrecy::SecretString;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;
use warden_domain::incident::Kind;
use warden_domain::incident::cascade::Cascade;
use warden_domain::incident::escalation::Ladder;
use warden_domain::incident::runbook::{Runbooks, StepConfig};
use warden_domain::policy::RuleName;
use warden_domain::policy::Severity;
use warden_services::incidents::rotation::Rotation;
use warden_services::incidents::sources::DEFAULT_PAGING_RULES;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IncidentsConfig {
    pub escalation: Option<EscalationConfig>,
    pub sla: SlaConfig,
    /// How often due escalations and pages are looked for; a page leaves within about
    /// this long of its due time.
    #[serde(deserialize_with = "super::schema::duration")]
    pub tick: Duration,
    /// The rules whose violations open incidents; `max_cost_per_interaction` only when
    /// an agent breaks it 3 times within 10 minutes.
    pub paging_rules: Option<Vec<String>>,
    /// Signs the pages POSTed to webhooks named in the ladder (`Warden-Signature`, as the
    /// control webhooks); unsigned without it.
    pub webhook_secret: Option<SecretString>,
    /// Runbooks by incident kind, replacing the seed's for the kinds named; an empty list
    /// removes a kind's runbook.
    pub runbooks: BTreeMap<String, Vec<StepConfig>>,
    /// Resolving an incident this severe or worse opens its post-mortem.
    pub postmortem_from: Severity,
    /// Who `on_call` pages; without it, every enabled user holding the role.
    pub on_call: Option<OnCallConfig>,
    /// Enough agents failing within a window open one cascading-failure incident;
    /// `cascade: null` turns it off.
    pub cascade: Option<CascadeConfig>,
}

/// `incidents.cascade`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CascadeConfig {
    /// Distinct agents with incidents opened within `within` (at least 2).
    pub agents: usize,
    #[serde(deserialize_with = "super::schema::duration")]
    pub within: Duration,
}

impl Default for CascadeConfig {
    fn default() -> Self {
        CascadeConfig {
            agents: 3,
            within: Duration::from_secs(600),
        }
    }
}

/// `incidents.on_call`: people take shifts in this order, handing off at `handoff` in
/// `time_zone`, each for `shift`, counted from `start`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnCallConfig {
    pub rotation: Vec<String>,
    #[serde(default = "OnCallConfig::default_handoff")]
    pub handoff: String,
    #[serde(default = "OnCallConfig::default_time_zone")]
    pub time_zone: String,
    #[serde(default = "OnCallConfig::default_shift")]
    pub shift: String,
    /// The date the first person's first shift starts (a Monday by default).
    #[serde(default = "OnCallConfig::default_start")]
    pub start: String,
}

impl OnCallConfig {
    fn default_handoff() -> String {
        "09:00".into()
    }
    fn default_time_zone() -> String {
        "UTC".into()
    }
    fn default_shift() -> String {
        "7d".into()
    }
    fn default_start() -> String {
        "2024-01-01".into()
    }
}

impl Default for IncidentsConfig {
    fn default() -> Self {
        IncidentsConfig {
            escalation: None,
            sla: SlaConfig::default(),
            tick: Duration::from_secs(1),
            paging_rules: None,
            webhook_secret: None,
            runbooks: BTreeMap::new(),
            postmortem_from: Severity::High,
            on_call: None,
            cascade: Some(CascadeConfig::default()),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    pub levels: Vec<LevelConfig>,
    /// The last level is paged again this often until someone acknowledges.
    #[serde(default)]
    pub repeat_every: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelConfig {
    /// `0m`, `5m`, `30s`... after the incident opened.
    pub after: String,
    /// Roles, `agent_owner`, `on_call`, e-mail addresses or webhook URLs.
    pub notify: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlaConfig {
    #[serde(deserialize_with = "super::schema::duration")]
    pub acknowledge: Duration,
    #[serde(deserialize_with = "super::schema::duration")]
    pub resolve: Duration,
}

impl Default for SlaConfig {
    fn default() -> Self {
        SlaConfig {
            acknowledge: Duration::from_secs(5 * 60),
            resolve: Duration::from_secs(4 * 3600),
        }
    }
}

impl IncidentsConfig {
    /// The rules that page: the listed ones, or the defaults.
    pub fn paging_rules(&self) -> Result<Vec<RuleName>, String> {
        match &self.paging_rules {
            None => Ok(DEFAULT_PAGING_RULES.to_vec()),
            Some(names) => names
                .iter()
                .map(|n| {
                    RuleName::parse(n)
                        .ok_or_else(|| format!("incidents.paging_rules: `{n}` is not a rule"))
                })
                .collect(),
        }
    }

    /// The on-call rotation, if one is configured.
    pub fn rotation(&self) -> Result<Option<Rotation>, String> {
        self.on_call
            .as_ref()
            .map(|c| {
                Rotation::from_config(&c.rotation, &c.handoff, &c.time_zone, &c.shift, &c.start)
                    .map_err(|e| format!("incidents.on_call: {e}"))
            })
            .transpose()
    }

    /// The cascade rule, if on.
    pub fn cascade(&self) -> Result<Option<Cascade>, String> {
        self.cascade
            .as_ref()
            .map(|c| {
                if c.agents < 2 {
                    return Err("incidents.cascade.agents: at least 2".to_string());
                }
                Ok(Cascade {
                    agents: c.agents,
                    within_ms: i64::try_from(c.within.as_millis()).unwrap_or(i64::MAX),
                })
            })
            .transpose()
    }

    /// The runbooks incidents open with.
    pub fn runbooks(&self) -> Result<Runbooks, String> {
        Runbooks::from_config(&self.runbooks).map_err(|e| format!("incidents.runbooks: {e}"))
    }

    /// The runbooks of a server that streams the demo fleet: it leaks PII in one answer in
    /// 25 on every agent, so an automatic shutdown would stop the whole fleet within
    /// minutes of the start. Unless the config names a `pii_leak` runbook, its shutdown
    /// waits for a person's button there.
    pub fn demo_runbooks(&self) -> Result<Runbooks, String> {
        let mut books = self.runbooks()?;
        if !self.runbooks.contains_key(Kind::PiiLeak.as_str())
            && let Some(steps) = books.0.get_mut(Kind::PiiLeak.as_str())
        {
            for step in steps.iter_mut() {
                step.automatic = false;
            }
        }
        Ok(books)
    }

    /// The ladder incidents open with.
    pub fn ladder(&self) -> Result<Ladder, String> {
        match &self.escalation {
            None => Ok(Ladder::default()),
            Some(e) => {
                let levels: Vec<(String, Vec<String>)> = e
                    .levels
                    .iter()
                    .map(|l| (l.after.clone(), l.notify.clone()))
                    .collect();
                Ladder::from_config(&levels, e.repeat_every.as_deref())
                    .map_err(|e| format!("incidents.escalation: {e}"))
            }
        }
    }
}

/// `mail:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    pub from: String,
    pub smtp: Option<SmtpConfig>,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            from: "Warden <warden@example.com>".into(),
            smtp: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// How long one SMTP exchange may take before the page counts as failed.
    #[serde(deserialize_with = "super::schema::duration")]
    pub timeout: Duration,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: 25,
            tls: SmtpTls::None,
            username: None,
            password: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// `none` (plain SMTP, for a relay on the same host), `starttls` (upgrade, usually port
/// 587) or `tls` (TLS from the start, usually port 465).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    #[default]
    None,
    Starttls,
    Tls,
}
