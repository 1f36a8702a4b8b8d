//! Precision and recall over a hand-labelled corpus of agent traffic (`corpus.jsonl`),
//! run through `scan_json_lines` exactly as `warden pii scan` would.
//!
//! Each corpus line is `{"text", "findings": [{"type", "start", "end"}]}` with character
//! offsets; lines marked `"hard_negative": true` are built from the inputs pattern
//! scanners usually flag by mistake (dates, ids, amounts, versions, hashes …) and must
//! yield nothing at all. A finding counts only when type, start and end all match.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use warden_pii::{Scanner, scan_json_lines};

const CORPUS: &str = include_str!("corpus.jsonl");

#[derive(Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Labelled {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct Line {
    text: String,
    findings: Vec<Labelled>,
    #[serde(default)]
    hard_negative: bool,
}

#[derive(Default)]
struct Tally {
    expected: usize,
    found: usize,
    correct: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.correct as f64 / self.found as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }
}

fn excerpt(text: &str, f: &Labelled) -> String {
    let chars: Vec<char> = text.chars().collect();
    let slice = |a: usize, b: usize| {
        chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect::<String>()
    };
    format!(
        "{} {:?} in …{}[{}]{}…",
        f.kind,
        slice(f.start, f.end),
        slice(f.start.saturating_sub(25), f.start),
        slice(f.start, f.end),
        slice(f.end, f.end + 25)
    )
}

#[test]
fn corpus_precision_and_recall() {
    let lines: Vec<Line> = CORPUS
        .lines()
        .enumerate()
        .map(|(n, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("corpus line {}: {e}", n + 1))
        })
        .collect();
    assert!(
        lines.len() >= 150,
        "the corpus has only {} lines",
        lines.len()
    );
    for (n, line) in lines.iter().enumerate() {
        let len = line.text.chars().count();
        for f in &line.findings {
            assert!(
                f.start < f.end && f.end <= len,
                "corpus line {}: bad label {f:?}",
                n + 1
            );
        }
    }

    let scanner = Scanner::new(&[]).unwrap();
    let mut output = Vec::new();
    let summary = scan_json_lines(&scanner, CORPUS.as_bytes(), &mut output, true).unwrap();
    assert_eq!(summary.errors, 0);
    let output = String::from_utf8(output).unwrap();
    let found: Vec<Vec<Labelled>> = output
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(found.len(), lines.len(), "one output line per input line");

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    let mut hard_negative_failures = Vec::new();
    for (n, (line, found)) in lines.iter().zip(&found).enumerate() {
        let expected: BTreeSet<_> = line.findings.iter().cloned().collect();
        let found: BTreeSet<_> = found.iter().cloned().collect();
        for f in &expected {
            let t = tallies.entry(f.kind.clone()).or_default();
            t.expected += 1;
            total.expected += 1;
            if found.contains(f) {
                t.correct += 1;
                total.correct += 1;
            } else {
                misses.push(format!("line {}: missed {}", n + 1, excerpt(&line.text, f)));
            }
        }
        for f in &found {
            tallies.entry(f.kind.clone()).or_default().found += 1;
            total.found += 1;
            if !expected.contains(f) {
                false_alarms.push(format!(
                    "line {}: false alarm {}",
                    n + 1,
                    excerpt(&line.text, f)
                ));
            }
        }
        if line.hard_negative && !found.is_empty() {
            hard_negative_failures.push(format!("line {}: {:?} -> {found:?}", n + 1, line.text));
        }
    }

    println!(
        "\n{:<12} {:>8} {:>6} {:>8} {:>9} {:>7}",
        "type", "labelled", "found", "correct", "precision", "recall"
    );
    for (kind, t) in tallies.iter().chain([(&"OVERALL".to_string(), &total)]) {
        println!(
            "{:<12} {:>8} {:>6} {:>8} {:>9.3} {:>7.3}",
            kind,
            t.expected,
            t.found,
            t.correct,
            t.precision(),
            t.recall()
        );
    }
    let hard_negatives = lines.iter().filter(|l| l.hard_negative).count();
    println!("{} lines, {hard_negatives} hard negatives", lines.len());
    for line in misses.iter().chain(&false_alarms) {
        println!("  {line}");
    }

    assert!(
        hard_negative_failures.is_empty(),
        "hard negatives flagged:\n{}",
        hard_negative_failures.join("\n")
    );
    assert!(
        total.precision() >= 0.98,
        "precision {:.3} < 0.98; false alarms:\n{}",
        total.precision(),
        false_alarms.join("\n")
    );
    assert!(
        total.recall() >= 0.95,
        "recall {:.3} < 0.95; misses:\n{}",
        total.recall(),
        misses.join("\n")
    );
}
