//! The agent registry and ingest keys: who may register agents and make keys, and how a
//! key's secret becomes a scope.

use crate::{Actor, ServiceError, Services};
use sha2::{Digest, Sha256};
use warden_db::DbError;
use warden_domain::audit::AuditAction;
use warden_domain::role::Permission;
use warden_domain::telemetry::agent::{
    INGEST_KEY_PREFIX, validate_agent_name, validate_sample_rate,
};
use warden_domain::telemetry::{AgentInfo, AgentSource, IngestKeyInfo, KeyScope};
use warden_domain::token::validate_token_name;

/// A key just made: the secret is in here and nowhere else.
#[derive(Debug, Clone)]
pub struct NewIngestKey {
    pub info: IngestKeyInfo,
    pub secret: String,
}

fn hash_key(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

const SHOWN_PREFIX_LEN: usize = INGEST_KEY_PREFIX.len() + 8;

impl Services {
    /// Every agent the caller may see: all of them, or an agent owner's own.
    pub async fn list_agents(&self, actor: &Actor) -> Result<Vec<AgentInfo>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let agents = self.store.list_agents().await?;
        Ok(match self.owned_agents(actor) {
            None => agents,
            Some(owner) => agents
                .into_iter()
                .filter(|a| a.is_owned_by(&owner))
                .collect(),
        })
    }

    /// The registration of `agent` if the caller may see it; an agent owner asking for
    /// another's agent hears "not found", as for one that does not exist.
    pub(crate) async fn visible_agent(
        &self,
        actor: &Actor,
        agent: &str,
    ) -> Result<AgentInfo, ServiceError> {
        let info = self
            .store
            .find_agent(agent)
            .await?
            .ok_or(ServiceError::NotFound("agent"))?;
        match self.owned_agents(actor) {
            Some(owner) if !info.is_owned_by(&owner) => Err(ServiceError::NotFound("agent")),
            _ => Ok(info),
        }
    }

    /// `None` when the caller sees every agent, else the e-mail whose agents they see.
    pub(crate) fn owned_agents(&self, actor: &Actor) -> Option<String> {
        match actor {
            Actor::System => None,
            Actor::User(user)
                if warden_domain::role::can(&user.roles, Permission::ViewAllAgents) =>
            {
                None
            }
            Actor::User(user) => Some(user.email.clone()),
        }
    }

    /// Makes the registry match the config file (at start).
    pub async fn sync_config_agents(&self, agents: &[AgentInfo]) -> Result<(), ServiceError> {
        Ok(self.store.sync_config_agents(agents, self.now()).await?)
    }

    /// Registers or edits an agent outside the config file.
    pub async fn save_agent(
        &self,
        actor: &Actor,
        mut agent: AgentInfo,
    ) -> Result<AgentInfo, ServiceError> {
        actor.require(Permission::ManageAgents)?;
        agent.name = validate_agent_name(&agent.name).map_err(ServiceError::Invalid)?;
        agent.sample_rate =
            validate_sample_rate(agent.sample_rate).map_err(ServiceError::Invalid)?;
        for field in [
            &mut agent.sdk,
            &mut agent.owner,
            &mut agent.category,
            &mut agent.environment,
            &mut agent.policy,
            &mut agent.description,
        ] {
            *field = field
                .take()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if field.as_ref().is_some_and(|v| v.chars().count() > 500) {
                return Err(ServiceError::invalid(
                    "agent fields hold at most 500 characters",
                ));
            }
        }
        agent.source = AgentSource::Ui;
        let before = self.store.find_agent(&agent.name).await?;
        let saved = self
            .store
            .save_agent(&agent, self.now())
            .await
            .map_err(|err| match err {
                DbError::Conflict { .. } => ServiceError::Conflict(format!(
                    "{} is defined in the config file; change it there",
                    agent.name
                )),
                other => other.into(),
            })?;
        self.record(
            &actor.audit_name(),
            AuditAction::AgentSave,
            format!("agent:{}", saved.name),
            before.as_ref().map(agent_json),
            Some(agent_json(&saved)),
        )
        .await?;
        Ok(saved)
    }

    pub async fn delete_agent(&self, actor: &Actor, name: &str) -> Result<(), ServiceError> {
        actor.require(Permission::ManageAgents)?;
        let before = self.store.find_agent(name).await?;
        self.store
            .delete_agent(name)
            .await
            .map_err(|err| match err {
                DbError::Conflict { .. } => ServiceError::Conflict(format!(
                    "{name} is defined in the config file; remove it there"
                )),
                other => ServiceError::from_db(other, "agent"),
            })?;
        self.record(
            &actor.audit_name(),
            AuditAction::AgentDelete,
            format!("agent:{name}"),
            before.as_ref().map(agent_json),
            None,
        )
        .await
    }

    /// Makes an ingest key for an agent or an environment.
    pub async fn create_ingest_key(
        &self,
        actor: &Actor,
        name: &str,
        scope: KeyScope,
    ) -> Result<NewIngestKey, ServiceError> {
        actor.require(Permission::ManageAgents)?;
        let name = validate_token_name(name).map_err(ServiceError::Invalid)?;
        let scope = match scope {
            KeyScope::Agent(agent) => {
                KeyScope::Agent(validate_agent_name(&agent).map_err(ServiceError::Invalid)?)
            }
            KeyScope::Environment(env) => {
                let env = env.trim().to_string();
                if env.is_empty() || env.len() > 100 {
                    return Err(ServiceError::invalid(
                        "an environment name has 1 to 100 characters",
                    ));
                }
                KeyScope::Environment(env)
            }
        };
        let secret = format!(
            "{INGEST_KEY_PREFIX}{}",
            hex::encode(crate::random_bytes::<32>()?)
        );
        let info = self
            .store
            .insert_ingest_key(
                &name,
                &scope,
                &secret[..SHOWN_PREFIX_LEN],
                &hash_key(&secret),
                actor.user_id(),
                self.now(),
            )
            .await?;
        self.record(
            &actor.audit_name(),
            AuditAction::IngestKeyCreate,
            format!("ingest_key:{}", info.id),
            None,
            Some(serde_json::json!({ "name": info.name, "scope": info.scope.describe(), "prefix": info.prefix })),
        )
        .await?;
        Ok(NewIngestKey { info, secret })
    }

    pub async fn list_ingest_keys(
        &self,
        actor: &Actor,
    ) -> Result<Vec<IngestKeyInfo>, ServiceError> {
        actor.require(Permission::ManageAgents)?;
        Ok(self.store.list_ingest_keys().await?)
    }

    pub async fn revoke_ingest_key(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<IngestKeyInfo, ServiceError> {
        actor.require(Permission::ManageAgents)?;
        let info = self
            .store
            .revoke_ingest_key(id, self.now())
            .await
            .map_err(|err| ServiceError::from_db(err, "ingest key"))?;
        self.record(
            &actor.audit_name(),
            AuditAction::IngestKeyRevoke,
            format!("ingest_key:{id}"),
            Some(serde_json::json!({ "name": info.name, "revoked": false })),
            Some(serde_json::json!({ "name": info.name, "revoked": true })),
        )
        .await?;
        Ok(info)
    }

    /// The scope of the live key `secret`, or `None` for an unknown or revoked key.
    pub async fn authenticate_ingest_key(
        &self,
        secret: &str,
    ) -> Result<Option<KeyScope>, ServiceError> {
        if !secret.starts_with(INGEST_KEY_PREFIX) {
            return Ok(None);
        }
        Ok(self
            .store
            .authenticate_ingest_key(&hash_key(secret), self.now())
            .await?
            .map(|(_, scope)| scope))
    }
}

/// What the audit trail keeps of an agent's registration.
fn agent_json(agent: &AgentInfo) -> serde_json::Value {
    serde_json::json!({
        "owner": agent.owner,
        "category": agent.category,
        "environment": agent.environment,
        "policy": agent.policy,
        "sample_rate": agent.sample_rate,
        "sdk": agent.sdk,
    })
}
