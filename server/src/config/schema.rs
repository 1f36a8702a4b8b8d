//! The shape of `warden.yml`. Unknown keys are errors: a misspelt setting silently ignored
//! is a policy silently not enforced.

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub auth: AuthConfig,
    pub ingestion: IngestionConfig,
    pub pricing: PricingConfig,
    /// Demo mode: a simulated fleet streams traffic through the OTLP endpoint.
    pub demo: DemoConfig,
    /// How the rules that watch agents over time wait.
    pub governance: GovernanceConfig,
    /// How often the background jobs run.
    pub jobs: JobsConfig,
    /// The analytics engine: rollups and the metrics' windows.
    pub analytics: AnalyticsConfig,
    /// Monthly budgets: they seed those the database does not hold yet.
    pub budgets: BudgetsConfig,
    /// The escalation ladder and SLAs of incidents.
    pub incidents: super::incidents::IncidentsConfig,
    /// How pages leave: the sender and the SMTP server.
    pub mail: super::incidents::MailConfig,
    /// The policy hierarchy; its rules are checked by the governance layer.
    /// `None` (no `policies:` key): the seed's hierarchy.
    pub policies: Option<warden_services::policy::document::PoliciesDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on (`WARDEN_LISTEN`).
    pub listen: SocketAddr,
    /// The URL people use to reach Warden (`WARDEN_PUBLIC_URL`).
    pub public_url: Option<String>,
    /// `sqlite://...` or `postgres://...` (`WARDEN_DATABASE_URL`); may hold a password.
    pub database_url: Option<SecretString>,
    pub database_max_connections: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the real client (for sign-in throttling).
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            database_url: None,
            database_max_connections: 10,
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// A session ends after this long without a request.
    #[serde(deserialize_with = "duration")]
    pub session_idle_timeout: Duration,
    pub login_throttle: LoginThrottleConfig,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_idle_timeout: Duration::from_secs(12 * 3600),
            login_throttle: LoginThrottleConfig::default(),
        }
    }
}

/// Failed sign-ins: slowed from `slow_after` failures, refused for `lockout` from
/// `lock_after` failures within `window`; counted per account and per client address.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginThrottleConfig {
    #[serde(deserialize_with = "duration")]
    pub window: Duration,
    #[serde(deserialize_with = "duration")]
    pub lockout: Duration,
    pub account_slow_after: u32,
    pub account_lock_after: u32,
    pub client_slow_after: u32,
    pub client_lock_after: u32,
    #[serde(deserialize_with = "duration")]
    pub max_delay: Duration,
}

impl Default for LoginThrottleConfig {
    fn default() -> Self {
        use warden_domain::throttle::ThrottlePolicy;
        let (a, c) = (ThrottlePolicy::ACCOUNT, ThrottlePolicy::CLIENT);
        LoginThrottleConfig {
            window: Duration::from_millis(a.window_ms.unsigned_abs()),
            lockout: Duration::from_millis(a.lock_ms.unsigned_abs()),
            account_slow_after: a.slow_after,
            account_lock_after: a.lock_after,
            client_slow_after: c.slow_after,
            client_lock_after: c.lock_after,
            max_delay: Duration::from_millis(a.max_delay_ms),
        }
    }
}

/// The seed's `ingestion` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestionConfig {
    pub mode: IngestionMode,
    pub buffer_size: usize,
    #[serde(deserialize_with = "duration")]
    pub flush_interval: Duration,
    pub compression: Compression,
    pub agents: Vec<AgentConfig>,
    pub storage: StorageConfig,
    /// Span or resource attributes whose values become `key:value` tags on traces.
    pub tag_attributes: Vec<String>,
    /// Extra PII patterns (regular expressions), reported under their name.
    pub pii_patterns: Vec<PiiPatternConfig>,
    /// How often the batch PII scan looks for unscanned spans of `batch` agents.
    #[serde(deserialize_with = "duration")]
    pub batch_scan_interval: Duration,
}

/// `governance:`: the waits of `mandatory_logging`, `kill_switch_required` and the human
/// review queue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GovernanceConfig {
    /// A running agent that sends nothing for this long breaks `mandatory_logging`.
    #[serde(deserialize_with = "duration")]
    pub logging_gap: Duration,
    /// An agent sending spans must read its control state at least this often.
    #[serde(deserialize_with = "duration")]
    pub control_read_window: Duration,
    /// How often the watch runs.
    #[serde(deserialize_with = "duration")]
    pub watch_interval: Duration,
    /// How long a queued review may wait for a decision before it is overdue (a
    /// `mandatory_human_review` violation).
    #[serde(deserialize_with = "duration")]
    pub review_sla: Duration,
    /// The rolling window of the alignment score (`alignment_score_minimum`).
    #[serde(deserialize_with = "duration")]
    pub alignment_window: Duration,
    /// An agent with fewer interactions in the window is not judged on its score.
    pub alignment_min_interactions: u32,
    /// Where compliance scores turn amber and red.
    pub compliance: warden_domain::policy::compliance::Thresholds,
    /// Let control webhooks reach private networks and this host (agents inside the same
    /// network as Warden); off, only public addresses are reached.
    pub webhook_private_networks: bool,
    /// Phrases that tell a user they talk to an AI (`transparency_notice_required`),
    /// matched in any case as whole words; empty: Warden's own list.
    pub ai_disclosure: Vec<String>,
}

impl Default for GovernanceConfig {
    fn default() -> Self {
        GovernanceConfig {
            logging_gap: Duration::from_secs(15 * 60),
            control_read_window: Duration::from_secs(5 * 60),
            watch_interval: Duration::from_secs(60),
            review_sla: Duration::from_secs(4 * 3600),
            ai_disclosure: Vec::new(),
            alignment_window: Duration::from_secs(24 * 3600),
            alignment_min_interactions: 20,
            compliance: Default::default(),
            webhook_private_networks: false,
        }
    }
}

/// `analytics:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyticsConfig {
    /// An agent is active when it sent a span this long before the end of a range.
    #[serde(deserialize_with = "duration")]
    pub active_window: Duration,
    /// How often the hour and day rollups are recomputed from the minutes.
    #[serde(deserialize_with = "duration")]
    pub rollup_interval: Duration,
    /// How often each agent's last hour is judged against its trailing week.
    #[serde(deserialize_with = "duration")]
    pub anomaly_interval: Duration,
    /// An hour with fewer interactions raises no anomaly.
    pub anomaly_min_volume: u32,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            active_window: Duration::from_secs(5 * 60),
            rollup_interval: Duration::from_secs(60),
            anomaly_interval: Duration::from_secs(60),
            anomaly_min_volume: 20,
        }
    }
}

/// `budgets:`: the fleet's monthly budget and each agent's, in `pricing.currency`. The
/// file seeds the budgets the database does not hold yet; finance and admins change them
/// on the Cost Center page after that (recorded in the audit trail).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BudgetsConfig {
    /// How often budgets are checked against their hard caps.
    #[serde(deserialize_with = "duration")]
    pub check_interval: Duration,
    pub fleet: Option<BudgetConfig>,
    /// By agent name.
    pub agents: std::collections::BTreeMap<String, BudgetConfig>,
}

impl Default for BudgetsConfig {
    fn default() -> Self {
        BudgetsConfig {
            check_interval: Duration::from_secs(60),
            fleet: None,
            agents: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetConfig {
    pub monthly: f64,
    /// `none` (the default), `pause` or `rate_limit` (with `rate_limit_per_min`): what
    /// happens to the agents once the month's spend passes the budget.
    #[serde(default)]
    pub hard_cap: Option<String>,
    #[serde(default)]
    pub rate_limit_per_min: Option<u32>,
}

/// `jobs:`: the intervals of the background jobs that have no section of their own (the
/// batch PII scan and the governance watch keep theirs under `ingestion` and `governance`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Re-reading the agent registry that other replicas may change.
    #[serde(deserialize_with = "duration")]
    pub registry_refresh: Duration,
    /// Looking for a policy version approved on another replica.
    #[serde(deserialize_with = "duration")]
    pub policy_refresh: Duration,
    /// Enforcing the retention tiers.
    #[serde(deserialize_with = "duration")]
    pub retention: Duration,
    /// Deleting expired sessions and stale sign-in counters.
    #[serde(deserialize_with = "duration")]
    pub cleanup: Duration,
    /// SQLite only: checkpointing the write-ahead log.
    #[serde(deserialize_with = "duration")]
    pub wal_checkpoint: Duration,
    /// A run claimed by a replica that has not finished after this long is taken over by
    /// another (the claimant is taken for dead).
    #[serde(deserialize_with = "duration")]
    pub lease: Duration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            registry_refresh: Duration::from_secs(10),
            policy_refresh: Duration::from_secs(5),
            retention: Duration::from_secs(24 * 3600),
            cleanup: Duration::from_secs(3600),
            wal_checkpoint: Duration::from_millis(100),
            lease: Duration::from_secs(5 * 60),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiiPatternConfig {
    pub name: String,
    pub regex: String,
}

/// Model prices and the currency costs are kept in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PricingConfig {
    /// The currency of costs and budgets (the seed's policies speak EUR).
    pub currency: String,
    /// Units of `currency` per US dollar, for prices and reported costs in dollars.
    pub usd_rate: f64,
    /// Prices added to or replacing the shipped table from their `valid_from` date.
    pub models: Vec<ModelPriceConfig>,
}

impl Default for PricingConfig {
    fn default() -> Self {
        PricingConfig {
            currency: "EUR".into(),
            usd_rate: 0.86,
            models: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPriceConfig {
    pub model: String,
    pub input_per_million: f64,
    pub output_per_million: f64,
    #[serde(default)]
    pub cache_read_per_million: Option<f64>,
    #[serde(default)]
    pub cache_write_per_million: Option<f64>,
    #[serde(default = "usd")]
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
}

fn usd() -> String {
    "USD".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemoConfig {
    /// Stream the simulated fleet while serving (also `warden serve --demo`).
    pub enabled: bool,
    /// Interactions per second across the fleet.
    pub rate: f64,
    /// Into a database without traces, the fleet first replays this much of its past
    /// traffic (0 for none), so the dashboards and the anomaly detector's baseline have a
    /// day behind them from the first minute.
    #[serde(deserialize_with = "duration")]
    pub history: Duration,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            enabled: false,
            rate: 2.0,
            history: Duration::from_secs(26 * 3600),
        }
    }
}

impl Default for IngestionConfig {
    fn default() -> Self {
        IngestionConfig {
            mode: IngestionMode::Streaming,
            buffer_size: 10_000,
            flush_interval: Duration::from_secs(5),
            compression: Compression::Gzip,
            agents: Vec::new(),
            storage: StorageConfig::default(),
            tag_attributes: Vec::new(),
            pii_patterns: Vec::new(),
            batch_scan_interval: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IngestionMode {
    Streaming,
    Batch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    Gzip,
    None,
}

/// One agent of the fleet, as the seed lists them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    pub name: String,
    #[serde(default)]
    pub sdk: Option<String>,
    #[serde(default = "full_sampling")]
    pub sample_rate: f64,
    #[serde(default = "real_time")]
    pub pii_scan: PiiScan,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub environment: Option<String>,
    /// The policy level the agent is bound to (default `global`).
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn full_sampling() -> f64 {
    1.0
}

fn real_time() -> PiiScan {
    PiiScan::RealTime
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PiiScan {
    RealTime,
    Batch,
}

/// The seed's `ingestion.storage` block.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// Informational: the engine is chosen by the database URL.
    pub primary: Option<String>,
    /// Informational: Warden keeps its own rollups and needs no time-series engine.
    pub time_series: Option<String>,
    pub retention: RetentionConfig,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    #[serde(deserialize_with = "duration")]
    pub raw_traces: Duration,
    #[serde(deserialize_with = "duration")]
    pub aggregated: Duration,
    #[serde(deserialize_with = "duration")]
    pub compliance_logs: Duration,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        const DAY: u64 = 86_400;
        RetentionConfig {
            raw_traces: Duration::from_secs(90 * DAY),
            aggregated: Duration::from_secs(365 * DAY),
            compliance_logs: Duration::from_secs(1095 * DAY),
        }
    }
}

pub(super) fn duration<'de, D: Deserializer<'de>>(de: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(de)?;
    warden_domain::duration::parse_duration(&text).map_err(serde::de::Error::custom)
}
