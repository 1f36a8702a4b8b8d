//! What changed between two versions of the policy hierarchy, and which levels' effective
//! policies that may change: the input to change review and to re-evaluating agents.

use super::hierarchy::{Level, PolicySet};
use super::rule::RuleName;
use super::value::RuleValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// One difference between two policy sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum PolicyChange {
    /// Followed by a `RuleAdded` for each of its rules.
    LevelAdded { level: String },
    /// Followed by a `RuleRemoved` for each of its rules.
    LevelRemoved { level: String },
    /// The effective parent: adding `global` reparents every level that names none.
    ParentChanged {
        level: String,
        before: Option<String>,
        after: Option<String>,
    },
    RuleAdded {
        level: String,
        rule: RuleName,
        value: RuleValue,
    },
    RuleRemoved {
        level: String,
        rule: RuleName,
        value: RuleValue,
    },
    RuleChanged {
        level: String,
        rule: RuleName,
        before: RuleValue,
        after: RuleValue,
    },
}

impl PolicyChange {
    /// The level the change is in.
    pub fn level(&self) -> &str {
        match self {
            PolicyChange::LevelAdded { level }
            | PolicyChange::LevelRemoved { level }
            | PolicyChange::ParentChanged { level, .. }
            | PolicyChange::RuleAdded { level, .. }
            | PolicyChange::RuleRemoved { level, .. }
            | PolicyChange::RuleChanged { level, .. } => level,
        }
    }
}

/// One line per change, like `customer_facing: max_response_time 5000ms -> 3000ms`.
impl fmt::Display for PolicyChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parent = |p: &Option<String>| p.clone().unwrap_or_else(|| "(none)".into());
        match self {
            PolicyChange::LevelAdded { level } => write!(f, "{level}: added"),
            PolicyChange::LevelRemoved { level } => write!(f, "{level}: removed"),
            PolicyChange::ParentChanged {
                level,
                before,
                after,
            } => write!(
                f,
                "{level}: inherits {} -> {}",
                parent(before),
                parent(after)
            ),
            PolicyChange::RuleAdded { level, rule, value } => {
                write!(f, "{level}: added {rule} {value}")
            }
            PolicyChange::RuleRemoved { level, rule, value } => {
                write!(f, "{level}: removed {rule} {value}")
            }
            PolicyChange::RuleChanged {
                level,
                rule,
                before,
                after,
            } => write!(f, "{level}: {rule} {before} -> {after}"),
        }
    }
}

/// The changes from `old` to `new`: levels in `new`'s tree order, then removed levels in
/// `old`'s; within a level, the parent first, then rules in [`RuleName::ALL`] order.
pub fn diff(old: &PolicySet, new: &PolicySet) -> Vec<PolicyChange> {
    let mut changes = Vec::new();
    for level in new.levels() {
        match old.level(&level.name) {
            Some(before) => changed_level(before, level, &mut changes),
            None => {
                changes.push(PolicyChange::LevelAdded {
                    level: level.name.clone(),
                });
                changed_level(&empty_like(level), level, &mut changes);
            }
        }
    }
    for level in old.levels() {
        if !new.contains(&level.name) {
            changes.push(PolicyChange::LevelRemoved {
                level: level.name.clone(),
            });
            changed_level(level, &empty_like(level), &mut changes);
        }
    }
    changes
}

/// A level with the same name and parent and no rules, so adding or removing a level lists
/// its rules but no parent change.
fn empty_like(level: &Level) -> Level {
    Level {
        rules: Vec::new(),
        ..level.clone()
    }
}

fn changed_level(before: &Level, after: &Level, changes: &mut Vec<PolicyChange>) {
    let level = after.name.clone();
    if before.parent() != after.parent() {
        changes.push(PolicyChange::ParentChanged {
            level: level.clone(),
            before: before.parent().map(str::to_string),
            after: after.parent().map(str::to_string),
        });
    }
    for rule in RuleName::ALL {
        let level = level.clone();
        let change = match (before.rule(rule).cloned(), after.rule(rule).cloned()) {
            (None, Some(value)) => PolicyChange::RuleAdded { level, rule, value },
            (Some(value), None) => PolicyChange::RuleRemoved { level, rule, value },
            (Some(before), Some(after)) if before != after => PolicyChange::RuleChanged {
                level,
                rule,
                before,
                after,
            },
            _ => continue,
        };
        changes.push(change);
    }
}

impl PolicySet {
    /// Every level whose effective policy `changes` may alter: each changed level and all
    /// levels below it, in the old hierarchy and in the new one.
    pub fn affected_levels(
        old: &PolicySet,
        new: &PolicySet,
        changes: &[PolicyChange],
    ) -> BTreeSet<String> {
        let mut affected = BTreeSet::new();
        for change in changes {
            let level = change.level();
            affected.insert(level.to_string());
            affected.extend(old.descendants(level));
            affected.extend(new.descendants(level));
        }
        affected
    }
}
