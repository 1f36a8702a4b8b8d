//! Cost recommendations over HTTP, on SQLite and PostgreSQL, from model calls sent through
//! the native API: a retrieval agent with huge uncached contexts and failing calls, next to
//! a small chat agent; only those who may see costs get them.

use super::*;

/// gpt-4o's input at 2.50 USD per million and its cache reads at 1.25, at 0.86 EUR per USD.
const INPUT_PER_M: f64 = 2.15;
const CACHE_READ_PER_M: f64 = 1.075;

async fn post_calls(app: &TestApp, key: &str, agent: &str, spans: Vec<Value>) {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/ingest", app.url))
        .bearer_auth(key)
        .json(&serde_json::json!({"agent": agent, "spans": spans}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

/// `n` interactions of one model call each, every `fail_every`-th failing.
fn calls(
    prefix: char,
    n: u64,
    model: &str,
    input: u64,
    output: u64,
    fail_every: u64,
) -> Vec<Value> {
    (0..n)
        .flat_map(|i| {
            let trace = format!("{prefix}{:031x}", i + 1);
            let start = NOW_MS - 600_000 + i * 1_000;
            let failed = fail_every > 0 && i % fail_every == 0;
            [
                serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa1", "kind": "agent",
                    "name": "answer", "start_ms": start, "duration_ms": 900}),
                serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa2",
                    "parent_span_id": "aaaaaaaaaaaaaaa1", "kind": "llm", "name": "chat",
                    "start_ms": start + 50, "duration_ms": 800, "model": model,
                    "input_tokens": input, "output_tokens": output,
                    "status": if failed { "error" } else { "ok" }}),
            ]
        })
        .collect()
}

async fn recommendations_come_from_the_week_of_model_calls(db: TestDb) {
    let app = spawn(db).await;
    let admin = app.admin_token().await;
    let rag = app.key(KeyScope::Agent("rag-agent".into())).await;
    let chat = app.key(KeyScope::Agent("chat-agent".into())).await;
    // 20 calls of 30,000 tokens in, 200 out; every fifth fails.
    post_calls(
        &app,
        &rag,
        "rag-agent",
        calls('a', 20, "gpt-4o", 30_000, 200, 5),
    )
    .await;
    post_calls(
        &app,
        &chat,
        "chat-agent",
        calls('b', 20, "gpt-4o-mini", 500, 100, 0),
    )
    .await;

    let (status, body) = app.api(&admin, "/api/v1/recommendations").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["window_days"], 7);
    let list = body["recommendations"].as_array().unwrap();
    let kinds: Vec<&str> = list.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "oversized_context",
            "prompt_cache",
            "failed_calls",
            "dominant_agent",
            "dominant_model"
        ],
        "{body}"
    );
    assert!(
        list[..3]
            .iter()
            .all(|r| r["agent"] == "rag-agent" && r["model"] == "gpt-4o")
    );
    let saving = |kind: &str| {
        list.iter().find(|r| r["kind"] == kind).unwrap()["monthly_saving"]
            .as_f64()
            .unwrap()
    };
    let scale = 30.0 / 7.0;
    let input = 20.0 * 30_000.0 / 1e6;
    assert!(
        (saving("prompt_cache") - 0.5 * input * (INPUT_PER_M - CACHE_READ_PER_M) * scale).abs()
            < 1e-6
    );
    assert!((saving("oversized_context") - 0.5 * input * INPUT_PER_M * scale).abs() < 1e-6);
    // Four failed calls of 30,000 in and 200 out (10 USD per million out).
    let failed = 4.0 * (30_000.0 * INPUT_PER_M + 200.0 * 8.6) / 1e6;
    assert!(
        (saving("failed_calls") - failed * scale).abs() < 1e-6,
        "{body}"
    );
    assert!(
        list[3]["evidence"]
            .as_str()
            .unwrap()
            .contains("of the fleet's spend")
    );

    let owner = app.add_user("owner@example.com", &[Role::AgentOwner]).await;
    let owner = app.token_for(owner).await;
    let (status, _) = app.api(&owner, "/api/v1/recommendations").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

backend_tests!(recommendations_come_from_the_week_of_model_calls,);
