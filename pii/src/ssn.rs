//! US Social Security numbers in their written form `AAA-GG-SSSS` (or with spaces).
//!
//! A bare nine-digit run is only reported right after a label that says it is one
//! (`SSN: 536221234`, `"customer_ssn": "536221234"`, `social security number 536221234`):
//! far more ids, amounts and routing numbers have nine digits than SSNs appear
//! unformatted in agent traffic.

use crate::text::{digit, followed_by_group, num_right_ok, preceded_by_group, run_end};

/// The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000.
fn issuable(area: &[u8], group: &[u8], serial: &[u8]) -> bool {
    area != b"000" && area != b"666" && area[0] != b'9' && group != b"00" && serial != b"0000"
}

/// Whether the words before `s` label what follows as an SSN: a word ending in `ssn`,
/// or "social security", possibly followed by "number", "no", "#" or "is".
fn labelled(b: &[u8], s: usize) -> bool {
    let mut k = s;
    let mut previous: &[u8] = b"";
    for _ in 0..4 {
        let gap_end = k;
        while k > 0
            && gap_end - k < 4
            && matches!(
                b[k - 1],
                b' ' | b':' | b'=' | b'"' | b'\'' | b'#' | b'.' | b'\t'
            )
        {
            k -= 1;
        }
        if k == gap_end && k != s {
            return false;
        }
        let word_end = k;
        while k > 0 && word_end - k < 32 && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'_') {
            k -= 1;
        }
        let word = &b[k..word_end];
        let is = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
        // "ssn", "customer_ssn", "customerSsn", not "lessn".
        let n = word.len();
        if n >= 3
            && word[n - 3..].eq_ignore_ascii_case(b"ssn")
            && (n == 3 || word[n - 4] == b'_' || &word[n - 3..] == b"Ssn")
        {
            return true;
        }
        if is("social") && previous.eq_ignore_ascii_case(b"security") {
            return true;
        }
        if !(is("number")
            || is("no")
            || is("num")
            || is("nr")
            || is("is")
            || is("security")
            || word.is_empty())
        {
            return false;
        }
        previous = word;
    }
    false
}

/// An SSN starting at the digit `s`, whose digit run ends at `run`; the caller has
/// checked what precedes `s`.
pub(crate) fn at_digit(text: &str, s: usize, run: usize) -> Option<usize> {
    let b = text.as_bytes();
    if run - s == 9 {
        let d = &b[s..run];
        return (issuable(&d[..3], &d[3..5], &d[5..]) && num_right_ok(text, run) && labelled(b, s))
            .then_some(run);
    }
    if run - s != 3 {
        return None;
    }
    let sep = *b.get(run)?;
    if !matches!(sep, b'-' | b' ') {
        return None;
    }
    let group_end = run_end(b, run + 1, digit);
    if group_end - run - 1 != 2 || b.get(group_end) != Some(&sep) {
        return None;
    }
    let end = run_end(b, group_end + 1, digit);
    if end - group_end - 1 != 4 {
        return None;
    }
    if !issuable(&b[s..run], &b[run + 1..group_end], &b[group_end + 1..end])
        || followed_by_group(b, end, sep)
        || !num_right_ok(text, end)
        || (sep == b' ' && preceded_by_group(b, s))
    {
        return None;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use crate::{Kind, Scanner};

    fn ssns(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::UsSsn)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn finds_ssns() {
        for ssn in [
            "123-45-6789",
            "078-05-1120",
            "536-22-1234",
            "536 22 1234",
            "899-99-9999",
        ] {
            for text in [
                ssn.to_string(),
                format!("SSN: {ssn}."),
                format!("{{\"ssn\":\"{ssn}\"}}"),
                format!("Número de seguro social {ssn} ✔"),
            ] {
                assert_eq!(ssns(&text), vec![ssn], "input: {text:?}");
            }
        }
    }

    #[test]
    fn finds_bare_ssns_only_after_a_label() {
        for text in [
            "SSN: 536221234",
            "ssn 536221234",
            "{\"customerSsn\": \"536221234\"}",
            "{\"customer_ssn\":\"536221234\"}",
            "social security number: 536221234",
            "Social Security No. 536221234",
            "my SSN is 536221234.",
        ] {
            assert_eq!(ssns(text), vec!["536221234"], "input: {text:?}");
        }
        for text in [
            "536221234",
            "id 536221234",
            "SSN: 666221234",
            "SSN: 5362212345",
            "SSN on file; account 536221234",
            "the lessn 536221234",
            "SSN#536221234",
            "social 536221234",
            "security number 536221234",
        ] {
            assert_eq!(ssns(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }

    #[test]
    fn ignores_unissued_and_unformatted_numbers() {
        let cases = [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "999-12-3456",
            "123-00-4567",
            "123-45-0000",
            "123456789",
            "123-45 6789",
            "123-456-789",
            "1234-56-7890",
            "123-45-67890",
            "ID-123-45-6789",
            "x123-45-6789",
            "123-45-6789-01",
            "123-45-6789.5",
            "ref 12 123 45 6789",
            "2024-01-15",
        ];
        for text in cases {
            assert_eq!(ssns(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
