//! Signing in and out, sessions, throttling and the page guard.

use crate::common::*;
use reqwest::StatusCode;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_services::Actor;

async fn health_and_readiness_answer(db: TestDb) {
    let app = spawn(db).await;
    let c = client();
    assert_eq!(app.get(&c, "/healthz").await.text().await.unwrap(), "ok");
    let ready = app.get(&c, "/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
}

async fn visitors_are_sent_to_sign_in_and_brought_back(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Admin]).await;
    let c = client();
    let response = app.get(&c, "/admin/users").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=/admin/users");
    assert_eq!(location(&app.get(&c, "/").await), "/login");
    let login_page = app.get(&c, "/login").await;
    assert_eq!(login_page.status(), StatusCode::OK);
    assert!(
        login_page
            .text()
            .await
            .unwrap()
            .contains("action=\"/login\"")
    );

    let response = c
        .post(format!("{}/login", app.url))
        .form(&[
            ("email", "ann@example.com"),
            ("password", PASSWORD),
            ("next", "/admin/users"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&response), "/admin/users");
    let page = app.get(&c, "/admin/users").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Add a user"));
    // A signed-in user who opens the login page goes home.
    assert_eq!(location(&app.get(&c, "/login").await), "/");
}

async fn sign_in_sets_a_hardened_cookie_and_a_new_session_each_time(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = client();
    let first = app.sign_in(&c, "ann@example.com", PASSWORD).await;
    let cookie = session_cookie(&first).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not mark the cookie Secure: {cookie}"
    );
    let second = app.sign_in(&c, "ann@example.com", PASSWORD).await;
    let rotated = session_cookie(&second).expect("a new session cookie");
    assert_ne!(cookie_pair(&cookie), cookie_pair(&rotated));
    // The replaced session is gone.
    let old = reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.url))
        .header("cookie", cookie_pair(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let me = json(app.get(&c, "/api/v1/me").await).await;
    assert_eq!(me["email"], "ann@example.com");
    assert_eq!(me["roles"], serde_json::json!(["legal"]));
}

async fn wrong_password_and_unknown_user_get_the_same_answer_and_no_session(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    for (email, password) in [
        ("ann@example.com", "wrong password 1"),
        ("who@example.com", PASSWORD),
    ] {
        let c = client();
        let response = app.sign_in(&c, email, password).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/login?error=invalid");
        assert!(session_cookie(&response).is_none());
        assert_eq!(
            app.get(&c, "/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
}

async fn signing_out_ends_the_session(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = app.signed_in("ann@example.com").await;
    assert_eq!(app.get(&c, "/api/v1/me").await.status(), StatusCode::OK);
    let out = c.post(format!("{}/logout", app.url)).send().await.unwrap();
    assert_eq!(location(&out), "/login?status=signed_out");
    assert_eq!(
        app.get(&c, "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn a_finance_user_is_refused_admin_pages_api_and_server_functions(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("fin@example.com", &[Role::Finance]).await;
    let c = app.signed_in("fin@example.com").await;
    let page = app.get(&c, "/admin/users").await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let body = page.text().await.unwrap();
    assert!(body.contains("Not for your roles"), "{body}");
    assert!(!body.contains("Add a user"));
    let api = app.get(&c, "/api/v1/users").await;
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    assert_eq!(json(api).await["code"], "forbidden");

    let path = server_fn_path::<warden_app::server_fns::AddUser>();
    let response = c
        .post(format!("{}{path}", app.url))
        .json(&serde_json::json!({"email": "eve@example.com", "password": PASSWORD, "roles": ["admin"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Forbidden"));
    assert!(!app.user_exists("eve@example.com").await);
}

async fn an_admin_adds_a_user_through_the_server_function(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("root@example.com", &[Role::Admin]).await;
    let c = app.signed_in("root@example.com").await;
    let path = server_fn_path::<warden_app::server_fns::AddUser>();
    let response = c
        .post(format!("{}{path}", app.url))
        .json(&serde_json::json!({"email": "Bob@Example.com", "password": PASSWORD, "roles": ["on_call"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{:?}",
        response.text().await
    );
    assert!(app.user_exists("bob@example.com").await);
}

async fn repeated_failures_get_429_with_retry_after_until_the_lockout_passes(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = client();
    for _ in 0..3 {
        assert_eq!(
            location(&app.sign_in(&c, "ann@example.com", "guess guess 1").await),
            "/login?error=invalid"
        );
    }
    let refused = app.sign_in(&c, "ann@example.com", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "60");
    assert!(session_cookie(&refused).is_none());
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins")
    );
    app.clock
        .advance(i64::try_from(LOCKOUT.as_millis()).unwrap());
    assert_eq!(
        location(&app.sign_in(&c, "ann@example.com", PASSWORD).await),
        "/"
    );
}

async fn a_disabled_user_loses_the_session_and_cannot_sign_in(db: TestDb) {
    let app = spawn(db).await;
    let ann = app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = app.signed_in("ann@example.com").await;
    app.services
        .set_user_disabled(&Actor::System, ann, true)
        .await
        .unwrap();
    let page = app.get(&c, "/account").await;
    assert_eq!(location(&page), "/login?error=expired&next=/account");
    // That request ended the dead session and cleared its cookie.
    assert_eq!(
        app.get(&c, "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        location(&app.get(&c, "/account").await),
        "/login?next=/account"
    );
    assert_eq!(
        location(&app.sign_in(&c, "ann@example.com", PASSWORD).await),
        "/login?error=disabled"
    );
}

async fn a_used_session_is_kept_alive_past_the_idle_timeout(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = app.signed_in("ann@example.com").await;
    // Used within five minutes of sign-in: no need to save the session again.
    let early = app.get(&c, "/api/v1/me").await;
    assert!(session_cookie(&early).is_none());
    // Later, a request re-marks the session, which renews the cookie and the stored expiry.
    app.clock.advance(301_000);
    let later = app.get(&c, "/api/v1/me").await;
    assert_eq!(later.status(), StatusCode::OK);
    let renewed = session_cookie(&later).expect("the session is renewed");
    assert!(renewed.contains("Max-Age=43200"), "{renewed}");
}

async fn a_password_change_ends_every_session_of_the_user(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let laptop = app.signed_in("ann@example.com").await;
    let phone = app.signed_in("ann@example.com").await;
    let path = server_fn_path::<warden_app::server_fns::ChangePassword>();
    let changed = laptop
        .post(format!("{}{path}", app.url))
        .json(&serde_json::json!({"current": PASSWORD, "new_password": "a brand new secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    for client in [&laptop, &phone] {
        assert_eq!(
            app.get(client, "/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let again = app
        .sign_in(&phone, "ann@example.com", "a brand new secret")
        .await;
    assert_eq!(location(&again), "/");
    assert_eq!(app.get(&phone, "/api/v1/me").await.status(), StatusCode::OK);
}

backend_tests!(
    a_password_change_ends_every_session_of_the_user,
    a_used_session_is_kept_alive_past_the_idle_timeout,
    health_and_readiness_answer,
    visitors_are_sent_to_sign_in_and_brought_back,
    sign_in_sets_a_hardened_cookie_and_a_new_session_each_time,
    wrong_password_and_unknown_user_get_the_same_answer_and_no_session,
    signing_out_ends_the_session,
    a_finance_user_is_refused_admin_pages_api_and_server_functions,
    an_admin_adds_a_user_through_the_server_function,
    repeated_failures_get_429_with_retry_after_until_the_lockout_passes,
    a_disabled_user_loses_the_session_and_cannot_sign_in,
);
