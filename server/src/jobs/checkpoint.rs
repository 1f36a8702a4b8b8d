//! SQLite only: checkpoints the write-ahead log from its own connection, so that no ingest
//! commit waits for a checkpoint's copy and fsync, and lets the log start over once it
//! passes 256 MiB (65,536 pages).

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use warden_services::Services;

pub struct Checkpoint {
    pub services: Services,
    pub every: Duration,
}

#[async_trait]
impl Job for Checkpoint {
    fn name(&self) -> &'static str {
        "wal_checkpoint"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let wal = self.services.store().checkpoint(65_536).await?;
        let Some(held) = wal.held else {
            return Ok(Outcome::default());
        };
        let held_ms = held.as_millis() as u64;
        if held > Duration::from_millis(250) {
            tracing::warn!(held_ms, pages = wal.log_pages, "slow log reset");
        } else {
            tracing::debug!(held_ms, pages = wal.log_pages, "log reset");
        }
        // The log starts over with the next commit: a check before that would find it
        // still long and hold the commits back a second time.
        Ok(Outcome {
            count: 1,
            hold_off: Some(self.every),
        })
    }
}
