//! Re-reads the agent registry, so that agents added or changed on another replica reach
//! this one's ingest pipeline.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::ingest::Pipeline;

pub struct RefreshRegistry {
    pub pipeline: Pipeline,
    pub every: Duration,
}

#[async_trait]
impl Job for RefreshRegistry {
    fn name(&self) -> &'static str {
        "refresh_registry"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        self.pipeline.refresh_registry().await?;
        Ok(Outcome::default())
    }
}
