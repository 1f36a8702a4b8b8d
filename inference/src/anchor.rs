//! Anchors: for each attribute, the words at least one of which every one of its patterns
//! matches. Most outputs contain none, and then none of that attribute's patterns run;
//! otherwise they run only in windows around the anchors, not over the whole text.
//!
//! What makes this exact: every match of an attribute's patterns contains an anchor of
//! that attribute, at most `BEFORE` bytes after the match starts and `AFTER` bytes before
//! it ends. The first holds by construction (a new pattern needs its required words
//! here; the unit tests of each family run through the anchors and catch one that lacks
//! them). The second is a margin, not a proof: the longest reach on the corpus is 87
//! bytes before and 41 after, and only a frame stretched by a long apposition, a long
//! link and a coordination at once could exceed the margins. The detector's test
//! `anchors_change_no_result_on_the_corpus` compares against a full scan.

use regex::Regex;

use crate::attribute::Attribute;
use crate::pattern::compile;
use crate::span::{ceil_boundary, floor_boundary};
use crate::vocab::{
    AGE_ADJ, AGE_NOUN, DECADE, ETHNIC_GROUP, GENDER_NOUN, GENERATION, HEDGE, NATIONALITY,
    ORIGIN_PLACE, VERB,
};

/// How far a window reaches before an anchor: subject, apposition, link and coordination.
const BEFORE: usize = 200;
/// How far a window reaches after an anchor: the rest of a value and the lead of
/// indirect evidence that follows it.
const AFTER: usize = 120;

/// No anchor is longer than this ("advanced in years", "approximately 45").
const ANCHOR_MAX: usize = 64;

#[derive(Debug)]
pub(crate) struct Anchors {
    /// All anchors in one regex: one pass over the text finds every candidate.
    any: Regex,
    /// Each attribute's anchors, run only at the candidates to tell which they are.
    by_attribute: [Regex; 3],
}

impl Anchors {
    pub(crate) fn new() -> Anchors {
        let gender = format!(
            r"\b(?:{GENDER_NOUN}|women|men|girls|boys|females|males|feminine|masculine|frau|mann|weiblich|männlich|femme|homme|masculin)\b|féminin|(?:\b|_)(?:gender|sex|geschlecht|sexe|genre)(?:\b|_)"
        );
        // A number is an age only after a link, a hedge or a comparison ("is 45",
        // "roughly 45", "over 50", "puts her at 45"), before "years old", "ans" and "Jahre
        // alt", or as a decade ("40s").
        let age = format!(
            r"(?:\b(?:{VERB}|{HEDGE}|be|been|being|like|as|well|aged|between|than|least|close\s+to|over|under|above|below|past|pushing|approaching|barely|at|him|her|them|ca\.|etwa|unter|mitte|ende|anfang|environ|avoir)|über)\s+(?:1[6-9]|[2-9]\d|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b|['’]s\s+(?:1[6-9]|[2-9]\d)\b|\b(?:{AGE_ADJ}|{AGE_NOUN}|{GENERATION}|{DECADE}|old|of\s+age|\d+\s*(?:yo|y/o|y\.o\.)|elderly|retire\w*|pensionable|prime|side|getting\s+on|advanced\s+in\s+years|born|birth|dob|make|makes|making|made|put|puts|putting|place|places|placing|alt|jung|junge[rn]?|betagte[rn]?|jährige[rnms]?|jahrgang|geboren|rentner(?:in)?|seniorin|betagt|zwanzigern|dreißigern|vierzigern|fünfzigern|sechzigern|siebzigern|ans|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|septantaine|trentenaire)\b|(?:\b|_)(?:age|alter)(?:\b|_)|âge|älter|ältere[rn]?|jüngere[rn]?|génaire|\bnée?\s"
        );
        let ethnicity = format!(
            r"\b(?:{ETHNIC_GROUP}|black|white|{NATIONALITY}|{ORIGIN_PLACE}|mixed|foreign|immigrant|non-?native|ethnic\w*|race|ancestry|national\s+origin|herkunft|abstammung|migrationshintergrund|origine|wurzeln)\b|(?:\b|_)(?:ethnicity|race|ancestry|nationality)(?:\b|_)"
        );
        Anchors {
            any: compile(&format!("{gender}|{age}|{ethnicity}")),
            by_attribute: [compile(&gender), compile(&age), compile(&ethnicity)],
        }
    }

    /// For each attribute, the merged windows of `text` in which its patterns can match,
    /// in order; empty for an attribute not in `wanted`.
    pub(crate) fn windows(&self, text: &str, wanted: &[Attribute]) -> [Vec<(usize, usize)>; 3] {
        let mut windows: [Vec<(usize, usize)>; 3] = Default::default();
        let mut at = 0;
        while let Some(hit) = self.any.find_at(text, at) {
            for attribute in wanted {
                // Anchors of two attributes may overlap ("a young woman" has both): each
                // is checked at the candidate, and the search resumes one char on.
                // Bounded: an unanchored search for an attribute absent from the text
                // would scan to its end at every candidate, quadratic in the text.
                let bound = ceil_boundary(text, (hit.start() + ANCHOR_MAX).min(text.len()));
                let Some(m) =
                    self.by_attribute[*attribute as usize].find_at(&text[..bound], hit.start())
                else {
                    continue;
                };
                if m.start() != hit.start() {
                    continue;
                }
                let from = floor_boundary(text, m.start().saturating_sub(BEFORE));
                let to = ceil_boundary(text, (m.end() + AFTER).min(text.len()));
                let list = &mut windows[*attribute as usize];
                match list.last_mut() {
                    Some(last) if from <= last.1 => last.1 = last.1.max(to),
                    _ => list.push((from, to)),
                }
            }
            at = hit.start() + text[hit.start()..].chars().next().map_or(1, char::len_utf8);
        }
        windows
    }
}

/// Merges the windows of several attributes, for the families that serve them all.
pub(crate) fn union(mut windows: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for (from, to) in windows {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_anchors_has_no_windows() {
        let anchors = Anchors::new();
        let text = "The applicant has 5 years of experience and she asked for a refund.";
        assert!(
            anchors
                .windows(text, &Attribute::ALL)
                .iter()
                .all(Vec::is_empty)
        );
    }

    #[test]
    fn windows_cover_the_anchor_and_merge() {
        let anchors = Anchors::new();
        let text = format!(
            "{} she is probably a woman {}",
            "x ".repeat(300),
            "y ".repeat(300)
        );
        let [windows, ..] = anchors.windows(&text, &Attribute::ALL);
        assert_eq!(windows.len(), 1);
        let at = text.find("woman").unwrap();
        assert!(windows[0].0 + BEFORE >= at && windows[0].1 > at + 5);
        assert_eq!(union(vec![(0, 5), (10, 20), (3, 12)]), [(0, 20)]);
    }
}
