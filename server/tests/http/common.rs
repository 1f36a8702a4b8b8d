//! Starting a server for a test, and the requests every test makes.

use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use warden_db::testing::TestDb;
use warden_domain::Role;
use warden_server::config::Config;
use warden_services::ingest::Pipeline;
use warden_services::{Actor, ManualClock, Services};

pub const PASSWORD: &str = "correct horse battery";
pub const LOCKOUT: Duration = Duration::from_secs(60);

pub struct TestApp {
    pub url: String,
    pub services: Services,
    pub pipeline: Pipeline,
    pub clock: Arc<ManualClock>,
    _db: TestDb,
}

/// A server on its own database, with throttling that locks after three failures and never
/// sleeps, and a clock the test moves.
pub async fn spawn(db: TestDb) -> TestApp {
    spawn_with(db, |_| {}).await
}

/// As [`spawn`], with the config changed first.
pub async fn spawn_with(db: TestDb, change: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::default();
    change(&mut config);
    config.server.database_url = Some(SecretString::from(db.url.clone()));
    let throttle = &mut config.auth.login_throttle;
    throttle.account_slow_after = 100;
    throttle.client_slow_after = 100;
    throttle.account_lock_after = 3;
    throttle.client_lock_after = 8;
    throttle.max_delay = Duration::ZERO;
    throttle.lockout = LOCKOUT;
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let running = warden_server::serve::start(config, clock.clone(), listener)
        .await
        .unwrap();
    TestApp {
        url: format!("http://{}", running.addr),
        services: running.services,
        pipeline: running.pipeline,
        clock,
        _db: db,
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn add_user(&self, email: &str, roles: &[Role]) -> i64 {
        self.services
            .add_user(&Actor::System, email, PASSWORD, roles.to_vec())
            .await
            .unwrap()
            .id
    }

    pub async fn user_exists(&self, email: &str) -> bool {
        let id = self
            .services
            .store()
            .find_user_id_by_email(email)
            .await
            .unwrap();
        id.is_some()
    }

    pub async fn token_for(&self, user_id: i64) -> String {
        self.services
            .create_token(&Actor::System, user_id, "test")
            .await
            .unwrap()
            .secret
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        client
            .post(format!("{}/login", self.url))
            .form(&[("email", email), ("password", password), ("next", "")])
            .send()
            .await
            .unwrap()
    }

    /// Signs in and checks that it worked.
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = client();
        let response = self.sign_in(&client, email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/");
        client
    }

    pub async fn api(&self, token: &str, path: &str) -> (StatusCode, serde_json::Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }

    /// A JSON request with a bearer token (a personal token or an ingest key).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap()
    }
}

pub fn location(response: &Response) -> &str {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("warden_session="))
        .map(str::to_string)
}

/// The `name=value` part of a Set-Cookie header.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_string()
}

/// The HTTP path of a server function.
pub fn server_fn_path<T: leptos::server_fn::ServerFn>() -> &'static str {
    T::PATH
}

pub async fn json(response: Response) -> serde_json::Value {
    response.json().await.unwrap()
}
