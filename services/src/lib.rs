//! Warden's use cases: each public function checks what the caller may do, applies the
//! domain rules and stores the result. Pages (server functions), the REST API, background
//! jobs and the CLI all come through here, so a rule is enforced once for all of them.
#![forbid(unsafe_code)]

mod accounts;
mod actor;
mod agents;
pub mod anomalies;
pub mod audit;
mod budgets;
pub mod charts;
mod clock;
mod control;
mod dashboards;
mod error;
pub mod incidents;
pub mod ingest;
mod login;
pub mod metrics;
mod password;
pub mod policy;
pub mod recommendations;
pub mod retention;
mod reviews;
pub mod scores;
mod tokens;
mod traces;
mod webhooks;

pub use actor::Actor;
pub use agents::NewIngestKey;
pub use budgets::CapApplied;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ServiceError;
pub use login::{LoginError, SignedIn};
pub use tokens::NewToken;
pub use webhooks::WebhookCaller;

use std::sync::atomic::AtomicI64;
use std::sync::{Arc, RwLock};
use tokio::sync::Semaphore;
use warden_db::Store;
use warden_domain::policy::PolicySet;
use warden_domain::throttle::ThrottlePolicy;

/// `N` random bytes from the operating system: every secret, salt and nonce Warden makes.
pub(crate) fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes)
}

/// Settings the services take from the configuration.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    pub account_throttle: ThrottlePolicy,
    pub client_throttle: ThrottlePolicy,
    /// The currency costs are kept in (`pricing.currency`).
    pub currency: String,
    /// The URL people and agents reach Warden at (links, agent set-up snippets).
    pub public_url: String,
    /// The policy hierarchy from the config file.
    pub policies: PolicySet,
    /// How long a review may wait for a decision (`governance.review_sla`), in ms.
    pub review_sla_ms: i64,
    /// Where compliance scores turn amber and red (`governance.compliance`).
    pub compliance: warden_domain::policy::compliance::Thresholds,
    /// An agent is active when it sent a span this long before the end of a range
    /// (`analytics.active_window`), in ms.
    pub active_window_ms: i64,
    /// How anomalies are judged.
    pub anomaly: warden_domain::metrics::anomaly::Settings,
    /// The price table (`pricing`), for the savings of cost recommendations.
    pub prices: Arc<warden_domain::telemetry::pricing::PriceTable>,
    /// The escalation ladder and SLAs (`incidents`).
    pub incidents: incidents::IncidentSettings,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            account_throttle: ThrottlePolicy::ACCOUNT,
            client_throttle: ThrottlePolicy::CLIENT,
            currency: "EUR".into(),
            public_url: "http://127.0.0.1:3000".into(),
            policies: PolicySet::default(),
            review_sla_ms: 4 * 3_600_000,
            compliance: Default::default(),
            active_window_ms: 5 * 60_000,
            anomaly: Default::default(),
            prices: Arc::new(warden_domain::telemetry::pricing::PriceTable::new(
                "EUR",
                0.86,
                Vec::new(),
            )),
            incidents: incidents::IncidentSettings::default(),
        }
    }
}

/// Everything a use case needs; cheap to clone and shared by every request.
#[derive(Clone)]
pub struct Services {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Arc<ServiceSettings>,
    /// Argon2 takes 19 MiB and tens of milliseconds per hash: a burst of sign-ins must queue
    /// here rather than fill the blocking pool and the memory.
    hashing: Arc<Semaphore>,
    /// Swapped whole when a new policy version takes effect; readers keep the one they got.
    policies: Arc<RwLock<Arc<PolicySet>>>,
    /// The version `policies` holds; 0 until `start_policies` runs.
    policy_version: Arc<AtomicI64>,
    /// Control states as they change, for the webhook job.
    control_events: tokio::sync::broadcast::Sender<warden_domain::control::AgentControl>,
    /// The incidents' version as last read (`publish_incidents_version`), for live views.
    incident_changes: tokio::sync::watch::Sender<(i64, i64)>,
    /// The key acknowledge links are signed with, read from the database once.
    link_key: Arc<tokio::sync::OnceCell<Vec<u8>>>,
}

impl Services {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: ServiceSettings) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Services {
            store,
            clock,
            policies: Arc::new(RwLock::new(Arc::new(settings.policies.clone()))),
            policy_version: Arc::new(AtomicI64::new(0)),
            control_events: tokio::sync::broadcast::channel(256).0,
            link_key: Arc::new(tokio::sync::OnceCell::new()),
            incident_changes: tokio::sync::watch::Sender::new((0, 0)),
            settings: Arc::new(settings),
            hashing: Arc::new(Semaphore::new(cores * 2)),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The currency costs are shown in.
    pub fn currency(&self) -> &str {
        &self.settings.currency
    }

    /// How long a queued review may wait, in ms.
    pub fn review_sla_ms(&self) -> i64 {
        self.settings.review_sla_ms
    }

    pub fn public_url(&self) -> &str {
        &self.settings.public_url
    }

    /// The current time in epoch milliseconds, from the injected clock.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub(crate) async fn hash_password(&self, password: &str) -> anyhow::Result<String> {
        let _permit = self.hashing.acquire().await?;
        password::hash(password.to_string()).await
    }

    pub(crate) async fn verify_password(
        &self,
        password: &str,
        hash: Option<String>,
    ) -> anyhow::Result<bool> {
        let _permit = self.hashing.acquire().await?;
        password::verify(password.to_string(), hash).await
    }
}
