//! The rules that watch an agent over time rather than one trace: `mandatory_logging` (a
//! running agent that has gone quiet) and `kill_switch_required` (an active agent that does
//! not read its control state). Every replica runs the watch; each violation carries a key
//! naming its episode, so the database keeps the first and the rest change nothing.

use crate::{ServiceError, Services};
use std::collections::HashMap;
use std::time::Duration;
use warden_db::ViolationRecord;
use warden_domain::control::ControlState;
use warden_domain::policy::{Alignment, RuleName, RuleValue};
use warden_domain::timefmt::format_utc_minutes;

/// How long the watched rules wait (`governance` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchSettings {
    /// A running agent that sent nothing for this long breaks `mandatory_logging`.
    pub logging_gap: Duration,
    /// An agent that sent spans within this window must also have read its control state
    /// within it (`kill_switch_required`).
    pub control_read_window: Duration,
    /// The rolling window of the alignment score (`alignment_score_minimum`).
    pub alignment_window: Duration,
    /// Fewer interactions than this in the window say too little to judge the score.
    pub alignment_min_interactions: i64,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            logging_gap: Duration::from_secs(15 * 60),
            control_read_window: Duration::from_secs(5 * 60),
            alignment_window: Duration::from_secs(24 * 3600),
            alignment_min_interactions: 20,
        }
    }
}

/// A paused or killed agent may finish what it was doing: spans this long after the
/// switch are not yet a switch that did not take.
const SWITCH_GRACE_MS: i64 = 60_000;

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Services {
    /// One pass of the watch; returns how many violations it stored.
    pub async fn watch_agents(&self, settings: WatchSettings) -> Result<usize, ServiceError> {
        let now = self.now();
        let set = self.policies();
        if set.is_empty() {
            return Ok(0);
        }
        let controls: HashMap<String, _> = self
            .store
            .agent_controls()
            .await?
            .into_iter()
            .map(|c| (c.agent.clone(), c))
            .collect();
        let gap = ms(settings.logging_gap);
        let window = ms(settings.control_read_window).max(1);
        let mut stored = 0;
        let agents = self.store.list_agents().await?;
        for agent in &agents {
            let Some(last_seen) = agent.last_seen_at else {
                continue;
            };
            let control = controls.get(&agent.name);
            let (level, _) = super::binding_of(&set, agent);
            let Some(policy) = set.effective(&level) else {
                continue;
            };
            let mut found = Vec::new();
            if let Some(c) = control.filter(|c| c.state != ControlState::Running) {
                // Paused or killed, and still sending spans well after the switch: it did
                // not take. One violation per switch.
                if policy.is_on(RuleName::KillSwitchRequired)
                    && last_seen > c.updated_at + SWITCH_GRACE_MS
                {
                    found.push((
                        RuleName::KillSwitchRequired,
                        format!(
                            "{} at {} by {}, yet still sending spans (the last at {}): the \
                             switch did not take",
                            c.state.as_str(),
                            format_utc_minutes(c.updated_at),
                            c.updated_by,
                            format_utc_minutes(last_seen)
                        ),
                        format!("switch_ignored:{}:{}", agent.name, c.version),
                    ));
                }
                self.store_found(&agent.name, &policy, found, now, &mut stored)
                    .await?;
                continue;
            }
            if policy.is_on(RuleName::MandatoryLogging) && now - last_seen > gap {
                found.push((
                    RuleName::MandatoryLogging,
                    format!(
                        "no spans for {} min (the last at {}); the gap allowed is {} min",
                        (now - last_seen) / 60_000,
                        format_utc_minutes(last_seen),
                        gap / 60_000
                    ),
                    // One violation per silence: it ends when the agent sends again.
                    format!("mandatory_logging:{}:{last_seen}", agent.name),
                ));
            }
            let last_read = control.and_then(|c| c.last_read_at);
            if policy.is_on(RuleName::KillSwitchRequired)
                && now - last_seen <= window
                && last_read.is_none_or(|read| now - read > window)
            {
                let since = last_read.map_or_else(
                    || "has never read it".to_string(),
                    |read| format!("last read it at {}", format_utc_minutes(read)),
                );
                found.push((
                    RuleName::KillSwitchRequired,
                    format!(
                        "sent spans in the last {} min but {since}; it must read its control \
                         state (GET /api/v1/agents/{}/control) at least that often",
                        window / 60_000,
                        agent.name
                    ),
                    // One violation per window the agent runs unread.
                    format!("kill_switch_required:{}:{}", agent.name, now / window),
                ));
            }
            if let Some(RuleValue::Ratio(minimum)) = policy
                .get(RuleName::AlignmentScoreMinimum)
                .map(|r| &r.value)
            {
                let window_ms = ms(settings.alignment_window).max(60_000);
                let (interactions, worst) = self
                    .store
                    .alignment_inputs(&agent.name, now - window_ms, now)
                    .await?;
                let alignment = Alignment::of(interactions, &worst);
                if let Some(score) = alignment.score
                    && alignment.interactions >= settings.alignment_min_interactions
                    && score < *minimum
                {
                    found.push((
                        RuleName::AlignmentScoreMinimum,
                        format!(
                            "alignment {score:.3} over the last {} h ({} interactions, {} with \
                             violations), under the minimum {minimum}",
                            window_ms / 3_600_000,
                            alignment.interactions,
                            alignment.violating
                        ),
                        // One violation per window the score stays low.
                        format!("alignment_score_minimum:{}:{}", agent.name, now / window_ms),
                    ));
                }
            }
            self.store_found(&agent.name, &policy, found, now, &mut stored)
                .await?;
        }
        stored += self.watch_overdue_reviews(&set, &agents, now).await?;
        Ok(stored)
    }

    /// Stores each violation found once per episode (its key).
    async fn store_found(
        &self,
        agent: &str,
        policy: &warden_domain::policy::EffectivePolicy,
        found: Vec<(RuleName, String, String)>,
        now: i64,
        stored: &mut usize,
    ) -> Result<(), ServiceError> {
        for (rule, evidence, key) in found {
            let Some(effective) = policy.get(rule) else {
                continue;
            };
            let record = ViolationRecord {
                rule,
                severity: effective.severity,
                agent: agent.to_string(),
                level: effective.from.clone(),
                trace_id: None,
                span_id: None,
                evidence,
                detected_at: now,
            };
            if self.store.claim_violation(&record, &key).await? {
                *stored += 1;
            }
        }
        Ok(())
    }

    /// `mandatory_human_review`: a queued interaction still undecided past its due time is
    /// a violation, once per item.
    async fn watch_overdue_reviews(
        &self,
        set: &warden_domain::policy::PolicySet,
        agents: &[warden_domain::telemetry::AgentInfo],
        now: i64,
    ) -> Result<usize, ServiceError> {
        let mut stored = 0;
        for item in self.store.overdue_reviews(now, 500).await? {
            let rule = RuleName::MandatoryHumanReview;
            let (severity, level) = agents
                .iter()
                .find(|a| a.name == item.agent)
                .and_then(|agent| set.effective(&super::binding_of(set, agent).0))
                .and_then(|policy| policy.get(rule).map(|r| (r.severity, r.from.clone())))
                .unwrap_or((rule.default_severity(), String::new()));
            let record = ViolationRecord {
                rule,
                severity,
                agent: item.agent.clone(),
                level,
                trace_id: item.trace_id.clone(),
                span_id: None,
                evidence: format!(
                    "review {} is still pending {} min after it was due ({})",
                    item.id,
                    (now - item.due_at) / 60_000,
                    format_utc_minutes(item.due_at)
                ),
                detected_at: now,
            };
            if self
                .store
                .claim_violation(&record, &format!("review_overdue:{}", item.id))
                .await?
            {
                stored += 1;
            }
        }
        Ok(stored)
    }
}
