//! The storage contract, run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use warden_db::testing::TestDb;
use warden_db::{AccountChange, DbError, NewUser, Store, backend_tests};
use warden_domain::Role;
use warden_domain::throttle::ThrottleState;

fn new_user(email: &str, roles: &[Role]) -> NewUser {
    NewUser {
        email: email.into(),
        password_hash: "$argon2id$placeholder".into(),
        roles: roles.to_vec(),
    }
}

async fn users_are_stored_with_their_roles(db: TestDb) {
    let store = &db.store;
    let ann = store
        .insert_user(
            &new_user("ann@example.com", &[Role::Admin, Role::Finance]),
            1_000,
        )
        .await
        .unwrap();
    let bob = store
        .insert_user(&new_user("bob@example.com", &[Role::Legal]), 2_000)
        .await
        .unwrap();
    let found = store.find_user(ann.id).await.unwrap().unwrap();
    assert_eq!(found.roles, vec![Role::Admin, Role::Finance]);
    assert_eq!(found.created_at, 1_000);
    let all = store.list_users().await.unwrap();
    assert_eq!(
        all.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
        ["ann@example.com", "bob@example.com"]
    );
    assert_eq!(all[1].roles, vec![Role::Legal]);
    let credentials = store
        .find_credentials("bob@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credentials.user.id, bob.id);
    assert_eq!(credentials.password_hash, "$argon2id$placeholder");
    assert_eq!(credentials.session_epoch, 0);
    assert!(
        store
            .find_credentials("nobody@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_duplicate_email_is_a_conflict_and_changes_nothing(db: TestDb) {
    let store = &db.store;
    store
        .insert_user(&new_user("ann@example.com", &[Role::Admin]), 1)
        .await
        .unwrap();
    let err = store
        .insert_user(&new_user("ann@example.com", &[Role::Finance]), 2)
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Conflict { .. }), "{err:?}");
    assert_eq!(store.count_users().await.unwrap(), 1);
    let credentials = store
        .find_credentials("ann@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credentials.user.roles, vec![Role::Admin]);
}

async fn roles_disabling_and_deleting_update_the_user(db: TestDb) {
    let store = &db.store;
    store
        .insert_user(&new_user("root@example.com", &[Role::Admin]), 1)
        .await
        .unwrap();
    let ann = store
        .insert_user(&new_user("ann@example.com", &[Role::Admin]), 1)
        .await
        .unwrap();
    store
        .change_account(
            ann.id,
            AccountChange::Roles(&[Role::OnCall, Role::Reviewer]),
            2,
        )
        .await
        .unwrap();
    store
        .change_account(ann.id, AccountChange::Disabled(true), 3)
        .await
        .unwrap();
    let found = store.find_user(ann.id).await.unwrap().unwrap();
    assert_eq!(found.roles, vec![Role::OnCall, Role::Reviewer]);
    assert!(found.disabled);
    for change in [
        AccountChange::Roles(&[Role::Cto]),
        AccountChange::Disabled(true),
        AccountChange::Delete,
    ] {
        assert!(matches!(
            store.change_account(9_999, change, 4).await,
            Err(DbError::NotFound)
        ));
    }
    store
        .change_account(ann.id, AccountChange::Delete, 5)
        .await
        .unwrap();
    assert!(store.find_user(ann.id).await.unwrap().is_none());
}

async fn no_change_removes_the_last_enabled_admin(db: TestDb) {
    let store = &db.store;
    let ann = store
        .insert_user(&new_user("ann@example.com", &[Role::Admin]), 1)
        .await
        .unwrap();
    let bob = store
        .insert_user(&new_user("bob@example.com", &[Role::Admin, Role::Legal]), 1)
        .await
        .unwrap();
    store
        .change_account(bob.id, AccountChange::Disabled(true), 2)
        .await
        .unwrap();
    for change in [
        AccountChange::Roles(&[Role::Finance]),
        AccountChange::Disabled(true),
        AccountChange::Delete,
    ] {
        let err = store.change_account(ann.id, change, 3).await.unwrap_err();
        assert!(matches!(err, DbError::LastAdmin), "{change:?}: {err:?}");
    }
    // A disabled admin is not the one keeping the lights on: it may go.
    store
        .change_account(bob.id, AccountChange::Roles(&[Role::Legal]), 4)
        .await
        .unwrap();
    assert_eq!(
        store.find_user(ann.id).await.unwrap().unwrap().roles,
        vec![Role::Admin]
    );
}

async fn two_admins_removing_each_other_at_once_leave_one(db: TestDb) {
    let store = db.store.clone();
    let ann = store
        .insert_user(&new_user("ann@example.com", &[Role::Admin]), 1)
        .await
        .unwrap();
    let bob = store
        .insert_user(&new_user("bob@example.com", &[Role::Admin]), 1)
        .await
        .unwrap();
    let disable = |id: i64| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .change_account(id, AccountChange::Disabled(true), 2)
                .await
        })
    };
    let (a, b) = (disable(ann.id), disable(bob.id));
    let outcomes = [a.await.unwrap(), b.await.unwrap()];
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, Err(DbError::LastAdmin)))
    );
    let enabled = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| !u.disabled)
        .count();
    assert_eq!(enabled, 1);
}

async fn a_new_password_bumps_the_session_epoch(db: TestDb) {
    let store = &db.store;
    let ann = store
        .insert_user(&new_user("ann@example.com", &[Role::Legal]), 1)
        .await
        .unwrap();
    assert_eq!(store.find_session_user(ann.id).await.unwrap().unwrap().1, 0);
    assert_eq!(
        store
            .set_password_hash(ann.id, "$argon2id$new", 2)
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.find_session_user(ann.id).await.unwrap().unwrap().1, 1);
    assert!(matches!(
        store.set_password_hash(9_999, "x", 3).await,
        Err(DbError::NotFound)
    ));
}

async fn tokens_find_their_owner_until_revoked_or_the_owner_goes(db: TestDb) {
    let store = &db.store;
    let ann = store
        .insert_user(&new_user("ann@example.com", &[Role::Finance]), 1)
        .await
        .unwrap();
    let bob = store
        .insert_user(&new_user("bob@example.com", &[Role::Finance]), 1)
        .await
        .unwrap();
    let token = store
        .insert_token(ann.id, "script", "wdn_1234", "hash-a", 10)
        .await
        .unwrap();
    store
        .insert_token(bob.id, "other", "wdn_5678", "hash-b", 10)
        .await
        .unwrap();
    let owner = store
        .find_token_owner("hash-a", 100_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.id, ann.id);
    assert_eq!(
        store.list_tokens(ann.id).await.unwrap()[0].last_used_at,
        Some(100_000)
    );
    // Another user's token cannot be revoked through this user.
    assert!(matches!(
        store.revoke_token(bob.id, token.id, 200).await,
        Err(DbError::NotFound)
    ));
    store
        .change_account(ann.id, AccountChange::Disabled(true), 300)
        .await
        .unwrap();
    assert!(
        store
            .find_token_owner("hash-a", 400)
            .await
            .unwrap()
            .is_none()
    );
    store
        .change_account(ann.id, AccountChange::Disabled(false), 500)
        .await
        .unwrap();
    store.revoke_token(ann.id, token.id, 600).await.unwrap();
    assert!(
        store
            .find_token_owner("hash-a", 700)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.list_tokens(ann.id).await.unwrap()[0].revoked_at,
        Some(600)
    );
    store
        .change_account(bob.id, AccountChange::Delete, 800)
        .await
        .unwrap();
    assert!(
        store
            .find_token_owner("hash-b", 800)
            .await
            .unwrap()
            .is_none()
    );
}

async fn throttle_counters_are_updated_and_cleared(db: TestDb) {
    let store = &db.store;
    assert!(store.find_throttle("account:ann").await.unwrap().is_none());
    let bump = |s: Option<ThrottleState>| {
        Some(ThrottleState {
            failures: s.map_or(1, |s| s.failures + 1),
            window_started_at: s.map_or(5, |s| s.window_started_at),
            locked_until: None,
        })
    };
    store.update_throttle("account:ann", 5, bump).await.unwrap();
    let after = store.update_throttle("account:ann", 6, bump).await.unwrap();
    assert_eq!(after.unwrap().failures, 2);
    assert_eq!(store.find_throttle("account:ann").await.unwrap(), after);
    store.clear_throttle("account:ann").await.unwrap();
    assert!(store.find_throttle("account:ann").await.unwrap().is_none());
    // An update to nothing forgets the key.
    store.update_throttle("account:bob", 5, bump).await.unwrap();
    assert_eq!(
        store
            .update_throttle("account:bob", 6, |_| None)
            .await
            .unwrap(),
        None
    );
    assert!(store.find_throttle("account:bob").await.unwrap().is_none());
}

async fn stale_throttle_counters_are_purged_but_live_locks_kept(db: TestDb) {
    let store = &db.store;
    let state = |start, locked_until| {
        move |_| {
            Some(ThrottleState {
                failures: 3,
                window_started_at: start,
                locked_until,
            })
        }
    };
    store
        .update_throttle("old", 100, state(100, None))
        .await
        .unwrap();
    store
        .update_throttle("old-but-locked", 100, state(100, Some(10_000)))
        .await
        .unwrap();
    store
        .update_throttle("recent", 5_000, state(5_000, None))
        .await
        .unwrap();
    assert_eq!(store.delete_stale_throttles(1_000, 2_000).await.unwrap(), 1);
    assert!(store.find_throttle("old").await.unwrap().is_none());
    assert!(
        store
            .find_throttle("old-but-locked")
            .await
            .unwrap()
            .is_some()
    );
    assert!(store.find_throttle("recent").await.unwrap().is_some());
}

async fn concurrent_failures_are_all_counted(db: TestDb) {
    let store = db.store.clone();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store: Store = store.clone();
            tokio::spawn(async move {
                store
                    .update_throttle("client:10.0.0.1", 1, |s| {
                        Some(ThrottleState {
                            failures: s.map_or(1, |s| s.failures + 1),
                            window_started_at: 1,
                            locked_until: None,
                        })
                    })
                    .await
                    .unwrap()
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(
        store
            .find_throttle("client:10.0.0.1")
            .await
            .unwrap()
            .unwrap()
            .failures,
        20
    );
}

async fn the_session_store_is_created_and_the_database_answers(db: TestDb) {
    db.store.session_store().await.unwrap();
    db.store.ping().await.unwrap();
}

/// A group commit of several requests, more spans than one insert statement takes and
/// traces interleaved: each trace lists exactly its own spans (SQLite numbers them from the
/// insert's last row id, PostgreSQL returns them).
async fn a_group_commit_files_each_span_under_its_trace(db: TestDb) {
    use warden_domain::telemetry::{SpanId, TraceId};
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

/// The trace list walks indexes keyed by the start second, or for one agent the start
/// minute: within and across those keys it is newest first by start_ns, its bounds are
/// exact to the nanosecond, paging misses nothing, and a trace whose earliest span came in
/// a later commit is listed under that earlier start.
async fn the_trace_list_is_newest_first_and_bounded_to_the_nanosecond(db: TestDb) {
    use warden_domain::telemetry::{SpanId, TraceFilter, TraceId};
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
            spans.push(warden_db::testing::span_record(
                TraceId([n; 16]),
                SpanId([n; 8]),
                agent,
                start,
            ));
        }
    }
    // Oldest last in each commit, and the commits out of order too.
    spans.reverse();
    let mut late = warden_db::testing::span_record(
        TraceId([99; 16]),
        SpanId([99; 8]),
        "support-agent",
        t0 + 30 * SECOND,
    );
    late.span.parent_span_id = Some(SpanId([98; 8]));
    let late_root = warden_db::testing::span_record(
        TraceId([99; 16]),
        SpanId([98; 8]),
        "support-agent",
        t0 - 2 * SECOND,
    );
    expected.push((t0 - 2 * SECOND, "support-agent", TraceId([99; 16]).to_hex()));
    // And one whose later span comes later: its start stays.
    let early_root = warden_db::testing::span_record(
        TraceId([97; 16]),
        SpanId([97; 8]),
        "sales-agent",
        t0 - 3 * SECOND,
    );
    let mut later = warden_db::testing::span_record(
        TraceId([97; 16]),
        SpanId([96; 8]),
        "sales-agent",
        t0 + 40 * SECOND,
    );
    later.span.parent_span_id = Some(SpanId([97; 8]));
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
    use warden_domain::telemetry::{SpanId, TraceId};
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
    let span = |trace: TraceId, n: u8| {
        let mut record = warden_db::testing::span_record(trace, SpanId([n; 8]), "support-agent", 0);
        if n > 1 {
            record.span.parent_span_id = Some(SpanId([1; 8]));
        }
        record
    };
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

backend_tests!(
    users_are_stored_with_their_roles,
    a_duplicate_email_is_a_conflict_and_changes_nothing,
    roles_disabling_and_deleting_update_the_user,
    no_change_removes_the_last_enabled_admin,
    two_admins_removing_each_other_at_once_leave_one,
    a_new_password_bumps_the_session_epoch,
    tokens_find_their_owner_until_revoked_or_the_owner_goes,
    throttle_counters_are_updated_and_cleared,
    stale_throttle_counters_are_purged_but_live_locks_kept,
    concurrent_failures_are_all_counted,
    the_session_store_is_created_and_the_database_answers,
    a_group_commit_files_each_span_under_its_trace,
    the_trace_list_is_newest_first_and_bounded_to_the_nanosecond,
    a_trace_lists_the_pii_events_of_its_own_spans,
);

/// Both engines' migrations must build the same tables and columns.
#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let sqlite = TestDb::sqlite().await;
    let sqlite_columns = sqlite.store.schema_columns().await.unwrap();
    assert!(
        sqlite_columns
            .iter()
            .any(|(t, c)| t == "users" && c == "email")
    );
    assert_eq!(sqlite_columns, pg.store.schema_columns().await.unwrap());
}

fn ingest_write(commit: u32) -> warden_db::IngestWrite {
    use warden_domain::telemetry::{SpanId, TraceId};
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
