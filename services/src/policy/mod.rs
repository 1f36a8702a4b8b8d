//! Policies in force: the hierarchy loaded from the config (and, later, approved versions),
//! and which level each agent is bound to.

pub mod compliance;
pub mod document;
pub mod evaluate;
pub mod guard;
pub mod versions;
pub mod watch;

use crate::{Actor, ServiceError, Services};
use warden_domain::policy::{
    AgentPolicy, Binding, EffectivePolicy, PolicyOverview, PolicySet, ROOT,
};
use warden_domain::role::Permission;
use warden_domain::telemetry::AgentInfo;

/// The seed's policy hierarchy, in force when the config file has no `policies:` block
/// (an empty `policies: {}` turns policies off).
pub use warden_domain::policy::SEED_POLICIES;

/// The level an agent's rules come from: its `policy:`, else a level named like the agent,
/// else its category when that names a level (the seed groups agents by category), else
/// `global`.
pub fn binding_of(set: &PolicySet, agent: &AgentInfo) -> (String, Binding) {
    if let Some(policy) = agent.policy.as_deref().filter(|p| set.contains(p)) {
        return (policy.to_string(), Binding::Policy);
    }
    // The seed names agent policies like the agent, with underscores (`hr_screening_agent`
    // for hr-screening-agent).
    let own = agent.name.replace(['-', '.'], "_");
    if set.contains(&own) {
        return (own, Binding::Name);
    }
    if let Some(category) = agent.category.as_deref().filter(|c| set.contains(c)) {
        return (category.to_string(), Binding::Category);
    }
    (ROOT.to_string(), Binding::Default)
}

impl Services {
    /// The policy hierarchy in force.
    pub fn policies(&self) -> std::sync::Arc<PolicySet> {
        self.policies
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The hierarchy for the Policies page: every level with its own rules.
    pub fn policy_overview(&self, actor: &Actor) -> Result<PolicyOverview, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        Ok(PolicyOverview::of(&self.policies()))
    }

    /// What `agent` is held to: each rule, its value and the level it comes from.
    /// The agents whose effective policy the caller may look at (everyone may read the
    /// policies; an agent's own is shown to those who see the agent).
    pub async fn policy_agent_names(&self, actor: &Actor) -> Result<Vec<String>, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        let owner = self.owned_agents(actor);
        Ok(self
            .store
            .list_agents()
            .await?
            .into_iter()
            .filter(|a| owner.as_ref().is_none_or(|o| a.is_owned_by(o)))
            .map(|a| a.name)
            .collect())
    }

    pub async fn agent_policy(
        &self,
        actor: &Actor,
        agent: &str,
    ) -> Result<AgentPolicy, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        let info = self.visible_agent(actor, agent).await?;
        let set = self.policies();
        let (level, binding) = binding_of(&set, &info);
        let effective = set
            .effective(&level)
            .unwrap_or_else(|| EffectivePolicy::none(&level));
        Ok(AgentPolicy {
            agent: info.name,
            level,
            binding,
            effective,
        })
    }
}

impl Services {
    /// Violations the caller may see (an agent owner: of their own agents), newest first.
    pub async fn list_violations(
        &self,
        actor: &Actor,
        filter: &warden_domain::policy::ViolationFilter,
    ) -> Result<Vec<warden_domain::policy::Violation>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let owned = self.visible_agents(actor).await?;
        Ok(self.store.list_violations(filter, owned.as_deref()).await?)
    }
}
