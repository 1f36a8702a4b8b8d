//! Checking a policy block and turning it into a [`PolicySet`]. Every problem is reported at
//! once, so a config file is fixed in one pass rather than one error per start.

use super::error::{PolicyError, closest};
use super::hierarchy::{Level, LevelSource, PolicySet, ROOT, RuleSource};
use super::rule::RuleName;
use super::value::RuleValue;
use std::collections::{BTreeMap, BTreeSet};

impl PolicySet {
    /// Checks `levels` and builds the hierarchy. `currency` is the configured currency cost
    /// limits must be written in. A level that names no parent inherits `global` when there
    /// is one, since the seed says `global` applies to all agents. An empty list is a valid
    /// set with no rules. On failure, every problem found, in file order.
    pub fn build(levels: Vec<LevelSource>, currency: &str) -> Result<PolicySet, Vec<PolicyError>> {
        let mut errors = Vec::new();
        let mut built: BTreeMap<String, Level> = BTreeMap::new();
        for source in levels {
            if source.name.trim().is_empty() {
                let message = "has no name: give it one, like `customer_facing`";
                errors.push(PolicyError::level("", source.line, message.into()));
                continue;
            }
            if let Some(first) = built.get(&source.name) {
                let message = format!(
                    "is defined twice{}: merge the two into one",
                    first_on(first.line)
                );
                errors.push(PolicyError::level(&source.name, source.line, message));
                continue;
            }
            let rules = check_rules(&source, currency, &mut errors);
            let level = Level {
                name: source.name.clone(),
                inherits: source.inherits,
                rules,
                line: source.line,
                parent: None,
            };
            built.insert(source.name, level);
        }
        link_parents(&mut built, &mut errors);
        report_cycles(&built, &mut errors);
        if errors.is_empty() {
            Ok(PolicySet { levels: built })
        } else {
            // In file order, like a compiler; errors without a line go last.
            errors.sort_by_key(|error| (error.line.is_none(), error.line));
            Err(errors)
        }
    }
}

fn check_rules(
    level: &LevelSource,
    currency: &str,
    errors: &mut Vec<PolicyError>,
) -> Vec<(RuleName, RuleValue)> {
    let mut rules = Vec::new();
    let mut seen: Vec<(RuleName, Option<u32>)> = Vec::new();
    for source in &level.rules {
        let line = source.line.or(level.line);
        let error = |message: String| PolicyError::rule(&level.name, &source.name, line, message);
        let Some(rule) = RuleName::parse(&source.name) else {
            errors.push(error(unknown_rule(source)));
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(seen, _)| *seen == rule) {
            let message = format!("is set twice in this policy{}: keep one", first_on(*first));
            errors.push(error(message));
            continue;
        }
        seen.push((rule, line));
        match RuleValue::parse(rule, &source.value, currency) {
            Ok(value) => rules.push((rule, value)),
            Err(problem) => errors.push(error(problem.to_string())),
        }
    }
    rules
}

fn unknown_rule(source: &RuleSource) -> String {
    let names = RuleName::ALL.map(RuleName::as_str);
    match closest(&source.name, names) {
        Some(name) => format!("unknown rule: did you mean `{name}`?"),
        None => format!("unknown rule: the rules are {}", names.join(", ")),
    }
}

/// Resolves each level's parent, making `global` the implicit one.
fn link_parents(levels: &mut BTreeMap<String, Level>, errors: &mut Vec<PolicyError>) {
    let names: Vec<String> = levels.keys().cloned().collect();
    let has_root = levels.contains_key(ROOT);
    for level in levels.values_mut() {
        level.parent = match &level.inherits {
            Some(parent) if level.name == ROOT => {
                let message = format!(
                    "applies to all agents, so it cannot inherit: remove `inherits: {parent}`"
                );
                errors.push(PolicyError::level(ROOT, level.line, message));
                None
            }
            Some(parent) if names.contains(parent) => Some(parent.clone()),
            Some(parent) => {
                let message = unknown_parent(parent, &level.name, &names);
                errors.push(PolicyError::level(&level.name, level.line, message));
                None
            }
            None if has_root && level.name != ROOT => Some(ROOT.to_string()),
            None => None,
        };
    }
}

fn unknown_parent(parent: &str, level: &str, names: &[String]) -> String {
    let others: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|name| *name != level)
        .collect();
    let suggestion = closest(parent, others.iter().copied())
        .map(|name| format!(" (did you mean `{name}`?)"))
        .unwrap_or_default();
    if others.is_empty() {
        return format!(
            "inherits `{parent}`, which is not defined: define it or remove `inherits`"
        );
    }
    let listed: Vec<String> = others.iter().map(|name| format!("`{name}`")).collect();
    format!(
        "inherits `{parent}`, which is not defined{suggestion}: the policies are {}",
        listed.join(", ")
    )
}

/// Reports each cycle once, at its first level by name, as `a -> b -> a`.
fn report_cycles(levels: &BTreeMap<String, Level>, errors: &mut Vec<PolicyError>) {
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for start in levels.keys() {
        let mut path: Vec<&str> = vec![start];
        let mut next = levels.get(start.as_str()).and_then(|l| l.parent.as_deref());
        while let Some(parent) = next {
            if let Some(at) = path.iter().position(|name| *name == parent) {
                let mut cycle: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
                let first = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                cycle.rotate_left(first);
                if reported.insert(cycle.clone()) {
                    errors.push(cycle_error(levels, cycle));
                }
                break;
            }
            path.push(parent);
            next = levels.get(parent).and_then(|l| l.parent.as_deref());
        }
    }
}

fn cycle_error(levels: &BTreeMap<String, Level>, mut cycle: Vec<String>) -> PolicyError {
    let level = cycle.first().cloned().unwrap_or_default();
    let line = levels.get(&level).and_then(|l| l.line);
    cycle.push(level.clone());
    let message = format!(
        "inherits in a cycle, {}: remove one of these `inherits` to break it",
        cycle.join(" -> ")
    );
    PolicyError::level(&level, line, message)
}

fn first_on(line: Option<u32>) -> String {
    line.map(|line| format!(" (first on line {line})"))
        .unwrap_or_default()
}
