//! The on-call rotation on both engines with a controlled clock: the `on_call` level pages
//! the rotation's person, an override ("I cover Tuesday night") takes over for its stretch,
//! a disabled person falls back to every on-call user, and who may cover for whom.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use warden_db::testing::TestDb;
use warden_db::{AccountChange, backend_tests};
use warden_domain::audit::AuditFilter;
use warden_domain::incident::Kind;
use warden_domain::incident::escalation::Ladder;
use warden_domain::incident::oncall::NewOverride;
use warden_domain::policy::Severity;
use warden_domain::{CurrentUser, Role};
use warden_services::incidents::rotation::Rotation;
use warden_services::incidents::{Finding, IncidentSettings};
use warden_services::{Actor, ManualClock, ServiceError, ServiceSettings, Services};

/// Monday 2026-12-07 10:00 UTC: an hour into ann's week (weekly from that morning, 09:00
/// UTC, then bob).
const T0: i64 = 1_796_637_600_000;
const H: i64 = 3_600_000;

async fn setup(db: &TestDb) -> (Arc<ManualClock>, Services, Vec<Actor>) {
    let clock = Arc::new(ManualClock::new(T0));
    let people = ["ann@example.com", "bob@example.com"].map(String::from);
    let settings = ServiceSettings {
        incidents: IncidentSettings {
            ladder: Ladder::from_config(&[("0s".into(), vec!["on_call".into()])], None).unwrap(),
            rotation: Some(
                Rotation::from_config(&people, "09:00", "UTC", "7d", "2026-12-07").unwrap(),
            ),
            ..IncidentSettings::default()
        },
        ..ServiceSettings::default()
    };
    let services = Services::new(db.store.clone(), clock.clone(), settings);
    let users = [
        ("ann@example.com", Role::OnCall),
        ("bob@example.com", Role::OnCall),
        ("cy@example.com", Role::OnCall),
        ("ic@example.com", Role::IncidentCommander),
        ("fin@example.com", Role::Finance),
        ("admin@example.com", Role::Admin),
    ];
    let actors = db
        .store
        .insert_users(&users, T0)
        .await
        .unwrap()
        .iter()
        .map(|user| Actor::User(CurrentUser::from(user)))
        .collect();
    (clock, services, actors)
}

/// Opens an incident (each its own), escalates it now; whom its first level paged.
async fn paged(services: &Services, clock: &ManualClock, n: u32) -> Vec<String> {
    let id = services
        .raise_incident(Finding {
            kind: Kind::Manual,
            severity: Severity::High,
            agent: None,
            rule: Some(format!("test-{n}")),
            title: format!("incident {n}"),
            detail: "test".into(),
        })
        .await
        .unwrap()
        .incident
        .id;
    use warden_services::Clock;
    services.escalate_due(clock.now_ms()).await.unwrap();
    let detail = services.incident_detail(&Actor::System, id).await.unwrap();
    let mut to: Vec<String> = detail.pages.iter().map(|p| p.recipient.clone()).collect();
    to.sort();
    to
}

async fn the_on_call_level_pages_the_rotation_or_the_override(db: TestDb) {
    let (clock, services, actors) = setup(&db).await;
    let [ann, _bob, cy, ic, fin, _admin] = actors.as_slice() else {
        unreachable!()
    };
    assert_eq!(paged(&services, &clock, 1).await, ["ann@example.com"]);
    let board = services.on_call_board(ann).await.unwrap();
    assert_eq!(board.now.as_ref().unwrap().who, "ann@example.com");
    assert_eq!(board.next.as_ref().unwrap().who, "bob@example.com");
    assert_eq!(board.next.as_ref().unwrap().from, T0 + 7 * 24 * H - H);
    assert!(board.may_cover && !board.may_cover_anyone);

    // cy covers Tuesday night for ann.
    let tuesday_night = NewOverride {
        who: None,
        starts_at: T0 + 32 * H,
        ends_at: T0 + 44 * H,
        note: "I cover Tuesday night".into(),
    };
    let cover = services
        .add_on_call_override(cy, tuesday_night.clone())
        .await
        .unwrap();
    assert_eq!(cover.who, "cy@example.com");
    let board = services.on_call_board(ann).await.unwrap();
    assert_eq!(
        board.now.as_ref().unwrap().until,
        T0 + 32 * H,
        "ann until cy covers"
    );
    assert_eq!(board.next.as_ref().unwrap().who, "cy@example.com");
    clock.set(T0 + 33 * H);
    assert_eq!(paged(&services, &clock, 2).await, ["cy@example.com"]);
    clock.set(T0 + 45 * H);
    assert_eq!(paged(&services, &clock, 3).await, ["ann@example.com"]);

    // Only admins and incident commanders cover for someone else; finance never.
    let for_bob = NewOverride {
        who: Some("bob@example.com".into()),
        ..tuesday_night.clone()
    };
    let refused = services.add_on_call_override(cy, for_bob.clone()).await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    let refused = services
        .add_on_call_override(fin, tuesday_night.clone())
        .await;
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
    let past = NewOverride {
        starts_at: T0,
        ends_at: T0 + H,
        ..tuesday_night.clone()
    };
    let refused = services.add_on_call_override(ic, past).await;
    assert!(
        matches!(refused, Err(ServiceError::Invalid(_))),
        "over already"
    );
    let unknown = NewOverride {
        who: Some("nobody@example.com".into()),
        starts_at: T0 + 50 * H,
        ends_at: T0 + 60 * H,
        ..tuesday_night.clone()
    };
    let refused = services.add_on_call_override(ic, unknown).await;
    assert!(
        matches!(refused, Err(ServiceError::Invalid(_))),
        "not a user"
    );
    let bob_covers = services
        .add_on_call_override(
            ic,
            NewOverride {
                starts_at: T0 + 50 * H,
                ends_at: T0 + 60 * H,
                ..for_bob
            },
        )
        .await
        .unwrap();
    let refused = services.remove_on_call_override(cy, bob_covers.id).await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "not cy's"
    );
    services
        .remove_on_call_override(ic, bob_covers.id)
        .await
        .unwrap();
    let actions: Vec<String> = services
        .list_audit(&Actor::System, &AuditFilter::default(), 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.target.starts_with("on_call:"))
        .map(|e| format!("{} {}", e.action, e.actor))
        .collect();
    assert_eq!(
        actions,
        [
            "on_call.override_remove ic@example.com",
            "on_call.override ic@example.com",
            "on_call.override cy@example.com",
        ]
    );

    // ann's account disabled: everyone holding the role is paged instead of nobody.
    db.store
        .change_account(ann_id(&actors), AccountChange::Disabled(true), T0)
        .await
        .unwrap();
    assert_eq!(
        paged(&services, &clock, 4).await,
        ["bob@example.com", "cy@example.com"]
    );
}

fn ann_id(actors: &[Actor]) -> i64 {
    match &actors[0] {
        Actor::User(user) => user.id,
        Actor::System => unreachable!(),
    }
}

backend_tests!(the_on_call_level_pages_the_rotation_or_the_override);
