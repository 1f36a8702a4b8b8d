//! Incidents from findings, their escalation and page delivery. Both run on every replica every
//! `incidents.tick`: what they do is claimed row by row in the database (an incident's
//! escalation step by its cursor, a page by its lease), so replicas share the work and
//! never page twice, and a restart resumes from what is stored.

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use warden_services::Services;
use warden_services::incidents::{AgentCommands, Notifier};

pub struct Escalation {
    pub services: Services,
    pub every: Duration,
}

#[async_trait]
impl Job for Escalation {
    fn name(&self) -> &'static str {
        "escalation"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, now: i64) -> anyhow::Result<Outcome> {
        let pass = self.services.escalate_due(now).await?;
        Ok(Outcome::count(pass.pages as u64))
    }
}

/// Violations and anomalies into incidents.
pub struct Sources {
    pub services: Services,
    pub every: Duration,
}

#[async_trait]
impl Job for Sources {
    fn name(&self) -> &'static str {
        "incident_sources"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let pass = self.services.raise_from_findings().await?;
        Ok(Outcome::count((pass.opened + pass.joined) as u64))
    }
}

/// Tells this process's live views (server-sent events) when incidents changed on any
/// replica.
pub struct Watch {
    pub services: Services,
    pub every: Duration,
}

#[async_trait]
impl Job for Watch {
    fn name(&self) -> &'static str {
        "incident_watch"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let moved = self.services.publish_incidents_version().await?;
        Ok(Outcome::count(u64::from(moved)))
    }
}

pub struct Delivery {
    pub services: Services,
    pub notifier: Arc<dyn Notifier>,
    /// This process in page claims.
    pub claimant: String,
    pub every: Duration,
}

#[async_trait]
impl Job for Delivery {
    fn name(&self) -> &'static str {
        "page_delivery"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, now: i64) -> anyhow::Result<Outcome> {
        let pass = self
            .services
            .deliver_due_pages(Arc::clone(&self.notifier), &self.claimant, now)
            .await?;
        Ok(Outcome::count(
            (pass.sent + pass.failed + pass.dropped) as u64,
        ))
    }
}

/// Runs the runbooks' automatic steps, each claimed with a lease by one replica.
pub struct Runbooks {
    pub services: Services,
    pub commands: Arc<dyn AgentCommands>,
    /// This process in step claims.
    pub claimant: String,
    pub every: Duration,
}

#[async_trait]
impl Job for Runbooks {
    fn name(&self) -> &'static str {
        "runbooks"
    }
    fn schedule(&self) -> Schedule {
        Schedule::EachReplica { every: self.every }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        let pass = self
            .services
            .run_due_steps(self.commands.as_ref(), &self.claimant)
            .await?;
        Ok(Outcome::count(pass.finished as u64))
    }
}
