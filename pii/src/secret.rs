//! Credentials: keys with a recognisable format (OpenAI and Anthropic `sk-…`, AWS
//! `AKIA…`, GitHub, Slack, Google, Stripe, Hugging Face, npm, GitLab, JWTs, PEM private
//! keys, Warden's own `wdn_`/`wik_` tokens), `Bearer` tokens, and values assigned to a
//! credential-named key in the forms agents' traces carry them: command lines
//! (`--token X`, `--password=X`, `["--api-key", "X"]`), environment and query strings
//! (`API_KEY=X`, `?token=X`), config (`password: X`) and JSON (`"apiKey":"X"`).
//!
//! Only the value is reported for assignments, so the key stays readable after
//! redaction. Values that are placeholders (`${TOKEN}`, `<redacted>`, `****`, `null`)
//! or code (`password=args.password`) are not secrets.

use crate::text::{digit, is_token_byte, run_end, token_left_ok};

pub(crate) type Span = (usize, usize);

/// Which credential a key names; decides how much a value must look like one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum KeyClass {
    /// Human-chosen: short and plain values are real passwords.
    Password,
    /// Machine-issued: long and random, so short plain values are something else
    /// (an LLM's logprob `"token": " world"`).
    Token,
    /// An HTTP `Authorization` value: the credential follows the scheme word.
    Authorization,
}

/// Also German (Passwort, Kennwort), French (mot de passe) and Spanish (contraseña, read
/// with its ñ folded to n).
const PASSWORD_SUFFIXES: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"passphrase",
    b"pwd",
    b"passwort",
    b"kennwort",
    b"motdepasse",
    b"contrasena",
];
const TOKEN_SUFFIXES: &[&[u8]] = &[
    b"token",
    b"secret",
    b"apikey",
    b"accesskey",
    b"secretkey",
    b"privatekey",
    b"credential",
    b"credentials",
    b"authkey",
    b"signingkey",
    b"masterkey",
    b"encryptionkey",
];
/// Tokens that grant nothing: pagination cursors and limits.
const NOT_CREDENTIALS: &[&[u8]] = &[
    b"pagetoken",
    b"nexttoken",
    b"continuationtoken",
    b"paginationtoken",
    b"cursortoken",
    b"synctoken",
    b"resumetoken",
    b"maxtoken",
    b"mintoken",
];

/// Classifies a key or flag name, ignoring case and `_`, `-`, `.` ("X-Api-Key",
/// "OPENAI_API_KEY", "client.secret" …).
fn classify_key(key: &[u8]) -> Option<KeyClass> {
    let mut buf = [0u8; 64];
    let mut n = 0;
    let mut bytes = key.iter().copied().peekable();
    while let Some(c) = bytes.next() {
        let folded = match c {
            _ if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            b'_' | b'-' | b'.' => continue,
            // ñ and Ñ in UTF-8.
            0xC3 if matches!(bytes.peek(), Some(0xB1 | 0x91)) => {
                bytes.next();
                b'n'
            }
            _ => return None,
        };
        *buf.get_mut(n)? = folded;
        n += 1;
    }
    let k = &buf[..n];
    if k.ends_with(b"authorization") {
        return Some(KeyClass::Authorization);
    }
    // The shell's PWD is the working directory.
    if k == b"pwd" || k == b"oldpwd" {
        return None;
    }
    if k == b"pass" || PASSWORD_SUFFIXES.iter().any(|s| k.ends_with(s)) {
        return Some(KeyClass::Password);
    }
    if NOT_CREDENTIALS.iter().any(|s| k.ends_with(s)) {
        return None;
    }
    TOKEN_SUFFIXES
        .iter()
        .any(|s| k.ends_with(s))
        .then_some(KeyClass::Token)
}

/// Values that stand in for a secret rather than being one.
fn is_placeholder(v: &[u8]) -> bool {
    const WORDS: &[&str] = &[
        "null",
        "none",
        "nil",
        "true",
        "false",
        "undefined",
        "redacted",
        "[redacted]",
        "hidden",
        "masked",
        "omitted",
        "n/a",
        "unset",
        "empty",
        "required",
        "optional",
        "string",
        "str",
        "text",
        "bool",
        "boolean",
        "int",
        "number",
        "bytes",
        "object",
        "any",
        "password",
        "passwd",
        "secret",
        "token",
        "example",
        "placeholder",
        "changeme",
    ];
    let Some(&first) = v.first() else { return true };
    if matches!(first, b'$' | b'<' | b'{' | b'%' | b'*' | b'[' | b'(' | b'.')
        || v.iter().all(|&c| c == first)
    {
        return true;
    }
    let lower_starts = |p: &[u8]| v.len() > p.len() && v[..p.len()].eq_ignore_ascii_case(p);
    if lower_starts(b"your_") || lower_starts(b"your-") || lower_starts(b"redacted") {
        return true;
    }
    WORDS.iter().any(|w| v.eq_ignore_ascii_case(w.as_bytes()))
}

/// Something prose never contains: a digit or a symbol other than word punctuation.
fn looks_generated(v: &[u8]) -> bool {
    v.iter().any(|&c| {
        digit(c)
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'*'
                    | b'+'
                    | b'/'
                    | b'='
                    | b'?'
                    | b'@'
                    | b'^'
                    | b'~'
            )
    })
}

/// Whether `v` is plausibly a credential for `class`. `bare` is an unquoted value after a
/// space (`password: X`, `--token X`), the form prose also takes ("Password: must be…").
fn plausible(v: &[u8], class: KeyClass, bare: bool) -> bool {
    if is_placeholder(v) {
        return false;
    }
    let generated = looks_generated(v);
    match class {
        KeyClass::Password => v.len() >= 3 && (!bare || generated || v.len() >= 24),
        KeyClass::Token | KeyClass::Authorization => {
            let numeric = v.iter().all(|&c| digit(c));
            v.len() >= 8
                && !(numeric && v.len() < 12)
                && (generated || (!bare && v.len() >= 16) || v.len() >= 24)
        }
    }
}

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
fn flag(b: &[u8], i: usize) -> Result<Span, usize> {
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

/// A PEM private key block starting at the `-----BEGIN` at `i`; through the END line, or
/// to the end of the base64 body when the block was truncated (logs cut long values).
fn pem(b: &[u8], i: usize) -> Option<Span> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let label_start = i + BEGIN.len();
    let label_end = label_start
        + b.get(label_start..)?
            .iter()
            .take(64)
            .position(|&c| c == b'-')?;
    let label = &b[label_start..label_end];
    if !label.windows(11).any(|w| w == b"PRIVATE KEY")
        || b.get(label_end..label_end + 5)? != b"-----"
    {
        return None;
    }
    let body = label_end + 5;
    let base64 = |c: u8| {
        c.is_ascii_alphanumeric()
            || matches!(c, b'+' | b'/' | b'=' | b'\n' | b'\r' | b'\\' | b' ' | b'\t')
    };
    // Scan to the first dashes, which in a real block open its END line. Legacy
    // encrypted keys carry "Proc-Type: 4,ENCRYPTED" headers, hence `:` and `,`. Stopping
    // at the first dashes keeps this linear even over text made of BEGIN lines.
    let limit = b.len().min(body + 16 * 1024);
    let mut k = body;
    while k < limit
        && (base64(b[k]) || matches!(b[k], b':' | b',' | b'-'))
        && !b[k..].starts_with(b"-----")
    {
        k += 1;
    }
    if b[k..].starts_with(b"-----END ") {
        let end_line = k + 9;
        let close = b[end_line..]
            .windows(5)
            .take(80)
            .position(|w| w == b"-----")
            .map_or(end_line, |p| end_line + p + 5);
        return Some((i, close));
    }
    Some((i, run_end(b, body, base64)))
}

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
    if let Some(start) = prefixed(b"sk-") {
        // OpenAI (`sk-…`, `sk-proj-…`) and Anthropic (`sk-ant-api03-…`) keys.
        return body(b, i + 1, is_token_byte, 20, true)
            .map(|e| (start, e))
            .ok_or(i + 1);
    }
    if i >= 4
        && &b[i - 4..i - 1] == b"xox"
        && matches!(b[i - 1], b'a' | b'b' | b'p' | b'r' | b's')
        && let Some(start) = prefixed(&b[i - 4..=i])
    {
        return body(b, i + 1, |c| alnum(c) || c == b'-', 10, true)
            .map(|e| (start, e))
            .ok_or(i + 1);
    }
    if let Some(start) = prefixed(b"glpat-") {
        return body(b, i + 1, is_token_byte, 20, false)
            .map(|e| (start, e))
            .ok_or(i + 1);
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

#[cfg(test)]
mod tests {
    use crate::{Kind, Scanner};

    fn secrets(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Secret)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    const OPENAI: &str = "sk-proj-4fT9qLm2XvB7nR8sK1pW3yZ6hJ0cD5eA";
    const ANTHROPIC: &str = "sk-ant-api03-Xy7_kQ2mN9pL4rT8vB1cF6hJ3sW0zD5e-AbCdEf";
    const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    const WDN: &str = "wdn_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const WIK: &str = "wik_2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    #[test]
    fn finds_keys_by_format() {
        let keys = [
            OPENAI,
            "sk-4fT9qLm2XvB7nR8sK1pW3yZ6hJ0cD5eAxYz",
            ANTHROPIC,
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAY34FZKBOKMUTVV7A",
            "ghp_1A2b3C4d5E6f7G8h9I0jK1l2M3n4O5p6Q7r8",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "xoxp-2837465-9182736-abcdef",
            "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "rk_live_51H8vYzKq2LmNpQrStUvWx",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567",
            "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "glpat-xYz12AbCdEfGhIjKlMnO",
            JWT,
            WDN,
            WIK,
        ];
        for key in keys {
            for text in [
                key.to_string(),
                format!("using key {key} for the call"),
                format!("{{\"key\":\"{key}\"}}"),
                format!("Clé : {key} 🔑"),
                format!("(\\n{key}\\n)"),
            ] {
                assert_eq!(secrets(&text), vec![key], "input: {text:?}");
            }
        }
    }

    #[test]
    fn finds_bearer_tokens_and_redacts_only_the_token() {
        let cases = [
            (
                "Authorization: Bearer abc123def456ghi789",
                "abc123def456ghi789",
            ),
            (
                "curl -H 'Authorization: Bearer tok_8f7e6d5c4b3a'",
                "tok_8f7e6d5c4b3a",
            ),
            (
                "{\"authorization\": \"Bearer abc123def456ghi789\"}",
                "abc123def456ghi789",
            ),
            (
                "authorization: bearer abc123def456ghi789",
                "abc123def456ghi789",
            ),
            ("sent Bearer 7f3a9c2e1b8d4f6a0e5c", "7f3a9c2e1b8d4f6a0e5c"),
            (
                "Authorization: Basic dXNlcjpwYXNzd29yZA==",
                "dXNlcjpwYXNzd29yZA==",
            ),
        ];
        for (text, token) in cases {
            assert_eq!(secrets(text), vec![token], "input: {text:?}");
        }
        let jwt_text = format!("Authorization: Bearer {JWT}");
        assert_eq!(secrets(&jwt_text), vec![JWT], "input: {jwt_text:?}");
    }

    #[test]
    fn finds_assigned_values_and_redacts_only_the_value() {
        let cases = [
            (
                "node gateway.js --token=9f2c4e6a8b0d1f3e",
                "9f2c4e6a8b0d1f3e",
            ),
            (
                "node gateway.js --token 9f2c4e6a8b0d1f3e --port 8080",
                "9f2c4e6a8b0d1f3e",
            ),
            ("mysql --password hunter2 -u root", "hunter2"),
            ("mysql --password=hunter2", "hunter2"),
            ("cli --api-key ak_live_12345abcdef", "ak_live_12345abcdef"),
            (
                "[\"node\",\"gateway.js\",\"--token\",\"gw_5a1b2c3d4e5f6a7b\"]",
                "gw_5a1b2c3d4e5f6a7b",
            ),
            (
                "[\"node\", \"gateway.js\", \"--gateway-token\", \"5a1b2c3d4e5f6a7b8c9d\"]",
                "5a1b2c3d4e5f6a7b8c9d",
            ),
            ("password=hunter2", "hunter2"),
            ("DB_PASSWORD=S3cr3t!pass", "S3cr3t!pass"),
            (
                "export OPENAI_API_KEY=abcd1234efgh5678ijkl",
                "abcd1234efgh5678ijkl",
            ),
            ("api_key: 7d8e9f0a1b2c3d4e", "7d8e9f0a1b2c3d4e"),
            ("secret=Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
            ("{\"apiKey\":\"AbCdEf123456GhIjKl\"}", "AbCdEf123456GhIjKl"),
            (
                "{\"password\": \"correct horse battery staple\"}",
                "correct horse battery staple",
            ),
            ("{\\\"password\\\":\\\"hunter22\\\"}", "hunter22"),
            (
                "GET /v1/data?user=7&access_token=a1b2c3d4e5f6g7h8&page=2",
                "a1b2c3d4e5f6g7h8",
            ),
            ("X-Api-Key: 0f1e2d3c4b5a69788796", "0f1e2d3c4b5a69788796"),
            ("client_secret = 'x9Y8w7V6u5T4s3R2'", "x9Y8w7V6u5T4s3R2"),
            (
                "postgres://app:Tr0ub4dor&3@db.internal:5432/prod",
                "Tr0ub4dor&3",
            ),
            ("redis://:s3cretpass@cache:6379", "s3cretpass"),
            (
                "https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/w.git",
                "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
            ),
            ("password: hunter2", "hunter2"),
            ("Passwort: Sommer2024!", "Sommer2024!"),
            ("Kennwort = geheim123", "geheim123"),
            ("mot de passe : Soleil#2024", "Soleil#2024"),
            (
                "Votre mot de passe temporaire : Soleil#2024 — changez-le.",
                "Soleil#2024",
            ),
            (
                "Passwort für das WLAN: Sommer2024! (nicht weitergeben)",
                "Sommer2024!",
            ),
            ("The password for the VPN: Blue-Horse-42.", "Blue-Horse-42"),
            ("{\"mot_de_passe\": \"azerty123\"}", "azerty123"),
            ("contraseña: Verano2024", "Verano2024"),
            (
                "Server=tcp:db.example.com,1433;User ID=sa;Password=P@ssw0rd!;Encrypt=true",
                "P@ssw0rd!",
            ),
            (
                "mongodb+srv://admin:S3cret!@cluster0.abcde.mongodb.net/db",
                "S3cret!",
            ),
            (
                "{\"access_token\":\"ya29.a0AfH6SMBx7Qk2Lm9\",\"token_type\":\"Bearer\"}",
                "ya29.a0AfH6SMBx7Qk2Lm9",
            ),
        ];
        for (text, value) in cases {
            assert_eq!(secrets(text), vec![value], "input: {text:?}");
        }
    }

    #[test]
    fn finds_private_key_blocks() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu\n-----END RSA PRIVATE KEY-----";
        let text = format!("key file:\n{pem}\nend");
        assert_eq!(secrets(&text), vec![pem], "input: {text:?}");
        let truncated =
            "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
        let text = format!("{{\"out\":\"{truncated}\"}}");
        assert_eq!(secrets(&text), vec![truncated], "input: {text:?}");
    }

    #[test]
    fn ignores_lookalikes_placeholders_and_prose() {
        let cases = [
            "task-force meeting",
            "sk-learn is a typo for scikit-learn",
            "risk-assessment-2024-final-version-xyz",
            "sk-short1",
            "AKIA",
            "ASIA-Pacific",
            "ASIAN MARKETS",
            "AKIAIOSFODNN7EXAMPLEXX",
            "ghp_short",
            "my_ghp_1A2b3C4d5E6f7G8h9I0jK1l2M3n4O5p6Q7r8",
            "wdn_9f86d081884c7d659a2feaa0c55ad015",
            "eyJhbGciOiJIUzI1NiJ9",
            "Bearer tokens are sent in the header",
            "Authorization: Bearer <token>",
            "Authorization: Bearer $TOKEN",
            "password=",
            "password=${DB_PASSWORD}",
            "password: <redacted>",
            "password: ********",
            "\"password\": null",
            "\"password\": \"\"",
            "token: ${{ secrets.GITHUB_TOKEN }}",
            "Your password: must be at least 8 characters",
            "Reset your password: click the link we sent",
            "The token: authorization happens later",
            "login(user, password=password)",
            "client = Client(api_key=api_key)",
            "password=args.password",
            "token=os.environ[\"TOKEN\"]",
            "password=getpass()",
            "if password == expected:",
            "\"max_tokens\": 1024",
            "\"input_tokens\": 1532, \"output_tokens\": 210",
            "\"next_page_token\": \"CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0\"",
            "{\"token\": \" world\", \"logprob\": -0.12}",
            "{\"token_count\": 4096}",
            "\"secret\": true",
            "PWD=/home/agent/work",
            "use the --token flag",
            "pass --password and --token on the command line",
            "kubectl get secret my-app-secret",
            "secret: my-app-secret",
            "std::vector<int> tokens",
            "https://user@example.com",
            "postgres://app:****@db:5432/prod",
            "postgres://app:${DB_PASS}@db:5432/prod",
            "github_pat_short",
            "Bearer",
            "xoxb-",
            "\"token_type\": \"Bearer\", \"expires_in\": 3600",
            "\"has_password\": true, \"password_policy\": \"strong\"",
            "\"reset_password_url\": \"https://example.com/reset\"",
            "\"password_hash\": \"$2b$12$KIXQ1pS9yJ8nE0wq3mZbUe\"",
            "\"tokenizer\": \"cl100k_base\", \"token_limit\": 4096",
            "secretKeyRef: db-credentials, secretName: prod-tls",
            "--password-file /run/secrets/db --token-ttl 3600 --api-key-env OPENAI_API_KEY",
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
            "Contraseña: debe tener al menos 8 caracteres",
            "Passwort: bitte ändern",
            "the impasse: negotiations stalled",
            "Password for the admin account: reset it today",
            "Le mot de passe temporaire : expiré",
            "Your password was changed. Contact: support",
            "password_policy: min8chars",
            "Password policy: strong",
        ];
        for text in cases {
            assert_eq!(secrets(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
