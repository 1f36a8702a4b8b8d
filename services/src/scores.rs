//! Scores and feedback: who may score which interaction, and how a score reaches the
//! metrics (at once when its agent is known, else when its trace arrives).

use crate::{Actor, ServiceError, Services};
use warden_db::ScoreRecord;
use warden_domain::metrics::score::{NewScore, Score, validate};
use warden_domain::role::Permission;
use warden_domain::telemetry::KeyScope;

/// Who sends scores.
pub enum ScoreAuthor<'a> {
    /// An agent with its ingest key, for its own traces.
    Key {
        scope: &'a KeyScope,
        prefix: &'a str,
    },
    /// A person (a reviewer on the trace page, a script with a token).
    User(&'a Actor),
}

/// How a score sent with an agent's ingest key names its author: this, then the agent.
pub const KEY_AUTHOR: &str = "key:";

/// Scores per request at most.
const MAX_SCORES: usize = 1_000;

impl Services {
    /// Checks and stores scores, all or none: a bad one refuses the request, saying which.
    pub async fn record_scores(
        &self,
        author: ScoreAuthor<'_>,
        mut scores: Vec<NewScore>,
    ) -> Result<Vec<Score>, ServiceError> {
        if scores.is_empty() || scores.len() > MAX_SCORES {
            return Err(ServiceError::Invalid(format!(
                "send 1 to {MAX_SCORES} scores"
            )));
        }
        let mut normalized = Vec::with_capacity(scores.len());
        for (i, score) in scores.iter_mut().enumerate() {
            let n =
                validate(score).map_err(|e| ServiceError::Invalid(format!("scores[{i}]: {e}")))?;
            normalized.push(n);
        }
        let ids: Vec<String> = scores.iter().map(|s| s.trace_id.clone()).collect();
        let known = self.store.trace_agents(&ids).await?;
        let (created_by, key_agent) = match &author {
            ScoreAuthor::Key { scope, prefix } => match scope {
                KeyScope::Agent(name) => (format!("key:{prefix}"), Some(name.clone())),
                // Which agent's scores they are could not be checked for a trace not stored.
                KeyScope::Environment(_) => {
                    return Err(ServiceError::Forbidden(
                        "scores are sent with an agent's ingest key, or by a person".into(),
                    ));
                }
            },
            ScoreAuthor::User(actor) => {
                actor.require(Permission::ViewTraces)?;
                let who = match actor {
                    Actor::User(u) => u.email.clone(),
                    Actor::System => "system".to_string(),
                };
                (who, None)
            }
        };
        let visible = match &author {
            ScoreAuthor::User(actor) => self.visible_agents(actor).await?,
            ScoreAuthor::Key { .. } => None,
        };
        let now = self.now();
        let mut records = Vec::with_capacity(scores.len());
        for (i, (score, n)) in scores.into_iter().zip(normalized).enumerate() {
            let trace_agent = known.get(&score.trace_id).cloned();
            // An agent scores its own traces only; a person those they may see.
            if let (Some(mine), Some(theirs)) = (&key_agent, &trace_agent)
                && mine != theirs
            {
                return Err(ServiceError::Forbidden(format!(
                    "scores[{i}]: trace {} is not {mine}'s",
                    score.trace_id
                )));
            }
            if let Some(visible) = &visible
                && !trace_agent.as_ref().is_some_and(|a| visible.contains(a))
            {
                return Err(ServiceError::NotFound("trace"));
            }
            records.push(ScoreRecord {
                // A trace not stored yet: the score waits, and counts only if the trace
                // turns out to be the key's agent's (see `count_waiting_scores`).
                agent: trace_agent,
                trace_id: score.trace_id,
                span_id: score.span_id,
                name: score.name,
                value: score.value,
                label: score.label.map(|l| l.trim().to_string()),
                normalized: n,
                comment: score
                    .comment
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
                source: score.source,
                created_by: created_by.clone(),
                created_at: now,
            });
        }
        Ok(self.store.insert_scores(&records, now).await?)
    }

    /// The scores of a trace the caller may see.
    pub async fn trace_scores(
        &self,
        actor: &Actor,
        trace_id: &str,
    ) -> Result<Vec<Score>, ServiceError> {
        actor.require(Permission::ViewTraces)?;
        let trace_id = trace_id.trim().to_ascii_lowercase();
        let agents = self
            .store
            .trace_agents(std::slice::from_ref(&trace_id))
            .await?;
        if let Some(visible) = self.visible_agents(actor).await?
            && !agents.get(&trace_id).is_some_and(|a| visible.contains(a))
        {
            return Err(ServiceError::NotFound("trace"));
        }
        Ok(self.store.scores_of_trace(&trace_id).await?)
    }
}
