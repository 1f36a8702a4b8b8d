//! The trace collector over HTTP: OTLP protobuf and JSON, gzip, the native batch API,
//! ingest keys and their scope, bad bodies, PII redaction, sampling and cost.

use crate::common::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, ArrayValue, KeyValue, any_value};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{
    ResourceSpans, ScopeSpans, Span, Status, span, status,
};
use prost::Message;
use reqwest::StatusCode;
use serde_json::Value;
use std::io::Write;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_domain::telemetry::KeyScope;
use warden_server::config::{AgentConfig, PiiScan};
use warden_services::Actor;

fn kv(key: &str, value: any_value::Value) -> KeyValue {
    KeyValue {
        key: key.into(),
        value: Some(AnyValue { value: Some(value) }),
        ..KeyValue::default()
    }
}

fn s(key: &str, value: &str) -> KeyValue {
    kv(key, any_value::Value::StringValue(value.into()))
}

fn i(key: &str, value: i64) -> KeyValue {
    kv(key, any_value::Value::IntValue(value))
}

/// A span of trace `trace` (its number), child of `parent` (span numbers).
struct Spec<'a> {
    trace: u64,
    span: u64,
    parent: Option<u64>,
    name: &'a str,
    start_ms: u64,
    dur_ms: u64,
    attrs: Vec<KeyValue>,
    error: bool,
}

fn trace_bytes(n: u64) -> Vec<u8> {
    let mut b = vec![0u8; 16];
    b[..8].copy_from_slice(&0x5eed_0000_0000_0000u64.to_be_bytes());
    b[8..].copy_from_slice(&(n + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    b
}

fn span_bytes(trace: u64, n: u64) -> Vec<u8> {
    ((trace << 16) | (n + 1)).to_be_bytes().to_vec()
}

fn trace_hex(n: u64) -> String {
    hex::encode(trace_bytes(n))
}

fn otlp_span(spec: Spec) -> Span {
    Span {
        trace_id: trace_bytes(spec.trace),
        span_id: span_bytes(spec.trace, spec.span),
        parent_span_id: spec
            .parent
            .map(|p| span_bytes(spec.trace, p))
            .unwrap_or_default(),
        name: spec.name.into(),
        kind: span::SpanKind::Internal as i32,
        start_time_unix_nano: spec.start_ms * 1_000_000,
        end_time_unix_nano: (spec.start_ms + spec.dur_ms) * 1_000_000,
        attributes: spec.attrs,
        status: spec.error.then(|| Status {
            code: status::StatusCode::Error as i32,
            message: "upstream timed out".into(),
        }),
        ..Span::default()
    }
}

fn request(service: &str, resource: Vec<KeyValue>, spans: Vec<Span>) -> ExportTraceServiceRequest {
    let mut attributes = vec![s("service.name", service)];
    attributes.extend(resource);
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes,
                ..Resource::default()
            }),
            scope_spans: vec![ScopeSpans {
                spans,
                ..ScopeSpans::default()
            }],
            ..ResourceSpans::default()
        }],
    }
}

/// One interaction of `agent`: an agent span, a chat call on gpt-4o (1000 in, 500 out)
/// and a tool call; `output` is the model's answer.
fn interaction(agent: &str, trace: u64, start_ms: u64, output: &str, error: bool) -> Vec<Span> {
    vec![
        otlp_span(Spec {
            trace,
            span: 0,
            parent: None,
            name: &format!("invoke_agent {agent}"),
            start_ms,
            dur_ms: 2000,
            attrs: vec![
                s("gen_ai.operation.name", "invoke_agent"),
                s("gen_ai.agent.name", agent),
                s("gen_ai.conversation.id", "conv-1"),
            ],
            error,
        }),
        otlp_span(Spec {
            trace,
            span: 1,
            parent: Some(0),
            name: "chat gpt-4o",
            start_ms: start_ms + 100,
            dur_ms: 1200,
            attrs: vec![
                s("gen_ai.operation.name", "chat"),
                s("gen_ai.provider.name", "openai"),
                s("gen_ai.request.model", "gpt-4o"),
                i("gen_ai.usage.input_tokens", 1000),
                i("gen_ai.usage.output_tokens", 500),
                s("gen_ai.output.messages", output),
            ],
            error,
        }),
        otlp_span(Spec {
            trace,
            span: 2,
            parent: Some(0),
            name: "execute_tool lookup_order",
            start_ms: start_ms + 1400,
            dur_ms: 300,
            attrs: vec![
                s("gen_ai.operation.name", "execute_tool"),
                s("gen_ai.tool.name", "lookup_order"),
                s(
                    "gen_ai.tool.call.arguments",
                    "{\"order\": \"ORD-2024-001234\"}",
                ),
            ],
            error: false,
        }),
    ]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The test clock's now, in ms: spans start shortly before it.
const NOW_MS: u64 = 1_800_000_000_000;

impl TestApp {
    async fn key(&self, scope: KeyScope) -> String {
        self.services
            .create_ingest_key(&Actor::System, "test", scope)
            .await
            .unwrap()
            .secret
    }

    async fn post_otlp(&self, key: &str, body: &ExportTraceServiceRequest) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!("{}/v1/traces", self.url))
            .bearer_auth(key)
            .header("content-type", "application/x-protobuf")
            .header("content-encoding", "gzip")
            .body(gzip(&body.encode_to_vec()))
            .send()
            .await
            .unwrap()
    }

    async fn admin_token(&self) -> String {
        let id = self.add_user("admin@example.com", &[Role::Admin]).await;
        self.token_for(id).await
    }

    async fn api(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn agent(name: &str, rate: f64, scan: PiiScan) -> AgentConfig {
    AgentConfig {
        name: name.into(),
        sdk: Some("python".into()),
        sample_rate: rate,
        pii_scan: scan,
        owner: Some("owner@example.com".into()),
        category: Some("customer_facing".into()),
        environment: Some("production".into()),
        policy: None,
        description: None,
    }
}

async fn fleet_app(db: TestDb) -> TestApp {
    spawn_with(db, |c| {
        c.ingestion.agents = vec![
            agent("support-agent", 1.0, PiiScan::RealTime),
            agent("sales-agent", 1.0, PiiScan::RealTime),
            agent("analytics-agent", 0.5, PiiScan::Batch),
        ];
    })
    .await
}

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

async fn an_agent_key_writes_only_its_agent(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let foreign = request(
        "sales-agent",
        vec![],
        interaction("sales-agent", 7, NOW_MS - 1000, "hi", false),
    );
    let response = app.post_otlp(&key, &foreign).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!(counts.spans, 0, "nothing of a refused request is stored");

    // Mixed: the key's own spans go in, the others are refused as a partial success.
    let mut mixed = request(
        "support-agent",
        vec![],
        interaction("support-agent", 8, NOW_MS - 1000, "ok", false),
    );
    mixed.resource_spans.extend(foreign.resource_spans);
    let response = app.post_otlp(&key, &mixed).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = ExportTraceServiceResponse::decode(response.bytes().await.unwrap()).unwrap();
    let partial = answer.partial_success.unwrap();
    assert_eq!(partial.rejected_spans, 3);
    assert!(
        partial.error_message.contains("sales-agent"),
        "{}",
        partial.error_message
    );
    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!(counts.spans, 3);

    // An environment key writes any agent of its environment, and new agents.
    let env_key = app.key(KeyScope::Environment("production".into())).await;
    let newcomer = request(
        "brand-new-agent",
        vec![],
        interaction("brand-new-agent", 9, NOW_MS - 1000, "ok", false),
    );
    assert_eq!(
        app.post_otlp(&env_key, &newcomer).await.status(),
        StatusCode::OK
    );
    let token = app.admin_token().await;
    let (_, agents) = app.api(&token, "/api/v1/agents").await;
    let newcomer = agents
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "brand-new-agent")
        .unwrap();
    assert_eq!(newcomer["source"], "unregistered");
    assert_eq!(newcomer["environment"], "production");
    let staging = app.key(KeyScope::Environment("staging".into())).await;
    assert_eq!(
        app.post_otlp(&staging, &mixed).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn missing_unknown_and_revoked_keys_get_401(db: TestDb) {
    let app = fleet_app(db).await;
    let body = request(
        "support-agent",
        vec![],
        interaction("support-agent", 1, NOW_MS, "x", false),
    );
    let c = reqwest::Client::new();
    let anonymous = c
        .post(format!("{}/v1/traces", app.url))
        .header("content-type", "application/x-protobuf")
        .body(body.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.post_otlp("wik_0000", &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let created = app
        .services
        .create_ingest_key(
            &Actor::System,
            "old",
            KeyScope::Agent("support-agent".into()),
        )
        .await
        .unwrap();
    assert_eq!(
        app.post_otlp(&created.secret, &body).await.status(),
        StatusCode::OK
    );
    app.services
        .revoke_ingest_key(&Actor::System, created.info.id)
        .await
        .unwrap();
    assert_eq!(
        app.post_otlp(&created.secret, &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A person's API token is not an ingest key.
    let admin = app.admin_token().await;
    assert_eq!(
        app.post_otlp(&admin, &body).await.status(),
        StatusCode::UNAUTHORIZED
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

async fn sampling_keeps_whole_traces_and_every_error_trace(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("analytics-agent".into())).await;
    // 200 traces; every tenth fails. Each trace's spans are split over two requests, as a
    // batch exporter may send them.
    let mut first = Vec::new();
    let mut second = Vec::new();
    for t in 0..200 {
        let mut spans = interaction(
            "analytics-agent",
            100 + t,
            NOW_MS - 10_000,
            "fine",
            t % 10 == 0,
        );
        second.push(spans.pop().unwrap());
        first.extend(spans);
    }
    assert_eq!(
        app.post_otlp(&key, &request("analytics-agent", vec![], first))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post_otlp(&key, &request("analytics-agent", vec![], second))
            .await
            .status(),
        StatusCode::OK
    );
    let token = app.admin_token().await;
    let (_, page) = app
        .api(&token, "/api/v1/traces?agent=analytics-agent&limit=500")
        .await;
    let traces = page["traces"].as_array().unwrap();
    for t in traces {
        assert_eq!(
            t["span_count"], 3,
            "trace {} was kept in part",
            t["trace_id"]
        );
    }
    let kept: Vec<&str> = traces
        .iter()
        .map(|t| t["trace_id"].as_str().unwrap())
        .collect();
    for t in (0..200).step_by(10) {
        assert!(
            kept.contains(&trace_hex(100 + t).as_str()),
            "error trace {t} was dropped"
        );
    }
    // About half of the 180 healthy traces, plus the 20 failed ones.
    assert!((90..=130).contains(&kept.len()), "kept {}", kept.len());
    // Usage counts every span, kept or not.
    let usage = app
        .services
        .store()
        .usage_totals("analytics-agent")
        .await
        .unwrap();
    assert_eq!(usage.spans, 600);
    assert_eq!(usage.traces, 200);
    assert_eq!(usage.sampled_out, 600 - 3 * kept.len() as i64);
    assert_eq!(usage.cost_micros, 200 * 6450);
}

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

async fn agent_owners_see_only_their_agents_and_finance_no_traces(db: TestDb) {
    let app = spawn_with(db, |c| {
        let mut mine = agent("support-agent", 1.0, PiiScan::RealTime);
        mine.owner = Some("olga@example.com".into());
        c.ingestion.agents = vec![mine, agent("sales-agent", 1.0, PiiScan::RealTime)];
    })
    .await;
    let key = app.key(KeyScope::Environment("production".into())).await;
    let mut spans = interaction("support-agent", 30, NOW_MS - 1000, "a", false);
    spans.extend(interaction("sales-agent", 31, NOW_MS - 1000, "b", false));
    assert_eq!(
        app.post_otlp(&key, &request("x", vec![], spans))
            .await
            .status(),
        StatusCode::OK
    );
    let olga = app.add_user("olga@example.com", &[Role::AgentOwner]).await;
    let olga = app.token_for(olga).await;
    let (_, page) = app.api(&olga, "/api/v1/traces").await;
    let agents: Vec<&str> = page["traces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["agent"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["support-agent"]);
    let (status, _) = app
        .api(&olga, &format!("/api/v1/traces/{}", trace_hex(31)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let fin = app.add_user("fin@example.com", &[Role::Finance]).await;
    let fin = app.token_for(fin).await;
    let (status, _) = app.api(&fin, "/api/v1/traces").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.api(&olga, "/api/v1/ingest-keys").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

backend_tests!(
    otlp_protobuf_spans_are_stored_attributed_and_costed,
    otlp_json_is_accepted_with_hex_ids_and_string_integers,
    an_agent_key_writes_only_its_agent,
    missing_unknown_and_revoked_keys_get_401,
    bad_bodies_are_refused_and_store_nothing,
    pii_and_secrets_never_reach_the_database_for_real_time_agents,
    batch_agents_are_redacted_in_place_by_the_scheduled_scan,
    sampling_keeps_whole_traces_and_every_error_trace,
    the_native_batch_api_takes_plain_json,
    trace_search_filters_by_agent_status_tag_model_and_text,
    agent_owners_see_only_their_agents_and_finance_no_traces,
    otlp_metrics_and_logs_are_kept_per_agent,
);

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
