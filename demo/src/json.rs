//! Just enough JSON writing for message and tool payloads, which OTLP carries as strings.
//!
//! Slot values and tool results are already JSON text, so the writers take `raw` fragments
//! where a value is itself JSON and escape only what is prose.

/// `s` as a JSON string literal, quotes included.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object from already-encoded values: `fields` pairs a key with its JSON text.
pub(crate) fn object(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", string(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

pub(crate) fn array(items: &[String]) -> String {
    format!("[{}]", items.join(","))
}

/// A strict validator for tests: true when `s` is exactly one JSON value.
#[cfg(test)]
pub(crate) fn is_valid(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    value(b, &mut i) && {
        skip_ws(b, &mut i);
        i == b.len()
    }
}

#[cfg(test)]
fn skip_ws(b: &[u8], i: &mut usize) {
    while *i < b.len() && matches!(b[*i], b' ' | b'\n' | b'\r' | b'\t') {
        *i += 1;
    }
}

#[cfg(test)]
fn value(b: &[u8], i: &mut usize) -> bool {
    skip_ws(b, i);
    match b.get(*i) {
        Some(b'{') => {
            *i += 1;
            skip_ws(b, i);
            if b.get(*i) == Some(&b'}') {
                *i += 1;
                return true;
            }
            loop {
                skip_ws(b, i);
                if !string_lit(b, i) {
                    return false;
                }
                skip_ws(b, i);
                if b.get(*i) != Some(&b':') {
                    return false;
                }
                *i += 1;
                if !value(b, i) {
                    return false;
                }
                skip_ws(b, i);
                match b.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b'}') => {
                        *i += 1;
                        return true;
                    }
                    _ => return false,
                }
            }
        }
        Some(b'[') => {
            *i += 1;
            skip_ws(b, i);
            if b.get(*i) == Some(&b']') {
                *i += 1;
                return true;
            }
            loop {
                if !value(b, i) {
                    return false;
                }
                skip_ws(b, i);
                match b.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b']') => {
                        *i += 1;
                        return true;
                    }
                    _ => return false,
                }
            }
        }
        Some(b'"') => string_lit(b, i),
        Some(b't') => literal(b, i, b"true"),
        Some(b'f') => literal(b, i, b"false"),
        Some(b'n') => literal(b, i, b"null"),
        Some(c) if *c == b'-' || c.is_ascii_digit() => {
            let start = *i;
            while *i < b.len() && matches!(b[*i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                *i += 1;
            }
            std::str::from_utf8(&b[start..*i])
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
                .is_some()
        }
        _ => false,
    }
}

#[cfg(test)]
fn literal(b: &[u8], i: &mut usize, word: &[u8]) -> bool {
    if b[*i..].starts_with(word) {
        *i += word.len();
        true
    } else {
        false
    }
}

#[cfg(test)]
fn string_lit(b: &[u8], i: &mut usize) -> bool {
    if b.get(*i) != Some(&b'"') {
        return false;
    }
    *i += 1;
    while let Some(&c) = b.get(*i) {
        match c {
            b'"' => {
                *i += 1;
                return true;
            }
            b'\\' => *i += 2,
            c if c < 0x20 => return false,
            _ => *i += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips_through_the_validator() {
        let s = string("say \"hi\"\n\\ back\u{1}");
        assert!(is_valid(&s), "{s}");
        let o = object(&[("a", s), ("b", array(&["1".into(), "true".into()]))]);
        assert!(is_valid(&o), "{o}");
        assert!(!is_valid("{\"a\":}"));
        assert!(!is_valid("[1,]"));
        assert!(!is_valid("{\"a\":1} x"));
    }
}
