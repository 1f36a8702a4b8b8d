//! What a level ends up enforcing once its ancestors' rules are folded in: each rule takes
//! the value of the nearest level that sets it. A child may loosen what an ancestor set; that
//! is applied (the child is the more specific policy) but flagged, so reviewers see it.

use super::hierarchy::PolicySet;
use super::rule::{RuleName, Severity};
use super::value::RuleValue;
use serde::{Deserialize, Serialize};

/// The rules in force for one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectivePolicy {
    pub level: String,
    /// From the root down to `level`.
    pub chain: Vec<String>,
    /// In [`RuleName::ALL`] order; rules no level in the chain sets are absent.
    pub rules: Vec<EffectiveRule>,
    /// One sentence per loosened rule.
    pub warnings: Vec<String>,
}

/// One rule in force and where its value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectiveRule {
    pub rule: RuleName,
    pub value: RuleValue,
    pub severity: Severity,
    /// The level that set `value`.
    pub from: String,
    /// The values ancestors set that `value` replaced, root first.
    pub overrides: Vec<(String, RuleValue)>,
    /// Whether `value` asks less than one of `overrides`.
    pub loosened: bool,
}

impl EffectivePolicy {
    pub fn get(&self, rule: RuleName) -> Option<&EffectiveRule> {
        self.rules.iter().find(|r| r.rule == rule)
    }

    /// Whether the rule is enforced: a flag that is on, or a limit that is set.
    pub fn is_on(&self, rule: RuleName) -> bool {
        match self.get(rule).map(|r| &r.value) {
            Some(RuleValue::Flag(on)) => *on,
            Some(_) => true,
            None => false,
        }
    }
}

impl PolicySet {
    /// The rules in force for `level`, or `None` when there is no such level.
    pub fn effective(&self, level: &str) -> Option<EffectivePolicy> {
        let chain = self.chain(level)?;
        let mut rules = Vec::new();
        let mut warnings = Vec::new();
        for rule in RuleName::ALL {
            let mut set: Vec<(String, RuleValue)> = chain
                .iter()
                .filter_map(|name| {
                    let value = self.level(name)?.rule(rule)?;
                    Some((name.clone(), value.clone()))
                })
                .collect();
            let Some((from, value)) = set.pop() else {
                continue;
            };
            // The nearest ancestor that asked more is the one the change is measured against.
            let stricter = set
                .iter()
                .rev()
                .find(|(_, earlier)| !value.is_tighter_or_equal(earlier));
            if let Some((ancestor, earlier)) = stricter {
                warnings.push(loosening(rule, &from, &value, ancestor, earlier));
            }
            rules.push(EffectiveRule {
                rule,
                severity: rule.default_severity(),
                loosened: stricter.is_some(),
                value,
                from,
                overrides: set,
            });
        }
        Some(EffectivePolicy {
            level: level.to_string(),
            chain,
            rules,
            warnings,
        })
    }
}

fn loosening(
    rule: RuleName,
    level: &str,
    value: &RuleValue,
    ancestor: &str,
    earlier: &RuleValue,
) -> String {
    match value {
        RuleValue::Flag(_) => {
            format!("`{level}` turns {rule} off, which `{ancestor}` turns on")
        }
        _ => format!(
            "`{level}` sets {rule} to {value}, looser than the {earlier} set by `{ancestor}`"
        ),
    }
}
