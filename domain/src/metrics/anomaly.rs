//! Anomaly detection: an agent's metric over the last hour against its own recent baseline,
//! with robust statistics (the median and the median absolute deviation of the trailing
//! week's hourly values, so that one bad hour in the history does not move the bar), the
//! same hour of the day once there are enough days of it (agents follow office hours), and
//! no alarm on too little traffic to tell.
//!
//! The robust z-score is `(observed - median) / scale`, where `scale` is 1.4826 × MAD (the
//! standard deviation for normal data) but never less than the metric's own noise floor: a
//! perfectly steady history has a MAD of 0, and the first wobble would otherwise be
//! infinitely surprising. An anomaly opens at |z| ≥ `open_z` in the metric's bad direction
//! and closes once z falls under `close_z`.

use serde::{Deserialize, Serialize};

/// The metrics watched, each with the direction that is bad news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Spend per hour (up is bad).
    Cost,
    /// Error interactions per interaction (up is bad).
    ErrorRate,
    /// The hour's p95 interaction duration, in ms (up is bad).
    P95Latency,
    /// The alignment score (down is bad).
    Alignment,
}

impl Metric {
    pub const ALL: [Metric; 4] = [
        Metric::Cost,
        Metric::ErrorRate,
        Metric::P95Latency,
        Metric::Alignment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Cost => "cost",
            Metric::ErrorRate => "error_rate",
            Metric::P95Latency => "p95_latency",
            Metric::Alignment => "alignment",
        }
    }

    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// `1.0` when a rise is bad, `-1.0` when a fall is.
    fn bad_sign(self) -> f64 {
        match self {
            Metric::Alignment => -1.0,
            _ => 1.0,
        }
    }

    /// The smallest spread a level is judged with: a share of its usual value, so that a
    /// perfectly steady history (a MAD of 0) does not make the first wobble an alarm.
    fn scale_floor(self, median: f64) -> f64 {
        match self {
            Metric::P95Latency => (0.15 * median.abs()).max(1.0),
            _ => (0.15 * median.abs()).max(1e-6),
        }
    }

    /// Rates are shares of the hour's interactions: how surprising the hour's count is at
    /// this volume is a question for the count's distribution, not the history's spread.
    fn is_rate(self) -> bool {
        matches!(self, Metric::ErrorRate | Metric::Alignment)
    }
}

/// The normal deviate with the same upper tail as `k` or more events of a Poisson count
/// expecting `lambda`: how surprising an hour's errors (or violations) are at its volume.
/// Small counts are judged by their real distribution, so four errors in a quiet hour of a
/// 2% agent (one in 150) are not what forty are in a busy one.
fn poisson_z(k: f64, lambda: f64) -> f64 {
    let lambda = lambda.max(0.05);
    let k = k.round();
    if k <= lambda {
        return (k - lambda) / lambda.sqrt();
    }
    // ln P(X = k), then the terms above it while they matter.
    let ln_fact: f64 = (1..=k as u64).map(|i| (i as f64).ln()).sum();
    let mut ln_term = -lambda + k * lambda.ln() - ln_fact;
    let first = ln_term;
    let mut sum = 1.0;
    let mut i = k;
    loop {
        i += 1.0;
        ln_term += lambda.ln() - i.ln();
        let rel = (ln_term - first).exp();
        sum += rel;
        if rel < 1e-12 || i > k + 10_000.0 {
            break;
        }
    }
    let ln_tail = first + sum.ln();
    // Abramowitz and Stegun 26.2.23 (error under 4.5e-4), from the tail's logarithm.
    let t = (-2.0 * ln_tail.min(-1e-12)).sqrt();
    t - (2.515_517 + 0.802_853 * t + 0.010_328 * t * t)
        / (1.0 + 1.432_788 * t + 0.189_269 * t * t + 0.001_308 * t * t * t)
}

/// One hour of a metric: its value (`None` when the hour had nothing to compute it from)
/// and the interactions behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hourly {
    /// Epoch ms of the hour's start.
    pub start: i64,
    pub value: Option<f64>,
    pub volume: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// |z| at which an anomaly opens.
    pub open_z: f64,
    /// |z| under which an open anomaly closes.
    pub close_z: f64,
    /// Interactions the judged hour needs; fewer, and nothing is said.
    pub min_volume: i64,
    /// Hours of history (with enough volume each) needed for a baseline.
    pub min_history: usize,
    /// Days with the same hour in the history from which the baseline is that hour's.
    pub seasonal_days: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            open_z: 4.0,
            close_z: 2.0,
            min_volume: 20,
            min_history: 24,
            seasonal_days: 4,
        }
    }
}

/// How far an hour is from its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    pub observed: f64,
    pub baseline: f64,
    pub scale: f64,
    /// Positive when the metric moved the bad way.
    pub z: f64,
    pub seasonal: bool,
}

impl Judgement {
    /// Bad enough to open an anomaly.
    pub fn opens(&self, s: &Settings) -> bool {
        self.z >= s.open_z
    }

    /// Calm enough to close one.
    pub fn closes(&self, s: &Settings) -> bool {
        self.z < s.close_z
    }

    /// `up` or `down`: which way the metric moved.
    pub fn direction(&self, metric: Metric) -> &'static str {
        if self.z * metric.bad_sign() >= 0.0 {
            "up"
        } else {
            "down"
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Judges `current` against `history` (the trailing hours, any order); `None` when the hour
/// has too little traffic or the history too few usable hours.
pub fn judge(
    metric: Metric,
    history: &[Hourly],
    current: Hourly,
    s: &Settings,
) -> Option<Judgement> {
    let observed = current.value?;
    if current.volume < s.min_volume {
        return None;
    }
    let usable: Vec<&Hourly> = history
        .iter()
        .filter(|h| h.value.is_some() && h.volume >= s.min_volume.clamp(1, 5))
        .collect();
    if usable.len() < s.min_history {
        return None;
    }
    const DAY: i64 = 86_400_000;
    let hour_of_day = |t: i64| t.rem_euclid(DAY) / 3_600_000;
    let seasonal = usable
        .iter()
        .filter(|h| hour_of_day(h.start) == hour_of_day(current.start))
        .count()
        >= s.seasonal_days;
    let baseline_hours: Vec<&&Hourly> = usable
        .iter()
        .filter(|h| !seasonal || hour_of_day(h.start) == hour_of_day(current.start))
        .collect();
    if metric.is_rate() {
        // The bad share (errors, or interactions with violations) pooled over the baseline's
        // hours: a median of sparse counts is often 0, and the first error would look
        // infinitely surprising. The hour's own count is then judged by its distribution.
        let bad = |h: &Hourly| {
            let v = h.value.unwrap_or(0.0);
            if metric == Metric::Alignment {
                1.0 - v
            } else {
                v
            }
        };
        let (count, volume) = baseline_hours.iter().fold((0.0, 0.0), |(c, n), h| {
            (c + bad(h) * h.volume as f64, n + h.volume as f64)
        });
        let usual = if volume > 0.0 { count / volume } else { 0.0 };
        let n = current.volume as f64;
        let z = poisson_z(bad(&current) * n, usual * n);
        let baseline = if metric == Metric::Alignment {
            1.0 - usual
        } else {
            usual
        };
        return Some(Judgement {
            observed,
            baseline,
            scale: (usual * (1.0 - usual) / n.max(1.0)).sqrt(),
            z,
            seasonal,
        });
    }
    let mut values: Vec<f64> = baseline_hours.iter().filter_map(|h| h.value).collect();
    let baseline = median(&mut values);
    let mut deviations: Vec<f64> = values.iter().map(|v| (v - baseline).abs()).collect();
    let mad = median(&mut deviations);
    let scale = (1.4826 * mad).max(metric.scale_floor(baseline));
    Some(Judgement {
        observed,
        baseline,
        scale,
        z: (observed - baseline) / scale * metric.bad_sign(),
        seasonal,
    })
}

/// An anomaly as stored and listed: one agent's metric over an hour, against its baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anomaly {
    pub id: i64,
    pub agent: String,
    /// [`Metric::as_str`].
    pub metric: String,
    /// The hour judged last (epoch ms).
    pub window_start: i64,
    pub window_end: i64,
    pub observed: f64,
    pub baseline: f64,
    /// The robust z-score, positive the bad way.
    pub z: f64,
    /// `up` or `down`.
    pub direction: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    fn steady(n: i64, value: impl Fn(i64) -> f64) -> Vec<Hourly> {
        (0..n)
            .map(|i| Hourly {
                start: i * H,
                value: Some(value(i)),
                volume: 100,
            })
            .collect()
    }

    #[test]
    fn a_cost_step_stands_out_and_ordinary_wobble_does_not() {
        let history = steady(168, |i| 10.0 + (i % 5) as f64 * 0.3);
        let s = Settings::default();
        let now = |v: f64| Hourly {
            start: 168 * H,
            value: Some(v),
            volume: 100,
        };
        let calm = judge(Metric::Cost, &history, now(10.9), &s).unwrap();
        assert!(!calm.opens(&s), "{calm:?}");
        let step = judge(Metric::Cost, &history, now(25.0), &s).unwrap();
        assert!(step.opens(&s) && step.z > 4.0, "{step:?}");
        assert_eq!(step.direction(Metric::Cost), "up");
        // Cheaper is not an alarm.
        assert!(
            !judge(Metric::Cost, &history, now(2.0), &s)
                .unwrap()
                .opens(&s)
        );
    }

    #[test]
    fn an_alignment_drop_is_bad_news_and_a_rise_is_not() {
        let history = steady(168, |i| 0.95 + (i % 3) as f64 * 0.005);
        let s = Settings::default();
        let at = |v| Hourly {
            start: 168 * H,
            value: Some(v),
            volume: 200,
        };
        assert!(
            judge(Metric::Alignment, &history, at(0.70), &s)
                .unwrap()
                .opens(&s)
        );
        assert!(
            !judge(Metric::Alignment, &history, at(1.0), &s)
                .unwrap()
                .opens(&s)
        );
    }

    #[test]
    fn quiet_hours_and_short_histories_say_nothing() {
        let s = Settings::default();
        let history = steady(168, |_| 0.01);
        let quiet = Hourly {
            start: 168 * H,
            value: Some(0.5),
            volume: 3,
        };
        assert_eq!(judge(Metric::ErrorRate, &history, quiet, &s), None);
        let short = steady(10, |_| 0.01);
        let busy = Hourly {
            start: 10 * H,
            value: Some(0.5),
            volume: 300,
        };
        assert_eq!(judge(Metric::ErrorRate, &short, busy, &s), None);
    }

    #[test]
    fn a_few_errors_in_a_quiet_hour_are_not_what_many_in_a_busy_hour_are() {
        // 2% usual: 4 of 40 is unusual but not alarming; 40 of 400 is.
        assert!(poisson_z(4.0, 0.8) < 4.0, "{}", poisson_z(4.0, 0.8));
        assert!(poisson_z(40.0, 8.0) > 6.0, "{}", poisson_z(40.0, 8.0));
        // The tail of 3 sd above a large mean is close to the normal's.
        let z = poisson_z(1_000.0 + 3.0 * 1_000f64.sqrt(), 1_000.0);
        assert!((z - 3.0).abs() < 0.15, "{z}");
    }

    #[test]
    fn a_daily_cycle_is_judged_against_the_same_hour() {
        // Busy at 14:00 every day: 14:00 is judged against earlier 14:00s, not the night.
        let history = steady(168, |i| if i % 24 == 14 { 50.0 } else { 5.0 });
        let s = Settings::default();
        let busy = Hourly {
            start: (168 + 14) * H,
            value: Some(52.0),
            volume: 100,
        };
        let j = judge(Metric::Cost, &history, busy, &s).unwrap();
        assert!(j.seasonal && !j.opens(&s), "{j:?}");
    }
}
