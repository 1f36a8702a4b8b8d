//! IP addresses: IPv4 dotted quads and IPv6 in full or compressed form.
//!
//! Addresses that identify no one are not reported, because redacting them only hides
//! useful configuration: unspecified (`0.0.0.0`, `::`), loopback (`127.0.0.0/8`, `::1`),
//! and anything in `255.0.0.0/8` (broadcast, netmasks). Version strings (`v1.2.3.4`,
//! `version 1.2.3.4`), OIDs and other longer dotted numbers, and CIDR blocks are not
//! addresses either.

use std::net::Ipv6Addr;

use crate::text::{char_at, char_before, digit, escaped_control, run_end};

/// Whether an IPv4 address may start at `s`. Unlike other numbers it may follow `//`
/// (a URL), `@` (ssh) or `:`, but not a single `/` ("Chrome/120.0.0.0").
fn v4_left_ok(text: &str, s: usize) -> bool {
    if s == 0 {
        return true;
    }
    let b = text.as_bytes();
    let p = b[s - 1];
    if p >= 0x80 {
        return char_before(text, s).is_none_or(|c| !c.is_alphanumeric());
    }
    match p {
        b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => escaped_control(b, s - 1),
        b'/' => s >= 2 && b[s - 2] == b'/',
        b'_' | b'-' | b'.' | b'#' | b'$' | b'+' | b'\\' | b'%' | b'&' => false,
        _ => true,
    }
}

/// Whether an IPv4 address may end at `e`: a port (`:8080`) or a path (`/api`) may
/// follow, a prefix length (`/24`) or another dotted part may not.
fn v4_right_ok(text: &str, e: usize) -> bool {
    let b = text.as_bytes();
    let Some(&c) = b.get(e) else { return true };
    if c >= 0x80 {
        return char_at(text, e).is_none_or(|ch| !ch.is_alphanumeric());
    }
    let digit_follows = b.get(e + 1).is_some_and(|&d| digit(d));
    match c {
        b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'_' | b'-' | b'@' | b'#' | b'%' => false,
        b'.' | b'/' => !digit_follows,
        _ => true,
    }
}

/// Whether the word before `s` (across spaces, `:` or `=`) announces a version.
fn version_before(b: &[u8], s: usize) -> bool {
    let mut k = s;
    while k > 0 && s - k < 3 && matches!(b[k - 1], b' ' | b':' | b'=') {
        k -= 1;
    }
    let word_end = k;
    while k > 0 && word_end - k < 8 && b[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    let word = &b[k..word_end];
    ["v", "ver", "version"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
}

/// An IPv4 address starting at the digit `s`.
pub(crate) fn v4_at(text: &str, s: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !v4_left_ok(text, s) {
        return None;
    }
    let mut pos = s;
    let mut first = 0;
    for k in 0..4 {
        let e = run_end(b, pos, digit);
        let len = e - pos;
        // A leading zero ("01") is not how addresses are written; it is a date or an id.
        if len == 0 || len > 3 || (len > 1 && b[pos] == b'0') {
            return None;
        }
        let octet = b[pos..e]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
        if octet > 255 {
            return None;
        }
        if k == 0 {
            first = octet;
        }
        pos = e;
        if k < 3 {
            if b.get(pos) != Some(&b'.') {
                return None;
            }
            pos += 1;
        }
    }
    if !v4_right_ok(text, pos) || matches!(first, 0 | 127 | 255) || version_before(b, s) {
        return None;
    }
    Some(pos)
}

/// The longest IPv6 text form is 45 bytes (`ffff:…:255.255.255.255`).
const MAX_V6: usize = 45;

/// An IPv6 candidate around the `:` at `i` (the first colon of an address, since the
/// scan is left to right). Returns the address span, or on failure where to resume so
/// the other colons of the same run are not re-parsed.
pub(crate) fn v6_at_colon(text: &str, i: usize) -> Result<(usize, usize), usize> {
    let b = text.as_bytes();
    let mut s = i;
    while s > 0 && b[s - 1].is_ascii_hexdigit() {
        s -= 1;
        if i - s > 4 {
            return Err(i + 1);
        }
    }
    // "std::io", "Foo::Bar", "10.0.0.1:80": a colon glued to a word or another address.
    if s > 0 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'_' | b':' | b'.' | b'-'))
    {
        return Err(i + 1);
    }
    let mut e = i;
    while e < b.len()
        && e - s <= MAX_V6
        && (b[e].is_ascii_hexdigit() || matches!(b[e], b':' | b'.'))
    {
        e += 1;
    }
    let resume = e;
    while e > i + 1 && b[e - 1] == b'.' {
        e -= 1;
    }
    if e >= s + 2 && b[e - 1] == b':' && b[e - 2] != b':' {
        e -= 1;
    }
    let candidate = &b[s..e];
    let colons = candidate.iter().filter(|&&c| c == b':').count();
    if colons < 2 || !candidate.iter().any(|&c| digit(c)) {
        return Err(resume.max(i + 1));
    }
    // A trailing "::" or a "/48" names a network, not a host.
    let prefix_len = b.get(e) == Some(&b'/') && b.get(e + 1).is_some_and(|&c| digit(c));
    let glued = b
        .get(e)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
    if glued || prefix_len || candidate.ends_with(b"::") {
        return Err(resume.max(i + 1));
    }
    let addr: Ipv6Addr = text
        .get(s..e)
        .and_then(|t| t.parse().ok())
        .ok_or(resume.max(i + 1))?;
    if addr.is_unspecified() || addr.is_loopback() {
        return Err(resume.max(i + 1));
    }
    Ok((s, e))
}

#[cfg(test)]
mod tests {
    use crate::{Kind, Scanner};

    fn ips(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::IpAddress)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn finds_ipv4_addresses() {
        for ip in [
            "192.168.1.10",
            "10.0.0.1",
            "8.8.8.8",
            "203.0.113.45",
            "1.2.3.4",
            "172.16.254.1",
        ] {
            for text in [
                ip.to_string(),
                format!("client {ip} connected"),
                format!("http://{ip}/api/v1"),
                format!("{ip}:8080"),
                format!("{{\"client_ip\":\"{ip}\"}}"),
                format!("ssh root@{ip}"),
                format!("Adresse IP : {ip}."),
                format!("[{ip}]"),
                format!("peers={ip},"),
            ] {
                assert_eq!(ips(&text), vec![ip], "input: {text:?}");
            }
        }
    }

    #[test]
    fn finds_each_address_of_a_list() {
        let text = "X-Forwarded-For: 81.2.69.142,10.9.8.7, 2001:db8::7";
        assert_eq!(
            ips(text),
            ["81.2.69.142", "10.9.8.7", "2001:db8::7"],
            "input: {text:?}"
        );
    }

    #[test]
    fn finds_ipv6_addresses() {
        for ip in [
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "2001:db8:85a3::8a2e:370:7334",
            "fe80::1ff:fe23:4567:890a",
            "2606:4700:4700::1111",
            "2a01:4f8:c2c:123f::1",
            "::ffff:192.0.2.128",
            "2001:DB8::42",
        ] {
            for text in [
                ip.to_string(),
                format!("client {ip} connected"),
                format!("[{ip}]:443"),
                format!("{{\"peer\":\"{ip}\"}}"),
                format!("from {ip}."),
            ] {
                assert_eq!(ips(&text), vec![ip], "input: {text:?}");
            }
        }
    }

    #[test]
    fn ignores_versions_times_and_other_dotted_numbers() {
        let cases = [
            "v1.2.3.4",
            "version 1.2.3.4",
            "Version: 10.0.0.1",
            "1.2.3.4.5",
            "1.3.6.1.4.1.311",
            "01.02.03.04",
            "192.168.001.010",
            "256.1.1.1",
            "1.2.3",
            "10.0.0.0/8",
            "Chrome/120.0.0.0",
            "host-10.0.0.1",
            "0.0.0.0",
            "127.0.0.1",
            "255.255.255.0",
            "10:30:00",
            "2024-01-15 10:30:00",
            "12:34:56:78",
            "std::vector",
            "Foo::Bar::baz",
            "crate::de::Error",
            "::1",
            "::",
            "00:1A:2B:3C:4D:5E",
            "a1:b2:c3:d4:e5:f6:a7:b8:c9:d0:e1:f2:a3:b4:c5:d6",
            "dead::beef",
            "gateway fe80:: on eth0",
            "2001:db8::/32",
            "2001:db8:85a3::/48 is ours",
            "1.2.3.4a",
            "$1.234.567.890",
        ];
        for text in cases {
            assert_eq!(ips(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
