//! Acknowledging and resolving from outside Warden, on both engines: acknowledge links
//! forged, expired, reused, used after resolve or by someone disabled since; a page on the
//! wire while its incident is resolved; and live views hearing of each change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod paging_support;

use paging_support::*;
use warden_db::testing::TestDb;
use warden_db::{AccountChange, backend_tests};
use warden_domain::incident::{PageStatus, Status};
use warden_services::Clock;

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
    forged_expired_and_resolved_links_are_harmless,
    a_page_on_the_wire_at_resolve_is_sent_and_owed_the_resolved_notice,
    live_views_hear_of_changes,
);
