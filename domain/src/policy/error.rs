//! What is wrong with a policy block, located by policy, rule and line, and the "did you
//! mean" suggestions the messages offer.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem in the policy block. The caller prefixes the file and line: this crate does
/// not know where the block came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    /// The policy (level) the problem is in.
    pub level: String,
    /// The rule as written, when the problem is in one.
    pub rule: Option<String>,
    pub line: Option<u32>,
    /// Lowercase; states the problem and the fix.
    pub message: String,
}

impl PolicyError {
    pub(super) fn level(level: &str, line: Option<u32>, message: String) -> PolicyError {
        PolicyError {
            level: level.to_string(),
            rule: None,
            line,
            message,
        }
    }

    pub(super) fn rule(level: &str, rule: &str, line: Option<u32>, message: String) -> Self {
        PolicyError {
            rule: Some(rule.to_string()),
            ..PolicyError::level(level, line, message)
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.level.is_empty() {
            f.write_str("a policy")?;
        } else {
            write!(f, "policy `{}`", self.level)?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ", rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for PolicyError {}

/// The candidate closest to `given`, if it is close enough to be a slip of the keyboard
/// rather than a different word.
pub(super) fn closest<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given = given.to_lowercase().replace('-', "_");
    let limit = (given.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(&given, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            let delete = previous[j + 1] + 1;
            let insert = current[j] + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let names = ["no_pii_in_outputs", "mandatory_logging"];
        assert_eq!(
            closest("no_pii_in_output", names),
            Some("no_pii_in_outputs")
        );
        assert_eq!(
            closest("No-PII-In-Outputs", names),
            Some("no_pii_in_outputs")
        );
        assert_eq!(closest("logging", names), None);
        assert_eq!(closest("xy", ["ab"]), None);
    }

    #[test]
    fn display_names_the_policy_then_the_rule() {
        let error = PolicyError::rule(
            "customer_facing",
            "max_response_time",
            Some(3),
            "bad".into(),
        );
        assert_eq!(
            error.to_string(),
            "policy `customer_facing`, rule `max_response_time`: bad"
        );
        let error = PolicyError::level("global", None, "bad".into());
        assert_eq!(error.to_string(), "policy `global`: bad");
    }
}
