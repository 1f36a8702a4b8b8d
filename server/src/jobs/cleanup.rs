//! Housekeeping once an hour across replicas: expired sessions, and sign-in counters whose
//! window has passed (a stream of guessed logins must not grow the table forever).

use super::{Job, Outcome, Schedule};
use async_trait::async_trait;
use std::time::Duration;
use tower_sessions::ExpiredDeletion;
use warden_db::SessionStore;
use warden_services::Services;

pub struct ExpiredSessions {
    pub sessions: SessionStore,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for ExpiredSessions {
    fn name(&self) -> &'static str {
        "expired_sessions"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every,
            lease: self.lease,
        }
    }
    async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
        self.sessions.delete_expired().await?;
        Ok(Outcome::default())
    }
}

pub struct StaleThrottles {
    pub services: Services,
    /// The longest sign-in throttle window, in ms.
    pub window_ms: i64,
    pub every: Duration,
    pub lease: Duration,
}

#[async_trait]
impl Job for StaleThrottles {
    fn name(&self) -> &'static str {
        "stale_login_throttles"
    }
    fn schedule(&self) -> Schedule {
        Schedule::OncePerPeriod {
            period: self.every,
            lease: self.lease,
        }
    }
    async fn tick(&self, now: i64) -> anyhow::Result<Outcome> {
        let deleted = self
            .services
            .store()
            .delete_stale_throttles(now - self.window_ms, now)
            .await?;
        Ok(Outcome::count(deleted))
    }
}
