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

backend_tests!(a_killed_server_keeps_every_acknowledged_span);
