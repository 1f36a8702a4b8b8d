//! The anomaly pass on both engines with a controlled clock: two noisy weeks of one agent
//! raise nothing when every hour of the second is judged, and a cost step opens an anomaly
//! within two passes of a quarter-hour interval, shown by the service and closed once the
//! cost is back to normal.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use warden_db::testing::{SeedMinute, TestDb};
use warden_db::{UsageRecord, backend_tests};
use warden_domain::metrics::range::{DAY_MS, HOUR_MS, MINUTE_MS};
use warden_domain::metrics::sketch::bucket_of;
use warden_services::{Actor, Clock, ManualClock, ServiceSettings, Services};

const NOW: i64 = 1_796_040_000_000; // on the hour

/// Minutes of pay-agent from `from` to `to`: about six interactions a minute, 2% failing,
/// costs and durations with noise; `cost_factor` scales the cost.
fn minutes(from: i64, to: i64, cost_factor: f64, seed: &mut u64) -> Vec<SeedMinute> {
    let mut next = || {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut out = Vec::new();
    let mut minute = from;
    while minute < to {
        let n = 4 + (next() * 5.0) as i64;
        let errors = (0..n).filter(|_| next() < 0.02).count() as i64;
        let mut latency: Vec<(i32, i64)> = Vec::new();
        let mut duration = 0;
        for _ in 0..n {
            let ns = ((1_500.0 + 1_000.0 * next()) * 1e6) as i64;
            duration += ns;
            let b = bucket_of(ns);
            match latency.iter_mut().find(|(x, _)| *x == b) {
                Some((_, c)) => *c += 1,
                None => latency.push((b, 1)),
            }
        }
        let cost = (n as f64 * 5_000.0 * cost_factor * (0.8 + 0.4 * next())) as i64;
        out.push(SeedMinute {
            agent: "pay-agent".into(),
            minute,
            usage: UsageRecord {
                agent: "pay-agent".into(),
                minute,
                spans: n * 3,
                traces: n,
                errors,
                error_traces: errors,
                cost_micros: cost,
                trace_duration_ns: duration,
                ..UsageRecord::default()
            },
            latency,
        });
        minute += MINUTE_MS;
    }
    out
}

async fn a_noisy_fortnight_raises_nothing_and_a_cost_step_opens_an_anomaly_within_two_passes(
    db: TestDb,
) {
    let mut seed = 11;
    let start = NOW - 14 * DAY_MS;
    db.store
        .seed_minutes(&minutes(start, NOW, 1.0, &mut seed))
        .await
        .unwrap();
    db.store.roll_up(0, NOW - 7 * DAY_MS).await.unwrap();
    let clock = Arc::new(ManualClock::new(NOW));
    let services = Services::new(db.store.clone(), clock.clone(), ServiceSettings::default());

    // Every hour of the second week, judged against the week before it.
    let mut judged = 0;
    for hour in 0..168 {
        let pass = services
            .detect_anomalies(NOW - 7 * DAY_MS + (hour + 1) * HOUR_MS)
            .await
            .unwrap();
        assert_eq!(pass.opened, 0, "hour {hour}: {pass:?}");
        judged += pass.judged;
    }
    assert_eq!(
        judged,
        168 * 4,
        "four metrics an hour, all with volume and history"
    );

    // From NOW the agent costs three times as much; passes every 15 minutes.
    db.store
        .seed_minutes(&minutes(NOW, NOW + HOUR_MS, 3.0, &mut seed))
        .await
        .unwrap();
    let mut opened_at = None;
    for pass_no in 1..=4 {
        let t = NOW + pass_no * 15 * MINUTE_MS;
        clock.advance(15 * MINUTE_MS);
        if services.detect_anomalies(t).await.unwrap().opened > 0 {
            opened_at = Some(pass_no);
            break;
        }
    }
    assert!(
        opened_at.is_some_and(|n| n <= 2),
        "opened at pass {opened_at:?}"
    );
    let open = services
        .list_anomalies(&Actor::System, false)
        .await
        .unwrap();
    assert_eq!(open.len(), 1, "{open:?}");
    let a = &open[0];
    assert_eq!(
        (a.agent.as_str(), a.metric.as_str(), a.direction.as_str()),
        ("pay-agent", "cost", "up")
    );
    assert!(a.observed > 1.5 * a.baseline && a.z >= 4.0, "{a:?}");
    // A second pass over the same hour does not open it twice.
    services.detect_anomalies(clock.now_ms()).await.unwrap();
    assert_eq!(
        services
            .list_anomalies(&Actor::System, false)
            .await
            .unwrap()
            .len(),
        1
    );

    // Back to normal: once the expensive hour has left the window, the anomaly closes.
    db.store
        .seed_minutes(&minutes(NOW + HOUR_MS, NOW + 3 * HOUR_MS, 1.0, &mut seed))
        .await
        .unwrap();
    let pass = services.detect_anomalies(NOW + 3 * HOUR_MS).await.unwrap();
    assert_eq!(pass.closed, 1, "{pass:?}");
    assert!(
        services
            .list_anomalies(&Actor::System, false)
            .await
            .unwrap()
            .is_empty()
    );
    let all = services.list_anomalies(&Actor::System, true).await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].closed_at.is_some());
}

backend_tests!(a_noisy_fortnight_raises_nothing_and_a_cost_step_opens_an_anomaly_within_two_passes,);
