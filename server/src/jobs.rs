//! Background jobs of a running server: registry refresh, batch PII scan, retention, the
//! governance watch.
//! Each loop logs its failures and tries again at its next tick; none of them can stop
//! the server.

use crate::config::Config;
use std::sync::Arc;
use std::time::Duration;
use warden_services::Services;
use warden_services::ingest::Pipeline;
use warden_services::retention::RetentionPolicy;

/// Re-reads the agent registry, so edits made on another replica reach this one.
pub async fn refresh_registry(pipeline: Pipeline) {
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    loop {
        tick.tick().await;
        if let Err(err) = pipeline.refresh_registry().await {
            tracing::warn!(error = ?err, "refreshing the agent registry");
        }
    }
}

/// Picks up a policy version approved on another replica.
pub async fn refresh_policies(services: Services) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(err) = services.refresh_policies().await {
            tracing::warn!(error = ?err, "refreshing the policy version");
        }
    }
}

/// Redacts the stored text of `batch` agents.
pub async fn batch_pii_scan(services: Services, pipeline: Pipeline, every: Duration) {
    let mut tick = tokio::time::interval(every.max(Duration::from_secs(1)));
    loop {
        tick.tick().await;
        match services
            .run_batch_pii_scan(&pipeline.settings().scanner)
            .await
        {
            Ok(0) => {}
            Ok(scanned) => tracing::debug!(scanned, "batch PII scan"),
            Err(err) => tracing::warn!(error = ?err, "batch PII scan"),
        }
    }
}

/// Enforces the retention tiers once a day (and once shortly after start).
pub async fn retention(services: Services, config: Arc<Config>) {
    let r = &config.ingestion.storage.retention;
    let policy = RetentionPolicy {
        raw_traces: r.raw_traces,
        aggregated: r.aggregated,
        compliance_logs: r.compliance_logs,
    };
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut daily = tokio::time::interval(Duration::from_secs(86_400));
    loop {
        daily.tick().await;
        if let Err(err) = services.enforce_retention(&policy).await {
            tracing::warn!(error = ?err, "enforcing retention");
        }
    }
}

/// Checkpoints SQLite's write-ahead log ten times a second from its own connection, so
/// that no ingest commit waits for a checkpoint's copy and fsync, and lets the log start
/// over once it passes 256 MiB (65,536 pages).
pub async fn checkpoint(services: Services) {
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match services.store().checkpoint(65_536).await {
            Ok(wal) => {
                if let Some(held) = wal.held {
                    // The log starts over with the next commit: a check before that would
                    // find it still long and hold the commits back a second time.
                    tick.reset();
                    let held_ms = held.as_millis() as u64;
                    if held > Duration::from_millis(250) {
                        tracing::warn!(held_ms, pages = wal.log_pages, "slow log reset");
                    } else {
                        tracing::debug!(held_ms, pages = wal.log_pages, "log reset");
                    }
                }
            }
            Err(err) => tracing::warn!(error = ?err, "checkpointing the write-ahead log"),
        }
    }
}

/// Watches agents over time for `mandatory_logging` and `kill_switch_required`.
pub async fn governance_watch(services: Services, config: Arc<Config>) {
    let g = &config.governance;
    let settings = warden_services::policy::watch::WatchSettings {
        logging_gap: g.logging_gap,
        control_read_window: g.control_read_window,
        alignment_window: g.alignment_window,
        alignment_min_interactions: i64::from(g.alignment_min_interactions),
    };
    // The first pass after one period, not at start: an agent seen just before a restart
    // deserves the time to read its control state again.
    let every = g.watch_interval.max(Duration::from_secs(1));
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tick.tick().await;
        match services.watch_agents(settings).await {
            Ok(0) => {}
            Ok(found) => tracing::info!(found, "governance watch"),
            Err(err) => tracing::warn!(error = ?err, "governance watch"),
        }
    }
}
