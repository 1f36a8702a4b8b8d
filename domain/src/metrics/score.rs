//! Scores and feedback on interactions (Langfuse's scores are the model): a number or a
//! category with a name, from a user, an evaluator or a human reviewer. `quality` (0..1)
//! feeds the agent's quality score; `satisfaction` (thumbs 0/1, or a 1-5 rating) feeds user
//! satisfaction, scaled to 0..1; any other name is kept and its numbers rolled up too.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    /// The end user (thumbs, stars).
    User,
    /// An automatic evaluator (LLM as a judge, a heuristic).
    Evaluator,
    /// A person reviewing the interaction.
    Human,
}

impl ScoreSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreSource::User => "user",
            ScoreSource::Evaluator => "evaluator",
            ScoreSource::Human => "human",
        }
    }

    pub fn parse(text: &str) -> Option<ScoreSource> {
        [
            ScoreSource::User,
            ScoreSource::Evaluator,
            ScoreSource::Human,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A score as sent to `POST /api/v1/scores`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewScore {
    pub trace_id: String,
    #[serde(default)]
    pub span_id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    pub source: ScoreSource,
    /// For `satisfaction`: `5` for a 1-5 rating, `1` for thumbs (0 or 1); by default a 0 or
    /// a 1 is thumbs and 2 to 5 a rating.
    #[serde(default)]
    pub scale: Option<u8>,
}

/// A stored score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub id: i64,
    pub trace_id: String,
    pub span_id: Option<String>,
    /// `None` while neither the trace nor the key has named it.
    pub agent: Option<String>,
    pub name: String,
    pub value: Option<f64>,
    pub label: Option<String>,
    /// What the metrics use (satisfaction scaled to 0..1); `None` for a category.
    pub normalized: Option<f64>,
    pub comment: Option<String>,
    pub source: ScoreSource,
    pub created_by: String,
    pub created_at: i64,
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks a score and tidies it (ids lowercased, text trimmed); returns the value the
/// metrics use. The message says what is wrong.
pub fn validate(score: &mut NewScore) -> Result<Option<f64>, String> {
    score.trace_id = score.trace_id.trim().to_ascii_lowercase();
    if !is_hex(&score.trace_id, 32) {
        return Err("trace_id must be 32 hex digits".into());
    }
    if let Some(span) = &mut score.span_id {
        *span = span.trim().to_ascii_lowercase();
        if !is_hex(span, 16) {
            return Err("span_id must be 16 hex digits".into());
        }
    }
    score.name = score.name.trim().to_string();
    let name_ok = !score.name.is_empty()
        && score.name.len() <= 64
        && score
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
    if !name_ok {
        return Err("name is 1 to 64 characters of a-z, 0-9, _ . -".into());
    }
    if score
        .comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > 2_000)
    {
        return Err("comment is at most 2000 characters".into());
    }
    match (score.value, score.label.as_deref()) {
        (Some(_), Some(_)) | (None, None) => {
            return Err("a score has a value (a number) or a label (a category), not both".into());
        }
        (None, Some(label)) if label.trim().is_empty() || label.chars().count() > 100 => {
            return Err("label is 1 to 100 characters".into());
        }
        (None, Some(_)) => return Ok(None),
        (Some(v), None) if !v.is_finite() => return Err("value must be a finite number".into()),
        (Some(_), None) => {}
    }
    let v = score.value.unwrap_or_default();
    match score.name.as_str() {
        "quality" if (0.0..=1.0).contains(&v) => Ok(Some(v)),
        "quality" => Err("quality is from 0 to 1".into()),
        "satisfaction" => match score.scale {
            None | Some(1) if v == 0.0 || v == 1.0 => Ok(Some(v)),
            None | Some(5) if (1.0..=5.0).contains(&v) => Ok(Some((v - 1.0) / 4.0)),
            Some(1) => Err("thumbs are 0 or 1".into()),
            Some(5) | None => Err("satisfaction is 0 or 1 (thumbs) or from 1 to 5".into()),
            Some(_) => Err("scale is 1 (thumbs) or 5 (a 1-5 rating)".into()),
        },
        _ => Ok(Some(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(name: &str, value: Option<f64>, label: Option<&str>) -> NewScore {
        NewScore {
            trace_id: "4BF92F3577B34DA6A3CE929D0E0E4736".into(),
            span_id: None,
            name: name.into(),
            value,
            label: label.map(str::to_string),
            comment: None,
            source: ScoreSource::User,
            scale: None,
        }
    }

    #[test]
    fn satisfaction_is_scaled_to_a_fraction_and_quality_kept() {
        let norm = |mut s: NewScore| validate(&mut s);
        assert_eq!(norm(score("satisfaction", Some(1.0), None)), Ok(Some(1.0)));
        assert_eq!(norm(score("satisfaction", Some(0.0), None)), Ok(Some(0.0)));
        assert_eq!(norm(score("satisfaction", Some(4.0), None)), Ok(Some(0.75)));
        let mut one_star = score("satisfaction", Some(1.0), None);
        one_star.scale = Some(5);
        assert_eq!(norm(one_star), Ok(Some(0.0)));
        assert_eq!(norm(score("quality", Some(0.8), None)), Ok(Some(0.8)));
        assert!(norm(score("quality", Some(1.5), None)).is_err());
        assert!(norm(score("satisfaction", Some(7.0), None)).is_err());
        assert_eq!(norm(score("tone", None, Some("friendly"))), Ok(None));
        assert_eq!(norm(score("latency_ok", Some(12.0), None)), Ok(Some(12.0)));
    }

    #[test]
    fn bad_scores_are_refused_with_what_is_wrong() {
        let err = |mut s: NewScore| validate(&mut s).unwrap_err();
        assert!(err(score("quality", None, None)).contains("value"));
        assert!(err(score("quality", Some(0.5), Some("x"))).contains("not both"));
        assert!(err(score("Bad Name", Some(1.0), None)).contains("name"));
        let mut bad = score("quality", Some(0.5), None);
        bad.trace_id = "xyz".into();
        assert!(err(bad).contains("trace_id"));
        let mut ok = score("quality", Some(0.5), None);
        validate(&mut ok).unwrap();
        assert_eq!(ok.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
