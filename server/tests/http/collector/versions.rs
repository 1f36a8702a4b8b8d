//! Versioned policies over HTTP, on SQLite and PostgreSQL: a proposal, its review
//! (`dual_review_for_changes`: two approvers other than the author where it applies, one
//! elsewhere), the new version in force, and what is refused. The audit trail holds it all.

use super::*;
use serde_json::json;

impl TestApp {
    async fn propose(&self, token: &str, document: &str, note: &str) -> (StatusCode, Value) {
        self.call(
            reqwest::Method::PUT,
            "/api/v1/policies",
            token,
            Some(json!({"document": document, "note": note})),
        )
        .await
    }

    async fn decide(&self, token: &str, id: i64, verb: &str, note: &str) -> (StatusCode, Value) {
        let path = format!("/api/v1/policies/proposals/{id}/{verb}");
        self.call(
            reqwest::Method::POST,
            &path,
            token,
            Some(json!({"note": note})),
        )
        .await
    }

    async fn exported(&self, token: &str, query: &str) -> String {
        reqwest::Client::new()
            .get(format!("{}/api/v1/policies/export{query}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The value (in ms, for a duration) and level of `rule` in `agent`'s effective policy.
    async fn rule_of(&self, token: &str, agent: &str, rule: &str) -> Option<(i64, String)> {
        let path = format!("/api/v1/agents/{agent}/policy");
        let (status, body) = self.call(reqwest::Method::GET, &path, token, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["effective"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule)
            .map(|r| {
                (
                    r["value"]["value"]["ms"].as_i64().unwrap(),
                    r["from"].as_str().unwrap().to_string(),
                )
            })
    }

    async fn user_token(&self, email: &str, roles: &[Role]) -> String {
        let id = self.add_user(email, roles).await;
        self.token_for(id).await
    }
}

async fn fleet(db: TestDb) -> TestApp {
    spawn_with(db, |c| {
        let mut hr = agent("hr-screening-agent", 1.0, PiiScan::RealTime);
        hr.category = Some("high_risk".into());
        let mut support = agent("support-agent", 1.0, PiiScan::RealTime);
        support.category = Some("customer_facing".into());
        c.ingestion.agents = vec![support, hr];
    })
    .await
}

const HIGH_RISK_LAST_RULE: &str = "      - audit_trail_retention: 5y\n";

async fn a_change_under_dual_review_needs_two_approvers_besides_its_author(db: TestDb) {
    let app = fleet(db).await;
    let author = app
        .user_token("lead@example.com", &[Role::EngineeringLead])
        .await;
    let first = app.user_token("rev1@example.com", &[Role::Reviewer]).await;
    let second = app.user_token("rev2@example.com", &[Role::Legal]).await;
    let on_call = app.user_token("oncall@example.com", &[Role::OnCall]).await;

    let v1 = app.exported(&author, "").await;
    assert!(v1.contains(HIGH_RISK_LAST_RULE), "{v1}");
    let v2 = v1.replace(
        HIGH_RISK_LAST_RULE,
        &format!("{HIGH_RISK_LAST_RULE}      - max_response_time: 3000ms\n"),
    );
    // Who may propose: not on-call.
    let (status, _) = app.propose(&on_call, &v2, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, proposal) = app.propose(&author, &v2, "faster answers for HR").await;
    assert_eq!(status, StatusCode::CREATED, "{proposal}");
    let id = proposal["id"].as_i64().unwrap();
    assert_eq!(proposal["required_approvals"], 2, "{proposal}");
    assert_eq!(proposal["base_version"], 1);
    assert_eq!(
        proposal["changes"],
        json!(["high_risk: added max_response_time 3000ms"])
    );
    assert_eq!(
        proposal["affected_levels"],
        json!(["high_risk", "hr_screening_agent"])
    );
    assert_eq!(proposal["affected_agents"], json!(["hr-screening-agent"]));

    // The author may not approve; on-call may not; the first approver only once.
    let (status, body) = app.decide(&author, id, "approve", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = app.decide(&on_call, id, "approve", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.decide(&first, id, "approve", "looks right").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "open");
    assert_eq!(body["approvals"].as_array().unwrap().len(), 1);
    let (status, body) = app.decide(&first, id, "approve", "again").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("another approver"),
        "{body}"
    );
    // Nothing changed yet.
    assert_eq!(
        app.rule_of(&first, "hr-screening-agent", "max_response_time")
            .await,
        Some((5000, "customer_facing".into()))
    );

    let (status, body) = app.decide(&second, id, "approve", "ok").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "applied");
    assert_eq!(body["applied_version"], 2);
    assert_eq!(
        app.rule_of(&first, "hr-screening-agent", "max_response_time")
            .await,
        Some((3000, "high_risk".into()))
    );
    // support-agent is not under high_risk: untouched.
    assert_eq!(
        app.rule_of(&first, "support-agent", "max_response_time")
            .await,
        Some((5000, "customer_facing".into()))
    );
    assert_eq!(app.exported(&first, "").await, v2);
    assert_eq!(app.exported(&first, "?version=1").await, v1);
    let (_, versions) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/policies/versions",
            &first,
            None,
        )
        .await;
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["created_by"], "lead@example.com");
    assert_eq!(versions[0]["proposal_id"], id);

    // A closed proposal takes no more decisions.
    let (status, _) = app.decide(&on_call, id, "reject", "late").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.user_token("root@example.com", &[Role::Admin]).await;
    let (status, body) = app.decide(&admin, id, "approve", "").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // The trail: proposed, approved twice, applied, in order, by whom.
    let (_, audit) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/audit?action=policy",
            &first,
            None,
        )
        .await;
    let seen: Vec<(String, String)> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("policy.seed", "system"),
        ("policy.propose", "lead@example.com"),
        ("policy.approve", "rev1@example.com"),
        ("policy.approve", "rev2@example.com"),
        ("policy.apply", "rev2@example.com"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(seen, expected);
}

async fn a_change_outside_dual_review_needs_one_approval(db: TestDb) {
    let app = fleet(db).await;
    let author = app.user_token("legal@example.com", &[Role::Legal]).await;
    let reviewer = app.user_token("rev@example.com", &[Role::Reviewer]).await;
    let v1 = app.exported(&author, "").await;
    // A new level under global: nothing under dual review changes.
    let v2 = format!(
        "{v1}  sales_bots:\n    inherits: global\n    rules:\n      - max_cost_per_interaction: 0.20 EUR\n"
    );
    let (status, proposal) = app.propose(&author, &v2, "").await;
    assert_eq!(status, StatusCode::CREATED, "{proposal}");
    assert_eq!(proposal["required_approvals"], 1, "{proposal}");
    assert_eq!(proposal["affected_levels"], json!(["sales_bots"]));
    assert_eq!(proposal["affected_agents"], json!([]));
    let id = proposal["id"].as_i64().unwrap();
    let (status, body) = app.decide(&reviewer, id, "approve", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "applied", "{body}");
    let (_, overview) = app
        .call(reqwest::Method::GET, "/api/v1/policies", &reviewer, None)
        .await;
    assert!(
        overview["levels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["name"] == "sales_bots"),
        "{overview}"
    );
}

async fn bad_proposals_are_refused_with_the_reason_and_change_nothing(db: TestDb) {
    let app = spawn_with(db, |c| {
        let mut bound = agent("bound-agent", 1.0, PiiScan::RealTime);
        bound.policy = Some("high_risk".into());
        c.ingestion.agents = vec![bound];
    })
    .await;
    let author = app.user_token("root@example.com", &[Role::Admin]).await;
    let reviewer = app.user_token("rev@example.com", &[Role::Reviewer]).await;
    let v1 = app.exported(&author, "").await;

    let refused = |body: &Value| body["message"].as_str().unwrap_or_default().to_string();
    let (status, body) = app
        .propose(
            &author,
            &v1.replace("no_pii_in_outputs", "no_pii_in_output"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused(&body).contains("line 4"), "{body}");
    assert!(refused(&body).contains("no_pii_in_outputs"), "{body}");
    let (status, body) = app
        .propose(&author, &v1.replace("5000ms", "5 parsecs"), "")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused(&body).contains("max_response_time"), "{body}");
    let (status, body) = app
        .propose(
            &author,
            &v1.replace("inherits: global", "inherits: high_risk"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused(&body).contains("cycle"), "{body}");
    let (status, body) = app
        .propose(
            &author,
            "policies:\n  global:\n    inherits: nobody\n    - no_pii_in_outputs\n",
            "",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused(&body).contains("rules:"), "{body}");
    let (status, body) = app.propose(&author, &v1, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused(&body).contains("same as version 1"), "{body}");
    // Removing the level an agent is bound to (and its child) would break its binding.
    let cut = v1.split("  high_risk:").next().unwrap().to_string();
    let (status, body) = app.propose(&author, &cut, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused(&body).contains("bound-agent"), "{body}");
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/policies", app.url))
        .bearer_auth(&author)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("document=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = app.decide(&reviewer, 999, "approve", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, proposals) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/policies/proposals",
            &author,
            None,
        )
        .await;
    assert_eq!(proposals, json!([]));

    // The YAML itself is accepted as the body too; a rejection needs a reason.
    let v2 = v1.replace("0.85", "0.9");
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/policies?note=stricter", app.url))
        .bearer_auth(&author)
        .header("content-type", "application/yaml")
        .body(v2.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let first: Value = response.json().await.unwrap();
    assert_eq!(first["note"], "stricter");
    let first = first["id"].as_i64().unwrap();
    let (_, second) = app
        .propose(&author, &v1.replace("0.50 EUR", "0.40 EUR"), "")
        .await;
    let second = second["id"].as_i64().unwrap();
    let (status, _) = app.decide(&reviewer, first, "reject", " ").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let other = app.user_token("rev2@example.com", &[Role::Reviewer]).await;
    for token in [&reviewer, &other] {
        let (status, body) = app.decide(token, second, "approve", "").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // The first was written against version 1, which is no longer in force: the approval
    // that would apply it says so.
    let (status, body) = app.decide(&reviewer, first, "approve", "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.decide(&other, first, "approve", "").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("version 2 is in force"),
        "{body}"
    );
    let (_, first) = app
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/policies/proposals/{first}"),
            &author,
            None,
        )
        .await;
    assert_eq!(first["state"], "stale", "{first}");
    assert!(app.exported(&author, "").await.contains("0.40 EUR"));
    assert!(app.exported(&author, "").await.contains("0.85"));
}

/// An agent bound to `high_risk` by its category, moved to a new empty level named like
/// it: nothing a level enforces changes, but the agent leaves dual review, so two approve.
async fn moving_an_agent_out_from_under_dual_review_needs_two_approvals(db: TestDb) {
    let app = spawn_with(db, |c| {
        let mut payments = agent("payments-bot", 1.0, PiiScan::RealTime);
        payments.category = Some("high_risk".into());
        c.ingestion.agents = vec![payments];
    })
    .await;
    let author = app.user_token("root@example.com", &[Role::Admin]).await;
    let v1 = app.exported(&author, "").await;
    let v2 = format!("{v1}  payments_bot:\n    rules: []\n");
    let (status, proposal) = app.propose(&author, &v2, "").await;
    assert_eq!(status, StatusCode::CREATED, "{proposal}");
    assert_eq!(proposal["affected_agents"], json!(["payments-bot"]));
    assert_eq!(proposal["required_approvals"], 2, "{proposal}");
}

async fn a_version_approved_on_one_replica_is_served_by_the_others(db: TestDb) {
    let app = fleet(db).await;
    let author = app.user_token("root@example.com", &[Role::Admin]).await;
    let reviewer = app.user_token("rev@example.com", &[Role::Reviewer]).await;
    // A second replica: its own services on the same database.
    let replica = warden_services::Services::new(
        app.services.store().clone(),
        app.clock.clone(),
        warden_services::ServiceSettings::default(),
    );
    replica.start_policies().await.unwrap();
    assert_eq!(replica.policy_version(), 1);
    let v1 = app.exported(&author, "").await;
    let v2 = format!("{v1}  sales_bots:\n    rules:\n      - max_response_time: 2000ms\n");
    let (_, proposal) = app.propose(&author, &v2, "").await;
    let id = proposal["id"].as_i64().unwrap();
    app.decide(&reviewer, id, "approve", "").await;
    assert_eq!(replica.policy_version(), 1);
    assert_eq!(replica.refresh_policies().await.unwrap(), 2);
    assert!(replica.policies().contains("sales_bots"));
}

backend_tests!(
    a_change_under_dual_review_needs_two_approvers_besides_its_author,
    a_change_outside_dual_review_needs_one_approval,
    bad_proposals_are_refused_with_the_reason_and_change_nothing,
    a_version_approved_on_one_replica_is_served_by_the_others,
    moving_an_agent_out_from_under_dual_review_needs_two_approvals,
);
