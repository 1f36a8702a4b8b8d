//! Which key and flag names denote a credential, and whether a value assigned to one is
//! plausibly a secret rather than a placeholder, a count or prose.

use crate::text::digit;

/// Which credential a key names; decides how much a value must look like one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum KeyClass {
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
pub(super) fn classify_key(key: &[u8]) -> Option<KeyClass> {
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
pub(super) fn is_placeholder(v: &[u8]) -> bool {
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
pub(super) fn plausible(v: &[u8], class: KeyClass, bare: bool) -> bool {
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
