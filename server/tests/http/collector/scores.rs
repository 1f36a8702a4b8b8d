//! Scores over HTTP, on SQLite and PostgreSQL: the rolling alignment score that
//! `alignment_score_minimum` holds an agent to, and the compliance scores per agent and for
//! the fleet.

use super::governance::{governed_app, llm_root, said};
use super::*;

/// alignment_score_minimum (high_risk, 0.85): the share of finance-agent's interactions
/// without violations, a critical breach counting in full, over the rolling window.
async fn an_agent_whose_alignment_falls_under_the_minimum_is_flagged(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;
    let alignment = |app: &TestApp| {
        let services = app.services.clone();
        async move {
            services
                .watch_agents(warden_services::policy::watch::WatchSettings::default())
                .await
                .unwrap();
        }
    };
    let flagged = |page: Value| {
        page["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["evidence"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    // 17 clean interactions and 3 that leak an e-mail (critical): 1 - 3/20 = 0.85, not under.
    let mut spans = Vec::new();
    for trace in 100..120u64 {
        let answer = if trace < 103 {
            "Write to anna.berg@example.com"
        } else {
            "Booked."
        };
        spans.push(llm_root(trace, 900, said("book it", answer)));
    }
    app.send("finance-agent", spans).await;
    // support-agent leaks in every answer, but no minimum binds it.
    let leaks: Vec<Span> = (130..155u64)
        .map(|trace| llm_root(trace, 900, said("hi", "Mail ann@example.com")))
        .collect();
    app.send("support-agent", leaks).await;
    alignment(&app).await;
    let (_, page) = app
        .api(&token, "/api/v1/violations?rule=alignment_score_minimum")
        .await;
    assert!(flagged(page).is_empty());
    // One more leak: 1 - 4/21 = 0.81.
    app.send(
        "finance-agent",
        vec![llm_root(120, 900, said("book it", "Mail ann@example.com"))],
    )
    .await;
    alignment(&app).await;
    alignment(&app).await;
    let (_, page) = app
        .api(&token, "/api/v1/violations?rule=alignment_score_minimum")
        .await;
    assert_eq!(
        flagged(page),
        [
            "alignment 0.810 over the last 24 h (21 interactions, 4 with violations), under the minimum 0.85"
        ]
    );
    // support-agent, at 0, is not under the rule.
    let (_, page) = app
        .api(
            &token,
            "/api/v1/violations?rule=alignment_score_minimum&agent=support-agent",
        )
        .await;
    assert!(flagged(page).is_empty());
}

/// Compliance scores: the share of compliant interactions, each non-compliant one weighted
/// by the worst severity it broke, per agent and for the fleet; green, amber or red by the
/// default thresholds (0.95, 0.85), never green with a critical violation; PII and
/// violations tallied by type and rule.
async fn compliance_scores_count_compliant_interactions(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;
    let clean = |trace| llm_root(trace, 900, said("hi", "Booked."));
    let leak = |trace| llm_root(trace, 900, said("hi", "Mail ann@example.com"));
    // support-agent: 11 interactions, one leaking an e-mail (critical): 1 - 1/11, and
    // amber for the critical breach even were the share above 95%.
    let mut spans: Vec<Span> = (200..210u64).map(clean).collect();
    spans.push(leak(210));
    app.send("support-agent", spans).await;
    // finance-agent: one of two leaks: 50%, red.
    app.send("finance-agent", vec![clean(211), leak(212)]).await;
    // helpdesk-agent: five clean interactions: green.
    app.send("helpdesk-agent", (213..218u64).map(clean).collect())
        .await;
    let (status, report) = app.api(&token, "/api/v1/compliance?window=7d").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["window_hours"], 168);
    let agents = report["agents"].as_array().unwrap();
    let of = |name: &str| agents.iter().find(|a| a["agent"] == name).unwrap().clone();
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    let support = of("support-agent");
    assert!(close(&support["score"], 1.0 - 1.0 / 11.0), "{report}");
    assert_eq!(support["status"], "amber");
    assert_eq!(
        (
            support["noncompliant_interactions"].clone(),
            support["critical_violations"].clone()
        ),
        (1.into(), 1.into()),
        "{support}"
    );
    assert!(close(&of("finance-agent")["score"], 0.5), "{report}");
    assert_eq!(of("finance-agent")["status"], "red");
    assert!(close(&of("helpdesk-agent")["score"], 1.0), "{report}");
    assert_eq!(of("helpdesk-agent")["status"], "green");
    // Worst first; the fleet adds them up: 1 - 2/18, amber (critical breaches in it).
    assert_eq!(agents[0]["agent"], "finance-agent");
    assert!(
        close(&report["fleet"]["score"], 1.0 - 2.0 / 18.0),
        "{report}"
    );
    assert_eq!(report["fleet"]["status"], "amber");
    assert_eq!(report["fleet"]["interactions"], 18);
    let kind = report["pii_by_type"][0]["name"].as_str().unwrap();
    assert!(kind.eq_ignore_ascii_case("email"), "{report}");
    assert_eq!(report["pii_by_type"][0]["count"], 2);
    assert_eq!(
        report["violations_by_rule"][0]["name"], "no_pii_in_outputs",
        "{report}"
    );
    assert_eq!(report["violations_by_rule"][0]["count"], 2);

    let (status, _) = app.api(&token, "/api/v1/compliance?window=1y").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let finance = app.add_user("finance@example.com", &[Role::Finance]).await;
    let finance = app.token_for(finance).await;
    let (status, _) = app.api(&finance, "/api/v1/compliance").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

backend_tests!(
    an_agent_whose_alignment_falls_under_the_minimum_is_flagged,
    compliance_scores_count_compliant_interactions,
);
