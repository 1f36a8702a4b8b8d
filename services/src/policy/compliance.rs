//! Compliance scores over a window (24 h, 7 d, 30 d): per agent, the share of its compliant
//! interactions weighted by the severity of what the others broke, and the fleet's.

use crate::charts::{Series, Unit, line_chart};
use crate::{Actor, ServiceError, Services};
use std::collections::{BTreeMap, HashMap};
use warden_domain::metrics::dashboard::{Chart, ComplianceDashboard};
use warden_domain::metrics::range::{DAY_MS, HOUR_MS, floor};
use warden_domain::policy::compliance::{
    ComplianceInputs, ComplianceReport, ComplianceScore, Tally,
};
use warden_domain::role::Permission;

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
        let from = now - window_hours * 3_600_000;
        let (interactions, violations) = self.store.compliance_inputs(from, now).await?;
        let mut per_agent: HashMap<String, ComplianceInputs> = HashMap::new();
        for (agent, n) in interactions {
            per_agent.entry(agent).or_default().interactions += n;
        }
        for (agent, severity, traced, n) in violations {
            let inputs = per_agent.entry(agent).or_default();
            inputs.violations.push((severity, n));
            if !traced {
                inputs.watched.extend(std::iter::repeat_n(
                    severity,
                    usize::try_from(n).unwrap_or(0),
                ));
            }
        }
        for (agent, worst) in self.store.violating_interactions(from, now + 1).await? {
            per_agent.entry(agent).or_default().noncompliant.push(worst);
        }
        let thresholds = self.settings.compliance;
        let mut agents: Vec<ComplianceScore> = per_agent
            .into_iter()
            .map(|(name, inputs)| ComplianceScore::of(Some(name), &inputs, &thresholds))
            .collect();
        agents.sort_by(|a, b| {
            a.score
                .unwrap_or(2.0)
                .total_cmp(&b.score.unwrap_or(2.0))
                .then_with(|| a.agent.cmp(&b.agent))
        });
        let fleet = ComplianceScore::total(&agents, &thresholds);
        let mut pii: HashMap<String, i64> = HashMap::new();
        for (_, kind, n) in self.store.pii_event_counts(from, now + 1, DAY_MS).await? {
            *pii.entry(kind).or_default() += n;
        }
        let violations_by_rule = self
            .store
            .count_violations_by_rule(from)
            .await?
            .into_iter()
            .map(|(name, count)| Tally { name, count })
            .collect();
        Ok(ComplianceReport {
            window_hours,
            thresholds,
            fleet,
            agents,
            pii_by_type: most_first(pii),
            violations_by_rule,
        })
    }

    /// The Compliance page: the report and PII events over the window, per type (the five
    /// most found, the rest as `other`), by the hour up to two days and by the day beyond.
    pub async fn compliance_dashboard(
        &self,
        actor: &Actor,
        window_hours: i64,
    ) -> Result<ComplianceDashboard, ServiceError> {
        let report = self.compliance(actor, window_hours).await?;
        let now = self.now();
        let from = now - window_hours * HOUR_MS;
        let step = if window_hours <= 48 { HOUR_MS } else { DAY_MS };
        let top: Vec<&str> = report
            .pii_by_type
            .iter()
            .take(5)
            .map(|t| t.name.as_str())
            .collect();
        let mut per_kind: BTreeMap<String, BTreeMap<i64, f64>> = BTreeMap::new();
        for (t, kind, n) in self.store.pii_event_counts(from, now + 1, step).await? {
            let name = if top.contains(&kind.as_str()) {
                kind
            } else {
                "other".to_string()
            };
            *per_kind.entry(name).or_default().entry(t).or_default() += n as f64;
        }
        let steps: Vec<i64> = (0..)
            .map(|i| floor(from, step) + i * step)
            .take_while(|t| *t < now)
            .collect();
        let series: Vec<Series> = top
            .iter()
            .map(|k| k.to_string())
            .chain(per_kind.contains_key("other").then(|| "other".to_string()))
            .map(|name| {
                let counts = per_kind.get(&name);
                Series {
                    points: steps
                        .iter()
                        .map(|t| {
                            (
                                *t,
                                Some(counts.and_then(|c| c.get(t)).copied().unwrap_or(0.0)),
                            )
                        })
                        .collect(),
                    name,
                }
            })
            .collect();
        let unit = if step == HOUR_MS { "hour" } else { "UTC day" };
        let charts = vec![Chart {
            title: "PII found".into(),
            definition: "PII the scanner found in the agents' traffic (and redacted before \
                         storing), per type."
                .into(),
            svg: line_chart(
                from,
                now,
                &format!("PII events per {unit}"),
                Unit::Count,
                &series,
            ),
        }];
        Ok(ComplianceDashboard { report, charts })
    }
}

/// Tallies, the largest first, then by name.
fn most_first(counts: HashMap<String, i64>) -> Vec<Tally> {
    let mut tallies: Vec<Tally> = counts
        .into_iter()
        .map(|(name, count)| Tally { name, count })
        .collect();
    tallies.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    tallies
}
