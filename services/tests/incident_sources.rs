//! Findings into incidents on both engines: violations of the rules that page open (or
//! join) incidents, others stay quiet; `max_cost_per_interaction` pages on its third
//! breach in ten minutes; anomalies open theirs; two replicas reading the same findings
//! open one incident and count every finding once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use warden_db::testing::TestDb;
use warden_db::{ViolationRecord, backend_tests};
use warden_domain::incident::{EntryKind, Kind, Status};
use warden_domain::metrics::anomaly::Anomaly;
use warden_domain::policy::{RuleName, Severity};
use warden_services::{Actor, ManualClock, ServiceSettings, Services};

const T0: i64 = 1_796_040_000_000;

fn violation(rule: RuleName, agent: &str, at: i64) -> ViolationRecord {
    ViolationRecord {
        rule,
        severity: if rule == RuleName::NoPiiInOutputs {
            Severity::Critical
        } else {
            Severity::Medium
        },
        agent: agent.into(),
        level: "root".into(),
        trace_id: Some(format!("{at:032x}")),
        span_id: None,
        evidence: "an e-mail address in the answer ([EMAIL])".into(),
        detected_at: at,
    }
}

fn services(db: &TestDb, clock: Arc<ManualClock>) -> Services {
    Services::new(db.store.clone(), clock, ServiceSettings::default())
}

async fn violations_of_paging_rules_open_incidents_and_others_stay_quiet(db: TestDb) {
    let clock = Arc::new(ManualClock::new(T0));
    let services = services(&db, clock.clone());
    db.store
        .insert_violations(&[
            violation(RuleName::NoPiiInOutputs, "hr-agent", T0),
            violation(RuleName::TransparencyNoticeRequired, "hr-agent", T0),
            violation(RuleName::NoPiiInOutputs, "hr-agent", T0 + 1),
            violation(RuleName::MaxCostPerInteraction, "sales-agent", T0),
            violation(RuleName::MaxCostPerInteraction, "sales-agent", T0 + 60_000),
        ])
        .await
        .unwrap();
    let pass = services.raise_from_findings().await.unwrap();
    assert_eq!((pass.opened, pass.joined, pass.quiet), (1, 1, 3));
    let incidents = services.list_incidents(&Actor::System, None).await.unwrap();
    assert_eq!(incidents.len(), 1);
    let pii = &incidents[0];
    let pii_id = pii.id;
    assert_eq!(pii.kind, Kind::PiiLeak);
    assert_eq!(pii.severity, Severity::Critical);
    assert_eq!(pii.title, "hr-agent put personal data in an answer");
    assert_eq!(pii.status, Status::Triggered);
    let detail = services
        .incident_detail(&Actor::System, pii.id)
        .await
        .unwrap();
    let kinds: Vec<EntryKind> = detail.timeline.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EntryKind::Opened, EntryKind::Repeated]);
    assert!(
        detail.timeline[0]
            .detail
            .contains("no_pii_in_outputs (critical)")
    );

    // Nothing is read twice.
    assert!(
        db.store
            .unchecked_violations(100)
            .await
            .unwrap()
            .0
            .is_empty()
    );
    assert_eq!(services.raise_from_findings().await.unwrap().quiet, 0);

    // The third cost breach within ten minutes pages; one after that joins it.
    clock.advance(5 * 60_000);
    db.store
        .insert_violations(&[violation(
            RuleName::MaxCostPerInteraction,
            "sales-agent",
            T0 + 300_000,
        )])
        .await
        .unwrap();
    let pass = services.raise_from_findings().await.unwrap();
    assert_eq!(pass.opened, 1);
    let cost = services
        .list_incidents(&Actor::System, Some("triggered"))
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.agent.as_deref() == Some("sales-agent"))
        .unwrap();
    assert_eq!(
        cost.title,
        "sales-agent keeps breaking max_cost_per_interaction"
    );
    assert_eq!(cost.id, pii_id + 1, "a repeat uses up no incident number");
}

async fn anomalies_open_incidents_of_their_kind(db: TestDb) {
    let clock = Arc::new(ManualClock::new(T0));
    let services = services(&db, clock);
    let anomaly = |metric: &str, agent: &str, observed: f64, baseline: f64| Anomaly {
        id: 0,
        agent: agent.into(),
        metric: metric.into(),
        window_start: T0 - 3_600_000,
        window_end: T0,
        observed,
        baseline,
        z: 9.5,
        direction: if metric == "alignment" { "down" } else { "up" }.into(),
        opened_at: T0,
        closed_at: None,
        updated_at: T0,
    };
    for a in [
        anomaly("cost", "sales-agent", 12.4, 2.05),
        anomaly("alignment", "hr-agent", 0.61, 0.97),
        anomaly("error_rate", "it-agent", 0.2, 0.01),
    ] {
        db.store.open_anomaly(&a).await.unwrap().unwrap();
    }
    let pass = services.raise_from_findings().await.unwrap();
    assert_eq!(pass.opened, 3);
    let all = services.list_incidents(&Actor::System, None).await.unwrap();
    // Three agents at once are also a cascade, which names no single agent.
    let cascades = all
        .iter()
        .filter(|i| i.kind == Kind::CascadingFailure && i.agent.is_none())
        .count();
    assert_eq!(cascades, 1);
    let mut kinds: Vec<(Kind, String)> = all
        .into_iter()
        .filter_map(|i| Some((i.kind, i.agent?)))
        .collect();
    kinds.sort_by_key(|(_, a)| a.clone());
    assert_eq!(
        kinds,
        [
            (Kind::AlignmentDrop, "hr-agent".to_string()),
            (Kind::Anomaly, "it-agent".to_string()),
            (Kind::CostAnomaly, "sales-agent".to_string()),
        ]
    );
    let cost = services
        .list_incidents(&Actor::System, None)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.kind == Kind::CostAnomaly)
        .unwrap();
    let detail = services
        .incident_detail(&Actor::System, cost.id)
        .await
        .unwrap();
    assert!(
        detail.timeline[0].detail.contains("12.40 EUR")
            && detail.timeline[0].detail.contains("2.05 EUR"),
        "{}",
        detail.timeline[0].detail
    );
}

async fn two_replicas_reading_the_same_findings_open_one_incident(db: TestDb) {
    let clock = Arc::new(ManualClock::new(T0));
    let a = services(&db, clock.clone());
    let b = services(&db, clock);
    let records: Vec<ViolationRecord> = (0..40)
        .map(|n| violation(RuleName::NoPiiInOutputs, "hr-agent", T0 + n))
        .collect();
    db.store.insert_violations(&records).await.unwrap();
    let (x, y) = tokio::join!(a.raise_from_findings(), b.raise_from_findings());
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.opened + y.opened, 1);
    assert_eq!(x.joined + y.joined, 39);
    let incidents = a.list_incidents(&Actor::System, None).await.unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0].repeats, 39, "every finding counted once");
    let detail = a
        .incident_detail(&Actor::System, incidents[0].id)
        .await
        .unwrap();
    let kinds: Vec<EntryKind> = detail.timeline.iter().map(|e| e.kind).collect();
    // Within a minute: one entry says it came back, the count has the rest.
    assert_eq!(kinds, [EntryKind::Opened, EntryKind::Repeated]);
}

async fn three_agents_failing_at_once_open_one_cascade_that_links_them(db: TestDb) {
    let clock = Arc::new(ManualClock::new(T0));
    let services = services(&db, clock.clone());
    let pii = |agent: &str, at: i64| violation(RuleName::NoPiiInOutputs, agent, at);
    // Two agents, then a third 9 minutes later: within the 10-minute window.
    db.store
        .insert_violations(&[pii("hr-agent", T0), pii("pay-agent", T0 + 1)])
        .await
        .unwrap();
    services.raise_from_findings().await.unwrap();
    let cascades = |list: &[warden_domain::incident::Incident]| -> Vec<i64> {
        list.iter()
            .filter(|i| i.kind == Kind::CascadingFailure)
            .map(|i| i.id)
            .collect()
    };
    let list = services.list_incidents(&Actor::System, None).await.unwrap();
    assert!(cascades(&list).is_empty(), "two agents are not a cascade");
    clock.advance(9 * 60_000);
    db.store
        .insert_violations(&[pii("mail-agent", T0 + 9 * 60_000)])
        .await
        .unwrap();
    services.raise_from_findings().await.unwrap();
    let list = services.list_incidents(&Actor::System, None).await.unwrap();
    let [cascade] = cascades(&list)[..] else {
        panic!("one cascade: {list:?}")
    };
    let detail = services
        .incident_detail(&Actor::System, cascade)
        .await
        .unwrap();
    assert_eq!(detail.incident.severity, Severity::Critical);
    assert_eq!(
        detail.incident.title,
        "3 agents failing within 10m: hr-agent, pay-agent, mail-agent"
    );
    let ids: Vec<i64> = list
        .iter()
        .filter(|i| i.kind == Kind::PiiLeak)
        .map(|i| i.id)
        .collect();
    for id in ids {
        assert!(
            detail.timeline[0].detail.contains(&format!("#{id} ")),
            "links #{id}"
        );
    }
    assert_eq!(detail.steps.len(), 3, "the cascade's runbook");

    // A fourth agent joins the open cascade instead of opening another; agents failing
    // again without new incidents add nothing.
    db.store
        .insert_violations(&[
            pii("crm-agent", T0 + 9 * 60_000 + 1),
            pii("hr-agent", T0 + 9 * 60_000 + 2),
        ])
        .await
        .unwrap();
    services.raise_from_findings().await.unwrap();
    services.raise_from_findings().await.unwrap();
    let list = services.list_incidents(&Actor::System, None).await.unwrap();
    assert_eq!(cascades(&list), [cascade]);
    let again = list.iter().find(|i| i.id == cascade).unwrap();
    assert_eq!(again.repeats, 1);
}

backend_tests!(
    three_agents_failing_at_once_open_one_cascade_that_links_them,
    violations_of_paging_rules_open_incidents_and_others_stay_quiet,
    anomalies_open_incidents_of_their_kind,
    two_replicas_reading_the_same_findings_open_one_incident,
);
