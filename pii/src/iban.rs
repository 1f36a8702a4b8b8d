//! IBANs: country code, two check digits and the national account number, contiguous or
//! printed in groups of four, with the exact length the country registered and a valid
//! ISO 7064 mod-97 check.
//!
//! Only upper case is accepted: lower-case IBANs are rare in practice, and accepting them
//! would let ordinary words followed by digits into the candidate set.

use crate::text::{digit, token_left_ok};

/// IBAN lengths by country: the SWIFT IBAN registry, plus the countries that use IBANs
/// outside it (French-speaking Africa, Algeria, Iran…) as banks there print them.
const LENGTHS: &[([u8; 2], u8)] = &[
    (*b"AD", 24),
    (*b"AE", 23),
    (*b"AL", 28),
    (*b"AO", 25),
    (*b"AT", 20),
    (*b"AZ", 28),
    (*b"BA", 20),
    (*b"BE", 16),
    (*b"BF", 28),
    (*b"BG", 22),
    (*b"BH", 22),
    (*b"BI", 27),
    (*b"BJ", 28),
    (*b"BR", 29),
    (*b"BY", 28),
    (*b"CF", 27),
    (*b"CG", 27),
    (*b"CH", 21),
    (*b"CI", 28),
    (*b"CM", 27),
    (*b"CR", 22),
    (*b"CV", 25),
    (*b"CY", 28),
    (*b"CZ", 24),
    (*b"DE", 22),
    (*b"DJ", 27),
    (*b"DK", 18),
    (*b"DO", 28),
    (*b"DZ", 26),
    (*b"EE", 20),
    (*b"EG", 29),
    (*b"ES", 24),
    (*b"FI", 18),
    (*b"FK", 18),
    (*b"FO", 18),
    (*b"FR", 27),
    (*b"GA", 27),
    (*b"GB", 22),
    (*b"GE", 22),
    (*b"GI", 23),
    (*b"GL", 18),
    (*b"GQ", 27),
    (*b"GR", 27),
    (*b"GT", 28),
    (*b"GW", 25),
    (*b"HN", 28),
    (*b"HR", 21),
    (*b"HU", 28),
    (*b"IE", 22),
    (*b"IL", 23),
    (*b"IQ", 23),
    (*b"IR", 26),
    (*b"IS", 26),
    (*b"IT", 27),
    (*b"JO", 30),
    (*b"KM", 27),
    (*b"KW", 30),
    (*b"KZ", 20),
    (*b"LB", 28),
    (*b"LC", 32),
    (*b"LI", 21),
    (*b"LT", 20),
    (*b"LU", 20),
    (*b"LV", 21),
    (*b"LY", 25),
    (*b"MA", 28),
    (*b"MC", 27),
    (*b"MD", 24),
    (*b"ME", 22),
    (*b"MG", 27),
    (*b"MK", 19),
    (*b"ML", 28),
    (*b"MN", 20),
    (*b"MR", 27),
    (*b"MT", 31),
    (*b"MU", 30),
    (*b"MZ", 25),
    (*b"NE", 28),
    (*b"NI", 28),
    (*b"NL", 18),
    (*b"NO", 15),
    (*b"OM", 23),
    (*b"PK", 24),
    (*b"PL", 28),
    (*b"PS", 29),
    (*b"PT", 25),
    (*b"QA", 29),
    (*b"RO", 24),
    (*b"RS", 22),
    (*b"RU", 33),
    (*b"SA", 24),
    (*b"SC", 31),
    (*b"SD", 18),
    (*b"SE", 24),
    (*b"SI", 19),
    (*b"SK", 24),
    (*b"SM", 27),
    (*b"SN", 28),
    (*b"SO", 23),
    (*b"ST", 25),
    (*b"SV", 28),
    (*b"TD", 27),
    (*b"TG", 28),
    (*b"TL", 23),
    (*b"TN", 24),
    (*b"TR", 26),
    (*b"UA", 29),
    (*b"VA", 22),
    (*b"VG", 24),
    (*b"XK", 20),
    (*b"YE", 30),
];

const MAX_LEN: usize = 34;

fn length_for(country: [u8; 2]) -> Option<usize> {
    LENGTHS
        .binary_search_by(|(c, _)| c.cmp(&country))
        .ok()
        .map(|i| usize::from(LENGTHS[i].1))
}

/// ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to the end.
fn mod97(iban: &[u8]) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.iter().chain(head).fold(0u32, |r, &c| {
        if digit(c) {
            (r * 10 + u32::from(c - b'0')) % 97
        } else {
            (r * 100 + u32::from(c - b'A') + 10) % 97
        }
    })
}

/// An IBAN starting at the country code at `s`.
pub(crate) fn at(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !token_left_ok(text, s) {
        return None;
    }
    let len = length_for([*b.get(s)?, *b.get(s + 1)?])?;
    let grouped = b.get(s + 4) == Some(&b' ');
    let mut iban = [0u8; MAX_LEN];
    let mut pos = s;
    for (k, slot) in iban[..len].iter_mut().enumerate() {
        if grouped && k > 0 && k % 4 == 0 {
            if b.get(pos) != Some(&b' ') {
                return None;
            }
            pos += 1;
        }
        let c = *b.get(pos)?;
        let ok = match k {
            0 | 1 => c.is_ascii_uppercase(),
            2 | 3 => digit(c),
            _ => digit(c) || c.is_ascii_uppercase(),
        };
        if !ok {
            return None;
        }
        *slot = c;
        pos += 1;
    }
    if b.get(pos)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
    {
        return None;
    }
    (mod97(&iban[..len]) == 1).then_some(pos)
}

#[cfg(test)]
mod tests {
    use super::LENGTHS;
    use crate::{Kind, Scanner};

    fn ibans(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Iban)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn finds_ibans_contiguous_and_grouped() {
        let cases = [
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "GB82 WEST 1234 5698 7654 32",
            "FR1420041010050500013M02606",
            "FR14 2004 1010 0505 0001 3M02 606",
            "ES9121000418450200051332",
            "NL91ABNA0417164300",
            "BE68539007547034",
            "NO9386011117947",
            "CH9300762011623852957",
            "IT60X0542811101000000123456",
            "AT611904300234573201",
            "PL61109010140000071219812874",
            "SA0380000000608010167519",
            "MT84MALT011000012345MTLCAST001S",
        ];
        for iban in cases {
            for text in [
                iban.to_string(),
                format!("IBAN: {iban}."),
                format!("{{\"iban\":\"{iban}\",\"amount\":120}}"),
                format!("Überweisung auf {iban} erhalten ✅"),
            ] {
                assert_eq!(ibans(&text), vec![iban], "input: {text:?}");
            }
        }
    }

    #[test]
    fn ignores_near_misses() {
        let cases = [
            // Check digits wrong.
            "DE88370400440532013000",
            "GB83 WEST 1234 5698 7654 32",
            // Length does not match the country.
            "DE8937040044053201300",
            "DE893704004405320130001",
            "DE89 3704 0044 0532 0130 0012",
            // Unknown country, lower case, glued, bad grouping.
            "XX89370400440532013000",
            "de89370400440532013000",
            "IDDE89370400440532013000",
            "DE89 37040044 0532 0130 00",
            "DE89370400440532013000X",
            "AB12",
            "ISO 9001 certified, RFC 3339, HTTP 2",
            "CVE-2024-3094",
        ];
        for text in cases {
            assert_eq!(ibans(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
