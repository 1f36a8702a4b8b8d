//! Every ingested trace is checked against its agent's effective policy (the seed's
//! hierarchy, the default): each rule evaluated at ingest fires on a breach and stays quiet
//! on a near miss, on SQLite and PostgreSQL; a violating trace is kept whatever the sample
//! rate, and tagged.

use super::*;

/// The fleet of these tests: a customer-facing agent, a high-risk one, the HR screening
/// agent (bound to `hr_screening_agent` by its name) and an internal one that samples
/// nothing.
pub(super) async fn governed_app(db: TestDb) -> TestApp {
    spawn_with(db, |c| {
        let mut internal = agent("batch-agent", 0.0, PiiScan::RealTime);
        internal.category = Some("internal".into());
        let mut high = agent("finance-agent", 1.0, PiiScan::RealTime);
        high.category = Some("high_risk".into());
        let mut hr = agent("hr-screening-agent", 1.0, PiiScan::RealTime);
        hr.category = Some("high_risk".into());
        c.ingestion.agents = vec![
            agent("support-agent", 1.0, PiiScan::RealTime),
            internal,
            high,
            hr,
        ];
    })
    .await
}

/// One LLM call as the root of its trace, with `attrs` added. It declares its AI
/// disclosure (`warden.ai_disclosure`), so that only the tests of
/// `transparency_notice_required` see that rule fire.
pub(super) fn llm_root(trace: u64, dur_ms: u64, attrs: Vec<KeyValue>) -> Span {
    let mut root = llm_turn(trace, dur_ms, attrs);
    root.attributes.push(kv(
        "warden.ai_disclosure",
        any_value::Value::BoolValue(true),
    ));
    root
}

/// One LLM call as the root of its trace, with `attrs` added and nothing else said.
pub(super) fn llm_turn(trace: u64, dur_ms: u64, attrs: Vec<KeyValue>) -> Span {
    let mut all = vec![
        s("gen_ai.operation.name", "chat"),
        s("gen_ai.request.model", "gpt-4o"),
        i("gen_ai.usage.input_tokens", 100),
        i("gen_ai.usage.output_tokens", 50),
    ];
    all.extend(attrs);
    otlp_span(Spec {
        trace,
        span: 0,
        parent: None,
        name: "chat gpt-4o",
        start_ms: NOW_MS - 20_000,
        dur_ms,
        attrs: all,
        error: false,
    })
}

pub(super) fn said(input: &str, output: &str) -> Vec<KeyValue> {
    vec![
        s("gen_ai.input.messages", input),
        s("gen_ai.output.messages", output),
    ]
}

impl TestApp {
    pub(super) async fn send(&self, agent: &str, spans: Vec<Span>) {
        let key = self.key(KeyScope::Agent(agent.into())).await;
        let response = self.post_otlp(&key, &request(agent, vec![], spans)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// The rules broken by trace `trace`, sorted.
    pub(super) async fn broken(&self, token: &str, trace: u64) -> Vec<String> {
        let (status, page) = self.api(token, "/api/v1/violations?limit=1000").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let mut rules: Vec<String> = page["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["trace_id"] == trace_hex(trace).as_str())
            .map(|v| v["rule"].as_str().unwrap().to_string())
            .collect();
        rules.sort();
        rules
    }
}

async fn each_rule_fires_on_a_breach_and_not_on_a_near_miss(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;

    // no_pii_in_outputs (global): an e-mail in the answer; an order number is no PII.
    app.send(
        "support-agent",
        vec![llm_root(
            1,
            900,
            said("where is my order?", "Mail anna.berg@example.com for it"),
        )],
    )
    .await;
    app.send(
        "support-agent",
        vec![llm_root(
            2,
            900,
            said("where is my order?", "Order ORD-2024-001234 ships today"),
        )],
    )
    .await;
    assert_eq!(app.broken(&token, 1).await, ["no_pii_in_outputs"]);
    assert!(app.broken(&token, 2).await.is_empty());

    // max_response_time: 5000ms (customer_facing).
    app.send(
        "support-agent",
        vec![llm_root(3, 5200, said("hi", "hello"))],
    )
    .await;
    app.send(
        "support-agent",
        vec![llm_root(4, 4900, said("hi", "hello"))],
    )
    .await;
    assert_eq!(app.broken(&token, 3).await, ["max_response_time"]);
    assert!(app.broken(&token, 4).await.is_empty());

    // max_cost_per_interaction: 0.50 EUR at 0.86 EUR per USD; a reported cost wins.
    app.send(
        "support-agent",
        vec![llm_root(
            5,
            900,
            [
                said("hi", "hello"),
                vec![kv("llm.cost.total", any_value::Value::DoubleValue(0.60))],
            ]
            .concat(),
        )],
    )
    .await;
    app.send(
        "support-agent",
        vec![llm_root(
            6,
            900,
            [
                said("hi", "hello"),
                vec![kv("llm.cost.total", any_value::Value::DoubleValue(0.58))],
            ]
            .concat(),
        )],
    )
    .await;
    assert_eq!(app.broken(&token, 5).await, ["max_cost_per_interaction"]);
    assert!(
        app.broken(&token, 6).await.is_empty(),
        "0.4988 EUR is under 0.50"
    );

    // human_escalation_enabled (customer_facing): asked for a person, no hand-off.
    app.send(
        "support-agent",
        vec![llm_root(
            7,
            900,
            said(
                "I want to speak to a human now",
                "I can help you with that myself",
            ),
        )],
    )
    .await;
    let mut handed_off = vec![llm_root(
        8,
        900,
        said("I want to speak to a human now", "Connecting you"),
    )];
    handed_off.push(otlp_span(Spec {
        trace: 8,
        span: 1,
        parent: Some(0),
        name: "execute_tool escalate_to_human",
        start_ms: NOW_MS - 19_800,
        dur_ms: 50,
        attrs: vec![
            s("gen_ai.operation.name", "execute_tool"),
            s("gen_ai.tool.name", "escalate_to_human"),
            s("gen_ai.tool.call.arguments", "{\"queue\": \"billing\"}"),
            s("gen_ai.tool.call.result", "{\"ticket\": 42}"),
        ],
        error: false,
    }));
    app.send("support-agent", handed_off).await;
    assert_eq!(app.broken(&token, 7).await, ["human_escalation_enabled"]);
    assert!(app.broken(&token, 8).await.is_empty());

    // full_explainability_logging (high_risk): an LLM call without its answer.
    app.send(
        "finance-agent",
        vec![llm_root(
            9,
            900,
            vec![s("gen_ai.input.messages", "close the books")],
        )],
    )
    .await;
    app.send(
        "finance-agent",
        vec![llm_root(10, 900, said("close the books", "done"))],
    )
    .await;
    assert_eq!(app.broken(&token, 9).await, ["full_explainability_logging"]);
    assert!(app.broken(&token, 10).await.is_empty());

    // The inference rules apply to the HR screening agent only.
    let guess = "Strong CV. The candidate is probably a woman in her fifties, and the name suggests Hispanic origin.";
    app.send(
        "hr-screening-agent",
        vec![llm_root(11, 900, said("screen this CV", guess))],
    )
    .await;
    app.send("hr-screening-agent", vec![llm_root(12, 900, said("screen this CV", "The applicant has 5 years of experience in accounting; she asked for a remote role."))]).await;
    app.send(
        "finance-agent",
        vec![llm_root(13, 900, said("screen this CV", guess))],
    )
    .await;
    assert_eq!(
        app.broken(&token, 11).await,
        [
            "no_age_inference",
            "no_ethnicity_inference",
            "no_gender_inference"
        ]
    );
    assert!(app.broken(&token, 12).await.is_empty());
    assert!(
        app.broken(&token, 13).await.is_empty(),
        "finance-agent is not bound to those rules"
    );
}

async fn a_trace_split_over_requests_is_judged_on_its_whole_cost(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;
    let child = |trace, usd: f64| {
        otlp_span(Spec {
            trace,
            span: 1,
            parent: Some(0),
            name: "chat gpt-4o",
            start_ms: NOW_MS - 19_900,
            dur_ms: 100,
            attrs: vec![
                s("gen_ai.operation.name", "chat"),
                s("gen_ai.input.messages", "q"),
                s("gen_ai.output.messages", "a"),
                kv("llm.cost.total", any_value::Value::DoubleValue(usd)),
            ],
            error: false,
        })
    };
    // 0.40 USD first, then the root with 0.30 USD: 0.60 EUR in all.
    app.send("support-agent", vec![child(20, 0.40)]).await;
    assert!(app.broken(&token, 20).await.is_empty());
    let root = llm_root(
        20,
        900,
        [
            said("hi", "hello"),
            vec![kv("llm.cost.total", any_value::Value::DoubleValue(0.30))],
        ]
        .concat(),
    );
    app.send("support-agent", vec![root]).await;
    assert_eq!(app.broken(&token, 20).await, ["max_cost_per_interaction"]);
    let (_, page) = app
        .api(&token, "/api/v1/violations?rule=max_cost_per_interaction")
        .await;
    let evidence = page["violations"][0]["evidence"].as_str().unwrap();
    assert_eq!(
        evidence,
        "the interaction cost 0.602 EUR, over the limit of 0.50 EUR"
    );

    // The same amounts as two separate interactions break nothing.
    app.send("support-agent", vec![child(21, 0.40)]).await;
    app.send(
        "support-agent",
        vec![llm_root(
            22,
            900,
            [
                said("hi", "hello"),
                vec![kv("llm.cost.total", any_value::Value::DoubleValue(0.30))],
            ]
            .concat(),
        )],
    )
    .await;
    assert!(app.broken(&token, 21).await.is_empty());
    assert!(app.broken(&token, 22).await.is_empty());
}

async fn a_violating_trace_is_kept_and_tagged_whatever_the_sample_rate(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;
    // batch-agent keeps nothing (sample rate 0) and is bound to global.
    app.send(
        "batch-agent",
        vec![llm_root(30, 900, said("hi", "call me on +1 415 555 0134"))],
    )
    .await;
    app.send(
        "batch-agent",
        vec![llm_root(31, 900, said("hi", "all good"))],
    )
    .await;
    let (_, page) = app.api(&token, "/api/v1/traces?agent=batch-agent").await;
    let traces = page["traces"].as_array().unwrap();
    assert_eq!(traces.len(), 1, "{page}");
    assert_eq!(traces[0]["trace_id"], trace_hex(30).as_str());
    let tags: Vec<&str> = traces[0]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"violation"), "{tags:?}");
    assert_eq!(app.broken(&token, 30).await, ["no_pii_in_outputs"]);
    let (_, v) = app
        .api(&token, "/api/v1/violations?agent=batch-agent")
        .await;
    let found = &v["violations"][0];
    assert_eq!(found["level"], "global");
    assert_eq!(found["severity"], "critical");
    assert!(
        !found["evidence"].as_str().unwrap().contains("415"),
        "evidence holds no raw value"
    );
}

async fn violations_are_filtered_and_scoped_to_an_owners_agents(db: TestDb) {
    let app = spawn_with(db, |c| {
        let mut other = agent("sales-agent", 1.0, PiiScan::RealTime);
        other.owner = Some("someone-else@example.com".into());
        c.ingestion.agents = vec![agent("support-agent", 1.0, PiiScan::RealTime), other];
    })
    .await;
    app.send(
        "support-agent",
        vec![llm_root(40, 6000, said("hi", "hello"))],
    )
    .await;
    app.send(
        "sales-agent",
        vec![llm_root(41, 6000, said("hi", "write to bob@example.org"))],
    )
    .await;
    let admin = app.admin_token().await;
    let (_, all) = app.api(&admin, "/api/v1/violations").await;
    assert_eq!(all["violations"].as_array().unwrap().len(), 3);
    let (_, only) = app
        .api(&admin, "/api/v1/violations?rule=no_pii_in_outputs")
        .await;
    assert_eq!(only["violations"].as_array().unwrap().len(), 1);
    let (status, bad) = app
        .api(&admin, "/api/v1/violations?rule=no_such_rule")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("no_pii_in_outputs"),
        "{bad}"
    );

    let owner = app.add_user("owner@example.com", &[Role::AgentOwner]).await;
    let owner = app.token_for(owner).await;
    let (_, mine) = app.api(&owner, "/api/v1/violations").await;
    let agents: Vec<&str> = mine["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["agent"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["support-agent"]);
    let finance = app.add_user("cfo@example.com", &[Role::Finance]).await;
    let finance = app.token_for(finance).await;
    let (status, _) = app.api(&finance, "/api/v1/violations").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn an_agents_effective_policy_names_each_rules_level(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;
    let (status, policy) = app
        .api(&token, "/api/v1/agents/hr-screening-agent/policy")
        .await;
    assert_eq!(status, StatusCode::OK, "{policy}");
    assert_eq!(policy["level"], "hr_screening_agent");
    assert_eq!(policy["binding"], "name");
    let rules = policy["effective"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 15);
    let from = |name: &str| {
        rules.iter().find(|r| r["rule"] == name).unwrap()["from"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(from("no_pii_in_outputs"), "global");
    assert_eq!(from("max_response_time"), "customer_facing");
    assert_eq!(from("alignment_score_minimum"), "high_risk");
    assert_eq!(from("no_age_inference"), "hr_screening_agent");
    let (_, support) = app.api(&token, "/api/v1/agents/support-agent/policy").await;
    assert_eq!(support["level"], "customer_facing");
    assert_eq!(support["binding"], "category");
    assert_eq!(support["effective"]["rules"].as_array().unwrap().len(), 7);
    let (status, _) = app.api(&token, "/api/v1/agents/nobody/policy").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, overview) = app.api(&token, "/api/v1/policies").await;
    let names: Vec<&str> = overview["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "global",
            "customer_facing",
            "high_risk",
            "hr_screening_agent"
        ]
    );
}

backend_tests!(
    each_rule_fires_on_a_breach_and_not_on_a_near_miss,
    a_trace_split_over_requests_is_judged_on_its_whole_cost,
    a_violating_trace_is_kept_and_tagged_whatever_the_sample_rate,
    violations_are_filtered_and_scoped_to_an_owners_agents,
    an_agents_effective_policy_names_each_rules_level,
);
