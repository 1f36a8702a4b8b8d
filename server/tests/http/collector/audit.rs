//! The audit trail over HTTP and from the command line, on SQLite and PostgreSQL: changes
//! recorded with who, before and after; who may read it; CSV and JSON exports; a chain that
//! verifies, and breaks where an event was altered behind Warden's back.

use super::*;
use serde_json::json;

async fn changes_are_recorded_with_who_and_before_and_after(db: TestDb) {
    let app = spawn_with(db, |c| {
        c.ingestion.agents = vec![agent("support-agent", 1.0, PiiScan::RealTime)];
    })
    .await;
    let admin = app.add_user("root@example.com", &[Role::Admin]).await;
    let admin = app.token_for(admin).await;
    let (status, _) = app
        .call(
            reqwest::Method::POST,
            "/api/v1/users",
            &admin,
            Some(json!({"email": "dpo@example.com", "password": PASSWORD, "roles": ["legal"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .put_control(
            &admin,
            "support-agent",
            json!({"state": "killed", "reason": "leaking order data"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call(
            reqwest::Method::POST,
            "/api/v1/ingest-keys",
            &admin,
            Some(json!({"name": "ci", "agent": "support-agent"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Legal reads the trail; on-call and finance do not.
    let legal = app.add_user("legal@example.com", &[Role::Legal]).await;
    let legal = app.token_for(legal).await;
    for role in [Role::OnCall, Role::Finance] {
        let id = app.add_user(&format!("{role}@example.com"), &[role]).await;
        let token = app.token_for(id).await;
        let (status, _) = app
            .call(reqwest::Method::GET, "/api/v1/audit", &token, None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
    }

    let (status, page) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/audit?target=agent:support-agent",
            &legal,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{page}");
    let kill = &events[0];
    assert_eq!(kill["action"], "control.set");
    assert_eq!(kill["actor"], "root@example.com");
    let before: Value = serde_json::from_str(kill["before"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(kill["after"].as_str().unwrap()).unwrap();
    assert_eq!(before["state"], "running");
    assert_eq!(after["state"], "killed");
    assert_eq!(after["reason"], "leaking order data");

    let (_, users) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/audit?action=user",
            &legal,
            None,
        )
        .await;
    let created: Vec<&Value> = users["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "user.create" && e["actor"] == "root@example.com")
        .collect();
    assert_eq!(created.len(), 1, "{users}");
    let after = created[0]["after"].as_str().unwrap();
    assert!(
        after.contains("dpo@example.com") && after.contains("legal"),
        "{after}"
    );
    assert!(!after.contains(PASSWORD), "{after}");
    let (_, keys) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/audit?action=ingest_key.create",
            &legal,
            None,
        )
        .await;
    assert_eq!(keys["events"].as_array().unwrap().len(), 1, "{keys}");

    let (status, verified) = app
        .call(reqwest::Method::GET, "/api/v1/audit/verify", &legal, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(verified["status"], "intact", "{verified}");
    let total = verified["events"].as_i64().unwrap();
    assert!(total >= 4, "{verified}");

    // Exports: every event, oldest first; the export itself is recorded.
    let csv = reqwest::Client::new()
        .get(format!("{}/api/v1/audit/export?format=csv", app.url))
        .bearer_auth(&legal)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("warden-audit.csv")
    );
    let csv = csv.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("seq,at,actor,action,target,before,after,prev_hash,hash")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len() as i64, total);
    assert!(rows[0].starts_with("1,"), "{}", rows[0]);
    assert!(csv.contains("\"\"state\"\":\"\"killed\"\""), "{csv}");
    let json: Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/audit/export?format=json&action=control",
            app.url
        ))
        .bearer_auth(&legal)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "{json}");
    let (_, exports) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/audit?action=audit.export",
            &legal,
            None,
        )
        .await;
    assert_eq!(exports["events"].as_array().unwrap().len(), 2, "{exports}");
    let (status, _) = app
        .call(
            reqwest::Method::GET,
            "/api/v1/audit/export?format=xml",
            &legal,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn an_altered_event_breaks_the_chain_where_it_happened(db: TestDb) {
    let app = spawn_with(db, |c| {
        c.ingestion.agents = vec![agent("support-agent", 1.0, PiiScan::RealTime)];
    })
    .await;
    let admin = app.add_user("root@example.com", &[Role::Admin]).await;
    let admin = app.token_for(admin).await;
    for state in ["paused", "running", "killed"] {
        app.put_control(
            &admin,
            "support-agent",
            json!({"state": state, "reason": "drill"}),
        )
        .await;
    }
    let store = app.services.store();
    let intact = store.verify_audit().await.unwrap();
    assert!(intact.is_intact(), "{intact:?}");
    let refused = store
        .tamper_with_audit_event(3, "mallory@example.com")
        .await
        .unwrap();
    assert!(refused.contains("append-only"), "{refused}");
    match store.verify_audit().await.unwrap() {
        warden_domain::audit::ChainStatus::Broken {
            seq,
            reason,
            checked,
        } => {
            assert_eq!(seq, 3);
            assert_eq!(checked, 2);
            assert!(reason.contains("altered"), "{reason}");
        }
        other => panic!("not noticed: {other:?}"),
    }
    let (_, verified) = app
        .call(reqwest::Method::GET, "/api/v1/audit/verify", &admin, None)
        .await;
    assert_eq!(verified["status"], "broken", "{verified}");
    assert_eq!(verified["seq"], 3);
}

backend_tests!(
    changes_are_recorded_with_who_and_before_and_after,
    an_altered_event_breaks_the_chain_where_it_happened,
);
