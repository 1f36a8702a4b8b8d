//! Findings become incidents: the violations of the rules that page and every anomaly,
//! read from their tables (their outbox) and each opened as an incident, or joined to the
//! open one of the same kind, agent and rule, in the transaction that marks it checked.

use super::Finding;
use crate::{ServiceError, Services};
use warden_db::FindingSource;
use warden_domain::duration::format_duration;
use warden_domain::incident::cascade;
use warden_domain::incident::{Incident, Kind};
use warden_domain::metrics::anomaly::{Anomaly, Metric};
use warden_domain::policy::{RuleName, Severity, Violation};
use warden_domain::telemetry::pricing::format_money;
use warden_domain::timefmt::iso_utc;

/// `max_cost_per_interaction` pages when an agent breaks it this often...
pub const COST_BREACHES: i64 = 3;
/// ...within this long.
pub const COST_BREACH_WINDOW_MS: i64 = 10 * 60_000;
/// Findings read per pass; the rest wait for the next one.
const BATCH: i64 = 500;

/// The rules whose violations page by default: PII in outputs, an agent that does not
/// read (or obey) its kill switch, the inference bans, and repeated cost breaches; and
/// the two that watch an agent's health over time (gone quiet, alignment under minimum).
pub const DEFAULT_PAGING_RULES: [RuleName; 8] = [
    RuleName::NoPiiInOutputs,
    RuleName::KillSwitchRequired,
    RuleName::NoGenderInference,
    RuleName::NoAgeInference,
    RuleName::NoEthnicityInference,
    RuleName::MaxCostPerInteraction,
    RuleName::MandatoryLogging,
    RuleName::AlignmentScoreMinimum,
];

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SourcesPass {
    pub opened: usize,
    pub joined: usize,
    /// Findings that page nobody (rules that do not page, a first cost breach).
    pub quiet: usize,
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

impl Services {
    /// Turns every unchecked violation and anomaly into an incident or marks it quiet.
    pub async fn raise_from_findings(&self) -> Result<SourcesPass, ServiceError> {
        let mut pass = SourcesPass::default();
        let (violations, mut quiet) = self.store.unchecked_violations(BATCH).await?;
        for v in violations {
            match self.finding_of_violation(&v).await? {
                Some(finding) => {
                    self.open_for(FindingSource::Violation, v.id, finding, &mut pass)
                        .await?
                }
                None => quiet.push(v.id),
            }
        }
        pass.quiet += quiet.len();
        self.store
            .mark_findings_checked(FindingSource::Violation, &quiet, self.now())
            .await?;
        let mut quiet = Vec::new();
        for a in self.store.unchecked_anomalies(BATCH).await? {
            match self.finding_of_anomaly(&a) {
                Some(finding) => {
                    self.open_for(FindingSource::Anomaly, a.id, finding, &mut pass)
                        .await?
                }
                None => quiet.push(a.id),
            }
        }
        pass.quiet += quiet.len();
        self.store
            .mark_findings_checked(FindingSource::Anomaly, &quiet, self.now())
            .await?;
        Ok(pass)
    }

    async fn open_for(
        &self,
        source: FindingSource,
        id: i64,
        finding: Finding,
        pass: &mut SourcesPass,
    ) -> Result<(), ServiceError> {
        let new = self.new_incident(finding, "warden", None)?;
        match self.store.open_incident_for(source, id, &new).await? {
            Some(warden_db::Opened::New(stored)) => {
                pass.opened += 1;
                Box::pin(self.announce_opened(&stored.incident)).await;
            }
            Some(warden_db::Opened::Joined(_)) => pass.joined += 1,
            None => {}
        }
        Ok(())
    }

    async fn finding_of_violation(&self, v: &Violation) -> Result<Option<Finding>, ServiceError> {
        if !self.settings.incidents.paging_rules.contains(&v.rule) {
            return Ok(None);
        }
        if v.rule == RuleName::MaxCostPerInteraction {
            let breaches = self
                .store
                .count_violations(
                    &v.agent,
                    v.rule,
                    v.detected_at - COST_BREACH_WINDOW_MS,
                    v.detected_at,
                )
                .await?;
            if breaches < COST_BREACHES {
                return Ok(None);
            }
        }
        let agent = &v.agent;
        let (kind, title) = match v.rule {
            RuleName::NoPiiInOutputs => (
                Kind::PiiLeak,
                format!("{agent} put personal data in an answer"),
            ),
            RuleName::MandatoryLogging => {
                (Kind::AgentUnreachable, format!("{agent} is not reporting"))
            }
            RuleName::AlignmentScoreMinimum => (
                Kind::AlignmentDrop,
                format!("{agent}'s alignment is under its minimum"),
            ),
            RuleName::KillSwitchRequired => (
                Kind::Violation,
                format!("{agent} does not follow its kill switch"),
            ),
            RuleName::MaxCostPerInteraction => (
                Kind::Violation,
                format!("{agent} keeps breaking max_cost_per_interaction"),
            ),
            rule => (Kind::Violation, format!("{agent} broke {}", rule.as_str())),
        };
        let trace = v
            .trace_id
            .as_deref()
            .map(|t| format!(" (trace {t})"))
            .unwrap_or_default();
        Ok(Some(Finding {
            kind,
            severity: v.severity,
            agent: Some(agent.clone()),
            rule: Some(v.rule.as_str().to_string()),
            title,
            detail: format!(
                "violation #{} of {} ({}) at {}{trace}: {}",
                v.id,
                v.rule.as_str(),
                v.severity.as_str(),
                iso_utc(v.detected_at),
                clip(&v.evidence, 400)
            ),
        }))
    }

    fn finding_of_anomaly(&self, a: &Anomaly) -> Option<Finding> {
        let metric = Metric::parse(&a.metric)?;
        let agent = &a.agent;
        let shown = |x: f64| match metric {
            Metric::Cost => format_money(x, self.currency()),
            Metric::ErrorRate => format!("{:.1}%", x * 100.0),
            Metric::P95Latency => format!("{x:.0} ms"),
            Metric::Alignment => format!("{x:.3}"),
        };
        let (kind, severity, title) = match metric {
            Metric::Cost => (
                Kind::CostAnomaly,
                Severity::High,
                format!("{agent}'s hourly cost is far above its baseline"),
            ),
            Metric::Alignment => (
                Kind::AlignmentDrop,
                Severity::High,
                format!("{agent}'s alignment dropped"),
            ),
            Metric::ErrorRate => (
                Kind::Anomaly,
                Severity::High,
                format!("{agent}'s error rate is far above its baseline"),
            ),
            Metric::P95Latency => (
                Kind::Anomaly,
                Severity::Medium,
                format!("{agent}'s p95 latency is far above its baseline"),
            ),
        };
        Some(Finding {
            kind,
            severity,
            agent: Some(agent.clone()),
            rule: Some(metric.as_str().to_string()),
            title,
            detail: format!(
                "anomaly #{}: {} {} in the hour from {} against a baseline of {} (robust z {:.1})",
                a.id,
                metric.as_str(),
                shown(a.observed),
                iso_utc(a.window_start),
                shown(a.baseline),
                a.z
            ),
        })
    }

    /// After `opened`, an agent's new incident: when enough agents have failed within the
    /// window, opens the cascade that links them (or joins the open one, which notes the
    /// agents failing now). Only new incidents ask, so a cascade is not re-counted every
    /// tick while it stands.
    pub(crate) async fn check_cascade(&self, opened: &Incident) -> Result<(), ServiceError> {
        let Some(rule) = self.settings.incidents.cascade else {
            return Ok(());
        };
        if opened.agent.is_none() || !cascade::counts(opened.kind) {
            return Ok(());
        }
        let recent = self
            .store
            .recent_agent_incidents(self.now() - rule.within_ms)
            .await?;
        let Some(linked) = rule.of(&recent) else {
            return Ok(());
        };
        let within = format_duration(std::time::Duration::from_millis(
            u64::try_from(rule.within_ms).unwrap_or(0),
        ));
        let agents: Vec<&str> = linked.iter().map(|f| f.agent.as_str()).collect();
        let links: Vec<String> = linked
            .iter()
            .map(|f| format!("#{} {} ({})", f.id, f.agent, f.kind.as_str()))
            .collect();
        self.raise_incident(Finding {
            kind: Kind::CascadingFailure,
            severity: Severity::Critical,
            agent: None,
            rule: None,
            title: format!(
                "{} agents failing within {within}: {}",
                agents.len(),
                agents.join(", ")
            ),
            detail: format!("linked incidents: {}", links.join(", ")),
        })
        .await?;
        Ok(())
    }
}
