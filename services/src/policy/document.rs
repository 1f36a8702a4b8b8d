//! The `policies:` block as YAML holds it, in the config file and in policy files people
//! import: read with the source lines kept, so that a bad rule is reported where it is.
//!
//! A level is `{inherits, rules}`, or, as the seed writes `global`, a plain list of rules.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;
use warden_domain::policy::{LevelSource, PolicyError, RawValue, RuleSource};

/// The `policies:` mapping: level name to level.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct PoliciesDoc(pub BTreeMap<String, Spanned<LevelDoc>>);

/// One level as written.
#[derive(Debug, Default)]
pub struct LevelDoc {
    pub inherits: Option<String>,
    pub rules: Vec<Spanned<RuleDoc>>,
}

/// One entry of `rules:`: a bare name, or a one-key mapping `name: value`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RuleDoc {
    Bare(String),
    Valued(BTreeMap<String, ScalarDoc>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ScalarDoc {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// A file that holds only policies, as `warden policy export` writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    policies: PoliciesDoc,
}

impl PoliciesDoc {
    /// The levels for [`warden_domain::policy::PolicySet::build`], with their lines; a
    /// `name: value` entry must hold exactly one rule.
    pub fn to_sources(&self) -> Result<Vec<LevelSource>, Vec<PolicyError>> {
        let mut levels = Vec::new();
        let mut errors = Vec::new();
        for (name, level) in &self.0 {
            let mut rules = Vec::new();
            for entry in &level.value.rules {
                let line = line_of(&entry.referenced);
                match &entry.value {
                    RuleDoc::Bare(rule) => rules.push(RuleSource {
                        name: rule.trim().to_string(),
                        value: RawValue::Bare,
                        line,
                    }),
                    RuleDoc::Valued(map) if map.len() == 1 => {
                        for (rule, value) in map {
                            rules.push(RuleSource {
                                name: rule.trim().to_string(),
                                value: value.to_raw(),
                                line,
                            });
                        }
                    }
                    RuleDoc::Valued(map) => errors.push(PolicyError {
                        level: name.clone(),
                        rule: None,
                        line,
                        message: format!(
                            "a list item holds {} rules ({}); write one rule per `- ` line",
                            map.len(),
                            map.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    }),
                }
            }
            levels.push(LevelSource {
                name: name.clone(),
                inherits: level.value.inherits.clone(),
                rules,
                line: line_of(&level.referenced),
            });
        }
        if errors.is_empty() {
            Ok(levels)
        } else {
            Err(errors)
        }
    }
}

impl ScalarDoc {
    fn to_raw(&self) -> RawValue {
        match self {
            ScalarDoc::Bool(b) => RawValue::Bool(*b),
            ScalarDoc::Number(n) => RawValue::Number(*n),
            ScalarDoc::Text(t) => RawValue::Text(t.clone()),
        }
    }
}

fn line_of(location: &serde_saphyr::Location) -> Option<u32> {
    u32::try_from(location.line()).ok().filter(|line| *line > 0)
}

impl<'de> Deserialize<'de> for LevelDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LevelVisitor)
    }
}

/// Written by hand rather than as an untagged enum: serde buffers untagged content and
/// the rules' lines would be lost.
struct LevelVisitor;

impl<'de> Visitor<'de> for LevelVisitor {
    type Value = LevelDoc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a policy: `inherits:` and `rules:`, or a list of rules")
    }

    fn visit_unit<E: de::Error>(self) -> Result<LevelDoc, E> {
        Ok(LevelDoc::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<LevelDoc, E> {
        Ok(LevelDoc::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LevelDoc, A::Error> {
        let mut rules = Vec::new();
        while let Some(rule) = seq.next_element()? {
            rules.push(rule);
        }
        Ok(LevelDoc {
            inherits: None,
            rules,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LevelDoc, A::Error> {
        let mut level = LevelDoc::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "inherits" => level.inherits = map.next_value()?,
                "rules" => {
                    level.rules = map.next_value::<Option<Vec<_>>>()?.unwrap_or_default();
                }
                other => return Err(de::Error::unknown_field(other, &["inherits", "rules"])),
            }
        }
        Ok(level)
    }
}

/// A YAML text that is not a usable policy file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Not YAML, or not the policy file's shape: line, column and what is wrong.
    #[error("{line}:{column}: {message}")]
    Syntax {
        line: u64,
        column: u64,
        message: String,
    },
}

/// Reads a policy file (a YAML document with a `policies:` mapping).
pub fn parse_policy_file(text: &str) -> Result<PoliciesDoc, DocumentError> {
    serde_saphyr::from_str::<PolicyFile>(text)
        .map(|file| file.policies)
        .map_err(|err| syntax_error(text, &err))
}

/// The error to show for YAML that did not parse: the seed's own policy block is invalid
/// YAML (a mapping with `inherits:` and list items), and people will paste it, so that
/// case gets the fix rather than the parser's words.
pub fn syntax_error(text: &str, err: &serde_saphyr::Error) -> DocumentError {
    if let Some((line, message)) = seed_form_hint(text) {
        return DocumentError::Syntax {
            line,
            column: 1,
            message,
        };
    }
    let (line, column) = err
        .location()
        .map(|loc| (loc.line(), loc.column()))
        .unwrap_or((0, 0));
    let rendered = err.to_string();
    DocumentError::Syntax {
        line,
        column,
        message: rendered.lines().next().unwrap_or("").trim().to_string(),
    }
}

/// Finds a block holding both `inherits:` and `- ` items at the same indentation, and
/// says how to write it: its line (1-based) and the message.
pub fn seed_form_hint(text: &str) -> Option<(u64, String)> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("inherits:") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let parent = lines[..i].iter().rev().find(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#') && l.len() - t.len() < indent
        })?;
        let level = parent.trim().trim_end_matches(':').trim();
        let parent_value = trimmed["inherits:".len()..].trim();
        let mut items = Vec::new();
        let mut first_item = None;
        for (j, next) in lines.iter().enumerate().skip(i + 1) {
            let t = next.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let next_indent = next.len() - t.len();
            if next_indent < indent {
                break;
            }
            if next_indent == indent {
                if let Some(item) = t.strip_prefix("- ") {
                    first_item.get_or_insert(j);
                    items.push(item.split('#').next().unwrap_or("").trim().to_string());
                } else if !items.is_empty() {
                    break;
                }
            }
        }
        let Some(first_item) = first_item else {
            continue;
        };
        let mut fix = format!("  {level}:\n    inherits: {parent_value}\n    rules:\n");
        for item in &items {
            fix.push_str(&format!("      - {item}\n"));
        }
        let message = format!(
            "policy `{level}` mixes `inherits:` with a list of rules, which YAML cannot hold in one \
             mapping (the seed document writes it this way); put the rules under `rules:`:\n{}",
            fix.trim_end()
        );
        return Some((first_item as u64 + 1, message));
    }
    None
}
