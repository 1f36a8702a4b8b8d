//! The inline guard behind `POST /api/v1/guard`: an agent asks before it answers. A paused
//! or killed agent is refused; otherwise its output is judged against its effective policy
//! and what was found is recorded as violations, off the answer's path.

use super::Pipeline;
use crate::ServiceError;
use crate::policy::{binding_of, guard::judge_output};
use warden_db::{ReviewRecord, ViolationRecord};
use warden_domain::control::ControlState;
use warden_domain::policy::{Decision, GuardAnswer, GuardRequest, RuleName};
use warden_domain::review::ReviewSource;
use warden_domain::telemetry::{AgentInfo, KeyScope};

/// Why the guard did not judge.
#[derive(Debug, thiserror::Error)]
pub enum GuardRefusal {
    /// The agent is paused or killed: it must not answer at all.
    #[error("agent {agent} is {}: {reason}", state.as_str())]
    Stopped {
        agent: String,
        state: ControlState,
        reason: String,
    },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Outputs are judged whole; a text longer than this is refused rather than scanned.
pub const MAX_GUARD_OUTPUT: usize = 256 * 1024;

impl Pipeline {
    pub async fn guard(
        &self,
        scope: &KeyScope,
        request: GuardRequest,
    ) -> Result<GuardAnswer, GuardRefusal> {
        let services = &self.inner.services;
        let agent = match (scope, request.agent.as_deref()) {
            (KeyScope::Agent(own), None) => own.clone(),
            (_, Some(named)) => named.to_string(),
            (KeyScope::Environment(_), None) => {
                return Err(ServiceError::invalid(
                    "an environment key must name the agent: add \"agent\" to the request",
                )
                .into());
            }
        };
        if request.output.len() > MAX_GUARD_OUTPUT {
            return Err(ServiceError::invalid(format!(
                "the output is longer than {MAX_GUARD_OUTPUT} bytes"
            ))
            .into());
        }
        services.require_key_for(scope, &agent).await?;
        let control = services
            .store()
            .agent_control(&agent)
            .await
            .map_err(ServiceError::from)?;
        if control.state != ControlState::Running {
            return Err(GuardRefusal::Stopped {
                agent,
                state: control.state,
                reason: control.reason,
            });
        }
        let info = self
            .inner
            .registry
            .snapshot()
            .get(&agent)
            .cloned()
            .unwrap_or_else(|| AgentInfo::unregistered(&agent, None, services.now()));
        let set = services.policies();
        let (level, _) = binding_of(&set, &info);
        let Some(policy) = set.effective(&level) else {
            return Ok(GuardAnswer {
                decision: Decision::Allow,
                output: request.output,
                violations: Vec::new(),
                review_id: None,
            });
        };
        let settings = &self.inner.settings;
        let mut answer = judge_output(
            &policy,
            &request.output,
            &settings.scanner,
            &settings.detector,
        );
        if answer.decision != Decision::Block && policy.is_on(RuleName::MandatoryHumanReview) {
            // The answer waits for a person: queued (redacted) before the agent hears back,
            // since it needs the id to read the decision.
            let now = services.now();
            let input = request.input.as_deref().map(|text| {
                crate::ingest::redact_text(&settings.scanner, text, true)
                    .map_or_else(|| text.to_string(), |(redacted, _)| redacted)
            });
            let id = services
                .store()
                .insert_review(&ReviewRecord {
                    agent: agent.clone(),
                    source: ReviewSource::Guard,
                    trace_id: request.trace_id.clone(),
                    input,
                    output: answer.output.clone(),
                    created_at: now,
                    due_at: now.saturating_add(services.review_sla_ms()),
                    dedupe_key: None,
                })
                .await
                .map_err(ServiceError::from)?;
            answer.decision = Decision::Hold;
            answer.review_id = Some(id);
        }
        if !answer.violations.is_empty() {
            let now = services.now();
            let records: Vec<ViolationRecord> = answer
                .violations
                .iter()
                .map(|v| ViolationRecord {
                    rule: v.rule,
                    severity: v.severity,
                    agent: agent.clone(),
                    level: policy
                        .get(v.rule)
                        .map_or_else(|| level.clone(), |r| r.from.clone()),
                    trace_id: request.trace_id.clone(),
                    span_id: None,
                    evidence: format!("guard ({}): {}", decision_word(answer.decision), v.evidence),
                    detected_at: now,
                })
                .collect();
            // Recorded after the answer: the agent waits for the decision, not the write.
            let store = services.store().clone();
            tokio::spawn(async move {
                if let Err(err) = store.insert_violations(&records).await {
                    tracing::error!(error = ?err, "recording the guard's violations");
                }
            });
        }
        Ok(answer)
    }
}

fn decision_word(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "allowed",
        Decision::Redact => "redacted",
        Decision::Hold => "held",
        Decision::Block => "blocked",
    }
}
