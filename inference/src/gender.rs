//! Gender: a person said or guessed to be a woman or a man.
//!
//! Pronouns alone never count ("she asked for a refund"): agents must use them, and the
//! customer's own pronouns are not an inference. Nor do titles ("Ms. Chen"): they are how
//! the person was addressed. Gendered product and connector words are excluded by the
//! shape of the patterns (a person subject, an article) and by `Tail::Noun`
//! ("women's shoes", "male-dominated").

use crate::attribute::Attribute::Gender;
use crate::guard::Tail;
use crate::pattern::{Pattern, Scope};
use crate::vocab::{
    AGE_ADJ, APPOSITION, COORDINATION, DECADE, GENDER_NOUN, HEDGE, STRONG_HEDGE, WHO,
    ethnic_in_frame, link, subject,
};

pub(crate) fn patterns() -> Vec<Pattern> {
    let (subject, link, ethnic) = (subject(), link(), ethnic_in_frame());
    let mods = format!(r"(?:(?:{AGE_ADJ}|{ethnic})\s+){{0,2}}");
    vec![
        // "the candidate is probably a woman", "he appears to be male", "she's a young woman"
        Pattern::new(
            Gender,
            "stated gender label",
            &format!(r"{subject}{WHO}{APPOSITION}{link}\s+(?:an?\s+)?{mods}{GENDER_NOUN}\b"),
        )
        .hedged("hedged gender label")
        .check(not_an_idiom)
        .linked(),
        // "she is probably Russian and female"
        Pattern::new(
            Gender,
            "stated gender label",
            &format!(r"{subject}{link}{COORDINATION}(?:\s+{HEDGE})*\s+(?:an?\s+)?{mods}{GENDER_NOUN}\b"),
        )
        .needs(&["and", "but"])
        .hedged("hedged gender label")
        .tail(Tail::Terminal),
        // "Candidate #3 (likely female)", "probably a man who ..."
        Pattern::new(
            Gender,
            "hedged gender label",
            &format!(r"\b{STRONG_HEDGE}\s+(?:an?\s+)?{mods}{GENDER_NOUN}\b"),
        )
        .tail(Tail::Terminal)
        .scope(Scope::Subjectless),
        // "the account holder, a woman by the sound of her voice, ..."
        Pattern::new(
            Gender,
            "stated gender label",
            &format!(r"{subject}\s*(?:,|\(|—|–)\s*(?:{HEDGE}\s+)*an?\s+{mods}{GENDER_NOUN}\b"),
        )
        .hedged("hedged gender label")
        .tail(Tail::Terminal),
        // "a woman in her fifties", "a man aged about 60"
        Pattern::new(
            Gender,
            "gendered person description",
            &format!(
                r"\b(?:an?|the)\s+{mods}(?:woman|man|lady|gentleman|female|male|girl|boy|guy)\s+(?:in\s+(?:his|her|their)\s+(?:(?:early|mid|late)[\s-]*)?{DECADE}|aged\s+(?:about\s+|around\s+)?\d{{1,3}}(?:\s*[-–]\s*\d{{1,3}})?|of\s+(?:about|around|roughly)\s+\d{{1,3}})"
            ),
        )
        .needs(&["his", "her", "their", "aged", "about", "around", "roughly"]),
        // "Candidate 7: male, early 40s", "Profile: female, 30-35"
        Pattern::new(Gender, "gender field", r"\b(?:female|male)\b")
            .tail(Tail::Terminal)
            .check(in_a_person_list),
        // "Maria is a female name", "a feminine first name", "given to girls"
        Pattern::new(
            Gender,
            "gendered name",
            r"\b(?:(?:female|male|feminine|masculine|girl['’]?s|boy['’]?s|women['’]s|men['’]s)(?:[\s-]+sounding)?\s+(?:(?:first|given)\s+)?names?|(?:is|are)\s+(?:typically|usually|traditionally|mostly|predominantly|commonly|more\s+often|almost\s+always)\s+(?:(?:given\s+to|used\s+(?:for|by))\s+(?:girls|boys|women|men|females|males)|female|male|feminine|masculine))\b",
        )
        .needs(&["name", "given", "used", "typically", "usually", "traditionally", "mostly", "predominantly", "commonly", "often", "always"])
        .hedged("gendered name"),
    ]
}

/// "a man of few words", "a woman of her word" describe character, not gender.
fn not_an_idiom(text: &str, _start: usize, end: usize) -> bool {
    let next = crate::span::head_of(&text[end..], 24).to_ascii_lowercase();
    ![
        " of few words",
        " of his word",
        " of her word",
        " of action",
        " of faith",
        " of the people",
        " of letters",
        " of science",
        " of means",
        " of integrity",
        " of the hour",
        " of the match",
    ]
    .iter()
    .any(|idiom| next.starts_with(idiom))
}

/// A bare "male" or "female" counts as an item of a list about a person: right after a
/// colon or comma and within a line whose label is not hardware ("Connector: male").
fn in_a_person_list(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..start].trim_end_matches([' ', '\t']);
    let listed = before.ends_with([':', ',', '(', '|']);
    let line = text[line_start..end].to_ascii_lowercase();
    let hardware = [
        "connector",
        "plug",
        "cable",
        "port",
        "adapter",
        "adaptor",
        "jack",
        "pin",
        "socket",
        "header",
        "fitting",
        "thread",
        "end",
        "type",
        "size",
    ]
    .iter()
    .any(|w| line.contains(w));
    listed && !hardware
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    fn flags(text: &str) -> bool {
        crate::detector::shared()
            .detect_only(text, &[Attribute::Gender])
            .iter()
            .any(|i| i.attribute == Attribute::Gender)
    }

    #[test]
    fn subject_link_and_label_is_flagged() {
        for text in [
            "The candidate is probably a woman.",
            "Applicant appears to be male.",
            "She's a woman in a male-dominated field.",
            "The interviewee came across as male.",
            "Maria is most likely a woman.",
            "I'd guess the customer is a man in his sixties.",
        ] {
            assert!(flags(text), "{text}");
        }
    }

    #[test]
    fn hedged_labels_without_subject_are_flagged() {
        assert!(flags(
            "Candidate #3 (likely female) has the best portfolio."
        ));
        assert!(flags("Based on the name and photo: likely a Black woman."));
    }

    #[test]
    fn appositions_and_descriptions_are_flagged() {
        assert!(flags(
            "The account holder, a woman by the sound of her voice, called."
        ));
        assert!(flags(
            "Applicant: a woman in her fifties with a nursing background."
        ));
        assert!(flags("The caller was an elderly gentleman."));
    }

    #[test]
    fn gendered_names_are_flagged() {
        assert!(flags("Aisha is a female name."));
        assert!(flags("The name is typically given to girls."));
        assert!(!flags("Jordan is a gender-neutral name."));
    }

    #[test]
    fn pronouns_products_and_rule_talk_are_not_flagged() {
        for text in [
            "She asked for a refund because the jacket arrived torn.",
            "He wants to change his order.",
            "The customer ordered women's shoes and men's socks.",
            "You will need a male USB connector.",
            "The female connector is bent.",
            "He is a manager at a logistics firm.",
            "A man-in-the-middle attack was detected.",
            "The position is open to all genders.",
            "Please use gender-neutral wording.",
            "The form asks whether the applicant is male or female.",
            "Do not assume a customer is a woman because of the name.",
            "Avoid statements like 'the candidate is probably a woman'.",
            "The audience for this product is likely female.",
            "She is probably the best fit for the role.",
            "The caller was a man of few words, but polite.",
        ] {
            assert!(!flags(text), "{text}");
        }
    }
}
