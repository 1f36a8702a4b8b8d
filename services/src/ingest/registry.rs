//! The agent registry as the pipeline reads it: a snapshot in memory, swapped whole on
//! refresh, so a request never waits on the database to learn an agent's settings.

use crate::ServiceError;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use warden_db::Store;
use warden_domain::telemetry::AgentInfo;

pub type Agents = Arc<HashMap<String, AgentInfo>>;

pub struct Registry {
    agents: RwLock<Agents>,
}

impl Registry {
    pub(super) async fn load(store: &Store) -> Result<Registry, ServiceError> {
        let registry = Registry {
            agents: RwLock::new(Arc::default()),
        };
        registry.refresh(store).await?;
        Ok(registry)
    }

    pub(super) async fn refresh(&self, store: &Store) -> Result<(), ServiceError> {
        let agents: HashMap<String, AgentInfo> = store
            .list_agents()
            .await?
            .into_iter()
            .map(|a| (a.name.clone(), a))
            .collect();
        *self
            .agents
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(agents);
        Ok(())
    }

    /// The agents as of the last refresh.
    pub fn snapshot(&self) -> Agents {
        self.agents
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
