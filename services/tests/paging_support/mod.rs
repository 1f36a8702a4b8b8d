//! What the incident tests share: a notifier that records what it is handed, a ladder in
//! seconds, the people it pages, and the test's cost spike. Each test file uses part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_domain::incident::Kind;
use warden_domain::incident::escalation::Ladder;
use warden_domain::policy::Severity;
use warden_domain::telemetry::AgentInfo;
use warden_services::incidents::{Finding, IncidentSettings, Mail, Notifier};
use warden_services::{Clock, ManualClock, ServiceSettings, Services};

pub const T0: i64 = 1_796_040_000_000;
pub const S: i64 = 1_000;

#[derive(Default)]
pub struct Outbox {
    pub mails: Mutex<Vec<Mail>>,
    /// Where webhooks were posted.
    pub hooks: Mutex<Vec<String>>,
    /// While true, every send fails as an unreachable server would.
    pub down: Mutex<bool>,
    pub configured: bool,
}

#[async_trait::async_trait]
impl Notifier for Outbox {
    fn mail_configured(&self) -> bool {
        self.configured
    }
    async fn send_mail(&self, mail: &Mail) -> Result<(), String> {
        if *self.down.lock().unwrap() {
            return Err("connection refused".into());
        }
        self.mails.lock().unwrap().push(mail.clone());
        Ok(())
    }
    async fn post_webhook(&self, url: &str, _body: &str) -> Result<(), String> {
        self.hooks.lock().unwrap().push(url.to_string());
        Ok(())
    }
}

impl Outbox {
    pub fn up() -> Arc<Outbox> {
        Arc::new(Outbox {
            configured: true,
            ..Outbox::default()
        })
    }
    pub fn take(&self) -> Vec<Mail> {
        std::mem::take(&mut *self.mails.lock().unwrap())
    }
}

pub fn to(mails: &[Mail]) -> Vec<String> {
    let mut to: Vec<String> = mails.iter().map(|m| m.to.clone()).collect();
    to.sort();
    to
}

/// The acknowledge link's token in a page's text.
pub fn token(mail: &Mail) -> String {
    let at = mail.text.find("/ack/").expect("an acknowledge link") + 5;
    mail.text[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// Seconds-long ladder: owner and on-call at once, the lead at 5 s, the CTO at 15 s,
/// the incident commander at 30 s and every 30 s after.
pub fn ladder() -> Ladder {
    let level = |after: &str, who: &[&str]| {
        (
            after.to_string(),
            who.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        )
    };
    Ladder::from_config(
        &[
            level("0s", &["agent_owner", "on_call"]),
            level("5s", &["engineering_lead"]),
            level("15s", &["cto"]),
            level("30s", &["incident_commander"]),
        ],
        Some("30s"),
    )
    .unwrap()
}

pub async fn setup(db: &TestDb) -> (Arc<ManualClock>, Services) {
    let clock = Arc::new(ManualClock::new(T0));
    let services = services_on(db, clock.clone());
    db.store
        .insert_users(
            &[
                ("oncall@example.com", Role::OnCall),
                ("lead@example.com", Role::EngineeringLead),
                ("cto@example.com", Role::Cto),
                ("ic@example.com", Role::IncidentCommander),
            ],
            T0,
        )
        .await
        .unwrap();
    let mut agent = AgentInfo::unregistered("pay-agent", None, T0);
    agent.owner = Some("owner@example.com".into());
    db.store.save_agent(&agent, T0).await.unwrap();
    (clock, services)
}

/// Another process on the same database (a restarted server, a second replica).
pub fn services_on(db: &TestDb, clock: Arc<ManualClock>) -> Services {
    let settings = ServiceSettings {
        public_url: "https://warden.example.com".into(),
        incidents: IncidentSettings {
            ladder: ladder(),
            ..IncidentSettings::default()
        },
        ..ServiceSettings::default()
    };
    Services::new(db.store.clone(), clock, settings)
}

pub fn cost_spike() -> Finding {
    Finding {
        kind: Kind::CostAnomaly,
        severity: Severity::High,
        agent: Some("pay-agent".into()),
        rule: Some("cost".into()),
        title: "pay-agent's hourly cost is 6x its baseline".into(),
        detail: "cost anomaly: 12.40 EUR in the hour against 2.05".into(),
    }
}

/// Raises the test's cost spike; the incident's id.
pub async fn raise(services: &Services) -> i64 {
    services
        .raise_incident(cost_spike())
        .await
        .unwrap()
        .incident
        .id
}

pub async fn detail_of(services: &Services, id: i64) -> warden_services::incidents::IncidentDetail {
    services
        .incident_detail(&warden_services::Actor::System, id)
        .await
        .unwrap()
}

/// One tick of both jobs at the clock's time.
pub async fn tick(services: &Services, outbox: &Arc<Outbox>, clock: &ManualClock) {
    let now = clock.now_ms();
    services.escalate_due(now).await.unwrap();
    services
        .deliver_due_pages(outbox.clone(), "replica-a", now)
        .await
        .unwrap();
}
