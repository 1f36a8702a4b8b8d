//! OTLP metrics as the agents' SDKs export them: cumulative GenAI client histograms and an
//! OpenClaw-style cost counter, aggregated from the LLM calls of the generated interactions.
//!
//! Aggregating real calls (rather than drawing metric values separately) keeps the metrics
//! consistent with the traces, so a dashboard total matches the sum over the trace list.

use std::collections::BTreeMap;

use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::metrics::v1::{
    AggregationTemporality, Histogram, HistogramDataPoint, Metric, NumberDataPoint,
    ResourceMetrics, ScopeMetrics, Sum, metric, number_data_point,
};
use opentelemetry_proto::tonic::resource::v1::Resource;

use crate::fleet::fleet;
use crate::otlp::{self, string};
use crate::scenario::Scenario;

/// Bucket boundaries the GenAI semantic conventions recommend for these two histograms.
const TOKEN_BOUNDS: [f64; 14] = [
    1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0,
    16777216.0, 67108864.0,
];
const DURATION_BOUNDS: [f64; 14] = [
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

#[derive(Clone, Debug)]
struct Hist {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    buckets: Vec<u64>,
}

impl Hist {
    fn new(bounds: &[f64]) -> Hist {
        Hist {
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            buckets: vec![0; bounds.len() + 1],
        }
    }

    fn record(&mut self, bounds: &[f64], value: f64) {
        self.count += 1;
        self.sum += value;
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        // OTLP buckets are upper-inclusive: bucket i holds (bounds[i-1], bounds[i]].
        let i = bounds
            .iter()
            .position(|b| value <= *b)
            .unwrap_or(bounds.len());
        self.buckets[i] += 1;
    }

    fn point(
        &self,
        bounds: &[f64],
        attributes: Vec<KeyValue>,
        start: u64,
        now: u64,
    ) -> HistogramDataPoint {
        HistogramDataPoint {
            attributes,
            start_time_unix_nano: start,
            time_unix_nano: now,
            count: self.count,
            sum: Some(self.sum),
            bucket_counts: self.buckets.clone(),
            explicit_bounds: bounds.to_vec(),
            min: Some(self.min),
            max: Some(self.max),
            ..Default::default()
        }
    }
}

/// Series keys: agent index first, so the export groups by agent in fleet order.
type TokenKey = (usize, &'static str, &'static str, &'static str);
type DurationKey = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);
type CostKey = (usize, &'static str, &'static str);

/// Cumulative state of every agent's meters since the fleet started.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    start: Option<u64>,
    tokens: BTreeMap<TokenKey, Hist>,
    durations: BTreeMap<DurationKey, Hist>,
    costs: BTreeMap<CostKey, f64>,
    /// LLM calls recorded since the last export.
    pub(crate) fresh: usize,
}

impl Recorder {
    pub(crate) fn record(&mut self, agent: usize, s: &Scenario) {
        let start = *self.start.get_or_insert(s.start);
        self.start = Some(start.min(s.start));
        for step in &s.steps {
            let crate::scenario::Kind::Llm(call) = &step.kind else {
                continue;
            };
            let model = call.model;
            let error = call.fault.as_ref().map(|f| f.error_type);
            let seconds = (step.end - step.start) as f64 / 1e9;
            self.durations
                .entry((
                    agent,
                    model.provider,
                    model.name,
                    model.response_model,
                    error,
                ))
                .or_insert_with(|| Hist::new(&DURATION_BOUNDS))
                .record(&DURATION_BOUNDS, seconds);
            if call.fault.is_none() {
                for (kind, value) in [("input", call.input_tokens), ("output", call.output_tokens)]
                {
                    self.tokens
                        .entry((agent, model.provider, model.name, kind))
                        .or_insert_with(|| Hist::new(&TOKEN_BOUNDS))
                        .record(&TOKEN_BOUNDS, value as f64);
                }
                *self
                    .costs
                    .entry((agent, model.provider, model.name))
                    .or_default() += call.cost;
            }
            self.fresh += 1;
        }
    }

    pub(crate) fn export(
        &mut self,
        now: u64,
        resources: &[Resource],
    ) -> ExportMetricsServiceRequest {
        self.fresh = 0;
        let start = self.start.unwrap_or(now).min(now);
        let agents = fleet();
        let mut resource_metrics = Vec::new();
        for (index, agent) in agents.iter().enumerate() {
            let token_points: Vec<HistogramDataPoint> = self
                .tokens
                .range((index, "", "", "")..(index + 1, "", "", ""))
                .map(|((_, provider, model, kind), h)| {
                    h.point(
                        &TOKEN_BOUNDS,
                        vec![
                            string("gen_ai.operation.name", "chat"),
                            string("gen_ai.provider.name", *provider),
                            string("gen_ai.request.model", *model),
                            string("gen_ai.token.type", *kind),
                        ],
                        start,
                        now,
                    )
                })
                .collect();
            let duration_points: Vec<HistogramDataPoint> = self
                .durations
                .range((index, "", "", "", None)..(index + 1, "", "", "", None))
                .map(|((_, provider, model, response_model, error), h)| {
                    let mut attributes = vec![
                        string("gen_ai.operation.name", "chat"),
                        string("gen_ai.provider.name", *provider),
                        string("gen_ai.request.model", *model),
                    ];
                    match error {
                        Some(e) => attributes.push(string("error.type", *e)),
                        None => attributes.push(string("gen_ai.response.model", *response_model)),
                    }
                    h.point(&DURATION_BOUNDS, attributes, start, now)
                })
                .collect();
            let cost_points: Vec<NumberDataPoint> = self
                .costs
                .range((index, "", "")..(index + 1, "", ""))
                .map(|((_, provider, model), usd)| NumberDataPoint {
                    attributes: vec![
                        string("openclaw.channel", agent.channel),
                        string("openclaw.provider", *provider),
                        string("openclaw.model", *model),
                    ],
                    start_time_unix_nano: start,
                    time_unix_nano: now,
                    value: Some(number_data_point::Value::AsDouble(*usd)),
                    ..Default::default()
                })
                .collect();
            if token_points.is_empty() && duration_points.is_empty() && cost_points.is_empty() {
                continue;
            }
            let cumulative = AggregationTemporality::Cumulative as i32;
            let genai = vec![
                Metric {
                    name: "gen_ai.client.token.usage".to_string(),
                    description: "Number of input and output tokens used.".to_string(),
                    unit: "{token}".to_string(),
                    data: Some(metric::Data::Histogram(Histogram {
                        data_points: token_points,
                        aggregation_temporality: cumulative,
                    })),
                    ..Default::default()
                },
                Metric {
                    name: "gen_ai.client.operation.duration".to_string(),
                    description: "GenAI operation duration.".to_string(),
                    unit: "s".to_string(),
                    data: Some(metric::Data::Histogram(Histogram {
                        data_points: duration_points,
                        aggregation_temporality: cumulative,
                    })),
                    ..Default::default()
                },
            ];
            let cost = Metric {
                name: "openclaw.cost.usd".to_string(),
                description: "Estimated model cost (USD)".to_string(),
                unit: "1".to_string(),
                data: Some(metric::Data::Sum(Sum {
                    data_points: cost_points,
                    aggregation_temporality: cumulative,
                    is_monotonic: true,
                })),
                ..Default::default()
            };
            let scope_metrics = if agent.llm_scope == agent.agent_scope {
                let mut metrics = genai;
                metrics.push(cost);
                vec![ScopeMetrics {
                    scope: Some(otlp::scope(agent.llm_scope)),
                    metrics,
                    ..Default::default()
                }]
            } else {
                vec![
                    ScopeMetrics {
                        scope: Some(otlp::scope(agent.llm_scope)),
                        metrics: genai,
                        ..Default::default()
                    },
                    ScopeMetrics {
                        scope: Some(otlp::scope(agent.agent_scope)),
                        metrics: vec![cost],
                        ..Default::default()
                    },
                ]
            };
            resource_metrics.push(ResourceMetrics {
                resource: resources.get(index).cloned(),
                scope_metrics,
                ..Default::default()
            });
        }
        ExportMetricsServiceRequest { resource_metrics }
    }
}
