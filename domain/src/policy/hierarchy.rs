//! The policy hierarchy once checked: its levels, who inherits from whom, and the orders the
//! UI and the export list them in. Building and checking it is `build`; what a level ends up
//! enforcing is `effective`.

use super::rule::RuleName;
use super::value::{RawValue, RuleValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The root policy. The seed says it "applies to ALL agents", so every other level that
/// names no parent inherits it implicitly.
pub const ROOT: &str = "global";

/// One policy as the config loader read it, before checking.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelSource {
    pub name: String,
    pub inherits: Option<String>,
    pub rules: Vec<RuleSource>,
    /// Where the policy starts in the file, for error messages.
    pub line: Option<u32>,
}

/// One entry of a policy's `rules:` list as the config loader read it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSource {
    pub name: String,
    pub value: RawValue,
    pub line: Option<u32>,
}

/// One checked policy: its own rules, without what it inherits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub name: String,
    /// The parent as written; `None` when the file names none.
    pub inherits: Option<String>,
    /// In the order written; each rule at most once.
    pub rules: Vec<(RuleName, RuleValue)>,
    pub line: Option<u32>,
    /// `inherits`, or `global` when that is left out (see [`ROOT`]).
    pub(super) parent: Option<String>,
}

/// A checked policy hierarchy: names are unique, every parent exists and there are no
/// cycles, so walking up from any level ends at a root.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicySet {
    pub(super) levels: BTreeMap<String, Level>,
}

impl Level {
    /// The level this one inherits from, named or implied.
    pub fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }

    /// This level's own value for `rule`, if it sets one.
    pub fn rule(&self, rule: RuleName) -> Option<&RuleValue> {
        self.rules
            .iter()
            .find_map(|(name, value)| (*name == rule).then_some(value))
    }
}

impl PolicySet {
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.levels.contains_key(name)
    }

    pub fn level(&self, name: &str) -> Option<&Level> {
        self.levels.get(name)
    }

    /// Every level, in [`PolicySet::tree`] order.
    pub fn levels(&self) -> Vec<&Level> {
        self.tree()
            .into_iter()
            .filter_map(|(_, name)| self.levels.get(&name))
            .collect()
    }

    /// The levels with their depth, for display: `global` first, then other roots by name,
    /// each level followed by its children sorted by name.
    pub fn tree(&self) -> Vec<(usize, String)> {
        let mut roots: Vec<&str> = self
            .levels
            .values()
            .filter(|level| level.parent.is_none())
            .map(|level| level.name.as_str())
            .collect();
        // Stable: the other roots stay in name order behind `global`.
        roots.sort_by_key(|name| *name != ROOT);
        let mut out = Vec::with_capacity(self.levels.len());
        for root in roots {
            self.walk(root, 0, &mut out);
        }
        out
    }

    /// `name` and every level that inherits from it, directly or not, in tree order; empty
    /// when there is no such level.
    pub fn descendants(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.contains(name) {
            self.walk(name, 0, &mut out);
        }
        out.into_iter().map(|(_, name)| name).collect()
    }

    /// The levels from the root down to `name`, root first.
    pub fn chain(&self, name: &str) -> Option<Vec<String>> {
        let mut chain = vec![self.levels.get(name)?.name.clone()];
        let mut current = self.levels.get(name)?;
        while let Some(parent) = current.parent.as_deref().and_then(|p| self.levels.get(p)) {
            // Built sets have no cycles; the bound only keeps a hand-made one from hanging.
            if chain.len() > self.levels.len() {
                break;
            }
            chain.push(parent.name.clone());
            current = parent;
        }
        chain.reverse();
        Some(chain)
    }

    /// The set as sources again, in tree order, so it can be edited and rebuilt. Values are
    /// given as the YAML export writes them; rule lines are not kept.
    pub fn sources(&self) -> Vec<LevelSource> {
        self.levels()
            .into_iter()
            .map(|level| LevelSource {
                name: level.name.clone(),
                inherits: level.inherits.clone(),
                rules: level
                    .rules
                    .iter()
                    .map(|(rule, value)| RuleSource {
                        name: rule.as_str().to_string(),
                        value: raw_value(value),
                        line: None,
                    })
                    .collect(),
                line: level.line,
            })
            .collect()
    }

    fn walk(&self, name: &str, depth: usize, out: &mut Vec<(usize, String)>) {
        // Built sets have no cycles; the bound only keeps a hand-made one from hanging.
        if depth > self.levels.len() {
            return;
        }
        out.push((depth, name.to_string()));
        let children = self
            .levels
            .values()
            .filter(|level| level.parent.as_deref() == Some(name));
        for child in children {
            self.walk(&child.name, depth + 1, out);
        }
    }
}

/// A value as a YAML loader would hand it back after export.
fn raw_value(value: &RuleValue) -> RawValue {
    match value {
        RuleValue::Flag(true) => RawValue::Bare,
        RuleValue::Flag(false) => RawValue::Bool(false),
        RuleValue::Ratio(ratio) => RawValue::Number(*ratio),
        other => RawValue::Text(other.to_string()),
    }
}
