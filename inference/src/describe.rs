//! Person descriptions: an article, attribute adjectives and a person noun, as in "an
//! older applicant", "a young mother", "a 45-year-old Hispanic man", "an Asian woman".
//! One phrase can carry several attributes, so this family classifies its modifiers
//! instead of being one pattern per attribute.
//!
//! Only singular phrases with an article count: "older workers" and "young people" are
//! populations, and "elderly customer" without an article is left to the other families
//! (a known miss). A head noun followed by another noun is a compound, not a person:
//! "the young customer segment", "an older user interface".

use regex::Regex;

use crate::attribute::{Attribute, Inference};
use crate::guard::{Guards, Tail};
use crate::pattern::compile;
use crate::span::{head_of, on_word_edges};
use crate::vocab::{AGE_ADJ, ETHNIC_GROUP, NATIONALITY, PERSON_NOUN};

const GENDER_HEAD: &str = r"(?:woman|man|lady|gentleman|girl|boy|guy|gal)";
const OTHER_HEAD: &str = r"(?:mother|father|mum|mom|dad|parent|grandmother|grandfather|grandma|grandpa|widow|widower|retiree|pensioner|professional|graduate|couple)";
/// Heads with which a nationality is about a market rather than a person's origin.
const MARKET_HEADS: &[&str] = &[
    "customer",
    "user",
    "client",
    "buyer",
    "shopper",
    "subscriber",
    "seller",
    "owner",
    "founder",
    "prospect",
    "lead",
    "contact",
];
const COMPOUND_NEXT: &[&str] = &[
    "segment",
    "segments",
    "base",
    "demographic",
    "demographics",
    "market",
    "persona",
    "account",
    "portal",
    "data",
    "journey",
    "support",
    "service",
    "experience",
    "discount",
    "program",
    "programme",
    "pricing",
    "plan",
    "tier",
    "rate",
    "card",
    "flow",
    "interface",
    "version",
    "model",
    "population",
    "cohort",
    "group",
    "category",
    "profile",
];

#[derive(Debug)]
pub(crate) struct Descriptions {
    phrase: Regex,
    age: Regex,
    old: Regex,
    gender: Regex,
    ethnic_group: Regex,
    nationality: Regex,
    gender_head: Regex,
}

impl Descriptions {
    pub(crate) fn new() -> Descriptions {
        let modifier = format!(
            r"(?:{AGE_ADJ}|old|female|male|{ETHNIC_GROUP}|black|white|{NATIONALITY}(?:[\s-]american)?)"
        );
        Descriptions {
            phrase: compile(&format!(
                r"\b(?:a|an|the|this|that)\s+(?:{modifier}\s+){{1,3}}(?:{PERSON_NOUN}|{GENDER_HEAD}|{OTHER_HEAD})\b"
            )),
            age: compile(&format!(r"\b{AGE_ADJ}\b")),
            old: compile(r"\bold\b"),
            gender: compile(r"\b(?:female|male)\b"),
            ethnic_group: compile(&format!(
                r"\b(?:{ETHNIC_GROUP}|black|white|{NATIONALITY}[\s-]american)\b"
            )),
            nationality: compile(&format!(r"\b{NATIONALITY}\b")),
            gender_head: compile(&format!(r"\b{GENDER_HEAD}$")),
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
        while let Some(m) = self.phrase.find_at(&text[..to], at) {
            let (start, end) = (m.start(), m.end());
            let found = self.classify(m.as_str());
            let accepted = found.iter().any(|&(a, _)| wanted.contains(&a))
                && on_word_edges(text, start, end)
                && guards.tail_ok(text, end, Tail::Noun)
                && !is_compound(text, end)
                && guards.prose_ok((text, lower), start, end);
            if accepted {
                out.extend(found.into_iter().filter(|(a, _)| wanted.contains(a)).map(
                    |(attribute, cue)| Inference {
                        attribute,
                        start,
                        end,
                        cue,
                    },
                ));
                at = end;
            } else {
                at = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
            if at >= to {
                break;
            }
        }
    }

    /// The attributes a phrase such as "a 45-year-old Hispanic man" carries.
    fn classify(&self, phrase: &str) -> Vec<(Attribute, &'static str)> {
        let head = phrase
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let gendered_head = self.gender_head.is_match(phrase);
        let mut found = Vec::with_capacity(3);
        // "an old friend", "the old customer portal": "old" speaks of a person's age only
        // next to a gendered noun.
        if self.age.is_match(phrase) || (gendered_head && self.old.is_match(phrase)) {
            found.push((Attribute::Age, "aged person description"));
        }
        let market = MARKET_HEADS.contains(&head.as_str());
        if self.ethnic_group.is_match(phrase) || (!market && self.nationality.is_match(phrase)) {
            found.push((Attribute::Ethnicity, "ethnic person description"));
        }
        if self.gender.is_match(phrase) || (gendered_head && !found.is_empty()) {
            found.push((Attribute::Gender, "gendered person description"));
        }
        found
    }
}

fn is_compound(text: &str, end: usize) -> bool {
    let next = head_of(&text[end..], 20).trim_start_matches([' ', '\t']);
    let word: String = next
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    COMPOUND_NEXT.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    use crate::detector::attributes_in as attributes;

    #[test]
    fn descriptions_carry_each_attribute_they_state() {
        use Attribute::*;
        assert_eq!(attributes("An older applicant like this one."), [Age]);
        assert_eq!(
            attributes("A young mother, she asked about strollers."),
            [Age]
        );
        assert_eq!(
            attributes("The 24-year-old candidate lacks experience."),
            [Age]
        );
        assert_eq!(
            attributes("An Asian applicant with this profile."),
            [Ethnicity]
        );
        assert_eq!(
            attributes("The candidate is a 45-year-old Hispanic man."),
            [Gender, Age, Ethnicity]
        );
        assert_eq!(attributes("The caller was a teenage girl."), [Gender, Age]);
    }

    #[test]
    fn products_markets_populations_and_compounds_are_not_descriptions() {
        for text in [
            "Our young company is growing fast.",
            "A Mexican restaurant opened nearby.",
            "The female connector on the cable is bent.",
            "Upgrade older devices to iOS 17.",
            "Young people and older workers are both welcome.",
            "The young customer segment churns more.",
            "A German customer ordered 40 units.",
            "He is an old friend of the founder.",
            "The senior analyst will mentor the junior analyst.",
        ] {
            assert!(attributes(text).is_empty(), "{text}");
        }
    }
}
