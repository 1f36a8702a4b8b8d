//! Personal data in the traffic: an independent scanner holds `has_pii` to account, and card
//! numbers and IBANs pass their checks.

use super::{sample, strings_of};
use crate::fake::{iban_length, iban_valid, luhn_valid, ssn_valid};

fn boundary(chars: &[char], i: usize) -> bool {
    i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// An independent, pattern-based PII scanner (with the checks a careful scanner applies), to
/// hold `has_pii` to account.
fn find_pii(text: &str) -> Vec<String> {
    let c: Vec<char> = text.chars().collect();
    let mut hits = Vec::new();
    for i in 0..c.len() {
        // E-mail: word@domain.tld
        if c[i] == '@' && i > 0 && c[i - 1].is_alphanumeric() {
            let domain: String = c[i + 1..]
                .iter()
                .take_while(|ch| ch.is_alphanumeric() || **ch == '.' || **ch == '-')
                .collect();
            if domain.trim_end_matches('.').contains('.') {
                hits.push(format!("email@{domain}"));
            }
        }
        // Phone: international prefix +44 / +1.
        if c[i] == '+' {
            let rest: String = c[i + 1..].iter().take(4).collect();
            if rest.starts_with("44 7")
                || rest.starts_with("1 (")
                || (rest.starts_with("1 ") && rest[2..].starts_with(|ch: char| ch.is_ascii_digit()))
            {
                hits.push(format!("phone+{rest}"));
            }
        }
        // A match starts at a word boundary and not inside a spaced or hyphenated number.
        let continues_number =
            i >= 2 && (c[i - 1] == ' ' || c[i - 1] == '-') && c[i - 2].is_ascii_digit();
        if !boundary(&c, i) || continues_number {
            continue;
        }
        // Card: 13-19 digits, single spaces or hyphens between groups, Luhn-valid.
        if c[i].is_ascii_digit() {
            let mut j = i;
            let mut digits = String::new();
            while j < c.len() {
                if c[j].is_ascii_digit() {
                    digits.push(c[j]);
                    j += 1;
                } else if (c[j] == ' ' || c[j] == '-')
                    && j + 1 < c.len()
                    && c[j + 1].is_ascii_digit()
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let bounded = j == c.len() || !c[j].is_alphanumeric();
            if bounded && (13..=19).contains(&digits.len()) && luhn_valid(&digits) {
                hits.push(format!("card {digits}"));
            }
            // SSN: ddd-dd-dddd.
            let window: String = c[i..c.len().min(i + 11)].iter().collect();
            let after = c.get(i + 11);
            if window.len() == 11
                && after.is_none_or(|ch| !ch.is_alphanumeric())
                && ssn_valid(&window)
            {
                hits.push(format!("ssn {window}"));
            }
            // IPv4: four dotted octets.
            let ip: String = c[i..]
                .iter()
                .take_while(|ch| ch.is_ascii_digit() || **ch == '.')
                .collect();
            let ip = ip.trim_end_matches('.');
            let octets: Vec<&str> = ip.split('.').collect();
            if octets.len() == 4
                && octets.iter().all(|o| {
                    !o.is_empty() && o.len() <= 3 && o.parse::<u32>().is_ok_and(|v| v <= 255)
                })
            {
                hits.push(format!("ip {ip}"));
            }
        }
        // IBAN: country code, check digits, then the country's length of letters and digits.
        if i + 4 <= c.len()
            && c[i].is_ascii_uppercase()
            && c[i + 1].is_ascii_uppercase()
            && c[i + 2].is_ascii_digit()
            && c[i + 3].is_ascii_digit()
        {
            let country: String = c[i..i + 2].iter().collect();
            if let Some(len) = iban_length(&country) {
                let mut compact = String::new();
                let mut j = i;
                while j < c.len() && compact.len() < len {
                    if c[j].is_ascii_alphanumeric() {
                        compact.push(c[j]);
                    } else if c[j] != ' ' {
                        break;
                    }
                    j += 1;
                }
                if iban_valid(&compact) {
                    hits.push(format!("iban {compact}"));
                }
            }
        }
    }
    hits
}

#[test]
fn has_pii_matches_what_a_scanner_finds() {
    let mut with_pii = 0;
    for interaction in sample(14, 2000) {
        let hits: Vec<String> = strings_of(&interaction.request)
            .iter()
            .flat_map(|s| find_pii(s))
            .collect();
        assert_eq!(
            interaction.has_pii,
            !hits.is_empty(),
            "{} has_pii={} but scanner found {hits:?} in {:?}",
            interaction.agent,
            interaction.has_pii,
            strings_of(&interaction.request)
                .iter()
                .filter(|s| !find_pii(s).is_empty())
                .collect::<Vec<_>>()
        );
        if interaction.has_pii {
            with_pii += 1;
        }
    }
    assert!(with_pii > 40);
}

#[test]
fn card_numbers_and_ibans_in_the_traffic_pass_their_checks() {
    let mut cards = 0;
    let mut ibans = 0;
    for interaction in sample(15, 4000).iter().filter(|i| i.has_pii) {
        for s in strings_of(&interaction.request) {
            // Anything shaped like a card (3, 4 or 5, then 14-15 more digits in groups) is one.
            for token in s.split(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '-')) {
                let digits: String = token.chars().filter(char::is_ascii_digit).collect();
                if (15..=16).contains(&digits.len())
                    && digits.starts_with(['3', '4', '5'])
                    && token.trim().len() <= 19
                {
                    assert!(luhn_valid(&digits), "{token}");
                    cards += 1;
                }
            }
            for hit in find_pii(&s) {
                if let Some(iban) = hit.strip_prefix("iban ") {
                    assert!(iban_valid(iban));
                    ibans += 1;
                }
            }
            // Any IBAN-shaped run after a "to IBAN"/"account" must validate, not just those found.
            for (pos, _) in s.match_indices(['D', 'G', 'F', 'N']) {
                let cand: String = s[pos..]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .take(4)
                    .collect();
                let country = &cand[..cand.len().min(2)];
                if cand.len() == 4
                    && iban_length(country).is_some()
                    && cand[2..].chars().all(|c| c.is_ascii_digit())
                    && (pos == 0 || !s.as_bytes()[pos - 1].is_ascii_alphanumeric())
                {
                    let len = iban_length(country).unwrap_or(0);
                    let compact: String = s[pos..]
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .take(len)
                        .collect();
                    assert!(iban_valid(&compact), "{compact} in {s}");
                }
            }
        }
    }
    assert!(cards > 0 && ibans > 0, "cards {cards} ibans {ibans}");
}
