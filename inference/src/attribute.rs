//! What the detector reports: which protected attribute an output infers, and where.

use serde::{Deserialize, Serialize};

/// A protected attribute that an agent's output must not state or infer about a person.
/// Each one backs a governance rule: `no_gender_inference`, `no_age_inference`,
/// `no_ethnicity_inference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribute {
    Gender,
    Age,
    /// Ethnicity, race and national origin: the three are one protected class in most
    /// anti-discrimination law, and agents slide from one to the other ("Hispanic",
    /// "of Nigerian origin", "probably from Brazil").
    Ethnicity,
}

impl Attribute {
    pub const ALL: [Attribute; 3] = [Attribute::Gender, Attribute::Age, Attribute::Ethnicity];

    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Gender => "gender",
            Attribute::Age => "age",
            Attribute::Ethnicity => "ethnicity",
        }
    }
}

impl std::fmt::Display for Attribute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One inference: `text[start..end]` (byte offsets on char boundaries) is the phrase that
/// states or infers `attribute`, and `cue` names the pattern that fired, for the evidence
/// shown next to a violation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Inference {
    pub attribute: Attribute,
    pub start: usize,
    pub end: usize,
    pub cue: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_serialize_lowercase_like_their_names() {
        for a in Attribute::ALL {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
            assert_eq!(serde_json::from_str::<Attribute>(&json).unwrap(), a);
        }
    }
}
