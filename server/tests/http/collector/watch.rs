//! The rules that watch agents over time, with the test's clock: `mandatory_logging` fires
//! once per silence longer than the gap, `kill_switch_required` once per window in which an
//! active agent did not read its control state; near misses stay quiet; a stopped agent is
//! not watched. On SQLite and PostgreSQL.

use super::*;
use warden_services::policy::watch::WatchSettings;

const MIN: i64 = 60_000;

impl TestApp {
    /// Runs the watch, then lists the (rule, agent) of every violation without a trace.
    async fn watch(&self, token: &str) -> Vec<(String, String)> {
        self.services
            .watch_agents(WatchSettings::default())
            .await
            .unwrap();
        let (_, page) = self.api(token, "/api/v1/violations").await;
        let mut found: Vec<(String, String)> = page["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["trace_id"].is_null())
            .map(|v| {
                (
                    v["rule"].as_str().unwrap().to_string(),
                    v["agent"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    }

    async fn send_one(&self, key: &str, trace: u64) {
        let spans = interaction("support-agent", trace, NOW_MS, "fine", false);
        let response = self
            .post_otlp(key, &request("support-agent", vec![], spans))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn read_control(&self, key: &str) {
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1/agents/support-agent/control", self.url))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}

fn pair(rule: &str) -> (String, String) {
    (rule.to_string(), "support-agent".to_string())
}

async fn agents_are_watched_over_time(db: TestDb) {
    let app = fleet_app(db).await;
    let token = app.admin_token().await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    app.send_one(&key, 1).await;

    // Active and never read its control state: one violation per window, however often
    // the watch runs (every replica runs it).
    app.clock.advance(MIN);
    assert_eq!(app.watch(&token).await, [pair("kill_switch_required")]);
    assert_eq!(app.watch(&token).await, [pair("kill_switch_required")]);

    // Reading it within the window keeps the rule quiet.
    app.clock.advance(4 * MIN);
    app.read_control(&key).await;
    app.clock.advance(MIN);
    app.send_one(&key, 2).await;
    app.clock.advance(3 * MIN);
    assert_eq!(
        app.watch(&token).await.len(),
        1,
        "read 4 min ago: a near miss"
    );
    // Sending again 7 min after the last read: a second window without a read.
    app.clock.advance(2 * MIN);
    app.send_one(&key, 3).await;
    app.clock.advance(MIN);
    let found = app.watch(&token).await;
    assert_eq!(
        found,
        [pair("kill_switch_required"), pair("kill_switch_required")]
    );

    // Quiet since the last trace: 14 min is a near miss, 16 min breaks the 15 min gap once.
    app.read_control(&key).await;
    app.clock.advance(13 * MIN);
    assert!(!app.watch(&token).await.contains(&pair("mandatory_logging")));
    app.clock.advance(2 * MIN);
    let found = app.watch(&token).await;
    assert_eq!(
        found.iter().filter(|p| p.0 == "mandatory_logging").count(),
        1,
        "{found:?}"
    );
    app.clock.advance(10 * MIN);
    let found = app.watch(&token).await;
    assert_eq!(
        found.iter().filter(|p| p.0 == "mandatory_logging").count(),
        1,
        "{found:?}"
    );
    let (_, page) = app
        .api(&token, "/api/v1/violations?rule=mandatory_logging")
        .await;
    let evidence = page["violations"][0]["evidence"].as_str().unwrap();
    assert!(evidence.starts_with("no spans for 16 min"), "{evidence}");

    // A paused agent is not expected to send or read anything.
    let total = app.watch(&token).await.len();
    app.put_control_as_admin("support-agent", "paused").await;
    app.clock.advance(60 * MIN);
    assert_eq!(app.watch(&token).await.len(), total);
}

impl TestApp {
    async fn put_control_as_admin(&self, agent: &str, state: &str) {
        let admin = self.add_user("switch@example.com", &[Role::Admin]).await;
        let token = self.token_for(admin).await;
        let body = serde_json::json!({"state": state, "reason": "maintenance"});
        let (status, _) = self.put_control(&token, agent, body).await;
        assert_eq!(status, StatusCode::OK);
    }
}

/// Tried as a new user would: a killed agent went on streaming and nothing said so. Now
/// the watch finds the switch did not take, and the finding opens an incident that pages.
async fn a_killed_agent_that_keeps_sending_opens_an_incident(db: TestDb) {
    let app = fleet_app(db).await;
    let token = app.admin_token().await;
    let key = app.key(KeyScope::Agent("support-agent".into())).await;
    app.send_one(&key, 1).await;
    app.read_control(&key).await;
    app.put_control_as_admin("support-agent", "killed").await;
    // Spans within the minute after the switch are the agent finishing up: quiet.
    app.clock.advance(30_000);
    app.send_one(&key, 2).await;
    assert!(app.watch(&token).await.is_empty());
    app.clock.advance(2 * MIN);
    app.send_one(&key, 3).await;
    assert_eq!(app.watch(&token).await, [pair("kill_switch_required")]);
    let (_, page) = app
        .api(&token, "/api/v1/violations?rule=kill_switch_required")
        .await;
    let evidence = page["violations"][0]["evidence"].as_str().unwrap();
    assert!(evidence.contains("the switch did not take"), "{evidence}");
    // Once per switch, however often the watch runs.
    app.clock.advance(MIN);
    app.send_one(&key, 4).await;
    assert_eq!(app.watch(&token).await.len(), 1);

    let pass = app.services.raise_from_findings().await.unwrap();
    assert_eq!(pass.opened, 1);
    let (_, incidents) = app.api(&token, "/api/v1/incidents").await;
    let incident = &incidents[0];
    assert_eq!(incident["kind"], "violation");
    assert_eq!(incident["agent"], "support-agent");
    assert_eq!(
        incident["title"],
        "support-agent does not follow its kill switch"
    );
    assert_eq!(incident["status"], "triggered");
}

backend_tests!(
    agents_are_watched_over_time,
    a_killed_agent_that_keeps_sending_opens_an_incident
);
