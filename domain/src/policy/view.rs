//! What the Policies page and the policy API show: the hierarchy, and one agent's rules.

use super::effective::EffectivePolicy;
use super::hierarchy::PolicySet;
use super::rule::RuleName;
use super::value::RuleValue;
use serde::{Deserialize, Serialize};

/// Why an agent is held to its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Its `policy:` names the level.
    Policy,
    /// The level is named like the agent (`hr_screening_agent` for hr-screening-agent).
    Name,
    /// Its category is the name of a level.
    Category,
    /// Neither: `global`.
    Default,
}

impl Binding {
    pub fn describe(self) -> &'static str {
        match self {
            Binding::Policy => "its policy setting",
            Binding::Name => "a policy named like it",
            Binding::Category => "its category",
            Binding::Default => "the default (global)",
        }
    }
}

/// One agent's effective policy and how it got it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentPolicy {
    pub agent: String,
    pub level: String,
    pub binding: Binding,
    pub effective: EffectivePolicy,
}

/// One level as the hierarchy tree shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelView {
    pub name: String,
    pub depth: usize,
    pub parent: Option<String>,
    /// Set here, not inherited.
    pub rules: Vec<(RuleName, RuleValue)>,
    /// Rules this level loosens against an ancestor.
    pub warnings: Vec<String>,
}

/// The whole hierarchy, root first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PolicyOverview {
    pub levels: Vec<LevelView>,
}

impl PolicyOverview {
    pub fn of(set: &PolicySet) -> PolicyOverview {
        let levels = set
            .tree()
            .into_iter()
            .filter_map(|(depth, name)| {
                let level = set.level(&name)?;
                let warnings = set
                    .effective(&name)
                    .map(|e| {
                        e.rules
                            .iter()
                            .filter(|r| r.loosened && r.from == name)
                            .map(|r| {
                                format!(
                                    "{} is loosened here to {} (an ancestor asks {})",
                                    r.rule,
                                    r.value,
                                    r.overrides
                                        .iter()
                                        .map(|(l, v)| format!("{v} in {l}"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some(LevelView {
                    parent: level.parent().map(str::to_string),
                    rules: level.rules.clone(),
                    name,
                    depth,
                    warnings,
                })
            })
            .collect();
        PolicyOverview { levels }
    }
}

impl EffectivePolicy {
    /// The policy of a level that does not exist, as when no policies are configured.
    pub fn none(level: &str) -> EffectivePolicy {
        EffectivePolicy {
            level: level.to_string(),
            chain: Vec::new(),
            rules: Vec::new(),
            warnings: Vec::new(),
        }
    }
}
