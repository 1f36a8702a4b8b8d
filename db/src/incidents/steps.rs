//! Each incident's runbook steps: copied from its kind's runbook when it opens, claimed
//! with a lease by whoever runs one (a replica's runbook pass, or a person's button), and
//! finished with its timeline entry in the same transaction.

use super::push_event;
use crate::{DbError, Store, with_pool};
use warden_domain::incident::EntryKind;
use warden_domain::incident::runbook::{Action, IncidentStep, Step, StepStatus};

const COLUMNS: &str = "position, name, action, automatic, wait_ms, per_min, status, \
     started_at, finished_at, done_by, result";

#[derive(sqlx::FromRow)]
struct StepRow {
    position: i32,
    name: String,
    action: String,
    automatic: bool,
    wait_ms: Option<i64>,
    per_min: Option<i32>,
    status: String,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    done_by: Option<String>,
    result: Option<String>,
}

impl From<StepRow> for IncidentStep {
    fn from(r: StepRow) -> IncidentStep {
        let position = u32::try_from(r.position).unwrap_or(0);
        IncidentStep {
            position,
            number: position + 1,
            step: Step {
                name: r.name,
                // Written only from these types; an unknown action is left to people.
                action: Action::parse(&r.action).unwrap_or(Action::Guided),
                automatic: r.automatic,
                wait_ms: r.wait_ms,
                per_min: r.per_min.and_then(|n| u32::try_from(n).ok()),
            },
            status: StepStatus::parse(&r.status).unwrap_or(StepStatus::Pending),
            started_at: r.started_at,
            finished_at: r.finished_at,
            by: r.done_by,
            result: r.result,
        }
    }
}

/// Writes a new incident's steps inside the transaction that opens it.
macro_rules! insert_steps {
    ($tx:expr, $id:expr, $steps:expr) => {
        for (position, step) in $steps.iter().enumerate() {
            let step: &warden_domain::incident::runbook::Step = step;
            sqlx::query(
                "insert into incident_steps (incident_id, position, name, action, automatic, \
                 wait_ms, per_min, status) values ($1, $2, $3, $4, $5, $6, $7, 'pending')",
            )
            .bind($id)
            .bind(position as i32)
            .bind(&step.name)
            .bind(step.action.as_str())
            .bind(step.automatic)
            .bind(step.wait_ms)
            .bind(step.per_min.map(|n| n as i32))
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use insert_steps;

/// How a step that was claimed ended.
#[derive(Debug, Clone)]
pub struct StepOutcome {
    pub incident_id: i64,
    pub position: u32,
    /// The claim it was run under: a step whose claim someone else took meanwhile is
    /// not finished twice.
    pub claimant: String,
    pub status: StepStatus,
    pub by: String,
    pub result: String,
    pub at: i64,
    /// Marks the steps after it skipped, with this reason (an agent that recovered needs
    /// no rollback).
    pub skip_rest: Option<String>,
}

impl Store {
    /// The incident's steps in order.
    pub async fn incident_steps(&self, id: i64) -> Result<Vec<IncidentStep>, DbError> {
        let sql = format!(
            "select {COLUMNS} from incident_steps where incident_id = $1 order by position"
        );
        let rows: Vec<StepRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Automatic steps that may run at `now`: not over, nobody holding them, every step
    /// before them done or skipped, on an incident not resolved. `(incident, position)`.
    pub async fn runnable_steps(&self, now: i64, limit: i64) -> Result<Vec<(i64, i32)>, DbError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "select s.incident_id, s.position from incident_steps s \
                 join incidents i on i.id = s.incident_id \
                 where s.status in ('pending', 'running') and s.automatic \
                 and i.status <> 'resolved' \
                 and (s.lease_until is null or s.lease_until < $1) \
                 and not exists (select 1 from incident_steps p where \
                   p.incident_id = s.incident_id and p.position < s.position \
                   and p.status not in ('done', 'skipped')) \
                 order by s.incident_id, s.position limit $2",
            )
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Takes a step not over for `claimant` until `lease_until`, marking it running;
    /// `None` when someone holds it or it is over (or its incident resolved).
    pub async fn claim_step(
        &self,
        id: i64,
        position: u32,
        claimant: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<IncidentStep>, DbError> {
        let sql = format!(
            "update incident_steps set status = 'running', claimed_by = $3, lease_until = $5, \
             started_at = coalesce(started_at, $4) \
             where incident_id = $1 and position = $2 and status in ('pending', 'running') \
             and (lease_until is null or lease_until < $4) \
             and exists (select 1 from incidents i where i.id = $1 and i.status <> 'resolved') \
             returning {COLUMNS}"
        );
        let row: Option<StepRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(id)
                .bind(position as i32)
                .bind(claimant)
                .bind(now)
                .bind(lease_until)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    /// Lets go of a step: one that goes on (a health check still waiting) stays running
    /// for the next pass of any replica; one that did not start (`unstarted`) goes back to
    /// pending; on an incident resolved while it was held, it is skipped as the resolve
    /// skipped the others.
    pub async fn release_step(
        &self,
        id: i64,
        position: u32,
        claimant: &str,
        unstarted: bool,
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "update incident_steps set claimed_by = null, lease_until = null, \
                 status = case when exists (select 1 from incidents i where i.id = $1 \
                   and i.status = 'resolved') then 'skipped' \
                   when $4 then 'pending' else status end, \
                 result = case when exists (select 1 from incidents i where i.id = $1 \
                   and i.status = 'resolved') then 'not run: the incident was resolved' \
                   else result end, \
                 started_at = case when $4 then null else started_at end \
                 where incident_id = $1 and position = $2 and claimed_by = $3",
            )
            .bind(id)
            .bind(position as i32)
            .bind(claimant)
            .bind(unstarted)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Finishes a claimed step with its timeline entry (and skips the rest if asked), in
    /// one transaction. False when the claim was lost: nothing is written.
    pub async fn finish_step(&self, outcome: &StepOutcome) -> Result<bool, DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let name: Option<String> = sqlx::query_scalar(
                "update incident_steps set status = $4, result = $5, done_by = $6, \
                 finished_at = $7, claimed_by = null, lease_until = null \
                 where incident_id = $1 and position = $2 and claimed_by = $3 \
                 and status in ('pending', 'running') returning name",
            )
            .bind(outcome.incident_id)
            .bind(outcome.position as i32)
            .bind(&outcome.claimant)
            .bind(outcome.status.as_str())
            .bind(&outcome.result)
            .bind(&outcome.by)
            .bind(outcome.at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(name) = name else {
                return Ok(false);
            };
            let detail = format!(
                "step {} {name}: {} — {}",
                outcome.position + 1,
                outcome.status.as_str(),
                outcome.result
            );
            push_event!(tx, outcome.incident_id, outcome.at, EntryKind::RunbookStep, &outcome.by, &detail);
            if let Some(reason) = &outcome.skip_rest {
                sqlx::query(
                    "update incident_steps set status = 'skipped', result = $3, done_by = 'warden', \
                     finished_at = $4 where incident_id = $1 and position > $2 \
                     and status = 'pending'",
                )
                .bind(outcome.incident_id)
                .bind(outcome.position as i32)
                .bind(reason)
                .bind(outcome.at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The versions the agent's spans named over the last `since` ms, newest first.
    pub async fn agent_versions(
        &self,
        agent: &str,
        since: i64,
        limit: i64,
    ) -> Result<Vec<String>, DbError> {
        // Spans have no index by agent: the time range bounds the scan, and a rollback
        // is rare.
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(
                "select service_version from spans where agent = $1 and start_s >= $2 \
                 and service_version is not null group by service_version \
                 order by max(start_ns) desc limit $3",
            )
            .bind(agent)
            .bind(since.div_euclid(1000))
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}
