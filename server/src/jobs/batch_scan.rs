//! Redacts the stored text of `batch` agents. Once per period across replicas: two
//! scanning the same spans would record their PII events twice.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;
use warden_services::ingest::Pipeline;

pub struct BatchPiiScan {
    pub services: Services,
    pub pipeline: Pipeline,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for BatchPiiScan {
    fn name(&self) -> &'static str {
        "batch_pii_scan"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every.max(Duration::from_secs(1)),
            lease: self.lease,
        }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let scanned = self
            .services
            .run_batch_pii_scan(&self.pipeline.settings().scanner)
            .await?;
        Ok(Outcome::count(scanned))
    }
}
