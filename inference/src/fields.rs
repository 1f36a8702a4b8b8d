//! Labelled fields in structured output: `Gender: female`, `Estimated age: 40-45`,
//! `"ethnicity": "Asian"`, `gender=female`, in English, German and French.
//!
//! A key counts only where a field starts (line start, after `{`, `,`, `;`, `|`, `:` or a
//! bullet), so "Minimum age: 21" and `max_age: 3600` are not ages. Values must be
//! values: `"gender": null`, "Ethnicity: not assessed" and "prefer not to say" are the
//! absence of an inference. Keys marked self-reported ("Gender (self-reported):") are
//! skipped, like self-identification in prose (see `guard`).

use crate::attribute::Attribute::{Age, Ethnicity, Gender};
use crate::guard::Tail;
use crate::pattern::{Pattern, Scope};
use crate::span::head_of;
use crate::vocab::{DECADE, decade_phrase, ethnic_in_frame};

const PREFIX: &str = r"(?:(?:estimated|inferred|likely|probable|predicted|perceived|apparent|presumed|assumed|guessed|approx(?:imate)?|est\.?)[\s_-]*)";
const SUFFIX: &str = r"(?:[\s_-]*(?:guess|estimate|estimated|inferred|prediction|predicted))";
/// Between key and value: an optional note in brackets, quotes, markdown bold, `:` or `=`.
const SEP: &str =
    r#"["']?(?:\s*\([^)\n]{0,30}\))?\s*["']?\s*(?:\*\*|__)?\s*[:=]\s*(?:\*\*|__)?\s*["']?\s*"#;

const NO_VALUE: &[&str] = &[
    "unknown",
    "unspecified",
    "n",
    "na",
    "n/a",
    "none",
    "null",
    "nil",
    "not",
    "no",
    "undisclosed",
    "prefer",
    "declined",
    "withheld",
    "redacted",
    "unavailable",
    "tbd",
    "unclear",
    "undetermined",
    "unbekannt",
    "keine",
    "inconnue",
    "inconnu",
    "other",
    "any",
    "all",
    "optional",
    "none_given",
];

pub(crate) fn patterns() -> Vec<Pattern> {
    let decades = decade_phrase();
    let gender_key = format!(r"(?:\b{PREFIX}?(?:gender|sex|geschlecht|sexe|genre){SUFFIX}?)");
    let age_key = format!(
        r"(?:\b{PREFIX}?(?:(?:candidate|applicant|customer|user|person|caller)[\s_-]*)?(?:age|alter)(?:[\s_-]*(?:estimate|estimated|guess|range|years|inferred|prediction|predicted))?|\b{PREFIX}age[\s_-]*(?:group|bracket|band)|âge|\b(?:dob|date[\s_-]+of[\s_-]+birth|birth[\s_-]*year|year[\s_-]+of[\s_-]+birth|birth[\s_-]*date|jahrgang))"
    );
    let ethnicity_key = format!(
        r"(?:\b{PREFIX}?(?:ethnicity|ethnic[\s_-]*(?:origin|background|group)|national[\s_-]*origin|ancestry|ethnische[\s_-]+herkunft|herkunft|origine[\s_-]+ethnique){SUFFIX}?|\b{PREFIX}nationality)"
    );
    vec![
        Pattern::new(
            Gender,
            "gender field",
            &format!(r"{gender_key}{SEP}(?:female|male|woman|man|f|m|w|d|non-?binary|nb|transgender|trans|feminine|masculine|weiblich|männlich|divers|féminin|masculin|femme|homme)\b"),
        )
        .needs(&["gender", "sex", "geschlecht", "genre"]),
        Pattern::new(
            Age,
            "age field",
            &format!(r"{age_key}{SEP}(?:~|≈|approx\.?\s*|about\s+|around\s+|circa\s+|ca\.\s*|c\.\s*|etwa\s+|environ\s+)?(?:(?:19|20)\d\d|\d{{1,3}}(?:\s*(?:-|–|to)\s*\d{{1,3}})?(?:\+|\s*-?ish\b)?|{decades}|{DECADE})"),
        )
        .needs(&["age", "alter", "âge", "Âge", "dob", "birth", "jahrgang"])
        .check(plausible_age),
        Pattern::new(
            Ethnicity,
            "ethnicity field",
            &format!(r"{ethnicity_key}{SEP}\p{{L}}[\p{{L}}'’ /-]{{0,40}}"),
        )
        .needs(&["ethnic", "origin", "ancestry", "nationality", "herkunft"])
        .check(has_value),
        // "race" is also a running race: its value must name a group.
        Pattern::new(
            Ethnicity,
            "ethnicity field",
            &format!(r"\b{PREFIX}?race(?:[\s_/-]*(?:and[\s_-]*)?ethnicity)?{SEP}{}", ethnic_in_frame()),
        )
        .needs(&["race"])
        .tail(Tail::Terminal),
    ]
    .into_iter()
    .map(|p| {
        let p = p.scope(Scope::Field);
        match p.check {
            Some(_) => p,
            None => p.check(field_start),
        }
    })
    .collect()
}

/// The key opens a field: only blanks, bullets, markdown and quotes stand between it and
/// a line start or a separator. It is not marked self-reported.
fn field_start(text: &str, start: usize, end: usize) -> bool {
    let before =
        text[..start].trim_end_matches([' ', '\t', '*', '_', '-', '•', '>', '"', '\'', '#']);
    let opens = matches!(
        before.chars().next_back(),
        None | Some('\n' | '\r' | ',' | ';' | '|' | '{' | '(' | '[' | ':')
    );
    let phrase = text[start..end].to_ascii_lowercase();
    let after = head_of(&text[end..], 30).to_ascii_lowercase();
    let self_reported = |s: &str| {
        ["self", "as stated", "declared", "provided by"]
            .iter()
            .any(|w| s.contains(w))
    };
    opens && !self_reported(&phrase) && !self_reported(after.trim_start_matches([' ', '"']))
}

/// An estimate of one person: up to 120 years, a range at most 15 wide ("18-65" is a
/// policy), and not a duration ("93 days").
fn plausible_age(text: &str, start: usize, end: usize) -> bool {
    let phrase = &text[start..end];
    let value = phrase.rsplit([':', '=']).next().unwrap_or(phrase);
    let numbers: Vec<u32> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let plausible = match numbers.as_slice() {
        [] => true,
        [year] if *year >= 1900 => true,
        [age] => *age <= 120,
        [low, high, ..] => *high <= 120 && high.saturating_sub(*low) <= 15,
    };
    let next = head_of(&text[end..], 12).trim_start().to_ascii_lowercase();
    let duration = [
        "day", "week", "month", "hour", "minute", "second", "ms", "sec", "min",
    ]
    .iter()
    .any(|u| next.starts_with(u));
    plausible && !duration && field_start(text, start, end)
}

/// Free-text values must not be a placeholder for "no value".
fn has_value(text: &str, start: usize, end: usize) -> bool {
    let phrase = &text[start..end];
    let value = phrase.rsplit([':', '=']).next().unwrap_or("");
    let first: String = value
        .trim_start_matches([' ', '"', '\'', '*', '_'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '/' || *c == '_')
        .flat_map(char::to_lowercase)
        .collect();
    !first.is_empty() && !NO_VALUE.contains(&first.as_str()) && field_start(text, start, end)
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    use crate::detector::attributes_in as found;

    #[test]
    fn labelled_fields_are_flagged() {
        use Attribute::*;
        assert_eq!(found("Gender: female"), [Gender]);
        assert_eq!(found("Estimated age: 40-45"), [Age]);
        assert_eq!(found("Ethnicity: Asian"), [Ethnicity]);
        assert_eq!(found(r#"{"gender": "male", "score": 3}"#), [Gender]);
        assert_eq!(
            found("Output: gender=female; age_estimate=41"),
            [Gender, Age]
        );
        assert_eq!(found("**Race:** White"), [Ethnicity]);
        assert_eq!(found("Geschlecht: weiblich, Alter: ca. 35"), [Gender, Age]);
        assert_eq!(
            found(r#"{"likely_ethnicity": "Hispanic/Latino"}"#),
            [Ethnicity]
        );
        assert_eq!(
            found(r#"{"age_estimate": "late 30s", "gender_guess": "F"}"#),
            [Gender, Age]
        );
        assert_eq!(found("Age guess: 50ish."), [Age]);
    }

    #[test]
    fn empty_self_reported_and_non_person_fields_are_not_flagged() {
        for text in [
            r#"{"gender": null, "age": null, "ethnicity": null}"#,
            "Gender: not assessed\nAge: not assessed\nEthnicity: not assessed",
            "Ethnicity: prefer not to say",
            r#"{"ethnicity": "unknown", "age": "n/a"}"#,
            "Gender (self-reported): female",
            "Minimum age: 21 for the alcohol add-on.",
            "Cache max_age: 3600 seconds.",
            "Age range: 18-65",
            "Age of the oldest unpaid invoice: 93 days.",
            "Race: 10K on Sunday",
            r#"{"ticket_age_days": 12}"#,
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
