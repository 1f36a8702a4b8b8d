//! E-mail addresses, found from their `@`; and, from the same `@`, passwords embedded in
//! URLs (`postgres://user:password@host`), which would otherwise look like an address.
//!
//! An address needs a dotted domain whose last label is letters only: that keeps out
//! `user@localhost`, `@handle` mentions, `name@2x.png` asset names, and `git@host:repo`
//! remotes.

use crate::text::{char_at, char_before, escaped_control};

pub(crate) enum AtSign {
    Email(usize, usize),
    /// A URL's password, `scheme://user:password@host`.
    Password(usize, usize),
}

const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 253;
const MAX_USERINFO: usize = 256;

/// Extensions of files named like `icon@2x.png`; none is a TLD anyone mails to.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "avif", "heic", "css",
    "js", "mjs", "ts", "tsx", "jsx", "map", "json", "txt", "pdf", "woff", "woff2", "ttf", "otf",
    "mp4", "webm", "mp3", "wav", "html", "htm", "xml", "yaml", "yml", "lock", "wasm",
];

/// The `@` at `i` inside a URL's authority: returns the password span, or `Err` when the
/// URL has a user but no password (neither that nor the host is an e-mail).
fn url_userinfo(b: &[u8], i: usize) -> Option<Result<(usize, usize), ()>> {
    let mut k = i;
    while k > 0 && i - k < MAX_USERINFO {
        let c = b[k - 1];
        if c == b'/' {
            break;
        }
        if c.is_ascii_whitespace() || matches!(c, b'@' | b'"' | b'\'' | b'<' | b'>' | b'`') {
            return None;
        }
        k -= 1;
    }
    if !(k >= 3 && &b[k - 3..k] == b"://") {
        return None;
    }
    let Some(colon) = b[k..i].iter().position(|&c| c == b':') else {
        return Some(Err(()));
    };
    let start = k + colon + 1;
    let password = &b[start..i];
    let placeholder = password.is_empty()
        || password.iter().all(|&c| c == password[0])
        || matches!(password[0], b'$' | b'<' | b'{' | b'%');
    Some(if placeholder { Err(()) } else { Ok((start, i)) })
}

fn local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

/// Walks back from the `@` at `i` over the local part; `None` if it is too long to be one.
fn local_start(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut s = i;
    while s > 0 {
        let c = b[s - 1];
        if c < 0x80 {
            if !local_byte(c) {
                break;
            }
            s -= 1;
        } else {
            match char_before(text, s) {
                Some(ch) if ch.is_alphabetic() => s -= ch.len_utf8(),
                _ => break,
            }
        }
        if i - s > MAX_LOCAL {
            return None;
        }
    }
    // "…\njohn@": the `n` belongs to a JSON escape.
    if s < i && escaped_control(b, s) {
        s += 1;
    }
    while s < i && matches!(b[s], b'.' | b'+' | b'-' | b'\'' | b'%') {
        s += 1;
    }
    Some(s)
}

/// Walks forward from just after the `@` over dot-separated labels. Returns the end and
/// the start of the last label.
fn domain_end(text: &str, d: usize) -> Option<(usize, usize, usize)> {
    let b = text.as_bytes();
    let mut pos = d;
    let mut labels = 0;
    let mut last;
    loop {
        let start = pos;
        while pos < b.len() {
            let c = b[pos];
            if c < 0x80 {
                if !(c.is_ascii_alphanumeric() || c == b'-') {
                    break;
                }
                pos += 1;
            } else {
                match char_at(text, pos) {
                    Some(ch) if ch.is_alphanumeric() => pos += ch.len_utf8(),
                    _ => break,
                }
            }
        }
        let label = &b[start..pos];
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return None;
        }
        labels += 1;
        last = start;
        let continues = b.get(pos) == Some(&b'.')
            && b.get(pos + 1)
                .is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80);
        if !continues || pos - d > MAX_DOMAIN {
            break;
        }
        pos += 1;
    }
    Some((pos, last, labels))
}

/// What the `@` at `i` belongs to, if anything worth reporting.
pub(crate) fn at_sign(text: &str, i: usize) -> Option<AtSign> {
    let b = text.as_bytes();
    match url_userinfo(b, i) {
        Some(Ok((s, e))) => return Some(AtSign::Password(s, e)),
        Some(Err(())) => return None,
        None => {}
    }
    let s = local_start(text, i)?;
    if s == i || b[i - 1] == b'.' || b[s..i].windows(2).any(|w| w == b"..") {
        return None;
    }
    if s > 0 && b[s - 1] == b'@' {
        return None;
    }
    let (e, tld_start, labels) = domain_end(text, i + 1)?;
    let tld = text.get(tld_start..e)?;
    let tld_ok = labels >= 2
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphabetic)
        && !FILE_EXTENSIONS
            .iter()
            .any(|ext| tld.eq_ignore_ascii_case(ext));
    if !tld_ok {
        return None;
    }
    if let Some(&c) = b.get(e) {
        if matches!(c, b'@' | b'_') {
            return None;
        }
        // scp-style remotes, "git@github.com:org/repo.git".
        if c == b':' && &b[s..i] == b"git" {
            return None;
        }
    }
    Some(AtSign::Email(s, e))
}

#[cfg(test)]
mod tests {
    use crate::{Kind, Scanner};

    fn emails(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Email)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn finds_addresses() {
        for email in [
            "john.doe@example.com",
            "jane+orders@shop.example.co.uk",
            "o'brien@example.ie",
            "support_team-2@mail.example.org",
            "a@b.io",
            "josé.garcía@correo.es",
            "kunde@müller-gmbh.de",
            "UPPER.CASE@EXAMPLE.COM",
        ] {
            for text in [
                email.to_string(),
                format!("Contact {email}."),
                format!("mailto:{email}"),
                format!("<{email}>"),
                format!("{{\"email\":\"{email}\"}}"),
                format!("Écrivez-moi à {email} 😊"),
                format!("first line\\n{email}\\n"),
                format!("({email})"),
            ] {
                assert_eq!(emails(&text), vec![email], "input: {text:?}");
            }
        }
    }

    #[test]
    fn ignores_things_that_are_not_addresses() {
        let cases = [
            "user@localhost",
            "thanks @maria for the fix",
            "@channel deploy done",
            "icon@2x.png",
            "logo@3x.webp",
            "avatar@2x.jpg",
            "sprite@1.5x.svg",
            "git@github.com:warden/warden.git",
            "npm install @types/node",
            "user@host.123",
            "user@example.c",
            "a..b@example.com",
            "john.@example.com",
            "john@-example.com",
            "john@example-.com",
            "john@example.com@evil",
            "https://user@example.com/path",
            "decorator @dataclass",
            "price 5@3.50",
        ];
        for text in cases {
            assert_eq!(emails(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
