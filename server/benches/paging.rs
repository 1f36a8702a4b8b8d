//! The paging benchmark: 1,000 incidents open at once, each paging the on-call person
//! 10 s after it opened and the engineering lead 2 s after that, delivered by the server's own pager (lettre,
//! pooled SMTP) to a real SMTP server on loopback (aiosmtpd, from the venv
//! `scripts/setup-test.sh` makes), the escalation and delivery passes run every 100 ms as
//! the jobs run them every `incidents.tick`. Reports how long each page left after its due
//! time (from the pages' `sent_at`), and what one escalation tick costs at that load.
//!
//!   cargo bench -p warden-server --bench paging                       # SQLite
//!   TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_ENGINE=postgres \
//!     cargo bench -p warden-server --bench paging                     # PostgreSQL
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The SMTP server of the paging tests, the same here.
#[path = "../tests/http/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_domain::incident::escalation::Ladder;
use warden_domain::incident::{Kind, PageStatus, Status};
use warden_domain::policy::Severity;
use warden_server::config::{MailConfig, SmtpConfig};
use warden_server::pager::Pager;
use warden_services::incidents::{Finding, IncidentSettings, Notifier};
use warden_services::{ServiceSettings, Services, SystemClock};

const INCIDENTS: usize = 1_000;

struct NullNotifier;

#[async_trait::async_trait]
impl Notifier for NullNotifier {
    fn mail_configured(&self) -> bool {
        true
    }
    async fn send_mail(&self, _: &warden_services::incidents::Mail) -> Result<(), String> {
        Ok(())
    }
    async fn post_webhook(&self, _: &str, _: &str) -> Result<(), String> {
        Ok(())
    }
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let postgres = std::env::var("BENCH_ENGINE").as_deref() == Ok("postgres");
    let db = if postgres {
        TestDb::postgres().await.expect("TEST_POSTGRES_URL")
    } else {
        TestDb::sqlite().await
    };
    let smtp = smtp::SmtpSink::start().await;
    let port = smtp.port;
    db.store
        .insert_users(
            &[
                ("oncall@example.com", Role::OnCall),
                ("lead@example.com", Role::EngineeringLead),
            ],
            0,
        )
        .await
        .unwrap();
    let ladder = Ladder::from_config(
        &[
            // Far enough ahead that all are open before the first falls due.
            ("10s".into(), vec!["on_call".into()]),
            ("12s".into(), vec!["engineering_lead".into()]),
        ],
        None,
    )
    .unwrap();
    let services = Services::new(
        db.store.clone(),
        Arc::new(SystemClock),
        ServiceSettings {
            incidents: IncidentSettings {
                ladder,
                ..IncidentSettings::default()
            },
            ..ServiceSettings::default()
        },
    );
    // BENCH_SMTP=null: a notifier that sends nothing, to tell Warden's own cost from the
    // SMTP server's.
    let null = std::env::var("BENCH_SMTP").as_deref() == Ok("null");
    let pager: Arc<dyn Notifier> = if null {
        Arc::new(NullNotifier)
    } else {
        Arc::new(
            Pager::new(
                &MailConfig {
                    smtp: Some(SmtpConfig {
                        host: "127.0.0.1".into(),
                        port,
                        ..SmtpConfig::default()
                    }),
                    ..MailConfig::default()
                },
                None,
            )
            .unwrap(),
        )
    };
    let opening = Instant::now();
    for n in 0..INCIDENTS {
        services
            .raise_incident(Finding {
                kind: Kind::Manual,
                severity: Severity::High,
                agent: None,
                rule: Some(format!("bench-{n}")),
                title: format!("bench incident {n}"),
                detail: "opened by the benchmark".into(),
            })
            .await
            .unwrap();
    }
    println!(
        "{}: {INCIDENTS} incidents opened in {:.1} s",
        if postgres { "PostgreSQL" } else { "SQLite" },
        opening.elapsed().as_secs_f64()
    );
    // The jobs' loop: escalate, deliver, every 100 ms, until both rounds are out.
    let mut ticks = Vec::new();
    let started = Instant::now();
    let mut interval = tokio::time::interval(Duration::from_millis(100));
    loop {
        interval.tick().await;
        let now = services.now();
        let t = Instant::now();
        let pass = services.escalate_due(now).await.unwrap();
        if pass.pages > 0 {
            ticks.push((pass.pages, t.elapsed()));
        }
        services
            .deliver_due_pages(pager.clone(), "bench", services.now())
            .await
            .unwrap();
        let open = db
            .store
            .list_incidents(Some(Status::Triggered), 10_000)
            .await
            .unwrap();
        let stored = db.store.incident_pages(open[0].incident.id).await.unwrap();
        if stored.len() == 2 && stored.iter().all(|p| p.status == PageStatus::Sent) {
            let mut all_sent = true;
            for i in &open {
                let pages = db.store.incident_pages(i.incident.id).await.unwrap();
                all_sent &= pages.len() == 2 && pages.iter().all(|p| p.sent_at.is_some());
            }
            if all_sent {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "pages did not all leave"
        );
    }
    let mut late: Vec<i64> = Vec::new();
    for stored in db
        .store
        .list_incidents(Some(Status::Triggered), 10_000)
        .await
        .unwrap()
    {
        let i = stored.incident;
        for page in db.store.incident_pages(i.id).await.unwrap() {
            let due = i.opened_at + if page.level == 1 { 10_000 } else { 12_000 };
            late.push(page.sent_at.unwrap() - due);
        }
    }
    late.sort_unstable();
    println!(
        "{} pages: left after their due time p50 {} ms, p99 {} ms, max {} ms",
        late.len(),
        percentile(&late, 0.5),
        percentile(&late, 0.99),
        late.last().unwrap()
    );
    for (pages, took) in ticks {
        println!(
            "escalation tick recording {pages} pages: {:.1} ms",
            took.as_secs_f64() * 1e3
        );
    }
    drop(smtp);
}
