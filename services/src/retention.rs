//! The retention job: deletes what is past its tier in bounded batches and records what
//! it deleted.

use crate::{ServiceError, Services};
use std::time::Duration;
use warden_db::{RetentionRun, RetentionTier};
use warden_domain::policy::{RuleName, RuleValue};

/// How long each tier is kept (the config's `storage.retention`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub raw_traces: Duration,
    pub aggregated: Duration,
    pub compliance_logs: Duration,
}

impl RetentionPolicy {
    fn keep(&self, tier: RetentionTier) -> Duration {
        match tier {
            RetentionTier::RawTraces => self.raw_traces,
            RetentionTier::Aggregated => self.aggregated,
            RetentionTier::ComplianceLogs => self.compliance_logs,
        }
    }
}

/// Rows per delete transaction: small enough that ingestion's commits slip in between.
pub const RETENTION_BATCH: u32 = 2_000;

impl Services {
    /// One retention pass over every tier; returns what it recorded.
    pub async fn enforce_retention(
        &self,
        policy: &RetentionPolicy,
    ) -> Result<Vec<RetentionRun>, ServiceError> {
        self.store
            .forget_ingest_requests(self.now() - 86_400_000)
            .await?;
        let mut runs = Vec::new();
        let compliance_ms = millis(policy.compliance_logs);
        let kept_longer: Vec<(String, i64)> = self
            .audit_retention_floors()
            .await?
            .into_iter()
            .filter(|(_, keep_ms)| *keep_ms > compliance_ms)
            .map(|(agent, keep_ms)| (agent, self.now().saturating_sub(keep_ms)))
            .collect();
        for tier in RetentionTier::ALL {
            let started_at = self.now();
            let keep_ms = millis(policy.keep(tier));
            let cutoff = started_at.saturating_sub(keep_ms);
            let mut deleted = 0u64;
            loop {
                let batch = self
                    .store
                    .delete_expired(tier, cutoff, RETENTION_BATCH, &kept_longer)
                    .await?;
                deleted += batch;
                if batch < u64::from(RETENTION_BATCH) {
                    break;
                }
                // Let queued ingest commits take the write lock between batches.
                tokio::task::yield_now().await;
            }
            let run = RetentionRun {
                tier: tier.as_str().to_string(),
                cutoff,
                deleted: i64::try_from(deleted).unwrap_or(i64::MAX),
                started_at,
                finished_at: self.now(),
            };
            self.store.record_retention_run(&run).await?;
            if deleted > 0 {
                tracing::info!(
                    tier = tier.as_str(),
                    deleted,
                    "retention deleted expired rows"
                );
            }
            runs.push(run);
        }
        Ok(runs)
    }

    /// Each agent whose effective policy sets `audit_trail_retention`, with how long (ms)
    /// its compliance records must be kept.
    async fn audit_retention_floors(&self) -> Result<Vec<(String, i64)>, ServiceError> {
        let set = self.policies();
        let mut floors = Vec::new();
        for agent in self.store.list_agents().await? {
            let (level, _) = crate::policy::binding_of(&set, &agent);
            let keep = set.effective(&level).and_then(|e| {
                match e.get(RuleName::AuditTrailRetention).map(|r| &r.value) {
                    Some(RuleValue::Period { days }) => Some(i64::from(*days) * 86_400_000),
                    _ => None,
                }
            });
            if let Some(keep_ms) = keep {
                floors.push((agent.name, keep_ms));
            }
        }
        Ok(floors)
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
