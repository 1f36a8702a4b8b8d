//! Incident escalation and paging on both engines with a controlled clock and a notifier
//! that records what it is handed (the SMTP side is tested against a real server in the
//! server's tests). Grafana OnCall's escalation bugs are the list to beat: pages after an
//! acknowledgement, skipped waits, no resume after a restart, stale repeats, no resolved
//! notice; and SMTP down for ten minutes, links used twice or forged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use warden_db::testing::TestDb;
use warden_db::{AccountChange, NewUser, backend_tests};
use warden_domain::Role;
use warden_domain::incident::escalation::Ladder;
use warden_domain::incident::{EntryKind, Kind, PageStatus, Status};
use warden_domain::policy::Severity;
use warden_domain::telemetry::AgentInfo;
use warden_services::incidents::{Finding, IncidentSettings, Mail, Notifier};
use warden_services::{ManualClock, ServiceSettings, Services};

const T0: i64 = 1_796_040_000_000;
const S: i64 = 1_000;

#[derive(Default)]
struct Outbox {
    mails: Mutex<Vec<Mail>>,
    /// Where webhooks were posted.
    hooks: Mutex<Vec<String>>,
    /// While true, every send fails as an unreachable server would.
    down: Mutex<bool>,
    configured: bool,
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
    fn up() -> Arc<Outbox> {
        Arc::new(Outbox {
            configured: true,
            ..Outbox::default()
        })
    }
    fn take(&self) -> Vec<Mail> {
        std::mem::take(&mut *self.mails.lock().unwrap())
    }
}

fn to(mails: &[Mail]) -> Vec<String> {
    let mut to: Vec<String> = mails.iter().map(|m| m.to.clone()).collect();
    to.sort();
    to
}

/// The acknowledge link's token in a page's text.
fn token(mail: &Mail) -> String {
    let at = mail.text.find("/ack/").expect("an acknowledge link") + 5;
    mail.text[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// Seconds-long ladder: owner and on-call at once, the lead at 5 s, the CTO at 15 s,
/// the incident commander at 30 s and every 30 s after.
fn ladder() -> Ladder {
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

async fn setup(db: &TestDb) -> (Arc<ManualClock>, Services) {
    let clock = Arc::new(ManualClock::new(T0));
    let services = services_on(db, clock.clone());
    for (email, role) in [
        ("oncall@example.com", Role::OnCall),
        ("lead@example.com", Role::EngineeringLead),
        ("cto@example.com", Role::Cto),
        ("ic@example.com", Role::IncidentCommander),
    ] {
        db.store
            .insert_user(
                &NewUser {
                    email: email.into(),
                    password_hash: "x".into(),
                    roles: vec![role],
                },
                T0,
            )
            .await
            .unwrap();
    }
    let mut agent = AgentInfo::unregistered("pay-agent", None, T0);
    agent.owner = Some("owner@example.com".into());
    db.store.save_agent(&agent, T0).await.unwrap();
    (clock, services)
}

/// Another process on the same database (a restarted server, a second replica).
fn services_on(db: &TestDb, clock: Arc<ManualClock>) -> Services {
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

fn cost_spike() -> Finding {
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
async fn raise(services: &Services) -> i64 {
    services
        .raise_incident(cost_spike())
        .await
        .unwrap()
        .incident
        .id
}

async fn detail_of(services: &Services, id: i64) -> warden_services::incidents::IncidentDetail {
    services
        .incident_detail(&warden_services::Actor::System, id)
        .await
        .unwrap()
}

/// One tick of both jobs at the clock's time.
async fn tick(services: &Services, outbox: &Arc<Outbox>, clock: &ManualClock) {
    let now = clock.now_ms();
    services.escalate_due(now).await.unwrap();
    services
        .deliver_due_pages(outbox.clone(), "replica-a", now)
        .await
        .unwrap();
}

use warden_services::Clock;

async fn each_level_at_its_time_and_an_acknowledgement_stops_the_ladder(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let outbox = Outbox::up();
    let incident = services
        .raise_incident(cost_spike())
        .await
        .unwrap()
        .incident;
    tick(&services, &outbox, &clock).await;
    let first = outbox.take();
    assert_eq!(to(&first), ["oncall@example.com", "owner@example.com"]);
    assert!(
        first[0].subject.contains("TRIGGERED"),
        "{}",
        first[0].subject
    );
    assert!(first[0].html.contains("Acknowledge"));

    // Just before the next level nothing goes: waits are not skipped.
    clock.set(T0 + 5 * S - 1);
    tick(&services, &outbox, &clock).await;
    assert!(outbox.take().is_empty());
    clock.set(T0 + 5 * S);
    tick(&services, &outbox, &clock).await;
    let second = outbox.take();
    assert_eq!(to(&second), ["lead@example.com"]);
    // The lead's page says what the incident is now: level 2, and the first pages sent.
    assert!(
        second[0].text.contains("level 2 of the ladder"),
        "{}",
        second[0].text
    );
    assert!(second[0].text.contains("page_sent"), "{}", second[0].text);

    // The lead acknowledges from the link; the CTO is never paged.
    clock.set(T0 + 7 * S);
    let ack = services
        .acknowledge_by_link(&token(&second[0]))
        .await
        .unwrap();
    assert!(ack.now);
    let acked = ack.incident;
    assert_eq!(acked.status, Status::Acknowledged);
    assert_eq!(acked.acked_by.as_deref(), Some("lead@example.com"));
    for at in [15, 30, 60, 120] {
        clock.set(T0 + at * S);
        tick(&services, &outbox, &clock).await;
    }
    assert!(outbox.take().is_empty(), "paged after the acknowledgement");

    // The link again, and after resolving: harmless, and it says who acknowledged.
    let again = services
        .acknowledge_by_link(&token(&second[0]))
        .await
        .unwrap();
    assert!(!again.now, "the second press acknowledged nothing");
    assert_eq!(again.incident.acked_at, Some(T0 + 7 * S));
    let detail = detail_of(&services, incident.id).await;
    let kinds: Vec<EntryKind> = detail.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EntryKind::Acknowledged)
            .count(),
        1
    );
    assert_eq!(kinds[0], EntryKind::Opened);
}

async fn a_restart_between_levels_pages_the_next_level_once_on_time(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let outbox = Outbox::up();
    services.raise_incident(cost_spike()).await.unwrap();
    tick(&services, &outbox, &clock).await;
    assert_eq!(outbox.take().len(), 2);
    drop(services);
    // Down from 1 s to 20 s: levels 2 and 3 were due meanwhile; each goes once, and the
    // first level is not paged again.
    clock.set(T0 + 20 * S);
    let restarted = services_on(&db, clock.clone());
    tick(&restarted, &outbox, &clock).await;
    assert_eq!(to(&outbox.take()), ["cto@example.com", "lead@example.com"]);
    tick(&restarted, &outbox, &clock).await;
    assert!(outbox.take().is_empty());
    clock.set(T0 + 30 * S);
    tick(&restarted, &outbox, &clock).await;
    assert_eq!(to(&outbox.take()), ["ic@example.com"]);
}

async fn repeats_carry_the_incident_as_it_is_now_and_resolving_tells_everyone_paged(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let outbox = Outbox::up();
    let id = raise(&services).await;
    for at in [0, 5, 15, 30] {
        clock.set(T0 + at * S);
        tick(&services, &outbox, &clock).await;
    }
    assert_eq!(outbox.take().len(), 5);
    clock.set(T0 + 45 * S);
    services
        .add_incident_note(&warden_services::Actor::System, id, "rolled back to v41")
        .await
        .unwrap();
    clock.set(T0 + 60 * S);
    tick(&services, &outbox, &clock).await;
    let repeat = outbox.take();
    assert_eq!(to(&repeat), ["ic@example.com"]);
    assert!(
        repeat[0].text.contains("rolled back to v41"),
        "{}",
        repeat[0].text
    );

    clock.set(T0 + 70 * S);
    services
        .resolve_incident(&warden_services::Actor::System, id, Some("fixed"))
        .await
        .unwrap();
    tick(&services, &outbox, &clock).await;
    let resolved = outbox.take();
    assert_eq!(
        to(&resolved),
        [
            "cto@example.com",
            "ic@example.com",
            "lead@example.com",
            "oncall@example.com",
            "owner@example.com"
        ]
    );
    assert!(resolved.iter().all(|m| m.subject.contains("RESOLVED")));
    assert!(resolved.iter().all(|m| !m.text.contains("/ack/")));
    // Nothing after that, however long.
    clock.set(T0 + 600 * S);
    tick(&services, &outbox, &clock).await;
    assert!(outbox.take().is_empty());
}

async fn smtp_down_for_ten_minutes_loses_no_page_and_the_timeline_says_so(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let outbox = Outbox::up();
    *outbox.down.lock().unwrap() = true;
    let id = raise(&services).await;
    // A tick every second for ten minutes, the server refusing.
    for s in 0..600 {
        clock.set(T0 + s * S);
        if s % 5 == 0 {
            tick(&services, &outbox, &clock).await;
        }
    }
    *outbox.down.lock().unwrap() = false;
    let mut delivered = Vec::new();
    // A minute: the longest wait between two attempts.
    for s in 600..=660 {
        clock.set(T0 + s * S);
        tick(&services, &outbox, &clock).await;
        delivered.extend(outbox.take());
    }
    // Each page of every level due went out exactly once, within a minute of SMTP's return.
    let mut got = to(&delivered);
    // The last level repeated every 30 s meanwhile: its incident commander gets the round
    // due at 600 s once, not the eighteen stale ones before it, then those of 630 and 660 s.
    assert_eq!(got.iter().filter(|r| *r == "ic@example.com").count(), 3);
    got.retain(|r| r != "ic@example.com");
    assert_eq!(
        got,
        [
            "cto@example.com",
            "lead@example.com",
            "oncall@example.com",
            "owner@example.com"
        ]
    );
    let detail = detail_of(&services, id).await;
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == EntryKind::PageFailed && e.detail.contains("connection refused"))
    );
    assert!(detail.pages.iter().all(|p| p.status != PageStatus::Pending));
}

async fn two_replicas_page_each_round_once(db: TestDb) {
    let (clock, a) = setup(&db).await;
    let b = services_on(&db, clock.clone());
    let outbox = Outbox::up();
    for n in 0..20 {
        let mut finding = cost_spike();
        finding.rule = Some(format!("cost-{n}"));
        a.raise_incident(finding).await.unwrap();
    }
    for at in [0, 5, 15] {
        clock.set(T0 + at * S);
        let now = clock.now_ms();
        let (x, y) = tokio::join!(a.escalate_due(now), b.escalate_due(now));
        x.unwrap();
        y.unwrap();
        let (x, y) = tokio::join!(
            a.deliver_due_pages(outbox.clone(), "replica-a", now),
            b.deliver_due_pages(outbox.clone(), "replica-b", now)
        );
        x.unwrap();
        y.unwrap();
    }
    let mails = outbox.take();
    // 20 incidents x (owner, on-call, lead, CTO), each once.
    assert_eq!(mails.len(), 80, "{:?}", to(&mails));
    let mut keys: Vec<(String, String)> = mails
        .iter()
        .map(|m| (m.to.clone(), m.subject.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 80);
}

async fn forged_expired_and_resolved_links_are_harmless(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let outbox = Outbox::up();
    let id = raise(&services).await;
    tick(&services, &outbox, &clock).await;
    let mails = outbox.take();
    let mail = mails.iter().find(|m| m.to == "oncall@example.com").unwrap();
    let good = token(mail);
    // The link of someone whose account was disabled since acknowledges nothing.
    let oncall = db
        .store
        .find_user_id_by_email("oncall@example.com")
        .await
        .unwrap()
        .unwrap();
    db.store
        .change_account(oncall, AccountChange::Disabled(true), T0)
        .await
        .unwrap();
    assert!(services.acknowledge_by_link(&good).await.is_err());
    db.store
        .change_account(oncall, AccountChange::Disabled(false), T0)
        .await
        .unwrap();
    let (head, sig) = good.rsplit_once('.').unwrap();
    let mut forged = sig.to_string();
    forged.replace_range(0..2, if &sig[0..2] == "00" { "11" } else { "00" });
    for bad in [
        format!("{head}.{forged}"),
        "1.99999999999.abcdef".to_string(),
        "not-a-token".to_string(),
        String::new(),
    ] {
        assert!(services.open_ack_link(&bad).await.is_err(), "{bad}");
        assert!(services.acknowledge_by_link(&bad).await.is_err(), "{bad}");
    }
    // Expired: a link eight days old.
    clock.set(T0 + 8 * 24 * 3_600 * S);
    assert!(services.acknowledge_by_link(&good).await.is_err());
    clock.set(T0 + 2 * S);
    services
        .resolve_incident(&warden_services::Actor::System, id, None)
        .await
        .unwrap();
    let after = services.acknowledge_by_link(&good).await.unwrap().incident;
    assert_eq!(after.status, Status::Resolved);
    assert_eq!(after.acked_at, None);
}

async fn a_repeat_joins_the_open_incident_and_no_smtp_is_said_on_the_timeline(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let first = services
        .raise_incident(cost_spike())
        .await
        .unwrap()
        .incident;
    clock.set(T0 + S);
    let again = services
        .raise_incident(cost_spike())
        .await
        .unwrap()
        .incident;
    assert_eq!(first.id, again.id);
    let mut other = cost_spike();
    other.agent = None;
    assert_ne!(
        services.raise_incident(other).await.unwrap().incident.id,
        first.id
    );

    let unconfigured = Arc::new(Outbox::default());
    tick(&services, &unconfigured, &clock).await;
    assert!(unconfigured.take().is_empty());
    let detail = detail_of(&services, first.id).await;
    let kinds: Vec<EntryKind> = detail.timeline.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&EntryKind::Repeated));
    assert!(detail.timeline.iter().any(
        |e| e.kind == EntryKind::PageFailed && e.detail.contains("mail.smtp is not configured")
    ));
    // Said once per page, not once per tick: through every level of the ladder and long
    // past any retry, each page is one entry and none is left waiting.
    for at in [3, 5, 15, 30, 60, 120, 600] {
        clock.set(T0 + at * S);
        tick(&services, &unconfigured, &clock).await;
    }
    let after = detail_of(&services, first.id).await;
    let said = after
        .timeline
        .iter()
        .filter(|e| e.kind == EntryKind::PageFailed)
        .count();
    assert!(after.pages.len() >= 5, "{:?}", after.pages);
    assert_eq!(said, after.pages.len());
    assert!(
        after
            .pages
            .iter()
            .all(|p| p.status == PageStatus::Cancelled)
    );
}

/// A webhook's URL is its secret: it is posted to, and shown nowhere but as its host.
async fn webhook_urls_are_used_and_never_shown(db: TestDb) {
    const HOOK: &str = "https://hooks.example.com/services/T0/B0/s3cr3t";
    let clock = Arc::new(ManualClock::new(T0));
    let settings = ServiceSettings {
        incidents: IncidentSettings {
            ladder: Ladder::from_config(
                &[("0s".into(), vec![HOOK.into(), "ops@example.com".into()])],
                None,
            )
            .unwrap(),
            ..IncidentSettings::default()
        },
        ..ServiceSettings::default()
    };
    let services = Services::new(db.store.clone(), clock.clone(), settings);
    let outbox = Outbox::up();
    let id = raise(&services).await;
    tick(&services, &outbox, &clock).await;
    assert_eq!(*outbox.hooks.lock().unwrap(), [HOOK]);
    let mail = outbox.take().remove(0);
    let detail = detail_of(&services, id).await;
    let shown = format!("{}{}{:?}", mail.text, mail.html, detail);
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("webhook hooks.example.com/…"), "{shown}");
}

/// Live views hear of every change once, however many watch.
async fn live_views_hear_of_changes(db: TestDb) {
    let (_clock, services) = setup(&db).await;
    let mut a = services
        .watch_incidents(&warden_services::Actor::System)
        .unwrap();
    let mut b = services
        .watch_incidents(&warden_services::Actor::System)
        .unwrap();
    let id = raise(&services).await;
    assert!(services.publish_incidents_version().await.unwrap());
    assert!(a.has_changed().unwrap() && b.has_changed().unwrap());
    a.borrow_and_update();
    b.borrow_and_update();
    assert!(
        !services.publish_incidents_version().await.unwrap(),
        "nothing changed"
    );
    assert!(!a.has_changed().unwrap());
    services
        .add_incident_note(&warden_services::Actor::System, id, "looking")
        .await
        .unwrap();
    assert!(services.publish_incidents_version().await.unwrap());
    assert!(a.has_changed().unwrap() && b.has_changed().unwrap());
}

async fn a_page_on_the_wire_at_resolve_is_sent_and_owed_the_resolved_notice(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let id = raise(&services).await;
    services.escalate_due(clock.now_ms()).await.unwrap();
    let pages = detail_of(&services, id).await.pages;
    let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
    // A sender holds the first level's pages while the incident is resolved.
    let now = clock.now_ms();
    let held = db
        .store
        .claim_pages(&ids, "replica-a", now, now + 120 * S)
        .await
        .unwrap();
    assert_eq!(held.len(), 2);
    services
        .resolve_incident(&warden_services::Actor::System, id, None)
        .await
        .unwrap();
    for page in &held {
        assert!(
            db.store
                .page_sent(*page, "replica-a", now + S, "sent")
                .await
                .unwrap()
        );
    }
    let pages = detail_of(&services, id).await.pages;
    let mut notices: Vec<String> = pages
        .iter()
        .filter(|p| p.level == 0 && p.status == PageStatus::Pending)
        .map(|p| p.recipient.clone())
        .collect();
    notices.sort();
    assert_eq!(notices, ["oncall@example.com", "owner@example.com"]);
    assert!(
        pages
            .iter()
            .filter(|p| p.level == 1)
            .all(|p| p.status == PageStatus::Sent)
    );
}

backend_tests!(
    a_page_on_the_wire_at_resolve_is_sent_and_owed_the_resolved_notice,
    webhook_urls_are_used_and_never_shown,
    live_views_hear_of_changes,
    each_level_at_its_time_and_an_acknowledgement_stops_the_ladder,
    a_restart_between_levels_pages_the_next_level_once_on_time,
    repeats_carry_the_incident_as_it_is_now_and_resolving_tells_everyone_paged,
    smtp_down_for_ten_minutes_loses_no_page_and_the_timeline_says_so,
    two_replicas_page_each_round_once,
    forged_expired_and_resolved_links_are_harmless,
    a_repeat_joins_the_open_incident_and_no_smtp_is_said_on_the_timeline,
);
