//! Metrics and logs: they agree with the traces they describe.

use std::collections::{HashMap, HashSet};

use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::metrics::v1::metric::Data;

use super::{NOW, SEC, attr, service_name};
use crate::{Fleet, Interaction, encode};

#[test]
fn metrics_agree_with_the_traces() {
    let mut f = Fleet::new(21);
    let interactions: Vec<Interaction> = (0..300)
        .map(|i| f.next_interaction(NOW + i * SEC))
        .collect();
    let metrics = f.metrics_request(NOW + 301 * SEC);
    let mut input_tokens = 0.0;
    let mut cost = 0.0;
    let mut names = HashSet::new();
    for rm in &metrics.resource_metrics {
        for metric in rm.scope_metrics.iter().flat_map(|sm| sm.metrics.iter()) {
            names.insert(metric.name.clone());
            match &metric.data {
                Some(Data::Histogram(h)) if metric.name == "gen_ai.client.token.usage" => {
                    assert_eq!(h.aggregation_temporality, 2, "cumulative");
                    for p in &h.data_points {
                        assert_eq!(p.bucket_counts.len(), p.explicit_bounds.len() + 1);
                        assert_eq!(p.bucket_counts.iter().sum::<u64>(), p.count);
                        if matches!(attr(&p.attributes, "gen_ai.token.type"), Some(Value::StringValue(t)) if t == "input")
                        {
                            input_tokens += p.sum.unwrap_or_default();
                        }
                    }
                }
                Some(Data::Sum(s)) if metric.name == "openclaw.cost.usd" => {
                    assert!(s.is_monotonic);
                    for p in &s.data_points {
                        if let Some(opentelemetry_proto::tonic::metrics::v1::number_data_point::Value::AsDouble(v)) = p.value {
                            cost += v;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for name in [
        "gen_ai.client.token.usage",
        "gen_ai.client.operation.duration",
        "openclaw.cost.usd",
    ] {
        assert!(names.contains(name), "{name}");
    }
    assert_eq!(metrics.resource_metrics.len(), 10);
    let expected_tokens: u64 = interactions.iter().map(|i| i.input_tokens).sum();
    let expected_cost: f64 = interactions.iter().map(|i| i.cost_usd).sum();
    assert!(
        (input_tokens - expected_tokens as f64).abs() < 0.5,
        "{input_tokens} vs {expected_tokens}"
    );
    assert!(
        (cost - expected_cost).abs() < 1e-6,
        "{cost} vs {expected_cost}"
    );

    // A second export with nothing new still reports (cumulative, never decreasing).
    let again = f.metrics_request(NOW + 400 * SEC);
    assert!(encode(&again).len() >= encode(&metrics).len() / 2);
}

#[test]
fn logs_point_at_generated_traces_and_are_mostly_info() {
    let mut f = Fleet::new(22);
    let trace_ids: HashSet<[u8; 16]> = (0..400)
        .map(|i| f.next_interaction(NOW + i * SEC).trace_id)
        .collect();
    let pending = f.pending_log_records();
    assert!(pending >= 800);
    let logs = f.logs_request(NOW + 500 * SEC, pending);
    let mut by_severity: HashMap<i32, usize> = HashMap::new();
    let mut total = 0;
    for rl in &logs.resource_logs {
        assert!(
            !service_name(
                &rl.resource
                    .as_ref()
                    .map(|r| r.attributes.clone())
                    .unwrap_or_default()
            )
            .is_empty()
        );
        for record in rl.scope_logs.iter().flat_map(|sl| sl.log_records.iter()) {
            total += 1;
            let id: [u8; 16] = record.trace_id.as_slice().try_into().unwrap_or([0; 16]);
            assert!(trace_ids.contains(&id), "log record for an unknown trace");
            assert_eq!(record.span_id.len(), 8);
            *by_severity.entry(record.severity_number).or_default() += 1;
        }
    }
    assert_eq!(total, pending);
    assert_eq!(f.pending_log_records(), 0);
    let info = by_severity.get(&9).copied().unwrap_or(0) as f64 / total as f64;
    assert!(info > 0.85, "INFO share {info}");
    assert!(by_severity.get(&13).copied().unwrap_or(0) > 0, "some WARN");
    assert!(by_severity.get(&17).copied().unwrap_or(0) > 0, "some ERROR");

    // Asking for more lines than are queued generates more traffic rather than coming up short.
    let more = f.logs_request(NOW + 600 * SEC, 50);
    let count: usize = more
        .resource_logs
        .iter()
        .flat_map(|rl| rl.scope_logs.iter())
        .map(|sl| sl.log_records.len())
        .sum();
    assert_eq!(count, 50);
}
