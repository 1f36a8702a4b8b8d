//! Cost recommendations over HTTP, on SQLite and PostgreSQL, from model calls sent through
//! the native API: a retrieval agent with huge uncached contexts and failing calls, next to
//! a small chat agent; only those who may see costs get them. A cheaper model is named where
//! the evaluator's quality scores on both models compare.

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

/// `n` interactions that a cheap router call classifies (5 tokens out) before `model`
/// answers (2,000 in, 300 out).
fn routed(prefix: char, n: u64, model: &str) -> Vec<Value> {
    (0..n)
        .flat_map(|i| {
            let trace = format!("{prefix}{:031x}", i + 1);
            let start = NOW_MS - 600_000 + i * 1_000;
            [
                serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa1", "kind": "agent",
                    "name": "answer", "start_ms": start, "duration_ms": 900}),
                serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa2",
                    "parent_span_id": "aaaaaaaaaaaaaaa1", "kind": "llm", "name": "route",
                    "start_ms": start + 10, "duration_ms": 100, "model": "gpt-4o-mini",
                    "provider": "openai", "input_tokens": 100, "output_tokens": 5}),
                serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa3",
                    "parent_span_id": "aaaaaaaaaaaaaaa1", "kind": "llm", "name": "chat",
                    "start_ms": start + 150, "duration_ms": 700, "model": model,
                    "provider": "openai", "input_tokens": 2_000, "output_tokens": 300}),
            ]
        })
        .collect()
}

async fn a_cheaper_model_is_recommended_where_quality_scores_on_both_compare(db: TestDb) {
    let app = spawn(db).await;
    let admin = app.admin_token().await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    post_calls(&app, &key, "support-agent", routed('c', 40, "gpt-4o")).await;
    post_calls(&app, &key, "support-agent", routed('d', 40, "gpt-4o-mini")).await;
    // The evaluator: 0.85 on average for gpt-4o's answers, 0.84 for gpt-4o-mini's.
    let scores: Vec<Value> = (0..40u64)
        .flat_map(|i| {
            let high = i % 2 == 0;
            [
                serde_json::json!({"trace_id": format!("c{:031x}", i + 1), "name": "quality",
                    "value": if high { 0.9 } else { 0.8 }, "source": "evaluator"}),
                serde_json::json!({"trace_id": format!("d{:031x}", i + 1), "name": "quality",
                    "value": if high { 0.89 } else { 0.79 }, "source": "evaluator"}),
            ]
        })
        .collect();
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/scores", app.url))
        .bearer_auth(&key)
        .json(&scores)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    let (status, body) = app.api(&admin, "/api/v1/recommendations").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list = body["recommendations"].as_array().unwrap();
    let cheaper: Vec<&Value> = list
        .iter()
        .filter(|r| r["kind"] == "cheaper_model")
        .collect();
    assert_eq!(cheaper.len(), 1, "{body}");
    let r = cheaper[0];
    assert_eq!(r["agent"], "support-agent");
    assert_eq!(r["model"], "gpt-4o");
    let evidence = r["evidence"].as_str().unwrap();
    // The routers' calls did not make gpt-4o-mini the answering model of gpt-4o's traces.
    assert!(
        evidence
            .contains("quality 0.84 on gpt-4o-mini (40 scores) against 0.85 on gpt-4o (40 scores)"),
        "{evidence}"
    );
    // 40 gpt-4o calls: 2,000 x 2.50 + 300 x 10 = 0.008 USD each, x 0.86 EUR; at gpt-4o-mini's
    // prices (2,000 x 0.15 + 300 x 0.60 = 0.00048 USD) they cost 6% of that.
    let cost = 40.0 * 0.008 * 0.86;
    let expected = cost * (1.0 - 0.00048 / 0.008) * 30.0 / 7.0;
    let saving = r["monthly_saving"].as_f64().unwrap();
    assert!(
        (saving - expected).abs() < 1e-6,
        "{saving} against {expected}"
    );
}

backend_tests!(
    recommendations_come_from_the_week_of_model_calls,
    a_cheaper_model_is_recommended_where_quality_scores_on_both_compare,
);
