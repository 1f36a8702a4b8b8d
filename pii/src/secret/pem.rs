//! PEM private key blocks (`-----BEGIN … PRIVATE KEY-----`), including ones a log cut
//! short.

use super::Span;
use crate::text::run_end;

/// A PEM private key block starting at the `-----BEGIN` at `i`; through the END line, or
/// to the end of the base64 body when the block was truncated (logs cut long values).
pub(super) fn pem(b: &[u8], i: usize) -> Option<Span> {
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
