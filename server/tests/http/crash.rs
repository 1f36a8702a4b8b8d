//! `kill -9` in the middle of a load run loses no acknowledged span: a 2xx means committed.
//! Runs the real `warden` binary against SQLite (and PostgreSQL when configured).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_server::loadgen::{ServerProcess, build_bodies, run};

async fn a_killed_server_keeps_every_acknowledged_span(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_warden"));
    let (mut server, key) = ServerProcess::start(bin, &db.url, dir.path())
        .await
        .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let bodies = Arc::new(build_bodies(7, 400, 100, now, 10_000_000));
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn(run(
        server.url.clone(),
        key,
        bodies,
        3,
        Duration::from_secs(20),
        stop.clone(),
    ));
    // Let acknowledgements accumulate, then pull the plug while requests are in flight.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill_hard().unwrap();
    let report = load.await.unwrap();
    assert!(
        report.spans_acknowledged >= 500,
        "too little load before the kill: {} spans",
        report.spans_acknowledged
    );
    assert!(report.failed > 0, "the kill did not interrupt the load");
    let stored = db.store.telemetry_counts().await.unwrap().spans as u64;
    assert!(
        stored >= report.spans_acknowledged,
        "acknowledged {} spans but only {stored} are stored",
        report.spans_acknowledged
    );
}

/// The real binary, `kill -9`ed between two levels of a ladder in seconds, with a real
/// SMTP server: after it comes back the next level is paged once, and the first is not
/// paged again (Grafana OnCall #1206: escalation never resumed after a restart).
async fn a_server_killed_between_two_levels_pages_the_next_once_after_it_is_back(db: TestDb) {
    use crate::smtp::SmtpSink;
    use std::process::{Command, Stdio};
    use warden_services::incidents::{Finding, IncidentSettings};
    use warden_services::{ServiceSettings, Services, SystemClock};

    let smtp = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("warden.yml");
    std::fs::write(
        &config,
        "incidents:\n  tick: 200ms\n  escalation:\n    levels:\n      - {after: 0s, notify: [on_call]}\n      - {after: 4s, notify: [engineering_lead]}\n",
    )
    .unwrap();
    for (email, role) in [
        ("oncall@example.com", warden_domain::Role::OnCall),
        ("lead@example.com", warden_domain::Role::EngineeringLead),
    ] {
        db.store
            .insert_user(
                &warden_db::NewUser {
                    email: email.into(),
                    password_hash: "not a hash".into(),
                    roles: vec![role],
                },
                0,
            )
            .await
            .unwrap();
    }
    let start = || {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Command::new(env!("CARGO_BIN_EXE_warden"))
            .arg("serve")
            .env("WARDEN_DATABASE_URL", &db.url)
            .env("WARDEN_LISTEN", format!("127.0.0.1:{port}"))
            .env("WARDEN_CONFIG", &config)
            .env("WARDEN_SMTP", format!("127.0.0.1:{}", smtp.port))
            .env("WARDEN_LOG", "warn")
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap()
    };
    let mut first = start();
    // The incident is opened by another process on the same database (as a replica
    // would), with the same seconds-long ladder.
    let ladder = warden_domain::incident::escalation::Ladder::from_config(
        &[
            ("0s".into(), vec!["on_call".into()]),
            ("4s".into(), vec!["engineering_lead".into()]),
        ],
        None,
    )
    .unwrap();
    let opener = Services::new(
        db.store.clone(),
        std::sync::Arc::new(SystemClock),
        ServiceSettings {
            incidents: IncidentSettings {
                ladder,
                ..IncidentSettings::default()
            },
            ..ServiceSettings::default()
        },
    );
    let opened = std::time::Instant::now();
    opener
        .raise_incident(Finding {
            kind: warden_domain::incident::Kind::Manual,
            severity: warden_domain::policy::Severity::High,
            agent: None,
            rule: Some("crash-test".into()),
            title: "checkout down".into(),
            detail: "opened by the test".into(),
        })
        .await
        .unwrap();
    smtp.wait_for("oncall@example.com", 1).await;
    first.kill().unwrap();
    first.wait().unwrap();
    // Down while level 2 falls due.
    tokio::time::sleep(Duration::from_secs(6).saturating_sub(opened.elapsed())).await;
    assert!(smtp.inbox().iter().all(|m| m.to != "lead@example.com"));
    let back = std::time::Instant::now();
    let mut second = start();
    smtp.wait_for("lead@example.com", 1).await;
    assert!(
        back.elapsed() < Duration::from_secs(10),
        "level 2 took {:?} after the restart",
        back.elapsed()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let inbox = smtp.inbox();
    let count = |to: &str| inbox.iter().filter(|m| m.to == to).count();
    assert_eq!(
        (count("oncall@example.com"), count("lead@example.com")),
        (1, 1)
    );
    second.kill().unwrap();
    second.wait().unwrap();
}

backend_tests!(
    a_killed_server_keeps_every_acknowledged_span,
    a_server_killed_between_two_levels_pages_the_next_once_after_it_is_back,
);
