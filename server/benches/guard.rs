//! The inline guard's latency: the release `warden` binary on a fresh database, one agent
//! (the HR screening agent, held to every rule of the seed's `hr_screening_agent` policy)
//! asking `POST /api/v1/guard` about 2 KB outputs, one request at a time, as an agent does
//! before each answer. Measured at the client over loopback, so the figures are an upper
//! bound of the server-side time.
//!
//!   cargo leptos build --release
//!   cargo bench -p warden-server --bench guard                 # SQLite
//!   TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p warden-server --bench guard -- --postgres
//!
//! Options: --requests N (5000), --postgres.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};
use warden_db::testing::TestDb;
use warden_server::loadgen::ServerProcess;

/// A screening summary of about 2 KB with nothing to flag: every check runs to the end, and
/// the answer is held for review.
const CLEAN: &str = "Summary for requisition REQ-2291 (Senior Data Analyst). The applicant has 7 years of \
experience in analytics, the last 4 at a logistics company where they led a team of five analysts \
and owned the weekly revenue reporting in SQL and Python. Strengths: strong SQL (window functions, \
query tuning on PostgreSQL), dbt models in production, stakeholder communication with finance, a \
published internal guide on experiment design. Gaps against the must-haves: no hands-on Spark \
(the role uses it for the clickstream pipeline), limited exposure to Looker, which the team uses \
for self-service dashboards. Notice period is 8 weeks; salary expectation is within the band. \
Suggested interview questions: (1) Walk us through a metric definition you changed and how you \
handled the historical data. (2) How would you size a Spark cluster for 2 TB of daily events? \
(3) Describe a disagreement with a stakeholder about a number and how it was resolved. (4) What \
would you check first if the weekly revenue figure dropped by 12% overnight? Overall: a good match \
on the analytical core; the Spark gap could be closed in the first quarter with the platform \
team's onboarding track. Recommendation: proceed to the technical interview, focusing on data \
modelling and distributed processing. References were not yet requested; the recruiter should ask \
for two, one of them a former manager. Certifications listed: dbt Analytics Engineering, Google \
Data Analytics. Languages: English and German, both fluent. Location: open to hybrid work from the \
Berlin office three days a week. Availability for interviews: Tuesdays and Thursdays afternoons.";

/// 2 KB: the summary, then its start again as the panel's notes.
fn clean() -> String {
    let mut text = format!("{CLEAN} Follow-up for the panel: ");
    // ASCII, so any byte index is a character boundary.
    let need = 2048usize.saturating_sub(text.len()).min(CLEAN.len());
    text.push_str(&CLEAN[..need]);
    text
}

/// The same with one inference: the guard blocks it.
fn flagged(clean: &str) -> String {
    format!("{clean} Note: the candidate is probably in her fifties.")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let mut requests = 5000usize;
    let mut postgres = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--requests" => {
                requests = args[i + 1].parse().expect("--requests N");
                i += 1;
            }
            "--postgres" => postgres = true,
            "--bench" => {}
            other => panic!("unknown option {other}"),
        }
        i += 1;
    }
    let bin = std::env::var("WARDEN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/warden")
        });
    assert!(
        bin.exists(),
        "{} is missing: cargo leptos build --release",
        bin.display()
    );
    let db = if postgres {
        TestDb::postgres()
            .await
            .expect("set TEST_POSTGRES_URL for --postgres")
    } else {
        TestDb::sqlite().await
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut server, key) = ServerProcess::start(&bin, &db.url, dir.path())
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/guard", server.url);
    let clean_text = clean();
    let flagged = flagged(&clean_text);
    let mut clean = Vec::with_capacity(requests);
    let mut blocked = Vec::with_capacity(requests / 10 + 1);
    // Warm the connection and the server's caches first.
    for n in 0..requests + 200 {
        let block = n % 10 == 9;
        let output = if block {
            flagged.as_str()
        } else {
            clean_text.as_str()
        };
        let body = serde_json::json!({"output": output, "agent": "hr-screening-agent"});
        let started = Instant::now();
        let response = client
            .post(&url)
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer: serde_json::Value = response.json().await.unwrap();
        let took = started.elapsed();
        assert!(status.is_success(), "{status}: {answer}");
        // The HR agent is under mandatory_human_review: a clean answer is held, which
        // queues it in the database before the answer: the slowest path.
        let expected = if block { "block" } else { "hold" };
        assert_eq!(answer["decision"], expected, "{answer}");
        if n >= 200 {
            if block {
                blocked.push(took)
            } else {
                clean.push(took)
            }
        }
    }
    server.stop().unwrap();
    let engine = if postgres { "PostgreSQL" } else { "SQLite" };
    println!(
        "\nGuard latency, {engine}, {} bytes per output, one request at a time",
        clean_text.len()
    );
    for (name, mut times) in [("held", clean), ("blocked", blocked)] {
        times.sort();
        println!(
            "  {name:<8} {:>6} requests  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            times.len(),
            percentile(&times, 50.0).as_secs_f64() * 1000.0,
            percentile(&times, 99.0).as_secs_f64() * 1000.0,
            times.last().unwrap().as_secs_f64() * 1000.0,
        );
    }
}
