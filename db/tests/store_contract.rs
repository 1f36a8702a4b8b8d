//! The storage contract, run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use warden_db::testing::{TestDb, new_user};
use warden_db::{AccountChange, DbError, Store, backend_tests};
use warden_domain::Role;
use warden_domain::throttle::ThrottleState;

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
