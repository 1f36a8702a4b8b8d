//! Ethnicity, race and national origin: a person said or guessed to belong to a group,
//! to descend from one, or to come from a country.
//!
//! Nationality words are also language, cuisine and market words ("speaks Spanish",
//! "Mexican restaurant", "Asian markets"), so they count only inside a frame about a
//! person and must end their phrase (`Tail::Terminal`): "is German" counts, "is a German
//! citizen" (work authorisation) and "is German-speaking" do not. Where someone lives or
//! was born is not flagged unless inferred from evidence ("his accent suggests he is from
//! Nigeria", see `evidence`).

use crate::attribute::Attribute::Ethnicity;
use crate::guard::Tail;
use crate::pattern::{Pattern, Scope};
use crate::vocab::{
    APPOSITION, COORDINATION, DESCENT, HEDGE, NAME, ORIGIN_PLACE, PERSON_NOUN, STRONG_HEDGE, WHO,
    descent_phrase, ethnic_in_evidence, ethnic_in_frame, ethnic_standalone, link, subject,
};

pub(crate) fn patterns() -> Vec<Pattern> {
    let (subject, link) = (subject(), link());
    let (framed, standalone, named) =
        (ethnic_in_frame(), ethnic_standalone(), ethnic_in_evidence());
    let descent = descent_phrase();
    let owner = format!(r"(?:\b(?:his|her|their)|\b{PERSON_NOUN}['’]s|{NAME}['’]s)");
    vec![
        // "the candidate is probably Middle Eastern", "he seems to be of Indian descent"
        Pattern::new(
            Ethnicity,
            "stated ethnicity",
            &format!(r"{subject}{WHO}{APPOSITION}{link}\s+(?:an?\s+)?(?:{descent}|{framed}(?:\s+{DESCENT})?)\b"),
        )
        .hedged("hedged ethnicity label")
        .tail(Tail::Terminal),
        // "he is 45 and probably Hispanic"
        Pattern::new(
            Ethnicity,
            "stated ethnicity",
            &format!(r"{subject}{link}{COORDINATION}(?:\s+{HEDGE})*\s+(?:an?\s+)?(?:{descent}|{framed})\b"),
        )
        .needs(&["and", "but"])
        .hedged("hedged ethnicity label")
        .tail(Tail::Terminal),
        // "likely Hispanic", "probably of Polish descent", "likely Mexican-American"
        Pattern::new(
            Ethnicity,
            "hedged ethnicity label",
            &format!(r"\b{STRONG_HEDGE}\s+(?:an?\s+)?(?:{descent}|{standalone}(?:\s+{DESCENT})?)\b"),
        )
        .tail(Tail::Terminal)
        .scope(Scope::Subjectless),
        // "the applicant, probably Filipino by the name, ..."
        Pattern::new(
            Ethnicity,
            "hedged ethnicity label",
            &format!(r"{subject}\s*(?:,|\(|—|–)\s*(?:{HEDGE}\s+)+(?:an?\s+)?(?:{descent}|{framed})\b"),
        )
        .tail(Tail::Terminal),
        // "of West African descent", "of Polish extraction"
        Pattern::new(
            Ethnicity,
            "descent or origin",
            &format!(r"\bof\s+(?:{named}|mixed|foreign|immigrant)\s+(?:descent|extraction|ancestry|lineage)\b"),
        )
        .needs(&["descent", "extraction", "ancestry", "lineage"]),
        // "a woman of South Asian heritage", "the applicant, a man of Turkish origin"
        Pattern::new(
            Ethnicity,
            "descent or origin",
            &format!(r"\b(?:woman|man|lady|gentleman|girl|boy|guy|someone|{PERSON_NOUN})\s+of\s+{framed}\s+(?:heritage|origins?|background|roots|descent|extraction|ancestry)\b"),
        )
        .needs(&["heritage", "origin", "background", "roots", "descent", "extraction", "ancestry"]),
        // "a Hispanic-sounding name", "Kowalski is a Polish surname"
        Pattern::new(
            Ethnicity,
            "ethnic-sounding name",
            &format!(r"\b(?:(?:{named}|foreign|ethnic|non-?(?:english|western|european|anglo))[\s-]+sounding\s+(?:(?:first|last|family|given)\s+)?(?:sur)?names?|(?:a|an|the)\s+(?:(?:typically|traditionally|common(?:ly)?|distinctly|classic(?:ally)?|typical|very|obviously|clearly|stereotypically)\s+)?{named}\s+(?:(?:first|last|family|given)\s+)?(?:sur)?name)\b"),
        )
        .needs(&["name"]),
        // "a thick Russian accent"
        Pattern::new(
            Ethnicity,
            "accent attribution",
            &format!(r"\ban?\s+(?:(?:strong|thick|heavy|slight|faint|noticeable|distinct(?:ive)?|clear|light|mild|obvious|pronounced|recogni[sz]able|unmistakable)\s+)?{framed}\s+accent\b"),
        )
        .needs(&["accent"])
        .check(accent_of_a_person),
        // "he comes from an Arab family", "she is originally from Nigeria"
        Pattern::new(
            Ethnicity,
            "origin statement",
            &format!(r"{subject}(?:\s+{HEDGE})*\s+(?:comes?|came|hails?|hailed|originates?|originated|descends?|descended)\s+from\s+(?:an?\s+)?(?:{framed}|{ORIGIN_PLACE})\b"),
        )
        .needs(&["from"])
        .tail(Tail::Terminal),
        Pattern::new(
            Ethnicity,
            "origin statement",
            &format!(r"{subject}{link}\s+originally\s+from\s+{ORIGIN_PLACE}\b"),
        )
        .needs(&["originally"])
        .tail(Tail::Terminal),
        // "the candidate's ethnicity is probably Indian"
        Pattern::new(
            Ethnicity,
            "stated ethnicity",
            &format!(r"{owner}\s+(?:(?:estimated|apparent|likely|probable|perceived|inferred)\s+)?(?:ethnicity|ethnic\s+(?:origin|background|group)|race|heritage|ancestry|origins?|background|roots|nationality)\s+(?:is|are|seems|appears|looks|would\s+be|might\s+be|may\s+be|could\s+be|must\s+be)(?:\s+(?:{HEDGE}|to\s+be|like))*\s+(?:of\s+)?(?:an?\s+)?{framed}\b"),
        )
        .needs(&["ethnic", "race", "heritage", "ancestry", "origin", "background", "roots", "nationality"])
        .hedged("hedged ethnicity label")
        .tail(Tail::Terminal),
    ]
}

/// "a French accent keyboard" and "an Italian accent colour" are design words.
fn accent_of_a_person(text: &str, _start: usize, end: usize) -> bool {
    let next = crate::span::head_of(&text[end..], 16)
        .trim_start()
        .to_ascii_lowercase();
    !["keyboard", "mark", "character", "colour", "color", "key"]
        .iter()
        .any(|w| next.starts_with(w))
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    fn flags(text: &str) -> bool {
        !crate::detector::shared()
            .detect_only(text, &[Attribute::Ethnicity])
            .is_empty()
    }

    #[test]
    fn labels_about_a_person_are_flagged() {
        for text in [
            "The candidate is probably Middle Eastern, given the surname.",
            "He seems to be of Indian descent.",
            "Interview notes: the applicant is Black, well-spoken.",
            "Mr. Okonkwo is likely of Nigerian origin.",
            "Customer looks Caucasian in the ID photo.",
            "The candidate's ethnicity is probably Indian.",
            "He comes from an Arab family.",
        ] {
            assert!(flags(text), "{text}");
        }
    }

    #[test]
    fn hedges_names_and_accents_are_flagged() {
        for text in [
            "Notes: native Spanish speaker, likely Mexican-American.",
            "The applicant, probably Filipino by the name, has BPO experience.",
            "She has a Hispanic-sounding name.",
            "Kowalski is a Polish surname.",
            "The caller had a thick Russian accent.",
            "The account owner is of West African descent.",
        ] {
            assert!(flags(text), "{text}");
        }
    }

    #[test]
    fn places_languages_products_and_citizenship_are_not_flagged() {
        for text in [
            "Recommend the Mexican restaurant on 5th Street.",
            "Asian markets rallied overnight.",
            "The supplier is based in Mexico City.",
            "The candidate speaks Spanish fluently.",
            "Join us for Hispanic Heritage Month events.",
            "The Black Friday campaign increased conversions.",
            "The customer is German-speaking.",
            "The candidate is a German citizen, so no visa is required.",
            "The cable is probably black.",
            "The black model is out of stock; the white one ships tomorrow.",
            "Our French customers prefer invoices in euros.",
            "Inferring ethnicity from a surname is unreliable.",
            "Her background is in finance.",
            "The applicant self-identified as Hispanic on the EEO form.",
        ] {
            assert!(!flags(text), "{text}");
        }
    }
}
