//! Control webhooks over HTTP, on SQLite and PostgreSQL, against a real receiver on
//! loopback: registered by the agent with its key, every switch delivered signed
//! (HMAC-SHA256 over timestamp and body), pinged, and an answered delivery counting as a read
//! of the control state; a failing receiver is recorded after the retries.

use super::*;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// What the receiver got: event, timestamp, signature, body.
type Received = Arc<Mutex<Vec<(String, String, String, String)>>>;

struct Receiver {
    url: String,
    received: Received,
    status: Arc<AtomicU16>,
}

async fn receiver() -> Receiver {
    let received: Received = Arc::default();
    let status = Arc::new(AtomicU16::new(200));
    let (got, answer) = (received.clone(), status.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let got = got.clone();
            let answer = answer.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default()
                };
                got.lock().unwrap().push((
                    header("warden-event"),
                    header("warden-timestamp"),
                    header("warden-signature"),
                    body,
                ));
                axum::http::StatusCode::from_u16(answer.load(Ordering::SeqCst)).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver {
        url,
        received,
        status,
    }
}

impl Receiver {
    /// Waits up to 5 s for a delivery of `event`.
    async fn next(&self, event: &str, seen: usize) -> (String, String, String, String) {
        for _ in 0..250 {
            if let Some(found) = self
                .received
                .lock()
                .unwrap()
                .iter()
                .skip(seen)
                .find(|r| r.0 == event)
                .cloned()
            {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("no {event} delivery within 5 s");
    }
}

/// The support agent's webhook's last delivery error once `settled` accepts it, or what it
/// was after six seconds ("" for none).
async fn last_error(app: &TestApp, key: &str, settled: impl Fn(&str) -> bool) -> String {
    let path = "/api/v1/agents/support-agent/webhook";
    let mut error = String::new();
    for _ in 0..300 {
        let (_, shown) = app.call(reqwest::Method::GET, path, key, None).await;
        if let Some(shown) = shown["last_error"].as_str() {
            error = shown.to_string();
            if settled(&error) {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    error
}

fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

async fn a_switch_is_delivered_signed_and_an_answered_delivery_counts_as_a_read(db: TestDb) {
    let app = spawn_with(db, |c| {
        c.ingestion.agents = vec![
            agent("support-agent", 1.0, PiiScan::RealTime),
            agent("billing-agent", 1.0, PiiScan::RealTime),
        ];
        // Pings every second; the receiver is on loopback.
        c.governance.control_read_window = std::time::Duration::from_secs(2);
        c.governance.webhook_private_networks = true;
    })
    .await;
    let hook = receiver().await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let other = app.key(KeyScope::Agent("billing-agent".into())).await;
    let path = "/api/v1/agents/support-agent/webhook";

    // Bad input and strangers are refused.
    let (status, body) = app
        .call(
            reqwest::Method::PUT,
            path,
            &key,
            Some(json!({"url": "ftp://x"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = app
        .call(
            reqwest::Method::PUT,
            path,
            &other,
            Some(json!({"url": hook.url})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let on_call = app.add_user("oncall@example.com", &[Role::OnCall]).await;
    let on_call = app.token_for(on_call).await;
    let (status, _) = app
        .call(
            reqwest::Method::PUT,
            path,
            &on_call,
            Some(json!({"url": hook.url})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, registered) = app
        .call(
            reqwest::Method::PUT,
            path,
            &key,
            Some(json!({"url": hook.url})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{registered}");
    let secret = registered["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{registered}");

    // A switch pulled by a person reaches the agent, signed.
    let admin = app.admin_token().await;
    let seen = hook.received.lock().unwrap().len();
    let (status, _) = app
        .put_control(
            &admin,
            "support-agent",
            json!({"state": "killed", "reason": "leak"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, timestamp, signed, body) = hook.next("control.changed", seen).await;
    assert_eq!(signed, signature(&secret, &timestamp, &body));
    assert_ne!(signed, signature("whsec_other", &timestamp, &body));
    let delivered: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(delivered["control"]["state"], "killed");
    assert_eq!(delivered["control"]["reason"], "leak");
    assert_eq!(timestamp, (app.services.now() / 1000).to_string());

    // The agent answered: that is a read of its control state, and it is recorded.
    let mut read = Value::Null;
    for _ in 0..100 {
        let (_, control) = app
            .api(&admin, "/api/v1/agents/support-agent/control")
            .await;
        read = control["last_read_at"].clone();
        if !read.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(read.is_i64(), "no read recorded");
    let (_, shown) = app.call(reqwest::Method::GET, path, &key, None).await;
    assert!(shown["last_ok_at"].is_i64(), "{shown}");
    assert!(shown.get("secret").is_none(), "{shown}");

    // Pinged each half window.
    let (_, _, signed, body) = hook.next("ping", 0).await;
    assert!(signed.starts_with("v1="), "{body}");

    // A receiver that fails is recorded as failing, after the retries.
    hook.status.store(500, Ordering::SeqCst);
    app.put_control(
        &admin,
        "support-agent",
        json!({"state": "running", "reason": "fixed"}),
    )
    .await;
    let error = last_error(&app, &key, |e| e.contains("500")).await;
    assert!(error.contains("500"), "{error}");

    let (status, _) = app.call(reqwest::Method::DELETE, path, &key, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.call(reqwest::Method::GET, path, &key, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, audit) = app.api(&admin, "/api/v1/audit?action=webhook").await;
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["webhook.delete", "webhook.set"]);
}

/// A webhook URL comes from whoever holds an ingest key: by default Warden will not be
/// pointed at its own host or a private network.
async fn a_webhook_on_a_private_address_is_not_called_by_default(db: TestDb) {
    let app = spawn_with(db, |c| {
        c.ingestion.agents = vec![agent("support-agent", 1.0, PiiScan::RealTime)];
    })
    .await;
    let hook = receiver().await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let path = "/api/v1/agents/support-agent/webhook";
    app.call(
        reqwest::Method::PUT,
        path,
        &key,
        Some(json!({"url": hook.url})),
    )
    .await;
    let admin = app.admin_token().await;
    app.put_control(
        &admin,
        "support-agent",
        json!({"state": "paused", "reason": "drill"}),
    )
    .await;
    let error = last_error(&app, &key, |_| true).await;
    assert!(error.contains("not a public one"), "{error}");
    assert!(hook.received.lock().unwrap().is_empty());
}

backend_tests!(
    a_switch_is_delivered_signed_and_an_answered_delivery_counts_as_a_read,
    a_webhook_on_a_private_address_is_not_called_by_default,
);
