//! OTLP metrics and logs. Agents such as the OpenClaw gateway report tokens and cost as
//! metrics and problems as logs; Warden keeps, per agent, the metrics that matter for cost
//! and health, and warning-and-above logs as agent events (redacted like spans).

use super::otlp::{Encoding, convert_attributes, decode_request};
use super::scan::redact_text;
use super::{DecodeError, IngestError, Pipeline, Receipt};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{AggregationTemporality, metric, number_data_point};
use warden_db::{EventRecord, MetricRecord};
use warden_domain::telemetry::{AttrValue, Attributes, KeyScope, SpanId, TraceId};

/// Metrics kept: the GenAI client metrics, OpenClaw's, and anything about cost, tokens,
/// durations or errors. The rest is accepted and not stored.
pub fn is_kept_metric(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("gen_ai.")
        || name.starts_with("openclaw.")
        || ["cost", "token", "duration", "latency", "error"]
            .iter()
            .any(|w| name.contains(w))
}

/// OTLP's WARN is 13..=16; ERROR and FATAL are above.
const MIN_SEVERITY: i32 = 13;

/// A decoded metrics or logs request, per agent.
#[derive(Debug, Default)]
pub struct DecodedSignals {
    pub metrics: Vec<MetricRecord>,
    pub events: Vec<EventRecord>,
    /// Data points or log records accepted but not kept (not a metric that matters, or
    /// a log below WARN).
    pub ignored: u64,
    /// Agent of each resource, with its environment.
    pub agents: Vec<(String, Option<String>)>,
}

fn agent_of(resource: &Attributes) -> (String, Option<String>) {
    let text = |k: &str| {
        resource
            .get(k)
            .and_then(AttrValue::as_str)
            .filter(|s| !s.is_empty())
    };
    let agent = text("gen_ai.agent.name")
        .or_else(|| text("service.name"))
        .unwrap_or("unknown_service")
        .to_string();
    let env = text("deployment.environment.name")
        .or_else(|| text("deployment.environment"))
        .map(str::to_string);
    (agent, env)
}

fn series_of(attributes: &[KeyValue]) -> String {
    let mut pairs: Vec<String> = attributes
        .iter()
        .filter_map(|kv| match kv.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(s) => Some(format!("{}={s}", kv.key)),
            any_value::Value::IntValue(n) => Some(format!("{}={n}", kv.key)),
            any_value::Value::BoolValue(b) => Some(format!("{}={b}", kv.key)),
            _ => None,
        })
        .collect();
    pairs.sort();
    let mut series = pairs.join(",");
    if series.len() > 500 {
        let mut end = 500;
        while !series.is_char_boundary(end) {
            end -= 1;
        }
        series.truncate(end);
    }
    series
}

fn minute_of(time_unix_nano: u64) -> i64 {
    let ms = i64::try_from(time_unix_nano / 1_000_000).unwrap_or(0);
    ms.div_euclid(60_000) * 60_000
}

pub fn decode_metrics(body: &[u8], encoding: Encoding) -> Result<DecodedSignals, DecodeError> {
    let request: ExportMetricsServiceRequest =
        decode_request(body, encoding, "ExportMetricsServiceRequest")?;
    let mut out = DecodedSignals::default();
    for rm in request.resource_metrics {
        let resource = rm
            .resource
            .map(|r| convert_attributes(r.attributes))
            .unwrap_or_default();
        let (agent, env) = agent_of(&resource);
        out.agents.push((agent.clone(), env));
        for sm in rm.scope_metrics {
            for m in sm.metrics {
                let Some(data) = m.data else { continue };
                let points = point_values(data);
                if !is_kept_metric(&m.name) {
                    out.ignored += points.len() as u64;
                    continue;
                }
                for p in points {
                    out.metrics.push(MetricRecord {
                        agent: agent.clone(),
                        minute: minute_of(p.time),
                        name: m.name.clone(),
                        series: p.series,
                        kind: p.kind.into(),
                        cumulative: p.cumulative,
                        value: p.value,
                        count: p.count,
                        unit: m.unit.clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}

struct Point {
    time: u64,
    series: String,
    kind: &'static str,
    cumulative: bool,
    value: f64,
    count: i64,
}

fn point(
    kind: &'static str,
    cumulative: bool,
    time: u64,
    attributes: &[KeyValue],
    value: f64,
    count: u64,
) -> Point {
    Point {
        time,
        series: series_of(attributes),
        kind,
        cumulative,
        value: if value.is_finite() { value } else { 0.0 },
        count: i64::try_from(count).unwrap_or(i64::MAX),
    }
}

fn point_values(data: metric::Data) -> Vec<Point> {
    let cumulative = |t: i32| t == AggregationTemporality::Cumulative as i32;
    let number = |v: Option<number_data_point::Value>| match v {
        Some(number_data_point::Value::AsDouble(d)) => d,
        Some(number_data_point::Value::AsInt(n)) => n as f64,
        None => 0.0,
    };
    match data {
        metric::Data::Gauge(g) => g
            .data_points
            .into_iter()
            .map(|p| {
                point(
                    "gauge",
                    false,
                    p.time_unix_nano,
                    &p.attributes,
                    number(p.value),
                    0,
                )
            })
            .collect(),
        metric::Data::Sum(s) => {
            let c = cumulative(s.aggregation_temporality);
            s.data_points
                .into_iter()
                .map(|p| {
                    point(
                        "sum",
                        c,
                        p.time_unix_nano,
                        &p.attributes,
                        number(p.value),
                        0,
                    )
                })
                .collect()
        }
        metric::Data::Histogram(h) => {
            let c = cumulative(h.aggregation_temporality);
            h.data_points
                .into_iter()
                .map(|p| {
                    point(
                        "histogram",
                        c,
                        p.time_unix_nano,
                        &p.attributes,
                        p.sum.unwrap_or(0.0),
                        p.count,
                    )
                })
                .collect()
        }
        metric::Data::ExponentialHistogram(h) => {
            let c = cumulative(h.aggregation_temporality);
            h.data_points
                .into_iter()
                .map(|p| {
                    point(
                        "histogram",
                        c,
                        p.time_unix_nano,
                        &p.attributes,
                        p.sum.unwrap_or(0.0),
                        p.count,
                    )
                })
                .collect()
        }
        // Summaries are cumulative by definition in OTLP.
        metric::Data::Summary(s) => s
            .data_points
            .into_iter()
            .map(|p| {
                point(
                    "summary",
                    true,
                    p.time_unix_nano,
                    &p.attributes,
                    p.sum,
                    p.count,
                )
            })
            .collect(),
    }
}

fn body_text(body: Option<AnyValue>) -> String {
    let Some(value) = body.and_then(|b| b.value) else {
        return String::new();
    };
    match value {
        any_value::Value::StringValue(s) => s,
        other => {
            let list = convert_attributes(vec![KeyValue {
                key: "body".into(),
                value: Some(AnyValue { value: Some(other) }),
                ..KeyValue::default()
            }]);
            list.get("body")
                .map(ToString::to_string)
                .unwrap_or_default()
        }
    }
}

pub fn decode_logs(body: &[u8], encoding: Encoding) -> Result<DecodedSignals, DecodeError> {
    let request: ExportLogsServiceRequest =
        decode_request(body, encoding, "ExportLogsServiceRequest")?;
    let mut out = DecodedSignals::default();
    for rl in request.resource_logs {
        let resource = rl
            .resource
            .map(|r| convert_attributes(r.attributes))
            .unwrap_or_default();
        let (resource_agent, env) = agent_of(&resource);
        out.agents.push((resource_agent.clone(), env));
        for sl in rl.scope_logs {
            for record in sl.log_records {
                if record.severity_number < MIN_SEVERITY {
                    out.ignored += 1;
                    continue;
                }
                let attributes = convert_attributes(record.attributes);
                let agent = attributes
                    .get("gen_ai.agent.name")
                    .and_then(AttrValue::as_str)
                    .map_or_else(|| resource_agent.clone(), str::to_string);
                let time = if record.time_unix_nano > 0 {
                    record.time_unix_nano
                } else {
                    record.observed_time_unix_nano
                };
                let severity = if record.severity_text.is_empty() {
                    match record.severity_number {
                        13..=16 => "WARN",
                        17..=20 => "ERROR",
                        _ => "FATAL",
                    }
                    .to_string()
                } else {
                    record.severity_text
                };
                out.events.push(EventRecord {
                    agent,
                    time_ns: i64::try_from(time).unwrap_or(i64::MAX),
                    severity_number: record.severity_number,
                    severity,
                    body: body_text(record.body),
                    trace_id: TraceId::from_bytes(&record.trace_id).map(|t| t.to_hex()),
                    span_id: SpanId::from_bytes(&record.span_id).map(|s| s.to_hex()),
                    attributes: serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".into()),
                });
            }
        }
    }
    Ok(out)
}

impl Pipeline {
    /// Stores a metrics or logs request: the key's scope is checked per agent, event text
    /// is redacted (PII and secrets, whatever the agent's scan mode: logs are free text),
    /// and the request is committed before the answer.
    pub async fn submit_signals(
        &self,
        scope: &KeyScope,
        mut decoded: DecodedSignals,
    ) -> Result<Receipt, IngestError> {
        let inner = &self.inner;
        let agents = inner.registry.snapshot();
        let allowed = |agent: &str| {
            let known = agents.get(agent);
            scope.allows(
                agent,
                known.and_then(|a| a.environment.as_deref()),
                known.is_some(),
            )
        };
        let total = (decoded.metrics.len() + decoded.events.len()) as u64 + decoded.ignored;
        let mut receipt = Receipt::default();
        let before = decoded.metrics.len() + decoded.events.len();
        let mut refused_agent = None;
        decoded.metrics.retain(|m| {
            allowed(&m.agent) || {
                refused_agent.get_or_insert(m.agent.clone());
                false
            }
        });
        decoded.events.retain(|e| {
            allowed(&e.agent) || {
                refused_agent.get_or_insert(e.agent.clone());
                false
            }
        });
        receipt.rejected = (before - decoded.metrics.len() - decoded.events.len()) as u64;
        if let Some(agent) = refused_agent {
            let message = format!(
                "this key is for {} and may not write data of agent {agent:?}",
                scope.describe()
            );
            if receipt.rejected == total {
                return Err(IngestError::Forbidden(message));
            }
            receipt.message = Some(message);
        }
        decoded.agents.retain(|(a, _)| allowed(a));
        for (agent, env) in &mut decoded.agents {
            if env.is_none() && !agents.contains_key(agent.as_str()) {
                *env = scope.environment().map(str::to_string);
            }
        }
        let scanner = &inner.settings.scanner;
        for event in &mut decoded.events {
            if let Some((clean, _)) = redact_text(scanner, &event.body, true) {
                event.body = clean;
            }
            // Redacted value by value: a replacement must not cut through the JSON syntax.
            if let Ok(mut attributes) = serde_json::from_str::<Attributes>(&event.attributes) {
                let mut changed = false;
                for (_, value) in &mut attributes.0 {
                    value.for_each_str_mut(&mut |text| {
                        if let Some((clean, _)) = redact_text(scanner, text, true) {
                            *text = clean;
                            changed = true;
                        }
                    });
                }
                if changed {
                    event.attributes =
                        serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".into());
                }
            }
        }
        receipt.accepted = total - receipt.rejected;
        inner
            .services
            .store()
            .commit_signals(
                &decoded.metrics,
                &decoded.events,
                &decoded.agents,
                inner.services.now(),
            )
            .await
            .map_err(|err| {
                tracing::error!(error = ?err, "committing metrics and logs");
                IngestError::Unavailable { retry_after_s: 2 }
            })?;
        Ok(receipt)
    }
}
