//! Applies the hard caps of the budgets spent this month, once per interval across
//! replicas (each agent's switch is claimed on its own as well).

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;

pub struct HardCaps {
    pub services: Services,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for HardCaps {
    fn name(&self) -> &'static str {
        "budget_caps"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every,
            lease: self.lease,
        }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let applied = self.services.enforce_budgets().await?;
        Ok(Outcome::count(applied.len() as u64))
    }
}
