//! The metrics API over HTTP, on SQLite and PostgreSQL: traces with known costs, errors,
//! durations and tool calls go in through OTLP and the native API (one agent sampled at
//! 0.5), and the seed's hierarchy comes out exactly, from the minutes and again from the
//! hour and day rollups.

use super::*;
use warden_services::policy::document::PoliciesDoc;

const HOUR: u64 = 3_600_000;
const DAY: u64 = 86_400_000;

fn iso(ms: u64) -> String {
    warden_domain::timefmt::iso_utc(ms as i64)
}

/// gpt-4o at 2.50 / 10 USD per million tokens, 1000 in and 500 out, at 0.86 EUR per USD.
const GPT4O_CALL_MICROS: i64 = 6_450;
/// A native span reporting 0.01 USD.
const REPORTED_MICROS: i64 = 8_600;

async fn metrics_app(db: TestDb) -> TestApp {
    spawn_with(db, |c| {
        c.ingestion.agents = vec![
            agent("support-agent", 1.0, PiiScan::RealTime),
            agent("analytics-agent", 0.5, PiiScan::RealTime),
        ];
        // No rule fires: every interaction is compliant, the alignment score is 1.
        c.policies = Some(PoliciesDoc::default());
    })
    .await
}

/// support-agent: four interactions of 1, 2, 3 and 4 s; the second fails (its root and
/// model call), the third's tool call fails.
fn support_traffic() -> ExportTraceServiceRequest {
    let mut spans = Vec::new();
    for n in 0..4u64 {
        let start = NOW_MS - 60_000 + n * 5_000;
        let mut one = interaction("support-agent", 100 + n, start, "Done.", n == 1);
        one[0].end_time_unix_nano = (start + (n + 1) * 1_000) * 1_000_000;
        // Children inside their root.
        one[1].end_time_unix_nano = one[1].start_time_unix_nano + 500_000_000;
        one[2].start_time_unix_nano = one[1].start_time_unix_nano;
        one[2].end_time_unix_nano = one[1].start_time_unix_nano + 100_000_000;
        if n == 2 {
            one[2].status = Some(Status {
                code: status::StatusCode::Error as i32,
                message: "lookup failed".into(),
            });
        }
        spans.extend(one);
    }
    request("support-agent", vec![], spans)
}

/// A native interaction of billing-bot: a 1.5 s root, a model call reporting 0.01 USD and a
/// tool call; `llm_error` and `tool_error` set their status.
fn billing_spans(
    trace: &str,
    start: u64,
    llm_error: bool,
    tool_error: bool,
) -> (Value, Vec<Value>) {
    let status = |e: bool| if e { "error" } else { "ok" };
    let root = serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa1", "kind": "agent",
        "name": "answer", "start_ms": start, "duration_ms": 1500});
    let children = vec![
        serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa2",
            "parent_span_id": "aaaaaaaaaaaaaaa1", "kind": "llm", "name": "chat",
            "start_ms": start + 100, "duration_ms": 600, "model": "gpt-4o-mini",
            "input_tokens": 300, "output_tokens": 40, "cost_usd": 0.01,
            "status": status(llm_error)}),
        serde_json::json!({"trace_id": trace, "span_id": "aaaaaaaaaaaaaaa3",
            "parent_span_id": "aaaaaaaaaaaaaaa1", "kind": "tool", "name": "lookup",
            "tool": "lookup", "start_ms": start + 800, "duration_ms": 200,
            "status": status(tool_error)}),
    ];
    (root, children)
}

async fn the_metrics_api_returns_the_exact_figures_of_known_traffic(db: TestDb) {
    let app = metrics_app(db).await;
    let token = app.admin_token().await;

    let support = app.key(KeyScope::Agent("support-agent".into())).await;
    assert_eq!(
        app.post_otlp(&support, &support_traffic()).await.status(),
        StatusCode::OK
    );
    // analytics-agent: twenty clean interactions of 2 s, sampled at 0.5: counted all the same.
    let analytics = app.key(KeyScope::Agent("analytics-agent".into())).await;
    let spans: Vec<Span> = (0..20)
        .flat_map(|n| {
            interaction(
                "analytics-agent",
                200 + n,
                NOW_MS - 50_000 + n * 100,
                "ok",
                false,
            )
        })
        .collect();
    let body = request("analytics-agent", vec![], spans);
    assert_eq!(
        app.post_otlp(&analytics, &body).await.status(),
        StatusCode::OK
    );
    // billing-bot, through the native API: a clean interaction, one whose model call fails,
    // and one whose failed tool call arrives in a request before its root.
    let billing = app.key(KeyScope::Agent("billing-bot".into())).await;
    let post = |spans: Vec<Value>| {
        let (url, key) = (format!("{}/api/v1/ingest", app.url), billing.clone());
        async move {
            let body = serde_json::json!({"agent": "billing-bot", "spans": spans});
            let r = reqwest::Client::new()
                .post(url)
                .bearer_auth(key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
    };
    for (n, (llm_error, tool_error)) in [(false, false), (true, false)].into_iter().enumerate() {
        let (root, mut children) = billing_spans(
            &format!("b111111111111111111111111111111{n}"),
            NOW_MS - 30_000,
            llm_error,
            tool_error,
        );
        children.push(root);
        post(children).await;
    }
    let (root, children) = billing_spans(
        "b1111111111111111111111111111119",
        NOW_MS - 20_000,
        false,
        true,
    );
    post(children).await;
    post(vec![root]).await;

    let from = NOW_MS - HOUR;
    let to = NOW_MS + 60_000;
    let check = |system: &Value, agents: &Value| {
        assert_eq!(system["interactions"], 27, "{system}");
        assert_eq!(system["spans"], 81);
        assert_eq!(system["currency"], "EUR");
        let cost =
            (4 * GPT4O_CALL_MICROS + 20 * GPT4O_CALL_MICROS + 3 * REPORTED_MICROS) as f64 / 1e6;
        assert!(
            (system["total_cost"].as_f64().unwrap() - cost).abs() < 1e-9,
            "{system}"
        );
        // Errors: support's 2nd and 3rd, billing's 2nd and 3rd.
        assert!((system["error_rate"].as_f64().unwrap() - 4.0 / 27.0).abs() < 1e-12);
        let avg = (1_000.0 + 2_000.0 + 3_000.0 + 4_000.0 + 20.0 * 2_000.0 + 3.0 * 1_500.0) / 27.0;
        assert!(
            (system["avg_latency_ms"].as_f64().unwrap() - avg).abs() < 1e-6,
            "{system}"
        );
        // 27 durations sorted: 1000, 1500 x3, 2000 x21, 3000, 4000.
        for (q, want) in [("p50", 2_000.0), ("p95", 3_000.0), ("p99", 4_000.0)] {
            let got = system[format!("{q}_latency_ms")].as_f64().unwrap();
            assert!((got - want).abs() / want <= 0.02, "{q}: {got}");
        }
        let day: f64 = system["cost_per_day"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["cost"].as_f64().unwrap())
            .sum();
        assert!((day - cost).abs() < 1e-9);
        let by_name = |name: &str| {
            agents["agents"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["agent"] == name)
                .cloned()
                .unwrap()
        };
        let s = by_name("support-agent");
        assert_eq!(s["interactions"], 4);
        assert_eq!(s["error_rate"], 0.5);
        assert_eq!(s["tool_call_success_rate"], 0.75);
        assert_eq!(s["avg_latency_ms"], 2_500.0);
        assert_eq!(
            (s["input_tokens"].clone(), s["output_tokens"].clone()),
            (4_000.into(), 2_000.into())
        );
        assert!((s["cost"].as_f64().unwrap() - 4.0 * GPT4O_CALL_MICROS as f64 / 1e6).abs() < 1e-12);
        assert_eq!(s["alignment_score"], 1.0);
        assert_eq!(
            s["quality_score"],
            Value::Null,
            "no quality score was given"
        );
        let a = by_name("analytics-agent");
        assert_eq!(
            a["interactions"], 20,
            "sampled out or not, every interaction counts"
        );
        assert_eq!(a["error_rate"], 0.0);
        assert_eq!(a["tool_call_success_rate"], 1.0);
        let b = by_name("billing-bot");
        assert_eq!(b["interactions"], 3);
        assert!((b["error_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((b["tool_call_success_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((b["cost"].as_f64().unwrap() - 3.0 * REPORTED_MICROS as f64 / 1e6).abs() < 1e-12);
        let range_min = (to - from) as f64 / 60_000.0;
        assert!((b["throughput_per_min"].as_f64().unwrap() - 3.0 / range_min).abs() < 1e-12);
    };
    let range = format!("from={}&to={}", iso(from), iso(to));
    let (status, system) = app
        .api(&token, &format!("/api/v1/metrics/system?{range}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{system}");
    assert_eq!(system["active_agents"], 3);
    let (_, agents) = app
        .api(&token, &format!("/api/v1/metrics/agents?{range}"))
        .await;
    check(&system, &agents);

    // Two days on, the same range is read from the hour rollups, and a wide one from days.
    app.services
        .store()
        .roll_up(0, NOW_MS as i64 - 7 * DAY as i64)
        .await
        .unwrap();
    app.clock.advance(2 * DAY as i64);
    let (_, system) = app
        .api(&token, &format!("/api/v1/metrics/system?{range}"))
        .await;
    assert_eq!(
        system["active_agents"], 3,
        "active in the five minutes before the range's end"
    );
    let (_, agents) = app
        .api(&token, &format!("/api/v1/metrics/agents?{range}"))
        .await;
    check(&system, &agents);
    let wide = format!("from={}&to={}", iso(NOW_MS - 10 * DAY), iso(NOW_MS + DAY));
    let (_, system) = app
        .api(&token, &format!("/api/v1/metrics/system?{wide}"))
        .await;
    let (_, agents) = app
        .api(&token, &format!("/api/v1/metrics/agents?{wide}"))
        .await;
    let days = system["cost_per_day"].as_array().unwrap();
    assert_eq!(days.len(), 12, "the UTC days the range touches: {system}");
    let sum_agents: i64 = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["interactions"].as_i64().unwrap())
        .sum();
    assert_eq!(
        (system["interactions"].as_i64(), sum_agents),
        (Some(27), 27)
    );

    // One agent's series: the interactions by the minute.
    let (status, detail) = app
        .api(
            &token,
            &format!("/api/v1/metrics/agents/support-agent?{range}&step=1m"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["interactions"], 4);
    let series = detail["series"].as_array().unwrap();
    assert_eq!(series.len(), 61);
    assert_eq!(
        series
            .iter()
            .map(|p| p["interactions"].as_i64().unwrap())
            .sum::<i64>(),
        4
    );
    assert_eq!(
        series[59]["interactions"], 4,
        "all four started in the minute before now"
    );
    assert_eq!(
        series[0]["error_rate"],
        Value::Null,
        "no interaction, no rate"
    );
}

async fn metrics_are_shown_only_to_their_roles_and_owners_see_their_own_agents(db: TestDb) {
    let app = metrics_app(db).await;
    let support = app.key(KeyScope::Agent("support-agent".into())).await;
    assert_eq!(
        app.post_otlp(&support, &support_traffic()).await.status(),
        StatusCode::OK
    );
    let billing = app.key(KeyScope::Agent("billing-bot".into())).await;
    let (root, mut children) = billing_spans(
        "b1111111111111111111111111111110",
        NOW_MS - 30_000,
        false,
        false,
    );
    children.push(root);
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/ingest", app.url))
        .bearer_auth(&billing)
        .json(&serde_json::json!({"agent": "billing-bot", "spans": children}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let token = |email: &'static str, role: Role| {
        let app = &app;
        async move {
            let id = app.add_user(email, &[role]).await;
            app.token_for(id).await
        }
    };
    let owner = token("owner@example.com", Role::AgentOwner).await;
    let finance = token("fin@example.com", Role::Finance).await;
    let legal = token("legal@example.com", Role::Legal).await;
    let lead = token("lead@example.com", Role::EngineeringLead).await;

    assert_eq!(
        app.api(&lead, "/api/v1/metrics/system").await.0,
        StatusCode::OK
    );
    for t in [&owner, &finance, &legal] {
        assert_eq!(
            app.api(t, "/api/v1/metrics/system").await.0,
            StatusCode::FORBIDDEN
        );
    }
    let names = |v: &Value| {
        v["agents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["agent"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (status, all) = app.api(&finance, "/api/v1/metrics/agents").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&all), ["billing-bot", "support-agent"]);
    let (_, own) = app.api(&owner, "/api/v1/metrics/agents").await;
    assert_eq!(names(&own), ["support-agent"], "billing-bot is not theirs");
    assert_eq!(
        app.api(&owner, "/api/v1/metrics/agents/billing-bot")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(&owner, "/api/v1/metrics/agents/support-agent")
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        app.api(&legal, "/api/v1/metrics/agents").await.0,
        StatusCode::FORBIDDEN
    );

    // Bad ranges are refused with what is wrong.
    let (status, body) = app
        .api(&lead, "/api/v1/metrics/system?from=yesterday")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"].as_str().unwrap().contains("RFC 3339"),
        "{body}"
    );
    let reversed = format!(
        "/api/v1/metrics/system?from={}&to={}",
        iso(NOW_MS),
        iso(NOW_MS - HOUR)
    );
    assert_eq!(app.api(&lead, &reversed).await.0, StatusCode::BAD_REQUEST);
    let (status, _) = app
        .api(&lead, "/api/v1/metrics/agents/support-agent?step=7s")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Scores from the agent (its key) and from a reviewer (a token) feed the quality score and
/// user satisfaction; a score for a trace not seen yet waits for it; bad ones are refused.
async fn scores_feed_quality_and_satisfaction_and_wait_for_their_trace(db: TestDb) {
    let app = metrics_app(db).await;
    let token = app.admin_token().await;
    let support = app.key(KeyScope::Agent("support-agent".into())).await;
    assert_eq!(
        app.post_otlp(&support, &support_traffic()).await.status(),
        StatusCode::OK
    );
    let post = |key: &str, body: Value| {
        let (url, key) = (format!("{}/api/v1/scores", app.url), key.to_string());
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .bearer_auth(key)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Thumbs up and down from users, through the agent's key; a 1-5 rating of 4 (0.75).
    let (status, stored) = post(&support, serde_json::json!([
        {"trace_id": trace_hex(100), "name": "satisfaction", "value": 1, "source": "user"},
        {"trace_id": trace_hex(101), "name": "satisfaction", "value": 0, "source": "user"},
        {"trace_id": trace_hex(102), "name": "satisfaction", "value": 4, "source": "user", "comment": "quick"},
        {"trace_id": trace_hex(100), "name": "tone", "label": "friendly", "source": "evaluator"},
    ])).await;
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    assert_eq!(stored.as_array().unwrap().len(), 4);
    // A reviewer grades quality with a personal token; one trace has not arrived yet.
    let late = trace_hex(199);
    let (status, _) = post(
        &token,
        serde_json::json!([
            {"trace_id": trace_hex(100), "name": "quality", "value": 0.9, "source": "human"},
            {"trace_id": trace_hex(101), "name": "quality", "value": 0.5, "source": "human"},
            {"trace_id": late, "name": "quality", "value": 0.1, "source": "human"},
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let range = format!("from={}&to={}", iso(NOW_MS - HOUR), iso(NOW_MS + 60_000));
    let support_row = |v: &Value| {
        v["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["agent"] == "support-agent")
            .cloned()
            .unwrap()
    };
    let (_, agents) = app
        .api(&token, &format!("/api/v1/metrics/agents?{range}"))
        .await;
    let s = support_row(&agents);
    assert!(
        (s["satisfaction"].as_f64().unwrap() - (1.0 + 0.0 + 0.75) / 3.0).abs() < 1e-9,
        "{s}"
    );
    assert!(
        (s["quality_score"].as_f64().unwrap() - 0.7).abs() < 1e-9,
        "{s}"
    );
    let (_, scores) = app
        .api(&token, &format!("/api/v1/traces/{}/scores", trace_hex(100)))
        .await;
    let names: Vec<&str> = scores
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["satisfaction", "tone", "quality"]);

    // The late trace arrives; the rollup job's pass counts its score.
    let mut late_trace = interaction("support-agent", 199, NOW_MS - 5_000, "Done.", false);
    late_trace.truncate(1);
    assert_eq!(
        app.post_otlp(&support, &request("support-agent", vec![], late_trace))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.services
            .store()
            .count_waiting_scores(NOW_MS as i64)
            .await
            .unwrap(),
        1
    );
    let (_, agents) = app
        .api(&token, &format!("/api/v1/metrics/agents?{range}"))
        .await;
    assert!((support_row(&agents)["quality_score"].as_f64().unwrap() - 0.5).abs() < 1e-9);

    // Refused, storing nothing: a bad value, an agent scoring another's trace.
    let (status, body) = post(&support, serde_json::json!({"trace_id": trace_hex(100), "name": "quality", "value": 3, "source": "evaluator"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("quality is from 0 to 1"),
        "{body}"
    );
    let analytics = app.key(KeyScope::Agent("analytics-agent".into())).await;
    let (status, _) = post(&analytics, serde_json::json!({"trace_id": trace_hex(100), "name": "quality", "value": 0.2, "source": "evaluator"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, scores) = app
        .api(&token, &format!("/api/v1/traces/{}/scores", trace_hex(100)))
        .await;
    assert_eq!(
        scores.as_array().unwrap().len(),
        3,
        "nothing of the refused requests was stored"
    );
}

backend_tests!(
    scores_feed_quality_and_satisfaction_and_wait_for_their_trace,
    the_metrics_api_returns_the_exact_figures_of_known_traffic,
    metrics_are_shown_only_to_their_roles_and_owners_see_their_own_agents,
);
