//! `mandatory_human_review` and the review queue over HTTP, on SQLite and PostgreSQL: every
//! interaction of the HR screening agent is queued (once), another agent's is not; the
//! guard holds the HR agent's answers until a person decides, and the agent reads the
//! decision; an item still pending past its due time is a violation, once.

use super::governance::{governed_app, llm_root, said};
use super::*;
use serde_json::json;
use warden_services::policy::watch::WatchSettings;

impl TestApp {
    async fn decide_review(&self, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
        let path = format!("/api/v1/reviews/{id}/decide");
        self.call(reqwest::Method::POST, &path, token, Some(body))
            .await
    }

    async fn overdue_reviews(&self, token: &str) -> Vec<Value> {
        let (_, page) = self
            .api(token, "/api/v1/violations?rule=mandatory_human_review")
            .await;
        page["violations"].as_array().unwrap().clone()
    }
}

async fn each_interaction_of_an_agent_under_review_waits_for_a_person(db: TestDb) {
    let app = governed_app(db).await;
    let admin = app.admin_token().await;
    let hr = llm_root(
        1,
        800,
        said("Screen Ann for the Rust role", "Ann has 5 years of Rust."),
    );
    app.send("hr-screening-agent", vec![hr.clone()]).await;
    // Re-sent (an exporter retrying): still one item.
    app.send("hr-screening-agent", vec![hr]).await;
    // support-agent is customer-facing, not under review: the near miss.
    app.send(
        "support-agent",
        vec![llm_root(
            2,
            800,
            said("Where is my order?", "It ships today."),
        )],
    )
    .await;
    let (status, page) = app.api(&admin, "/api/v1/reviews?state=pending").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["reviews"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    let item = &items[0];
    assert_eq!(item["agent"], "hr-screening-agent");
    assert_eq!(item["source"], "trace");
    assert_eq!(item["trace_id"], trace_hex(1).as_str());
    assert!(
        item["input"].as_str().unwrap().contains("Screen Ann"),
        "{item}"
    );
    assert!(
        item["output"].as_str().unwrap().contains("5 years"),
        "{item}"
    );
    assert_eq!(
        item["due_at"].as_i64().unwrap() - item["created_at"].as_i64().unwrap(),
        4 * 3_600_000
    );
    let id = item["id"].as_i64().unwrap();

    // Who decides: a reviewer; a rejection needs a reason; a decision is made once.
    let on_call = app.add_user("oncall@example.com", &[Role::OnCall]).await;
    let on_call = app.token_for(on_call).await;
    let (status, _) = app
        .decide_review(&on_call, id, json!({"decision": "approve"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let reviewer = app.add_user("rev@example.com", &[Role::Reviewer]).await;
    let reviewer = app.token_for(reviewer).await;
    let (status, body) = app
        .decide_review(&reviewer, id, json!({"decision": "reject"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app
        .decide_review(&reviewer, id, json!({"decision": "maybe"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = app
        .decide_review(
            &reviewer,
            id,
            json!({"decision": "approve", "note": "fair"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "approved");
    assert_eq!(body["decided_by"], "rev@example.com");
    let (status, body) = app
        .decide_review(&admin, id, json!({"decision": "reject", "note": "late"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, audit) = app.api(&admin, "/api/v1/audit?action=review").await;
    assert_eq!(
        audit["events"][0]["target"],
        format!("review:{id}"),
        "{audit}"
    );
    assert_eq!(audit["events"][0]["actor"], "rev@example.com");
}

async fn the_guard_holds_an_answer_until_a_person_decides(db: TestDb) {
    let app = governed_app(db).await;
    let reviewer = app.add_user("rev@example.com", &[Role::Reviewer]).await;
    let reviewer = app.token_for(reviewer).await;
    let hr_key = app.key(KeyScope::Agent("hr-screening-agent".into())).await;
    let support_key = app.key(KeyScope::Agent("support-agent".into())).await;
    let ask = |key: String, output: &'static str| {
        let app = &app;
        async move {
            app.call(
                reqwest::Method::POST,
                "/api/v1/guard",
                &key,
                Some(json!({"output": output, "input": "mail me at ann@example.com"})),
            )
            .await
        }
    };
    let (status, held) = ask(hr_key.clone(), "Ann fits the role.").await;
    assert_eq!(status, StatusCode::OK, "{held}");
    assert_eq!(held["decision"], "hold", "{held}");
    let id = held["review_id"].as_i64().unwrap();
    // The support agent's answers go out at once.
    let (_, allowed) = ask(support_key.clone(), "It ships today.").await;
    assert_eq!(allowed["decision"], "allow", "{allowed}");
    assert!(allowed.get("review_id").is_none(), "{allowed}");
    // An inference is blocked outright, not held.
    let (_, blocked) = ask(hr_key.clone(), "The candidate is probably a woman.").await;
    assert_eq!(blocked["decision"], "block", "{blocked}");

    let path = format!("/api/v1/reviews/{id}");
    let (status, item) = app.call(reqwest::Method::GET, &path, &hr_key, None).await;
    assert_eq!(status, StatusCode::OK, "{item}");
    assert_eq!(item["state"], "pending");
    assert_eq!(item["source"], "guard");
    assert_eq!(item["input"], "mail me at [REDACTED:EMAIL]", "{item}");
    // Another agent's key may not read it.
    let (status, _) = app
        .call(reqwest::Method::GET, &path, &support_key, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.decide_review(&reviewer, id, json!({"decision": "approve"}))
        .await;
    let (_, item) = app.call(reqwest::Method::GET, &path, &hr_key, None).await;
    assert_eq!(item["state"], "approved", "{item}");
    let (status, _) = app
        .call(reqwest::Method::GET, "/api/v1/reviews/99999", &hr_key, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn an_item_pending_past_its_due_time_is_a_violation_once(db: TestDb) {
    let app = governed_app(db).await;
    let admin = app.admin_token().await;
    app.send(
        "hr-screening-agent",
        vec![llm_root(
            3,
            800,
            said("Screen Bob", "Bob has 3 years of Go."),
        )],
    )
    .await;
    let watch = || app.services.watch_agents(WatchSettings::default());
    // Due in 4 hours: a minute before, nothing.
    app.clock.advance(4 * 3_600_000 - 60_000);
    watch().await.unwrap();
    assert!(app.overdue_reviews(&admin).await.is_empty());
    app.clock.advance(2 * 60_000);
    watch().await.unwrap();
    watch().await.unwrap();
    let found = app.overdue_reviews(&admin).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["agent"], "hr-screening-agent");
    assert_eq!(found[0]["trace_id"], trace_hex(3).as_str());
    assert!(
        found[0]["evidence"]
            .as_str()
            .unwrap()
            .contains("still pending 1 min after it was due"),
        "{}",
        found[0]
    );
}

backend_tests!(
    each_interaction_of_an_agent_under_review_waits_for_a_person,
    the_guard_holds_an_answer_until_a_person_decides,
    an_item_pending_past_its_due_time_is_a_violation_once,
);
