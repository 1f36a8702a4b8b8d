//! Warden's demographic-inference detector.
//!
//! An HR-screening, support or sales agent must not state or guess a person's gender,
//! age or ethnicity: "the candidate is probably a woman", "likely in her fifties", "the
//! name suggests Hispanic origin". The [`Detector`] finds such phrases in an output, for
//! the `no_gender_inference`, `no_age_inference` and `no_ethnicity_inference` rules. It
//! runs on every ingested output and inside the inline guard, so it is built for:
//!
//! * **Precision.** False alarms on HR text get the rules switched off. A finding needs a
//!   person and an attribute together (a subject and a link verb, an article and a person
//!   noun, indirect evidence and a value, or a labelled field); pronouns, years of
//!   experience, product words, job levels and talk about the rules never fire.
//! * **Speed.** Regexes compiled once, ASCII word boundaries so the lazy DFA never bails
//!   out on non-ASCII text, context checks only on candidate matches.
//!
//! See `docs/inference-detector.md` for what is and is not detected, and the figures.

mod age;
mod anchor;
mod attribute;
mod describe;
mod detector;
mod ethnicity;
mod evidence;
mod fields;
mod gender;
mod guard;
mod locale;
mod pattern;
mod span;
mod vocab;

pub use attribute::{Attribute, Inference};
pub use detector::Detector;
