//! Recomputes the hour and day rollups from the minutes the ingest commits wrote, once per
//! interval across replicas, and drops minutes past their week.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;
use warden_services::metrics::MINUTES_KEPT_MS;

pub struct Rollups {
    pub services: Services,
    pub every: Duration,
    pub lease: Duration,
}

/// Commits that began before a pass but ended after it are picked up by the next: the
/// next pass re-reads the minutes changed this long before the previous one started.
const IN_FLIGHT_MARGIN_MS: i64 = 120_000;

#[async_trait]
impl Job for Rollups {
    fn name(&self) -> &'static str {
        "rollups"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every,
            lease: self.lease,
        }
    }
    async fn tick(&self, now: i64) -> anyhow::Result<Outcome> {
        let store = self.services.store();
        // From the newest finished pass on; none ever: every minute the database holds.
        let since = store
            .last_finished_job_run(self.name())
            .await?
            .map_or(0, |started| (started - IN_FLIGHT_MARGIN_MS).max(1));
        // Scores whose trace has arrived since they were given count first, so that this
        // pass rolls them up.
        let scores = store.count_waiting_scores(now).await?;
        let pass = store.roll_up(since, now - MINUTES_KEPT_MS).await?;
        Ok(Outcome::count(
            scores + (pass.hours.len() + pass.days.len()) as u64 + pass.minutes_deleted,
        ))
    }
}
