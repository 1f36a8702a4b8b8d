//! Ignored tests that print sample traces, the realised traffic mix and generation speed.

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;

use super::{NOW, SEC, sample, spans};
use crate::{Fleet, Interaction, encode, fleet};

/// Prints one trace of each agent and one of each anomaly; run with `--ignored --nocapture`.
#[test]
#[ignore]
fn show_sample() {
    let mut f = Fleet::new(7);
    let mut requests: Vec<(String, ExportTraceServiceRequest)> = fleet()
        .iter()
        .map(|a| {
            (
                a.name.to_string(),
                f.export_request_for(a.name, NOW, 1).unwrap_or_default(),
            )
        })
        .collect();
    type Pick = fn(&Interaction) -> bool;
    let kinds: [(&str, Pick); 6] = [
        ("error", |i| i.has_error),
        ("pii", |i| i.has_pii),
        ("expensive", |i| i.is_expensive),
        ("tool failure", |i| i.has_tool_failure),
        ("inference", |i| i.demographic_inference),
        ("slow", |i| i.is_slow && !i.is_expensive && !i.has_error),
    ];
    let pool = sample(8, 1500);
    for (label, pred) in kinds {
        if let Some(i) = pool.iter().find(|i| pred(i)) {
            requests.push((format!("{label}: {}", i.agent), i.request.clone()));
        }
    }
    for (label, request) in requests {
        println!("==== {label}");
        for span in spans(&request) {
            println!(
                "  {} [{} ms] {:?}",
                span.name,
                (span.end_time_unix_nano - span.start_time_unix_nano) / 1_000_000,
                span.status.as_ref().map(|s| s.code)
            );
            for kv in &span.attributes {
                let v = match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                    Some(Value::StringValue(s)) => s.clone(),
                    other => format!("{other:?}"),
                };
                println!("      {} = {}", kv.key, v);
            }
        }
    }
}

/// Prints the realised traffic mix; run with `--ignored --nocapture`.
#[test]
#[ignore]
fn print_mix() {
    for seed in [1, 2, 3] {
        let s = sample(seed, 5000);
        let n = s.len() as f64;
        let r =
            |f: &dyn Fn(&Interaction) -> bool| 100.0 * s.iter().filter(|i| f(i)).count() as f64 / n;
        let mut secs: Vec<f64> = s
            .iter()
            .map(|i| (i.end_unix_nanos - i.start_unix_nanos) as f64 / 1e9)
            .collect();
        secs.sort_by(f64::total_cmp);
        let spans: f64 = s.iter().map(|i| i.span_count as f64).sum::<f64>() / n;
        let cost: f64 = s.iter().map(|i| i.cost_usd).sum::<f64>() / n;
        let tokens: f64 = s.iter().map(|i| i.input_tokens as f64).sum::<f64>() / n;
        let cf: Vec<&Interaction> = s
            .iter()
            .filter(|i| ["support-agent", "sales-agent", "onboarding-agent"].contains(&i.agent))
            .collect();
        let hr = s.iter().filter(|i| i.agent == "hr-screening-agent").count() as f64;
        println!(
            "seed {seed}: error {:.2}% pii {:.2}% slow {:.2}% expensive {:.2}% tool-fail {:.2}% | missing-disclosure {:.2}% of CF, missed-handoff {:.2}% of CF, inference {:.1}% of HR | p50 {:.2}s p90 {:.2}s p99 {:.2}s max {:.1}s | spans {spans:.1} cost ${cost:.4} input tokens {tokens:.0}",
            r(&|i| i.has_error),
            r(&|i| i.has_pii),
            r(&|i| i.is_slow),
            r(&|i| i.is_expensive),
            r(&|i| i.has_tool_failure),
            100.0 * cf.iter().filter(|i| i.missing_disclosure).count() as f64 / cf.len() as f64,
            100.0 * cf.iter().filter(|i| i.missed_handoff).count() as f64 / cf.len() as f64,
            100.0 * s.iter().filter(|i| i.demographic_inference).count() as f64 / hr,
            secs[secs.len() / 2],
            secs[secs.len() * 9 / 10],
            secs[secs.len() * 99 / 100],
            secs[secs.len() - 1],
        );
    }
}

/// Generation speed, for sizing the ingestion benchmark; run with `--release --ignored --nocapture`.
#[test]
#[ignore]
fn print_throughput() {
    let mut f = Fleet::new(9);
    let started = std::time::Instant::now();
    let mut bytes = 0;
    let mut spans = 0;
    for i in 0..200 {
        let request = f.export_request(NOW + i * SEC, 100);
        spans += request
            .resource_spans
            .iter()
            .flat_map(|rs| rs.scope_spans.iter())
            .map(|ss| ss.spans.len())
            .sum::<usize>();
        bytes += encode(&request).len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "20,000 interactions, {spans} spans, {:.1} MB encoded in {elapsed:.2} s: {:.0} interactions/s, {:.1} KB each",
        bytes as f64 / 1e6,
        20_000.0 / elapsed,
        bytes as f64 / 20_000.0 / 1e3
    );
}
