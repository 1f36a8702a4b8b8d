//! The core of `warden pii scan`: JSON lines in, one JSON array of findings per line out.
//!
//! Offsets in the output count characters (Unicode scalar values, as Python's `str`
//! indexes), not bytes, because the people and tools reading them slice strings, not
//! byte buffers.
//!
//! A bad input line (not UTF-8, not JSON, no string `text`) does not stop the run: its
//! output line is `{"error": "line N: …"}` and it is counted in
//! [`ScanSummary::errors`], so one malformed record in a large export costs one line,
//! and the output stays aligned with the input. Only I/O failures are returned as errors.

use std::borrow::Cow;
use std::io::{self, BufRead, BufWriter, Write};

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Kind};
use crate::scanner::Scanner;

/// What a [`scan_json_lines`] run saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanSummary {
    /// Non-empty input lines, including those that were errors.
    pub lines: usize,
    /// Findings written (SECRET findings only count when they are written).
    pub findings: usize,
    /// Lines answered with `{"error": …}`.
    pub errors: usize,
}

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

#[derive(Serialize)]
struct Output<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct ErrorLine {
    error: String,
}

/// Reads JSON lines `{"text": "..."}` (other fields ignored) and writes one line per
/// non-empty input line: a JSON array of `{"type", "start", "end"}` with character
/// offsets, or `{"error": "..."}` for a line that could not be read. SECRET findings are
/// only written when `include_secrets` is set.
pub fn scan_json_lines(
    scanner: &Scanner,
    mut input: impl BufRead,
    output: impl Write,
    include_secrets: bool,
) -> Result<ScanSummary, io::Error> {
    let mut output = BufWriter::new(output);
    let mut summary = ScanSummary::default();
    let mut line = Vec::new();
    let mut findings = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        summary.lines += 1;
        let parsed = std::str::from_utf8(&line)
            .map_err(|e| format!("line {number}: not UTF-8: {e}"))
            .and_then(|l| {
                serde_json::from_str::<Input>(l).map_err(|e| format!("line {number}: {e}"))
            });
        match parsed {
            Ok(record) => {
                scanner.scan_into(&record.text, &mut findings);
                summary.findings +=
                    write_findings(&mut output, &record.text, &findings, include_secrets)?;
            }
            Err(error) => {
                summary.errors += 1;
                serde_json::to_writer(&mut output, &ErrorLine { error })?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(summary)
}

/// Writes sorted byte-offset findings as a JSON array with char offsets, counting chars
/// in one walk over the text. Returns how many were written.
fn write_findings(
    output: &mut impl Write,
    text: &str,
    findings: &[Finding],
    include_secrets: bool,
) -> io::Result<usize> {
    let mut byte = 0;
    let mut chars = 0;
    let mut to_chars = |target: usize| {
        chars += text[byte..target].chars().count();
        byte = target;
        chars
    };
    let mut written = 0;
    output.write_all(b"[")?;
    for f in findings {
        let start = to_chars(f.start);
        let end = to_chars(f.end);
        if !include_secrets && f.kind == Kind::Secret {
            continue;
        }
        if written > 0 {
            output.write_all(b",")?;
        }
        serde_json::to_writer(
            &mut *output,
            &Output {
                kind: f.kind.label(),
                start,
                end,
            },
        )?;
        written += 1;
    }
    output.write_all(b"]")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, include_secrets: bool) -> (String, ScanSummary) {
        let scanner = Scanner::new(&[]).unwrap();
        let mut out = Vec::new();
        let summary =
            scan_json_lines(&scanner, input.as_bytes(), &mut out, include_secrets).unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    #[test]
    fn writes_char_offsets_one_line_per_input_line() {
        let input = concat!(
            "{\"text\": \"Café ☕ — écrivez à zoé@exemple.fr\", \"id\": 7}\n",
            "\n",
            "{\"text\": \"nothing here\"}\n",
            "{\"text\": \"😀😀 +44 20 7946 0958\"}"
        );
        let (out, summary) = run(input, false);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "[{\"type\":\"EMAIL\",\"start\":19,\"end\":33}]",
                "[]",
                "[{\"type\":\"PHONE\",\"start\":3,\"end\":19}]",
            ],
            "output: {out}"
        );
        assert_eq!(
            summary,
            ScanSummary {
                lines: 3,
                findings: 2,
                errors: 0
            }
        );
    }

    #[test]
    fn secrets_are_written_only_when_asked_for() {
        let input = "{\"text\": \"--token=9f2c4e6a8b0d1f3e mail a@example.com\"}\n";
        let (out, summary) = run(input, false);
        assert_eq!(out, "[{\"type\":\"EMAIL\",\"start\":30,\"end\":43}]\n");
        assert_eq!(summary.findings, 1);
        let (out, summary) = run(input, true);
        assert_eq!(
            out,
            "[{\"type\":\"SECRET\",\"start\":8,\"end\":24},{\"type\":\"EMAIL\",\"start\":30,\"end\":43}]\n"
        );
        assert_eq!(summary.findings, 2);
    }

    #[test]
    fn bad_lines_get_an_error_line_naming_them_and_the_run_goes_on() {
        let input = "{\"text\": \"a@example.com\"}\nnot json\n{\"other\": 1}\n{\"text\": 5}\n{\"text\": \"b@example.com\"}\n";
        let (out, summary) = run(input, false);
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines.len(), 5, "output: {out}");
        assert_eq!(lines[0], "[{\"type\":\"EMAIL\",\"start\":0,\"end\":13}]");
        for (idx, n) in [(1, 2), (2, 3), (3, 4)] {
            let v: serde_json::Value = serde_json::from_str(lines[idx]).unwrap();
            let error = v["error"].as_str().unwrap();
            assert!(error.starts_with(&format!("line {n}:")), "{error}");
        }
        assert_eq!(lines[4], "[{\"type\":\"EMAIL\",\"start\":0,\"end\":13}]");
        assert_eq!(
            summary,
            ScanSummary {
                lines: 5,
                findings: 2,
                errors: 3
            }
        );
    }

    #[test]
    fn invalid_utf8_is_a_line_error_not_an_io_error() {
        let scanner = Scanner::new(&[]).unwrap();
        let input: &[u8] = b"{\"text\": \"\xff\"}\n{\"text\": \"ok\"}\n";
        let mut out = Vec::new();
        let summary = scan_json_lines(&scanner, input, &mut out, true).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("{\"error\":\"line 1: not UTF-8"), "{out}");
        assert!(out.ends_with("[]\n"), "{out}");
        assert_eq!(summary.errors, 1);
    }

    #[test]
    fn escaped_text_is_scanned_after_unescaping() {
        let input = r#"{"text": "line one\nmail: \"a@example.com\" \u00e9"}"#;
        let (out, _) = run(input, false);
        assert_eq!(out, "[{\"type\":\"EMAIL\",\"start\":16,\"end\":29}]\n");
    }
}
