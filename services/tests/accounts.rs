//! Accounts, sign-in throttling and tokens, on SQLite and PostgreSQL, with a controlled clock.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::throttle::ThrottlePolicy;
use warden_domain::{CurrentUser, Role, User};
use warden_services::{Actor, LoginError, ManualClock, ServiceError, ServiceSettings, Services};

const PASSWORD: &str = "correct horse battery";
const LOCKOUT_MS: i64 = 60_000;

/// Throttling that locks after three failures and never sleeps, so tests stay fast.
fn strict() -> ServiceSettings {
    let policy = ThrottlePolicy {
        window_ms: 600_000,
        slow_after: 100,
        base_delay_ms: 0,
        max_delay_ms: 0,
        lock_after: 3,
        lock_ms: LOCKOUT_MS,
    };
    ServiceSettings {
        account_throttle: policy,
        client_throttle: ThrottlePolicy {
            lock_after: 5,
            ..policy
        },
        ..ServiceSettings::default()
    }
}

fn services(db: &TestDb) -> (Services, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(1_700_000_000_000));
    (
        Services::new(db.store.clone(), clock.clone(), strict()),
        clock,
    )
}

/// Adds a user with the shared password, as the CLI would (setup, not the behaviour under test).
async fn add(services: &Services, email: &str, roles: &[Role]) -> User {
    services
        .add_user(&Actor::System, email, PASSWORD, roles.to_vec())
        .await
        .unwrap()
}

async fn admin(services: &Services) -> Actor {
    let user = services
        .add_user(
            &Actor::System,
            "root@example.com",
            PASSWORD,
            vec![Role::Admin],
        )
        .await
        .unwrap();
    Actor::User(CurrentUser::from(&user))
}

async fn adding_a_user_validates_and_normalises(db: TestDb) {
    let (services, _) = services(&db);
    let admin = admin(&services).await;
    let user = services
        .add_user(
            &admin,
            " Ann@Example.com ",
            PASSWORD,
            vec![Role::Finance, Role::Finance],
        )
        .await
        .unwrap();
    assert_eq!(user.email, "ann@example.com");
    assert_eq!(user.roles, vec![Role::Finance]);
    let cases = [
        ("not-an-email", PASSWORD, vec![Role::Legal]),
        ("bob@example.com", "short", vec![Role::Legal]),
        ("bob@example.com", PASSWORD, vec![]),
    ];
    for (email, password, roles) in cases {
        let err = services
            .add_user(&admin, email, password, roles)
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Invalid(_)), "{err:?}");
    }
    let err = services
        .add_user(&admin, "ann@example.com", PASSWORD, vec![Role::Cto])
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Conflict(ref m) if m.contains("already exists")),
        "{err:?}"
    );
    assert_eq!(db.store.count_users().await.unwrap(), 2);
}

async fn only_admins_manage_users(db: TestDb) {
    let (services, _) = services(&db);
    let finance = add(&services, "fin@example.com", &[Role::Finance]).await;
    let finance = Actor::User(CurrentUser::from(&finance));
    let err = services
        .add_user(&finance, "eve@example.com", PASSWORD, vec![Role::Admin])
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden(_)), "{err:?}");
    assert!(matches!(
        services.list_users(&finance).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        services
            .set_user_roles(&finance, 1, vec![Role::Admin])
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(
        db.store
            .find_user_id_by_email("eve@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

async fn the_last_enabled_admin_cannot_be_removed(db: TestDb) {
    let (services, _) = services(&db);
    let admin = admin(&services).await;
    let admin_id = admin.user_id().unwrap();
    let err = services
        .set_user_roles(&admin, admin_id, vec![Role::Finance])
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Invalid(ref m) if m.contains("last enabled admin")),
        "{err:?}"
    );
    let err = services
        .set_user_disabled(&admin, admin_id, true)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Invalid(ref m) if m.contains("your own account")),
        "{err:?}"
    );
    // Not even the CLI, which may otherwise do anything, can disable or delete the last admin.
    let err = services
        .set_user_disabled(&Actor::System, admin_id, true)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Invalid(ref m) if m.contains("last enabled admin")),
        "{err:?}"
    );
    let err = services
        .delete_user(&Actor::System, admin_id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Invalid(ref m) if m.contains("last enabled admin")),
        "{err:?}"
    );
    // With a second admin, the first may step down.
    add(&services, "second@example.com", &[Role::Admin]).await;
    let user = services
        .set_user_roles(&admin, admin_id, vec![Role::Finance])
        .await
        .unwrap();
    assert_eq!(user.roles, vec![Role::Finance]);
}

async fn guesses_sent_in_parallel_are_all_counted(db: TestDb) {
    let (services, _) = services(&db);
    add(&services, "ann@example.com", &[Role::Legal]).await;
    let guesses: Vec<_> = (0..12)
        .map(|i| {
            let services = services.clone();
            tokio::spawn(async move {
                services
                    .login(
                        "ann@example.com",
                        &format!("guess number {i}"),
                        &format!("10.9.0.{i}"),
                    )
                    .await
            })
        })
        .collect();
    let mut checked = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            Err(LoginError::Invalid) => checked += 1,
            Err(LoginError::Throttled { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    // The account locks after three failures: only three guesses reached the password check.
    assert_eq!(checked, 3);
}

async fn a_correct_sign_in_gives_the_address_its_attempt_back(db: TestDb) {
    let (services, _) = services(&db);
    add(&services, "ann@example.com", &[Role::Legal]).await;
    // Many people behind one address signing in correctly never lock that address.
    for _ in 0..10 {
        services
            .login("ann@example.com", PASSWORD, "192.0.2.50")
            .await
            .unwrap();
    }
    assert!(
        db.store
            .find_throttle("client:192.0.2.50")
            .await
            .unwrap()
            .is_none()
    );
}

async fn sign_in_checks_the_password_and_the_account(db: TestDb) {
    let (services, _) = services(&db);
    let admin = admin(&services).await;
    let ann = add(&services, "ann@example.com", &[Role::Legal]).await;
    assert_eq!(
        services
            .login("ANN@example.com", PASSWORD, "10.0.0.1")
            .await
            .unwrap()
            .user
            .id,
        ann.id
    );
    assert!(matches!(
        services
            .login("ann@example.com", "wrong password!", "10.0.0.1")
            .await,
        Err(LoginError::Invalid)
    ));
    assert!(matches!(
        services
            .login("nobody@example.com", PASSWORD, "10.0.0.1")
            .await,
        Err(LoginError::Invalid)
    ));
    let long = "x".repeat(5_000);
    assert!(matches!(
        services.login(&long, &long, "10.0.0.1").await,
        Err(LoginError::Invalid)
    ));
    services
        .set_user_disabled(&admin, ann.id, true)
        .await
        .unwrap();
    assert!(matches!(
        services
            .login("ann@example.com", PASSWORD, "10.0.0.2")
            .await,
        Err(LoginError::Disabled)
    ));
    assert!(services.session_user(ann.id, 0).await.unwrap().is_none());
}

async fn repeated_failures_lock_the_account_until_the_lockout_ends(db: TestDb) {
    let (services, clock) = services(&db);
    add(&services, "ann@example.com", &[Role::Legal]).await;
    for client in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        assert!(matches!(
            services
                .login("ann@example.com", "guess 1234567", client)
                .await,
            Err(LoginError::Invalid)
        ));
    }
    // Locked now, even with the right password and from a fresh address.
    let err = services
        .login("ann@example.com", PASSWORD, "10.0.0.9")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            LoginError::Throttled {
                retry_after_secs: 60
            }
        ),
        "{err:?}"
    );
    clock.advance(LOCKOUT_MS - 1_000);
    assert!(matches!(
        services
            .login("ann@example.com", PASSWORD, "10.0.0.9")
            .await,
        Err(LoginError::Throttled { .. })
    ));
    clock.advance(1_000);
    services
        .login("ann@example.com", PASSWORD, "10.0.0.9")
        .await
        .unwrap();
}

async fn one_address_guessing_many_accounts_is_locked_out(db: TestDb) {
    let (services, _) = services(&db);
    add(&services, "ann@example.com", &[Role::Legal]).await;
    for i in 0..5 {
        let login = format!("user{i}@example.com");
        assert!(matches!(
            services.login(&login, PASSWORD, "192.0.2.7").await,
            Err(LoginError::Invalid)
        ));
    }
    assert!(matches!(
        services
            .login("ann@example.com", PASSWORD, "192.0.2.7")
            .await,
        Err(LoginError::Throttled { .. })
    ));
    services
        .login("ann@example.com", PASSWORD, "192.0.2.8")
        .await
        .unwrap();
}

async fn the_first_admin_is_made_once(db: TestDb) {
    let (services, _) = services(&db);
    let password = services.ensure_first_admin().await.unwrap().unwrap();
    assert_eq!(password.len(), 24);
    assert!(services.ensure_first_admin().await.unwrap().is_none());
    let admin = services
        .login("admin", &password, "127.0.0.1")
        .await
        .unwrap();
    assert_eq!(admin.user.roles, vec![Role::Admin]);
}

async fn tokens_authenticate_until_revoked(db: TestDb) {
    let (services, _) = services(&db);
    let admin = admin(&services).await;
    let ann = add(&services, "ann@example.com", &[Role::Finance]).await;
    let ann_user = CurrentUser::from(&ann);
    let ann_actor = Actor::User(ann_user.clone());
    let token = services
        .create_token(&ann_actor, ann.id, "report script")
        .await
        .unwrap();
    assert!(token.secret.starts_with("wdn_") && token.secret.len() == 68);
    assert!(token.secret.starts_with(&token.info.prefix));
    assert_eq!(
        services.authenticate_token(&token.secret).await.unwrap(),
        Some(ann_user.clone())
    );
    assert_eq!(services.authenticate_token("wdn_0000").await.unwrap(), None);
    assert_eq!(
        services.authenticate_token("not a token").await.unwrap(),
        None
    );
    // Nobody makes tokens in someone else's name.
    let err = services
        .create_token(&ann_actor, admin.user_id().unwrap(), "sneaky")
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden(_)), "{err:?}");
    assert!(matches!(
        services.create_token(&ann_actor, ann.id, "  ").await,
        Err(ServiceError::Invalid(_))
    ));
    services
        .revoke_token(&ann_user, token.info.id)
        .await
        .unwrap();
    assert_eq!(
        services.authenticate_token(&token.secret).await.unwrap(),
        None
    );
}

async fn changing_ones_own_password_needs_the_current_one(db: TestDb) {
    let (services, _) = services(&db);
    let ann = add(&services, "ann@example.com", &[Role::Finance]).await;
    let ann = CurrentUser::from(&ann);
    let err = services
        .change_own_password(&ann, "not my password", "a brand new secret")
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(_)), "{err:?}");
    services
        .change_own_password(&ann, PASSWORD, "a brand new secret")
        .await
        .unwrap();
    assert!(matches!(
        services
            .login("ann@example.com", PASSWORD, "10.1.1.1")
            .await,
        Err(LoginError::Invalid)
    ));
    services
        .login("ann@example.com", "a brand new secret", "10.1.1.1")
        .await
        .unwrap();
}

async fn guessing_the_current_password_is_throttled_like_sign_in(db: TestDb) {
    let (services, clock) = services(&db);
    let ann = add(&services, "ann@example.com", &[Role::Finance]).await;
    let ann = CurrentUser::from(&ann);
    for _ in 0..3 {
        services
            .change_own_password(&ann, "a wrong guess!", "a brand new secret")
            .await
            .unwrap_err();
    }
    let err = services
        .change_own_password(&ann, PASSWORD, "a brand new secret")
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::Invalid(ref m) if m.contains("too many")),
        "{err:?}"
    );
    clock.advance(LOCKOUT_MS);
    services
        .change_own_password(&ann, PASSWORD, "a brand new secret")
        .await
        .unwrap();
}

async fn a_new_password_ends_the_sessions_made_before_it(db: TestDb) {
    let (services, _) = services(&db);
    add(&services, "ann@example.com", &[Role::Finance]).await;
    let old = services
        .login("ann@example.com", PASSWORD, "10.2.2.2")
        .await
        .unwrap();
    let ann = CurrentUser::from(&old.user);
    assert!(
        services
            .session_user(ann.id, old.session_epoch)
            .await
            .unwrap()
            .is_some()
    );
    services
        .change_own_password(&ann, PASSWORD, "a brand new secret")
        .await
        .unwrap();
    assert!(
        services
            .session_user(ann.id, old.session_epoch)
            .await
            .unwrap()
            .is_none()
    );
    let new = services
        .login("ann@example.com", "a brand new secret", "10.2.2.2")
        .await
        .unwrap();
    assert!(
        services
            .session_user(ann.id, new.session_epoch)
            .await
            .unwrap()
            .is_some()
    );
    // An admin's reset ends them too.
    services
        .set_password(&Actor::System, ann.id, "reset by the admin")
        .await
        .unwrap();
    assert!(
        services
            .session_user(ann.id, new.session_epoch)
            .await
            .unwrap()
            .is_none()
    );
}

backend_tests!(
    a_new_password_ends_the_sessions_made_before_it,
    guesses_sent_in_parallel_are_all_counted,
    a_correct_sign_in_gives_the_address_its_attempt_back,
    guessing_the_current_password_is_throttled_like_sign_in,
    adding_a_user_validates_and_normalises,
    only_admins_manage_users,
    the_last_enabled_admin_cannot_be_removed,
    sign_in_checks_the_password_and_the_account,
    repeated_failures_lock_the_account_until_the_lockout_ends,
    one_address_guessing_many_accounts_is_locked_out,
    the_first_admin_is_made_once,
    tokens_authenticate_until_revoked,
    changing_ones_own_password_needs_the_current_one,
);
