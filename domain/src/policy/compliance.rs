//! Compliance scores over a window, per agent and for the whole fleet: the share of
//! compliant interactions, each non-compliant one weighted by the severity of the worst
//! rule it broke, green/amber/red by the config's thresholds, and never green while a
//! critical rule was broken in the window. (It used to be the share of rule checks passed,
//! fifteen per interaction: an agent breaking a rule in 39% of its interactions read 95.7%,
//! green, which is not what a DPO reads into a compliance score.)

use super::rule::Severity;
use serde::{Deserialize, Serialize};

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
    /// Violations of every rule in the window.
    pub violations: i64,
    /// Interactions that broke at least one rule.
    pub noncompliant_interactions: i64,
    /// Violations of critical rules: any keeps the score out of green.
    pub critical_violations: i64,
    /// What was lost: each non-compliant interaction by the worst severity it broke, each
    /// violation of a rule watched over time (no interaction of its own) by its severity;
    /// a critical breach counts 1, high 1/2, medium 1/4, low 1/8.
    pub breach_weight: f64,
    /// What the score is out of: the interactions and the watched violations.
    pub judged: f64,
    pub score: Option<f64>,
    pub status: ComplianceStatus,
}

/// What an agent's score is computed from, over a window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComplianceInputs {
    pub interactions: i64,
    /// The worst severity each non-compliant interaction broke.
    pub noncompliant: Vec<Severity>,
    /// Violations not tied to an interaction (rules watched over time).
    pub watched: Vec<Severity>,
    /// Every violation, of any rule, by severity.
    pub violations: Vec<(Severity, i64)>,
}

impl ComplianceScore {
    /// The share of compliant interactions, weighted by the severity of what the others
    /// broke, with each violation of a watched rule a failed interaction of its own;
    /// green, amber or red by the thresholds, and never green with a critical violation.
    pub fn of(
        agent: Option<String>,
        inputs: &ComplianceInputs,
        thresholds: &Thresholds,
    ) -> ComplianceScore {
        let noncompliant = i64::try_from(inputs.noncompliant.len()).unwrap_or(i64::MAX);
        // Violations outlive sampled-out traces' rollups at the edges of the window:
        // never more non-compliant interactions than interactions.
        let interactions = inputs.interactions.max(noncompliant);
        let lost: f64 = inputs
            .noncompliant
            .iter()
            .chain(&inputs.watched)
            .map(|s| s.share())
            .sum();
        Self::from_parts(
            agent,
            (interactions, noncompliant),
            (
                inputs.violations.iter().map(|(_, n)| n).sum(),
                inputs
                    .violations
                    .iter()
                    .filter(|(s, _)| *s == Severity::Critical)
                    .map(|(_, n)| n)
                    .sum(),
            ),
            lost,
            interactions as f64 + inputs.watched.len() as f64,
            thresholds,
        )
    }

    /// The fleet's score: every agent's interactions and breaches together.
    pub fn total(scores: &[ComplianceScore], thresholds: &Thresholds) -> ComplianceScore {
        Self::from_parts(
            None,
            (
                scores.iter().map(|s| s.interactions).sum(),
                scores.iter().map(|s| s.noncompliant_interactions).sum(),
            ),
            (
                scores.iter().map(|s| s.violations).sum(),
                scores.iter().map(|s| s.critical_violations).sum(),
            ),
            scores.iter().map(|s| s.breach_weight).sum(),
            scores.iter().map(|s| s.judged).sum(),
            thresholds,
        )
    }

    fn from_parts(
        agent: Option<String>,
        (interactions, noncompliant_interactions): (i64, i64),
        (violations, critical_violations): (i64, i64),
        breach_weight: f64,
        judged: f64,
        thresholds: &Thresholds,
    ) -> ComplianceScore {
        let score = (judged > 0.0).then(|| (1.0 - breach_weight / judged).clamp(0.0, 1.0));
        let mut status = thresholds.status(score);
        if critical_violations > 0 && status == ComplianceStatus::Green {
            status = ComplianceStatus::Amber;
        }
        ComplianceScore {
            agent,
            interactions,
            violations,
            noncompliant_interactions,
            critical_violations,
            breach_weight,
            judged,
            score,
            status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(
        interactions: i64,
        noncompliant: &[Severity],
        watched: &[Severity],
    ) -> ComplianceInputs {
        let mut violations: Vec<(Severity, i64)> = Vec::new();
        for s in noncompliant.iter().chain(watched) {
            match violations.iter_mut().find(|(v, _)| v == s) {
                Some((_, n)) => *n += 1,
                None => violations.push((*s, 1)),
            }
        }
        ComplianceInputs {
            interactions,
            noncompliant: noncompliant.to_vec(),
            watched: watched.to_vec(),
            violations,
        }
    }

    #[test]
    fn the_score_is_the_share_of_compliant_interactions_weighted_by_severity() {
        let t = Thresholds::default();
        // The demo's finance-agent: 15 of 38 interactions broke a high rule. Under the old
        // definition (checks passed) it read 95.7%, green; now it is red.
        let s = ComplianceScore::of(
            Some("a".into()),
            &inputs(38, &[Severity::High; 15], &[]),
            &t,
        );
        assert!((s.score.unwrap() - (1.0 - 7.5 / 38.0)).abs() < 1e-9);
        assert_eq!(s.status, ComplianceStatus::Red);
        assert_eq!(s.noncompliant_interactions, 15);
        // Two low breaches in 100: 99.75%, green.
        let s = ComplianceScore::of(None, &inputs(100, &[Severity::Low; 2], &[]), &t);
        assert!((s.score.unwrap() - 0.9975).abs() < 1e-9);
        assert_eq!(s.status, ComplianceStatus::Green);
        assert_eq!(
            ComplianceScore::of(None, &inputs(0, &[], &[]), &t).status,
            ComplianceStatus::NoData
        );
    }

    #[test]
    fn a_critical_violation_keeps_an_agent_out_of_green() {
        let t = Thresholds::default();
        // One critical breach in 1000 interactions: 99.9%, but amber.
        let s = ComplianceScore::of(None, &inputs(1000, &[Severity::Critical], &[]), &t);
        assert!((s.score.unwrap() - 0.999).abs() < 1e-9);
        assert_eq!(s.status, ComplianceStatus::Amber);
        assert_eq!(s.critical_violations, 1);
    }

    #[test]
    fn a_watched_rule_failing_is_a_failed_interaction_of_its_own() {
        let t = Thresholds::default();
        // 100 interactions and a mandatory_logging gap (high): 1 - 0.5 / 101.
        let s = ComplianceScore::of(None, &inputs(100, &[], &[Severity::High]), &t);
        assert!((s.score.unwrap() - (1.0 - 0.5 / 101.0)).abs() < 1e-9);
        // Only watched failures, nothing else: at 0.5, not NaN.
        let s = ComplianceScore::of(None, &inputs(0, &[], &[Severity::High]), &t);
        assert_eq!(s.score, Some(0.5));
        assert_eq!(s.status, ComplianceStatus::Red);
        // More non-compliant interactions than counted ones floor at zero.
        let s = ComplianceScore::of(None, &inputs(1, &[Severity::Critical; 2], &[]), &t);
        assert_eq!((s.interactions, s.score), (2, Some(0.0)));
    }

    #[test]
    fn the_fleet_adds_its_agents_up() {
        let t = Thresholds::default();
        let a = ComplianceScore::of(Some("a".into()), &inputs(100, &[], &[]), &t);
        let b = ComplianceScore::of(
            Some("b".into()),
            &inputs(100, &[Severity::Critical; 10], &[]),
            &t,
        );
        let total = ComplianceScore::total(&[a, b], &t);
        assert_eq!(total.interactions, 200);
        assert!((total.score.unwrap() - 0.95).abs() < 1e-9);
        assert_eq!(
            total.status,
            ComplianceStatus::Amber,
            "a critical breach in the fleet"
        );
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
    /// PII found in the window by type, most first.
    pub pii_by_type: Vec<Tally>,
    /// Violations in the window by rule, most first.
    pub violations_by_rule: Vec<Tally>,
}

/// How many of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub name: String,
    pub count: i64,
}
