//! Age: a person's age in years or decades, an age group, a birth year, or their age
//! used as a reason.
//!
//! Numbers are the hard part: agent outputs are full of them ("5 years of experience",
//! "a 10-year warranty", "ages 18-65"). A bare number only counts right after a person
//! and a link verb and must end its phrase ("the user is 19 and ..."), "years old" only
//! after a person, and ranges only when narrow enough to be an estimate of one person.

use crate::attribute::Attribute::Age;
use crate::guard::Tail;
use crate::pattern::{Pattern, Scope};
use crate::span::head_of;
use crate::vocab::{
    ADULT_AGE, AGE_ADJ, AGE_NOUN, APPOSITION, COORDINATION, DECADE, GENERATION, HEDGE, NAME,
    PERSON_NOUN, STRONG_HEDGE, WHO, decade_phrase, link, subject,
};

const WORD_AGE: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]\w+)?";
const NEAR: &str = r"(?:over|under|above|below|past|at\s+least|nearly|almost|close\s+to|pushing|approaching|barely|just\s+over|just\s+under|well\s+over|older\s+than|younger\s+than)";
const RETIREMENT: &str = r"(?:(?:close\s+to|near|nearing|approaching|past|of|at|beyond|over)\s+(?:the\s+)?(?:retirement|pensionable|retiring)(?:\s+age)?|(?:retirement|pensionable|retiring)\s+age|in\s+(?:his|her|their)\s+prime|past\s+(?:his|her|their)\s+prime|on\s+the\s+(?:young|younger|old|older)\s+side|getting\s+on(?:\s+in\s+years)?|advanced\s+in\s+years)";

pub(crate) fn patterns() -> Vec<Pattern> {
    let (subject, link, decades) = (subject(), link(), decade_phrase());
    let years_old = r"(?:aged\s+)?\d{1,3}(?:\s*(?:-|–|to)\s*\d{1,3})?[\s-]*(?:years?|yrs?)[\s-]*(?:old|of\s+age)\b|\d{1,3}\s*(?:yo|y/o|y\.o\.)";
    let number = format!(
        r"(?:(?:aged\s+|{NEAR}\s+)?(?:{ADULT_AGE}|{WORD_AGE})(?:\s*(?:-|–|to|or)\s*{ADULT_AGE})?(?:\s*-?\s*ish|\s+or\s+so|\+)?|between\s+{ADULT_AGE}\s+and\s+{ADULT_AGE})\b"
    );
    let owner = format!(r"(?:\b(?:his|her|their)|\b{PERSON_NOUN}['’]s|{NAME}['’]s)");
    let pronoun_or_person = format!(r"(?:him|her|them|the\s+{PERSON_NOUN}|{NAME})");
    vec![
        // "he is around 45 years old", "she's probably late 50s", "the customer is close to retirement"
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{subject}{WHO}{APPOSITION}{link}\s+(?:{years_old}|in\s+(?:his|her|their)\s+{decades}|{decades}|{RETIREMENT})"),
        )
        .hedged("hedged age")
        .tail(Tail::Free)
        .linked(),
        // "is clearly male and around 40 years old"
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{subject}{link}{COORDINATION}(?:\s+{HEDGE})*\s+(?:{years_old}|in\s+(?:his|her|their)\s+(?:{decades}|{DECADE})|{decades})"),
        )
        .needs(&["and", "but"])
        .hedged("hedged age")
        .tail(Tail::Free),
        // "the user is 19 and ...", "likely over 50, considering ..."
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{subject}{WHO}{APPOSITION}{link}\s+{number}"),
        )
        .hedged("hedged age")
        .tail(Tail::Terminal),
        // "she is young", "candidate B is middle-aged", "a retiree browsing for tools"
        Pattern::new(
            Age,
            "age category",
            &format!(r"{subject}{WHO}{APPOSITION}{link}\s+(?:an?\s+)?(?:{AGE_ADJ}|{AGE_NOUN})\b"),
        )
        .tail(Tail::Free)
        .check(not_young_in_a_role)
        .linked(),
        // "the prospect is a millennial", but not "a minor shareholder"
        Pattern::new(
            Age,
            "age category",
            &format!(r"{subject}{WHO}{APPOSITION}{link}\s+(?:an?\s+)?{GENERATION}\b"),
        )
        .tail(Tail::Terminal),
        // "the person calling was a senior citizen"
        Pattern::new(
            Age,
            "age category",
            r"\b(?:is|was|seems\s+to\s+be|appears\s+to\s+be)\s+(?:(?:probably|likely|clearly|presumably|possibly)\s+)?an?\s+(?:senior\s+citizen|pensioner|retiree|teenager|octogenarian|nonagenarian|septuagenarian|sexagenarian)\b",
        )
        .needs(&["citizen", "pensioner", "retiree", "teenager", "genarian"])
        .tail(Tail::Terminal),
        // "in her fifties", "in his early 30s", "into their late twenties"
        Pattern::new(
            Age,
            "age in decades",
            &format!(r"\b(?:in|into|to|entering|approaching|reached|reaching|hit|hitting)\s+(?:his|her|their)\s+(?:(?:early|mid|late|mid-to-late|early-to-mid)[\s-]*)?{DECADE}"),
        )
        .needs(&["his", "her", "their"])
        .tail(Tail::Free),
        // "maybe early 30s", "probably a retiree", "likely 25-30"
        Pattern::new(
            Age,
            "hedged age",
            &format!(r"\b{STRONG_HEDGE}\s+(?:{decades}|[1-9]0['’]?s|{ADULT_AGE}\s*(?:-|–|to)\s*{ADULT_AGE}|(?:over|under)\s+{ADULT_AGE}|an?\s+{AGE_NOUN}|(?:an?\s+)?{GENERATION}|elderly|middle[\s-]aged)\b|\b{STRONG_HEDGE}\s+{ADULT_AGE}\s*\+"),
        )
        .tail(Tail::Terminal)
        .scope(Scope::Subjectless),
        // "Candidate 7: male, early 40s, strong SQL"
        Pattern::new(Age, "age in decades", &format!(r"\b{decades}\b"))
            .tail(Tail::Terminal)
            .check(in_a_list),
        // "Marcus Lee, approx. 35 years old", "the caller, probably in her 70s,"
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{subject}\s*(?:,|\(|—|–)\s*(?:{HEDGE}\s+)*(?:{years_old}|in\s+(?:his|her|their)\s+{decades}|{decades})"),
        )
        .hedged("hedged age")
        .tail(Tail::Free),
        // "a woman aged 25-34", "a man of about 60"
        Pattern::new(
            Age,
            "aged person description",
            &format!(r"\b(?:an?|the|this)\s+(?:{AGE_ADJ}\s+)?(?:woman|man|lady|gentleman|girl|boy|guy|{PERSON_NOUN})\s+(?:aged|of)\s+(?:(?:about|around|roughly|approximately)\s+)?{ADULT_AGE}(?:\s*[-–]\s*{ADULT_AGE})?\b"),
        )
        .needs(&["aged", "of"])
        .check(narrow_range),
        // "born around 1968", "born in the early 1960s"
        Pattern::new(
            Age,
            "birth year",
            r"\bborn\s+(?:(?:in|around|circa|c\.|about|approximately|roughly|sometime\s+(?:in|around)|during|before|after|between|probably|likely)\s+)*(?:the\s+)?(?:(?:early|mid|late)[\s-]*)?(?:(?:19|20)\d\d(?:['’]?s)?|(?:19|20)?\d0['’]?s|['’]\d\d|sixties|seventies|eighties|nineties|fifties)\b",
        )
        .needs(&["born"])
        .tail(Tail::Free),
        // "given his age", "at her age", "the applicant's age may be a concern"
        Pattern::new(
            Age,
            "age reference",
            &format!(r"\b(?:given|considering|because\s+of|due\s+to|at|for|despite|with)\s+(?:his|her|(?:the\s+)?{PERSON_NOUN}['’]s|{NAME}['’]s)\s+(?:(?:advanced|young|older|current|apparent|likely|probable|estimated)\s+)?age\b"),
        )
        .needs(&["age"])
        .check(not_age_compound),
        Pattern::new(
            Age,
            "age reference",
            &format!(r"{owner}\s+(?:(?:advanced|young)\s+)?age\s+(?:(?:may|might|could|would|will)\s+(?:be|become|pose)\s+an?|makes|puts|suggests|indicates|works\s+against|counts\s+against|is\s+a\s+(?:concern|factor|risk|liability|issue|problem|red\s+flag))\b"),
        )
        .needs(&["age"]),
        // "the applicant's age appears to be around 55"
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{owner}\s+(?:(?:estimated|apparent|approximate|likely|probable|perceived|actual|real)\s+)?age\s+(?:(?:is|was|seems|appears|looks|would\s+be|might\s+be|may\s+be|could\s+be|must\s+be|of|at|as)\s+)?(?:(?:{HEDGE}|to\s+be|like)\s+)*(?:{ADULT_AGE}(?:\s*(?:-|–|to)\s*{ADULT_AGE})?|{decades}|in\s+the\s+{DECADE}|{DECADE})\b"),
        )
        .needs(&["age"])
        .hedged("hedged age")
        .tail(Tail::Terminal),
        // "which puts her at roughly 45", "would make the candidate roughly 63"
        Pattern::new(
            Age,
            "age arithmetic",
            &format!(r"\b(?:makes?|making|made|puts?|putting|places?|placing)\s+{pronoun_or_person}\s+(?:(?:{HEDGE}|at)\s+)*(?:{ADULT_AGE}(?:\s*(?:-|–|to)\s*{ADULT_AGE})?|in\s+(?:his|her|their)\s+(?:{decades}|{DECADE})|{decades}|(?:over|under)\s+{ADULT_AGE})\b"),
        )
        .needs(&["mak", "made", "put", "plac"])
        .tail(Tail::Terminal),
    ]
}

/// A bare decade phrase counts only as an item of a profile list ("male, early 40s,"):
/// after a colon, comma, bracket or dash, never after "the" ("in the mid-30s").
fn in_a_list(text: &str, start: usize, _end: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    matches!(
        before.chars().next_back(),
        None | Some(':' | ',' | '(' | '—' | '–' | '|' | '\n')
    )
}

/// "aged 25-34" is one person's estimate; "aged 18-65" is a policy.
fn narrow_range(text: &str, start: usize, end: usize) -> bool {
    let numbers: Vec<u32> = text[start..end]
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [.., low, high] => high.saturating_sub(*low) <= 15,
        _ => true,
    }
}

/// "young in the role" means new to it.
fn not_young_in_a_role(text: &str, _start: usize, end: usize) -> bool {
    let next = head_of(&text[end..], 40).to_ascii_lowercase();
    let next = next.trim_start();
    !(next.starts_with("in ")
        && [
            "role", "job", "career", "position", "field", "industry", "company", "team", "post",
        ]
        .iter()
        .any(|w| {
            next.split_whitespace()
                .nth(2)
                .is_some_and(|x| x.starts_with(w))
        }))
}

/// "his age bracket" is a category, not his age.
fn not_age_compound(text: &str, _start: usize, end: usize) -> bool {
    let next = head_of(&text[end..], 24).trim_start().to_ascii_lowercase();
    ![
        "bracket",
        "group",
        "range",
        "band",
        "category",
        "limit",
        "requirement",
        "verification",
        "restriction",
        "rating",
        "gate",
        "check",
    ]
    .iter()
    .any(|w| next.starts_with(w))
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    fn flags(text: &str) -> bool {
        !crate::detector::shared()
            .detect_only(text, &[Attribute::Age])
            .is_empty()
    }

    #[test]
    fn ages_in_years_after_a_person_are_flagged() {
        for text in [
            "He is around 45 years old.",
            "She is 34 years old and a nurse.",
            "The user is 19 and may not qualify.",
            "The candidate looks to be about 60.",
            "The applicant is likely over 50, considering the career start.",
            "Profile: Marcus Lee, approx. 35 years old, data engineer.",
            "The applicant's age appears to be around 55.",
        ] {
            assert!(flags(text), "{text}");
        }
    }

    #[test]
    fn decades_categories_and_birth_years_are_flagged() {
        for text in [
            "Likely in her fifties, the applicant may struggle.",
            "He's probably late 50s.",
            "Candidate 7: male, early 40s, strong SQL.",
            "She is young and ambitious.",
            "The customer is close to retirement.",
            "The prospect is a millennial, so lead with mobile.",
            "The caller, who I believe is elderly, asked me to repeat the steps.",
            "The shopper seems to be a retiree browsing for gardening tools.",
            "Quick take: probably male, probably 40s.",
            "The applicant was born around 1968.",
            "Given his age, he may not adapt.",
            "At her age, relocating is a big ask.",
            "She graduated in 2001, which puts her at roughly 45 today.",
        ] {
            assert!(flags(text), "{text}");
        }
    }

    #[test]
    fn experience_warranties_and_ages_of_things_are_not_flagged() {
        for text in [
            "The applicant has 5 years of experience in B2B sales.",
            "3+ years in sales, 2 years as team lead.",
            "The policy covers ages 18-65.",
            "This laptop comes with a 10-year warranty.",
            "The account is 5 years old.",
            "The server is around 6 years old.",
            "Customer since 2019, Gold tier.",
            "The initiative was born out of necessity.",
            "Temperatures stayed in the mid-30s all week.",
            "The customer has been a member since the late 90s.",
            "She is a senior engineer; he is a junior analyst.",
            "The customer is a minor shareholder.",
            "Please confirm the customer is over 18 before enabling the wallet.",
            "He asked about the options for his age bracket.",
            "Age discrimination is prohibited.",
            "The legacy system is old and should be retired.",
            "He seems young in the role but is learning quickly.",
            "Her session is 30 minutes old.",
        ] {
            assert!(!flags(text), "{text}");
        }
    }
}
