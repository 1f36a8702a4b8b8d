//! Background jobs of a running server, one module each, run by [`runtime::Runtime`]:
//! every tick logged, a failed or panicking tick tried again at the job's next turn, and
//! the work that must happen once per period claimed in the database.

mod anomalies;
mod batch_scan;
mod budgets;
mod checkpoint;
mod cleanup;
mod governance_watch;
mod paging;
mod policies;
mod registry;
mod retention;
mod rollups;
pub mod runtime;

pub use runtime::{Job, Outcome, Ran, Runtime, Schedule};

use crate::config::Config;
use std::sync::Arc;
use warden_db::SessionStore;
use warden_services::Services;
use warden_services::ingest::Pipeline;
use warden_services::policy::watch::WatchSettings;
use warden_services::retention::RetentionPolicy;

/// Every job of a server process, with its intervals from the config.
pub fn all(
    config: &Config,
    services: &Services,
    pipeline: &Pipeline,
    sessions: SessionStore,
    throttle_window_ms: i64,
    notifier: Arc<dyn warden_services::incidents::Notifier>,
    commands: Arc<dyn warden_services::incidents::AgentCommands>,
) -> Vec<Arc<dyn Job>> {
    let j = &config.jobs;
    let g = &config.governance;
    let r = &config.ingestion.storage.retention;
    let lease = j.lease;
    let mut jobs: Vec<Arc<dyn Job>> = vec![
        Arc::new(registry::RefreshRegistry {
            pipeline: pipeline.clone(),
            every: j.registry_refresh,
        }),
        Arc::new(policies::RefreshPolicies {
            services: services.clone(),
            every: j.policy_refresh,
        }),
        Arc::new(batch_scan::BatchPiiScan {
            services: services.clone(),
            pipeline: pipeline.clone(),
            every: config.ingestion.batch_scan_interval,
            lease,
        }),
        Arc::new(retention::Retention {
            services: services.clone(),
            policy: RetentionPolicy {
                raw_traces: r.raw_traces,
                aggregated: r.aggregated,
                compliance_logs: r.compliance_logs,
            },
            every: j.retention,
            lease,
        }),
        Arc::new(governance_watch::GovernanceWatch {
            services: services.clone(),
            settings: WatchSettings {
                logging_gap: g.logging_gap,
                control_read_window: g.control_read_window,
                alignment_window: g.alignment_window,
                alignment_min_interactions: i64::from(g.alignment_min_interactions),
            },
            every: g.watch_interval,
            lease,
        }),
        Arc::new(anomalies::Anomalies {
            services: services.clone(),
            every: config.analytics.anomaly_interval,
            lease,
        }),
        Arc::new(budgets::HardCaps {
            services: services.clone(),
            every: config.budgets.check_interval,
            lease,
        }),
        Arc::new(rollups::Rollups {
            services: services.clone(),
            every: config.analytics.rollup_interval,
            lease,
        }),
        Arc::new(cleanup::ExpiredSessions {
            sessions,
            every: j.cleanup,
            lease,
        }),
        Arc::new(cleanup::StaleThrottles {
            services: services.clone(),
            window_ms: throttle_window_ms,
            every: j.cleanup,
            lease,
        }),
        Arc::new(paging::Sources {
            services: services.clone(),
            every: config.incidents.tick,
        }),
        Arc::new(paging::Watch {
            services: services.clone(),
            every: config.incidents.tick,
        }),
        Arc::new(paging::Escalation {
            services: services.clone(),
            every: config.incidents.tick,
        }),
        Arc::new(paging::Delivery {
            services: services.clone(),
            notifier,
            claimant: runtime::instance_name(),
            every: config.incidents.tick,
        }),
        Arc::new(paging::Runbooks {
            services: services.clone(),
            commands,
            claimant: runtime::instance_name(),
            every: config.incidents.tick,
        }),
    ];
    if !services.store().is_postgres() {
        jobs.push(Arc::new(checkpoint::Checkpoint {
            services: services.clone(),
            every: j.wal_checkpoint,
        }));
    }
    jobs
}
