//! Watches agents over time for `mandatory_logging` and `kill_switch_required`, once per
//! interval across replicas.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;
use warden_services::policy::watch::WatchSettings;

pub struct GovernanceWatch {
    pub services: Services,
    pub settings: WatchSettings,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for GovernanceWatch {
    fn name(&self) -> &'static str {
        "governance_watch"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every.max(Duration::from_secs(1)),
            lease: self.lease,
        }
    }
    /// One period after start: an agent seen just before a restart deserves the time to
    /// read its control state again.
    fn first_after(&self) -> Duration {
        self.every
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let found = self.services.watch_agents(self.settings).await?;
        if found > 0 {
            tracing::info!(found, "governance watch");
        }
        Ok(Outcome::count(found as u64))
    }
}
