//! Warden's configuration: one YAML file in the schema of the seed's
//! `openclaw-production.yml` (made valid YAML), with `WARDEN_*` environment overrides.
//!
//! Loaded once at start and passed down; a bad file stops the start with the file, the line
//! and what is wrong, because a half-understood oversight config is worse than none.

mod incidents;
mod schema;

pub use incidents::*;
pub use schema::*;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use warden_domain::metrics::budget::{BudgetChange, BudgetScope, HardCap};
use warden_domain::policy::{PolicySet, ROOT};
use warden_domain::telemetry::pricing::{ModelPrice, PriceTable};
use warden_domain::telemetry::{AgentInfo, AgentSource, PiiScanMode};
use warden_domain::timefmt::parse_date;
use warden_services::policy::document::{DocumentError, syntax_error};

/// Where the config came from, for messages.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Defaults,
}

/// A config file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: String,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{}", errors.render(path))]
    Policies { path: String, errors: PolicyErrors },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
}

/// Every problem of a policy block, one `file:line: message` per line.
#[derive(Debug)]
pub struct PolicyErrors(pub Vec<warden_domain::policy::PolicyError>);

impl PolicyErrors {
    fn render(&self, path: &str) -> String {
        self.0
            .iter()
            .map(|e| match e.line {
                Some(line) => format!("{path}:{line}: {e}"),
                None => format!("{path}: {e}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The default database: SQLite next to where Warden runs.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/warden.db";

/// Reads the config named by `WARDEN_CONFIG`, else `./warden.yml` when present, else the
/// defaults; then applies the environment overrides and checks the result.
pub fn load_from_env() -> Result<(Config, Source), ConfigError> {
    let explicit = std::env::var_os("WARDEN_CONFIG").map(PathBuf::from);
    let (mut config, source) = match explicit {
        Some(path) => (load_file(&path)?, Source::File(path)),
        None if Path::new("warden.yml").exists() => {
            let path = PathBuf::from("warden.yml");
            (load_file(&path)?, Source::File(path))
        }
        None => (Config::default(), Source::Defaults),
    };
    apply_env(&mut config, |name| std::env::var(name).ok())?;
    Ok((config, source))
}

/// Reads and checks one config file.
pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: shown.clone(),
        source,
    })?;
    parse(&text, &shown)
}

/// Parses and checks config text; `path` names it in errors.
pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
    let config: Config = serde_saphyr::from_str(text).map_err(|err| {
        let DocumentError::Syntax {
            line,
            column,
            message,
        } = syntax_error(text, &err);
        ConfigError::Parse {
            path: path.to_string(),
            line,
            column,
            message,
        }
    })?;
    config.validate().map_err(|message| ConfigError::Invalid {
        path: path.to_string(),
        message,
    })?;
    config
        .policy_set()
        .map_err(|errors| ConfigError::Policies {
            path: path.to_string(),
            errors: PolicyErrors(errors),
        })?;
    Ok(config)
}

/// Applies `WARDEN_LISTEN`, `WARDEN_DATABASE_URL`, `WARDEN_PUBLIC_URL`, `WARDEN_DEMO` and
/// `WARDEN_SMTP` (`host:port` of a plain SMTP server, e.g. the local sink of run.sh).
pub fn apply_env(
    config: &mut Config,
    var: impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    if let Some(listen) = var("WARDEN_LISTEN") {
        config.server.listen = listen.parse().map_err(|_| ConfigError::Env {
            name: "WARDEN_LISTEN",
            message: format!("`{listen}` is not an address and port such as 127.0.0.1:3000"),
        })?;
    }
    if let Some(url) = var("WARDEN_DATABASE_URL") {
        config.server.database_url = Some(SecretString::from(url));
    }
    if let Some(url) = var("WARDEN_PUBLIC_URL") {
        config.server.public_url = Some(url);
    }
    if let Some(smtp) = var("WARDEN_SMTP").filter(|s| !s.trim().is_empty()) {
        let parsed = smtp
            .rsplit_once(':')
            .and_then(|(host, port)| Some((host.to_string(), port.parse::<u16>().ok()?)));
        let Some((host, port)) = parsed else {
            return Err(ConfigError::Env {
                name: "WARDEN_SMTP",
                message: format!("`{smtp}` is not a host and port such as 127.0.0.1:2525"),
            });
        };
        config.mail.smtp = Some(SmtpConfig {
            host,
            port,
            ..config.mail.smtp.clone().unwrap_or_default()
        });
    }
    if let Some(demo) = var("WARDEN_DEMO") {
        config.demo.enabled = match demo.trim() {
            "1" | "true" | "yes" => true,
            "0" | "false" | "no" | "" => false,
            other => {
                return Err(ConfigError::Env {
                    name: "WARDEN_DEMO",
                    message: format!("`{other}` is not 1 or 0"),
                });
            }
        };
    }
    config.validate().map_err(|message| ConfigError::Env {
        name: "WARDEN_*",
        message,
    })
}

impl Config {
    /// The database URL: the configured one or the SQLite default.
    pub fn database_url(&self) -> String {
        self.server
            .database_url
            .as_ref()
            .map(|url| url.expose_secret().to_string())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string())
    }

    /// The URL people reach Warden at, for links in e-mails and for cookie security.
    pub fn public_url(&self) -> String {
        self.server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.server.listen))
    }

    /// Cookies are marked Secure when Warden is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// The file's budgets, checked.
    pub fn budget_changes(&self) -> Result<Vec<BudgetChange>, String> {
        let b = &self.budgets;
        b.fleet
            .iter()
            .map(|c| (BudgetScope::Fleet, c))
            .chain(
                b.agents
                    .iter()
                    .map(|(name, c)| (BudgetScope::Agent(name.clone()), c)),
            )
            .map(|(scope, c)| {
                let key = match &scope {
                    BudgetScope::Fleet => "budgets.fleet".to_string(),
                    BudgetScope::Agent(name) => format!("budgets.agents.{name}"),
                };
                HardCap::parse(c.hard_cap.as_deref(), c.rate_limit_per_min)
                    .and_then(|hard_cap| {
                        BudgetChange {
                            scope,
                            monthly: c.monthly,
                            hard_cap,
                        }
                        .validate()
                    })
                    .map_err(|e| format!("{key}: {e}"))
            })
            .collect()
    }

    fn validate(&self) -> Result<(), String> {
        self.budget_changes()?;
        self.incidents.ladder()?;
        self.incidents.paging_rules()?;
        self.incidents.runbooks()?;
        self.incidents.rotation()?;
        self.incidents.cascade()?;
        if let Err(e) = self.mail.from.parse::<lettre::message::Mailbox>() {
            return Err(format!(
                "mail.from `{}` is not a mailbox: {e}",
                self.mail.from
            ));
        }
        if let Some(url) = &self.server.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(format!(
                "server.public_url `{url}` must start with http:// or https://"
            ));
        }
        let url = self.database_url();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            // Never echo the URL: it may hold a password.
            return Err("the database URL must start with sqlite: or postgres://".to_string());
        }
        let c = &self.governance.compliance;
        if !(0.0..=1.0).contains(&c.green) || !(0.0..=1.0).contains(&c.amber) || c.amber > c.green {
            return Err(format!(
                "governance.compliance: green ({}) and amber ({}) are scores from 0 to 1, amber \
                 at most green",
                c.green, c.amber
            ));
        }
        let j = &self.jobs;
        for (key, every) in [
            ("jobs.registry_refresh", j.registry_refresh),
            ("jobs.policy_refresh", j.policy_refresh),
            ("jobs.retention", j.retention),
            ("jobs.cleanup", j.cleanup),
            ("jobs.wal_checkpoint", j.wal_checkpoint),
            ("jobs.lease", j.lease),
            (
                "ingestion.batch_scan_interval",
                self.ingestion.batch_scan_interval,
            ),
            ("governance.watch_interval", self.governance.watch_interval),
            ("analytics.active_window", self.analytics.active_window),
            ("analytics.rollup_interval", self.analytics.rollup_interval),
            (
                "analytics.anomaly_interval",
                self.analytics.anomaly_interval,
            ),
            ("budgets.check_interval", self.budgets.check_interval),
        ] {
            if every.is_zero() {
                return Err(format!("{key} must be longer than zero"));
            }
        }
        let mut names = std::collections::HashSet::new();
        for agent in &self.ingestion.agents {
            if agent.name.trim().is_empty() {
                return Err("ingestion.agents: every agent needs a name".to_string());
            }
            if !names.insert(agent.name.as_str()) {
                return Err(format!(
                    "ingestion.agents: agent `{}` is listed twice",
                    agent.name
                ));
            }
            warden_domain::telemetry::agent::validate_agent_name(&agent.name)
                .map_err(|e| format!("ingestion.agents: `{}`: {e}", agent.name))?;
            if !(0.0..=1.0).contains(&agent.sample_rate) {
                return Err(format!(
                    "ingestion.agents: agent `{}` has sample_rate {}; it must be between 0.0 and 1.0",
                    agent.name, agent.sample_rate
                ));
            }
        }
        if self.pricing.currency.len() != 3
            || !self
                .pricing
                .currency
                .chars()
                .all(|c| c.is_ascii_uppercase())
        {
            return Err(format!(
                "pricing.currency `{}` must be a three-letter ISO code such as EUR",
                self.pricing.currency
            ));
        }
        if !(self.pricing.usd_rate.is_finite() && self.pricing.usd_rate > 0.0) {
            return Err("pricing.usd_rate must be a positive number".to_string());
        }
        self.price_table()?;
        self.pii_scanner()?;
        if !(self.demo.rate.is_finite() && self.demo.rate > 0.0 && self.demo.rate <= 10_000.0) {
            return Err("demo.rate must be between 0 and 10000 interactions per second".into());
        }
        if self.demo.history > std::time::Duration::from_secs(7 * 24 * 3600) {
            return Err("demo.history is at most 7d: older traffic would be pruned".into());
        }
        Ok(())
    }

    /// The price table: shipped prices with the configured ones on top.
    pub fn price_table(&self) -> Result<PriceTable, String> {
        let mut models = Vec::new();
        for price in &self.pricing.models {
            let valid_from = parse_date(&price.valid_from).ok_or_else(|| {
                format!(
                    "pricing.models: `{}` has valid_from `{}`; write a date as YYYY-MM-DD",
                    price.model, price.valid_from
                )
            })?;
            let currency = price.currency.to_ascii_uppercase();
            if currency != "USD" && currency != self.pricing.currency {
                return Err(format!(
                    "pricing.models: `{}` is priced in {currency}; use USD or {}",
                    price.model, self.pricing.currency
                ));
            }
            let prices = [
                Some(price.input_per_million),
                Some(price.output_per_million),
                price.cache_read_per_million,
                price.cache_write_per_million,
            ];
            if prices
                .into_iter()
                .flatten()
                .any(|p| !(p.is_finite() && p >= 0.0))
            {
                return Err(format!(
                    "pricing.models: `{}` has a negative or invalid price",
                    price.model
                ));
            }
            models.push(ModelPrice {
                model: price.model.trim().to_ascii_lowercase(),
                input_per_million: price.input_per_million,
                output_per_million: price.output_per_million,
                cache_read_per_million: price.cache_read_per_million,
                cache_write_per_million: price.cache_write_per_million,
                currency,
                valid_from,
            });
        }
        Ok(PriceTable::new(
            &self.pricing.currency,
            self.pricing.usd_rate,
            models,
        ))
    }

    /// The PII scanner with the configured patterns.
    pub fn pii_scanner(&self) -> Result<warden_pii::Scanner, String> {
        let patterns: Vec<warden_pii::CustomPattern> = self
            .ingestion
            .pii_patterns
            .iter()
            .map(|p| warden_pii::CustomPattern {
                name: p.name.clone(),
                regex: p.regex.clone(),
            })
            .collect();
        warden_pii::Scanner::new(&patterns).map_err(|e| format!("ingestion.pii_patterns: {e}"))
    }

    /// The policy hierarchy, checked; agents' `policy:` must name one of its levels.
    pub fn policy_set(&self) -> Result<PolicySet, Vec<warden_domain::policy::PolicyError>> {
        let seed;
        let doc = match &self.policies {
            Some(doc) => doc,
            None => {
                // The seed speaks EUR; its limit is kept as a number in the configured currency.
                let text = warden_services::policy::SEED_POLICIES
                    .replace(" EUR", &format!(" {}", self.pricing.currency));
                seed =
                    warden_services::policy::document::parse_policy_file(&text).map_err(|e| {
                        vec![warden_domain::policy::PolicyError {
                            level: String::new(),
                            rule: None,
                            line: None,
                            message: format!("the built-in seed policies: {e}"),
                        }]
                    })?;
                &seed
            }
        };
        let sources = doc.to_sources()?;
        let set = PolicySet::build(sources, &self.pricing.currency)?;
        let mut errors = Vec::new();
        for agent in &self.ingestion.agents {
            if let Some(policy) = agent.policy.as_deref()
                && !set.contains(policy)
                && !(policy == ROOT && set.is_empty())
            {
                let known = set.tree().into_iter().map(|(_, n)| n).collect::<Vec<_>>();
                errors.push(warden_domain::policy::PolicyError {
                    level: policy.to_string(),
                    rule: None,
                    line: None,
                    message: format!(
                        "agent `{}` is bound to policy `{policy}`, which is not defined (policies: {})",
                        agent.name,
                        if known.is_empty() { "none".to_string() } else { known.join(", ") }
                    ),
                });
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// The agents the file registers, as the registry stores them.
    pub fn registered_agents(&self, now: i64) -> Vec<AgentInfo> {
        self.ingestion
            .agents
            .iter()
            .map(|a| AgentInfo {
                name: a.name.trim().to_string(),
                source: AgentSource::Config,
                sdk: a.sdk.clone(),
                owner: a.owner.clone(),
                category: a.category.clone(),
                environment: a.environment.clone(),
                policy: a.policy.clone(),
                description: a.description.clone(),
                sample_rate: a.sample_rate,
                pii_scan: match a.pii_scan {
                    PiiScan::RealTime => PiiScanMode::RealTime,
                    PiiScan::Batch => PiiScanMode::Batch,
                },
                created_at: now,
                last_seen_at: None,
            })
            .collect()
    }
}

/// The annotated example config, printed by `warden config example`.
pub const EXAMPLE: &str = include_str!("../../../warden.example.yml");

/// Loads the config for a command, with context for anyhow.
pub fn load() -> anyhow::Result<Config> {
    let (config, _) = load_from_env().context("loading the configuration")?;
    Ok(config)
}

#[cfg(test)]
mod tests;
