//! Delivering control webhooks: every change of an agent's control state made through this
//! replica is POSTed to the agent's webhook, and every webhook is pinged each half control
//! read window; an answer with 2xx counts as the agent having read its state.
//!
//! Each request carries `Warden-Timestamp` (Unix seconds) and `Warden-Signature:
//! v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the webhook's secret>`, so the agent can
//! check it came from Warden and is fresh.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;
use warden_domain::control::{AgentControl, AgentWebhook};
use warden_services::Services;

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

/// POSTs `payload` to the webhook, retrying twice; records how it went.
async fn deliver(
    services: &Services,
    client: &reqwest::Client,
    hook: &AgentWebhook,
    secret: &str,
    event: &str,
    payload: serde_json::Value,
) {
    let body = payload.to_string();
    let mut error = None;
    for attempt in 0..=BACKOFF.len() {
        if attempt > 0 {
            tokio::time::sleep(BACKOFF[attempt - 1]).await;
        }
        let timestamp = services.now().div_euclid(1000);
        let sent = client
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
            // The error names the URL, which is the agent's own: no secret in it.
            Err(err) => Some(format!("not delivered: {err}")),
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
}

async fn deliver_change(services: Services, client: reqwest::Client, control: AgentControl) {
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

/// The webhook job of a running server.
pub async fn run(services: Services, read_window: Duration) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
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
                                let payload = serde_json::json!({ "type": "ping", "agent": hook.agent });
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
    use super::sign;

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
