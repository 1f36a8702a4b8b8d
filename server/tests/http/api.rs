//! The JSON API with personal tokens.

use crate::common::*;
use reqwest::StatusCode;
use warden_db::backend_tests;
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_services::Actor;

async fn a_token_reaches_the_api_as_its_owner(db: TestDb) {
    let app = spawn(db).await;
    let fin = app.add_user("fin@example.com", &[Role::Finance]).await;
    let token = app.token_for(fin).await;
    let c = reqwest::Client::new();
    let me = c
        .get(format!("{}/api/v1/me", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(json(me).await["email"], "fin@example.com");
    let users = c
        .get(format!("{}/api/v1/users", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(users.status(), StatusCode::FORBIDDEN);
    let tokens = c
        .get(format!("{}/api/v1/me/tokens", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let tokens = json(tokens).await;
    assert_eq!(tokens[0]["name"], "test");
    assert!(tokens[0].get("secret").is_none() && !tokens.to_string().contains(&token));
}

async fn an_admin_token_lists_and_creates_users(db: TestDb) {
    let app = spawn(db).await;
    let root = app.add_user("root@example.com", &[Role::Admin]).await;
    let token = app.token_for(root).await;
    let c = reqwest::Client::new();
    let created = c
        .post(format!("{}/api/v1/users", app.url))
        .bearer_auth(&token)
        .json(&serde_json::json!({"email": "ann@example.com", "password": PASSWORD, "roles": ["legal", "reviewer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let users = json(
        c.get(format!("{}/api/v1/users", app.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let emails: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert!(
        emails.contains(&"ann@example.com") && emails.contains(&"root@example.com"),
        "{emails:?}"
    );
    assert!(
        !users.to_string().contains("argon2"),
        "hashes never leave the server"
    );
}

async fn dead_tokens_and_malformed_headers_get_401(db: TestDb) {
    let app = spawn(db).await;
    let root = app.add_user("root@example.com", &[Role::Admin]).await;
    let ann = app.add_user("ann@example.com", &[Role::Legal]).await;
    let bob = app.add_user("bob@example.com", &[Role::Legal]).await;
    let revoked = app.token_for(ann).await;
    let token_id = app
        .services
        .list_tokens(&app.services.session_user(ann, 0).await.unwrap().unwrap())
        .await
        .unwrap()[0]
        .id;
    app.services
        .revoke_token(
            &app.services.session_user(ann, 0).await.unwrap().unwrap(),
            token_id,
        )
        .await
        .unwrap();
    let deleted = app.token_for(bob).await;
    app.services.delete_user(&Actor::System, bob).await.unwrap();
    let disabled = app.token_for(root).await;
    app.add_user("root2@example.com", &[Role::Admin]).await;
    app.services
        .set_user_disabled(&Actor::System, root, true)
        .await
        .unwrap();
    let c = reqwest::Client::new();
    for auth in [
        format!("Bearer {revoked}"),
        format!("Bearer {deleted}"),
        format!("Bearer {disabled}"),
        "Bearer wdn_forged".to_string(),
        "Basic cm9vdDpwYXNz".to_string(),
    ] {
        let response = c
            .get(format!("{}/api/v1/me", app.url))
            .header("authorization", &auth)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{auth}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(json(response).await["code"], "unauthenticated", "{auth}");
    }
}

async fn unknown_routes_are_404_as_page_and_as_json(db: TestDb) {
    let app = spawn(db).await;
    app.add_user("ann@example.com", &[Role::Legal]).await;
    let c = app.signed_in("ann@example.com").await;
    let page = app.get(&c, "/no/such/page").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("No such page"));
    let api = app.get(&c, "/api/v1/nothing-here").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(api).await["code"], "not_found");
}

async fn a_token_cannot_call_the_uis_server_functions(db: TestDb) {
    let app = spawn(db).await;
    let root = app.add_user("root@example.com", &[Role::Admin]).await;
    let token = app.token_for(root).await;
    let path = server_fn_path::<warden_app::server_fns::CreateToken>();
    let response = reqwest::Client::new()
        .post(format!("{}{path}", app.url))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "successor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.text().await.unwrap().contains("Unauthenticated"));
    let user = app.services.session_user(root, 0).await.unwrap().unwrap();
    assert_eq!(app.services.list_tokens(&user).await.unwrap().len(), 1);
}

backend_tests!(
    a_token_cannot_call_the_uis_server_functions,
    a_token_reaches_the_api_as_its_owner,
    an_admin_token_lists_and_creates_users,
    dead_tokens_and_malformed_headers_get_401,
    unknown_routes_are_404_as_page_and_as_json,
);
