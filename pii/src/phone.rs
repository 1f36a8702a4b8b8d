//! Phone numbers: international (`+CC …`, `00CC …`), NANP (US and Canada) and a few
//! national layouts that nothing else shares (French pairs, UK, Spanish).
//!
//! Numbers are where pattern scanners drown in false positives (dates, ids, amounts,
//! versions, timestamps), so every accepted form is anchored on structure: a `+` or `00`
//! with a real country code, or separators in the exact places a national plan puts
//! them, plus NANP's digit rules. A bare run of digits is never a phone.

use crate::text::{
    digit, followed_by_group, num_left_ok, num_right_ok, preceded_by_group, run_end,
};

const MAX_GROUPS: usize = 8;
/// E.164 caps a number at 15 digits; one spare digit lets the "(0)" trunk prefix through.
const MAX_DIGITS: usize = 16;

/// Whether `cc` is an assigned E.164 country code. The codes form a prefix code, so at
/// most one prefix of a digit string can match.
fn is_country_code(cc: &[u8]) -> bool {
    let n = cc
        .iter()
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    match cc.len() {
        1 => matches!(n, 1 | 7),
        2 => matches!(
            n,
            20 | 27
                | 30..=34
                | 36
                | 39
                | 40
                | 41
                | 43..=49
                | 51..=58
                | 60..=66
                | 81
                | 82
                | 84
                | 86
                | 90..=95
                | 98
        ),
        3 => matches!(
            n,
            211 | 212
                | 213
                | 216
                | 218
                | 220..=258
                | 260..=269
                | 290
                | 291
                | 297..=299
                | 350..=359
                | 370..=378
                | 380..=383
                | 385..=387
                | 389
                | 420
                | 421
                | 423
                | 500..=509
                | 590..=599
                | 670
                | 672..=683
                | 685..=692
                | 800
                | 808
                | 850
                | 852
                | 853
                | 855
                | 856
                | 870
                | 878
                | 880..=883
                | 886
                | 888
                | 960..=968
                | 970..=977
                | 979
                | 992..=996
                | 998
        ),
        _ => false,
    }
}

#[derive(Clone, Copy, Default)]
struct Group {
    /// Digits are `start..end`; a parenthesised group's `)` sits at `end`.
    start: usize,
    end: usize,
    paren: bool,
}

impl Group {
    fn span_end(self) -> usize {
        self.end + usize::from(self.paren)
    }
}

/// Reads digit groups separated by one space, dash or dot, or glued to a parenthesised
/// group ("+1(555)…", "(0)20"), as an international number is written.
fn parse_groups(b: &[u8], mut pos: usize, groups: &mut [Group]) -> usize {
    let n = b.len();
    let mut count = 0;
    while count < groups.len() && pos < n {
        let g = if b[pos] == b'(' {
            let s = pos + 1;
            let e = run_end(b, s, digit);
            if e == s || e - s > 4 || b.get(e) != Some(&b')') {
                break;
            }
            Group {
                start: s,
                end: e,
                paren: true,
            }
        } else if digit(b[pos]) {
            Group {
                start: pos,
                end: run_end(b, pos, digit),
                paren: false,
            }
        } else {
            break;
        };
        groups[count] = g;
        count += 1;
        pos = g.span_end();
        let Some(&c) = b.get(pos) else { break };
        let next = b.get(pos + 1).copied().unwrap_or(0);
        if matches!(c, b' ' | b'-' | b'.') && (digit(next) || (c == b' ' && next == b'(')) {
            pos += 1;
        } else if !((g.paren && digit(c)) || (!g.paren && c == b'(')) {
            break;
        }
    }
    count
}

/// Validates an international number whose digit groups were parsed from a `+` or a
/// `00` prefix; `zeros` is the length of that `00`. Tries the longest run of groups
/// first and backs off, so "+44 20 7946 0958 2 rooms" still ends before the "2".
fn international(text: &str, groups: &[Group], zeros: usize, min_groups: usize) -> Option<usize> {
    let b = text.as_bytes();
    let first = groups.first()?;
    let first_len = (first.end - first.start).checked_sub(zeros)?;
    for k in (min_groups..=groups.len()).rev() {
        let mut digits = [0u8; MAX_DIGITS];
        let mut len = 0;
        let mut overflow = false;
        for (idx, g) in groups[..k].iter().enumerate() {
            let mut chunk = &b[g.start..g.end];
            if idx == 0 {
                chunk = &chunk[zeros..];
            } else if g.paren && chunk == b"0" {
                // The national trunk prefix, "+44 (0)20 …": not dialled from abroad.
                continue;
            }
            if len + chunk.len() > MAX_DIGITS {
                overflow = true;
                break;
            }
            digits[len..len + chunk.len()].copy_from_slice(chunk);
            len += chunk.len();
        }
        if overflow {
            continue;
        }
        let digits = &digits[..len];
        let cc_len = if k > 1 && first_len <= 3 {
            // A separated first group is the country code itself, or this is no phone.
            if first_len == 0 || !is_country_code(&digits[..first_len]) {
                return None;
            }
            first_len
        } else {
            if zeros > 0 {
                return None;
            }
            (1..=3).find(|&l| l <= len && is_country_code(&digits[..l]))?
        };
        let national = &digits[cc_len..];
        let plausible = match &digits[..cc_len] {
            b"1" => national.len() == 10 && national[0] >= b'2',
            b"7" => national.len() == 10,
            _ => (6..=12).contains(&national.len()) && len <= 15,
        };
        // One unbroken run after "+" must look like a full number, not "+25000000".
        if !plausible || (k == 1 && len < 10) {
            continue;
        }
        let end = groups[k - 1].span_end();
        if num_right_ok(text, end) {
            return Some(end);
        }
    }
    None
}

/// A number written from a `+` at `i`; starts at the `(` of "(+44) 20 7946 0958".
pub(crate) fn at_plus(text: &str, i: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    if !b.get(i + 1).is_some_and(|&c| matches!(c, b'1'..=b'9')) {
        return None;
    }
    let mut groups = [Group::default(); MAX_GROUPS];
    if i > 0 && b[i - 1] == b'(' {
        let cc_end = run_end(b, i + 1, digit);
        if cc_end - i - 1 <= 3 && b.get(cc_end) == Some(&b')') && b.get(cc_end + 1) == Some(&b' ') {
            if !num_left_ok(text, i - 1) {
                return None;
            }
            groups[0] = Group {
                start: i + 1,
                end: cc_end,
                paren: false,
            };
            let count = 1 + parse_groups(b, cc_end + 2, &mut groups[1..]);
            return international(text, &groups[..count], 0, 2).map(|e| (i - 1, e));
        }
    }
    if !num_left_ok(text, i) {
        return None;
    }
    let count = parse_groups(b, i + 1, &mut groups);
    international(text, &groups[..count], 0, 1).map(|e| (i, e))
}

/// A number with the `00` international prefix: "0044 20 7946 0958". Only the grouped
/// form counts, and its first group must be exactly `00` plus a country code: a run of
/// digits that happens to start with zeros is an id.
fn at_double_zero(text: &str, s: usize, run: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !(3..=5).contains(&(run - s)) || &b[s..s + 2] != b"00" || b[s + 2] == b'0' {
        return None;
    }
    let mut groups = [Group::default(); MAX_GROUPS];
    let count = parse_groups(b, s, &mut groups);
    international(text, &groups[..count], 2, 2)
}

/// NANP area code and exchange: both start with 2-9 and are not an N11 service code.
fn nanp_ok(area: &[u8], exchange: &[u8]) -> bool {
    let n11 = |d: &[u8]| d[1] == b'1' && d[2] == b'1';
    area[0] >= b'2' && exchange[0] >= b'2' && !n11(area) && !n11(exchange)
}

fn exact_digits(b: &[u8], pos: usize, k: usize) -> Option<usize> {
    let e = run_end(b, pos, digit);
    (e - pos == k).then_some(e)
}

fn is_sep(c: u8) -> bool {
    matches!(c, b' ' | b'-' | b'.')
}

/// US and Canadian numbers: `(202) 555-0143`, `202-555-0143`, `202.555.0143`,
/// `202 555 0143`, optionally after `1-`, `1 ` or `1.`. Also the entry point for a
/// number starting at `(`.
pub(crate) fn nanp(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut pos = s;
    let mut lead = None;
    if b[pos] == b'1'
        && b.get(pos + 1).is_some_and(|&c| is_sep(c))
        && b.get(pos + 2).is_some_and(|&c| digit(c) || c == b'(')
    {
        lead = Some(b[pos + 1]);
        pos += 2;
    }
    let (area, exchange, sep);
    if b.get(pos) == Some(&b'(') {
        let area_end = exact_digits(b, pos + 1, 3)?;
        if b.get(area_end) != Some(&b')') {
            return None;
        }
        area = pos + 1;
        let mut p = area_end + 1;
        if b.get(p) == Some(&b' ') {
            p += 1;
        }
        let exchange_end = exact_digits(b, p, 3)?;
        let c = *b.get(exchange_end)?;
        if !is_sep(c) {
            return None;
        }
        exchange = p;
        sep = c;
        pos = exchange_end + 1;
    } else {
        let area_end = exact_digits(b, pos, 3)?;
        let c = *b.get(area_end)?;
        // "202/555-0164": the area code set off by a slash.
        let slash = c == b'/' && lead.is_none();
        if !(is_sep(c) || slash) || lead.is_some_and(|l| l != c && l != b' ') {
            return None;
        }
        let exchange_end = exact_digits(b, area_end + 1, 3)?;
        let c2 = *b.get(exchange_end)?;
        if (slash && !matches!(c2, b'-' | b' ')) || (!slash && c2 != c) {
            return None;
        }
        area = pos;
        exchange = area_end + 1;
        sep = c2;
        pos = exchange_end + 1;
    }
    let end = exact_digits(b, pos, 4)?;
    if !nanp_ok(&b[area..area + 3], &b[exchange..exchange + 3])
        || followed_by_group(b, end, sep)
        || !num_right_ok(text, end)
    {
        return None;
    }
    if (sep == b' ' || lead == Some(b' ')) && preceded_by_group(b, s) {
        return None;
    }
    Some(end)
}

/// Reads digit groups of exactly the given sizes, all separated by the separator that
/// follows the first group (one of `seps`), and nothing more.
fn fixed_layout(text: &str, s: usize, sizes: &[usize], seps: &[u8]) -> Option<usize> {
    let b = text.as_bytes();
    let mut pos = s;
    let mut sep = 0;
    for (idx, &size) in sizes.iter().enumerate() {
        if idx > 0 {
            if idx == 1 {
                sep = *b.get(pos)?;
                if !seps.contains(&sep) {
                    return None;
                }
            } else if b.get(pos) != Some(&sep) {
                return None;
            }
            pos += 1;
        }
        pos = exact_digits(b, pos, size)?;
    }
    if followed_by_group(b, pos, sep) || !num_right_ok(text, pos) {
        return None;
    }
    if sep == b' ' && preceded_by_group(b, s) {
        return None;
    }
    Some(pos)
}

/// National layouts distinctive enough to stand without a country code: French
/// `06 12 34 56 78` (five pairs, the first `0[1-9]`), UK `020 7946 0958` /
/// `0161 496 0000` / `07700 900123` (11 digits from a leading 0), and Spanish
/// `612 34 56 78`. Amounts group by three, dates by two or four with other separators,
/// so none of these shapes collides with them.
fn national(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    let first = b[s];
    let second = b.get(s + 1).copied().unwrap_or(0);
    if first == b'0' && matches!(second, b'1'..=b'9') {
        let french = fixed_layout(text, s, &[2, 2, 2, 2, 2], b" .-");
        let uk = [&[3, 4, 4][..], &[4, 3, 4], &[5, 6], &[5, 3, 3]]
            .iter()
            .find_map(|sizes| fixed_layout(text, s, sizes, b" "));
        return french.or(uk);
    }
    if matches!(first, b'6'..=b'9') {
        return fixed_layout(text, s, &[3, 2, 2, 2], b" ");
    }
    None
}

/// A phone number starting at the digit `s`, whose digit run ends at `run`; the caller
/// has checked what precedes `s`.
pub(crate) fn at_digit(text: &str, s: usize, run: usize) -> Option<usize> {
    let len = run - s;
    let next = text.as_bytes().get(run).copied().unwrap_or(0);
    if !is_sep(next) && next != b'(' && next != b'/' {
        return None;
    }
    let mut best = None;
    if len == 3 || (len == 1 && text.as_bytes()[s] == b'1') {
        best = nanp(text, s);
    }
    if let Some(e) = at_double_zero(text, s, run) {
        best = best.max(Some(e));
    }
    if len <= 5
        && let Some(e) = national(text, s)
    {
        best = best.max(Some(e));
    }
    best
}

#[cfg(test)]
mod tests {
    use crate::{Kind, Scanner};

    fn phones(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Phone)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn finds_phones_in_every_listed_format() {
        let cases = [
            "+44 20 7946 0958",
            "+1-202-555-0143",
            "+49 30 1234567",
            "+33 1 23 45 67 89",
            "+91 98765 43210",
            "+1 (555) 123-4567",
            "+442079460958",
            "+44 (0)20 7946 0958",
            "+1.202.555.0143",
            "+1(202)555-0143",
            "(+44) 20 7946 0958",
            "(+49) 30 1234567",
            "0044 20 7946 0958",
            "0049 30 1234567",
            "(202) 555-0143",
            "(202)555-0143",
            "202-555-0143",
            "202.555.0143",
            "202 555 0143",
            "202/555-0143",
            "1-800-555-0199",
            "1 (800) 555-0199",
            "1 800 555 0199",
            "1.800.555.0199",
            "06 12 34 56 78",
            "01.23.45.67.89",
            "020 7946 0958",
            "0161 496 0000",
            "07700 900123",
            "612 34 56 78",
        ];
        for phone in cases {
            for text in [
                phone.to_string(),
                format!("Call me at {phone}."),
                format!("{{\"phone\":\"{phone}\"}}"),
                format!("tel:{phone}, thanks"),
                format!("Teléfono: {phone} 🙂"),
                format!("line one\\n{phone}\\n"),
                format!("1,Ann Lee,{phone},NY"),
            ] {
                assert_eq!(phones(&text), vec![phone], "input: {text:?}");
            }
        }
    }

    #[test]
    fn ignores_numbers_that_are_not_phones() {
        let cases = [
            "2025550143",
            "12025550143",
            "2024-01-15",
            "15.01.2024",
            "01/15/2024",
            "10:30:00",
            "2024-01-15 10:30:00",
            "2024-01-15T10:30:00+05:30",
            "UTC+05:30",
            "1705312200",
            "1705312200123",
            "ORD-2024-001234",
            "order #100234567",
            "INV-2024-0042",
            "1Z999AA10123456784",
            "SKU-448-2291-XL",
            "v2.14.3",
            "1.2.3.4.5",
            "$1,234,567.89",
            "1 234 567,00 EUR",
            "100-200",
            "48.8566, 2.3522",
            "37.7749,-122.4194",
            "550e8400-e29b-41d4-a716-446655440000",
            "d41d8cd98f00b204e9800998ecf8427e",
            "(123) 456-7890",
            "123-456-7890",
            "202-155-0143",
            "911-555-0143",
            "202-555-01435",
            "2202-555-0143",
            "202-555-0143-7",
            "202-555 0143",
            "202.555-0143",
            "202/555/0143",
            "202/555.0143",
            "01/15/2024",
            "123/456-7890",
            "1/202/555-0143",
            "ref 10 202 555 0143",
            "202 555 0143 22",
            "+0 20 7946 0958",
            "+1 555",
            "+100000000",
            "+1500000 EUR",
            "2+44 20 7946 0958",
            "(+44)20",
            "(+44) 7 items",
            "x+44 20 7946 0958",
            "+2.5%",
            "+12 points",
            "0012 3456 7890",
            "00 00 00 00 00",
            "01 02 03 04 05 06 07",
            "ISBN 978-3-16-148410-0",
            "port 8080 pid 4242 uid 1000",
            "+15%",
            "1,202-555-0143",
            "#202-555-0143",
            "id_202-555-0143",
            "202-555-0143€",
        ];
        for text in cases {
            assert_eq!(phones(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
