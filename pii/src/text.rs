//! Byte-level helpers shared by the detectors: runs, boundaries and the char next to a
//! byte offset.
//!
//! Detectors work on bytes because every structure they look for is ASCII; they only
//! decode a char when a non-ASCII byte sits right at a boundary (an accented letter glued
//! to a number makes it part of a word; an emoji does not).

#[inline]
pub(crate) fn digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// The end of the run of bytes satisfying `f` that starts at `i`.
#[inline]
pub(crate) fn run_end(b: &[u8], mut i: usize, f: impl Fn(u8) -> bool) -> usize {
    while i < b.len() && f(b[i]) {
        i += 1;
    }
    i
}

pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

fn is_currency(c: char) -> bool {
    matches!(
        c,
        '€' | '£' | '¥' | '₹' | '₽' | '¢' | '₩' | '₺' | '₴' | '₪' | '₫' | '฿' | '₱'
    )
}

/// A non-ASCII char that glues to a number (a letter, another script's digit, a
/// currency sign); punctuation, spaces and emoji do not.
fn glues(c: char) -> bool {
    c.is_alphanumeric() || is_currency(c)
}

/// Whether the letter at `pos` is the tail of a JSON escape such as `\n`: agents' traces
/// are often serialised JSON, where "…\n202-555-0143" starts a new line rather than
/// gluing an `n` to the number.
pub(crate) fn escaped_control(b: &[u8], pos: usize) -> bool {
    matches!(b[pos], b'n' | b't' | b'r')
        && pos >= 1
        && b[pos - 1] == b'\\'
        && (pos < 2 || b[pos - 2] != b'\\')
}

/// Whether a number may start at `s`: what precedes it must not make it part of a longer
/// token (an id such as `ORD-2024`, `#1002`, `v2`, an amount such as `$1` or `1,234`).
pub(crate) fn num_left_ok(text: &str, s: usize) -> bool {
    if s == 0 {
        return true;
    }
    let b = text.as_bytes();
    let p = b[s - 1];
    if p >= 0x80 {
        return char_before(text, s).is_none_or(|c| !glues(c));
    }
    match p {
        b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => escaped_control(b, s - 1),
        b'_' | b'-' | b'/' | b'#' | b'$' | b'+' | b'@' | b'&' | b'%' | b'\\' | b'^' | b'~' => false,
        // "1,202-…" and "1.202.…" continue a number and "v.2" is a version; a comma after
        // a word is a list or a CSV field.
        b',' => s < 2 || !digit(b[s - 2]),
        b'.' => s < 2 || !b[s - 2].is_ascii_alphanumeric(),
        _ => true,
    }
}

/// Whether a number may end at `e`: the mirror of [`num_left_ok`]; a sentence's full stop
/// or comma is fine, a decimal part or a unit glued on is not.
pub(crate) fn num_right_ok(text: &str, e: usize) -> bool {
    let b = text.as_bytes();
    let Some(&c) = b.get(e) else {
        return true;
    };
    if c >= 0x80 {
        return char_at(text, e).is_none_or(|ch| !glues(ch));
    }
    match c {
        b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => false,
        b'_' | b'-' | b'/' | b'#' | b'@' | b'%' | b'$' | b'+' | b'&' | b'^' | b'~' => false,
        b'.' | b',' | b':' => !b.get(e + 1).is_some_and(|&d| digit(d)),
        _ => true,
    }
}

/// Whether a space-separated digit group ends right before `s` ("10 202 555 0143"): a
/// number inside a longer list of groups is not the number it looks like on its own.
pub(crate) fn preceded_by_group(b: &[u8], s: usize) -> bool {
    s >= 2 && b[s - 1] == b' ' && digit(b[s - 2])
}

/// Whether `sep` plus another digit group follows `e`.
pub(crate) fn followed_by_group(b: &[u8], e: usize, sep: u8) -> bool {
    e + 1 < b.len() && b[e] == sep && digit(b[e + 1])
}

/// The bytes of a key, token or flag name.
#[inline]
pub(crate) fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Whether a token may start at `s` (nothing word-like glued before it).
pub(crate) fn token_left_ok(text: &str, s: usize) -> bool {
    if s == 0 {
        return true;
    }
    let b = text.as_bytes();
    let p = b[s - 1];
    if p >= 0x80 {
        return char_before(text, s).is_none_or(|c| !c.is_alphanumeric());
    }
    if p.is_ascii_alphanumeric() {
        return escaped_control(b, s - 1);
    }
    !matches!(p, b'_' | b'-')
}
