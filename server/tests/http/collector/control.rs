//! The kill switch and the inline guard over HTTP, on SQLite and PostgreSQL: who may pull
//! the switch, how an agent reads it (ETag), and what the guard decides, refusing a
//! stopped agent at once.

use super::*;
use serde_json::json;

impl TestApp {
    /// The agent's read of its control state, optionally conditional; status, ETag, body.
    async fn poll_control(&self, key: &str, etag: Option<&str>) -> (StatusCode, String, Value) {
        let mut request = reqwest::Client::new()
            .get(format!("{}/api/v1/agents/support-agent/control", self.url))
            .bearer_auth(key);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let tag = response
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, tag, response.json().await.unwrap_or(Value::Null))
    }

    async fn guard(&self, key: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, "/api/v1/guard", key, Some(body))
            .await
    }
}

async fn governed(db: TestDb) -> TestApp {
    spawn_with(db, |c| {
        let mut hr = agent("hr-screening-agent", 1.0, PiiScan::RealTime);
        hr.category = Some("high_risk".into());
        c.ingestion.agents = vec![agent("support-agent", 1.0, PiiScan::RealTime), hr];
    })
    .await
}

async fn the_switch_is_pulled_by_whom_may_and_read_by_the_agent_with_an_etag(db: TestDb) {
    let app = governed(db).await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let (status, etag, body) = app.poll_control(&key, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["state"], "running");
    let (status, _, _) = app.poll_control(&key, Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // Who may pull it: the owner (agent() makes owner@example.com the owner), not on-call.
    let on_call = app.add_user("oncall@example.com", &[Role::OnCall]).await;
    let on_call = app.token_for(on_call).await;
    let kill = json!({"state": "killed", "reason": "leaking order data"});
    let (status, _) = app
        .put_control(&on_call, "support-agent", kill.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let stranger = app.add_user("other@example.com", &[Role::AgentOwner]).await;
    let stranger = app.token_for(stranger).await;
    let (status, _) = app
        .put_control(&stranger, "support-agent", kill.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let owner = app.add_user("owner@example.com", &[Role::AgentOwner]).await;
    let owner = app.token_for(owner).await;
    let (status, body) = app
        .put_control(
            &owner,
            "support-agent",
            json!({"state": "killed", "reason": "  "}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("reason"));
    let (status, body) = app.put_control(&owner, "support-agent", kill).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["updated_by"], "owner@example.com");

    // The old ETag no longer matches: the agent sees the change on its next poll.
    let (status, _, body) = app.poll_control(&key, Some(&etag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["state"], "killed");
    assert_eq!(body["reason"], "leaking order data");
    assert!(
        body["last_read_at"].is_i64(),
        "the agent's read is recorded: {body}"
    );

    // Another agent's key may not read it; an unknown agent is not found for people.
    let other = app.key(KeyScope::Agent("hr-screening-agent".into())).await;
    let (status, _, _) = app.poll_control(&other, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.admin_token().await;
    let (status, _) = app
        .put_control(&admin, "nobody", json!({"state": "paused", "reason": "x"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_guard_allows_redacts_blocks_and_refuses_a_stopped_agent(db: TestDb) {
    let app = governed(db).await;
    let support = app.key(KeyScope::Agent("support-agent".into())).await;
    let hr = app.key(KeyScope::Agent("hr-screening-agent".into())).await;

    let (status, answer) = app
        .guard(
            &support,
            json!({"output": "Your order ORD-2024-001234 ships today."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["decision"], "allow");
    assert_eq!(answer["output"], "Your order ORD-2024-001234 ships today.");

    let (_, answer) = app
        .guard(
            &support,
            json!({"output": "Write to anna.berg@example.com", "trace_id": trace_hex(70)}),
        )
        .await;
    assert_eq!(answer["decision"], "redact");
    assert_eq!(answer["output"], "Write to [REDACTED:EMAIL]");
    assert_eq!(answer["violations"][0]["rule"], "no_pii_in_outputs");

    let (_, answer) = app
        .guard(
            &hr,
            json!({"output": "Good fit. She is probably in her fifties."}),
        )
        .await;
    assert_eq!(answer["decision"], "block");
    assert_eq!(answer["output"], "");
    assert_eq!(answer["violations"][0]["rule"], "no_age_inference");
    // Nothing wrong with it, but the HR agent is under mandatory_human_review: held.
    let (_, answer) = app
        .guard(&hr, json!({"output": "Good fit: 5 years of experience."}))
        .await;
    assert_eq!(answer["decision"], "hold");
    assert!(answer["review_id"].as_i64().is_some(), "{answer}");

    // A key speaks for its own agent only; a bad body says what is wrong.
    let (status, _) = app
        .guard(
            &support,
            json!({"output": "hi", "agent": "hr-screening-agent"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.guard(&support, json!({"text": "hi"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = app.guard("wik_0000", json!({"output": "hi"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Pulled: refused at once, whatever the output; resumed: judged again.
    let admin = app.admin_token().await;
    app.put_control(
        &admin,
        "support-agent",
        json!({"state": "paused", "reason": "incident 42"}),
    )
    .await;
    let (status, answer) = app.guard(&support, json!({"output": "hello"})).await;
    assert_eq!(status, StatusCode::LOCKED);
    assert_eq!(answer["decision"], "block");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("paused: incident 42"),
        "{answer}"
    );
    app.put_control(
        &admin,
        "support-agent",
        json!({"state": "running", "reason": "fixed"}),
    )
    .await;
    let (status, answer) = app.guard(&support, json!({"output": "hello"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["decision"], "allow");

    // What the guard found is on the violations list (written after the answer).
    let mut found = Vec::new();
    for _ in 0..50 {
        let (_, page) = app.api(&admin, "/api/v1/violations").await;
        found = page["violations"].as_array().unwrap().clone();
        if found.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let evidence: Vec<&str> = found
        .iter()
        .map(|v| v["evidence"].as_str().unwrap())
        .collect();
    assert!(
        evidence
            .iter()
            .any(|e| e.starts_with("guard (redacted): EMAIL")),
        "{evidence:?}"
    );
    assert!(
        evidence
            .iter()
            .any(|e| e.starts_with("guard (blocked): age")),
        "{evidence:?}"
    );
    assert!(
        found
            .iter()
            .any(|v| v["trace_id"] == trace_hex(70).as_str())
    );
}

/// A rate limit and a pinned version in the control state hold at the guard: over the limit
/// the agent waits for the next minute (429, Retry-After), and an agent that says it runs
/// another version than the pinned one is refused (409).
async fn the_guard_enforces_the_rate_limit_and_the_pinned_version(db: TestDb) {
    let app = governed(db).await;
    let admin = app.admin_token().await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let (status, _) = app
        .put_control(
            &admin,
            "support-agent",
            json!({"state": "running", "reason": "cost incident", "rate_limit_per_min": 2,
                   "pinned_version": "2.1.0"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Start of a minute on the test's clock, so the window is whole.
    let now = app.services.now();
    app.clock.advance(60_000 - now.rem_euclid(60_000));
    for _ in 0..2 {
        let (status, answer) = app
            .guard(&key, json!({"output": "hello", "version": "2.1.0"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    app.clock.advance(20_000);
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/guard", app.url))
        .bearer_auth(&key)
        .json(&json!({"output": "hello"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "40");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["decision"], "block");
    assert_eq!(body["code"], "rate_limited");
    app.clock.advance(40_000);
    let (status, answer) = app
        .guard(&key, json!({"output": "hello", "version": "2.0.3"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["decision"], "block");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("pinned to version 2.1.0; this is version 2.0.3"),
        "{answer}"
    );
    // An agent that does not say its version is not refused for it.
    let (status, answer) = app.guard(&key, json!({"output": "hello"})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

backend_tests!(
    the_guard_enforces_the_rate_limit_and_the_pinned_version,
    the_switch_is_pulled_by_whom_may_and_read_by_the_agent_with_an_etag,
    the_guard_allows_redacts_blocks_and_refuses_a_stopped_agent,
);
