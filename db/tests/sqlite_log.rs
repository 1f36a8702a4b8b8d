//! SQLite's write-ahead log under ingest: the server's checkpoints let it start over, and
//! writers other than ingest cannot grow it without end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use warden_db::Store;
use warden_db::testing::{TestDb, new_user};
use warden_domain::Role;
use warden_domain::telemetry::{SpanId, TraceId};

fn ingest_write(commit: u32) -> warden_db::IngestWrite {
    let spans = (0..20u32)
        .map(|n| {
            let mut trace = [0u8; 16];
            trace[..4].copy_from_slice(&commit.to_be_bytes());
            trace[4..8].copy_from_slice(&n.to_be_bytes());
            trace[15] = 1;
            let mut record = warden_db::testing::span_record(
                TraceId(trace),
                SpanId([1, 0, 0, 0, 0, 0, 0, 1]),
                "support-agent",
                i64::from(commit) * 1_000_000_000,
            );
            record.span.input = Some("a customer asks where the parcel is ".repeat(30));
            record
        })
        .collect();
    warden_db::IngestWrite {
        received_at: i64::from(commit),
        spans,
        ..Default::default()
    }
}

/// Checkpoints `store` every few milliseconds while `writes` runs; the most pages the log
/// held, and the size it had each time it started over.
async fn log_under(
    store: &Store,
    writes: tokio::task::JoinHandle<()>,
    reset_after: i64,
) -> (i64, Vec<i64>) {
    let (mut most, mut last, mut restarts) = (0, 0, Vec::new());
    while !writes.is_finished() {
        let wal = store.checkpoint(reset_after).await.unwrap();
        if wal.log_pages < last {
            restarts.push(last);
        }
        last = wal.log_pages;
        most = most.max(wal.log_pages);
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    writes.await.unwrap();
    (most, restarts)
}

/// Under steady ingest, checkpoints keep SQLite's log from growing without end: past the
/// threshold the log is copied whole between two commits and the next one starts it over.
#[tokio::test]
async fn the_sqlite_log_starts_over_under_steady_ingest() {
    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let writes = tokio::spawn(async move {
        for commit in 0..300 {
            store.commit_ingest(&[ingest_write(commit)]).await.unwrap();
        }
    });
    let (most, restarts) = log_under(&db.store, writes, 64).await;
    assert!(!restarts.is_empty(), "the log only grew, to {most} pages");
    // 300 commits of 20 rows of ~1 KB write well over 1,500 pages. Without the gate the
    // log started over only through SQLite's restart, past four times the threshold; with
    // it, most restarts come before. (How far past the threshold depends on how long one
    // checkpoint's fsync takes: under disk load a single one can see hundreds of pages.)
    let by_the_gate = restarts.iter().filter(|&&pages| pages < 4 * 64).count();
    assert!(
        by_the_gate * 2 > restarts.len(),
        "the log started over at {restarts:?} pages"
    );
    assert_eq!(db.store.telemetry_counts().await.unwrap().spans, 6_000);

    if let Some(pg) = TestDb::postgres().await {
        assert_eq!(
            pg.store.checkpoint(64).await.unwrap(),
            warden_db::WalState::default()
        );
    }
}

/// Writers other than ingest do not wait for the gate; when they keep the log from being
/// copied whole, SQLite's restart bounds it.
#[tokio::test]
async fn other_writers_cannot_grow_the_sqlite_log_without_end() {
    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let writes = tokio::spawn(async move {
        for i in 0..2_000 {
            store
                .insert_user(&new_user(&format!("u{i}@example.com"), &[Role::Legal]), i)
                .await
                .unwrap();
        }
    });
    let (most, restarts) = log_under(&db.store, writes, 16).await;
    // The 2,000 commits write about 10,000 pages, and without the restart the log holds
    // them all. With it the log starts over dozens of times, but how far it grows first
    // is luck: the restart waits for a gap between the writer's transactions, polling
    // with the busy handler's sleeps, and one wait let ~3,900 pages in (of 25 runs).
    assert!(
        restarts.len() >= 5,
        "the log started over {} times, grew to {most} pages",
        restarts.len()
    );
    assert!(most < 8_000, "the log grew to {most} pages");
}
