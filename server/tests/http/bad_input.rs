//! Bad input gets a clear answer and changes nothing.

use crate::common::*;
use reqwest::StatusCode;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::Role;

async fn cross_site_writes_with_a_session_are_refused(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("root@example.com", &[Role::Admin]).await;
    let c = app.signed_in("root@example.com").await;
    let add_user = server_fn_path::<warden_app::server_fns::AddUser>();
    let body =
        serde_json::json!({"email": "eve@example.com", "password": PASSWORD, "roles": ["admin"]});
    for path in [add_user, "/api/v1/users", "/logout"] {
        let response = c
            .post(format!("{}{path}", app.url))
            .header("origin", "https://evil.example")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let sneaky = c
        .post(format!("{}{add_user}", app.url))
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(sneaky.status(), StatusCode::FORBIDDEN);
    assert!(!app.user_exists("eve@example.com").await);
    // The refused logout did not end the session.
    assert_eq!(app.get(&c, "/api/v1/me").await.status(), StatusCode::OK);
    // The same request from the same origin goes through.
    let same = c
        .post(format!("{}{add_user}", app.url))
        .header("origin", &app.url)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK);
}

async fn a_forged_session_cookie_is_a_visitor(db: TestDb) {
    let app = spawn(db).await;
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for cookie in [
        "warden_session=AAAAAAAAAAAAAAAAAAAAAA",
        "warden_session=not base64 at all",
        "warden_session=",
    ] {
        let me = c
            .get(format!("{}/api/v1/me", app.url))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "{cookie}");
        let page = c
            .get(format!("{}/account", app.url))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::SEE_OTHER, "{cookie}");
    }
}

async fn malformed_sign_in_forms_are_answered_and_change_nothing(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = client();
    let login = format!("{}/login", app.url);
    let missing = c
        .post(&login)
        .form(&[("email", "ann@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&missing), "/login?error=bad_request");
    let not_utf8 = c
        .post(&login)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"email=ann%40example.com&password=\xff\xfe\xfd".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(not_utf8.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&not_utf8).starts_with("/login?error="),
        "{}",
        location(&not_utf8)
    );
    let long = "a".repeat(20_000);
    let over_long = app.sign_in(&c, &long, &long).await;
    assert_eq!(location(&over_long), "/login?error=invalid");
    let huge = c
        .post(&login)
        .form(&[("email", "a".repeat(100_000))])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.services.store().count_users().await.unwrap(),
        2,
        "the first admin and ann"
    );
    assert_eq!(app.get(&c, "/healthz").await.status(), StatusCode::OK);
}

async fn malformed_api_bodies_get_400_with_a_reason(db: TestDb) {
    let app = spawn(db).await;
    let root = app.add_user("root@example.com", &[Role::Admin]).await;
    let token = app.token_for(root).await;
    let c = reqwest::Client::new();
    let post = |body: String| {
        c.post(format!("{}/api/v1/users", app.url))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let cases = [
        ("{not json", "parse the request body as JSON"),
        (
            r#"{"email": "a@b.io", "password": "correct horse battery", "roles": ["root"]}"#,
            "unknown role `root`",
        ),
        (
            r#"{"email": "a@b.io", "password": "short", "roles": ["legal"]}"#,
            "at least 12 characters",
        ),
        (
            r#"{"email": "nope", "password": "correct horse battery", "roles": ["legal"]}"#,
            "not an e-mail",
        ),
        (
            r#"{"email": "a@b.io", "password": "correct horse battery", "roles": ["legal"], "admin": true}"#,
            "unknown field",
        ),
    ];
    for (body, reason) in cases {
        let response = post(body.to_string()).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error = json(response).await;
        assert_eq!(error["code"], "invalid_request");
        assert!(
            error["message"].as_str().unwrap().contains(reason),
            "{body}: {error}"
        );
    }
    let first = post(
        r#"{"email": "a@b.io", "password": "correct horse battery", "roles": ["legal"]}"#.into(),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = post(
        r#"{"email": "A@B.io", "password": "correct horse battery", "roles": ["cto"]}"#.into(),
    )
    .await
    .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let bad_id = c
        .delete(format!("{}/api/v1/users/abc", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.services.store().count_users().await.unwrap(), 3);
}

backend_tests!(
    cross_site_writes_with_a_session_are_refused,
    a_forged_session_cookie_is_a_visitor,
    malformed_sign_in_forms_are_answered_and_change_nothing,
    malformed_api_bodies_get_400_with_a_reason,
);
