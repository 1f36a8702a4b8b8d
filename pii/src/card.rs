//! Payment card numbers (PANs): 13-19 digits, contiguous or printed in the usual groups,
//! that pass the Luhn check and start with a real issuer's prefix.
//!
//! One random digit string in ten passes Luhn, so the issuer table does real work: ids,
//! timestamps (which start with 1) and most counters fall outside it.

use crate::text::{digit, num_right_ok, preceded_by_group, run_end};

const MAX_LEN: usize = 19;

fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if !i.is_multiple_of(2) {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// Whether the number starts with a prefix of a scheme that issues cards of this length.
fn issuer_ok(digits: &[u8]) -> bool {
    let prefix = |k: usize| {
        digits[..k]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'))
    };
    let len = digits.len();
    let (p2, p3, p4) = (prefix(2), prefix(3), prefix(4));
    match digits[0] {
        // Visa.
        b'4' => matches!(len, 13 | 16 | 19),
        b'2' => {
            // Mastercard's 2-series and Mir.
            ((2221..=2720).contains(&p4) || (2200..=2204).contains(&p4)) && len == 16
        }
        b'3' => {
            // Amex, JCB, Diners.
            (matches!(p2, 34 | 37) && len == 15)
                || ((3528..=3589).contains(&p4) && (16..=19).contains(&len))
                || (((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39))
                    && (14..=19).contains(&len))
        }
        b'5' => {
            // Mastercard, then Maestro.
            ((51..=55).contains(&p2) && len == 16)
                || (matches!(p2, 50 | 56..=58) && (13..=19).contains(&len))
        }
        b'6' => {
            // Discover, UnionPay, Maestro (6304 Laser, 639, 67xx). Other 6x prefixes are
            // not cards often enough to redact on a checksum alone.
            ((p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && (16..=19).contains(&len))
                || (p2 == 62 && (16..=19).contains(&len))
                || ((p4 == 6304 || p3 == 639 || p2 == 67) && (13..=19).contains(&len))
        }
        _ => false,
    }
}

fn valid(digits: &[u8]) -> bool {
    (13..=MAX_LEN).contains(&digits.len()) && issuer_ok(digits) && luhn(digits)
}

/// A card number starting at the digit `s`, whose digit run ends at `run`; the caller
/// has checked what precedes `s`.
pub(crate) fn at_digit(text: &str, s: usize, run: usize) -> Option<usize> {
    let b = text.as_bytes();
    let first = run - s;
    if first >= 13 {
        return (first <= MAX_LEN && num_right_ok(text, run) && valid(&b[s..run])).then_some(run);
    }
    if first != 4 {
        return None;
    }
    let sep = *b.get(run)?;
    if !matches!(sep, b' ' | b'-') || (sep == b' ' && preceded_by_group(b, s)) {
        return None;
    }
    let mut digits = [0u8; MAX_LEN];
    digits[..4].copy_from_slice(&b[s..run]);
    let mut len = 4;
    let mut sizes = [0usize; 5];
    sizes[0] = 4;
    let mut groups = 1;
    let mut pos = run;
    while b.get(pos) == Some(&sep) && b.get(pos + 1).is_some_and(|&c| digit(c)) {
        let e = run_end(b, pos + 1, digit);
        let size = e - pos - 1;
        if groups == sizes.len() || len + size > MAX_LEN {
            return None;
        }
        digits[len..len + size].copy_from_slice(&b[pos + 1..e]);
        len += size;
        sizes[groups] = size;
        groups += 1;
        pos = e;
    }
    let sizes = &sizes[..groups];
    // Fours with a shorter tail (Visa, Mastercard, 19-digit cards), or Amex's and
    // Diners' 4-6-5 and 4-6-4.
    let layout_ok = groups >= 3
        && ((sizes[..groups - 1].iter().all(|&g| g == 4) && (1..=4).contains(&sizes[groups - 1]))
            || sizes == [4, 6, 5]
            || sizes == [4, 6, 4]);
    (layout_ok && num_right_ok(text, pos) && valid(&digits[..len])).then_some(pos)
}

#[cfg(test)]
mod tests {
    use super::luhn;
    use crate::{Kind, Scanner};

    fn cards(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::CreditCard)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn luhn_known_values() {
        assert!(luhn(b"4111111111111111"));
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"4111111111111112"));
    }

    #[test]
    fn finds_cards_of_every_issuer_and_layout() {
        let cases = [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4012888888881881",
            "4222222222222",
            "5555555555554444",
            "5105 1051 0510 5100",
            "2223003122003222",
            "378282246310005",
            "3782 822463 10005",
            "371449635398431",
            "6011111111111117",
            "6011 0009 9013 9424",
            "3530111333300000",
            "3566002020360505",
            "30569309025904",
            "3056 930902 5904",
            "36227206271667",
            "6200000000000005",
            "6759649826438453",
            "5018 0000 0000 0009",
        ];
        for card in cases {
            for text in [
                card.to_string(),
                format!("Card: {card}, exp 12/27"),
                format!("{{\"pan\":\"{card}\"}}"),
                format!("Paiement refusé pour la carte {card} 😕"),
            ] {
                assert_eq!(cards(&text), vec![card], "input: {text:?}");
            }
        }
    }

    #[test]
    fn ignores_numbers_that_are_not_cards() {
        let cases = [
            // Luhn fails.
            "4111111111111112",
            "4111 1111 1111 1112",
            // Luhn passes but no issuer starts with 1, 7, 8, 9 (timestamps, ids).
            "1705312200123458",
            "7000000000000005",
            "9999999999999995",
            // Wrong length for the issuer.
            "41111111111114",
            "34000000000000",
            // Mixed or odd grouping, glued, too long.
            "4111 1111-1111 1111",
            "41111 11111 111111",
            "4111111111111111111111",
            "card4111111111111111",
            "4111111111111111x",
            "ORD-4111111111111111",
            "#4111111111111111",
            "4111111111111111.5",
            "12 4111 1111 1111 1111",
            "4111 1111 1111 1111 1111 1111",
            "1Z999AA10123456784",
        ];
        for text in cases {
            assert_eq!(cards(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
