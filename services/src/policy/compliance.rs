//! Compliance scores over a window (24 h, 7 d, 30 d): per agent, the severity-weighted share
//! of its rule checks that passed, and the fleet's.

use crate::{Actor, ServiceError, Services};
use std::collections::HashMap;
use warden_domain::policy::compliance::{
    ComplianceReport, ComplianceScore, Failures, check_weight,
};
use warden_domain::policy::{RuleName, Severity};
use warden_domain::role::Permission;
use warden_domain::telemetry::AgentInfo;

/// The windows people choose from, in hours.
pub const WINDOWS: [i64; 3] = [24, 7 * 24, 30 * 24];

impl Services {
    pub async fn compliance(
        &self,
        actor: &Actor,
        window_hours: i64,
    ) -> Result<ComplianceReport, ServiceError> {
        actor.require(Permission::ViewCompliance)?;
        if !WINDOWS.contains(&window_hours) {
            return Err(ServiceError::invalid(
                "the window is 24 hours, 7 days (168) or 30 days (720)",
            ));
        }
        let now = self.now();
        let (interactions, failures) = self
            .store
            .compliance_inputs(now - window_hours * 3_600_000, now)
            .await?;
        let set = self.policies();
        let registered: HashMap<String, AgentInfo> = self
            .store
            .list_agents()
            .await?
            .into_iter()
            .map(|a| (a.name.clone(), a))
            .collect();
        let mut per_agent: HashMap<String, (i64, Vec<Failures>)> = HashMap::new();
        for (agent, n) in interactions {
            per_agent.entry(agent).or_default().0 += n;
        }
        for (agent, rule, severity, count) in failures {
            if let (Some(rule), Some(severity)) =
                (RuleName::parse(&rule), Severity::parse(&severity))
            {
                per_agent.entry(agent).or_default().1.push(Failures {
                    rule,
                    severity,
                    count,
                });
            }
        }
        let thresholds = self.settings.compliance;
        let mut agents: Vec<ComplianceScore> = per_agent
            .into_iter()
            .map(|(name, (count, failed))| {
                let info = registered
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| AgentInfo::unregistered(&name, None, now));
                let (level, _) = super::binding_of(&set, &info);
                let weight = set.effective(&level).map_or(0, |p| check_weight(&p));
                ComplianceScore::of(Some(name), count, weight, &failed, &thresholds)
            })
            .collect();
        agents.sort_by(|a, b| {
            a.score
                .unwrap_or(2.0)
                .total_cmp(&b.score.unwrap_or(2.0))
                .then_with(|| a.agent.cmp(&b.agent))
        });
        let fleet = ComplianceScore::total(&agents, &thresholds);
        Ok(ComplianceReport {
            window_hours,
            thresholds,
            fleet,
            agents,
        })
    }
}
