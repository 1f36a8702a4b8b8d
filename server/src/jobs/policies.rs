//! Picks up a policy version approved on another replica.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;

pub struct RefreshPolicies {
    pub services: Services,
    pub every: Duration,
}

#[async_trait]
impl Job for RefreshPolicies {
    fn name(&self) -> &'static str {
        "refresh_policies"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        self.services.refresh_policies().await?;
        Ok(Outcome::default())
    }
}
