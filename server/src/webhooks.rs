//! Delivering control webhooks: every change of an agent's control state made through this
//! replica is POSTed to the agent's webhook, and every webhook is pinged each half control
//! read window; an answer with 2xx counts as the agent having read its state.
//!
//! Each request carries `Warden-Timestamp` (Unix seconds) and `Warden-Signature:
//! v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the webhook's secret>`, so the agent can
//! check it came from Warden and is fresh.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use warden_domain::control::{AgentControl, AgentWebhook};
use warden_domain::incident::escalation::masked_webhook;
use warden_services::Services;
use warden_services::incidents::AgentCommands;

/// Attempts per delivery, with the waits between them.
const BACKOFF: [Duration; 2] = [Duration::from_millis(500), Duration::from_secs(2)];

/// The signature header's value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length, so the error case does not happen; an empty
    // signature would be refused by the agent rather than crash a delivery.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether an address is one a webhook may reach: a webhook URL comes from whoever holds an
/// ingest key, so by default Warden refuses to be pointed at its own host, link-local
/// addresses (cloud metadata), private networks and other non-public ranges.
fn reachable(ip: IpAddr, private_allowed: bool) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    let never = match ip {
        IpAddr::V4(v4) => v4.is_unspecified() || v4.is_broadcast() || v4.is_multicast(),
        IpAddr::V6(v6) => v6.is_unspecified() || v6.is_multicast(),
    };
    let internal = match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64 // CGNAT
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || (v6.segments()[0] & 0xfe00) == 0xfc00 // unique local
                || (v6.segments()[0] & 0xffc0) == 0xfe80 // link-local
        }
    };
    !never && (private_allowed || !internal)
}

/// Resolves webhook hosts and keeps only the addresses they may reach, at connection time,
/// so a name that resolves elsewhere later (DNS rebinding) is caught too.
struct PublicOnly {
    private_allowed: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let private_allowed = self.private_allowed;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| reachable(a.ip(), private_allowed))
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "{host} resolves to no public address (governance.webhook_private_networks \
                     allows private ones)"
                )
                .into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// A URL whose host is an IP address is not resolved: checked here instead.
fn literal_host_refused(url: &str, private_allowed: bool) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return true;
    };
    let Some(host) = url.host_str() else {
        return true;
    };
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => !reachable(ip, private_allowed),
        Err(_) => false,
    }
}

/// POSTs `payload` to the webhook, retrying twice; records how it went and returns why it
/// failed, if it did.
async fn deliver(
    services: &Services,
    client: &Client,
    hook: &AgentWebhook,
    secret: &str,
    event: &str,
    payload: serde_json::Value,
) -> Option<String> {
    let body = payload.to_string();
    let mut error = None;
    if literal_host_refused(&hook.url, client.private_allowed) {
        let refused = "refused: the webhook's address is not a public one \
                       (governance.webhook_private_networks allows private ones)";
        if let Err(err) = services
            .record_webhook_delivery(&hook.agent, Some(refused))
            .await
        {
            tracing::warn!(error = ?err, "recording a webhook delivery");
        }
        return Some(refused.to_string());
    }
    for attempt in 0..=BACKOFF.len() {
        if attempt > 0 {
            tokio::time::sleep(BACKOFF[attempt - 1]).await;
        }
        let timestamp = services.now().div_euclid(1000);
        let sent = client
            .http
            .post(&hook.url)
            .header("content-type", "application/json")
            .header("warden-event", event)
            .header("warden-timestamp", timestamp.to_string())
            .header("warden-signature", sign(secret, timestamp, &body))
            .body(body.clone())
            .send()
            .await;
        error = match sent {
            Ok(response) if response.status().is_success() => None,
            Ok(response) => Some(format!("answered {}", response.status())),
            // Without the URL: a token in its query must not reach logs or the API.
            Err(err) => Some(format!("not delivered: {}", err.without_url())),
        };
        if error.is_none() {
            break;
        }
    }
    if let Some(err) = &error {
        tracing::warn!(agent = %hook.agent, event, error = %err, "control webhook failed");
    }
    if let Err(err) = services
        .record_webhook_delivery(&hook.agent, error.as_deref())
        .await
    {
        tracing::warn!(error = ?err, "recording a webhook delivery");
    }
    error
}

/// The HTTP client of the deliveries, and whether private networks may be reached.
#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    private_allowed: bool,
}

async fn deliver_change(services: Services, client: Client, control: AgentControl) {
    match services.webhook_target(&control.agent).await {
        Ok(Some((hook, secret))) => {
            let payload = serde_json::json!({ "type": "control.changed", "control": control });
            deliver(
                &services,
                &client,
                &hook,
                &secret,
                "control.changed",
                payload,
            )
            .await;
        }
        Ok(None) => {}
        Err(err) => tracing::warn!(error = ?err, "finding a control webhook"),
    }
}

impl Client {
    fn new(private_allowed: bool) -> reqwest::Result<Client> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly { private_allowed }))
            .build()?;
        Ok(Client {
            http,
            private_allowed,
        })
    }
}

/// Commands to agents' control webhooks, for the runbooks: a restart is a signed
/// `command` event, retried as control changes are.
pub struct Commands {
    services: Services,
    client: Client,
}

impl Commands {
    pub fn new(services: Services, private_allowed: bool) -> anyhow::Result<Commands> {
        Ok(Commands {
            services,
            client: Client::new(private_allowed)?,
        })
    }
}

#[async_trait::async_trait]
impl AgentCommands for Commands {
    async fn restart(&self, agent: &str, incident: i64) -> Result<String, String> {
        let (hook, secret) = match self.services.webhook_target(agent).await {
            Ok(Some(target)) => target,
            Ok(None) => {
                return Err(format!(
                    "{agent} has no control webhook: restart it by hand"
                ));
            }
            Err(err) => {
                tracing::warn!(error = ?err, "finding a control webhook");
                return Err("could not read the agent's control webhook".into());
            }
        };
        let payload = serde_json::json!({
            "type": "command",
            "command": "restart",
            "agent": agent,
            "incident": incident,
        });
        let to = masked_webhook(&hook.url);
        match deliver(
            &self.services,
            &self.client,
            &hook,
            &secret,
            "command",
            payload,
        )
        .await
        {
            None => Ok(format!("restart command delivered to {to}")),
            Some(err) => Err(format!("restart command to {to}: {err}")),
        }
    }
}

/// The webhook job of a running server.
pub async fn run(services: Services, read_window: Duration, private_allowed: bool) {
    let client = match Client::new(private_allowed) {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = ?err, "no HTTP client: control webhooks are off");
            return;
        }
    };
    let mut changes = services.control_changes();
    let every = (read_window / 2).max(Duration::from_secs(1));
    let mut pings = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tokio::select! {
            change = changes.recv() => match change {
                Ok(control) => {
                    tokio::spawn(deliver_change(services.clone(), client.clone(), control));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "control webhooks fell behind; the pings catch up");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            },
            _ = pings.tick() => {
                match services.webhook_targets().await {
                    Ok(targets) => {
                        for (hook, secret) in targets {
                            let services = services.clone();
                            let client = client.clone();
                            tokio::spawn(async move {
                                // The state as it stands, so a change this replica did not
                                // deliver (made elsewhere, or missed) reaches the agent here.
                                let control = match services.store().agent_control(&hook.agent).await {
                                    Ok(control) => control,
                                    Err(err) => {
                                        tracing::warn!(error = ?err, "reading a control state to ping");
                                        return;
                                    }
                                };
                                let payload = serde_json::json!({ "type": "ping", "control": control });
                                deliver(&services, &client, &hook, &secret, "ping", payload).await;
                            });
                        }
                    }
                    Err(err) => tracing::warn!(error = ?err, "listing control webhooks"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{literal_host_refused, reachable, sign};
    use std::net::IpAddr;

    #[test]
    fn only_public_addresses_are_reached_unless_private_ones_are_allowed() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.9",
            "172.16.5.5",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!reachable(ip(internal), false), "{internal}");
            assert!(reachable(ip(internal), true), "{internal}");
        }
        for never in ["0.0.0.0", "255.255.255.255", "224.0.0.1", "::"] {
            assert!(!reachable(ip(never), true), "{never}");
        }
        assert!(reachable(ip("93.184.216.34"), false));
        assert!(reachable(ip("2606:2800:220:1::1"), false));
        assert!(literal_host_refused("http://169.254.169.254/latest", false));
        assert!(literal_host_refused("http://[::1]:8080/", false));
        assert!(!literal_host_refused("https://hooks.example.com/x", false));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Reference value from Python: hmac.new(b"whsec_test", b"1800000000.{}", sha256).
        assert_eq!(
            sign("whsec_test", 1_800_000_000, "{}"),
            "v1=482e6337ac5272392d375c6fdc4d52a7e615dc2facedab0ffe155ddfd6a56e66"
        );
        assert_ne!(
            sign("whsec_test", 1_800_000_000, "{}"),
            sign("whsec_test", 1_800_000_001, "{}")
        );
        assert_ne!(
            sign("whsec_test", 1_800_000_000, "{}"),
            sign("whsec_other", 1_800_000_000, "{}")
        );
    }
}
