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
    /// The control state limits the agent's answers per minute, and it has used them.
    #[error("agent {agent} is limited to {limit} answers a minute; try again in {retry_after_s} s")]
    RateLimited {
        agent: String,
        limit: u32,
        retry_after_s: u64,
    },
    /// The control state pins a version and the agent says it runs another.
    #[error("agent {agent} is pinned to version {pinned}; this is version {running}")]
    WrongVersion {
        agent: String,
        pinned: String,
        running: String,
    },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Guard calls per agent in the current minute (a fixed window). Each replica counts its
/// own calls: behind a load balancer the limit holds per replica.
#[derive(Default)]
pub(crate) struct CallCounter {
    minute: i64,
    calls: std::collections::HashMap<String, u32>,
}

impl CallCounter {
    /// Counts a call at `now_ms`; the seconds to wait when it is over `limit`.
    fn admit(&mut self, agent: &str, limit: u32, now_ms: i64) -> Result<(), u64> {
        let minute = now_ms.div_euclid(60_000);
        if minute != self.minute {
            self.minute = minute;
            self.calls.clear();
        }
        let calls = self.calls.entry(agent.to_string()).or_insert(0);
        if *calls >= limit {
            let left_ms = 60_000 - now_ms.rem_euclid(60_000);
            return Err(u64::try_from(left_ms)
                .unwrap_or(60_000)
                .div_ceil(1000)
                .max(1));
        }
        *calls += 1;
        Ok(())
    }
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
        if let (Some(pinned), Some(running)) = (&control.pinned_version, &request.version)
            && pinned != running
        {
            return Err(GuardRefusal::WrongVersion {
                agent,
                pinned: pinned.clone(),
                running: running.clone(),
            });
        }
        if let Some(limit) = control.rate_limit_per_min {
            let admitted = self
                .inner
                .guard_calls
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .admit(&agent, limit, services.now());
            if let Err(retry_after_s) = admitted {
                return Err(GuardRefusal::RateLimited {
                    agent,
                    limit,
                    retry_after_s,
                });
            }
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
                    // Stored redacted even where no_pii_in_outputs is off.
                    output: crate::ingest::redact_text(&settings.scanner, &answer.output, true)
                        .map_or_else(|| answer.output.clone(), |(redacted, _)| redacted),
                    created_at: now,
                    due_at: now.saturating_add(services.review_sla_ms()),
                    // The same interaction, when its trace comes in, is this item.
                    dedupe_key: request.trace_id.as_ref().map(|t| format!("trace:{t}")),
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

#[cfg(test)]
mod tests {
    use super::CallCounter;

    #[test]
    fn calls_over_the_limit_wait_for_the_next_minute() {
        let mut counter = CallCounter::default();
        let t = 1_800_000_000_000; // on a minute boundary
        assert_eq!(counter.admit("a", 2, t + 1_000), Ok(()));
        assert_eq!(counter.admit("a", 2, t + 2_000), Ok(()));
        assert_eq!(counter.admit("a", 2, t + 30_000), Err(30));
        assert_eq!(counter.admit("b", 2, t + 30_000), Ok(()));
        assert_eq!(counter.admit("a", 2, t + 60_000), Ok(()));
    }
}
