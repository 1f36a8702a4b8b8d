//! Versioned policies: a change is proposed as a whole new hierarchy, reviewed against the
//! version in force, and takes effect once it has the approvals it needs.

use super::hierarchy::PolicySet;
use super::rule::RuleName;
use super::value::RuleValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// Waiting for approvals.
    Open,
    /// Took effect as a new version.
    Applied,
    /// An approver turned it down.
    Rejected,
    /// Its author took it back.
    Withdrawn,
    /// Another version took effect first; it would undo that one, so it must be made again.
    Stale,
}

impl ProposalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Open => "open",
            ProposalState::Applied => "applied",
            ProposalState::Rejected => "rejected",
            ProposalState::Withdrawn => "withdrawn",
            ProposalState::Stale => "stale",
        }
    }

    pub fn parse(text: &str) -> Option<ProposalState> {
        Some(match text {
            "open" => ProposalState::Open,
            "applied" => ProposalState::Applied,
            "rejected" => ProposalState::Rejected,
            "withdrawn" => ProposalState::Withdrawn,
            "stale" => ProposalState::Stale,
            _ => return None,
        })
    }
}

/// One approval of a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub approver: String,
    pub note: String,
    pub at: i64,
}

/// A proposed policy version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyProposal {
    pub id: i64,
    /// The version in force when it was proposed; it applies only on top of that one.
    pub base_version: i64,
    /// The proposed `policies:` block, as YAML.
    pub document: String,
    /// The change, a line per rule or level (`high_risk: alignment_score_minimum 0.85 -> 0.9`).
    pub changes: Vec<String>,
    /// Levels whose effective rules change, and the agents held to them.
    pub affected_levels: Vec<String>,
    pub affected_agents: Vec<String>,
    /// 2 where `dual_review_for_changes` covers an affected level, else 1.
    pub required_approvals: u32,
    pub state: ProposalState,
    pub author: String,
    pub note: String,
    pub created_at: i64,
    pub approvals: Vec<Approval>,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    /// The version it became.
    pub applied_version: Option<i64>,
}

/// A version of the policies, without its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersionInfo {
    pub version: i64,
    pub created_at: i64,
    /// `system` for the version the config file seeded, else the proposal's author.
    pub created_by: String,
    pub proposal_id: Option<i64>,
}

/// What reviewing `new` against `old` finds: the levels whose effective rules differ, and
/// how many approvals that takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewNeeds {
    pub affected_levels: BTreeSet<String>,
    pub required_approvals: u32,
}

impl ReviewNeeds {
    /// A level is affected when the rules it enforces (values, not where they come from)
    /// differ, or when it exists on one side only. Two approvals are needed when any
    /// affected level is under `dual_review_for_changes` before or after the change, so
    /// the rule cannot be removed, or a level moved from under it, by one person.
    pub fn of(old: &PolicySet, new: &PolicySet) -> ReviewNeeds {
        let names: BTreeSet<String> = old
            .levels()
            .into_iter()
            .chain(new.levels())
            .map(|level| level.name.clone())
            .collect();
        let mut affected_levels = BTreeSet::new();
        let mut dual = false;
        for name in names {
            let before = enforced(old, &name);
            let after = enforced(new, &name);
            if before != after {
                let under_dual = |rules: &Option<Vec<(RuleName, RuleValue)>>| {
                    rules.as_ref().is_some_and(|rules| {
                        rules.iter().any(|(rule, value)| {
                            *rule == RuleName::DualReviewForChanges
                                && *value != RuleValue::Flag(false)
                        })
                    })
                };
                dual |= under_dual(&before) || under_dual(&after);
                affected_levels.insert(name);
            }
        }
        ReviewNeeds {
            affected_levels,
            required_approvals: if dual { 2 } else { 1 },
        }
    }
}

fn enforced(set: &PolicySet, level: &str) -> Option<Vec<(RuleName, RuleValue)>> {
    set.effective(level)
        .map(|e| e.rules.into_iter().map(|r| (r.rule, r.value)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{LevelSource, RawValue, RuleSource};

    fn level(name: &str, inherits: Option<&str>, rules: &[(&str, Option<&str>)]) -> LevelSource {
        LevelSource {
            name: name.into(),
            inherits: inherits.map(str::to_string),
            line: None,
            rules: rules
                .iter()
                .map(|(rule, value)| RuleSource {
                    name: (*rule).into(),
                    value: value.map_or(RawValue::Bare, RawValue::from_plain),
                    line: None,
                })
                .collect(),
        }
    }

    fn set(high_risk_alignment: &str, cf_time: &str) -> PolicySet {
        PolicySet::build(
            vec![
                level("global", None, &[("no_pii_in_outputs", None)]),
                level(
                    "customer_facing",
                    Some("global"),
                    &[("max_response_time", Some(cf_time))],
                ),
                level(
                    "high_risk",
                    Some("customer_facing"),
                    &[
                        ("alignment_score_minimum", Some(high_risk_alignment)),
                        ("dual_review_for_changes", None),
                    ],
                ),
                level("sales", Some("global"), &[]),
            ],
            "EUR",
        )
        .unwrap()
    }

    #[test]
    fn a_change_under_dual_review_needs_two_approvals() {
        let needs = ReviewNeeds::of(&set("0.85", "5000ms"), &set("0.9", "5000ms"));
        assert_eq!(needs.required_approvals, 2);
        assert_eq!(
            needs.affected_levels.into_iter().collect::<Vec<_>>(),
            ["high_risk"]
        );
    }

    #[test]
    fn a_change_that_reaches_a_dual_review_level_through_inheritance_needs_two() {
        let needs = ReviewNeeds::of(&set("0.85", "5000ms"), &set("0.85", "3000ms"));
        assert_eq!(needs.required_approvals, 2);
        assert_eq!(
            needs.affected_levels.into_iter().collect::<Vec<_>>(),
            ["customer_facing", "high_risk"]
        );
    }

    #[test]
    fn a_change_outside_dual_review_needs_one() {
        let old = set("0.85", "5000ms");
        let mut sources = old.sources();
        sources
            .iter_mut()
            .find(|l| l.name == "sales")
            .unwrap()
            .rules
            .push(RuleSource {
                name: "max_response_time".into(),
                value: RawValue::from_plain("2000ms"),
                line: None,
            });
        let new = PolicySet::build(sources, "EUR").unwrap();
        let needs = ReviewNeeds::of(&old, &new);
        assert_eq!(needs.required_approvals, 1);
        assert_eq!(
            needs.affected_levels.into_iter().collect::<Vec<_>>(),
            ["sales"]
        );
    }

    #[test]
    fn removing_dual_review_itself_needs_two() {
        let old = set("0.85", "5000ms");
        let mut sources = old.sources();
        sources
            .iter_mut()
            .find(|l| l.name == "high_risk")
            .unwrap()
            .rules
            .retain(|r| r.name != "dual_review_for_changes");
        let needs = ReviewNeeds::of(&old, &PolicySet::build(sources, "EUR").unwrap());
        assert_eq!(needs.required_approvals, 2);
    }

    #[test]
    fn the_same_rules_written_elsewhere_change_nothing() {
        let old = set("0.85", "5000ms");
        let mut sources = old.sources();
        // customer_facing restates global's rule: nothing anyone enforces differs.
        sources
            .iter_mut()
            .find(|l| l.name == "customer_facing")
            .unwrap()
            .rules
            .push(RuleSource {
                name: "no_pii_in_outputs".into(),
                value: RawValue::Bare,
                line: None,
            });
        let needs = ReviewNeeds::of(&old, &PolicySet::build(sources, "EUR").unwrap());
        assert!(needs.affected_levels.is_empty());
    }

    #[test]
    fn states_round_trip() {
        for state in [
            ProposalState::Open,
            ProposalState::Applied,
            ProposalState::Rejected,
            ProposalState::Withdrawn,
            ProposalState::Stale,
        ] {
            assert_eq!(ProposalState::parse(state.as_str()), Some(state));
        }
    }
}
