//! Retention deletes exactly what is past its tier, on SQLite and PostgreSQL, with the
//! clock moved by the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;
use warden_db::ViolationRecord;
use warden_db::testing::{TestDb, span_record};
use warden_db::{
    IngestWrite, PiiEventRecord, ResourceRecord, SpanRecord, UsageRecord, backend_tests,
};
use warden_domain::policy::{PolicySet, RuleName, SEED_POLICIES, Severity};
use warden_domain::telemetry::AgentInfo;
use warden_domain::telemetry::{SpanId, TraceId};
use warden_services::policy::document::parse_policy_file;
use warden_services::retention::RetentionPolicy;
use warden_services::{ManualClock, ServiceSettings, Services};

const DAY_MS: i64 = 86_400_000;
const NOW: i64 = 1_800_000_000_000;

fn span(trace: u8, n: u8, start_ms: i64) -> SpanRecord {
    let mut trace_id = [0u8; 16];
    trace_id[15] = trace;
    trace_id[0] = 1;
    span_record(
        TraceId(trace_id),
        SpanId([1, 0, 0, 0, 0, 0, trace, n]),
        "support-agent",
        start_ms * 1_000_000,
    )
}

fn usage(minute: i64) -> UsageRecord {
    UsageRecord {
        agent: "support-agent".into(),
        minute,
        spans: 1,
        ..UsageRecord::default()
    }
}

fn pii(trace: u8, at: i64) -> PiiEventRecord {
    let mut trace_id = [0u8; 16];
    trace_id[15] = trace;
    trace_id[0] = 1;
    PiiEventRecord {
        agent: "support-agent".into(),
        trace_id: TraceId(trace_id).to_hex(),
        span_id: SpanId([1, 0, 0, 0, 0, 0, trace, 0]).to_hex(),
        field: "output".into(),
        kind: "EMAIL".into(),
        stage: "ingest",
        detected_at: at,
    }
}

async fn retention_deletes_exactly_what_is_past_each_tier(db: TestDb) {
    let clock = Arc::new(ManualClock::new(NOW));
    let services = Services::new(db.store.clone(), clock.clone(), ServiceSettings::default());
    // Traces 1 and 2 are 91 and 100 days old, trace 3 is 89 days old; usage 366 and 360
    // days; PII events 1096 and 1090 days (their spans are stored alongside).
    let mut write = IngestWrite {
        received_at: NOW,
        ..IngestWrite::default()
    };
    write.spans = vec![
        span(1, 0, NOW - 91 * DAY_MS),
        span(1, 1, NOW - 91 * DAY_MS),
        span(2, 0, NOW - 100 * DAY_MS),
        span(3, 0, NOW - 89 * DAY_MS),
        span(4, 0, NOW - 1096 * DAY_MS),
        span(5, 0, NOW - 1090 * DAY_MS),
    ];
    write.tags = vec![
        (
            write.spans[0].span.trace_id.to_hex(),
            "agent:support-agent".into(),
        ),
        (
            write.spans[3].span.trace_id.to_hex(),
            "agent:support-agent".into(),
        ),
    ];
    write.usage = vec![usage(NOW - 366 * DAY_MS), usage(NOW - 360 * DAY_MS)];
    write.pii_events = vec![pii(4, NOW - 1096 * DAY_MS), pii(5, NOW - 1090 * DAY_MS)];
    db.store.commit_ingest(&[write]).await.unwrap();
    let before = db.store.telemetry_counts().await.unwrap();
    assert_eq!(
        (
            before.spans,
            before.traces,
            before.pii_events,
            before.usage_minutes
        ),
        // Two usage rows written, and one per trace root: the commit counts each stored
        // interaction in its start minute.
        (6, 5, 2, 7)
    );

    let policy = RetentionPolicy {
        raw_traces: Duration::from_secs(90 * 86_400),
        aggregated: Duration::from_secs(365 * 86_400),
        compliance_logs: Duration::from_secs(1095 * 86_400),
    };
    let runs = services.enforce_retention(&policy).await.unwrap();
    let after = db.store.telemetry_counts().await.unwrap();
    // Only trace 3 (89 days) remains of the raw tier.
    assert_eq!((after.spans, after.traces), (1, 1));
    let kept = db.store.list_traces(&Default::default()).await.unwrap();
    assert_eq!(kept[0].tags, ["agent:support-agent"]);
    // Past 365 days: the 366-day row and the 1090- and 1096-day interactions' rows.
    assert_eq!(after.usage_minutes, 4);
    assert_eq!(after.pii_events, 1);
    let deleted: Vec<(&str, i64)> = runs.iter().map(|r| (r.tier.as_str(), r.deleted)).collect();
    assert_eq!(
        deleted,
        [
            ("raw_traces", 5 + 4),
            ("aggregated", 3),
            ("compliance_logs", 1)
        ]
    );
    assert_eq!(runs[0].cutoff, NOW - 90 * DAY_MS);
    let recorded = db.store.list_retention_runs(10).await.unwrap();
    assert_eq!(recorded.len(), 3);

    // A day later the 89-day trace is past its tier too; nothing else changes.
    clock.advance(2 * DAY_MS);
    services.enforce_retention(&policy).await.unwrap();
    let later = db.store.telemetry_counts().await.unwrap();
    assert_eq!(
        (
            later.spans,
            later.traces,
            later.usage_minutes,
            later.pii_events
        ),
        (0, 0, 4, 1)
    );
}

fn with_resource(mut record: SpanRecord, host: &str) -> SpanRecord {
    record.resource = Some(Arc::new(ResourceRecord::new(format!(
        "{{\"host.name\":\"{host}\"}}"
    ))));
    record
}

/// A resource goes once no span points to it and traffic has not named it for the raw
/// tier (and two days more); naming it again keeps it.
async fn resources_go_with_their_last_span(db: TestDb) {
    let clock = Arc::new(ManualClock::new(NOW));
    let services = Services::new(db.store.clone(), clock.clone(), ServiceSettings::default());
    let commit = |received_at: i64, spans: Vec<SpanRecord>| {
        let store = db.store.clone();
        async move {
            store
                .commit_ingest(&[IngestWrite {
                    received_at,
                    spans,
                    ..IngestWrite::default()
                }])
                .await
                .unwrap()
        }
    };
    let old = NOW - 100 * DAY_MS;
    // "gone": named 100 days ago only. "renamed": also named 60 days ago, by an old span.
    commit(old, vec![with_resource(span(1, 0, old), "gone")]).await;
    commit(old, vec![with_resource(span(2, 0, old), "renamed")]).await;
    commit(
        NOW - 60 * DAY_MS,
        vec![with_resource(span(2, 1, old), "renamed")],
    )
    .await;
    // "live": a recent span; "fresh": named now by a span already past the tier.
    commit(
        NOW,
        vec![
            with_resource(span(3, 0, NOW - DAY_MS), "live"),
            with_resource(span(4, 0, old), "fresh"),
        ],
    )
    .await;
    assert_eq!(db.store.telemetry_counts().await.unwrap().resources, 4);

    let policy = RetentionPolicy {
        raw_traces: Duration::from_secs(90 * 86_400),
        aggregated: Duration::from_secs(365 * 86_400),
        compliance_logs: Duration::from_secs(1095 * 86_400),
    };
    services.enforce_retention(&policy).await.unwrap();
    let after = db.store.telemetry_counts().await.unwrap();
    assert_eq!((after.spans, after.resources), (1, 3), "only \"gone\" went");
    let (_, spans, _) = db
        .store
        .get_trace(&span(3, 0, 0).span.trace_id.to_hex())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        spans[0].span.attribute("resource.host.name"),
        Some(&warden_domain::telemetry::AttrValue::Str("live".into()))
    );

    // 93 days on, the live span is past the tier and nothing names any resource.
    clock.advance(93 * DAY_MS);
    services.enforce_retention(&policy).await.unwrap();
    let later = db.store.telemetry_counts().await.unwrap();
    assert_eq!((later.spans, later.resources), (0, 0));
}

async fn retention_works_through_a_backlog_in_batches(db: TestDb) {
    let clock = Arc::new(ManualClock::new(NOW));
    let services = Services::new(db.store.clone(), clock, ServiceSettings::default());
    let old = NOW - 200 * DAY_MS;
    let spans: Vec<SpanRecord> = (0..=255u8)
        .flat_map(|t| (0..20u8).map(move |n| span(t, n, old)))
        .collect();
    let count = spans.len() as i64;
    db.store
        .commit_ingest(&[IngestWrite {
            spans,
            received_at: NOW,
            ..IngestWrite::default()
        }])
        .await
        .unwrap();
    let policy = RetentionPolicy {
        raw_traces: Duration::from_secs(90 * 86_400),
        aggregated: Duration::from_secs(365 * 86_400),
        compliance_logs: Duration::from_secs(1095 * 86_400),
    };
    let runs = services.enforce_retention(&policy).await.unwrap();
    assert_eq!(
        runs[0].deleted,
        count + 256,
        "every span and trace, over several batches"
    );
    assert_eq!(db.store.telemetry_counts().await.unwrap().spans, 0);
}

/// `audit_trail_retention: 5y` (the seed's `high_risk`) keeps the HR agent's PII events and
/// violations past a one-year compliance tier; another agent's go with the tier, and the
/// HR agent's go once they are past five years.
async fn audit_trail_retention_keeps_an_agents_compliance_records_past_the_tier(db: TestDb) {
    let clock = Arc::new(ManualClock::new(NOW));
    let doc = parse_policy_file(SEED_POLICIES).unwrap();
    let settings = ServiceSettings {
        policies: PolicySet::build(doc.to_sources().unwrap(), "EUR").unwrap(),
        ..ServiceSettings::default()
    };
    let services = Services::new(db.store.clone(), clock.clone(), settings);
    for name in ["hr-screening-agent", "support-agent"] {
        db.store
            .save_agent(&AgentInfo::unregistered(name, None, NOW), NOW)
            .await
            .unwrap();
    }
    let aged = |agent: &str, trace: u8, days: i64| {
        let mut event = pii(trace, NOW - days * DAY_MS);
        event.agent = agent.into();
        let violation = ViolationRecord {
            rule: RuleName::NoPiiInOutputs,
            severity: Severity::Critical,
            agent: agent.into(),
            level: "global".into(),
            trace_id: Some(event.trace_id.clone()),
            span_id: None,
            evidence: "EMAIL in output".into(),
            detected_at: event.detected_at,
        };
        (event, violation)
    };
    let records = [
        aged("hr-screening-agent", 1, 400),
        aged("support-agent", 2, 400),
        aged("hr-screening-agent", 3, 5 * 365 + 1),
        aged("hr-screening-agent", 4, 5 * 365 - 1),
    ];
    db.store
        .commit_ingest(&[IngestWrite {
            pii_events: records.iter().map(|(e, _)| e.clone()).collect(),
            received_at: NOW,
            ..IngestWrite::default()
        }])
        .await
        .unwrap();
    db.store
        .insert_violations(&records.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>())
        .await
        .unwrap();
    let policy = RetentionPolicy {
        raw_traces: Duration::from_secs(90 * 86_400),
        aggregated: Duration::from_secs(365 * 86_400),
        compliance_logs: Duration::from_secs(365 * 86_400),
    };
    let runs = services.enforce_retention(&policy).await.unwrap();
    assert_eq!(
        runs[2].deleted,
        2 + 2,
        "support's pair and the HR pair past 5 years"
    );
    let kept: Vec<(String, i64)> = db
        .store
        .list_violations(&Default::default(), None)
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.agent, (NOW - v.detected_at) / DAY_MS))
        .collect();
    assert_eq!(
        kept,
        [
            ("hr-screening-agent".to_string(), 5 * 365 - 1),
            ("hr-screening-agent".to_string(), 400)
        ]
    );
    assert_eq!(db.store.telemetry_counts().await.unwrap().pii_events, 2);
}

backend_tests!(
    retention_deletes_exactly_what_is_past_each_tier,
    resources_go_with_their_last_span,
    retention_works_through_a_backlog_in_batches,
    audit_trail_retention_keeps_an_agents_compliance_records_past_the_tier,
);
