//! Incident escalation and paging on both engines with a controlled clock and a notifier
//! that records what it is handed (the SMTP side is tested against a real server in the
//! server's tests). Grafana OnCall's escalation bugs are the list to beat: pages after an
//! acknowledgement, skipped waits, no resume after a restart, stale repeats, no resolved
//! notice; and SMTP down for ten minutes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod paging_support;

use paging_support::*;
use std::sync::Arc;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::incident::escalation::Ladder;
use warden_domain::incident::{EntryKind, PageStatus, Status};
use warden_services::Clock;
use warden_services::incidents::IncidentSettings;
use warden_services::{ManualClock, ServiceSettings, Services};

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

backend_tests!(
    webhook_urls_are_used_and_never_shown,
    each_level_at_its_time_and_an_acknowledgement_stops_the_ladder,
    a_restart_between_levels_pages_the_next_level_once_on_time,
    repeats_carry_the_incident_as_it_is_now_and_resolving_tells_everyone_paged,
    smtp_down_for_ten_minutes_loses_no_page_and_the_timeline_says_so,
    two_replicas_page_each_round_once,
    a_repeat_joins_the_open_incident_and_no_smtp_is_said_on_the_timeline,
);
