//! Export requests: encoding, grouping by agent resource, resource attributes and determinism.

use std::collections::HashSet;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use prost::Message;

use super::{NOW, SEC, attr, service_name, str_attr};
use crate::{Fleet, encode};

#[test]
fn encode_round_trips_through_prost() {
    let mut f = Fleet::new(16);
    let traces = f.export_request(NOW, 25);
    let decoded = ExportTraceServiceRequest::decode(encode(&traces).as_slice());
    assert_eq!(decoded.ok(), Some(traces));
    let metrics = f.metrics_request(NOW);
    let decoded = ExportMetricsServiceRequest::decode(encode(&metrics).as_slice());
    assert_eq!(decoded.ok(), Some(metrics));
    let logs = f.logs_request(NOW, 40);
    let decoded = ExportLogsServiceRequest::decode(encode(&logs).as_slice());
    assert_eq!(decoded.ok(), Some(logs));
}

#[test]
fn export_request_groups_spans_by_agent_resource() {
    let mut f = Fleet::new(17);
    let request = f.export_request(NOW, 60);
    let services: Vec<String> = request
        .resource_spans
        .iter()
        .map(|rs| {
            service_name(
                &rs.resource
                    .as_ref()
                    .map(|r| r.attributes.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let distinct: HashSet<&String> = services.iter().collect();
    assert_eq!(
        distinct.len(),
        services.len(),
        "one ResourceSpans per agent"
    );
    assert!(services.len() >= 4);
    let mut roots = 0;
    for rs in &request.resource_spans {
        let service = service_name(
            &rs.resource
                .as_ref()
                .map(|r| r.attributes.clone())
                .unwrap_or_default(),
        );
        let scopes: HashSet<&str> = rs
            .scope_spans
            .iter()
            .map(|ss| ss.scope.as_ref().map_or("", |s| s.name.as_str()))
            .collect();
        assert_eq!(
            scopes.len(),
            rs.scope_spans.len(),
            "one ScopeSpans per scope"
        );
        for span in rs.scope_spans.iter().flat_map(|ss| ss.spans.iter()) {
            if span.parent_span_id.is_empty() {
                roots += 1;
                let agent = str_attr(span, "gen_ai.agent.name").or(str_attr(span, "agent.name"));
                assert_eq!(agent, Some(service.as_str()));
            }
            assert!(span.end_time_unix_nano <= NOW);
            assert!(span.start_time_unix_nano >= NOW - 60 * SEC);
        }
    }
    assert_eq!(roots, 60, "every interaction is in the batch");

    let only = f.export_request_for("finance-agent", NOW, 5);
    let only = only.unwrap_or_default();
    assert_eq!(only.resource_spans.len(), 1);
    let service = service_name(
        &only.resource_spans[0]
            .resource
            .as_ref()
            .map(|r| r.attributes.clone())
            .unwrap_or_default(),
    );
    assert_eq!(service, "finance-agent");
    assert!(f.export_request_for("no-such-agent", NOW, 5).is_none());
}

#[test]
fn resources_identify_the_agent_and_the_gateway_leaks_its_token() {
    let mut f = Fleet::new(18);
    let request = f
        .export_request_for("it-helpdesk-agent", NOW, 1)
        .unwrap_or_default();
    let attributes = request.resource_spans[0]
        .resource
        .clone()
        .unwrap_or_default()
        .attributes;
    for key in [
        "service.name",
        "service.version",
        "deployment.environment.name",
        "telemetry.sdk.language",
    ] {
        assert!(
            matches!(attr(&attributes, key), Some(Value::StringValue(_))),
            "{key}"
        );
    }
    assert!(
        matches!(attr(&attributes, "telemetry.sdk.name"), Some(Value::StringValue(s)) if s == "opentelemetry")
    );
    let Some(Value::ArrayValue(args)) = attr(&attributes, "process.command_args") else {
        panic!("no command line");
    };
    let args: Vec<&str> = args
        .values
        .iter()
        .filter_map(|v| match &v.value {
            Some(Value::StringValue(s)) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        &args[..5],
        ["openclaw", "gateway", "--port", "18789", "--token"]
    );
    let token = args[5].strip_prefix("oc_gw_").unwrap_or_default();
    assert!(
        token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{token}"
    );

    let other = f
        .export_request_for("support-agent", NOW, 1)
        .unwrap_or_default();
    let attributes = other.resource_spans[0]
        .resource
        .clone()
        .unwrap_or_default()
        .attributes;
    assert!(attr(&attributes, "process.command_args").is_none());
}

#[test]
fn the_same_seed_and_clock_give_the_same_bytes() {
    let run = |seed: u64| {
        let mut f = Fleet::new(seed);
        let mut out = Vec::new();
        for i in 0..5 {
            let now = NOW + i * SEC;
            out.extend(encode(&f.export_request(now, 10)));
            out.extend(encode(&f.next_interaction(now).request));
            out.extend(encode(&f.metrics_request(now)));
            out.extend(encode(&f.logs_request(now, 15)));
        }
        out
    };
    assert_eq!(run(19), run(19));
    assert_ne!(run(19), run(20));
}
