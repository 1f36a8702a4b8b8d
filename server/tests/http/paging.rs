//! Paging by e-mail end to end: a real server, a real SMTP server on loopback (aiosmtpd),
//! the ladder run in seconds by the test's clock. The mails are read from the SMTP
//! server's Maildir: each level at its time, the acknowledge link's page and its POST,
//! nobody paged after that, the resolved notice to everyone paged; and SMTP down for a
//! while losing nothing.

use crate::common::{TestApp, spawn_with};
use crate::smtp::SmtpSink;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_server::config::{EscalationConfig, LevelConfig, SmtpConfig};

fn level(after: &str, who: &str) -> LevelConfig {
    LevelConfig {
        after: after.into(),
        notify: vec![who.into()],
    }
}

async fn app_paging_to(db: TestDb, smtp: &SmtpSink) -> TestApp {
    let port = smtp.port;
    spawn_with(db, move |c| {
        c.mail.smtp = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            timeout: Duration::from_secs(3),
            ..SmtpConfig::default()
        });
        c.incidents.tick = Duration::from_millis(100);
        c.incidents.escalation = Some(EscalationConfig {
            levels: vec![
                level("0s", "on_call"),
                level("2s", "engineering_lead"),
                level("4s", "cto"),
            ],
            repeat_every: None,
        });
    })
    .await
}

/// The incident as the API gives it, with its timeline and pages.
async fn incident(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, detail) = app.api(token, &format!("/api/v1/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    detail
}

/// Opens an incident by hand over the API; its id.
async fn open(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, opened) = app
        .call(
            reqwest::Method::POST,
            "/api/v1/incidents",
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    opened["id"].as_i64().unwrap()
}

/// The acknowledge link as a browser uses it: GET shows, the form's POST acknowledges.
async fn open_link(app: &TestApp, token: &str, post: bool) -> (StatusCode, String) {
    let client = reqwest::Client::new();
    let url = format!("{}/ack/{token}", app.url);
    let request = if post {
        client.post(url).header("origin", &app.url)
    } else {
        client.get(url)
    };
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn the_ladder_pages_by_mail_and_the_link_in_the_mail_acknowledges(db: TestDb) {
    let smtp = SmtpSink::start().await;
    let app = app_paging_to(db, &smtp).await;
    let oncall = app.add_user("oncall@example.com", &[Role::OnCall]).await;
    app.add_user("lead@example.com", &[Role::EngineeringLead])
        .await;
    app.add_user("cto@example.com", &[Role::Cto]).await;
    let token = app.token_for(oncall).await;

    let id = open(
        &app,
        &token,
        json!({"title": "Checkout answers in French", "severity": "critical"}),
    )
    .await;

    let first = smtp.wait_for("oncall@example.com", 1).await.remove(0);
    assert_eq!(
        first.subject,
        format!("[Warden] TRIGGERED #{id} critical: Checkout answers in French")
    );
    assert_eq!(first.parts, ["text/plain", "text/html"]);
    assert!(
        first
            .text
            .contains("Status: triggered (level 1 of the ladder)"),
        "{}",
        first.text
    );
    assert!(first.text.contains(&format!("/incidents/{id}")));
    assert!(
        first.html.contains("<strong>Acknowledge</strong>"),
        "{}",
        first.html
    );

    // Opening the link (a mail scanner does) shows the incident and a button, and
    // acknowledges nothing.
    let (status, page) = open_link(&app, &first.ack_token(), false).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("Acknowledge incident #{id}")),
        "{page}"
    );
    let now = incident(&app, &token, id).await;
    assert_eq!(now["status"], "triggered");

    // Level 2 at 2 s.
    app.clock.advance(2_000);
    let lead = smtp.wait_for("lead@example.com", 1).await.remove(0);
    assert!(lead.text.contains("level 2 of the ladder"), "{}", lead.text);

    // The lead presses the button: acknowledged, and the CTO is never paged.
    let (status, page) = open_link(&app, &lead.ack_token(), true).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("The escalation has stopped"), "{page}");
    app.clock.advance(10_000);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        smtp.inbox().iter().all(|m| m.to != "cto@example.com"),
        "paged after the acknowledgement"
    );
    let detail = incident(&app, &token, id).await;
    assert_eq!(detail["status"], "acknowledged");
    assert_eq!(detail["acked_by"], "lead@example.com");
    let kinds: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "page_sent").count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"acknowledged"));

    // The link again is harmless; a forged one is refused.
    let (status, _) = open_link(&app, &lead.ack_token(), true).await;
    assert_eq!(status, StatusCode::OK);
    let forged = format!("{}0", lead.ack_token());
    assert_eq!(
        open_link(&app, &forged, true).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        open_link(&app, &forged, false).await.0,
        StatusCode::FORBIDDEN
    );

    // Resolving tells everyone paged.
    let (status, _) = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/incidents/{id}/resolve"),
            &token,
            Some(json!({"note": "rolled back"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for to in ["oncall@example.com", "lead@example.com"] {
        let mails = smtp.wait_for(to, 2).await;
        assert!(
            mails
                .iter()
                .any(|m| m.subject.starts_with(&format!("[Warden] RESOLVED #{id}"))),
            "{mails:?}"
        );
    }
    assert!(smtp.inbox().iter().all(|m| m.to != "cto@example.com"));
}

async fn smtp_down_for_a_while_loses_no_page(db: TestDb) {
    let mut smtp = SmtpSink::start().await;
    let port = smtp.port;
    let app = app_paging_to(db, &smtp).await;
    let oncall = app.add_user("oncall@example.com", &[Role::OnCall]).await;
    let token = app.token_for(oncall).await;
    smtp.stop();
    let id = open(&app, &token, json!({"title": "Refund agent silent"})).await;
    // The first attempt fails and says so on the timeline.
    let mut failed = false;
    for _ in 0..100 {
        let detail = incident(&app, &token, id).await;
        failed = detail["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "page_failed");
        if failed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(failed, "the failed page is on the timeline");
    // Back on the same port; the retry is due 10 s after the failure (the test's clock).
    let mut back = SmtpSink::start_on(port).await;
    app.clock.advance(11_000);
    let mails = back.wait_for("oncall@example.com", 1).await;
    assert_eq!(mails.len(), 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(back.inbox().len(), 1, "sent once");
    back.stop();
}

backend_tests!(
    the_ladder_pages_by_mail_and_the_link_in_the_mail_acknowledges,
    smtp_down_for_a_while_loses_no_page,
);
