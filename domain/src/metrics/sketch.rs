//! Latency sketches: interaction durations counted in logarithmic buckets (DDSketch's
//! scheme), so that any number of minutes, agents or replicas merge by adding counts, and
//! a quantile read back is within [`RELATIVE_ERROR`] of the true value.
//!
//! Bucket `i` holds the durations in (γ^(i-1), γ^i] microseconds, with γ = 1.04; a quantile
//! falling in bucket `i` is reported as 2γ^i / (γ + 1), at most (γ - 1) / (γ + 1) ≈ 1.96%
//! from any value in the bucket. Durations up to 1 µs share bucket 0. An hour needs ~560
//! buckets; a minute of one agent's traffic fills a few dozen.

use std::collections::BTreeMap;

/// Bucket growth factor.
pub const GAMMA: f64 = 1.04;
/// The most a quantile read from a sketch differs from the true one, relatively.
pub const RELATIVE_ERROR: f64 = (GAMMA - 1.0) / (GAMMA + 1.0);
const _: () = assert!(RELATIVE_ERROR < 0.02);

/// The bucket of a duration in nanoseconds.
pub fn bucket_of(duration_ns: i64) -> i32 {
    let us = duration_ns as f64 / 1_000.0;
    if us <= 1.0 {
        return 0;
    }
    // Capped far beyond any interaction (γ^20000 µs); keeps a corrupt duration finite.
    (us.ln() / GAMMA.ln()).ceil().min(20_000.0) as i32
}

/// The value a bucket stands for, in milliseconds.
pub fn bucket_value_ms(bucket: i32) -> f64 {
    if bucket <= 0 {
        return 0.001;
    }
    2.0 * GAMMA.powi(bucket) / (GAMMA + 1.0) / 1_000.0
}

/// Counts per bucket, merged from any number of rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch {
    counts: BTreeMap<i32, i64>,
    total: i64,
}

impl Sketch {
    pub fn add(&mut self, bucket: i32, count: i64) {
        if count > 0 {
            *self.counts.entry(bucket).or_default() += count;
            self.total += count;
        }
    }

    pub fn record(&mut self, duration_ns: i64) {
        self.add(bucket_of(duration_ns), 1);
    }

    pub fn merge(&mut self, other: &Sketch) {
        for (&bucket, &count) in &other.counts {
            self.add(bucket, count);
        }
    }

    pub fn count(&self) -> i64 {
        self.total
    }

    /// The `q` quantile (0..=1) in milliseconds, `None` when empty: the value of the
    /// bucket holding the observation of rank ⌈q·n⌉ (the lower of the two middle
    /// ones for the median of an even count).
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as i64).max(1);
        let mut seen = 0;
        for (&bucket, &count) in &self.counts {
            seen += count;
            if seen >= rank {
                return Some(bucket_value_ms(bucket));
            }
        }
        self.counts.keys().next_back().map(|&b| bucket_value_ms(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(sorted: &[f64], q: f64) -> f64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).max(1);
        sorted[rank - 1]
    }

    #[test]
    fn quantiles_are_within_two_percent_of_the_exact_ones() {
        // Durations from 0.2 ms to 40 s, spread unevenly.
        let mut values: Vec<f64> = (0..5_000)
            .map(|i| 0.2 * (1.0017f64).powi(i) + (i % 7) as f64)
            .collect();
        let mut sketch = Sketch::default();
        for v in &values {
            sketch.record((v * 1e6) as i64);
        }
        values.sort_by(f64::total_cmp);
        for q in [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0] {
            let got = sketch.quantile_ms(q).unwrap();
            let want = exact(&values, q);
            assert!(
                ((got - want) / want).abs() <= RELATIVE_ERROR + 1e-9,
                "q{q}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn merged_sketches_answer_as_one_sketch_of_everything() {
        let (mut a, mut b, mut all) = (Sketch::default(), Sketch::default(), Sketch::default());
        for i in 1..=300i64 {
            let ns = i * 7_919_000;
            if i % 3 == 0 {
                a.record(ns)
            } else {
                b.record(ns)
            }
            all.record(ns);
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(a.count(), 300);
    }

    #[test]
    fn an_empty_sketch_has_no_quantiles_and_tiny_durations_share_the_first_bucket() {
        assert_eq!(Sketch::default().quantile_ms(0.5), None);
        assert_eq!(bucket_of(0), 0);
        assert_eq!(bucket_of(999), 0);
        assert!(bucket_of(1_000_000) > 0);
        assert_eq!(bucket_of(-5), 0);
    }
}
