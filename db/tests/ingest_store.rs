//! The ingest commit's storage contract, run on SQLite and on PostgreSQL: where a group
//! commit files spans and PII events, the trace list's order and bounds, concurrent commits,
//! and a commit that fails midway. SQLite's log under ingest: `sqlite_log.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use warden_db::testing::TestDb;
use warden_db::{SpanRecord, backend_tests};
use warden_domain::telemetry::{SpanId, TraceId};

/// A span of trace `[trace; 16]` with id `[span; 8]`, under `[parent; 8]` when given.
fn span(trace: u8, span: u8, agent: &str, start_ns: i64, parent: Option<u8>) -> SpanRecord {
    let mut record =
        warden_db::testing::span_record(TraceId([trace; 16]), SpanId([span; 8]), agent, start_ns);
    record.span.parent_span_id = parent.map(|p| SpanId([p; 8]));
    record
}

/// A group commit of several requests, more spans than one insert statement takes and
/// traces interleaved: each trace lists exactly its own spans (SQLite numbers them from the
/// insert's last row id, PostgreSQL returns them).
async fn a_group_commit_files_each_span_under_its_trace(db: TestDb) {
    let trace = |t: u8| TraceId([t, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    let mut expected: std::collections::BTreeMap<u8, Vec<String>> = Default::default();
    let writes: Vec<warden_db::IngestWrite> = (0..2u16)
        .map(|request| {
            let spans = (0..450u16)
                .map(|n| {
                    let t = ((n * 7 + request) % 5) as u8;
                    let [hi, lo] = (request * 1000 + n + 1).to_be_bytes();
                    let span_id = SpanId([2, 0, 0, 0, 0, 0, hi, lo]);
                    expected.entry(t).or_default().push(span_id.to_hex());
                    let mut record = warden_db::testing::span_record(
                        trace(t),
                        span_id,
                        "support-agent",
                        i64::from(n) * 1_000,
                    );
                    record.span.parent_span_id = Some(SpanId([9; 8]));
                    record
                })
                .collect();
            warden_db::IngestWrite {
                received_at: 1,
                spans,
                ..Default::default()
            }
        })
        .collect();
    db.store.commit_ingest(&writes).await.unwrap();
    for (t, mut want) in expected {
        let (summary, spans, _) = db
            .store
            .get_trace(&trace(t).to_hex())
            .await
            .unwrap()
            .unwrap();
        let mut got: Vec<String> = spans.iter().map(|s| s.span.span_id.to_hex()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "the spans of trace {t}");
        assert_eq!(summary.span_count as usize, want.len());
    }
}

/// A commit that fails midway through its span rows (after some of them were stored) leaves
/// nothing behind: no span, trace, usage or claimed request digest, so the exporter's retry
/// stores the request whole. SQLite's span insert keeps the rows before a failing one (`or
/// fail`); the commit's rollback is what undoes them.
async fn a_commit_failing_midway_stores_nothing_and_its_retry_stores_it_whole(db: TestDb) {
    let writes: Vec<warden_db::IngestWrite> = (0..2u8)
        .map(|request| {
            let spans = (0..40u8)
                .map(|n| {
                    let mut record = span(request + 1, n + 1, "support-agent", 1_000, None);
                    if request == 1 && n == 30 {
                        record.span.name = "poison".into();
                    }
                    record
                })
                .collect();
            warden_db::IngestWrite {
                received_at: 1,
                digest: Some(format!("request-{request}")),
                spans,
                usage: vec![warden_db::UsageRecord {
                    agent: "support-agent".into(),
                    minute: 0,
                    spans: 40,
                    ..Default::default()
                }],
                ..Default::default()
            }
        })
        .collect();
    db.store.poison_span_inserts("poison").await.unwrap();
    let failed = db.store.commit_ingest(&writes).await;
    assert!(failed.is_err(), "the poisoned commit succeeded: {failed:?}");
    let counts = db.store.telemetry_counts().await.unwrap();
    assert_eq!(
        (counts.spans, counts.traces, counts.usage_minutes),
        (0, 0, 0),
        "a failed commit left rows behind"
    );

    db.store.cure_span_inserts().await.unwrap();
    let retried = db.store.commit_ingest(&writes).await.unwrap();
    assert_eq!(
        (retried.spans_inserted, retried.spans_duplicate),
        (80, 0),
        "the retry was taken for a duplicate"
    );
    let counts = db.store.telemetry_counts().await.unwrap();
    assert_eq!((counts.spans, counts.traces), (80, 2));
}

/// The trace list walks indexes keyed by the start second, or for one agent the start
/// minute: within and across those keys it is newest first by start_ns, its bounds are
/// exact to the nanosecond, paging misses nothing, and a trace whose earliest span came in
/// a later commit is listed under that earlier start.
async fn the_trace_list_is_newest_first_and_bounded_to_the_nanosecond(db: TestDb) {
    use warden_domain::telemetry::TraceFilter;
    const SECOND: i64 = 1_000_000_000;
    const MINUTE: i64 = 60 * SECOND;
    let t0 = 29_407_680 * MINUTE;
    let offsets = [
        -MINUTE - 1,
        -1,
        0,
        1,
        SECOND - 1,
        SECOND,
        MINUTE - 1,
        MINUTE,
        2 * MINUTE + 5,
    ];
    let agents = ["support-agent", "sales-agent"];
    // (start_ns, agent, trace id): every start differs, so the order is total.
    let mut expected: Vec<(i64, &str, String)> = Vec::new();
    let mut spans = Vec::new();
    for (i, offset) in offsets.iter().enumerate() {
        for (j, agent) in agents.iter().enumerate() {
            let n = (i * 2 + j + 1) as u8;
            let start = t0 + offset + j as i64 * 7;
            expected.push((start, agent, TraceId([n; 16]).to_hex()));
            spans.push(span(n, n, agent, start, None));
        }
    }
    // Oldest last in each commit, and the commits out of order too.
    spans.reverse();
    let late = span(99, 99, "support-agent", t0 + 30 * SECOND, Some(98));
    let late_root = span(99, 98, "support-agent", t0 - 2 * SECOND, None);
    expected.push((t0 - 2 * SECOND, "support-agent", TraceId([99; 16]).to_hex()));
    // And one whose later span comes later: its start stays.
    let early_root = span(97, 97, "sales-agent", t0 - 3 * SECOND, None);
    let later = span(97, 96, "sales-agent", t0 + 40 * SECOND, Some(97));
    expected.push((t0 - 3 * SECOND, "sales-agent", TraceId([97; 16]).to_hex()));
    let second_half = spans.split_off(spans.len() / 2);
    for group in [
        second_half,
        vec![late, early_root],
        spans,
        vec![late_root, later],
    ] {
        let write = warden_db::IngestWrite {
            received_at: 1,
            spans: group,
            ..Default::default()
        };
        db.store.commit_ingest(&[write]).await.unwrap();
    }
    expected.sort_by_key(|e| std::cmp::Reverse(e.0));

    let list = |filter: TraceFilter| {
        let store = db.store.clone();
        async move {
            store
                .list_traces(&filter)
                .await
                .unwrap()
                .into_iter()
                .map(|t| (t.start_ns, t.trace_id))
                .collect::<Vec<_>>()
        }
    };
    let want = |agent: Option<&str>, from: i64, to: i64| -> Vec<(i64, String)> {
        expected
            .iter()
            .filter(|e| agent.is_none_or(|a| a == e.1) && e.0 >= from && e.0 < to)
            .map(|e| (e.0, e.2.clone()))
            .collect()
    };
    for agent in [None, Some("support-agent")] {
        let filter = TraceFilter {
            agent: agent.map(str::to_string),
            ..Default::default()
        };
        assert_eq!(
            list(filter.clone()).await,
            want(agent, i64::MIN, i64::MAX),
            "{agent:?}"
        );
        // Whole milliseconds: t0 is one, t0 + 1 s - 1 ns is not.
        let bounded = TraceFilter {
            from_ms: Some(t0 / 1_000_000),
            to_ms: Some((t0 + SECOND) / 1_000_000),
            ..filter.clone()
        };
        assert_eq!(
            list(bounded).await,
            want(agent, t0, t0 + SECOND),
            "{agent:?} from t0"
        );
        // One millisecond in: the key's bound alone would keep t0's traces.
        let past_t0 = TraceFilter {
            from_ms: Some(t0 / 1_000_000 + 1),
            ..filter.clone()
        };
        assert_eq!(
            list(past_t0).await,
            want(agent, t0 + 1_000_000, i64::MAX),
            "{agent:?} from t0 + 1 ms"
        );
        let earlier = TraceFilter {
            to_ms: Some(t0 / 1_000_000),
            ..filter.clone()
        };
        assert_eq!(
            list(earlier).await,
            want(agent, i64::MIN, t0),
            "{agent:?} before t0"
        );
        let mut paged = Vec::new();
        let mut before = None;
        loop {
            let page = list(TraceFilter {
                before_ns: before,
                limit: Some(3),
                ..filter.clone()
            })
            .await;
            let Some(last) = page.last() else { break };
            before = Some(last.0);
            paged.extend(page);
        }
        assert_eq!(paged, want(agent, i64::MIN, i64::MAX), "{agent:?} paged");
    }
}

/// A trace's PII events are read through its spans' rows: each trace lists exactly the
/// events of its own spans, across commits and with traces interleaved, and an event whose
/// span no commit held is still listed, by its trace id.
async fn a_trace_lists_the_pii_events_of_its_own_spans(db: TestDb) {
    let (t, u) = (TraceId([1; 16]), TraceId([2; 16]));
    let event = |trace: TraceId, span: u8, field: &str| warden_db::PiiEventRecord {
        agent: "support-agent".into(),
        trace_id: trace.to_hex(),
        span_id: SpanId([span; 8]).to_hex(),
        field: field.into(),
        kind: "EMAIL".into(),
        stage: "real-time",
        detected_at: 1,
    };
    let span =
        |trace: TraceId, n: u8| span(trace.0[0], n, "support-agent", 0, (n > 1).then_some(1));
    // Traces alternate, so a span row off by one would give an event to the other trace.
    let first = warden_db::IngestWrite {
        received_at: 1,
        spans: vec![span(t, 1), span(u, 11), span(t, 2), span(u, 12)],
        pii_events: vec![
            event(t, 1, "input"),
            event(u, 11, "input"),
            event(t, 2, "output"),
            event(u, 12, "output"),
            event(t, 9, "attributes.lost"),
        ],
        ..Default::default()
    };
    let second = warden_db::IngestWrite {
        received_at: 2,
        spans: vec![span(u, 13), span(t, 3)],
        pii_events: vec![event(t, 3, "input"), event(u, 13, "input")],
        ..Default::default()
    };
    db.store.commit_ingest(&[first]).await.unwrap();
    db.store.commit_ingest(&[second]).await.unwrap();
    for (trace, want) in [
        (
            t,
            vec![
                ("input", 1),
                ("output", 2),
                ("attributes.lost", 9),
                ("input", 3),
            ],
        ),
        (u, vec![("input", 11), ("output", 12), ("input", 13)]),
    ] {
        let (_, _, events) = db.store.get_trace(&trace.to_hex()).await.unwrap().unwrap();
        let got: Vec<(String, String)> = events
            .iter()
            .map(|e| (e.field.clone(), e.span_id.clone()))
            .collect();
        let want: Vec<(String, String)> = want
            .into_iter()
            .map(|(field, n)| (field.to_string(), SpanId([n; 8]).to_hex()))
            .collect();
        assert_eq!(
            got, want,
            "the PII events of trace {trace:?}, in the order stored"
        );
    }
}

/// Two commits that share rows, each listing them in the other's reverse order, run at
/// once, again and again: first traces (a trace sent in parts), then conversations. Each
/// commit takes the shared rows in key order, so on PostgreSQL one waits for the other
/// and neither fails with a deadlock (40P01, raised after a second). Unsorted, the two
/// deadlock only when their statements overlap in time: with 1,000 rows and six rounds of
/// each, removing either sort failed this test in 4 runs of 4 (after the trace summaries
/// became one statement on PostgreSQL too), but it depends on timing, not on a lock held.
async fn concurrent_commits_sharing_traces_or_conversations_both_succeed(db: TestDb) {
    const ROWS: u16 = 1000;
    // (round, shares traces, side): the trace of row n.
    let trace = |n: u16, round: u8, traces: bool, side: u8| {
        let [hi, lo] = n.to_be_bytes();
        let side = if traces { 0 } else { side };
        TraceId([
            hi,
            lo,
            round,
            u8::from(traces),
            side,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            7,
        ])
    };
    for round in 0..6u8 {
        for traces in [true, false] {
            let write = |side: u8| {
                let mut order: Vec<u16> = (0..ROWS).collect();
                if side == 1 {
                    order.reverse();
                }
                let spans = order
                    .iter()
                    .map(|&n| {
                        let [hi, lo] = n.to_be_bytes();
                        let mut record = warden_db::testing::span_record(
                            trace(n, round, traces, side),
                            SpanId([hi, lo, side, 0, 0, 0, 0, 1]),
                            "support-agent",
                            1_000,
                        );
                        record.span.parent_span_id = Some(SpanId([9; 8]));
                        record
                    })
                    .collect();
                let conversation_starts = if traces {
                    Vec::new()
                } else {
                    order
                        .iter()
                        .map(|&n| warden_db::ConversationStart {
                            agent: "support-agent".into(),
                            conversation_id: format!("conversation-{round}-{n}"),
                            trace_id: trace(n, round, traces, side).to_hex(),
                            started_at: 1,
                            undisclosed: None,
                        })
                        .collect()
                };
                warden_db::IngestWrite {
                    received_at: 1,
                    spans,
                    conversation_starts,
                    ..Default::default()
                }
            };
            // Each on its own worker thread, let go together.
            let start = std::sync::Arc::new(tokio::sync::Barrier::new(2));
            let commits: Vec<_> = [write(0), write(1)]
                .into_iter()
                .map(|w| {
                    let (store, start) = (db.store.clone(), start.clone());
                    tokio::spawn(async move {
                        start.wait().await;
                        store.commit_ingest(std::slice::from_ref(&w)).await
                    })
                })
                .collect();
            for commit in commits {
                commit.await.unwrap().expect("both commits succeed");
            }
            if traces {
                for n in [0, ROWS / 2, ROWS - 1] {
                    let id = trace(n, round, traces, 0).to_hex();
                    let (summary, _, _) = db.store.get_trace(&id).await.unwrap().unwrap();
                    assert_eq!(summary.span_count, 2, "trace {n} of round {round}");
                }
            }
        }
    }
}

/// An agent seen in traffic is registered once; its last-seen time moves when it is 10 s
/// old rather than on every commit (which made PostgreSQL's commits queue for the row),
/// and a time more than a minute ahead of the commit's clock is moved back.
async fn an_agents_last_seen_time_moves_only_when_stale(db: TestDb) {
    const T: i64 = 1_764_547_200_000;
    let seen_at = |received_at: i64| warden_db::IngestWrite {
        received_at,
        agents_seen: vec![("support-agent".into(), Some("production".into()))],
        ..Default::default()
    };
    let mut last_seen = Vec::new();
    for at in [T, T + 9_999, T + 10_001, T + 10_001 - 60_000, T - 120_000] {
        db.store.commit_ingest(&[seen_at(at)]).await.unwrap();
        let agents = db.store.list_agents().await.unwrap();
        let agent = agents.iter().find(|a| a.name == "support-agent").unwrap();
        assert_eq!(agent.environment.as_deref(), Some("production"));
        last_seen.push(agent.last_seen_at);
    }
    assert_eq!(
        last_seen,
        [T, T, T + 10_001, T + 10_001, T - 120_000].map(Some),
        "registered; not moved within 10 s; moved after; not moved back a minute; \
         moved back past a minute"
    );
}

/// PostgreSQL: a commit does not wait for the rows another commit in flight holds until
/// it ends (those of its agents whose last-seen time it moves, and its usage minutes).
/// Each such wait lasted the other commit's log flush, and commits then ended one after
/// the other: 750-800 ms each while a checkpoint synced (ingest benchmark). SQLite has
/// one writer and no row locks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_does_not_wait_for_the_agent_and_usage_rows_another_holds() {
    use sqlx::Connection;
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    const T: i64 = 1_764_547_200_000;
    let write = |received_at: i64| warden_db::IngestWrite {
        received_at,
        agents_seen: vec![("support-agent".into(), None)],
        usage: vec![warden_db::UsageRecord {
            agent: "support-agent".into(),
            minute: T,
            spans: 3,
            traces: 1,
            errors: 0,
            llm_calls: 1,
            input_tokens: 10,
            output_tokens: 20,
            cost_micros: 7,
            trace_duration_ns: 1_000,
            sampled_out: 0,
            ..Default::default()
        }],
        ..Default::default()
    };
    db.store.commit_ingest(&[write(T)]).await.unwrap();

    // Another commit in flight: it holds a usage shard, and the rows it has written.
    let in_flight = db.store.hold_usage_shard();
    let mut other = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let mut other_tx = other.begin().await.unwrap();
    for lock in [
        "select 1 from agents where name = 'support-agent' for update",
        "select 1 from usage_minutes where agent = 'support-agent' for update",
    ] {
        sqlx::query(lock).execute(&mut *other_tx).await.unwrap();
    }

    // This one finds the agent stale and adds to the same minute.
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        db.store.commit_ingest(&[write(T + 20_000)]),
    )
    .await
    .expect("the commit waited for rows the other commit holds")
    .unwrap();
    other_tx.rollback().await.unwrap();
    drop(in_flight);

    let totals = db.store.usage_totals("support-agent").await.unwrap();
    assert_eq!(
        (totals.spans, totals.cost_micros),
        (6, 14),
        "both commits counted"
    );
    let last_seen = || async {
        let agents = db.store.list_agents().await.unwrap();
        agents
            .iter()
            .find(|a| a.name == "support-agent")
            .unwrap()
            .last_seen_at
    };
    assert_eq!(last_seen().await, Some(T), "left to the commit holding it");
    db.store.commit_ingest(&[write(T + 20_001)]).await.unwrap();
    assert_eq!(
        last_seen().await,
        Some(T + 20_001),
        "moved by the next commit"
    );
}

backend_tests!(
    a_group_commit_files_each_span_under_its_trace,
    the_trace_list_is_newest_first_and_bounded_to_the_nanosecond,
    a_trace_lists_the_pii_events_of_its_own_spans,
    concurrent_commits_sharing_traces_or_conversations_both_succeed,
    an_agents_last_seen_time_moves_only_when_stale,
    a_commit_failing_midway_stores_nothing_and_its_retry_stores_it_whole,
);
