//! Trace search: filters and paging.

use super::*;

async fn trace_search_filters_by_agent_status_tag_model_and_text(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Environment("production".into())).await;
    let mut spans = interaction(
        "support-agent",
        20,
        NOW_MS - 3_600_000 * 30,
        "Your parcel left the depot",
        false,
    );
    spans.extend(interaction(
        "support-agent",
        21,
        NOW_MS - 60_000,
        "We cannot refund this",
        true,
    ));
    assert_eq!(
        app.post_otlp(&key, &request("support-agent", vec![], spans))
            .await
            .status(),
        StatusCode::OK
    );
    let sales = interaction(
        "sales-agent",
        22,
        NOW_MS - 30_000,
        "Here is the quote",
        false,
    );
    assert_eq!(
        app.post_otlp(&key, &request("sales-agent", vec![], sales))
            .await
            .status(),
        StatusCode::OK
    );
    let token = app.admin_token().await;
    let ids = |v: &Value| -> Vec<String> {
        v["traces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["trace_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, all) = app.api(&token, "/api/v1/traces").await;
    assert_eq!(
        ids(&all),
        [trace_hex(22), trace_hex(21), trace_hex(20)],
        "newest first"
    );
    let (_, errors) = app.api(&token, "/api/v1/traces?status=error").await;
    assert_eq!(ids(&errors), [trace_hex(21)]);
    let (_, tagged) = app
        .api(&token, "/api/v1/traces?tag=agent:sales-agent")
        .await;
    assert_eq!(ids(&tagged), [trace_hex(22)]);
    let (_, text) = app.api(&token, "/api/v1/traces?q=PARCEL").await;
    assert_eq!(
        ids(&text),
        [trace_hex(20)],
        "text search is case-insensitive"
    );
    let (_, recent) = app
        .api(
            &token,
            &format!("/api/v1/traces?from={}", NOW_MS - 3_600_000),
        )
        .await;
    assert_eq!(ids(&recent), [trace_hex(22), trace_hex(21)]);
    let (_, model) = app
        .api(&token, "/api/v1/traces?model=gpt-4o&agent=support-agent")
        .await;
    assert_eq!(ids(&model).len(), 2);
    let (_, none) = app.api(&token, "/api/v1/traces?q=100%25").await;
    assert!(
        ids(&none).is_empty(),
        "LIKE wildcards in the search are literal"
    );
    let (_, page) = app.api(&token, "/api/v1/traces?limit=2").await;
    let before = page["next_before"].as_i64().unwrap();
    let (_, rest) = app
        .api(&token, &format!("/api/v1/traces?limit=2&before={before}"))
        .await;
    assert_eq!(ids(&rest), [trace_hex(20)]);
    let (status, _) = app.api(&token, "/api/v1/traces?status=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

backend_tests!(trace_search_filters_by_agent_status_tag_model_and_text,);
