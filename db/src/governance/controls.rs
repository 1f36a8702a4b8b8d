//! Agents' control states. A change bumps the version in the same statement, so two
//! people pulling the switch at once both land, in order, each with its own version.

use crate::governance::audit::{audit_lock, audit_write};
use crate::{DbError, Store, with_pool};
use warden_domain::audit::{AuditAction, NewAuditEvent};
use warden_domain::control::{AgentControl, ControlChange, ControlState};

/// What the audit trail keeps of a control state: what was ordered, not when it was read.
fn control_json(control: &AgentControl) -> String {
    serde_json::json!({
        "state": control.state.as_str(),
        "reason": control.reason,
        "rate_limit_per_min": control.rate_limit_per_min,
        "pinned_version": control.pinned_version,
        "version": control.version,
    })
    .to_string()
}

#[derive(sqlx::FromRow)]
struct ControlRow {
    agent: String,
    state: String,
    reason: String,
    rate_limit_per_min: Option<i64>,
    pinned_version: Option<String>,
    version: i64,
    updated_by: String,
    updated_at: i64,
    last_read_at: Option<i64>,
}

impl From<ControlRow> for AgentControl {
    fn from(r: ControlRow) -> Self {
        AgentControl {
            // An unknown state from a newer version is the safe one.
            state: ControlState::parse(&r.state).unwrap_or(ControlState::Paused),
            agent: r.agent,
            reason: r.reason,
            rate_limit_per_min: r.rate_limit_per_min.and_then(|n| u32::try_from(n).ok()),
            pinned_version: r.pinned_version,
            version: r.version,
            updated_by: r.updated_by,
            updated_at: r.updated_at,
            last_read_at: r.last_read_at,
        }
    }
}

const COLUMNS: &str = "agent, state, reason, rate_limit_per_min, pinned_version, version, \
     updated_by, updated_at, last_read_at";

impl Store {
    /// The agent's control state; running when nobody ever switched it.
    pub async fn agent_control(&self, agent: &str) -> Result<AgentControl, DbError> {
        let sql = format!("select {COLUMNS} from agent_controls where agent = $1");
        let row: Option<ControlRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(agent).fetch_optional(pool).await?
        });
        Ok(row.map_or_else(|| AgentControl::running(agent), Into::into))
    }

    /// Every agent's control state that was ever set.
    pub async fn agent_controls(&self) -> Result<Vec<AgentControl>, DbError> {
        let sql = format!("select {COLUMNS} from agent_controls order by agent");
        let rows: Vec<ControlRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Applies a change and returns the new state; the audit trail records it, with the
    /// state before and after, in the same transaction.
    pub async fn set_agent_control(
        &self,
        agent: &str,
        change: &ControlChange,
        by: &str,
        now: i64,
    ) -> Result<AgentControl, DbError> {
        let select = format!("select {COLUMNS} from agent_controls where agent = $1");
        let upsert = format!(
            "insert into agent_controls (agent, state, reason, rate_limit_per_min, \
             pinned_version, version, updated_by, updated_at) \
             values ($1, $2, $3, $4, $5, 1, $6, $7) \
             on conflict (agent) do update set state = excluded.state, \
             reason = excluded.reason, rate_limit_per_min = excluded.rate_limit_per_min, \
             pinned_version = excluded.pinned_version, \
             version = agent_controls.version + 1, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at \
             returning {COLUMNS}"
        );
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let before: Option<ControlRow> =
                sqlx::query_as(&select).bind(agent).fetch_optional(&mut *tx).await?;
            let before = before.map_or_else(|| AgentControl::running(agent), Into::into);
            let row: ControlRow = sqlx::query_as(&upsert)
                .bind(agent)
                .bind(change.state.as_str())
                .bind(&change.reason)
                .bind(change.rate_limit_per_min.map(i64::from))
                .bind(&change.pinned_version)
                .bind(by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let after: AgentControl = row.into();
            let event = NewAuditEvent {
                actor: by.to_string(),
                action: AuditAction::ControlSet,
                target: format!("agent:{agent}"),
                before: Some(control_json(&before)),
                after: Some(control_json(&after)),
            };
            audit_write!(tx, head, &event, now);
            tx.commit().await?;
            after
        }))
    }

    /// Records that the agent read its state; written at most once per `every_ms`, so a
    /// polling fleet costs a write per agent per interval, not per poll.
    pub async fn touch_agent_control(
        &self,
        agent: &str,
        now: i64,
        every_ms: i64,
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "insert into agent_controls (agent, state, reason, version, updated_by, \
                 updated_at, last_read_at) values ($1, 'running', '', 0, '', 0, $2) \
                 on conflict (agent) do update set last_read_at = excluded.last_read_at \
                 where agent_controls.last_read_at is null \
                 or agent_controls.last_read_at < $3",
            )
            .bind(agent)
            .bind(now)
            .bind(now - every_ms)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
