//! OTLP/HTTP: protobuf and JSON traces, metrics and logs, and the bodies that are refused.

use super::*;

async fn otlp_protobuf_spans_are_stored_attributed_and_costed(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    // The child spans do not name the agent and the service is called otherwise: they are
    // attributed through the agent span of their trace.
    let body = request(
        "support-service",
        vec![s("deployment.environment.name", "production")],
        interaction(
            "support-agent",
            1,
            NOW_MS - 60_000,
            "Your order shipped.",
            false,
        ),
    );
    let response = app.post_otlp(&key, &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/x-protobuf");
    let answer = ExportTraceServiceResponse::decode(response.bytes().await.unwrap()).unwrap();
    assert!(answer.partial_success.is_none());

    let token = app.admin_token().await;
    let (status, page) = app.api(&token, "/api/v1/traces?agent=support-agent").await;
    assert_eq!(status, StatusCode::OK);
    let traces = page["traces"].as_array().unwrap();
    assert_eq!(traces.len(), 1);
    let t = &traces[0];
    assert_eq!(t["trace_id"], trace_hex(1));
    assert_eq!(t["name"], "invoke_agent support-agent");
    assert_eq!(t["span_count"], 3);
    assert_eq!(
        (t["input_tokens"].as_i64(), t["output_tokens"].as_i64()),
        (Some(1000), Some(500))
    );
    // gpt-4o: 1000 x 2.50 + 500 x 10 = 7,500 millionths of a dollar, at 0.86 EUR per USD.
    assert_eq!(t["cost_micros"], 6450);
    assert_eq!(page["currency"], "EUR");
    let tags: Vec<&str> = t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for tag in ["agent:support-agent", "env:production", "model:gpt-4o"] {
        assert!(tags.contains(&tag), "{tag} missing from {tags:?}");
    }
    assert!(!tags.contains(&"error") && !tags.contains(&"pii"));

    let (status, detail) = app
        .api(&token, &format!("/api/v1/traces/{}", trace_hex(1)))
        .await;
    assert_eq!(status, StatusCode::OK);
    let spans = detail["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 3);
    assert!(spans.iter().all(|s| s["agent"] == "support-agent"));
    let llm = spans.iter().find(|s| s["kind"] == "llm").unwrap();
    assert_eq!(llm["model"], "gpt-4o");
    assert_eq!(llm["provider"], "openai");
    assert_eq!(llm["cost_basis"], "price:gpt-4o@2025-01-01");
    assert_eq!(llm["output"], "Your order shipped.");
    let tool = spans.iter().find(|s| s["kind"] == "tool").unwrap();
    assert_eq!(tool["tool_name"], "lookup_order");
    assert_eq!(
        tool["input"], "{\"order\": \"ORD-2024-001234\"}",
        "an order id is not PII"
    );
    assert_eq!(
        tool["attributes"]["resource.service.name"],
        "support-service"
    );

    // The same request again (an exporter retrying) does not count twice.
    assert_eq!(app.post_otlp(&key, &body).await.status(), StatusCode::OK);
    let (_, page) = app.api(&token, "/api/v1/traces?agent=support-agent").await;
    assert_eq!(page["traces"][0]["span_count"], 3);
    assert_eq!(page["traces"][0]["cost_micros"], 6450);
}

async fn otlp_json_is_accepted_with_hex_ids_and_string_integers(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("sales-agent".into())).await;
    let start = (NOW_MS - 5_000) * 1_000_000;
    let body = serde_json::json!({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "sales-agent"}}]},
        "scopeSpans": [{"spans": [{
            "traceId": "5b8efff798038103d269b633813fc60c",
            "spanId": "eee19b7ec3c1b174",
            "name": "chat claude-sonnet-4-5",
            "kind": 3,
            "startTimeUnixNano": start.to_string(),
            "endTimeUnixNano": (start + 900_000_000).to_string(),
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "claude-sonnet-4-5-20250929"}},
                {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "2000"}},
                {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 100}}
            ],
            "status": {"code": 2, "message": "overloaded"}
        }]}]
    }]});
    let response = reqwest::Client::new()
        .post(format!("{}/v1/traces", app.url))
        .bearer_auth(&key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let token = app.admin_token().await;
    let (_, detail) = app
        .api(&token, "/api/v1/traces/5b8efff798038103d269b633813fc60c")
        .await;
    let span = &detail["spans"][0];
    assert_eq!(span["usage"]["input"], 2000);
    assert_eq!(span["status"], "error");
    assert_eq!(span["status_message"], "overloaded");
    // claude-sonnet-4-5: 2000 x 3 + 100 x 15 = 7,500 -> 6,450 EUR millionths.
    assert_eq!(span["cost_micros"], 6450);
    assert!(
        detail["summary"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("error"))
    );
}

async fn bad_bodies_are_refused_and_store_nothing(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let c = reqwest::Client::new();
    let post = |body: Vec<u8>, encoding: Option<&'static str>, ctype: &'static str| {
        let mut request = c
            .post(format!("{}/v1/traces", app.url))
            .bearer_auth(&key)
            .header("content-type", ctype)
            .body(body);
        if let Some(encoding) = encoding {
            request = request.header("content-encoding", encoding);
        }
        request.send()
    };
    // A gzip bomb: 80 MiB of zeros in well under a megabyte.
    let bomb = gzip(&vec![0u8; 80 * 1024 * 1024]);
    assert!(bomb.len() < 1024 * 1024);
    let response = post(bomb, Some("gzip"), "application/x-protobuf")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A truncated protobuf: the first half of a valid request.
    let valid = request(
        "support-agent",
        vec![],
        interaction("support-agent", 3, NOW_MS, "x", false),
    )
    .encode_to_vec();
    let response = post(
        valid[..valid.len() / 2].to_vec(),
        None,
        "application/x-protobuf",
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = post(b"{\"resourceSpans\": [".to_vec(), None, "application/json")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let message = response.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("OTLP/JSON"), "{message}");

    let response = post(b"garbage".to_vec(), Some("gzip"), "application/x-protobuf")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = post(valid.clone(), Some("br"), "application/x-protobuf")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = post(valid, None, "text/plain").await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!(
        (counts.spans, counts.traces, counts.usage_minutes),
        (0, 0, 0)
    );
}

async fn otlp_metrics_and_logs_are_kept_per_agent(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Environment("production".into())).await;
    let now_ns = NOW_MS * 1_000_000;
    let mut fleet = warden_demo::Fleet::new(11);
    let c = reqwest::Client::new();
    let send = |path: &'static str, body: Vec<u8>| {
        c.post(format!("{}{path}", app.url))
            .bearer_auth(&key)
            .header("content-type", "application/x-protobuf")
            .header("content-encoding", "gzip")
            .body(gzip(&body))
            .send()
    };
    // Cumulative metrics sent twice in the same minute: the second value replaces the first.
    for _ in 0..2 {
        let metrics = warden_demo::encode(&fleet.metrics_request(now_ns));
        assert_eq!(
            send("/v1/metrics", metrics).await.unwrap().status(),
            StatusCode::OK
        );
    }
    let logs = fleet.logs_request(now_ns, 200);
    let warnings = logs
        .resource_logs
        .iter()
        .flat_map(|r| &r.scope_logs)
        .flat_map(|s| &s.log_records)
        .filter(|l| l.severity_number >= 13)
        .count();
    assert!(warnings > 0, "the fleet logs some warnings");
    assert_eq!(
        send("/v1/logs", warden_demo::encode(&logs))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let token = app.admin_token().await;
    let (status, metrics) = app
        .api(&token, "/api/v1/agents/support-agent/metrics")
        .await;
    assert_eq!(status, StatusCode::OK);
    let metrics = metrics.as_array().unwrap();
    let names: std::collections::BTreeSet<&str> = metrics
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for name in [
        "gen_ai.client.token.usage",
        "gen_ai.client.operation.duration",
        "openclaw.cost.usd",
    ] {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    let cost = metrics
        .iter()
        .find(|m| m["name"] == "openclaw.cost.usd")
        .unwrap();
    assert_eq!(cost["cumulative"], true);
    assert!(cost["value"].as_f64().unwrap() > 0.0);

    let mut events = 0;
    for profile in warden_demo::fleet() {
        let (status, list) = app
            .api(
                &token,
                &format!("/api/v1/agents/{}/events?limit=1000", profile.name),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        for e in list.as_array().unwrap() {
            assert!(e["severity_number"].as_i64().unwrap() >= 13, "{e}");
            events += 1;
        }
    }
    assert_eq!(
        events, warnings,
        "every warning-and-above record, nothing below"
    );

    // Metrics of another agent with an agent key: refused whole.
    let sales_key = app.key(KeyScope::Agent("sales-agent".into())).await;
    let only_support = fleet.metrics_request(now_ns);
    let response = c
        .post(format!("{}/v1/metrics", app.url))
        .bearer_auth(&sales_key)
        .header("content-type", "application/x-protobuf")
        .body(warden_demo::encode(&only_support))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "mixed agents: a partial success"
    );
    let answer =
        opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceResponse::decode(
            response.bytes().await.unwrap(),
        )
        .unwrap();
    assert!(answer.partial_success.unwrap().rejected_data_points > 0);
    let truncated = warden_demo::encode(&fleet.logs_request(now_ns, 5));
    let response = c
        .post(format!("{}/v1/logs", app.url))
        .bearer_auth(&key)
        .header("content-type", "application/x-protobuf")
        .body(truncated[..truncated.len() - 3].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

backend_tests!(
    otlp_protobuf_spans_are_stored_attributed_and_costed,
    otlp_json_is_accepted_with_hex_ids_and_string_integers,
    bad_bodies_are_refused_and_store_nothing,
    otlp_metrics_and_logs_are_kept_per_agent,
);
