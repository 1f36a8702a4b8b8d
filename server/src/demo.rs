//! Demo mode: the simulated fleet of `warden-demo` streamed through Warden's real OTLP
//! endpoint with a real ingest key, so what a newcomer sees went through the same
//! pipeline as production traffic.

use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value;
use opentelemetry_proto::tonic::trace::v1::ResourceSpans;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use warden_demo::Fleet;
use warden_domain::control::{AgentControl, ControlState};
use warden_domain::metrics::budget::{BudgetChange, BudgetScope, HardCap, month_bounds};
use warden_domain::telemetry::sampling::keeps;
use warden_domain::telemetry::{AgentInfo, AgentSource, KeyScope, PiiScanMode, TraceId};
use warden_services::{Actor, Services};

/// The environment the demo fleet runs in, and the name of its key.
pub const DEMO_ENVIRONMENT: &str = "production";
const DEMO_KEY_NAME: &str = "demo fleet";

/// The demo's ingest keys: the environment's, for the traces, and each agent's own, for
/// the scores its users and evaluator give (scores are only taken with an agent's key).
pub struct DemoKeys {
    pub environment: String,
    pub agents: HashMap<String, String>,
}

/// Registers the fleet's agents (where the config file does not name them), seeds its
/// budgets once, and makes fresh keys, revoking the previous run's.
pub async fn prepare(services: &Services, rate: f64, usd_rate: f64) -> anyhow::Result<DemoKeys> {
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
    let seeded = services
        .seed_budgets(&budgets(services.now(), rate, usd_rate), "demo")
        .await?;
    if seeded > 0 {
        tracing::info!(seeded, "demo mode: budgets for the Cost Center");
    }
    for key in services.list_ingest_keys(&actor).await? {
        if key.name.starts_with(DEMO_KEY_NAME) && key.revoked_at.is_none() {
            services.revoke_ingest_key(&actor, key.id).await?;
        }
    }
    let environment = services
        .create_ingest_key(
            &actor,
            DEMO_KEY_NAME,
            KeyScope::Environment(DEMO_ENVIRONMENT.to_string()),
        )
        .await?
        .secret;
    let mut agents = HashMap::new();
    for profile in warden_demo::fleet() {
        let key = services
            .create_ingest_key(
                &actor,
                &format!("{DEMO_KEY_NAME}: {} scores", profile.name),
                KeyScope::Agent(profile.name.to_string()),
            )
            .await?;
        agents.insert(profile.name.to_string(), key.secret);
    }
    Ok(DemoKeys {
        environment,
        agents,
    })
}

/// The agent whose budget the demo sets under what it will spend.
const TIGHT_BUDGET_AGENT: &str = "support-agent";

/// Budgets for the Cost Center to watch: the fleet's with room to spare, and the busiest
/// agent's at 55% of what it will spend by the month's end at the demo's rate: at risk from
/// the first hour (the early forecast, a run rate since the first day with spend, starts
/// low when spending began mid-day), over before the month ends. What an agent spends is
/// estimated from the generator's own interactions at list prices.
fn budgets(now_ms: i64, rate: f64, usd_rate: f64) -> Vec<BudgetChange> {
    const SAMPLE: usize = 4000;
    let mut fleet = Fleet::new(1);
    let mut per_agent: HashMap<&str, f64> = HashMap::new();
    for i in 0..SAMPLE {
        let interaction =
            fleet.next_interaction(1_760_000_000_000_000_000 + i as u64 * 250_000_000);
        *per_agent.entry(interaction.agent).or_default() += interaction.cost_usd;
    }
    let (_, month_end) = month_bounds(now_ms);
    let seconds_left = ((month_end - now_ms) / 1000).max(3600) as f64;
    // Spend until the month ends, in the configured currency, at `rate` interactions a second.
    let until_month_end = |usd: f64| usd / SAMPLE as f64 * rate * seconds_left * usd_rate;
    let fleet_spend = until_month_end(per_agent.values().sum());
    let agent_spend = until_month_end(per_agent.get(TIGHT_BUDGET_AGENT).copied().unwrap_or(0.0));
    vec![
        BudgetChange {
            scope: BudgetScope::Fleet,
            monthly: round_amount(fleet_spend * 1.5),
            hard_cap: HardCap::None,
        },
        BudgetChange {
            scope: BudgetScope::Agent(TIGHT_BUDGET_AGENT.to_string()),
            monthly: round_amount(agent_spend * 0.55),
            hard_cap: HardCap::None,
        },
    ]
}

/// Two significant digits, as a person would set a budget (at least 1).
fn round_amount(amount: f64) -> f64 {
    if !(amount.is_finite() && amount > 1.0) {
        return 1.0;
    }
    let unit = 10f64.powf(amount.log10().floor() - 1.0);
    (amount / unit).round() * unit
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
/// First replays `history` of its past traffic, if any (see [`replay`]).
pub async fn stream(
    base_url: String,
    keys: DemoKeys,
    rate: f64,
    stop: Option<Duration>,
    history: Option<Duration>,
) -> anyhow::Result<()> {
    let key = keys.environment.clone();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let base = base_url.trim_end_matches('/').to_string();
    let mut ticks = 0u64;
    let start = now_ns();
    let mut fleet = Fleet::with_episodes(start, start);
    // Each agent reads its control state first, as a real one does when it starts: the
    // replay below makes them all active for a minute, and an active agent that never
    // read its state breaks kill_switch_required.
    let mut stopped: HashSet<String> = read_controls(&client, &base, &key).await;
    if let Some(history) = history.filter(|h| !h.is_zero()) {
        replay(&client, &base, &key, &mut fleet, rate, start, history).await?;
    }
    let started = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut owed = 0.0f64;
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
        let (mut request, feedback) = fleet.export_with_feedback(now_ns(), n);
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
        for (agent, scores) in scores_json(&feedback, &stopped) {
            if let Some(agent_key) = keys.agents.get(agent) {
                post_json(
                    &client,
                    &format!("{base}/api/v1/scores"),
                    agent_key,
                    &scores,
                )
                .await;
            }
        }
        // SDKs export metrics and logs on their own, slower, period.
        if ticks.is_multiple_of(10) {
            let metrics = warden_demo::encode(&fleet.metrics_request(now_ns()));
            post(&client, &format!("{base}/v1/metrics"), &key, &metrics).await?;
            let logs = warden_demo::encode(&fleet.logs_request(now_ns(), 20));
            post(&client, &format!("{base}/v1/logs"), &key, &logs).await?;
        }
    }
}

/// Whether the demo should replay past traffic first: only into a database without traces,
/// so a restart does not write a second past over the first.
pub async fn wants_history(services: &Services) -> anyhow::Result<bool> {
    let filter = warden_domain::telemetry::TraceFilter {
        limit: Some(1),
        ..Default::default()
    };
    Ok(services
        .list_traces(&Actor::System, &filter)
        .await?
        .is_empty())
}

/// Sends `span` of the fleet's traffic before `start_ns` through the OTLP endpoint, a minute
/// of it per request, so the dashboards and the anomaly detector's
/// baseline have a day behind them from the first minute (at the default rate, 26 hours
/// are ~190,000 interactions and take about a minute). Scores are not replayed: a score
/// counts in the minute it is given.
async fn replay(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    fleet: &mut Fleet,
    rate: f64,
    start_ns: u64,
    span: Duration,
) -> anyhow::Result<()> {
    const CHUNK_S: u64 = 10;
    // One request in flight (the next minute is generated meanwhile): a conversation spans
    // requests, and whether a turn opens one is known only once the previous is committed.
    const IN_FLIGHT: usize = 1;
    const SEC_NS: u64 = 1_000_000_000;
    let minutes = span.as_secs() / 60;
    let began = std::time::Instant::now();
    tracing::info!(
        minutes,
        "demo mode: replaying the fleet's past traffic before streaming it live"
    );
    let url = format!("{base}/v1/traces");
    let mut in_flight = tokio::task::JoinSet::new();
    let mut owed = 0.0f64;
    let mut interactions = 0usize;
    for minute in (1..=minutes).rev() {
        let mut request = ExportTraceServiceRequest::default();
        for chunk in 1..=60 / CHUNK_S {
            let end = start_ns.saturating_sub(minute * 60 * SEC_NS) + chunk * CHUNK_S * SEC_NS;
            owed += rate * CHUNK_S as f64;
            let n = owed.floor() as usize;
            owed -= n as f64;
            if n > 0 {
                request
                    .resource_spans
                    .extend(fleet.export_request(end, n).resource_spans);
                interactions += n;
            }
        }
        if request.resource_spans.is_empty() {
            continue;
        }
        let body = gzip(&warden_demo::encode(&request))?;
        while in_flight.len() >= IN_FLIGHT {
            in_flight.join_next().await;
        }
        let (client, url, key) = (client.clone(), url.clone(), key.to_string());
        in_flight.spawn(async move { send(&client, &url, &key, body).await });
        // Generating a minute takes a few milliseconds of CPU: let requests be served.
        tokio::task::yield_now().await;
    }
    while in_flight.join_next().await.is_some() {}
    tracing::info!(
        interactions,
        seconds = began.elapsed().as_secs(),
        "demo mode: past traffic replayed"
    );
    Ok(())
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

/// The scores API's bodies, per agent, for the feedback on traces Warden keeps: a score for
/// a trace sampled out would wait for it forever, so those are left out.
fn scores_json<'a>(
    feedback: &'a [warden_demo::Feedback],
    stopped: &HashSet<String>,
) -> HashMap<&'a str, Vec<serde_json::Value>> {
    let rates: HashMap<&str, f64> = warden_demo::fleet()
        .iter()
        .map(|p| (p.name, p.sample_rate))
        .collect();
    let mut bodies: HashMap<&str, Vec<serde_json::Value>> = HashMap::new();
    let kept = feedback
        .iter()
        .filter(|f| !stopped.contains(f.agent))
        .filter(|f| {
            keeps(
                &TraceId(f.trace_id),
                rates.get(f.agent).copied().unwrap_or(1.0),
            )
        });
    for f in kept {
        let mut score = serde_json::json!({
            "trace_id": TraceId(f.trace_id).to_hex(),
            "name": f.name,
            "value": f.value,
            "source": f.source,
        });
        if let Some(scale) = f.scale {
            score["scale"] = scale.into();
        }
        if let Some(comment) = f.comment {
            score["comment"] = comment.into();
        }
        bodies.entry(f.agent).or_default().push(score);
    }
    bodies
}

async fn post_json(client: &reqwest::Client, url: &str, key: &str, body: &[serde_json::Value]) {
    match client.post(url).bearer_auth(key).json(body).send().await {
        Ok(response) if response.status().is_success() => {}
        Ok(response) => {
            tracing::warn!(status = %response.status(), url, "demo fleet: scores refused")
        }
        Err(err) => tracing::warn!(error = %err, url, "demo fleet: scores not sent"),
    }
}

async fn post(client: &reqwest::Client, url: &str, key: &str, body: &[u8]) -> anyhow::Result<()> {
    send(client, url, key, gzip(body)?).await;
    Ok(())
}

/// Posts a gzipped protobuf body; a refusal or a failure is logged, not returned: the
/// fleet goes on, as agents do.
async fn send(client: &reqwest::Client, url: &str, key: &str, gzipped: Vec<u8>) {
    let sent = client
        .post(url)
        .bearer_auth(key)
        .header("content-type", "application/x-protobuf")
        .header("content-encoding", "gzip")
        .body(gzipped)
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => {}
        Ok(response) => {
            tracing::warn!(status = %response.status(), url, "demo fleet: export refused")
        }
        Err(err) => tracing::warn!(error = %err, url, "demo fleet: export failed"),
    }
}

/// `warden demo`: streams to a Warden running elsewhere.
pub async fn run_cli(url: &str, key: &str, rate: f64, seconds: Option<u64>) -> anyhow::Result<()> {
    if !(rate.is_finite() && rate > 0.0) {
        anyhow::bail!("--rate must be a positive number of interactions per second");
    }
    eprintln!("streaming the demo fleet to {url} at {rate} interactions/s; Ctrl-C stops");
    let keys = DemoKeys {
        environment: key.to_string(),
        // Scores need each agent's own key, which a remote Warden has not given us.
        agents: HashMap::new(),
    };
    stream(
        url.to_string(),
        keys,
        rate,
        seconds.map(Duration::from_secs),
        None,
    )
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn budgets_are_round_and_the_agents_is_tighter_than_the_fleets() {
        assert_eq!(round_amount(1234.5), 1200.0);
        assert_eq!(round_amount(87.6), 88.0);
        assert_eq!(round_amount(f64::NAN), 1.0);
        let now = warden_domain::timefmt::parse_date("2026-12-07").unwrap();
        let b = budgets(now, 4.0, 1.0);
        assert_eq!(b.len(), 2);
        let (fleet, agent) = (b[0].monthly, b[1].monthly);
        assert!(agent > 1.0 && fleet > 2.0 * agent, "{fleet} {agent}");
        // A higher rate means bigger budgets: they follow what the demo will spend.
        assert!(budgets(now, 8.0, 1.0)[0].monthly > fleet);
    }
}
