//! The rollup pass on both engines: hours and days are the minutes' sums, minutes past their
//! week go, and the readers of long windows (compliance, alignment) still count every
//! interaction from the hour rows.
#![allow(clippy::unwrap_used)]

use warden_db::testing::{SeedMinute, TestDb};
use warden_db::{UsageRecord, backend_tests};

const NOW: i64 = 1_796_040_000_000; // on the hour
const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;

fn minutes(from: i64, count: i64, traces: i64) -> Vec<SeedMinute> {
    (0..count)
        .map(|i| SeedMinute {
            agent: "pay-agent".into(),
            minute: from + i * MINUTE,
            usage: UsageRecord {
                agent: "pay-agent".into(),
                minute: from + i * MINUTE,
                spans: traces * 3,
                traces,
                cost_micros: traces * 100,
                ..UsageRecord::default()
            },
            latency: vec![(200, traces)],
        })
        .collect()
}

async fn long_windows_count_from_the_hour_rows_once_the_minutes_are_gone(db: TestDb) {
    let store = &db.store;
    // An hour twenty days ago (120 interactions) and ten minutes an hour ago (10).
    store
        .seed_minutes(&minutes(NOW - 20 * DAY, 60, 2))
        .await
        .unwrap();
    store
        .seed_minutes(&minutes(NOW - 3_600_000, 10, 1))
        .await
        .unwrap();
    let pass = store.roll_up(0, NOW - 7 * DAY).await.unwrap();
    assert_eq!(pass.hours.len(), 2);
    assert_eq!(pass.days.len(), 2);
    assert_eq!(
        pass.minutes_deleted,
        60 * 2,
        "the old hour's usage and latency minutes"
    );
    assert_eq!(store.telemetry_counts().await.unwrap().usage_minutes, 10);
    // A second pass over nothing changed changes nothing.
    let again = store.roll_up(NOW, NOW - 7 * DAY).await.unwrap();
    assert!(again.hours.is_empty() && again.minutes_deleted == 0);

    let (interactions, _) = store.compliance_inputs(NOW - 30 * DAY, NOW).await.unwrap();
    assert_eq!(interactions, [("pay-agent".to_string(), 130)]);
    let (recent, _) = store
        .compliance_inputs(NOW - 2 * 3_600_000, NOW)
        .await
        .unwrap();
    assert_eq!(recent, [("pay-agent".to_string(), 10)]);
    let (aligned, _) = store
        .alignment_inputs("pay-agent", NOW - 30 * DAY, NOW)
        .await
        .unwrap();
    assert_eq!(aligned, 130);
}

async fn each_hour_row_keeps_its_p95_and_a_recomputed_hour_gets_it_again(db: TestDb) {
    let store = &db.store;
    let hour = NOW - 2 * 3_600_000;
    // 100 interactions of one minute: 95 in bucket 100, 5 in bucket 200. The p95 is the
    // 95th duration: bucket 100's.
    let mut rows = minutes(hour, 1, 100);
    rows[0].latency = vec![(100, 95), (200, 5)];
    store.seed_minutes(&rows).await.unwrap();
    let pass = store.roll_up(0, NOW - 7 * DAY).await.unwrap();
    assert_eq!(pass.p95_filled, 1);
    let mut sketch = warden_domain::metrics::sketch::Sketch::default();
    sketch.add(100, 95);
    sketch.add(200, 5);
    let first = store.hour_p95(hour, hour + 3_600_000).await.unwrap();
    assert_eq!(
        first,
        vec![(
            "pay-agent".to_string(),
            hour,
            sketch.quantile_ms(0.95).unwrap()
        )]
    );

    // Ten slow interactions more in that hour: recomputed, its p95 moves to bucket 200.
    let mut late = minutes(hour + 5 * MINUTE, 1, 10);
    late[0].latency = vec![(200, 10)];
    store.seed_minutes(&late).await.unwrap();
    let pass = store.roll_up(0, NOW - 7 * DAY).await.unwrap();
    assert_eq!(pass.p95_filled, 1);
    sketch.add(200, 10);
    let p95 = store.hour_p95(hour, hour + 3_600_000).await.unwrap();
    assert_eq!(p95[0].2, sketch.quantile_ms(0.95).unwrap());
    assert!(p95[0].2 > first[0].2, "{p95:?} after {first:?}");
}

backend_tests!(
    long_windows_count_from_the_hour_rows_once_the_minutes_are_gone,
    each_hour_row_keeps_its_p95_and_a_recomputed_hour_gets_it_again,
);
