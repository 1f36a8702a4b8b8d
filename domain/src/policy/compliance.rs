//! Compliance scores: the share of rule checks passed over a window, weighted by severity,
//! per agent and for the whole fleet, with the green/amber/red status of the config's
//! thresholds.

use super::effective::EffectivePolicy;
use super::rule::{RuleName, Severity};
use serde::{Deserialize, Serialize};

/// The rules checked on every interaction; the others watch agents over time or act on
/// changes, and count only when they fail.
pub const PER_INTERACTION: [RuleName; 9] = [
    RuleName::NoPiiInOutputs,
    RuleName::MaxCostPerInteraction,
    RuleName::TransparencyNoticeRequired,
    RuleName::HumanEscalationEnabled,
    RuleName::MaxResponseTime,
    RuleName::FullExplainabilityLogging,
    RuleName::NoGenderInference,
    RuleName::NoAgeInference,
    RuleName::NoEthnicityInference,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceStatus {
    Green,
    Amber,
    Red,
    /// Nothing was checked in the window.
    NoData,
}

impl ComplianceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ComplianceStatus::Green => "green",
            ComplianceStatus::Amber => "amber",
            ComplianceStatus::Red => "red",
            ComplianceStatus::NoData => "no_data",
        }
    }
}

/// A score at or above `green` is green, at or above `amber` amber, else red.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub green: f64,
    pub amber: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            green: 0.95,
            amber: 0.85,
        }
    }
}

impl Thresholds {
    pub fn status(&self, score: Option<f64>) -> ComplianceStatus {
        match score {
            None => ComplianceStatus::NoData,
            Some(s) if s >= self.green => ComplianceStatus::Green,
            Some(s) if s >= self.amber => ComplianceStatus::Amber,
            Some(_) => ComplianceStatus::Red,
        }
    }
}

/// One agent's score, or the fleet's (`agent` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceScore {
    pub agent: Option<String>,
    pub interactions: i64,
    pub violations: i64,
    /// Severity weight of every check made (interactions x the per-interaction rules).
    pub checked_weight: f64,
    /// Severity weight of every check failed (each violation).
    pub failed_weight: f64,
    pub score: Option<f64>,
    pub status: ComplianceStatus,
}

/// Violations of one rule in a window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Failures {
    pub rule: RuleName,
    pub severity: Severity,
    pub count: i64,
}

impl ComplianceScore {
    /// `failures`: the violations in the window, of any rule. Those of per-interaction
    /// rules are among the checks each interaction got; the others (rules watched over
    /// time) are checks of their own, made and failed.
    pub fn of(
        agent: Option<String>,
        interactions: i64,
        check_weight_per_interaction: u32,
        failures: &[Failures],
        thresholds: &Thresholds,
    ) -> ComplianceScore {
        let weight = |f: &Failures| f64::from(f.severity.weight()) * f.count as f64;
        let violations: i64 = failures.iter().map(|f| f.count).sum();
        let failed_weight: f64 = failures.iter().map(weight).sum();
        let watched_weight: f64 = failures
            .iter()
            .filter(|f| !PER_INTERACTION.contains(&f.rule))
            .map(weight)
            .sum();
        let checked_weight =
            interactions as f64 * f64::from(check_weight_per_interaction) + watched_weight;
        Self::from_weights(
            agent,
            interactions,
            violations,
            checked_weight,
            failed_weight,
            thresholds,
        )
    }

    /// The fleet's score: every agent's checks and failures together.
    pub fn total(scores: &[ComplianceScore], thresholds: &Thresholds) -> ComplianceScore {
        Self::from_weights(
            None,
            scores.iter().map(|s| s.interactions).sum(),
            scores.iter().map(|s| s.violations).sum(),
            scores.iter().map(|s| s.checked_weight).sum(),
            scores.iter().map(|s| s.failed_weight).sum(),
            thresholds,
        )
    }

    fn from_weights(
        agent: Option<String>,
        interactions: i64,
        violations: i64,
        checked_weight: f64,
        failed_weight: f64,
        thresholds: &Thresholds,
    ) -> ComplianceScore {
        // Failures of per-interaction rules beyond the interactions counted (a trace
        // sampled out of the rollups' window edge) cannot push the score under zero.
        let denominator = checked_weight.max(failed_weight);
        let score = (denominator > 0.0).then(|| 1.0 - failed_weight / denominator);
        ComplianceScore {
            agent,
            interactions,
            violations,
            checked_weight,
            failed_weight,
            score,
            status: thresholds.status(score),
        }
    }
}

/// The severity weight of the checks one interaction of an agent under `policy` gets.
pub fn check_weight(policy: &EffectivePolicy) -> u32 {
    PER_INTERACTION
        .iter()
        .filter(|rule| policy.is_on(**rule))
        .filter_map(|rule| policy.get(*rule))
        .map(|r| r.severity.weight())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(rule: RuleName, severity: Severity, count: i64) -> Failures {
        Failures {
            rule,
            severity,
            count,
        }
    }

    #[test]
    fn the_score_is_the_weighted_share_of_checks_passed() {
        let t = Thresholds::default();
        let pii = |n| failed(RuleName::NoPiiInOutputs, Severity::Critical, n);
        // 100 interactions x (critical 8 + medium 2) = 1000 checked; one critical fails: 8.
        let s = ComplianceScore::of(Some("a".into()), 100, 10, &[pii(1)], &t);
        assert!((s.score.unwrap() - 0.992).abs() < 1e-9);
        assert_eq!(s.status, ComplianceStatus::Green);
        let s = ComplianceScore::of(None, 10, 10, &[pii(1)], &t);
        assert!((s.score.unwrap() - 0.92).abs() < 1e-9);
        assert_eq!(s.status, ComplianceStatus::Amber);
        let s = ComplianceScore::of(None, 10, 10, &[pii(3)], &t);
        assert_eq!(s.status, ComplianceStatus::Red);
        assert_eq!(
            ComplianceScore::of(None, 0, 10, &[], &t).status,
            ComplianceStatus::NoData
        );
    }

    #[test]
    fn a_watched_rule_failing_is_a_check_made_and_failed() {
        let t = Thresholds::default();
        // 100 x 10 checked, plus the kill-switch check that failed (8): 1 - 8/1008.
        let s = ComplianceScore::of(
            None,
            100,
            10,
            &[failed(RuleName::KillSwitchRequired, Severity::Critical, 1)],
            &t,
        );
        assert!((s.score.unwrap() - (1.0 - 8.0 / 1008.0)).abs() < 1e-9);
        // An agent with only watched failures and nothing else checked is at 0, not NaN.
        let s = ComplianceScore::of(
            None,
            0,
            0,
            &[failed(RuleName::MandatoryLogging, Severity::High, 2)],
            &t,
        );
        assert_eq!(s.score, Some(0.0));
        assert_eq!(s.status, ComplianceStatus::Red);
    }

    #[test]
    fn the_fleet_adds_its_agents_up() {
        let t = Thresholds::default();
        let a = ComplianceScore::of(Some("a".into()), 100, 10, &[], &t);
        let b = ComplianceScore::of(
            Some("b".into()),
            100,
            10,
            &[failed(RuleName::NoPiiInOutputs, Severity::Critical, 25)],
            &t,
        );
        let total = ComplianceScore::total(&[a, b], &t);
        assert_eq!(total.interactions, 200);
        assert!((total.score.unwrap() - 0.9).abs() < 1e-9);
        assert_eq!(total.status, ComplianceStatus::Amber);
    }
}

/// The scores over one window, the fleet's first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceReport {
    pub window_hours: i64,
    pub thresholds: Thresholds,
    pub fleet: ComplianceScore,
    /// Worst first.
    pub agents: Vec<ComplianceScore>,
}
