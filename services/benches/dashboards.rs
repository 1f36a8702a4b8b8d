//! How long each dashboard's data takes (metrics from the rollups and the charts drawn),
//! and one anomaly pass over every agent, with 30 days of history for 10 agents, about 10 million spans, on SQLite or PostgreSQL.
//!
//! ```sh
//! cargo bench -p warden-services --bench dashboards                 # SQLite
//! TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_ENGINE=postgres \
//!   cargo bench -p warden-services --bench dashboards                # PostgreSQL
//! ```
//! The history is written as the ingest commit leaves it (minute rows), rolled up into
//! hours and days by the rollup pass, and pruned to a week of minutes, as a server keeps it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;
use warden_db::UsageRecord;
use warden_db::testing::{SeedMinute, TestDb};
use warden_domain::metrics::dashboard::RangeChoice;
use warden_domain::metrics::range::{DAY_MS, MINUTE_MS, floor};
use warden_domain::metrics::sketch::bucket_of;
use warden_services::{Actor, ManualClock, ServiceSettings, Services};

const AGENTS: usize = 10;
const DAYS: i64 = 30;
const RUNS: usize = 25;

/// A small deterministic generator, so that every run measures the same data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn minute_rows(agent: usize, name: &str, from: i64, to: i64, rng: &mut Lcg) -> Vec<SeedMinute> {
    let mut rows = Vec::new();
    let mut minute = from;
    while minute < to {
        let interactions = 4 + rng.below(5) as i64;
        let mut latency: Vec<(i32, i64)> = Vec::new();
        let mut duration = 0;
        let mut errors = 0;
        for _ in 0..interactions {
            // 0.3 s to ~6 s, heavier for the later agents.
            let ms = 300 + rng.below(1_500 + 400 * agent as u64) + rng.below(4) * rng.below(900);
            let ns = ms as i64 * 1_000_000;
            duration += ns;
            let b = bucket_of(ns);
            match latency.iter_mut().find(|(x, _)| *x == b) {
                Some((_, n)) => *n += 1,
                None => latency.push((b, 1)),
            }
            errors += i64::from(rng.below(50) == 0);
        }
        rows.push(SeedMinute {
            agent: name.to_string(),
            minute,
            usage: UsageRecord {
                agent: name.to_string(),
                minute,
                spans: interactions * 4,
                traces: interactions,
                errors,
                error_traces: errors,
                llm_calls: interactions * 2,
                tool_calls: interactions,
                tool_errors: errors / 2,
                input_tokens: interactions * 1_800,
                output_tokens: interactions * 300,
                cost_micros: interactions * 5_400,
                trace_duration_ns: duration,
                ..UsageRecord::default()
            },
            latency,
        });
        minute += MINUTE_MS;
    }
    rows
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let postgres = std::env::var("BENCH_ENGINE").as_deref() == Ok("postgres");
    let db = if postgres {
        TestDb::postgres()
            .await
            .expect("TEST_POSTGRES_URL for BENCH_ENGINE=postgres")
    } else {
        TestDb::sqlite().await
    };
    let now = 1_796_000_000_000; // a Thursday in 2026, mid-afternoon UTC
    let start = floor(now - DAYS * DAY_MS, DAY_MS);
    let names: Vec<String> = (0..AGENTS).map(|i| format!("agent-{i:02}")).collect();
    let seeding = Instant::now();
    let mut rng = Lcg(7);
    let mut spans = 0i64;
    let mut day = start;
    while day < now {
        let mut rows = Vec::new();
        for (i, name) in names.iter().enumerate() {
            rows.extend(minute_rows(i, name, day, (day + DAY_MS).min(now), &mut rng));
        }
        spans += rows.iter().map(|r| r.usage.spans).sum::<i64>();
        db.store.seed_minutes(&rows).await.unwrap();
        day += DAY_MS;
    }
    let minutes_from = now - 7 * DAY_MS;
    db.store.roll_up(0, minutes_from).await.unwrap();
    while db
        .store
        .roll_up(now, minutes_from)
        .await
        .unwrap()
        .minutes_deleted
        > 0
    {}
    println!(
        "{}: {AGENTS} agents, {DAYS} days, {:.1} M spans, seeded and rolled up in {:.0} s",
        if postgres { "PostgreSQL" } else { "SQLite" },
        spans as f64 / 1e6,
        seeding.elapsed().as_secs_f64()
    );

    let services = Services::new(
        db.store.clone(),
        Arc::new(ManualClock::new(now)),
        ServiceSettings::default(),
    );
    let actor = Actor::System;
    let one = Some("agent-03".to_string());
    macro_rules! measure {
        ($label:expr, $call:expr) => {{
            let mut times = Vec::new();
            for _ in 0..RUNS {
                let t = Instant::now();
                let _ = $call.await.unwrap();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{:<34} p50 {:>6.1} ms  p95 {:>6.1} ms  max {:>6.1} ms",
                $label,
                percentile(&times, 0.5),
                percentile(&times, 0.95),
                times[times.len() - 1]
            );
        }};
    }
    for (label, range) in [
        ("24h", RangeChoice::Last24h),
        ("7d", RangeChoice::Last7d),
        ("30d", RangeChoice::Last30d),
    ] {
        measure!(
            format!("system dashboard, {label}"),
            services.system_dashboard(&actor, range, None)
        );
        measure!(
            format!("cost dashboard, {label}"),
            services.cost_dashboard(&actor, range, None)
        );
        measure!(
            format!("agent dashboard, {label}"),
            services.agent_dashboard(&actor, range, one.clone())
        );
    }
    measure!(
        "metrics/system, 30d",
        services.system_metrics(&actor, now - 30 * DAY_MS, now, None)
    );
    measure!(
        "metrics/agents, 30d",
        services.fleet_agent_metrics(&actor, now - 30 * DAY_MS, now)
    );
    measure!("landing page fleet state", services.fleet_state(&actor));
    // The anomaly job's pass: 10 agents x 4 metrics against their trailing week of hours.
    measure!("anomaly pass, 10 agents", services.detect_anomalies(now));
}
