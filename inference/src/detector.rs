//! The detector: every pattern family, compiled once, run over one text, with overlapping
//! findings of the same attribute resolved.

use std::fmt;

use crate::anchor::{Anchors, union};
use crate::attribute::{Attribute, Inference};
use crate::describe::Descriptions;
use crate::evidence::Evidence;
use crate::guard::Guards;
use crate::pattern::Pattern;
use crate::{age, ethnicity, fields, gender, locale};

/// Finds the phrases of an LLM output that state or infer a person's gender, age or
/// ethnicity. Build it once and share it (in an `Arc`): compiling the patterns takes
/// about a quarter of a second in a release build, and it is `Send + Sync` with every
/// method taking `&self`.
pub struct Detector {
    patterns: Vec<Pattern>,
    anchors: Anchors,
    descriptions: Descriptions,
    evidence: Evidence,
    guards: Guards,
}

impl Detector {
    pub fn new() -> Detector {
        let patterns = [
            gender::patterns(),
            age::patterns(),
            ethnicity::patterns(),
            fields::patterns(),
            locale::patterns(),
        ]
        .into_iter()
        .flatten()
        .collect();
        Detector {
            patterns,
            anchors: Anchors::new(),
            descriptions: Descriptions::new(),
            evidence: Evidence::new(),
            guards: Guards::new(),
        }
    }

    /// Every inference in `text`, of any attribute, sorted by start.
    pub fn detect(&self, text: &str) -> Vec<Inference> {
        self.detect_only(text, &Attribute::ALL)
    }

    /// The inferences of the `wanted` attributes only; the other families do not run.
    pub fn detect_only(&self, text: &str, wanted: &[Attribute]) -> Vec<Inference> {
        let mut out = Vec::new();
        let windows = self.anchors.windows(text, wanted);
        let present: Vec<Attribute> = Attribute::ALL
            .into_iter()
            .filter(|&a| !windows[a as usize].is_empty())
            .collect();
        if present.is_empty() {
            return out;
        }
        let lower = text.to_ascii_lowercase();
        let text = (text, lower.as_str());
        for pattern in &self.patterns {
            for &window in &windows[pattern.attribute as usize] {
                pattern.run(text, window, &self.guards, &mut out);
            }
        }
        for window in union(windows.concat()) {
            self.descriptions
                .run(text, window, &present, &self.guards, &mut out);
            self.evidence
                .run(text, window, &present, &self.guards, &mut out);
        }
        resolve_overlaps(&mut out);
        out
    }
}

impl Default for Detector {
    fn default() -> Detector {
        Detector::new()
    }
}

impl fmt::Debug for Detector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detector")
            .field("patterns", &self.patterns.len())
            .finish_non_exhaustive()
    }
}

/// Several families often match one phrase ("based on the name, she is likely of Polish
/// descent" is evidence, a hedged label and a descent phrase). Per attribute, the
/// earliest (then longest) match wins and the ones overlapping it are dropped.
fn resolve_overlaps(found: &mut Vec<Inference>) {
    found.sort_by(|a, b| {
        (a.start, a.attribute, std::cmp::Reverse(a.end)).cmp(&(
            b.start,
            b.attribute,
            std::cmp::Reverse(b.end),
        ))
    });
    let mut reach = [0usize; 3];
    found.retain(|i| {
        let slot = &mut reach[i.attribute as usize];
        if i.start < *slot {
            return false;
        }
        *slot = i.end;
        true
    });
}

/// One detector for all unit tests: compiling the patterns in a debug build takes long
/// enough that a fresh detector per assertion would dominate the test run.
#[cfg(test)]
pub(crate) fn shared() -> &'static Detector {
    static DETECTOR: std::sync::LazyLock<Detector> = std::sync::LazyLock::new(Detector::new);
    &DETECTOR
}

/// The attributes the shared detector finds in `text`, each once, sorted.
#[cfg(test)]
pub(crate) fn attributes_in(text: &str) -> Vec<crate::Attribute> {
    let mut found: Vec<_> = shared()
        .detect(text)
        .into_iter()
        .map(|i| i.attribute)
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detector_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Detector>();
    }

    #[test]
    fn overlapping_findings_of_one_attribute_collapse_to_one() {
        let found =
            shared().detect("Judging by the name, the applicant is likely of Asian descent.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].attribute, Attribute::Ethnicity);
    }

    #[test]
    fn offsets_are_on_char_boundaries_and_in_order() {
        let text = "Zoë — the applicant — is probably a woman. “The name suggests Hispanic origin.” 😀 She is 45 years old.";
        let found = shared().detect(text);
        assert!(found.len() >= 3, "{found:?}");
        for i in &found {
            assert!(text.is_char_boundary(i.start) && text.is_char_boundary(i.end));
            assert!(i.start < i.end);
        }
        assert!(found.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn detect_only_skips_unwanted_attributes() {
        let text = "The candidate is a 45-year-old Hispanic man.";
        let found = shared().detect_only(text, &[Attribute::Age]);
        assert!(!found.is_empty());
        assert!(found.iter().all(|i| i.attribute == Attribute::Age));
        assert!(shared().detect_only(text, &[]).is_empty());
    }

    /// The anchors only skip work: scanning every pattern over the whole text finds the
    /// same inferences on every corpus line.
    #[test]
    fn anchors_change_no_result_on_the_corpus() {
        let d = shared();
        for line in include_str!("../tests/corpus.jsonl").lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = value["text"].as_str().unwrap();
            let whole = (0, text.len());
            let lower = text.to_ascii_lowercase();
            let mut full = Vec::new();
            for pattern in &d.patterns {
                pattern.run((text, &lower), whole, &d.guards, &mut full);
            }
            d.descriptions
                .run((text, &lower), whole, &Attribute::ALL, &d.guards, &mut full);
            d.evidence
                .run((text, &lower), whole, &Attribute::ALL, &d.guards, &mut full);
            resolve_overlaps(&mut full);
            assert_eq!(d.detect(text), full, "{text}");
        }
    }

    #[test]
    fn empty_and_plain_text_yield_nothing() {
        let d = shared();
        assert!(d.detect("").is_empty());
        assert!(
            d.detect("The applicant has 5 years of experience in B2B sales.")
                .is_empty()
        );
    }
}
