//! Sampling keeps whole traces, every error trace, and usage counts every span.

use super::*;

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

backend_tests!(sampling_keeps_whole_traces_and_every_error_trace,);
