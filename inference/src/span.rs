//! Spans of text around a match: the clause before it, the sentence around it, word
//! edges, and slicing that never splits a multi-byte char. No regexes, no allocation.

/// A phrase must start and end on word boundaries; the patterns check ASCII boundaries
/// only (see `vocab`), so a match inside "Zoë" or next to "é" is caught here.
pub(crate) fn on_word_edges(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The text of the clause that ends at `at`, at most 160 bytes: back to the last sentence
/// end, semicolon, line break or "but".
pub(crate) fn clause_before(text: &str, at: usize) -> &str {
    let window = tail_of(&text[..at], 160);
    let mut cut = 0;
    let bytes = window.as_bytes();
    for (i, &b) in bytes.iter().enumerate().rev() {
        let boundary = match b {
            b'!' | b'?' | b';' | b'\n' => true,
            b'.' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace)
                    && !is_abbreviation(&window[..i])
            }
            _ => false,
        };
        if boundary {
            cut = i + 1;
            break;
        }
    }
    let clause = &window[cut..];
    match rfind_word(clause, "but") {
        Some(i) => &clause[i + 3..],
        None => clause,
    }
}

/// The sentence around `start..end`, at most `reach` bytes either side.
pub(crate) fn sentence_around(
    text: &str,
    start: usize,
    end: usize,
    reach: usize,
) -> (usize, usize) {
    let before = clause_before(text, start);
    let from = start - before.len().min(reach);
    let after = head_of(&text[end..], reach);
    let bytes = after.as_bytes();
    let mut to = end + after.len();
    for (i, &b) in bytes.iter().enumerate() {
        let boundary = match b {
            b'!' | b'?' | b';' | b'\n' => true,
            b'.' => bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace),
            _ => false,
        };
        if boundary {
            to = end + i;
            break;
        }
    }
    (floor_boundary(text, from), to)
}

fn is_abbreviation(before_dot: &str) -> bool {
    let word = before_dot
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    [
        "approx", "ca", "est", "e.g", "i.e", "mr", "ms", "mrs", "dr", "prof", "no", "vs", "etc",
        "g", "e",
    ]
    .iter()
    .any(|a| a.eq_ignore_ascii_case(word))
        || word.len() == 1
}

fn rfind_word(hay: &str, word: &str) -> Option<usize> {
    let lower = hay.as_bytes();
    let w = word.as_bytes();
    if lower.len() < w.len() {
        return None;
    }
    (0..=lower.len() - w.len()).rev().find(|&i| {
        lower[i..i + w.len()].eq_ignore_ascii_case(w)
            && (i == 0 || !lower[i - 1].is_ascii_alphanumeric())
            && lower
                .get(i + w.len())
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// The last `n` bytes of `s`, widened to a char boundary.
pub(crate) fn tail_of(s: &str, n: usize) -> &str {
    &s[floor_boundary(s, s.len().saturating_sub(n))..]
}

/// The first `n` bytes of `s`, narrowed to a char boundary.
pub(crate) fn head_of(s: &str, n: usize) -> &str {
    &s[..floor_boundary(s, n.min(s.len()))]
}

pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_before_stops_at_sentence_ends_but_not_at_abbreviations() {
        assert_eq!(clause_before("She asked. He is", 16), " He is");
        assert_eq!(
            clause_before("Marcus, approx. 35", 18),
            "Marcus, approx. 35"
        );
        assert_eq!(clause_before("I can't say, but she is", 23), " she is");
    }

    #[test]
    fn windows_never_split_multibyte_chars() {
        let text = "é".repeat(200);
        assert!(!clause_before(&text, 200).is_empty());
        assert_eq!(head_of("é", 1), "");
        assert_eq!(tail_of("é", 1), "é");
    }
}
