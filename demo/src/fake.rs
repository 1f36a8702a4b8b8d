//! Synthetic identifiers: personal data that a PII scanner must find, and look-alikes it must not.
//!
//! The personal data is shaped like the real thing (card numbers pass Luhn, IBANs pass mod-97,
//! SSNs use assignable ranges, phone numbers use real area codes) because a scanner that checks
//! those properties would otherwise rightly ignore them. The look-alikes are built to fail the same
//! checks, so they stay negatives even for a careful scanner.

use rand::Rng;
use rand::rngs::StdRng;

/// Picks one item; `fallback` only matters for an empty slice, which the banks never are.
pub(crate) fn pick<T: Copy>(rng: &mut StdRng, items: &[T], fallback: T) -> T {
    if items.is_empty() {
        fallback
    } else {
        items[rng.random_range(0..items.len())]
    }
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// Upper-case letters and digits, as in provider response ids and CRM keys.
pub(crate) fn alnum(rng: &mut StdRng, n: usize) -> String {
    const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| char::from(SET[rng.random_range(0..SET.len())]))
        .collect()
}

pub(crate) fn hex(rng: &mut StdRng, n: usize) -> String {
    const SET: &[u8] = b"0123456789abcdef";
    (0..n)
        .map(|_| char::from(SET[rng.random_range(0..SET.len())]))
        .collect()
}

/// The Luhn check digit that makes `payload` followed by it valid.
fn luhn_check_digit(payload: &str) -> u32 {
    let mut sum = 0;
    // Counting from the right of the finished number, the check digit is position 1, so the
    // payload's rightmost digit is position 2 and gets doubled.
    for (i, c) in payload.chars().rev().enumerate() {
        let mut d = c.to_digit(10).unwrap_or(0);
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    (10 - sum % 10) % 10
}

/// True when the digits of `number` (spaces and hyphens ignored) pass the Luhn check.
#[cfg(test)]
pub(crate) fn luhn_valid(number: &str) -> bool {
    let ds: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    if ds.len() < 2 {
        return false;
    }
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `prefix` followed by random digits, `len` digits in all, failing Luhn as a whole: tracking
/// numbers and gift cards that must not read as card numbers.
pub(crate) fn digits_failing_luhn(rng: &mut StdRng, prefix: &str, len: usize) -> String {
    let payload = format!(
        "{prefix}{}",
        digits(rng, len.saturating_sub(prefix.len() + 1))
    );
    let bad = (luhn_check_digit(&payload) + 1 + rng.random_range(0..8)) % 10;
    format!("{payload}{bad}")
}

fn group(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = Vec::new();
    let mut rest = s;
    for &n in sizes {
        let (head, tail) = rest.split_at(n.min(rest.len()));
        if !head.is_empty() {
            out.push(head);
        }
        rest = tail;
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out.join(sep)
}

/// A Luhn-valid Visa, Mastercard or Amex number, printed as people type them.
pub(crate) fn card_number(rng: &mut StdRng) -> String {
    let (prefix, len, groups): (String, usize, &[usize]) = match rng.random_range(0..10) {
        0..=5 => ("4".to_string(), 16, &[4, 4, 4, 4]),
        6..=8 => (format!("5{}", rng.random_range(1..=5)), 16, &[4, 4, 4, 4]),
        _ => (format!("3{}", pick(rng, &[4, 7], 4)), 15, &[4, 6, 5]),
    };
    let payload = format!("{prefix}{}", digits(rng, len - 1 - prefix.len()));
    let number = format!("{payload}{}", luhn_check_digit(&payload));
    match rng.random_range(0..4) {
        0 => number,
        1 => group(&number, groups, "-"),
        _ => group(&number, groups, " "),
    }
}

/// The ISO 13616 remainder of an IBAN (spaces ignored); 1 means valid.
fn iban_remainder(iban: &str) -> Option<u32> {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 5 || !compact.is_ascii() {
        return None;
    }
    let (head, tail) = compact.split_at(4);
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let v = c.to_digit(36)?;
        // Letters expand to two digits (A=10 .. Z=35); digits stay one.
        if v >= 10 {
            rem = (rem * 100 + v) % 97;
        } else {
            rem = (rem * 10 + v) % 97;
        }
    }
    Some(rem)
}

/// The IBAN length of the countries a scanner is likely to meet here.
#[cfg(test)]
pub(crate) fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "DE" | "GB" | "IE" => 22,
        "FR" | "IT" => 27,
        "NL" => 18,
        "ES" => 24,
        "CH" => 21,
        "AT" => 20,
        "BE" => 16,
        _ => return None,
    })
}

/// True when `iban` has its country's length, check digits in place and passes mod-97.
#[cfg(test)]
pub(crate) fn iban_valid(iban: &str) -> bool {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = compact.as_bytes();
    bytes.len() >= 4
        && iban_length(&compact[..2]) == Some(bytes.len())
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && iban_remainder(&compact) == Some(1)
}

/// An IBAN for a plausible bank with correct check digits, compact or in print groups of four.
pub(crate) fn iban(rng: &mut StdRng) -> String {
    let (country, bban) = match rng.random_range(0..5) {
        0 | 1 => ("DE", digits(rng, 18)),
        2 => {
            let bank = pick(
                rng,
                &["WEST", "NWBK", "BARC", "LOYD", "MIDL", "HBUK"],
                "NWBK",
            );
            ("GB", format!("{bank}{}", digits(rng, 14)))
        }
        3 => ("FR", digits(rng, 23)),
        _ => {
            let bank = pick(rng, &["ABNA", "INGB", "RABO"], "INGB");
            ("NL", format!("{bank}{}", digits(rng, 10)))
        }
    };
    let rem = iban_remainder(&format!("{country}00{bban}")).unwrap_or(0);
    let compact = format!("{country}{:02}{bban}", 98 - rem);
    if rng.random_bool(0.6) {
        group(&compact, &[4; 8], " ")
    } else {
        compact
    }
}

/// True for an SSN in the assignable ranges (no 000/666/9xx area, no 00 group, no 0000 serial).
#[cfg(test)]
pub(crate) fn ssn_valid(ssn: &str) -> bool {
    let parts: Vec<&str> = ssn.split('-').collect();
    let [area, group, serial] = parts.as_slice() else {
        return false;
    };
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (num(area, 3), num(group, 2), num(serial, 4)) {
        (Some(a), Some(g), Some(s)) => a != 0 && a != 666 && a < 900 && g != 0 && s != 0,
        _ => false,
    }
}

pub(crate) fn ssn(rng: &mut StdRng) -> String {
    let mut area = rng.random_range(1..900);
    if area == 666 {
        area = 667;
    }
    format!(
        "{area:03}-{:02}-{:04}",
        rng.random_range(1..100),
        rng.random_range(1..10000)
    )
}

/// A 3-2-4 part number in the 9xx range, which the SSA never assigns: an SSN look-alike.
pub(crate) fn part_number(rng: &mut StdRng) -> String {
    format!(
        "{}-{:02}-{:04}",
        rng.random_range(900..1000),
        rng.random_range(1..100),
        rng.random_range(1..10000)
    )
}

/// A UK mobile or US number with a real area code, in the formats people write them.
pub(crate) fn phone(rng: &mut StdRng) -> String {
    if rng.random_bool(0.5) {
        let first = rng.random_range(4..10);
        let rest = digits(rng, 8);
        let (a, b) = rest.split_at(2);
        format!("+44 7{first}{a} {b}")
    } else {
        let area = pick(
            rng,
            &[212, 415, 646, 312, 617, 206, 512, 303, 718, 404],
            212,
        );
        let mut exchange = rng.random_range(201..990);
        // 555 is the fictional exchange and N11 codes are service numbers: neither is a real line.
        if exchange == 555 || exchange % 100 == 11 {
            exchange += 1;
        }
        let line = rng.random_range(0..10000);
        if rng.random_bool(0.5) {
            format!("+1 ({area}) {exchange}-{line:04}")
        } else {
            format!("+1 {area}-{exchange}-{line:04}")
        }
    }
}

const FIRST_NAMES: &[&str] = &[
    "maria", "james", "aisha", "tom", "sofia", "daniel", "chloe", "lukas", "emma", "oliver",
    "priya", "noah", "hannah", "mateo", "lea", "samuel", "grace", "jonas", "nina", "ryan",
];
const LAST_NAMES: &[&str] = &[
    "schmidt", "okafor", "brown", "novak", "patel", "garcia", "murphy", "jensen", "rossi",
    "kowalski", "nguyen", "fischer", "taylor", "dubois", "walsh", "larsen", "costa", "evans",
];
const MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "proton.me",
    "icloud.com",
    "gmx.de",
    "hotmail.com",
    "brightline-logistics.com",
    "kestrelhealth.co.uk",
];

pub(crate) fn email(rng: &mut StdRng) -> String {
    let first = pick(rng, FIRST_NAMES, "alex");
    let last = pick(rng, LAST_NAMES, "smith");
    let domain = pick(rng, MAIL_DOMAINS, "gmail.com");
    match rng.random_range(0..4) {
        0 => format!("{first}.{last}@{domain}"),
        1 => format!("{first}.{last}{}@{domain}", rng.random_range(70..100)),
        2 => format!("{}{last}@{domain}", &first[..1]),
        _ => format!("{first}_{last}{}@{domain}", rng.random_range(1..30)),
    }
}

/// A public-looking IPv4 address (the first octets are from ISP and hosting ranges).
pub(crate) fn ipv4(rng: &mut StdRng) -> String {
    let first = pick(
        rng,
        &[
            31, 46, 62, 77, 81, 82, 86, 92, 109, 145, 176, 185, 188, 212, 213, 217,
        ],
        81,
    );
    format!(
        "{first}.{}.{}.{}",
        rng.random_range(0..256),
        rng.random_range(0..256),
        rng.random_range(1..255)
    )
}

/// A gift-card number: card-length digits that fail Luhn, so a careful scanner skips them.
pub(crate) fn gift_card(rng: &mut StdRng) -> String {
    group(&digits_failing_luhn(rng, "6034", 19), &[4, 4, 4, 4, 3], " ")
}

/// A carrier's tracking number; all-digit ones fail Luhn on purpose.
pub(crate) fn tracking_number(rng: &mut StdRng, carrier: &str) -> String {
    match carrier {
        // Letters inside the shipper number keep the longest digit run short of card length.
        "UPS" => format!(
            "1Z{}{}{}{}{}",
            digits(rng, 3),
            char::from(b'A' + rng.random_range(0..26u8)),
            char::from(b'A' + rng.random_range(0..26u8)),
            digits(rng, 1),
            digits(rng, 10)
        ),
        "DHL" => format!("JD{}", digits_failing_luhn(rng, "0146", 16)),
        "DPD" => digits_failing_luhn(rng, "155", 14),
        "Royal Mail" => format!(
            "{}{}{}GB",
            char::from(b'A' + rng.random_range(0..26u8)),
            char::from(b'A' + rng.random_range(0..26u8)),
            digits(rng, 9)
        ),
        _ => digits_failing_luhn(rng, "7", 12),
    }
}

/// A random UUID (version 4 layout), for `service.instance.id`.
pub(crate) fn uuid(rng: &mut StdRng) -> String {
    let h = hex(rng, 32);
    let variant = pick(rng, &['8', '9', 'a', 'b'], '8');
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        variant,
        &h[17..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn known_values_pass_and_fail_the_checks() {
        assert!(luhn_valid("4111 1111 1111 1111"));
        assert!(luhn_valid("378282246310005"));
        assert!(!luhn_valid("4111 1111 1111 1112"));
        assert!(iban_valid("DE89 3704 0044 0532 0130 00"));
        assert!(iban_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(!iban_valid("GB82 WEST 1234 5698 7654 33"));
        assert!(ssn_valid("123-45-6789"));
        assert!(!ssn_valid("666-45-6789"));
        assert!(!ssn_valid("912-45-6789"));
        assert!(!ssn_valid("123-00-6789"));
    }

    #[test]
    fn generated_identifiers_pass_their_checks() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..2000 {
            let card = card_number(&mut rng);
            assert!(luhn_valid(&card), "{card}");
            let iban = iban(&mut rng);
            assert!(iban_valid(&iban), "{iban}");
            let ssn = ssn(&mut rng);
            assert!(ssn_valid(&ssn), "{ssn}");
        }
    }

    #[test]
    fn look_alikes_fail_the_checks() {
        let mut rng = StdRng::seed_from_u64(8);
        for _ in 0..2000 {
            assert!(!luhn_valid(&gift_card(&mut rng)));
            assert!(!ssn_valid(&part_number(&mut rng)));
            for carrier in ["DHL", "DPD", "FedEx"] {
                assert!(!luhn_valid(&tracking_number(&mut rng, carrier)));
            }
        }
    }
}
