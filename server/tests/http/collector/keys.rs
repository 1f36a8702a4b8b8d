//! Ingest keys and roles: what a key may write and who may read traces.

use super::*;

async fn an_agent_key_writes_only_its_agent(db: TestDb) {
    let app = fleet_app(db).await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let foreign = request(
        "sales-agent",
        vec![],
        interaction("sales-agent", 7, NOW_MS - 1000, "hi", false),
    );
    let response = app.post_otlp(&key, &foreign).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!(counts.spans, 0, "nothing of a refused request is stored");

    // Mixed: the key's own spans go in, the others are refused as a partial success.
    let mut mixed = request(
        "support-agent",
        vec![],
        interaction("support-agent", 8, NOW_MS - 1000, "ok", false),
    );
    mixed.resource_spans.extend(foreign.resource_spans);
    let response = app.post_otlp(&key, &mixed).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer = ExportTraceServiceResponse::decode(response.bytes().await.unwrap()).unwrap();
    let partial = answer.partial_success.unwrap();
    assert_eq!(partial.rejected_spans, 3);
    assert!(
        partial.error_message.contains("sales-agent"),
        "{}",
        partial.error_message
    );
    let counts = app.services.store().telemetry_counts().await.unwrap();
    assert_eq!(counts.spans, 3);

    // An environment key writes any agent of its environment, and new agents.
    let env_key = app.key(KeyScope::Environment("production".into())).await;
    let newcomer = request(
        "brand-new-agent",
        vec![],
        interaction("brand-new-agent", 9, NOW_MS - 1000, "ok", false),
    );
    assert_eq!(
        app.post_otlp(&env_key, &newcomer).await.status(),
        StatusCode::OK
    );
    let token = app.admin_token().await;
    let (_, agents) = app.api(&token, "/api/v1/agents").await;
    let newcomer = agents
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "brand-new-agent")
        .unwrap();
    assert_eq!(newcomer["source"], "unregistered");
    assert_eq!(newcomer["environment"], "production");
    let staging = app.key(KeyScope::Environment("staging".into())).await;
    assert_eq!(
        app.post_otlp(&staging, &mixed).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn missing_unknown_and_revoked_keys_get_401(db: TestDb) {
    let app = fleet_app(db).await;
    let body = request(
        "support-agent",
        vec![],
        interaction("support-agent", 1, NOW_MS, "x", false),
    );
    let c = reqwest::Client::new();
    let anonymous = c
        .post(format!("{}/v1/traces", app.url))
        .header("content-type", "application/x-protobuf")
        .body(body.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.post_otlp("wik_0000", &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let created = app
        .services
        .create_ingest_key(
            &Actor::System,
            "old",
            KeyScope::Agent("support-agent".into()),
        )
        .await
        .unwrap();
    assert_eq!(
        app.post_otlp(&created.secret, &body).await.status(),
        StatusCode::OK
    );
    app.services
        .revoke_ingest_key(&Actor::System, created.info.id)
        .await
        .unwrap();
    assert_eq!(
        app.post_otlp(&created.secret, &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A person's API token is not an ingest key.
    let admin = app.admin_token().await;
    assert_eq!(
        app.post_otlp(&admin, &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn agent_owners_see_only_their_agents_and_finance_no_traces(db: TestDb) {
    let app = spawn_with(db, |c| {
        let mut mine = agent("support-agent", 1.0, PiiScan::RealTime);
        mine.owner = Some("olga@example.com".into());
        c.ingestion.agents = vec![mine, agent("sales-agent", 1.0, PiiScan::RealTime)];
    })
    .await;
    let key = app.key(KeyScope::Environment("production".into())).await;
    let mut spans = interaction("support-agent", 30, NOW_MS - 1000, "a", false);
    spans.extend(interaction("sales-agent", 31, NOW_MS - 1000, "b", false));
    assert_eq!(
        app.post_otlp(&key, &request("x", vec![], spans))
            .await
            .status(),
        StatusCode::OK
    );
    let olga = app.add_user("olga@example.com", &[Role::AgentOwner]).await;
    let olga = app.token_for(olga).await;
    let (_, page) = app.api(&olga, "/api/v1/traces").await;
    let agents: Vec<&str> = page["traces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["agent"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["support-agent"]);
    let (status, _) = app
        .api(&olga, &format!("/api/v1/traces/{}", trace_hex(31)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let fin = app.add_user("fin@example.com", &[Role::Finance]).await;
    let fin = app.token_for(fin).await;
    let (status, _) = app.api(&fin, "/api/v1/traces").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.api(&olga, "/api/v1/ingest-keys").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

backend_tests!(
    an_agent_key_writes_only_its_agent,
    missing_unknown_and_revoked_keys_get_401,
    agent_owners_see_only_their_agents_and_finance_no_traces,
);
