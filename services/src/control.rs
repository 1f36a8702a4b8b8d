//! The kill switch: who may change an agent's control state, and how an agent reads its own.

use crate::{Actor, ServiceError, Services};
use warden_domain::Role;
use warden_domain::control::{AgentControl, ControlChange};
use warden_domain::role::Permission;
use warden_domain::telemetry::KeyScope;

/// How often an agent's reads are recorded at most (`kill_switch_required` needs minutes,
/// not every poll).
const READ_RECORD_MS: i64 = 10_000;

impl Services {
    /// Sets `agent`'s control state. Admins and engineering leads may switch any agent,
    /// agent owners their own.
    pub async fn set_agent_control(
        &self,
        actor: &Actor,
        agent: &str,
        change: ControlChange,
    ) -> Result<AgentControl, ServiceError> {
        let info = self.switchable_agent(actor, agent).await?;
        self.store_control(&info.name, change, &actor.audit_name())
            .await
    }

    /// Validates and stores a change of `agent`'s control state made by `by` (who the
    /// caller has checked may make it), and tells the agent's webhook.
    pub(crate) async fn store_control(
        &self,
        agent: &str,
        change: ControlChange,
        by: &str,
    ) -> Result<AgentControl, ServiceError> {
        let change = change.validate().map_err(ServiceError::Invalid)?;
        let control = self
            .store
            .set_agent_control(agent, &change, by, self.now())
            .await?;
        // No receiver (no webhook job, as in the CLI) is fine: nobody is to be told.
        let _ = self.control_events.send(control.clone());
        Ok(control)
    }

    /// The agent, if the caller may switch it: admins and engineering leads any agent,
    /// agent owners their own.
    pub(crate) async fn switchable_agent(
        &self,
        actor: &Actor,
        agent: &str,
    ) -> Result<warden_domain::telemetry::AgentInfo, ServiceError> {
        actor.require(Permission::ControlAgents)?;
        let info = self.visible_agent(&Actor::System, agent).await?;
        if let Actor::User(user) = actor {
            let any = user
                .roles
                .iter()
                .any(|r| matches!(r, Role::Admin | Role::EngineeringLead));
            if !any && !info.is_owned_by(&user.email) {
                return Err(ServiceError::Forbidden(format!(
                    "only admins, engineering leads and the owner of {} may switch it",
                    info.name
                )));
            }
        }
        Ok(info)
    }

    /// Changes of control states made through this replica, for the webhook deliveries.
    pub fn control_changes(&self) -> tokio::sync::broadcast::Receiver<AgentControl> {
        self.control_events.subscribe()
    }

    /// An agent's control state as a person sees it.
    pub async fn agent_control(
        &self,
        actor: &Actor,
        agent: &str,
    ) -> Result<AgentControl, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let info = self.visible_agent(actor, agent).await?;
        Ok(self.store.agent_control(&info.name).await?)
    }

    /// An agent reading its own control state with its key; the read is recorded.
    pub async fn read_own_control(
        &self,
        scope: &KeyScope,
        agent: &str,
    ) -> Result<AgentControl, ServiceError> {
        self.require_key_for(scope, agent).await?;
        let control = self.store.agent_control(agent).await?;
        self.store
            .touch_agent_control(agent, self.now(), READ_RECORD_MS)
            .await?;
        Ok(control)
    }

    /// Refuses a key that may not speak for `agent`: an agent key for another agent, or an
    /// environment key for an agent registered in another environment.
    pub async fn require_key_for(&self, scope: &KeyScope, agent: &str) -> Result<(), ServiceError> {
        let known = self.store.find_agent(agent).await?;
        let environment = known.as_ref().and_then(|a| a.environment.as_deref());
        if scope.allows(agent, environment, known.is_some()) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "this key is for {} and may not act for agent {agent:?}",
                scope.describe()
            )))
        }
    }
}

impl Services {
    /// The control states of the agents the caller sees, switched at least once or read.
    pub async fn list_agent_controls(
        &self,
        actor: &Actor,
    ) -> Result<Vec<AgentControl>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let visible = self.visible_agents(actor).await?;
        Ok(self
            .store
            .agent_controls()
            .await?
            .into_iter()
            .filter(|c| visible.as_ref().is_none_or(|v| v.contains(&c.agent)))
            .collect())
    }
}
