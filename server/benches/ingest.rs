//! The ingestion benchmark: the release `warden` binary on a fresh database, OTLP/HTTP
//! protobuf with gzip from the simulated fleet (PII scan on: the fleet's agents are
//! unregistered, hence scanned in real time), 4 clients sending 500-span batches as fast
//! as they are acknowledged for 60 s; at the same time a probe sends 100-span batches and
//! records their latency. Afterwards it checks that every acknowledged span is stored.
//!
//!   cargo leptos build --release
//!   cargo bench -p warden-server --bench ingest                      # SQLite
//!   TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p warden-server --bench ingest -- --postgres      # PostgreSQL
//!
//! Options: --seconds N (60), --clients N (4), --batch N (500), --max-rate N (40000: the
//! spans per second the pre-built requests last for, and the pace of the clock their spans
//! follow), --kill-after N (sends `kill -9` to the server after N seconds and checks that
//! no acknowledged span was lost).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use warden_db::testing::TestDb;
use warden_server::loadgen::{LoadReport, ServerProcess, build_bodies, run};

/// The benchmark's database: its URL and a handle for the counts afterwards.
struct Bench {
    url: String,
    store: warden_db::Store,
    _pg: Option<TestDb>,
}

struct Options {
    seconds: u64,
    clients: usize,
    batch: usize,
    postgres: bool,
    kill_after: Option<u64>,
    max_rate: usize,
}

fn options() -> Options {
    let mut o = Options {
        seconds: 60,
        clients: 4,
        batch: 500,
        postgres: false,
        kill_after: None,
        max_rate: 40_000,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match args[i].as_str() {
            "--seconds" => o.seconds = value().expect("--seconds N"),
            "--clients" => o.clients = value().expect("--clients N") as usize,
            "--batch" => o.batch = value().expect("--batch N") as usize,
            "--kill-after" => o.kill_after = Some(value().expect("--kill-after N")),
            "--max-rate" => {
                o.max_rate = value()
                    .filter(|rate| *rate > 0)
                    .expect("--max-rate SPANS_PER_S, above 0") as usize
            }
            "--postgres" => {
                o.postgres = true;
                i += 1;
                continue;
            }
            // cargo bench passes --bench; anything else is a mistake worth hearing about.
            "--bench" => {
                i += 1;
                continue;
            }
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    o
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let o = options();
    let bin = std::env::var("WARDEN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/warden")
        });
    // `cargo bench` itself rebuilds this binary as plain cargo does, which is fine here but
    // serves pages that look for `warden_bg.wasm`: run `cargo leptos build --release` again
    // before browser tests.
    assert!(
        bin.exists(),
        "{} is missing: cargo leptos build --release",
        bin.display()
    );
    // On SQLite the database is a new file that the server migrates itself, so that an
    // older build compared back to back finds no migration it does not know.
    let files = tempfile::tempdir().unwrap();
    let db = if o.postgres {
        let db = TestDb::postgres()
            .await
            .expect("set TEST_POSTGRES_URL for --postgres");
        Bench {
            url: db.url.clone(),
            store: db.store.clone(),
            _pg: Some(db),
        }
    } else {
        let url = format!("sqlite://{}/warden.db", files.path().display());
        let store = warden_db::Store::connect(&url, &warden_db::ConnectOptions::default())
            .await
            .unwrap();
        Bench {
            url,
            store,
            _pg: None,
        }
    };
    let engine = if o.postgres { "PostgreSQL" } else { "SQLite" };
    let dir = tempfile::tempdir().unwrap();
    let (mut server, key) = ServerProcess::start(&bin, &db.url, dir.path())
        .await
        .unwrap();

    // Enough unique spans for --max-rate spans/s over the whole run, built before the clock
    // starts so that the clients spend no CPU on them (they share the machine).
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let count = (o.max_rate * o.seconds as usize) / o.batch + o.clients;
    eprintln!("building {count} requests of ~{} spans…", o.batch);
    // Each request's spans end just before its place on a timeline at --max-rate, as a
    // live fleet's would; the probes' twenty a second follow the same clock.
    let step = 1_000_000_000 * o.batch as u64 / o.max_rate as u64;
    let bodies = Arc::new(build_bodies(1, count, o.batch, now, step));
    let probes = Arc::new(build_bodies(
        2,
        20 * o.seconds as usize,
        100,
        now,
        50_000_000,
    ));
    let raw: usize = bodies.iter().map(|b| b.gzipped.len()).sum();
    eprintln!(
        "{} MiB of gzip bodies; {engine}; {} clients; {} s",
        raw >> 20,
        o.clients,
        o.seconds
    );

    let stop = Arc::new(AtomicBool::new(false));
    let duration = Duration::from_secs(o.seconds);
    let load = tokio::spawn(run(
        server.url.clone(),
        key.clone(),
        bodies,
        o.clients,
        duration,
        stop.clone(),
    ));
    let probe = tokio::spawn(run(
        server.url.clone(),
        key.clone(),
        probes,
        1,
        duration,
        stop.clone(),
    ));

    let mut peak_rss = 0.0f64;
    // SQLite's write-ahead log, which checkpoints must keep from growing without end.
    let wal = db
        .url
        .strip_prefix("sqlite://")
        .map(|path| PathBuf::from(format!("{path}-wal")));
    let mut peak_wal = 0u64;
    let started = std::time::Instant::now();
    let mut killed = false;
    while !load.is_finished() {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Some((hwm, rss)) = server.memory_mib() {
            peak_rss = peak_rss.max(hwm).max(rss);
        }
        if let Some(size) = wal.as_ref().and_then(|w| std::fs::metadata(w).ok()) {
            peak_wal = peak_wal.max(size.len());
        }
        if let Some(after) = o.kill_after
            && !killed
            && started.elapsed() >= Duration::from_secs(after)
        {
            server.kill_hard().unwrap();
            killed = true;
            stop.store(true, Ordering::Relaxed);
            eprintln!("sent kill -9 to warden after {after} s");
        }
    }
    let load: LoadReport = load.await.unwrap();
    stop.store(true, Ordering::Relaxed);
    let probe: LoadReport = probe.await.unwrap();
    if !killed {
        if let Some((hwm, _)) = server.memory_mib() {
            peak_rss = peak_rss.max(hwm);
        }
        server.stop().unwrap();
    }
    let acknowledged = load.spans_acknowledged + probe.spans_acknowledged;
    let stored = db.store.telemetry_counts().await.unwrap().spans as u64;

    println!(
        "\nIngestion benchmark, {engine}, {} clients x {}-span batches, {} s",
        o.clients, o.batch, o.seconds
    );
    println!(
        "  sustained           {:>10.0} spans/s (500-span batches only)",
        load.spans_per_second()
    );
    println!(
        "  with the probe      {:>10.0} spans/s",
        acknowledged as f64 / load.elapsed.as_secs_f64()
    );
    println!(
        "  requests            {:>10} ok, {} pushed back (429/503), {} failed",
        load.requests_ok, load.pushed_back, load.failed
    );
    println!(
        "  500-span latency    p50 {:.1} ms, p99 {:.1} ms",
        ms(load.percentile(50.0)),
        ms(load.percentile(99.0))
    );
    println!(
        "  100-span latency    p50 {:.1} ms, p99 {:.1} ms ({} probes)",
        ms(probe.percentile(50.0)),
        ms(probe.percentile(99.0)),
        probe.requests_ok
    );
    println!("  peak RSS of warden  {peak_rss:>10.1} MiB");
    if wal.is_some() {
        println!(
            "  largest SQLite log  {:>10.1} MiB",
            peak_wal as f64 / 1048576.0
        );
    }
    println!("  acknowledged spans  {acknowledged:>10}");
    println!("  stored spans        {stored:>10}");
    if load.ran_out_of_bodies {
        println!("  (the pre-built requests ran out before the time was up)");
    }
    assert!(
        stored >= acknowledged,
        "LOST {} acknowledged spans",
        acknowledged - stored
    );
    println!(
        "  every acknowledged span is stored{}",
        if killed { " after kill -9" } else { "" }
    );
}
