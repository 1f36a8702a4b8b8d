//! Precision and recall over a hand-labelled corpus of agent outputs (`corpus.jsonl`):
//! HR-screening, support, sales and analytics text, prose and JSON, with hard negatives
//! (years of experience, pronouns, ages of things, product and place words, job levels,
//! talk about the rules) and self-identification, which is labelled negative (see
//! `src/guard.rs`).
//!
//! Each line is `{"text", "labels": ["gender", "age", "ethnicity"]}`; scoring is per text
//! and attribute: a text counts as flagged for an attribute if any inference of it is
//! found. The positives were written before the patterns and a few misses are kept, so
//! the figures are the detector author's estimate: an upper bound.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use warden_inference::{Attribute, Detector};

const CORPUS: &str = include_str!("corpus.jsonl");

/// Set just under what the detector reaches, so that a regression fails.
const MIN_PRECISION: f64 = 0.99;
const MIN_RECALL: f64 = 0.97;

#[derive(Deserialize)]
struct Line {
    text: String,
    labels: Vec<Attribute>,
}

#[derive(Default)]
struct Tally {
    labelled: usize,
    flagged: usize,
    correct: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        if self.flagged == 0 {
            1.0
        } else {
            self.correct as f64 / self.flagged as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.labelled == 0 {
            1.0
        } else {
            self.correct as f64 / self.labelled as f64
        }
    }
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
    let negatives = lines.iter().filter(|l| l.labels.is_empty()).count();
    assert!(
        lines.len() >= 240,
        "the corpus has only {} lines",
        lines.len()
    );
    assert!(
        negatives * 10 >= lines.len() * 4,
        "only {negatives} negatives"
    );

    let detector = Detector::new();
    let mut tallies: BTreeMap<Attribute, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let found = detector.detect(&line.text);
        let flagged: BTreeSet<Attribute> = found.iter().map(|i| i.attribute).collect();
        let labelled: BTreeSet<Attribute> = line.labels.iter().copied().collect();
        for attribute in Attribute::ALL {
            let (is_labelled, is_flagged) =
                (labelled.contains(&attribute), flagged.contains(&attribute));
            let tally = tallies.entry(attribute).or_default();
            for t in [&mut *tally, &mut total] {
                t.labelled += usize::from(is_labelled);
                t.flagged += usize::from(is_flagged);
                t.correct += usize::from(is_labelled && is_flagged);
            }
            if is_labelled && !is_flagged {
                misses.push(format!(
                    "line {}: missed {attribute}: {:?}",
                    n + 1,
                    line.text
                ));
            }
            if is_flagged && !is_labelled {
                let evidence: Vec<String> = found
                    .iter()
                    .filter(|i| i.attribute == attribute)
                    .map(|i| format!("[{}] {:?}", i.cue, &line.text[i.start..i.end]))
                    .collect();
                false_alarms.push(format!(
                    "line {}: false {attribute}: {:?} <- {}",
                    n + 1,
                    line.text,
                    evidence.join(", ")
                ));
            }
        }
    }

    println!(
        "\n{:<10} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "attribute", "labelled", "flagged", "correct", "precision", "recall"
    );
    let overall = "overall".to_string();
    let rows = tallies
        .iter()
        .map(|(a, t)| (a.as_str().to_string(), t))
        .chain([(overall, &total)]);
    for (name, t) in rows {
        println!(
            "{:<10} {:>8} {:>8} {:>8} {:>9.3} {:>7.3}",
            name,
            t.labelled,
            t.flagged,
            t.correct,
            t.precision(),
            t.recall()
        );
    }
    println!("{} texts, {negatives} without any attribute", lines.len());
    for line in misses.iter().chain(&false_alarms) {
        println!("  {line}");
    }

    assert!(
        total.precision() >= MIN_PRECISION,
        "precision {:.3} < {MIN_PRECISION}; false alarms:\n{}",
        total.precision(),
        false_alarms.join("\n")
    );
    assert!(
        total.recall() >= MIN_RECALL,
        "recall {:.3} < {MIN_RECALL}; misses:\n{}",
        total.recall(),
        misses.join("\n")
    );
}
