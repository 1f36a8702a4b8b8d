//! Enforces the retention tiers once a day across replicas, and records what each tier
//! deleted.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;
use warden_services::retention::RetentionPolicy;

pub struct Retention {
    pub services: Services,
    pub policy: RetentionPolicy,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for Retention {
    fn name(&self) -> &'static str {
        "retention"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every,
            lease: self.lease,
        }
    }
    /// Not in the first minute: a server started to look at something should not begin
    /// by deleting.
    fn first_after(&self) -> Duration {
        Duration::from_secs(60)
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let runs = self.services.enforce_retention(&self.policy).await?;
        let deleted = runs.iter().map(|r| r.deleted.max(0) as u64).sum();
        Ok(Outcome::count(deleted))
    }
}
