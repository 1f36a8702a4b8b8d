//! Crate-level tests: the traffic's structure, its mix, and its ground truth.
//!
//! This module holds the sample generator and the span and attribute helpers the tests share;
//! the tests themselves are grouped by topic in its submodules.

mod export;
mod feedback;
mod fleet;
mod governance;
mod mix;
mod pii;
mod samples;
mod signals;
mod spans;

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{KeyValue, any_value::Value};
use opentelemetry_proto::tonic::trace::v1::Span;

use crate::{Fleet, Interaction};

const NOW: u64 = 1_760_000_000_000_000_000;
const SEC: u64 = 1_000_000_000;

fn sample(seed: u64, n: usize) -> Vec<Interaction> {
    let mut f = Fleet::new(seed);
    (0..n)
        .map(|i| f.next_interaction(NOW + i as u64 * 300_000_000))
        .collect()
}

fn spans(request: &ExportTraceServiceRequest) -> Vec<&Span> {
    request
        .resource_spans
        .iter()
        .flat_map(|rs| rs.scope_spans.iter())
        .flat_map(|ss| ss.spans.iter())
        .collect()
}

fn attr<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a Value> {
    crate::attribute(attributes, key)
}

fn str_attr<'a>(span: &'a Span, key: &str) -> Option<&'a str> {
    match attr(&span.attributes, key) {
        Some(Value::StringValue(s)) => Some(s),
        _ => None,
    }
}

fn int_attr(span: &Span, key: &str) -> Option<i64> {
    match attr(&span.attributes, key) {
        Some(Value::IntValue(v)) => Some(*v),
        _ => None,
    }
}

fn service_name(attributes: &[KeyValue]) -> String {
    match attr(attributes, "service.name") {
        Some(Value::StringValue(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Every string a PII scanner would read in a trace: span and event attributes.
fn strings_of(request: &ExportTraceServiceRequest) -> Vec<String> {
    let mut out = Vec::new();
    for span in spans(request) {
        out.push(span.name.clone());
        let events = span.events.iter().flat_map(|e| e.attributes.iter());
        for kv in span.attributes.iter().chain(events) {
            match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                Some(Value::StringValue(s)) => out.push(s.clone()),
                Some(Value::ArrayValue(a)) => {
                    for v in &a.values {
                        if let Some(Value::StringValue(s)) = &v.value {
                            out.push(s.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}
