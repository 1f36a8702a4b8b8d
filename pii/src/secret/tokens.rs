//! Keys recognised by their format: provider prefixes (OpenAI and Anthropic `sk-…`,
//! Slack `xox?-`, GitLab `glpat-`, GitHub, Stripe, Hugging Face, npm, Warden's own
//! `wdn_`/`wik_`), AWS `AKIA`/`ASIA`, Google `AIza`, JWTs and `Bearer` tokens.

use super::Span;
use super::assignment::flag;
use super::key_class::is_placeholder;
use super::pem::pem;
use crate::text::{digit, is_token_byte, run_end, token_left_ok};

/// The end of a token body starting at `s`, if it has at least `min` bytes of `allowed`
/// and (when `needs_digit`) a digit: random keys always have both, words never do.
fn body(
    b: &[u8],
    s: usize,
    allowed: fn(u8) -> bool,
    min: usize,
    needs_digit: bool,
) -> Option<usize> {
    let e = run_end(b, s, allowed);
    (e - s >= min && (!needs_digit || b[s..e].iter().any(|&c| digit(c)))).then_some(e)
}

fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

fn alnum_underscore(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

/// A secret at the `-` at `i`: a PEM block, a credential flag, or a dash-prefixed key.
pub(crate) fn at_dash(text: &str, i: usize) -> Result<Span, usize> {
    let b = text.as_bytes();
    if b[i..].starts_with(b"-----BEGIN ") {
        return pem(b, i).ok_or(i + 5);
    }
    if b.get(i + 1) == Some(&b'-') {
        return flag(b, i);
    }
    let prefixed = |prefix: &[u8]| -> Option<usize> {
        let start = (i + 1).checked_sub(prefix.len())?;
        (&b[start..=i] == prefix && token_left_ok(text, start)).then_some(start)
    };
    // The key from `start` through its body after the dash, or where to resume.
    let key = |start: usize, allowed: fn(u8) -> bool, min: usize, needs_digit: bool| {
        body(b, i + 1, allowed, min, needs_digit)
            .map(|e| (start, e))
            .ok_or(i + 1)
    };
    if let Some(start) = prefixed(b"sk-") {
        // OpenAI (`sk-…`, `sk-proj-…`) and Anthropic (`sk-ant-api03-…`) keys.
        return key(start, is_token_byte, 20, true);
    }
    if i >= 4
        && &b[i - 4..i - 1] == b"xox"
        && matches!(b[i - 1], b'a' | b'b' | b'p' | b'r' | b's')
        && let Some(start) = prefixed(&b[i - 4..=i])
    {
        return key(start, |c| alnum(c) || c == b'-', 10, true);
    }
    if let Some(start) = prefixed(b"glpat-") {
        return key(start, is_token_byte, 20, false);
    }
    Err(i + 1)
}

/// A key format whose prefix ends in `_`, and the body it must have.
struct Prefixed {
    prefix: &'static [u8],
    allowed: fn(u8) -> bool,
    min: usize,
    /// Warden's own tokens are exactly 64 hex digits; anything else with their prefix is
    /// not one of them.
    exact: bool,
}

const fn prefixed(prefix: &'static [u8], allowed: fn(u8) -> bool, min: usize) -> Prefixed {
    Prefixed {
        prefix,
        allowed,
        min,
        exact: false,
    }
}

const UNDERSCORE_PREFIXES: &[Prefixed] = &[
    prefixed(b"ghp_", alnum, 30),
    prefixed(b"gho_", alnum, 30),
    prefixed(b"ghu_", alnum, 30),
    prefixed(b"ghs_", alnum, 30),
    prefixed(b"ghr_", alnum, 30),
    prefixed(b"github_pat_", alnum_underscore, 40),
    prefixed(b"sk_live_", alnum, 16),
    prefixed(b"rk_live_", alnum, 16),
    prefixed(b"sk_test_", alnum, 16),
    prefixed(b"rk_test_", alnum, 16),
    prefixed(b"whsec_", alnum, 24),
    prefixed(b"hf_", alnum, 30),
    prefixed(b"npm_", alnum, 30),
    Prefixed {
        prefix: b"wdn_",
        allowed: hex,
        min: 64,
        exact: true,
    },
    Prefixed {
        prefix: b"wik_",
        allowed: hex,
        min: 64,
        exact: true,
    },
];

/// A secret whose prefix ends at the `_` at `i`.
pub(crate) fn at_underscore(text: &str, i: usize) -> Option<Span> {
    let b = text.as_bytes();
    let last = *b.get(i.checked_sub(1)?)?;
    if !matches!(
        last,
        b'p' | b'o' | b'u' | b's' | b'r' | b't' | b'e' | b'c' | b'f' | b'm' | b'n' | b'k'
    ) {
        return None;
    }
    for p in UNDERSCORE_PREFIXES {
        let Some(start) = (i + 1).checked_sub(p.prefix.len()) else {
            continue;
        };
        if &b[start..=i] != p.prefix || !token_left_ok(text, start) {
            continue;
        }
        let e = body(b, i + 1, p.allowed, p.min, false)?;
        if p.exact && (e - i - 1 != p.min || b.get(e).is_some_and(|&c| alnum(c))) {
            return None;
        }
        return Some((start, e));
    }
    None
}

/// A secret around one of the letters that end a key prefix: `eyJ` (JWT), `AKIA`/`ASIA`
/// (AWS), `AIza` (Google), `Bearer `.
pub(crate) fn at_letter(text: &str, i: usize) -> Option<Span> {
    let b = text.as_bytes();
    match b[i] {
        b'J' if i >= 2 && &b[i - 2..i] == b"ey" && token_left_ok(text, i - 2) => jwt(b, i - 2),
        b'K' | b'S'
            if i >= 1
                && b[i - 1] == b'A'
                && b.get(i + 1..i + 3) == Some(b"IA")
                && token_left_ok(text, i - 1) =>
        {
            let e = run_end(b, i + 3, |c| c.is_ascii_uppercase() || digit(c));
            (e - i - 3 == 16 && !b.get(e).is_some_and(|&c| is_token_byte(c))).then_some((i - 1, e))
        }
        b'z' if i >= 2
            && &b[i - 2..i] == b"AI"
            && b.get(i + 1) == Some(&b'a')
            && token_left_ok(text, i - 2) =>
        {
            let e = run_end(b, i + 2, is_token_byte);
            (e - i - 2 == 35).then_some((i - 2, e))
        }
        b'B' if b[i..].starts_with(b"Bearer ") && token_left_ok(text, i) => {
            let s = run_end(b, i + 7, |c| c == b' ');
            let e = run_end(b, s, |c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-')
            });
            let token = &b[s..e];
            let plausible = token.len() >= 8
                && !is_placeholder(token)
                && (token.len() >= 20 || token.iter().any(|&c| digit(c)));
            plausible.then_some((s, e))
        }
        _ => None,
    }
}

/// A JSON Web Token starting at `s`: base64url header and payload (both JSON objects,
/// hence `eyJ`), then a signature that may be empty for unsigned tokens.
fn jwt(b: &[u8], s: usize) -> Option<Span> {
    let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let header_end = run_end(b, s, b64);
    if header_end - s < 10 || b.get(header_end) != Some(&b'.') {
        return None;
    }
    let payload = header_end + 1;
    let payload_end = run_end(b, payload, b64);
    if payload_end - payload < 10
        || !b[payload..].starts_with(b"ey")
        || b.get(payload_end) != Some(&b'.')
    {
        return None;
    }
    let signature_end = run_end(b, payload_end + 1, |c| b64(c) || c == b'=');
    Some((s, signature_end))
}
