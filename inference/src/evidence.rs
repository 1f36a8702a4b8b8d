//! Inference from indirect evidence: a name, an accent, a photo, a voice, a graduation
//! year. A lead ("the name suggests", "judging by the photo", "based on her accent")
//! opens a window on its sentence, and the attribute's values are looked for in that
//! window, before or after the lead ("likely of Polish descent, judging by the name").
//!
//! A lead alone is never reported: "inferring ethnicity from a surname is unreliable"
//! names no group, and "based on the photo you sent, the parcel is damaged" no attribute.

use regex::Regex;

use crate::attribute::{Attribute, Inference};
use crate::guard::{Guards, Tail};
use crate::pattern::compile;
use crate::span::{on_word_edges, sentence_around};
use crate::vocab::{
    ADULT_AGE, DECADE, EVIDENCE, ORIGIN_PLACE, decade_phrase, descent_phrase, ethnic_in_evidence,
    evidence_owner,
};

const INDICATE: &str = r"(?:suggests?|suggested|suggesting|indicates?|indicated|indicating|impl(?:y|ies|ied)|point(?:s|ed)?\s+to(?:wards?)?|hints?\s+at|signals?|reveals?|betrays?|is|are|was|looks?|looked|seems?|seemed|appears?|appeared|sounds?|sounded|gives?\s+(?:it\s+)?away|makes?\s+(?:him|her|them|it)|puts?\s+(?:him|her|them)|places?\s+(?:him|her|them)|would\s+(?:make|put|place)|fits?|matches|reads?\s+as|leads?\s+me\s+to|comes?\s+from|originates?)";

/// How far a window reaches from the lead, either side, within its sentence.
const REACH: usize = 160;

#[derive(Debug)]
struct Value {
    attribute: Attribute,
    cue: &'static str,
    regex: Regex,
}

#[derive(Debug)]
pub(crate) struct Evidence {
    lead: Regex,
    values: Vec<Value>,
}

impl Evidence {
    pub(crate) fn new() -> Evidence {
        let owner = evidence_owner();
        let lead = format!(
            r"(?:{owner}?\b{EVIDENCE}(?:\s*,?\s*[\w'’.-]+){{0,3}}?(?:\s*,)?\s+{INDICATE}\b|\b(?:judging|going)\s+(?:by|from)\s+{owner}?{EVIDENCE}\b|\bbased\s+(?:on|upon)\s+{owner}?{EVIDENCE}\b|\bby\s+the\s+(?:sound|look)s?\s+of\b|\bfrom\s+{owner}{EVIDENCE}\b|\b(?:given|considering)\s+{owner}{EVIDENCE}\b|\bwith\s+(?:a|that)\s+(?:name|surname|accent)\s+like\b)"
        );
        let decades = decade_phrase();
        let gender = r"\b(?:female|male|feminine|masculine|wom[ae]n|m[ae]n|lady|gentleman|girls?|boys?|guy)\b";
        let age = format!(
            r"\b(?:\d{{1,3}}[\s-]*(?:years?|yrs?)[\s-]*(?:old|of\s+age)|(?:in\s+(?:his|her|their)\s+)?{decades}|in\s+(?:his|her|their)\s+{DECADE}|(?:around|about|approximately|roughly|over|under|at\s+least|nearly|almost|close\s+to|past|older\s+than|younger\s+than)\s+{ADULT_AGE}|older|younger|elderly|middle[\s-]aged|young|teenager|teenage|retiree|retirement|millennial|boomer|born\s+(?:in\s+|around\s+)?(?:the\s+)?(?:19|20)\d\d)\b"
        );
        let ethnicity = format!(
            r"(?:\b{}|\b{}|\b(?:from|(?:somewhere\s+)?in)\s+{ORIGIN_PLACE}|\b(?:foreign|immigrant|non-?native)(?:[\s-]born)?)\b",
            descent_phrase(),
            ethnic_in_evidence()
        );
        let value = |attribute, cue, src: &str| Value {
            attribute,
            cue,
            regex: compile(src),
        };
        Evidence {
            lead: compile(&lead),
            values: vec![
                value(Attribute::Gender, "gender from evidence", gender),
                value(Attribute::Age, "age from evidence", &age),
                value(Attribute::Ethnicity, "ethnicity from evidence", &ethnicity),
            ],
        }
    }

    pub(crate) fn run(
        &self,
        (text, lower): (&str, &str),
        (from, to): (usize, usize),
        wanted: &[Attribute],
        guards: &Guards,
        out: &mut Vec<Inference>,
    ) {
        let mut at = from;
        while let Some(lead) = self.lead.find_at(&text[..to], at) {
            at = lead.end().max(lead.start() + 1);
            let (from, to) = sentence_around(text, lead.start(), lead.end(), REACH);
            for value in self.values.iter().filter(|v| wanted.contains(&v.attribute)) {
                if let Some((start, end)) =
                    first_value((text, lower), from, to, &value.regex, guards)
                {
                    out.push(Inference {
                        attribute: value.attribute,
                        start: start.min(lead.start()),
                        end: end.max(lead.end()),
                        cue: value.cue,
                    });
                }
            }
            if at >= to {
                break;
            }
        }
    }
}

/// The first value in `text[from..to]` that passes the context checks.
fn first_value(
    (text, lower): (&str, &str),
    from: usize,
    to: usize,
    regex: &Regex,
    guards: &Guards,
) -> Option<(usize, usize)> {
    let mut at = from;
    while at < to {
        let m = regex.find_at(&text[..to], at)?;
        let (start, end) = (m.start(), m.end());
        if on_word_edges(text, start, end)
            && guards.tail_ok(text, end, Tail::Terminal)
            && guards.prose_ok((text, lower), start, end)
        {
            return Some((start, end));
        }
        at = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    fn cues(text: &str) -> Vec<&'static str> {
        crate::detector::shared()
            .detect(text)
            .into_iter()
            .map(|i| i.cue)
            .collect()
    }

    #[test]
    fn values_after_a_lead_are_inferences_from_evidence() {
        assert!(cues("The name suggests Hispanic origin.").contains(&"ethnicity from evidence"));
        assert!(cues("His accent suggests he is Nigerian.").contains(&"ethnicity from evidence"));
        assert!(
            cues("Given her accent, the caller is probably from Brazil.")
                .contains(&"ethnicity from evidence")
        );
        assert!(
            cues("The name Aisha suggests the applicant is female.")
                .contains(&"gender from evidence")
        );
        assert!(
            cues("The graduation year suggests he is in his late 40s.")
                .contains(&"age from evidence")
        );
    }

    #[test]
    fn values_before_a_lead_count_too() {
        let found = crate::detector::shared().detect_only(
            "Likely Hispanic female, 25-34, based on name and zip code.",
            &[Attribute::Gender],
        );
        assert!(!found.is_empty());
    }

    #[test]
    fn leads_without_a_value_are_not_reported() {
        for text in [
            "The product name suggests a premium positioning.",
            "Based on the photo you sent, the parcel is damaged on two corners.",
            "Her accent is easy to understand; the call quality was the issue.",
            "Based on the name of the file, it's the March export.",
            "The accent suggests Spanish is his first language.",
            "It is not possible to tell from the photo whether the applicant is Asian.",
        ] {
            assert!(cues(text).is_empty(), "{text}: {:?}", cues(text));
        }
    }
}
