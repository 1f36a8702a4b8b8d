//! PII and secrets: redacted before storage for real-time agents, by the scheduled scan for batch ones.

use super::*;

async fn pii_and_secrets_never_reach_the_database_for_real_time_agents(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Environment("production".into())).await;
    let answer =
        "Refund sent to jane.doe@example.com, card 4111 1111 1111 1111, order ORD-2024-001234.";
    let args = AnyValue {
        value: Some(any_value::Value::ArrayValue(ArrayValue {
            values: [
                "openclaw",
                "gateway",
                "--token",
                "oc_gw_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            ]
            .into_iter()
            .map(|a| AnyValue {
                value: Some(any_value::Value::StringValue(a.into())),
            })
            .collect(),
        })),
    };
    let resource = vec![KeyValue {
        key: "process.command_args".into(),
        value: Some(args),
        ..KeyValue::default()
    }];
    let body = request(
        "support-agent",
        resource,
        interaction("support-agent", 4, NOW_MS - 1000, answer, false),
    );
    assert_eq!(app.post_otlp(&key, &body).await.status(), StatusCode::OK);

    let token = app.admin_token().await;
    let (_, detail) = app
        .api(&token, &format!("/api/v1/traces/{}", trace_hex(4)))
        .await;
    let stored = detail.to_string();
    for raw in [
        "jane.doe@example.com",
        "4111 1111 1111 1111",
        "oc_gw_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ] {
        assert!(!stored.contains(raw), "{raw} was stored");
    }
    let llm = detail["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "llm")
        .unwrap();
    let output = llm["output"].as_str().unwrap();
    assert!(
        output.contains("[REDACTED:EMAIL]") && output.contains("[REDACTED:CREDIT_CARD]"),
        "{output}"
    );
    assert!(output.contains("ORD-2024-001234"), "{output}");
    assert_eq!(llm["redacted"], true);
    let kinds: Vec<&str> = detail["pii_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"EMAIL") && kinds.contains(&"CREDIT_CARD") && kinds.contains(&"SECRET"),
        "{kinds:?}"
    );
    let tags = detail["summary"]["tags"].as_array().unwrap();
    assert!(tags.contains(&Value::from("pii")) && tags.contains(&Value::from("secret")));

    let (_, events) = app
        .api(&token, "/api/v1/pii-events?agent=support-agent")
        .await;
    let events = events.as_array().unwrap();
    assert!(
        events.iter().any(|e| e["kind"] == "EMAIL"
            && e["field"] == "output"
            && e["trace_id"] == trace_hex(4))
    );
    assert!(!events.iter().any(|e| e.to_string().contains("jane.doe")));
}

async fn batch_agents_are_redacted_in_place_by_the_scheduled_scan(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("analytics-agent".into())).await;
    // An error trace, so the 50% sampling keeps it whatever its id.
    let body = request(
        "analytics-agent",
        vec![],
        interaction(
            "analytics-agent",
            5,
            NOW_MS - 1000,
            "Top customer: bob@example.org",
            true,
        ),
    );
    assert_eq!(app.post_otlp(&key, &body).await.status(), StatusCode::OK);
    let token = app.admin_token().await;
    let path = format!("/api/v1/traces/{}", trace_hex(5));
    let (_, before) = app.api(&token, &path).await;
    assert!(
        before.to_string().contains("bob@example.org"),
        "batch agents are stored as sent until the scan"
    );

    let scanner = app.pipeline.settings().scanner.clone();
    let scanned = app.services.run_batch_pii_scan(&scanner).await.unwrap();
    assert_eq!(scanned, 3);
    let (_, after) = app.api(&token, &path).await;
    assert!(!after.to_string().contains("bob@example.org"));
    assert!(after.to_string().contains("[REDACTED:EMAIL]"));
    assert_eq!(after["pii_events"][0]["stage"], "batch");
    assert_eq!(after["summary"]["pii_count"], 1);
    assert!(
        after["summary"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("pii"))
    );
    assert_eq!(
        app.services.run_batch_pii_scan(&scanner).await.unwrap(),
        0,
        "nothing is scanned twice"
    );
}

/// A resource repeats on every span of its service: it is stored once, and scanned in real
/// time even for batch agents (several agents may share it). Readers still see it on each
/// span, as `resource.*` attributes.
async fn a_resource_is_redacted_and_stored_once_for_all_its_spans(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("analytics-agent".into())).await;
    let resource = || {
        vec![
            s("host.name", "etl-7"),
            s("service.owner", "bob@example.org"),
        ]
    };
    // Error traces, so the 50% sampling keeps them whatever their ids.
    for trace in [6, 7] {
        let body = request(
            "analytics-agent",
            resource(),
            interaction("analytics-agent", trace, NOW_MS - 1000, "Done.", true),
        );
        assert_eq!(app.post_otlp(&key, &body).await.status(), StatusCode::OK);
    }
    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!((counts.spans, counts.resources), (6, 1));

    let token = app.admin_token().await;
    let (_, detail) = app
        .api(&token, &format!("/api/v1/traces/{}", trace_hex(7)))
        .await;
    assert!(!detail.to_string().contains("bob@example.org"));
    let spans = detail["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 3);
    for span in spans {
        assert_eq!(span["attributes"]["resource.host.name"], "etl-7");
        assert_eq!(
            span["attributes"]["resource.service.owner"],
            "[REDACTED:EMAIL]"
        );
        assert_eq!(span["redacted"], true);
    }
    let events = detail["pii_events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "one event per span: {events:?}");
    assert!(events.iter().all(|e| e["field"] == "resource.service.owner"
        && e["kind"] == "EMAIL"
        && e["stage"] == "ingest"));
    assert!(
        detail["summary"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("pii"))
    );

    // Another resource of the same service is another row.
    let body = request(
        "analytics-agent",
        vec![s("host.name", "etl-8")],
        interaction("analytics-agent", 8, NOW_MS - 1000, "Done.", true),
    );
    assert_eq!(app.post_otlp(&key, &body).await.status(), StatusCode::OK);
    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!((counts.spans, counts.resources), (9, 2));
    let (_, detail) = app
        .api(&token, &format!("/api/v1/traces/{}", trace_hex(8)))
        .await;
    assert_eq!(
        detail["spans"][0]["attributes"]["resource.host.name"],
        "etl-8"
    );
    assert!(detail["spans"][0]["attributes"]["resource.service.owner"].is_null());
}

backend_tests!(
    a_resource_is_redacted_and_stored_once_for_all_its_spans,
    pii_and_secrets_never_reach_the_database_for_real_time_agents,
    batch_agents_are_redacted_in_place_by_the_scheduled_scan,
);
