//! Writing the hierarchy back as the `policies:` block of `warden.yml`, for `warden policy
//! export`. Written by hand: the output is one fixed shape, and this crate takes no YAML
//! library (it builds for the browser too).

use super::hierarchy::PolicySet;
use super::value::RuleValue;
use std::fmt::Write;

impl PolicySet {
    /// The `policies:` block in the layout of the seed: levels in tree order, each with its
    /// `inherits` when the file named one, and its rules as `- name` for flags that are on,
    /// `- name: false` for flags that are off and `- name: value` otherwise.
    pub fn to_yaml(&self) -> String {
        if self.is_empty() {
            return "policies: {}\n".to_string();
        }
        let mut out = String::from("policies:\n");
        for level in self.levels() {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "  {}:", scalar(&level.name));
            if let Some(parent) = &level.inherits {
                let _ = writeln!(out, "    inherits: {}", scalar(parent));
            }
            if level.rules.is_empty() {
                out.push_str("    rules: []\n");
                continue;
            }
            out.push_str("    rules:\n");
            for (rule, value) in &level.rules {
                let _ = match value {
                    RuleValue::Flag(true) => writeln!(out, "      - {rule}"),
                    // Canonical values are digits, units, `.`, `%` and a currency code: none
                    // needs quoting.
                    other => writeln!(out, "      - {rule}: {other}"),
                };
            }
        }
        out
    }
}

/// A policy name as a YAML key: plain when it would read back as the same string, double
/// quoted otherwise (names like `yes`, `123`, `a: b` or `#x` would not).
fn scalar(text: &str) -> String {
    let plain_chars = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let starts_well = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    // YAML 1.1 loaders still read these as booleans or null.
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
    );
    if plain_chars && starts_well && !reserved {
        return text.to_string();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::scalar;

    #[test]
    fn names_are_quoted_only_when_yaml_would_misread_them() {
        assert_eq!(scalar("hr_screening_agent"), "hr_screening_agent");
        assert_eq!(scalar("tier-2.eu"), "tier-2.eu");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("123"), "\"123\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(scalar("tab\there"), "\"tab\\u0009here\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
