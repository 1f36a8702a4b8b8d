//! The human review queue as people and agents use it: reviewers list and decide items;
//! the agent whose answer the guard holds reads the decision with its key.

use crate::{Actor, ServiceError, Services};
use warden_domain::review::{ReviewDecision, ReviewFilter, ReviewItem, ReviewState, Verdict};
use warden_domain::role::Permission;
use warden_domain::telemetry::KeyScope;

/// The longest decision note.
const NOTE_MAX: usize = 2_000;

impl Services {
    /// Items the caller may see (an agent owner: of their own agents).
    pub async fn list_reviews(
        &self,
        actor: &Actor,
        filter: &ReviewFilter,
        limit: u32,
    ) -> Result<Vec<ReviewItem>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let owned = self.visible_agents(actor).await?;
        Ok(self
            .store
            .list_reviews(filter, owned.as_deref(), limit.clamp(1, 500))
            .await?)
    }

    /// One item, for a person who may see its agent.
    pub async fn review(&self, actor: &Actor, id: i64) -> Result<ReviewItem, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let item = self.existing_review(id).await?;
        self.require_sees_agent(actor, &item.agent).await?;
        Ok(item)
    }

    /// The agent reading the decision on its own held answer.
    pub async fn review_for_agent(
        &self,
        scope: &KeyScope,
        id: i64,
    ) -> Result<ReviewItem, ServiceError> {
        let item = self.existing_review(id).await?;
        self.require_key_for(scope, &item.agent).await?;
        Ok(item)
    }

    /// Approves or rejects a pending item, once.
    pub async fn decide_review(
        &self,
        actor: &Actor,
        id: i64,
        decision: ReviewDecision,
    ) -> Result<ReviewItem, ServiceError> {
        actor.require(Permission::ReviewInteractions)?;
        let note = decision.note.trim();
        if note.chars().count() > NOTE_MAX {
            return Err(ServiceError::invalid(format!(
                "a note holds at most {NOTE_MAX} characters"
            )));
        }
        let (state, word) = match decision.decision {
            Verdict::Approve => (ReviewState::Approved, "approved"),
            Verdict::Reject => (ReviewState::Rejected, "rejected"),
        };
        if state == ReviewState::Rejected && note.is_empty() {
            return Err(ServiceError::invalid(
                "say why the answer is rejected, for the agent's owner",
            ));
        }
        let item = self.existing_review(id).await?;
        self.require_sees_agent(actor, &item.agent).await?;
        match self
            .store
            .decide_review(id, state, &actor.audit_name(), note, self.now())
            .await?
        {
            Some(decided) => {
                tracing::info!(review = id, decision = word, "review decided");
                Ok(decided)
            }
            None => {
                let now = self.existing_review(id).await?;
                Err(ServiceError::Conflict(format!(
                    "review {id} was {} already",
                    now.state.as_str()
                )))
            }
        }
    }

    /// Refuses an agent owner an item of someone else's agent. Others see every agent's
    /// items, also of agents no longer (or never) in the registry, such as a guard-only
    /// agent or a deleted one.
    async fn require_sees_agent(&self, actor: &Actor, agent: &str) -> Result<(), ServiceError> {
        if self.owned_agents(actor).is_some() {
            self.visible_agent(actor, agent).await?;
        }
        Ok(())
    }

    async fn existing_review(&self, id: i64) -> Result<ReviewItem, ServiceError> {
        self.store
            .review(id)
            .await?
            .ok_or(ServiceError::NotFound("review"))
    }
}
