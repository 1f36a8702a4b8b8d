//! Values assigned to a credential-named key: `key=value` and `key: value` in env,
//! query, config and JSON form (also prose such as "Passwort für das WLAN: X"), and
//! command-line flags (`--token X`, `--password=X`, `["--api-key", "X"]`).

use super::Span;
use super::key_class::{KeyClass, classify_key, plausible};
use crate::text::{is_token_byte, run_end};

/// Where an unquoted value ends: at whitespace, a quote, or punctuation that separates
/// fields in the forms we read (query strings, JSON, shell).
fn unquoted_end(b: &[u8], v: usize) -> usize {
    run_end(b, v, |c| {
        !(c.is_ascii_whitespace()
            || matches!(
                c,
                b',' | b';'
                    | b'&'
                    | b'"'
                    | b'\''
                    | b'<'
                    | b'>'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'\\'
                    | b'`'
                    | b'|'
            ))
    })
}

/// The span inside the quotes opening at `q` (a `"`, `'` or JSON-escaped `\"`).
fn quoted(b: &[u8], q: usize) -> Option<Span> {
    let escaped = b[q] == b'\\';
    let quote = if escaped { *b.get(q + 1)? } else { b[q] };
    if !matches!(quote, b'"' | b'\'') {
        return None;
    }
    let start = q + 1 + usize::from(escaped);
    let mut k = start;
    while k < b.len() && k - start <= 1024 {
        match b[k] {
            b'\n' => return None,
            b'\\' if escaped && b.get(k + 1) == Some(&quote) => return Some((start, k)),
            b'\\' if !escaped => k += 2,
            c if c == quote && !escaped => return Some((start, k)),
            _ => k += 1,
        }
    }
    None
}

/// Skips an HTTP auth scheme word ("Bearer ", "Basic ", "Token ") at `v`.
fn skip_scheme(b: &[u8], v: usize) -> usize {
    for scheme in [&b"bearer "[..], b"basic ", b"token ", b"digest "] {
        if b.len() >= v + scheme.len() && b[v..v + scheme.len()].eq_ignore_ascii_case(scheme) {
            return v + scheme.len();
        }
    }
    v
}

/// Reads the value assigned at `v` to a key of `class` named `key`. `spaced` says the
/// separator included whitespace.
fn value_at(b: &[u8], v: usize, class: KeyClass, key: &[u8], spaced: bool) -> Option<Span> {
    let c = *b.get(v)?;
    if c == b'"' || c == b'\'' || (c == b'\\' && matches!(b.get(v + 1), Some(b'"' | b'\''))) {
        let (mut s, e) = quoted(b, v)?;
        if class == KeyClass::Authorization {
            s = skip_scheme(b, s).min(e);
        }
        return plausible(&b[s..e], class, false).then_some((s, e));
    }
    let mut s = v;
    if class == KeyClass::Authorization {
        s = skip_scheme(b, s);
    }
    let mut e = unquoted_end(b, s);
    // "Your password: hunter2." ends a sentence.
    if e > s + 1 && b[e - 1] == b'.' && b.get(e).is_none_or(|c| c.is_ascii_whitespace()) {
        e -= 1;
    }
    let value = &b[s..e];
    // Code, not data: `password=getpass()`, `token=os.environ["TOKEN"]`,
    // `password=args.password`, `api_key=api_key`.
    let call_or_index = matches!(b.get(e), Some(b'(' | b'['));
    let identifier_path = value.contains(&b'.')
        && value
            .iter()
            .all(|&c| c.is_ascii_lowercase() || matches!(c, b'_' | b'.'));
    if call_or_index || identifier_path || value.eq_ignore_ascii_case(key) {
        return None;
    }
    plausible(value, class, spaced).then_some((s, e))
}

/// A value assigned with the `=` or `:` at `i` to a credential-named key before it.
pub(crate) fn assignment(b: &[u8], i: usize) -> Option<Span> {
    if matches!(b.get(i + 1), Some(b'=' | b':')) {
        return None;
    }
    let mut k = i;
    if k > 0 && b[k - 1] == b' ' {
        k -= 1;
    }
    let quoted_key = k > 0 && matches!(b[k - 1], b'"' | b'\'');
    if quoted_key {
        k -= 1;
        if k > 0 && b[k - 1] == b'\\' {
            k -= 1;
        }
    }
    let key_end = k;
    while k > 0
        && key_end - k < 64
        && (is_token_byte(b[k - 1]) || b[k - 1] == b'.' || b[k - 1] >= 0x80)
    {
        k -= 1;
    }
    // A URL's "//user:password@" is read from its `@`, where the password's end is known.
    if k == key_end
        || (k > 0 && b[k - 1].is_ascii_alphanumeric())
        || (k >= 2 && &b[k - 2..k] == b"//")
    {
        return None;
    }
    let key = &b[k..key_end];
    let (class, prose) = match classify_key(key) {
        Some(class) => (class, false),
        None if b[i] == b':' && !quoted_key && names_password(b, key_end) => {
            (KeyClass::Password, true)
        }
        None => return None,
    };
    let mut v = i + 1;
    while v < b.len() && v - i <= 4 && matches!(b[v], b' ' | b'\t') {
        v += 1;
    }
    value_at(b, v, class, key, prose || v > i + 1)
}

/// Whether the words of the clause ending at `end` name a password: "Passwort für das
/// WLAN: X", "mot de passe temporaire : X", "password for the VPN: X".
fn names_password(b: &[u8], end: usize) -> bool {
    const WORDS: &[&[u8]] = &[
        b"password",
        b"passwort",
        b"kennwort",
        b"motdepasse",
        b"contrasena",
        b"passphrase",
    ];
    let mut start = end;
    while start > 0
        && end - start < 48
        && !matches!(
            b[start - 1],
            b'\n'
                | b'.'
                | b','
                | b';'
                | b':'
                | b'!'
                | b'?'
                | b'"'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'<'
                | b'>'
                | b'='
        )
    {
        start -= 1;
    }
    let mut letters = [0u8; 48];
    let mut n = 0;
    let mut k = start;
    while k < end {
        let c = b[k];
        if c.is_ascii_alphabetic() {
            letters[n] = c.to_ascii_lowercase();
            n += 1;
        } else if c == 0xC3 && matches!(b.get(k + 1), Some(0xB1 | 0x91)) {
            letters[n] = b'n';
            n += 1;
            k += 1;
        }
        k += 1;
    }
    let letters = &letters[..n];
    // Prose has spaces; a lone key such as `password_policy` is a field of its own.
    b[start..end].contains(&b' ')
        && WORDS
            .iter()
            .any(|w| letters.windows(w.len()).any(|win| win == *w))
}

/// A credential flag at the `--` at `i`: `--token=X`, `--token X`, or a JSON array's
/// `"--token", "X"`. Returns the value, or `Err` with where to resume.
pub(super) fn flag(b: &[u8], i: usize) -> Result<Span, usize> {
    let name_start = i + 2;
    if (i > 0 && is_token_byte(b[i - 1])) || !b.get(name_start).is_some_and(u8::is_ascii_alphabetic)
    {
        return Err(name_start);
    }
    let name_end = run_end(b, name_start, is_token_byte);
    let name = &b[name_start..name_end];
    let Some(class) = classify_key(name) else {
        return Err(name_end);
    };
    let value = match b.get(name_end) {
        Some(b'=') => value_at(b, name_end + 1, class, name, false),
        Some(b' ') => {
            let v = run_end(b, name_end, |c| c == b' ');
            match b.get(v) {
                Some(b'-') => None,
                _ => value_at(b, v, class, name, true),
            }
        }
        Some(&q @ (b'"' | b'\'' | b'\\')) => {
            // An argv array: the flag's closing quote, a comma, the value's opening quote.
            let after_quote = name_end + if q == b'\\' { 2 } else { 1 };
            let mut v = after_quote;
            if b.get(v) == Some(&b',') {
                v = run_end(b, v + 1, |c| c == b' ');
                value_at(b, v, class, name, false)
                    .filter(|_| matches!(b.get(v), Some(b'"' | b'\'' | b'\\')))
            } else {
                None
            }
        }
        _ => None,
    };
    value.ok_or(name_end)
}
