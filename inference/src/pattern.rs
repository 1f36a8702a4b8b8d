//! One pattern family member: a regex, the attribute it reports, its cue, and the context
//! checks its matches must pass. Also the one place patterns are compiled.

use regex::{Regex, RegexBuilder};

use crate::attribute::{Attribute, Inference};
use crate::guard::{Guards, Tail, subject_ok};
use crate::span::on_word_edges;

/// Where a pattern applies, which decides the context checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Prose: refusals, self-reports, quoted examples and "male or female" are skipped.
    Prose,
    /// Prose without a subject ("likely female"): also skipped when about a population.
    Subjectless,
    /// A labelled field (`Gender: female`, `"age": 41`): the key says it all.
    Field,
}

/// An extra check on a match (`text`, `start`, `end`), for what one family alone needs.
pub(crate) type Check = fn(&str, usize, usize) -> bool;

#[derive(Debug)]
pub(crate) struct Pattern {
    pub attribute: Attribute,
    /// The cue when the phrase asserts the attribute outright.
    pub cue: &'static str,
    /// The cue when the phrase hedges ("probably", "appears", "suggests").
    pub hedged_cue: &'static str,
    pub regex: Regex,
    pub tail: Tail,
    pub scope: Scope,
    pub check: Option<Check>,
    /// Words (ASCII-lowercase) of which a window must contain one for the regex to run:
    /// a substring test is cheaper than a regex scan and most windows lack them.
    pub needs: &'static [&'static str],
    /// A subject-and-link frame, where "'s" may be a possessive: "the customer's
    /// 10-year-old daughter", "the candidate's older brother".
    pub linked: bool,
}

impl Pattern {
    pub(crate) fn new(attribute: Attribute, cue: &'static str, src: &str) -> Pattern {
        Pattern {
            attribute,
            cue,
            hedged_cue: cue,
            regex: compile(src),
            tail: Tail::Noun,
            scope: Scope::Prose,
            check: None,
            needs: &[],
            linked: false,
        }
    }

    /// Marks a subject-and-link frame: when its link is "'s", the value must end its
    /// phrase, or "'s" was a possessive.
    pub(crate) fn linked(mut self) -> Pattern {
        self.linked = true;
        self
    }

    pub(crate) fn needs(mut self, needs: &'static [&'static str]) -> Pattern {
        self.needs = needs;
        self
    }

    pub(crate) fn hedged(mut self, cue: &'static str) -> Pattern {
        self.hedged_cue = cue;
        self
    }

    pub(crate) fn tail(mut self, tail: Tail) -> Pattern {
        self.tail = tail;
        self
    }

    pub(crate) fn scope(mut self, scope: Scope) -> Pattern {
        self.scope = scope;
        self
    }

    pub(crate) fn check(mut self, check: Check) -> Pattern {
        self.check = Some(check);
        self
    }

    /// Appends every accepted match that starts in `text[from..to]` and ends by `to`. A
    /// rejected match does not hide a later one that starts inside it: the search resumes
    /// one char after the rejected start.
    /// `lower` is `text` ASCII-lowercased, for keyword tests at the same offsets.
    pub(crate) fn run(
        &self,
        (text, lower): (&str, &str),
        (from, to): (usize, usize),
        guards: &Guards,
        out: &mut Vec<Inference>,
    ) {
        if !self.needs.is_empty() && !contains_any(&lower[from..to], self.needs) {
            return;
        }
        let mut at = from;
        while let Some(m) = self.regex.find_at(&text[..to], at) {
            let (start, end) = (m.start(), m.end());
            if self.accepts((text, lower), start, end, guards) {
                let cue = if self.hedged_cue != self.cue && guards.is_hedged(m.as_str()) {
                    self.hedged_cue
                } else {
                    self.cue
                };
                out.push(Inference {
                    attribute: self.attribute,
                    start,
                    end,
                    cue,
                });
                at = end;
            } else {
                at = start + text[start..].chars().next().map_or(1, char::len_utf8);
            }
            if at >= to {
                break;
            }
        }
    }

    fn accepts(
        &self,
        (text, lower): (&str, &str),
        start: usize,
        end: usize,
        guards: &Guards,
    ) -> bool {
        let phrase = &text[start..end];
        on_word_edges(text, start, end)
            && subject_ok(phrase)
            && guards.tail_ok(text, end, self.tail)
            && !(self.linked
                && (phrase.contains("'s ") || phrase.contains("’s "))
                && !guards.tail_ok(text, end, Tail::Terminal))
            && self.check.is_none_or(|check| check(text, start, end))
            && match self.scope {
                Scope::Field => true,
                Scope::Prose => guards.prose_ok((text, lower), start, end),
                Scope::Subjectless => {
                    guards.prose_ok((text, lower), start, end) && guards.not_aggregate(text, start)
                }
            }
    }
}

/// Whether the lowercased `hay` contains one of the lowercase `needles`.
pub(crate) fn contains_any(hay: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| hay.contains(needle))
}

/// Compiles a built-in pattern: case-insensitive, with `\b` made ASCII-only (see
/// `vocab`). The patterns are constants, so a failure is a bug that every test run
/// catches, not a runtime condition: it panics, once, when the detector is built.
pub(crate) fn compile(src: &str) -> Regex {
    let src = format!("(?i){}", src.replace(r"\b", r"(?-u:\b)"));
    match RegexBuilder::new(&src)
        .size_limit(1 << 25)
        .dfa_size_limit(1 << 23)
        .build()
    {
        Ok(regex) => regex,
        Err(e) => panic!("a built-in inference pattern does not compile: {e}\n{src}"),
    }
}
