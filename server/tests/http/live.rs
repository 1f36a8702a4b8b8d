//! The incidents' live stream (server-sent events) over real HTTP: an event for each
//! change, and the end of the stream once the account behind it may no longer watch.

use crate::common::spawn_with;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use warden_db::testing::TestDb;
use warden_db::{AccountChange, backend_tests};
use warden_domain::Role;

async fn a_live_view_ends_when_its_account_is_disabled(db: TestDb) {
    let app = spawn_with(db, |c| c.incidents.tick = Duration::from_millis(100)).await;
    let admin = app.add_user("admin@example.com", &[Role::Admin]).await;
    let admin_token = app.token_for(admin).await;
    let oncall = app.add_user("oncall@example.com", &[Role::OnCall]).await;
    let token = app.token_for(oncall).await;
    let mut stream = reqwest::Client::new()
        .get(format!("{}/api/v1/incidents/events", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let open = |title: &'static str| {
        app.call(
            reqwest::Method::POST,
            "/api/v1/incidents",
            &admin_token,
            Some(json!({ "title": title })),
        )
    };
    assert_eq!(open("first").await.0, StatusCode::CREATED);
    let chunk = tokio::time::timeout(Duration::from_secs(5), stream.chunk())
        .await
        .expect("an event within 5 s")
        .unwrap()
        .expect("the stream is open");
    assert!(String::from_utf8_lossy(&chunk).contains("event: incidents"));

    app.services
        .store()
        .change_account(oncall, AccountChange::Disabled(true), 0)
        .await
        .unwrap();
    assert_eq!(open("second").await.0, StatusCode::CREATED);
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match stream.chunk().await {
                Ok(Some(chunk)) => assert!(
                    !String::from_utf8_lossy(&chunk).contains("event: incidents"),
                    "a disabled account heard of a change"
                ),
                Ok(None) | Err(_) => return,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream of a disabled account ends");
}

backend_tests!(a_live_view_ends_when_its_account_is_disabled);
