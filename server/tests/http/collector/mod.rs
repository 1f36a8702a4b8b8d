//! The trace collector over HTTP: OTLP protobuf and JSON, gzip, the native batch API,
//! ingest keys and their scope, bad bodies, PII redaction, sampling and cost. This module
//! holds what the tests share: OTLP builders, the test fleet and requests as agents send them.

mod audit;
mod budgets;
mod control;
mod governance;
mod keys;
mod metrics;
mod native;
mod otlp;
mod recommendations;
mod redaction;
mod reviews;
mod sampling;
mod scores;
mod search;
mod transparency;
mod versions;
mod watch;
mod webhooks;

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

    /// Pulls or resets an agent's switch: `body` is `{"state", "reason"}` and more.
    async fn put_control(&self, token: &str, agent: &str, body: Value) -> (StatusCode, Value) {
        let path = format!("/api/v1/agents/{agent}/control");
        self.call(reqwest::Method::PUT, &path, token, Some(body))
            .await
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
        // The tests run the batch scan themselves; the job's own pass (every 60 s) would
        // redact behind their back when a loaded machine makes a test last that long.
        c.ingestion.batch_scan_interval = std::time::Duration::from_secs(86_400);
    })
    .await
}
