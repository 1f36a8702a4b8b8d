//! Agents' control webhooks: an agent (with its key) or a person who may switch it
//! registers a URL; Warden signs every delivery with the secret made here, shown once.
//! Delivering is the server's job (it has the HTTP client); this is the bookkeeping.

use crate::{Actor, ServiceError, Services};
use warden_domain::audit::AuditAction;
use warden_domain::control::{AgentWebhook, validate_webhook_url};
use warden_domain::telemetry::KeyScope;

/// Who registers a webhook.
pub enum WebhookCaller<'a> {
    /// The agent itself, with its ingest key.
    Agent(&'a KeyScope),
    /// A person who may switch the agent.
    Person(&'a Actor),
}

/// Prefix of webhook secrets, so that one found in a log or a repository is recognised.
const SECRET_PREFIX: &str = "whsec_";

impl Services {
    async fn webhook_caller_name(
        &self,
        caller: &WebhookCaller<'_>,
        agent: &str,
    ) -> Result<String, ServiceError> {
        match caller {
            WebhookCaller::Agent(scope) => {
                self.require_key_for(scope, agent).await?;
                // An environment key may name agents not registered yet; it may not claim
                // their webhooks before they exist.
                if matches!(scope, KeyScope::Environment(_))
                    && self.store.find_agent(agent).await?.is_none()
                {
                    return Err(ServiceError::NotFound("agent"));
                }
                Ok(format!("agent:{agent}"))
            }
            WebhookCaller::Person(actor) => {
                self.switchable_agent(actor, agent).await?;
                Ok(actor.audit_name())
            }
        }
    }

    /// Registers (or replaces) the agent's webhook; returns it with its new secret, which
    /// is not shown again.
    pub async fn register_webhook(
        &self,
        caller: WebhookCaller<'_>,
        agent: &str,
        url: &str,
    ) -> Result<(AgentWebhook, String), ServiceError> {
        let by = self.webhook_caller_name(&caller, agent).await?;
        let url = validate_webhook_url(url).map_err(ServiceError::Invalid)?;
        let secret = format!(
            "{SECRET_PREFIX}{}",
            hex::encode(crate::random_bytes::<32>()?)
        );
        let before = self.store.agent_webhook(agent).await?.map(|(w, _)| w.url);
        let hook = self
            .store
            .set_agent_webhook(agent, &url, &secret, &by, self.now())
            .await?;
        self.record(
            &by,
            AuditAction::WebhookSet,
            format!("agent:{agent}"),
            before.map(|url| serde_json::json!({ "url": url })),
            Some(serde_json::json!({ "url": hook.url })),
        )
        .await?;
        Ok((hook, secret))
    }

    /// The agent's webhook, without its secret.
    pub async fn agent_webhook(
        &self,
        caller: WebhookCaller<'_>,
        agent: &str,
    ) -> Result<AgentWebhook, ServiceError> {
        self.webhook_caller_name(&caller, agent).await?;
        self.store
            .agent_webhook(agent)
            .await?
            .map(|(hook, _)| hook)
            .ok_or(ServiceError::NotFound("webhook"))
    }

    pub async fn delete_webhook(
        &self,
        caller: WebhookCaller<'_>,
        agent: &str,
    ) -> Result<(), ServiceError> {
        let by = self.webhook_caller_name(&caller, agent).await?;
        let before = self.store.agent_webhook(agent).await?;
        if !self.store.delete_agent_webhook(agent).await? {
            return Err(ServiceError::NotFound("webhook"));
        }
        self.record(
            &by,
            AuditAction::WebhookDelete,
            format!("agent:{agent}"),
            before.map(|(w, _)| serde_json::json!({ "url": w.url })),
            None,
        )
        .await
    }

    /// Where to deliver for `agent`, with the secret to sign with.
    pub async fn webhook_target(
        &self,
        agent: &str,
    ) -> Result<Option<(AgentWebhook, String)>, ServiceError> {
        Ok(self.store.agent_webhook(agent).await?)
    }

    /// Every webhook with its secret, for the pings.
    pub async fn webhook_targets(&self) -> Result<Vec<(AgentWebhook, String)>, ServiceError> {
        Ok(self.store.agent_webhooks().await?)
    }

    /// Records a delivery. One the agent answered with 2xx also counts as a read of its
    /// control state (`kill_switch_required`): the agent has heard it.
    pub async fn record_webhook_delivery(
        &self,
        agent: &str,
        error: Option<&str>,
    ) -> Result<(), ServiceError> {
        let now = self.now();
        self.store
            .record_webhook_delivery(agent, now, error)
            .await?;
        if error.is_none() {
            self.store.touch_agent_control(agent, now, 0).await?;
        }
        Ok(())
    }
}
