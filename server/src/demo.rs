//! Demo mode: the simulated fleet of `warden-demo` streamed through Warden's real OTLP
//! endpoint with a real ingest key, so what a newcomer sees went through the same
//! pipeline as production traffic.

use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;
use opentelemetry_proto::tonic::common::v1::any_value;
use opentelemetry_proto::tonic::trace::v1::ResourceSpans;
use std::collections::HashSet;
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use warden_demo::Fleet;
use warden_domain::control::{AgentControl, ControlState};
use warden_domain::telemetry::{AgentInfo, AgentSource, KeyScope, PiiScanMode};
use warden_services::{Actor, Services};

/// The environment the demo fleet runs in, and the name of its key.
pub const DEMO_ENVIRONMENT: &str = "production";
const DEMO_KEY_NAME: &str = "demo fleet";

/// Registers the fleet's agents (where the config file does not name them) and makes a
/// fresh environment key, revoking the previous run's.
pub async fn prepare(services: &Services) -> anyhow::Result<String> {
    let actor = Actor::System;
    let now = services.now();
    let known = services.list_agents(&actor).await?;
    for profile in warden_demo::fleet() {
        if known.iter().any(|a| a.name == profile.name) {
            continue;
        }
        let agent = AgentInfo {
            name: profile.name.to_string(),
            source: AgentSource::Ui,
            sdk: Some(profile.sdk.to_string()),
            owner: Some(profile.owner.to_string()),
            category: Some(profile.category.to_string()),
            environment: Some(profile.environment.to_string()),
            // Left open: the agent is then bound to a policy named like it (the seed's
            // `hr_screening_agent`), else to its category.
            policy: None,
            description: Some(profile.description.to_string()),
            sample_rate: profile.sample_rate,
            pii_scan: PiiScanMode::parse(profile.pii_scan).unwrap_or(PiiScanMode::RealTime),
            created_at: now,
            last_seen_at: None,
        };
        services.save_agent(&actor, agent).await?;
    }
    for key in services.list_ingest_keys(&actor).await? {
        if key.name == DEMO_KEY_NAME && key.revoked_at.is_none() {
            services.revoke_ingest_key(&actor, key.id).await?;
        }
    }
    let key = services
        .create_ingest_key(
            &actor,
            DEMO_KEY_NAME,
            KeyScope::Environment(DEMO_ENVIRONMENT.to_string()),
        )
        .await?;
    Ok(key.secret)
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Posts the fleet's traffic to `base_url` at about `rate` interactions per second until
/// `stop` elapses (or forever).
pub async fn stream(
    base_url: String,
    key: String,
    rate: f64,
    stop: Option<Duration>,
) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let base = base_url.trim_end_matches('/').to_string();
    let mut ticks = 0u64;
    let seed = now_ns();
    let mut fleet = Fleet::new(seed);
    let started = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut owed = 0.0f64;
    let mut stopped: HashSet<String> = HashSet::new();
    loop {
        tick.tick().await;
        if stop.is_some_and(|s| started.elapsed() >= s) {
            return Ok(());
        }
        owed += rate;
        let n = owed.floor() as usize;
        owed -= n as f64;
        if n == 0 {
            continue;
        }
        if ticks.is_multiple_of(CONTROL_EVERY_TICKS) {
            stopped = read_controls(&client, &base, &key).await;
        }
        let mut request = fleet.export_request(now_ns(), n);
        // A paused or killed agent sends nothing, as a well-behaved agent does.
        request
            .resource_spans
            .retain(|r| service_name(r).is_none_or(|name| !stopped.contains(name)));
        ticks += 1;
        if request.resource_spans.is_empty() {
            continue;
        }
        let traces = warden_demo::encode(&request);
        post(&client, &format!("{base}/v1/traces"), &key, &traces).await?;
        // SDKs export metrics and logs on their own, slower, period.
        if ticks.is_multiple_of(10) {
            let metrics = warden_demo::encode(&fleet.metrics_request(now_ns()));
            post(&client, &format!("{base}/v1/metrics"), &key, &metrics).await?;
            let logs = warden_demo::encode(&fleet.logs_request(now_ns(), 20));
            post(&client, &format!("{base}/v1/logs"), &key, &logs).await?;
        }
    }
}

/// How often the simulated agents read their control state, in seconds.
const CONTROL_EVERY_TICKS: u64 = 30;

/// The agent that never reads its control state: `kill_switch_required` has something to
/// show in the demo.
const FORGETFUL_AGENT: &str = "marketing-content-agent";

/// The agents whose control state says stop, read as each agent would read its own.
async fn read_controls(client: &reqwest::Client, base: &str, key: &str) -> HashSet<String> {
    let mut stopped = HashSet::new();
    for profile in warden_demo::fleet() {
        if profile.name == FORGETFUL_AGENT {
            continue;
        }
        let url = format!("{base}/api/v1/agents/{}/control", profile.name);
        let Ok(response) = client.get(&url).bearer_auth(key).send().await else {
            continue;
        };
        let Ok(control) = response.json::<AgentControl>().await else {
            continue;
        };
        if control.state != ControlState::Running {
            stopped.insert(profile.name.to_string());
        }
    }
    stopped
}

fn service_name(spans: &ResourceSpans) -> Option<&str> {
    spans
        .resource
        .as_ref()?
        .attributes
        .iter()
        .find(|kv| kv.key == "service.name")
        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(name) => Some(name.as_str()),
            _ => None,
        })
}

async fn post(client: &reqwest::Client, url: &str, key: &str, body: &[u8]) -> anyhow::Result<()> {
    let sent = client
        .post(url)
        .bearer_auth(key)
        .header("content-type", "application/x-protobuf")
        .header("content-encoding", "gzip")
        .body(gzip(body)?)
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => {}
        Ok(response) => {
            tracing::warn!(status = %response.status(), url, "demo fleet: export refused")
        }
        Err(err) => tracing::warn!(error = %err, url, "demo fleet: export failed"),
    }
    Ok(())
}

/// `warden demo`: streams to a Warden running elsewhere.
pub async fn run_cli(url: &str, key: &str, rate: f64, seconds: Option<u64>) -> anyhow::Result<()> {
    if !(rate.is_finite() && rate > 0.0) {
        anyhow::bail!("--rate must be a positive number of interactions per second");
    }
    eprintln!("streaming the demo fleet to {url} at {rate} interactions/s; Ctrl-C stops");
    stream(
        url.to_string(),
        key.to_string(),
        rate,
        seconds.map(Duration::from_secs),
    )
    .await
}
