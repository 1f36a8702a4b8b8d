//! The scanner: one pass over the bytes that hands each trigger byte to its detector,
//! then configured custom patterns, then overlap resolution; and redaction on top.

use std::sync::Arc;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::email::{self, AtSign};
use crate::finding::{Finding, Kind};
use crate::text::{num_left_ok, run_end};
use crate::{card, iban, ip, phone, secret, ssn, text};

/// A site-specific pattern (employee ids, internal account numbers …) reported as
/// [`Kind::Custom`] with the name as label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomPattern {
    pub name: String,
    pub regex: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("custom PII pattern `{name}` does not compile: {source}")]
    InvalidRegex {
        name: String,
        #[source]
        source: Box<regex::Error>,
    },
    #[error(
        "custom PII pattern name `{name}` is not usable as a label: use 1-64 letters, digits, `_` or `-`"
    )]
    InvalidName { name: String },
    #[error("custom PII pattern `{name}` matches the empty string, so it would match everywhere")]
    MatchesEmpty { name: String },
}

/// Redacted text and what was redacted, with offsets into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone)]
struct Custom {
    kind: Kind,
    regex: Regex,
}

/// Finds PII and secrets in text. Build it once (custom patterns compile here) and share
/// it: it is cheap to clone and safe to use from many threads.
#[derive(Debug, Clone)]
pub struct Scanner {
    custom: Arc<[Custom]>,
}

impl Scanner {
    /// A scanner with every built-in detector plus `custom` patterns.
    pub fn new(custom: &[CustomPattern]) -> Result<Scanner, PatternError> {
        let custom = custom
            .iter()
            .map(|p| {
                let valid_name = (1..=64).contains(&p.name.len())
                    && p.name
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'));
                if !valid_name {
                    return Err(PatternError::InvalidName {
                        name: p.name.clone(),
                    });
                }
                let regex = Regex::new(&p.regex).map_err(|source| PatternError::InvalidRegex {
                    name: p.name.clone(),
                    source: Box::new(source),
                })?;
                if regex.is_match("") {
                    return Err(PatternError::MatchesEmpty {
                        name: p.name.clone(),
                    });
                }
                Ok(Custom {
                    kind: Kind::Custom(p.name.to_ascii_uppercase().into()),
                    regex,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Scanner {
            custom: custom.into(),
        })
    }

    /// Findings sorted by start, non-overlapping.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.scan_into(text, &mut out);
        out
    }

    /// Like [`scan`](Scanner::scan) into a caller's buffer, which is cleared first; it
    /// only allocates when something is found, so reusing it across spans keeps the
    /// common no-PII case allocation-free.
    pub fn scan_into(&self, text: &str, out: &mut Vec<Finding>) {
        out.clear();
        scan_builtin(text, out);
        for custom in self.custom.iter() {
            for m in custom.regex.find_iter(text) {
                if !m.is_empty() {
                    out.push(Finding {
                        kind: custom.kind.clone(),
                        start: m.start(),
                        end: m.end(),
                    });
                }
            }
        }
        resolve_overlaps(out);
    }

    /// Replaces each finding by `[REDACTED:LABEL]`; `None` when nothing was found, so
    /// callers keep the original without copying.
    pub fn redact(&self, text: &str) -> Option<Redacted> {
        self.redact_only(text, |_| true)
    }

    /// As `redact`, for the findings `keep` accepts (secrets only, for agents whose PII
    /// the batch job scans).
    pub fn redact_only(&self, text: &str, keep: impl Fn(&Finding) -> bool) -> Option<Redacted> {
        let mut findings = self.scan(text);
        findings.retain(keep);
        if findings.is_empty() {
            return None;
        }
        let mut redacted = String::with_capacity(text.len() + findings.len() * 16);
        let mut last = 0;
        for f in &findings {
            redacted.push_str(&text[last..f.start]);
            redacted.push_str("[REDACTED:");
            redacted.push_str(f.kind.label());
            redacted.push(']');
            last = f.end;
        }
        redacted.push_str(&text[last..]);
        Some(Redacted {
            text: redacted,
            findings,
        })
    }
}

/// What a byte sets off. Zero for everything that cannot start or end a detector's
/// anchor, which is most of any text.
const NONE: u8 = 0;
const DIGIT: u8 = 1;
const AT: u8 = 2;
const PLUS: u8 = 3;
const PAREN: u8 = 4;
const COLON: u8 = 5;
const EQUALS: u8 = 6;
const DASH: u8 = 7;
const UNDERSCORE: u8 = 8;
const LETTER: u8 = 9;

static TRIGGERS: [u8; 256] = {
    let mut t = [NONE; 256];
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = DIGIT;
        d += 1;
    }
    t[b'@' as usize] = AT;
    t[b'+' as usize] = PLUS;
    t[b'(' as usize] = PAREN;
    t[b':' as usize] = COLON;
    t[b'=' as usize] = EQUALS;
    t[b'-' as usize] = DASH;
    t[b'_' as usize] = UNDERSCORE;
    // eyJ (JWT), AKIA/ASIA (AWS), AIza (Google), Bearer: the rarest letter of each prefix.
    t[b'J' as usize] = LETTER;
    t[b'K' as usize] = LETTER;
    t[b'S' as usize] = LETTER;
    t[b'z' as usize] = LETTER;
    t[b'B' as usize] = LETTER;
    t
};

fn scan_builtin(text: &str, out: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        // Most text has no trigger for a while: test eight bytes per branch.
        while let Some(chunk) = b.get(i..i + 8) {
            let any = chunk
                .iter()
                .fold(0, |acc, &c| acc | TRIGGERS[usize::from(c)]);
            if any != NONE {
                break;
            }
            i += 8;
        }
        while i < n && TRIGGERS[usize::from(b[i])] == NONE {
            i += 1;
        }
        let Some(&c) = b.get(i) else { break };
        let trigger = TRIGGERS[usize::from(c)];
        let next = match trigger {
            DIGIT => on_digit(text, i, out),
            AT => match email::at_sign(text, i) {
                Some(AtSign::Email(s, e)) => record(out, Kind::Email, Some((s, e)), i),
                Some(AtSign::Password(s, e)) => record(out, Kind::Secret, Some((s, e)), i),
                None => i + 1,
            },
            PLUS => record(out, Kind::Phone, phone::at_plus(text, i), i),
            PAREN => {
                let end = num_left_ok(text, i).then(|| phone::nanp(text, i)).flatten();
                record(out, Kind::Phone, end.map(|e| (i, e)), i)
            }
            COLON => match ip::v6_at_colon(text, i) {
                Ok(span) => record(out, Kind::IpAddress, Some(span), i),
                Err(resume) => match secret::assignment(b, i) {
                    Some(span) => record(out, Kind::Secret, Some(span), i),
                    None => resume,
                },
            },
            EQUALS => record(out, Kind::Secret, secret::assignment(b, i), i),
            DASH => match secret::at_dash(text, i) {
                Ok(span) => record(out, Kind::Secret, Some(span), i),
                Err(resume) => resume,
            },
            UNDERSCORE => record(out, Kind::Secret, secret::at_underscore(text, i), i),
            LETTER => record(out, Kind::Secret, secret::at_letter(text, i), i),
            _ => i + 1,
        };
        // Every detector moves forward; this keeps the loop finite even if one did not.
        i = next.max(i + 1);
    }
}

/// Records what the trigger at `i` found and returns where to resume: after the finding
/// (its bytes cannot start another one), or at the next byte.
fn record(out: &mut Vec<Finding>, kind: Kind, span: Option<(usize, usize)>, i: usize) -> usize {
    match span {
        Some((start, end)) => {
            out.push(Finding { kind, start, end });
            end
        }
        None => i + 1,
    }
}

/// A digit that starts a run: IBANs (whose country code precedes it), IPv4, and the
/// numbers that must stand alone (cards, SSNs, phones). The longest match wins.
fn on_digit(text: &str, i: usize, out: &mut Vec<Finding>) -> usize {
    let b = text.as_bytes();
    let run = run_end(b, i, text::digit);
    if i >= 2 && b[i - 1].is_ascii_uppercase() && b[i - 2].is_ascii_uppercase() {
        return iban::at(text, i - 2).map_or(run, |e| record(out, Kind::Iban, Some((i - 2, e)), i));
    }
    if let Some(e) = ip::v4_at(text, i) {
        return record(out, Kind::IpAddress, Some((i, e)), i);
    }
    if !num_left_ok(text, i) {
        return run;
    }
    let candidates = [
        (Kind::CreditCard, card::at_digit(text, i, run)),
        (Kind::UsSsn, ssn::at_digit(text, i, run)),
        (Kind::Phone, phone::at_digit(text, i, run)),
    ];
    let best = candidates
        .into_iter()
        .filter_map(|(kind, end)| Some((kind, end?)))
        .max_by_key(|(kind, end)| (*end, kind.specificity()));
    match best {
        Some((kind, e)) => record(out, kind, Some((i, e)), i),
        None => run,
    }
}

/// Sorts findings and drops overlaps in place (no allocation), keeping the longer of two
/// overlapping findings, or the more specific kind when they are equally long.
fn resolve_overlaps(out: &mut Vec<Finding>) {
    if out.len() < 2 {
        return;
    }
    out.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept = 0;
    for r in 1..out.len() {
        let (last, cur) = (&out[kept], &out[r]);
        if cur.start < last.end {
            let better = cur.len() > last.len()
                || (cur.len() == last.len() && cur.kind.specificity() > last.kind.specificity());
            if better {
                out.swap(kept, r);
            }
        } else {
            kept += 1;
            out.swap(kept, r);
        }
    }
    out.truncate(kept + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str, regex: &str) -> CustomPattern {
        CustomPattern {
            name: name.into(),
            regex: regex.into(),
        }
    }

    #[test]
    fn scanner_is_shareable_across_threads() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<Scanner>();
        let scanner = Scanner::new(&[custom("emp", r"EMP-\d{6}")]).unwrap();
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let scanner = scanner.clone();
                std::thread::spawn(move || {
                    scanner
                        .scan(&format!("worker {t}: EMP-00012{t} mail a{t}@example.com"))
                        .len()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), 2);
        }
    }

    #[test]
    fn labels() {
        let cases = [
            (Kind::Email, "EMAIL"),
            (Kind::Phone, "PHONE"),
            (Kind::CreditCard, "CREDIT_CARD"),
            (Kind::Iban, "IBAN"),
            (Kind::UsSsn, "US_SSN"),
            (Kind::IpAddress, "IP_ADDRESS"),
            (Kind::Secret, "SECRET"),
        ];
        for (kind, label) in cases {
            assert_eq!(kind.label(), label);
        }
        let scanner = Scanner::new(&[custom("employee_id", r"EMP-\d{6}")]).unwrap();
        let found = scanner.scan("badge EMP-004211");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind.label(), "EMPLOYEE_ID");
        assert_eq!(found[0].kind, Kind::Custom("EMPLOYEE_ID".into()));
    }

    #[test]
    fn redaction_replaces_each_finding_and_keeps_original_offsets() {
        let scanner = Scanner::new(&[]).unwrap();
        let text = "Hi, I'm Zoë (zoe.martin@example.fr), card 4111 1111 1111 1111, call +33 1 23 45 67 89 🙏";
        let redacted = scanner.redact(text).unwrap();
        assert_eq!(
            redacted.text,
            "Hi, I'm Zoë ([REDACTED:EMAIL]), card [REDACTED:CREDIT_CARD], call [REDACTED:PHONE] 🙏"
        );
        let values: Vec<_> = redacted
            .findings
            .iter()
            .map(|f| &text[f.start..f.end])
            .collect();
        assert_eq!(
            values,
            [
                "zoe.martin@example.fr",
                "4111 1111 1111 1111",
                "+33 1 23 45 67 89"
            ]
        );
        for value in values {
            assert!(
                !redacted.text.contains(value),
                "{value:?} survived in {:?}",
                redacted.text
            );
        }
    }

    #[test]
    fn redaction_of_secrets_keeps_the_key() {
        let scanner = Scanner::new(&[]).unwrap();
        let text = r#"{"process.command_args":["node","gateway.js","--token","gw_live_8c1f4e2a9b7d3c5e"],"env":"OPENAI_API_KEY=sk-proj-4fT9qLm2XvB7nR8sK1pW3yZ6hJ0cD5eA"}"#;
        let redacted = scanner.redact(text).unwrap();
        assert_eq!(
            redacted.text,
            r#"{"process.command_args":["node","gateway.js","--token","[REDACTED:SECRET]"],"env":"OPENAI_API_KEY=[REDACTED:SECRET]"}"#
        );
        assert!(!redacted.text.contains("gw_live_8c1f4e2a9b7d3c5e"));
        assert!(!redacted.text.contains("sk-proj"));
    }

    #[test]
    fn redaction_returns_none_without_findings() {
        let scanner = Scanner::new(&[]).unwrap();
        for text in [
            "",
            "nothing to see here",
            "order ORD-2024-001234 shipped on 2024-01-15 for $1,234.56",
        ] {
            assert_eq!(scanner.redact(text), None, "input: {text:?}");
        }
    }

    #[test]
    fn custom_patterns_are_found_and_redacted() {
        let scanner = Scanner::new(&[
            custom("employee_id", r"\bEMP-\d{6}\b"),
            custom("ticket", r"TCK-[A-Z]{3}\d{4}"),
        ])
        .unwrap();
        let text = "EMP-004211 opened TCK-ABC1234 for bob@example.com";
        let redacted = scanner.redact(text).unwrap();
        assert_eq!(
            redacted.text,
            "[REDACTED:EMPLOYEE_ID] opened [REDACTED:TICKET] for [REDACTED:EMAIL]"
        );
        assert_eq!(
            redacted.findings[0],
            Finding {
                kind: Kind::Custom("EMPLOYEE_ID".into()),
                start: 0,
                end: 10
            }
        );
    }

    #[test]
    fn overlapping_findings_keep_the_longer_one() {
        // The custom pattern covers the built-in phone and more: it wins.
        let scanner = Scanner::new(&[custom("contact", r"tel:\+\d[\d ]+")]).unwrap();
        let text = "tel:+44 20 7946 0958";
        let found = scanner.scan(text);
        assert_eq!(
            found,
            [Finding {
                kind: Kind::Custom("CONTACT".into()),
                start: 0,
                end: text.len()
            }]
        );
        // A shorter custom match inside a built-in finding loses to it.
        let scanner = Scanner::new(&[custom("domain", r"example\.com")]).unwrap();
        let found = scanner.scan("mail bob@example.com now");
        assert_eq!(
            found,
            [Finding {
                kind: Kind::Email,
                start: 5,
                end: 20
            }]
        );
    }

    #[test]
    fn bad_custom_patterns_are_rejected_by_name() {
        let err =
            Scanner::new(&[custom("ok", "a+"), custom("broken_one", "EMP-(\\d{6}")]).unwrap_err();
        assert!(
            matches!(&err, PatternError::InvalidRegex { name, .. } if name == "broken_one"),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("broken_one"), "{message}");
        assert!(message.contains("unclosed group"), "{message}");

        let err = Scanner::new(&[custom("anything", "x*")]).unwrap_err();
        assert!(
            matches!(&err, PatternError::MatchesEmpty { name } if name == "anything"),
            "{err:?}"
        );

        for name in ["", "has space", "ünïcode", "]"] {
            let err = Scanner::new(&[custom(name, "x")]).unwrap_err();
            assert!(
                matches!(&err, PatternError::InvalidName { name: n } if n == name),
                "{err:?}"
            );
        }
    }

    #[test]
    fn scan_into_reuses_the_buffer_and_does_not_allocate_for_clean_text() {
        let scanner = Scanner::new(&[]).unwrap();
        let mut out = Vec::new();
        scanner.scan_into("clean text, order #100234567, 2024-01-15", &mut out);
        assert!(out.is_empty());
        assert_eq!(out.capacity(), 0, "no allocation when nothing is found");
        scanner.scan_into("mail a@example.com", &mut out);
        assert_eq!(out.len(), 1);
        scanner.scan_into("still clean", &mut out);
        assert!(out.is_empty(), "the buffer is cleared first");
    }

    #[test]
    fn findings_are_sorted_disjoint_and_on_char_boundaries() {
        let scanner = Scanner::new(&[]).unwrap();
        let text = "Ñandú 😀 écrit à josé@exemple.fr, IBAN FR14 2004 1010 0505 0001 3M02 606, IP 2001:db8::1, ☎ +34 612 34 56 78 — 🎉 fin";
        let found = scanner.scan(text);
        assert_eq!(found.len(), 4, "{found:?}");
        for w in found.windows(2) {
            assert!(w[0].end <= w[1].start, "{found:?}");
        }
        for f in &found {
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
                "{f:?}"
            );
        }
    }
}
