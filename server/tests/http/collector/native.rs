//! The native JSON batch API.

use super::*;

async fn the_native_batch_api_takes_plain_json(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("billing-bot".into())).await;
    let c = reqwest::Client::new();
    let post = |body: Value| {
        c.post(format!("{}/api/v1/ingest", app.url))
            .bearer_auth(&key)
            .json(&body)
            .send()
    };
    let ok = post(serde_json::json!({
        "agent": "billing-bot",
        "environment": "production",
        "spans": [
            {"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331",
             "name": "answer invoice question", "start_ms": NOW_MS - 4000, "duration_ms": 1800,
             "input": "Why was I charged twice?", "output": "The second charge is a hold."},
            {"trace_id": "0af7651916cd43dd8448eb211c80319c", "parent_span_id": "b7ad6b7169203331",
             "name": "chat", "start_ms": NOW_MS - 3900, "duration_ms": 900,
             "model": "gpt-4o-mini", "input_tokens": 812, "output_tokens": 95, "cost_usd": 0.002}
        ]
    }))
    .await
    .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.json::<Value>().await.unwrap()["accepted"], 2);
    let token = app.admin_token().await;
    let (_, detail) = app
        .api(&token, "/api/v1/traces/0af7651916cd43dd8448eb211c80319c")
        .await;
    assert_eq!(detail["summary"]["name"], "answer invoice question");
    assert_eq!(detail["summary"]["span_count"], 2);
    // The reported cost wins: 0.002 USD x 0.86.
    assert_eq!(detail["summary"]["cost_micros"], 1720);
    assert_eq!(detail["spans"][1]["kind"], "llm");

    let bad = post(serde_json::json!({"agent": "billing-bot", "spans": [
        {"trace_id": "0af7651916cd43dd8448eb211c80319d", "name": "ok", "start_ms": NOW_MS},
        {"trace_id": "xyz", "name": "broken", "start_ms": NOW_MS}
    ]}))
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let message = bad.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("spans[1]") && message.contains("trace_id"),
        "{message}"
    );
    let unknown_field = post(serde_json::json!({"agent": "billing-bot", "spans": [
        {"trace_id": "0af7651916cd43dd8448eb211c80319d", "name": "x", "start_ms": NOW_MS, "tokens": 5}
    ]}))
    .await
    .unwrap();
    assert_eq!(unknown_field.status(), StatusCode::BAD_REQUEST);
    let (_, missing) = app
        .api(&token, "/api/v1/traces/0af7651916cd43dd8448eb211c80319d")
        .await;
    assert_eq!(
        missing["code"], "not_found",
        "nothing of a refused batch is stored"
    );
}

backend_tests!(the_native_batch_api_takes_plain_json,);
