//! Running runbooks: each automatic step is claimed with a lease by one replica's pass and
//! run as soon as the steps before it are over; people run, tick or skip the others. A
//! step acts through the agent's control state (recorded in the audit trail and pushed
//! to its control webhook) or, for a restart, a command to that webhook.
//!
//! A step's effect and its record are two transactions: a replica that dies between them
//! leaves the step claimed, and once the lease runs out the next pass runs it again. The
//! actions are written to bear that: setting a state already set changes nothing, a
//! rollback finds the version already pinned, and a second restart command is the one
//! repeat an agent may see.

use crate::{Actor, ServiceError, Services};
use serde::Deserialize;
use warden_db::{StepOutcome, StoredIncident};
use warden_domain::control::{AgentControl, ControlChange, ControlState};
use warden_domain::incident::Kind;
use warden_domain::incident::runbook::{
    Action, DEFAULT_HEALTH_WAIT_MS, DEFAULT_RATE_LIMIT, IncidentStep, StepStatus,
    automatic_may_start,
};
use warden_domain::role::Permission;
use warden_domain::timefmt::iso_utc;

/// The way a restart reaches an agent: a signed `command` to its control webhook,
/// delivered by the server.
#[async_trait::async_trait]
pub trait AgentCommands: Send + Sync {
    /// What was done, or why it could not be.
    async fn restart(&self, agent: &str, incident: i64) -> Result<String, String>;
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunbookPass {
    pub finished: usize,
    /// Health checks still waiting for the agent.
    pub waiting: usize,
}

/// What a person does with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandStep {
    /// Runs its action now (a health check looks once, without waiting).
    Run,
    /// Says it was done by hand.
    Done,
    Skip,
}

/// `POST /api/v1/incidents/{id}/steps/{n}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    #[serde(rename = "do")]
    pub act: HandStep,
    #[serde(default)]
    pub note: Option<String>,
}

/// The answer when someone else holds a step.
fn busy() -> ServiceError {
    ServiceError::Conflict("the step is being run right now, or the incident is resolved".into())
}

/// How long a runner holds a step: beyond a webhook's retries.
const LEASE_MS: i64 = 60_000;
/// Steps looked at per pass.
const BATCH: i64 = 200;
/// How far back a rollback looks for the version before the current one.
const VERSIONS_SINCE_MS: i64 = 30 * 86_400_000;
const MAX_STEP_NOTE: usize = 2_000;

/// How running an action went.
enum Ran {
    Over {
        status: StepStatus,
        result: String,
        /// The agent is healthy again: the steps after it are not needed.
        recovered: bool,
    },
    /// A health check still waiting for spans.
    Waiting,
}

fn over(status: StepStatus, result: impl Into<String>) -> Ran {
    Ran::Over {
        status,
        result: result.into(),
        recovered: false,
    }
}

impl Services {
    /// Runs every automatic step that may run now and that no other replica holds. Each
    /// claim is taken at its own time, and the pass stops halfway through a lease, so no
    /// step is run after its claim could have passed to another replica.
    pub async fn run_due_steps(
        &self,
        commands: &dyn AgentCommands,
        claimant: &str,
    ) -> Result<RunbookPass, ServiceError> {
        let mut pass = RunbookPass::default();
        let began = self.now();
        for (id, position) in self.store.runnable_steps(began, BATCH).await? {
            let now = self.now();
            if now - began > LEASE_MS / 2 {
                break;
            }
            let position = u32::try_from(position).unwrap_or(0);
            let Some(step) = self
                .store
                .claim_step(id, position, claimant, now, now + LEASE_MS)
                .await?
            else {
                continue;
            };
            if let Err(err) = self
                .run_claimed(id, &step, now, commands, claimant, &mut pass)
                .await
            {
                // One step's trouble must not hold up the others: its claim runs out and
                // the next pass tries it again.
                tracing::warn!(id, step = step.number, error = %err, "running a runbook step");
            }
        }
        Ok(pass)
    }

    async fn run_claimed(
        &self,
        id: i64,
        step: &IncidentStep,
        claimed_at: i64,
        commands: &dyn AgentCommands,
        claimant: &str,
        pass: &mut RunbookPass,
    ) -> Result<(), ServiceError> {
        let position = step.position;
        let incident = self
            .store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        let steps = self.store.incident_steps(id).await?;
        // The query picked it; the runbook's rule decides (a person may have changed an
        // earlier step since). A step that did not start goes back to pending.
        if !automatic_may_start(&steps, position) {
            let unstarted = step.started_at.is_none_or(|at| at >= claimed_at);
            self.store
                .release_step(id, position, claimant, unstarted)
                .await?;
            return Ok(());
        }
        let ran = match self
            .perform(&incident, &steps, step, commands, "warden", true)
            .await
        {
            Ok(ran) => ran,
            // What the action was refused (a bad version in the agent's spans, an agent
            // gone) is the step's result; storage trouble is tried again.
            Err(ServiceError::Internal(err)) => return Err(ServiceError::Internal(err)),
            Err(err) => over(StepStatus::Failed, format!("could not run: {err}")),
        };
        match ran {
            Ran::Waiting => {
                self.store
                    .release_step(id, position, claimant, false)
                    .await?;
                pass.waiting += 1;
            }
            Ran::Over {
                status,
                result,
                recovered,
            } => {
                let finished = self
                    .finish(id, step, claimant, status, "warden", result, recovered)
                    .await?;
                // Spans again mean recovery only for an agent that had stopped sending.
                if finished && recovered && incident.incident.kind == Kind::AgentUnreachable {
                    let detail = format!(
                        "resolved by warden: {} recovered ({} passed)",
                        incident.incident.agent.as_deref().unwrap_or("the agent"),
                        step.step.name
                    );
                    self.store
                        .resolve_incident(
                            id,
                            "warden",
                            self.now(),
                            &detail,
                            self.settings.incidents.postmortem_from,
                        )
                        .await?;
                }
                pass.finished += usize::from(finished);
            }
        }
        Ok(())
    }

    /// A person runs, ticks off or skips a step of an incident's runbook. Actions on an
    /// agent take the right to switch it (admins, engineering leads, its owner) or the
    /// on-call and incident-commander roles, whom the runbook, which admins configure,
    /// lets act on any agent.
    pub async fn hand_step(
        &self,
        actor: &Actor,
        commands: &dyn AgentCommands,
        id: i64,
        position: u32,
        input: StepInput,
    ) -> Result<IncidentStep, ServiceError> {
        actor.require(Permission::RespondIncidents)?;
        let note = input.note.as_deref().map(str::trim).unwrap_or("");
        if note.chars().count() > MAX_STEP_NOTE {
            return Err(ServiceError::invalid(format!(
                "a step's note is at most {MAX_STEP_NOTE} characters"
            )));
        }
        let incident = self
            .store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        let steps = self.store.incident_steps(id).await?;
        let current = steps
            .iter()
            .find(|s| s.position == position)
            .ok_or(ServiceError::NotFound("runbook step"))?;
        if current.status.is_over() {
            return Err(ServiceError::Conflict(format!(
                "step {} is over ({})",
                current.number,
                current.status.as_str()
            )));
        }
        if input.act == HandStep::Run {
            self.may_run_action(
                actor,
                current.step.action,
                incident.incident.agent.as_deref(),
            )
            .await?;
        }
        let by = actor.audit_name();
        let claimant = format!("{by}:{}", hex::encode(crate::random_bytes::<6>()?));
        let now = self.now();
        let step = self
            .store
            .claim_step(id, position, &claimant, now, now + LEASE_MS)
            .await?
            .ok_or_else(busy)?;
        let with_note = |text: String| {
            if note.is_empty() {
                text
            } else {
                format!("{text} ({note})")
            }
        };
        let (status, result) = match input.act {
            HandStep::Done => (StepStatus::Done, with_note("done by hand".into())),
            HandStep::Skip => (StepStatus::Skipped, with_note("skipped".into())),
            HandStep::Run => {
                let ran = self
                    .perform(&incident, &steps, &step, commands, &by, false)
                    .await;
                match ran {
                    Ok(Ran::Over { status, result, .. }) => (status, with_note(result)),
                    // Nothing done: the step goes back as it was. Not healthy yet, the check
                    // goes on (Warden's, or the next press).
                    not_done => {
                        let unstarted = current.status == StepStatus::Pending;
                        self.store
                            .release_step(id, position, &claimant, unstarted)
                            .await?;
                        return Err(not_done.err().unwrap_or_else(|| {
                            ServiceError::Conflict(format!(
                                "{} has sent nothing since the step before; the check goes on",
                                incident.incident.agent.as_deref().unwrap_or("the agent")
                            ))
                        }));
                    }
                }
            }
        };
        if !self
            .finish(id, &step, &claimant, status, &by, result, false)
            .await?
        {
            return Err(busy());
        }
        self.store
            .incident_steps(id)
            .await?
            .into_iter()
            .find(|s| s.position == position)
            .ok_or(ServiceError::NotFound("runbook step"))
    }

    /// Whether `actor` may run `action` by hand on `agent`.
    async fn may_run_action(
        &self,
        actor: &Actor,
        action: Action,
        agent: Option<&str>,
    ) -> Result<(), ServiceError> {
        match action {
            Action::Guided => Err(ServiceError::invalid(
                "a guided step has nothing to run: tick it done when it is",
            )),
            // Looking is not acting.
            Action::HealthCheck => Ok(()),
            _ if actor.require(Permission::RunRunbooks).is_ok() => Ok(()),
            Action::PauseFleet => Err(ServiceError::Forbidden(
                "pausing the fleet takes admins, engineering leads, on-call or incident commanders"
                    .into(),
            )),
            _ => match agent {
                Some(agent) => self.switchable_agent(actor, agent).await.map(|_| ()),
                None => Err(ServiceError::invalid("this incident names no agent")),
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        id: i64,
        step: &IncidentStep,
        claimant: &str,
        status: StepStatus,
        by: &str,
        result: String,
        recovered: bool,
    ) -> Result<bool, ServiceError> {
        Ok(self
            .store
            .finish_step(&StepOutcome {
                incident_id: id,
                position: step.position,
                claimant: claimant.to_string(),
                status,
                by: by.to_string(),
                result,
                at: self.now(),
                skip_rest: recovered.then(|| "not needed: the agent is healthy again".into()),
            })
            .await?)
    }

    /// Runs a step's action as `by`. `waits`: a health check run by Warden waits for the
    /// agent up to its patience and then calls it unhealthy; one run by a person looks
    /// once and only ever finds it healthy.
    async fn perform(
        &self,
        incident: &StoredIncident,
        steps: &[IncidentStep],
        step: &IncidentStep,
        commands: &dyn AgentCommands,
        by: &str,
        waits: bool,
    ) -> Result<Ran, ServiceError> {
        let id = incident.incident.id;
        let agent = incident.incident.agent.as_deref();
        let agent = match (step.step.action.needs_agent(), agent) {
            (true, None) => return Ok(over(StepStatus::Failed, "this incident names no agent")),
            (_, agent) => agent.unwrap_or(""),
        };
        let reason = format!("incident #{id}: runbook step {}", step.step.name);
        Ok(match step.step.action {
            Action::Guided => over(StepStatus::Done, "done"),
            Action::Restart => match commands.restart(agent, id).await {
                Ok(done) => over(StepStatus::Done, done),
                Err(why) => over(StepStatus::Failed, why),
            },
            Action::HealthCheck => self.health_check(steps, step, agent, waits).await?,
            Action::Rollback => self.roll_back(agent, by, &reason).await?,
            Action::Shutdown | Action::Pause | Action::RateLimit => {
                let before = self.store.agent_control(agent).await?;
                let change = match step.step.action {
                    Action::Shutdown => switched(&before, ControlState::Killed, &reason),
                    Action::Pause => switched(&before, ControlState::Paused, &reason),
                    _ => ControlChange {
                        rate_limit_per_min: Some(step.step.per_min.unwrap_or(DEFAULT_RATE_LIMIT)),
                        ..switched(&before, before.state, &reason)
                    },
                };
                let after = self.store_control(agent, change, by).await?;
                over(StepStatus::Done, describe_control(&after))
            }
            Action::PauseFleet => {
                let mut paused = Vec::new();
                for info in self.store.list_agents().await? {
                    let before = self.store.agent_control(&info.name).await?;
                    if before.state == ControlState::Running {
                        let change = switched(&before, ControlState::Paused, &reason);
                        self.store_control(&info.name, change, by).await?;
                        paused.push(info.name);
                    }
                }
                let result = if paused.is_empty() {
                    "no agent was running".to_string()
                } else {
                    format!("paused {} agents: {}", paused.len(), paused.join(", "))
                };
                over(StepStatus::Done, result)
            }
        })
    }

    /// Healthy when the agent sent spans after the step before this one finished (the
    /// restart) or, for a first step, after this one started.
    async fn health_check(
        &self,
        steps: &[IncidentStep],
        step: &IncidentStep,
        agent: &str,
        waits: bool,
    ) -> Result<Ran, ServiceError> {
        let now = self.now();
        let started = step.started_at.unwrap_or(now);
        let since = steps
            .iter()
            .filter(|s| s.position < step.position)
            .filter_map(|s| s.finished_at)
            .max()
            .unwrap_or(started);
        let seen = self
            .store
            .find_agent(agent)
            .await?
            .and_then(|a| a.last_seen_at);
        if let Some(seen) = seen.filter(|&seen| seen > since) {
            return Ok(Ran::Over {
                status: StepStatus::Done,
                result: format!(
                    "healthy: spans at {} since {}",
                    iso_utc(seen),
                    iso_utc(since)
                ),
                recovered: true,
            });
        }
        let wait = step.step.wait_ms.unwrap_or(DEFAULT_HEALTH_WAIT_MS);
        // A person's look that finds nothing leaves the check going; Warden's gives up once
        // the wait is over, and the steps after it (the rollback) take over.
        if !waits || now < started + wait {
            return Ok(Ran::Waiting);
        }
        let last = seen.map_or("never".to_string(), iso_utc);
        Ok(over(
            StepStatus::Done,
            format!(
                "unhealthy: no spans since {} (last at {last})",
                iso_utc(since)
            ),
        ))
    }

    /// Pins the version the agent ran before its latest one.
    async fn roll_back(&self, agent: &str, by: &str, reason: &str) -> Result<Ran, ServiceError> {
        let versions = self
            .store
            .agent_versions(agent, self.now() - VERSIONS_SINCE_MS, 2)
            .await?;
        let [current, previous] = versions.as_slice() else {
            return Ok(over(
                StepStatus::Failed,
                "no earlier version in the agent's spans of the last 30 days: roll back by hand",
            ));
        };
        let before = self.store.agent_control(agent).await?;
        // Once pinned, the pinned version is the newest the spans show: rolling back
        // again would pin the version that failed.
        if let Some(pinned) = &before.pinned_version {
            return Ok(over(
                StepStatus::Done,
                format!("already pinned to version {pinned}"),
            ));
        }
        let change = ControlChange {
            pinned_version: Some(previous.clone()),
            ..switched(&before, before.state, reason)
        };
        self.store_control(agent, change, by).await?;
        Ok(over(
            StepStatus::Done,
            format!("pinned version {previous} (it ran {current})"),
        ))
    }
}

/// The agent's control as it is, moved to `state` for `reason`.
fn switched(before: &AgentControl, state: ControlState, reason: &str) -> ControlChange {
    ControlChange {
        state,
        reason: reason.to_string(),
        rate_limit_per_min: before.rate_limit_per_min,
        pinned_version: before.pinned_version.clone(),
    }
}

fn describe_control(c: &AgentControl) -> String {
    let mut text = format!("{} is {}", c.agent, c.state.as_str());
    if let Some(n) = c.rate_limit_per_min {
        text.push_str(&format!(", limited to {n}/min"));
    }
    if let Some(v) = &c.pinned_version {
        text.push_str(&format!(", pinned to {v}"));
    }
    text
}
