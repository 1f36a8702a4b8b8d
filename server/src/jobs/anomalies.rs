//! Judges every agent's last hour for anomalies, once per interval across replicas.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;

pub struct Anomalies {
    pub services: Services,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for Anomalies {
    fn name(&self) -> &'static str {
        "anomalies"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every,
            lease: self.lease,
        }
    }
    async fn tick(&self, now: i64) -> anyhow::Result<Outcome> {
        let pass = self.services.detect_anomalies(now).await?;
        Ok(Outcome::count(pass.opened + pass.closed))
    }
}
