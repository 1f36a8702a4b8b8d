//! Budgets over HTTP, on SQLite and PostgreSQL: the config file's budgets are there from
//! the start, finance sets and removes them (others are refused, bad bodies get a 400), the
//! month's spend (and the spend by model) comes from real OTLP traffic, and a hard cap
//! pauses the agent it covers.

use super::*;
use warden_server::config::BudgetConfig;

/// gpt-4o at 2.50 / 10 USD per million tokens, 1000 in and 500 out, at 0.86 EUR per USD.
const GPT4O_CALL: f64 = 0.006_45;

async fn budgets_are_read_set_and_capped_over_the_api(db: TestDb) {
    let app = spawn_with(db, |c| {
        c.ingestion.agents = vec![agent("support-agent", 1.0, PiiScan::RealTime)];
        c.budgets.fleet = Some(BudgetConfig {
            monthly: 500.0,
            hard_cap: None,
            rate_limit_per_min: None,
        });
    })
    .await;
    let admin = app.admin_token().await;
    let finance = app.add_user("fin@example.com", &[Role::Finance]).await;
    let finance = app.token_for(finance).await;
    let cto = app.add_user("cto@example.com", &[Role::Cto]).await;
    let cto = app.token_for(cto).await;
    let owner = app.add_user("owner@example.com", &[Role::AgentOwner]).await;
    let owner = app.token_for(owner).await;

    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    let spans: Vec<Span> = (0..10)
        .flat_map(|n| {
            interaction(
                "support-agent",
                300 + n,
                NOW_MS - 60_000 + n * 1_000,
                "ok",
                false,
            )
        })
        .collect();
    let body = request("support-agent", vec![], spans);
    assert_eq!(app.post_otlp(&key, &body).await.status(), StatusCode::OK);

    // The config's fleet budget, with this month's spend of the ten calls.
    let (status, list) = app.api(&cto, "/api/v1/budgets").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["budget"]["scope"]["kind"], "fleet");
    assert_eq!(list[0]["budget"]["updated_by"], "config");
    assert!(
        (list[0]["spent"].as_f64().unwrap() - 10.0 * GPT4O_CALL).abs() < 1e-9,
        "{list:?}"
    );
    assert_eq!(list[0]["state"], "on_track");
    let (status, _) = app.api(&owner, "/api/v1/budgets").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Spend by model: the ten gpt-4o calls.
    let (status, models) = app.api(&finance, "/api/v1/metrics/models").await;
    assert_eq!(status, StatusCode::OK, "{models}");
    let models = models["models"].as_array().unwrap().clone();
    assert_eq!(models.len(), 1, "{models:?}");
    assert_eq!(models[0]["model"], "gpt-4o");
    assert_eq!(models[0]["calls"], 10);
    assert_eq!(models[0]["agents"], serde_json::json!(["support-agent"]));
    assert!((models[0]["cost"].as_f64().unwrap() - 10.0 * GPT4O_CALL).abs() < 1e-9);
    let (status, _) = app.api(&owner, "/api/v1/metrics/models").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let put = |token: String, path: &'static str, body: Value| {
        let app = &app;
        async move {
            app.call(reqwest::Method::PUT, path, &token, Some(body))
                .await
        }
    };
    let path = "/api/v1/budgets/agents/support-agent";
    let cap = serde_json::json!({"monthly": 0.05, "hard_cap": "pause"});
    let (status, _) = put(cto.clone(), path, cap.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the CTO reads budgets, finance sets them"
    );
    for (bad, says) in [
        (
            serde_json::json!({"monthly": 10, "hard_cap": "stop"}),
            "unknown hard cap",
        ),
        (
            serde_json::json!({"monthly": 10, "hard_cap": "rate_limit"}),
            "rate_limit_per_min",
        ),
        (serde_json::json!({"monthly": 0}), "positive"),
        (
            serde_json::json!({"monthly": 10, "extra": 1}),
            "unknown field",
        ),
    ] {
        let (status, answer) = put(finance.clone(), path, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(answer.to_string().contains(says), "{answer}");
    }
    let (status, _) = put(
        finance.clone(),
        "/api/v1/budgets/agents/nobody",
        serde_json::json!({"monthly": 10}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // 0.05 for support-agent, which has spent 0.0645: over, and the cap pauses it.
    let (status, set) = put(finance.clone(), path, cap).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["state"], "over");
    assert_eq!(set["budget"]["hard_cap"]["action"], "pause");
    let applied = app.services.enforce_budgets().await.unwrap();
    assert_eq!(applied.len(), 1, "{applied:?}");
    let (_, control) = app
        .api(&admin, "/api/v1/agents/support-agent/control")
        .await;
    assert_eq!(control["state"], "paused", "{control}");
    assert!(
        control["reason"]
            .as_str()
            .unwrap()
            .contains("monthly budget")
    );
    assert!(
        app.services.enforce_budgets().await.unwrap().is_empty(),
        "once a month"
    );

    let (_, trail) = app.api(&admin, "/api/v1/audit?action=budget").await;
    let actors: Vec<&str> = trail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["fin@example.com", "config"], "{trail}");

    let delete = |token: String| {
        let app = &app;
        async move {
            app.call(reqwest::Method::DELETE, path, &token, None)
                .await
                .0
        }
    };
    assert_eq!(delete(cto.clone()).await, StatusCode::FORBIDDEN);
    assert_eq!(delete(finance.clone()).await, StatusCode::NO_CONTENT);
    assert_eq!(delete(finance.clone()).await, StatusCode::NOT_FOUND);
}

backend_tests!(budgets_are_read_set_and_capped_over_the_api,);
