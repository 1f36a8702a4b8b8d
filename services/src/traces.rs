//! Reading traces and PII events, with agent owners held to their own agents.

use crate::{Actor, ServiceError, Services};
use warden_db::{EventRecord, MetricRecord};
use warden_domain::role::Permission;
use warden_domain::telemetry::{PiiEventInfo, TraceDetail, TraceFilter, TraceSummary};

impl Services {
    /// The traces matching `filter` that the caller may see.
    pub async fn list_traces(
        &self,
        actor: &Actor,
        filter: &TraceFilter,
    ) -> Result<Vec<TraceSummary>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        match self.visible_agents(actor).await? {
            None => Ok(self.store.list_traces(filter).await?),
            Some(agents) => {
                if let Some(agent) = &filter.agent {
                    if !agents.contains(agent) {
                        return Ok(Vec::new());
                    }
                    return Ok(self.store.list_traces(filter).await?);
                }
                // An owner's list is the union of their agents' lists.
                let mut all = Vec::new();
                for agent in agents {
                    let mut one = filter.clone();
                    one.agent = Some(agent);
                    all.extend(self.store.list_traces(&one).await?);
                }
                all.sort_by_key(|t| std::cmp::Reverse(t.start_ns));
                all.truncate(filter.limit() as usize);
                Ok(all)
            }
        }
    }

    /// One trace with its spans, if the caller may see its agent.
    pub async fn trace_detail(
        &self,
        actor: &Actor,
        trace_id: &str,
        currency: &str,
    ) -> Result<TraceDetail, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let trace_id = trace_id.trim().to_ascii_lowercase();
        let (summary, spans, pii_events) = self
            .store
            .get_trace(&trace_id)
            .await?
            .ok_or(ServiceError::NotFound("trace"))?;
        if let Some(agents) = self.visible_agents(actor).await?
            && !agents.contains(&summary.agent)
        {
            // Not "forbidden": that would confirm the trace exists.
            return Err(ServiceError::NotFound("trace"));
        }
        Ok(TraceDetail {
            summary,
            spans,
            pii_events,
            currency: currency.to_string(),
        })
    }

    /// PII events the caller may see, newest first.
    pub async fn list_pii_events(
        &self,
        actor: &Actor,
        agent: Option<&str>,
        since_ms: Option<i64>,
        limit: u32,
    ) -> Result<Vec<PiiEventInfo>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let limit = limit.clamp(1, 1000);
        let events = self.store.list_pii_events(agent, since_ms, limit).await?;
        Ok(match self.visible_agents(actor).await? {
            None => events,
            Some(agents) => events
                .into_iter()
                .filter(|e| agents.contains(&e.agent))
                .collect(),
        })
    }

    /// An agent's warning-and-above log records, newest first.
    pub async fn agent_events(
        &self,
        actor: &Actor,
        agent: &str,
        limit: u32,
    ) -> Result<Vec<EventRecord>, ServiceError> {
        self.require_agent_visible(actor, agent).await?;
        Ok(self
            .store
            .list_agent_events(agent, limit.clamp(1, 1000))
            .await?)
    }

    /// An agent's kept metrics since `since_ms`, per minute.
    pub async fn agent_metrics(
        &self,
        actor: &Actor,
        agent: &str,
        since_ms: i64,
    ) -> Result<Vec<MetricRecord>, ServiceError> {
        self.require_agent_visible(actor, agent).await?;
        Ok(self.store.list_agent_metrics(agent, since_ms).await?)
    }

    async fn require_agent_visible(&self, actor: &Actor, agent: &str) -> Result<(), ServiceError> {
        actor.require(Permission::ViewTraces)?;
        match self.visible_agents(actor).await? {
            Some(agents) if !agents.iter().any(|a| a == agent) => {
                Err(ServiceError::NotFound("agent"))
            }
            _ => Ok(()),
        }
    }

    /// `None` when the caller sees every agent, else the names of the agents they own.
    pub(crate) async fn visible_agents(
        &self,
        actor: &Actor,
    ) -> Result<Option<Vec<String>>, ServiceError> {
        if self.owned_agents(actor).is_none() {
            return Ok(None);
        }
        let agents = self.list_agents(actor).await?;
        Ok(Some(agents.into_iter().map(|a| a.name).collect()))
    }
}
