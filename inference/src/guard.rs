//! Context checks run on a candidate match: what surrounds a phrase decides whether it is
//! an inference about a person or something that only looks like one.
//!
//! The regex crate has no look-around, so every "unless followed by" and "unless preceded
//! by" lives here, as code and small regexes over the text around the match, each regex
//! behind a keyword test so that most matches never run it. Nothing here allocates.
//!
//! Self-identification is deliberately *not* flagged: "the applicant self-identified as
//! Hispanic on the EEO form", "the customer told us she is 72". The rules are about
//! inference, relaying what a person said about themselves is not one, and support and
//! EEO workflows legitimately carry it; whether such data may be stored at all is the
//! PII scanner's and the retention policy's business. A phrase counts as self-reported
//! when a reporting cue ("self-identified", "told us", "in her own words", "(self-reported)")
//! sits just before it in the same clause. An agent that writes "she said she is 45"
//! to launder a guess gets through; the corpus labels such lines negative.

use regex::Regex;

use crate::pattern::{compile, contains_any};
use crate::span::{clause_before, head_of, tail_of};
use crate::vocab::{DESCENT, GENDER_NOUN, NAME, PERSON_NOUN};

/// How the text right after a match must look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tail {
    /// Anything may follow.
    Free,
    /// Not a compound or a possessive: "male-dominated", "women's shoes".
    Noun,
    /// An adjective or a number that must end its phrase: "likely Hispanic." but not
    /// "likely Hispanic Heritage Month", "is 45." but not "is 45 minutes late".
    Terminal,
}

/// The compiled context checks, built once per detector.
#[derive(Debug)]
pub(crate) struct Guards {
    refusal: Regex,
    whether: Regex,
    verification: Regex,
    self_report: Regex,
    quoted_example: Regex,
    aggregate: Regex,
    enum_before: Regex,
    enum_after: Regex,
    binary_start: Regex,
    binary_end: Regex,
    follow: Regex,
    hedge: Regex,
}

/// Words one of which a refusal or a self-report needs (see `prose_ok`).
const REFUSAL_WORDS: &[&str] = &[
    "not",
    "n't",
    "n’t",
    "never",
    "cannot",
    "unable",
    "impossible",
    "no way",
    "avoid",
    "refrain",
    "without",
];
const SELF_REPORT_WORDS: &[&str] = &[
    "self",
    "identif",
    "describ",
    "refer",
    "said",
    "says",
    "told",
    "tells",
    "mention",
    "stat",
    "explain",
    "wrote",
    "writes",
    "noted",
    "shared",
    "disclos",
    "volunteer",
    "confirm",
    "added",
    "claim",
    "report",
    "according",
    "own words",
    "as he",
    "as she",
    "as they",
];

/// Capitalised words that open sentences without being names.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "it", "this", "that", "these", "those", "there", "here", "what", "which", "who", "everything",
    "something", "anything", "nothing", "everyone", "someone", "anyone", "overall", "today", "also",
    "however", "yes", "no", "note", "result", "summary", "status", "answer", "output", "response",
    "score", "rating", "recommendation", "verdict", "decision", "fit", "tone", "language", "market",
    "team", "company", "product", "order", "account", "policy", "package", "data", "demand",
    "audience", "segment", "population", "workforce", "profile", "role", "position", "job", "text",
    "name", "photo", "voice", "accent", "style", "sentiment", "traffic", "revenue", "growth",
    "churn", "support", "sales", "pricing", "price", "device", "server", "system", "item", "model",
    "version", "plan", "report", "ticket", "issue", "error", "file", "page", "site", "app",
    "service", "weather", "shipping", "delivery", "quality", "experience", "assessment",
    "observation", "reason", "risk", "feedback", "review", "content", "design",
];

impl Guards {
    pub(crate) fn new() -> Guards {
        let refusal_verb = r"(?:infer\w*|assum\w*|guess\w*|determin\w*|tell|know|say|speculat\w*|judg\w*|conclud\w*|assess\w*|estimat\w*|predict\w*|deduc\w*|presum\w*|label\w*|classif\w*|identif\w*|consider\w*|base[ds]?|basing|us(?:e|ing)|reliabl[ey]|possible|appropriate|allowed|permitted|relevant|matter)";
        // A reporting verb counts only when what follows is the person speaking about
        // themselves ("told us she is 72"), not about anything ("mentioned his grandkids").
        let self_cue = format!(
            r"(?:\bself[\s-]?(?:identif\w*|report\w*|describ\w*|declar\w*|disclos\w*)|\bidentif(?:y|ies|ied)\s+(?:(?:him|her|them)sel(?:f|ves)\s+)?as|\bdescrib(?:e|es|ed)\s+(?:him|her|them)sel(?:f|ves)\s+as|\brefers?\s+to\s+(?:him|her|them)sel(?:f|ves)\s+as|(?:\b(?:he|she|they)\b|\b{PERSON_NOUN}\b|{NAME})\s+(?:also\s+)?(?:said|says|told\s+(?:us|me|the\s+\w+)|tells\s+(?:us|me)|mentioned|mentions|stated|states|explained|wrote|writes|noted|shared|disclosed|volunteered|confirmed|added|claims|claimed|reported)(?:\s+that)?\s+(?:he|she|they|i)(?:['’](?:s|m|re)|\s+(?:is|was|am|are|were|has|had|turned|turns))|\baccording\s+to\s+(?:him|her|them|the\s+{PERSON_NOUN})|\bown\s+words|\bas\s+(?:he|she|they)\s+(?:put\s+it|said|told\s+us))"
        );
        Guards {
            refusal: compile(&format!(
                r"\b(?:not|never|cannot|can['’]t|won['’]t|don['’]t|doesn['’]t|didn['’]t|shouldn['’]t|mustn['’]t|isn['’]t|unable\s+to|impossible\s+to|no\s+way\s+to|avoid|refrain\s+from|without)\b(?:\s+\S+){{0,4}}?\s+{refusal_verb}\b"
            )),
            whether: compile(r"\b(?:whether|if)\b"),
            verification: compile(
                r"\b(?:confirm|verify|check|ensure|make\s+sure)\b(?:\s+(?:that|whether|if))?(?:\s+(?:the|this|our|your))?\s*$",
            ),
            self_report: compile(&format!(r"{self_cue}[^.;!?\n]{{0,60}}$")),
            quoted_example: compile(
                r#"(?:such\s+as|like|e\.g\.|for\s+example|for\s+instance|phrases?|wording|words|statements?|sentences?|examples?|avoid\w*|flag\w*|instead\s+of|write|say)\s*[:,]?\s*["“‘'][^"”’]{0,40}$"#,
            ),
            aggregate: compile(
                r"\b(?:audience|market|segment|demographic|readership|base|customers|users|buyers|shoppers|visitors|team|group|workforce|population|majority|share|cohort|product|brand|crowd|traffic|readers|followers|subscribers|viewers|employees|applicants|candidates|people)\b[^.;!?\n]{0,30}$",
            ),
            enum_before: compile(
                r"\b(?:female|male|wom[ae]n|m[ae]n|young|old|older|younger)\s*(?:or|and|/|&|nor)\s*(?:an?\s+)?$",
            ),
            enum_after: compile(
                r"^\s*(?:or|and|/|&|vs\.?|versus|nor)\s*(?:an?\s+)?(?:female|male|wom[ae]n|m[ae]n|other|non-?binary|young|old|older|younger)\b",
            ),
            binary_start: compile(r"^(?:female|male|wom[ae]n|m[ae]n|young|old|older|younger)\b"),
            binary_end: compile(r"\b(?:female|male|wom[ae]n|m[ae]n|young|old|older|younger)$"),
            follow: compile(&format!(
                r"^(?:and|or|but|nor|based|given|judging|going|from|due|because|since|as|so|which|who|whose|with|by|per|according|though|although|while|when|if|i|we|to|than|too|also|then|now|today|at|in|on|probably|likely|possibly|perhaps|maybe|presumably|most|more|yet|either|not|{PERSON_NOUN}|{GENDER_NOUN}|{DESCENT}|name|surname|accent|family|features|appearance|look|looking|ethnicity|parent|mother|father|aged)$"
            )),
            hedge: compile(
                r"\b(?:probabl\w*|likel\w*|seem\w*|appear\w*|looks?|looked|sound\w*|might|may|could|must|presumabl\w*|possibl\w*|perhaps|maybe|apparent\w*|estimat\w*|est\.|guess\w*|suspect\w*|think|believe|assum\w*|approx\w*|around|about|roughly|circa|suggest\w*|indicat\w*|impl\w*|judging|based)\b|~",
            ),
        }
    }

    /// The common checks for a phrase in prose: not a refusal, not a question of
    /// whether, not a check the agent is asked to do, not self-reported, not a quoted
    /// example of what not to write, not one half of "male or female". The self-report
    /// cue may reach into the phrase: in "told us she is 72" the phrase is "she is 72".
    ///
    /// Each regex runs only when a keyword it needs is in the (lowercased) clause: most
    /// clauses have none, and a keyword test is much cheaper than a regex.
    pub(crate) fn prose_ok(&self, (text, lower): (&str, &str), start: usize, end: usize) -> bool {
        let clause = clause_before(text, start);
        let from = start - clause.len();
        let low = &lower[from..start];
        let near = tail_of(clause, 40);
        let has = |needles: &[&str]| contains_any(low, needles);
        !((has(REFUSAL_WORDS) && self.refusal.is_match(clause))
            || (has(&["whether", "if"]) && self.whether.is_match(near))
            || (has(&["confirm", "verify", "check", "ensure", "sure"])
                && self.verification.is_match(tail_of(clause, 30)))
            || (contains_any(&lower[from..end], SELF_REPORT_WORDS)
                && self.self_report.is_match(&text[from..end]))
            || (low.contains(['"', '“', '‘', '\'']) && self.quoted_example.is_match(clause))
            || self.is_one_of_a_pair(text, start, end))
    }

    /// "male or female", "young or old": a choice, not an answer. Only for the words of
    /// such pairs: "Russian and female" is two answers.
    fn is_one_of_a_pair(&self, text: &str, start: usize, end: usize) -> bool {
        let phrase = &text[start..end];
        (self.binary_end.is_match(phrase) && self.enum_after.is_match(head_of(&text[end..], 30)))
            || (self.binary_start.is_match(phrase)
                && self.enum_before.is_match(tail_of(&text[..start], 20)))
    }

    /// Subjectless hedges ("likely female") must not describe a population: "the
    /// audience is likely female" is market analysis, not an inference about a person.
    pub(crate) fn not_aggregate(&self, text: &str, start: usize) -> bool {
        !self
            .aggregate
            .is_match(tail_of(clause_before(text, start), 50))
    }

    pub(crate) fn tail_ok(&self, text: &str, end: usize, tail: Tail) -> bool {
        let rest = &text[end..];
        let mut chars = rest.chars();
        match chars.next() {
            None => return true,
            Some('-') if chars.next().is_some_and(char::is_alphanumeric) => return false,
            Some('\'' | '’') if matches!(chars.next(), Some('s' | 'S')) => return false,
            Some(c) if c.is_alphanumeric() => return false,
            _ => {}
        }
        if tail != Tail::Terminal {
            return true;
        }
        let trimmed = rest.trim_start_matches([' ', '\t']);
        match trimmed.chars().next() {
            None => true,
            Some(c) if c.is_alphanumeric() => {
                let word_end = trimmed
                    .find(|c: char| !c.is_alphanumeric())
                    .unwrap_or(trimmed.len());
                let word = &trimmed[..word_end];
                word.len() <= 16 && self.follow.is_match(word)
            }
            Some(_) => true,
        }
    }

    /// Whether a matched phrase carries a hedge, for the choice between a "hedged" and a
    /// "stated" cue.
    pub(crate) fn is_hedged(&self, phrase: &str) -> bool {
        self.hedge.is_match(phrase)
    }
}

/// A subject written as a capitalised word must not be a sentence opener like "This".
pub(crate) fn subject_ok(phrase: &str) -> bool {
    let first = phrase
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !(first.chars().next().is_some_and(char::is_uppercase)
        && NOT_NAMES.iter().any(|w| w.eq_ignore_ascii_case(first)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_rejects_compounds_possessives_and_following_nouns() {
        let g = Guards::new();
        assert!(!g.tail_ok("male-dominated", 4, Tail::Noun));
        assert!(!g.tail_ok("women's shoes", 5, Tail::Noun));
        assert!(g.tail_ok("a woman.", 7, Tail::Noun));
        assert!(!g.tail_ok("Hispanic restaurant", 8, Tail::Terminal));
        assert!(g.tail_ok("Hispanic origin", 8, Tail::Terminal));
        assert!(g.tail_ok("Hispanic, based", 8, Tail::Terminal));
        assert!(g.tail_ok("45 and", 2, Tail::Terminal));
        assert!(!g.tail_ok("45 minutes", 2, Tail::Terminal));
    }

    #[test]
    fn sentence_openers_are_not_names() {
        assert!(!subject_ok("This is probably"));
        assert!(subject_ok("Maria is probably"));
        assert!(subject_ok("the candidate is"));
    }

    fn flags(text: &str) -> bool {
        !crate::detector::shared().detect(text).is_empty()
    }

    #[test]
    fn self_identification_is_not_an_inference() {
        for text in [
            "The applicant self-identified as Hispanic on the voluntary EEO form.",
            "The customer told us she is 72 and would like large-print statements.",
            "Per the candidate's own words: 'As a Black woman in tech, I mentor engineers.'",
            "The customer mentioned she's a single mom in her 30s.",
            "Gender (self-reported): female",
        ] {
            assert!(!flags(text), "{text}");
        }
        // A reporting verb about something else does not excuse a later guess.
        assert!(flags(
            "He mentioned his grandkids, so he is probably in his seventies."
        ));
    }

    #[test]
    fn refusals_questions_checks_and_quoted_examples_are_not_inferences() {
        for text in [
            "I can't determine the candidate's gender from a name, and I won't guess.",
            "It is not possible to tell from the photo whether the applicant is Asian.",
            "I cannot infer whether the caller is elderly from the voice recording.",
            "Please confirm the customer is over 18 before enabling the wallet.",
            "Avoid statements like 'the candidate is probably a woman' in notes.",
            "The form asks whether the applicant is male or female.",
        ] {
            assert!(!flags(text), "{text}");
        }
        assert!(flags(
            "I can't confirm it, but the candidate is probably a woman."
        ));
    }

    #[test]
    fn possessive_s_is_not_a_link() {
        assert!(!flags(
            "The customer's 10-year-old daughter bought three items."
        ));
        assert!(!flags("The candidate's older brother referred her."));
        assert!(flags("She's a young woman in tech."));
    }
}
