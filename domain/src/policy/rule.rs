//! The rules a policy can set: their names, the kind of value each takes, how serious a
//! breach is, and the sentence the UI shows for each. Checking them is not done here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One of the fifteen rules of the seed's policy hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleName {
    NoPiiInOutputs,
    MandatoryLogging,
    MaxCostPerInteraction,
    KillSwitchRequired,
    TransparencyNoticeRequired,
    HumanEscalationEnabled,
    MaxResponseTime,
    FullExplainabilityLogging,
    AlignmentScoreMinimum,
    DualReviewForChanges,
    AuditTrailRetention,
    NoGenderInference,
    NoAgeInference,
    NoEthnicityInference,
    MandatoryHumanReview,
}

/// What a rule's value is; flags are on or off, the others carry a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Flag,
    /// An amount in the configured currency, like `0.50 EUR`.
    Money,
    /// A positive duration, like `5000ms`.
    Duration,
    /// A number from 0 to 1, like `0.85` or `85%`.
    Ratio,
    /// A positive number of days, like `5y`.
    Period,
}

/// How serious a breach of a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl RuleName {
    /// Every rule, in the seed's order (root policy first); effective policies list rules
    /// in this order.
    pub const ALL: [RuleName; 15] = [
        RuleName::NoPiiInOutputs,
        RuleName::MandatoryLogging,
        RuleName::MaxCostPerInteraction,
        RuleName::KillSwitchRequired,
        RuleName::TransparencyNoticeRequired,
        RuleName::HumanEscalationEnabled,
        RuleName::MaxResponseTime,
        RuleName::FullExplainabilityLogging,
        RuleName::AlignmentScoreMinimum,
        RuleName::DualReviewForChanges,
        RuleName::AuditTrailRetention,
        RuleName::NoGenderInference,
        RuleName::NoAgeInference,
        RuleName::NoEthnicityInference,
        RuleName::MandatoryHumanReview,
    ];

    /// The name the config file, the API and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleName::NoPiiInOutputs => "no_pii_in_outputs",
            RuleName::MandatoryLogging => "mandatory_logging",
            RuleName::MaxCostPerInteraction => "max_cost_per_interaction",
            RuleName::KillSwitchRequired => "kill_switch_required",
            RuleName::TransparencyNoticeRequired => "transparency_notice_required",
            RuleName::HumanEscalationEnabled => "human_escalation_enabled",
            RuleName::MaxResponseTime => "max_response_time",
            RuleName::FullExplainabilityLogging => "full_explainability_logging",
            RuleName::AlignmentScoreMinimum => "alignment_score_minimum",
            RuleName::DualReviewForChanges => "dual_review_for_changes",
            RuleName::AuditTrailRetention => "audit_trail_retention",
            RuleName::NoGenderInference => "no_gender_inference",
            RuleName::NoAgeInference => "no_age_inference",
            RuleName::NoEthnicityInference => "no_ethnicity_inference",
            RuleName::MandatoryHumanReview => "mandatory_human_review",
        }
    }

    /// The rule with exactly this name (names are case-sensitive, as in the config file).
    pub fn parse(name: &str) -> Option<RuleName> {
        RuleName::ALL.into_iter().find(|rule| rule.as_str() == name)
    }

    /// The kind of value the rule takes.
    pub fn kind(self) -> ValueKind {
        match self {
            RuleName::MaxCostPerInteraction => ValueKind::Money,
            RuleName::MaxResponseTime => ValueKind::Duration,
            RuleName::AlignmentScoreMinimum => ValueKind::Ratio,
            RuleName::AuditTrailRetention => ValueKind::Period,
            _ => ValueKind::Flag,
        }
    }

    /// The severity of a breach unless a policy says otherwise.
    pub fn default_severity(self) -> Severity {
        use RuleName::*;
        match self {
            NoPiiInOutputs | KillSwitchRequired | NoGenderInference | NoAgeInference
            | NoEthnicityInference => Severity::Critical,
            MandatoryLogging
            | MaxCostPerInteraction
            | HumanEscalationEnabled
            | AlignmentScoreMinimum
            | DualReviewForChanges
            | MandatoryHumanReview => Severity::High,
            TransparencyNoticeRequired
            | MaxResponseTime
            | FullExplainabilityLogging
            | AuditTrailRetention => Severity::Medium,
        }
    }

    /// What the rule checks, in one sentence for the UI.
    pub fn summary(self) -> &'static str {
        match self {
            RuleName::NoPiiInOutputs => "Flags personal data (PII) found in any output field.",
            RuleName::MandatoryLogging => {
                "Flags a running agent that sends nothing for longer than the configured gap."
            }
            RuleName::MaxCostPerInteraction => "Flags a trace whose total cost is over the limit.",
            RuleName::KillSwitchRequired => {
                "Flags an agent that has not read its control state (the kill switch) within the configured window."
            }
            RuleName::TransparencyNoticeRequired => {
                "Flags a conversation whose first answer does not tell the user they are talking to an AI."
            }
            RuleName::HumanEscalationEnabled => {
                "Flags a trace where the user asks for a human and the agent does not hand off."
            }
            RuleName::MaxResponseTime => "Flags an interaction that takes longer than the limit.",
            RuleName::FullExplainabilityLogging => {
                "Flags LLM spans recorded without inputs and outputs, and tool spans without arguments and results."
            }
            RuleName::AlignmentScoreMinimum => {
                "Flags an agent whose rolling alignment score falls below the minimum."
            }
            RuleName::DualReviewForChanges => {
                "Requires two approvers other than the author for any policy change that affects the agent."
            }
            RuleName::AuditTrailRetention => {
                "Keeps the agent's audit and compliance records for at least this long."
            }
            RuleName::NoGenderInference => {
                "Flags an output that states or infers a person's gender."
            }
            RuleName::NoAgeInference => "Flags an output that states or infers a person's age.",
            RuleName::NoEthnicityInference => {
                "Flags an output that states or infers a person's ethnicity."
            }
            RuleName::MandatoryHumanReview => "Sends every interaction to the human review queue.",
        }
    }
}

impl fmt::Display for RuleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Written by hand so that the wire name is `as_str` by construction, not by a second table.
impl Serialize for RuleName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        RuleName::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{name}`")))
    }
}

impl Severity {
    /// Every severity, least serious first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// How much a breach counts against the compliance score: each step doubles, so one
    /// critical breach weighs as much as eight low ones.
    pub fn weight(self) -> u32 {
        match self {
            Severity::Low => 1,
            Severity::Medium => 2,
            Severity::High => 4,
            Severity::Critical => 8,
        }
    }

    /// The share of an interaction a breach of this severity makes non-compliant: a
    /// critical one all of it, a low one an eighth (alignment and compliance scores).
    pub fn share(self) -> f64 {
        f64::from(self.weight()) / f64::from(Severity::Critical.weight())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    #[test]
    fn every_name_parses_back_to_its_rule_and_names_are_unique() {
        for rule in RuleName::ALL {
            assert_eq!(RuleName::parse(rule.as_str()), Some(rule));
        }
        let mut names: Vec<_> = RuleName::ALL.iter().map(|r| r.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 15);
        assert_eq!(RuleName::parse("No_Pii_In_Outputs"), None);
    }

    #[test]
    fn valued_rules_are_the_four_with_limits() {
        let valued: Vec<_> = RuleName::ALL
            .into_iter()
            .filter(|r| r.kind() != ValueKind::Flag)
            .map(RuleName::as_str)
            .collect();
        assert_eq!(
            valued,
            [
                "max_cost_per_interaction",
                "max_response_time",
                "alignment_score_minimum",
                "audit_trail_retention"
            ]
        );
    }

    #[test]
    fn severities_match_the_spec() {
        let critical = RuleName::ALL
            .into_iter()
            .filter(|r| r.default_severity() == Severity::Critical)
            .count();
        assert_eq!(critical, 5);
        assert_eq!(
            RuleName::MaxResponseTime.default_severity(),
            Severity::Medium
        );
        assert_eq!(
            RuleName::MandatoryHumanReview.default_severity(),
            Severity::High
        );
        let weights: Vec<_> = Severity::ALL.into_iter().map(Severity::weight).collect();
        assert_eq!(weights, [1, 2, 4, 8]);
        assert!(Severity::Critical > Severity::High);
    }

    #[test]
    fn summaries_are_single_sentences() {
        for rule in RuleName::ALL {
            let summary = rule.summary();
            assert!(summary.ends_with('.'), "{rule}");
            assert_eq!(summary.matches(". ").count(), 0, "{rule}");
        }
    }

    #[test]
    fn serde_uses_the_config_names() {
        let de: StrDeserializer<'_, DeError> = "audit_trail_retention".into_deserializer();
        assert_eq!(RuleName::deserialize(de), Ok(RuleName::AuditTrailRetention));
        let de: StrDeserializer<'_, DeError> = "audit_retention".into_deserializer();
        assert!(RuleName::deserialize(de).is_err());
        for severity in Severity::ALL {
            let de: StrDeserializer<'_, DeError> = severity.as_str().into_deserializer();
            assert_eq!(Severity::deserialize(de), Ok(severity));
            assert_eq!(Severity::parse(severity.as_str()), Some(severity));
        }
    }
}
