//! The anomaly detector on a synthetic fleet with known injected anomalies: steps, spikes,
//! slow drifts, daily cycles, weekend lulls and noisy quiet agents. Each agent runs five
//! weeks of hours; the first is history only, the next four are judged hour by hour as the
//! job would, against the trailing week. Prints recall and false alarms per agent-week
//! (`cargo test -p warden-domain --test anomaly_benchmark -- --nocapture`) and holds the
//! detector to recall >= 0.9 at <= 1 false alarm per agent-week.
#![allow(clippy::unwrap_used)]

use warden_domain::metrics::anomaly::{Hourly, Metric, Settings, judge};

const H: i64 = 3_600_000;
const WEEK: usize = 168;
const HOURS: usize = 5 * WEEK;

/// xorshift64*, with Box-Muller normals: the same fleet every run.
struct Rng(u64);
impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-12), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    fn binomial(&mut self, n: i64, p: f64) -> i64 {
        (0..n).filter(|_| self.uniform() < p).count() as i64
    }
}

/// What is injected into one metric of one agent, from `start` for `len` hours.
#[derive(Clone, Copy)]
enum Shape {
    /// Multiplies (cost, latency) or adds to (rates) the level from `start` on.
    Step { start: usize, factor: f64 },
    Spike {
        start: usize,
        len: usize,
        factor: f64,
    },
    /// Grows by `per_hour` (relative) for `len` hours, then stays.
    Drift {
        start: usize,
        len: usize,
        per_hour: f64,
    },
}

impl Shape {
    fn factor(self, h: usize) -> f64 {
        match self {
            Shape::Step { start, factor } if h >= start => factor,
            Shape::Spike { start, len, factor } if h >= start && h < start + len => factor,
            Shape::Drift {
                start,
                len,
                per_hour,
            } if h >= start => (1.0 + per_hour).powi((h - start).min(len) as i32),
            _ => 1.0,
        }
    }
    /// The hours in which an alarm counts as a detection: for a step, its first two hours
    /// with enough traffic to judge (a step at night is seen when the traffic returns); for
    /// a spike or a drift, while it lasts. `None`: no hour of it had the volume to judge,
    /// so no detector may see it (the minimum volume is the point).
    fn detect_window(self, hours: &[Hourly], min_volume: i64) -> Option<(usize, usize)> {
        let judged = |h: &usize| hours[*h].volume >= min_volume && hours[*h].value.is_some();
        match self {
            Shape::Step { start, .. } => {
                let mut seen = (start..hours.len()).filter(judged);
                let first = seen.next()?;
                Some((start, seen.next().unwrap_or(first)))
            }
            Shape::Spike { start, len, .. } | Shape::Drift { start, len, .. } => (start
                ..start + len)
                .any(|h| judged(&h))
                .then_some((start, start + len)),
        }
    }
    /// The hours after which an alarm is neither a detection nor false (the episode).
    fn episode(self) -> (usize, usize) {
        match self {
            Shape::Step { start, .. } => (start, start + 5 * 24),
            Shape::Spike { start, len, .. } => (start, start + len + 2),
            Shape::Drift { start, len, .. } => (start, start + len + 5 * 24),
        }
    }
}

struct Agent {
    name: &'static str,
    /// Interactions per hour at midday on a weekday.
    volume: f64,
    /// Office hours (x4 from 9:00 to 17:00, a quarter at night) and quiet weekends.
    cycle: bool,
    error_rate: f64,
    latency_ms: f64,
    alignment: f64,
    injected: Vec<(Metric, Shape)>,
}

fn volume_at(a: &Agent, h: usize, rng: &mut Rng) -> i64 {
    let hour = h % 24;
    let weekend = (h / 24) % 7 >= 5;
    let mut v = a.volume;
    if a.cycle {
        v *= if (9..17).contains(&hour) { 1.0 } else { 0.25 };
        if weekend {
            v *= 0.3;
        }
    }
    (v * (1.0 + 0.1 * rng.normal())).max(0.0).round() as i64
}

fn series(a: &Agent, metric: Metric, seed: u64) -> Vec<Hourly> {
    let mut rng = Rng(seed);
    let shape = |h: usize| {
        a.injected
            .iter()
            .filter(|(m, _)| *m == metric)
            .map(|(_, s)| s.factor(h))
            .product::<f64>()
    };
    (0..HOURS)
        .map(|h| {
            let n = volume_at(a, h, &mut rng);
            let f = shape(h);
            let value = (n > 0).then(|| match metric {
                Metric::Cost => n as f64 * 0.004 * f * (1.0 + 0.05 * rng.normal()),
                Metric::ErrorRate => {
                    let p = (a.error_rate * f).min(0.95);
                    rng.binomial(n, p) as f64 / n as f64
                }
                Metric::P95Latency => {
                    a.latency_ms
                        * f
                        * (1.0 + (0.06 + 0.4 / (n as f64).sqrt()) * rng.normal()).max(0.3)
                }
                Metric::Alignment => {
                    // A drop is a factor on the violation share.
                    let bad = ((1.0 - a.alignment) * f).min(0.95);
                    1.0 - rng.binomial(n, bad) as f64 / n as f64
                }
            });
            Hourly {
                start: h as i64 * H,
                value,
                volume: n,
            }
        })
        .collect()
}

/// The fleet, its injections moved `shift` hours later (each round of the benchmark has
/// them at other hours and on other days).
fn fleet(shift: usize) -> Vec<Agent> {
    let day = |d: usize, hour: usize| d * 24 + hour + shift;
    let base = |name, volume, cycle| Agent {
        name,
        volume,
        cycle,
        error_rate: 0.02,
        latency_ms: 2_000.0,
        alignment: 0.97,
        injected: Vec::new(),
    };
    let mut agents = vec![
        base("steady-support", 220.0, false),
        base("office-sales", 300.0, true),
        base("quiet-hr", 12.0, true),
        base("noisy-analytics", 40.0, false),
    ];
    let mut add = |mut a: Agent, injected: Vec<(Metric, Shape)>| {
        a.injected = injected;
        agents.push(a);
    };
    add(
        base("cost-step", 150.0, true),
        vec![(
            Metric::Cost,
            Shape::Step {
                start: day(15, 10),
                factor: 2.5,
            },
        )],
    );
    add(
        base("error-spike", 180.0, false),
        vec![(
            Metric::ErrorRate,
            Shape::Spike {
                start: day(16, 3),
                len: 2,
                factor: 10.0,
            },
        )],
    );
    add(
        base("latency-drift", 120.0, false),
        vec![(
            Metric::P95Latency,
            Shape::Drift {
                start: day(20, 0),
                len: 30,
                per_hour: 0.04,
            },
        )],
    );
    add(
        base("alignment-drop", 200.0, true),
        vec![(
            Metric::Alignment,
            Shape::Step {
                start: day(25, 11),
                factor: 6.0,
            },
        )],
    );
    add(
        base("error-step-cycle", 250.0, true),
        vec![
            (
                Metric::ErrorRate,
                Shape::Step {
                    start: day(9, 13),
                    factor: 4.0,
                },
            ),
            (
                Metric::P95Latency,
                Shape::Spike {
                    start: day(30, 14),
                    len: 1,
                    factor: 3.0,
                },
            ),
        ],
    );
    add(
        base("many-faults", 160.0, false),
        vec![
            (
                Metric::Cost,
                Shape::Spike {
                    start: day(10, 8),
                    len: 1,
                    factor: 4.0,
                },
            ),
            (
                Metric::ErrorRate,
                Shape::Drift {
                    start: day(18, 0),
                    len: 24,
                    per_hour: 0.08,
                },
            ),
            (
                Metric::Alignment,
                Shape::Spike {
                    start: day(28, 20),
                    len: 2,
                    factor: 8.0,
                },
            ),
        ],
    );
    agents
}

#[test]
fn the_detector_finds_nine_in_ten_injected_anomalies_at_under_one_false_alarm_per_agent_week() {
    let settings = Settings::default();
    let (mut events, mut found, mut false_alarms, mut unobservable) = (0, 0, 0, 0);
    const ROUNDS: usize = 3;
    let mut agent_count = 0;
    println!("\nround agent              metric       injected  detected  false alarms");
    for round in 0..ROUNDS {
        let agents = fleet(round * 29);
        agent_count += agents.len();
        for (i, agent) in agents.iter().enumerate() {
            for (j, metric) in Metric::ALL.into_iter().enumerate() {
                let hours = series(agent, metric, 1 + (round * 1_000 + i * 7 + j) as u64 * 7919);
                let shapes: Vec<Shape> = agent
                    .injected
                    .iter()
                    .filter(|(m, _)| *m == metric)
                    .map(|(_, s)| *s)
                    .collect();
                let mut open = false;
                let mut opened_at = Vec::new();
                for h in WEEK..HOURS {
                    let Some(j) = judge(metric, &hours[h - WEEK..h], hours[h], &settings) else {
                        continue;
                    };
                    if !open && j.opens(&settings) {
                        open = true;
                        opened_at.push(h);
                    } else if open && j.closes(&settings) {
                        open = false;
                    }
                }
                let windows: Vec<(usize, usize)> = shapes
                    .iter()
                    .filter_map(|s| s.detect_window(&hours, settings.min_volume))
                    .collect();
                unobservable += shapes.len() - windows.len();
                let detected = windows
                    .iter()
                    .filter(|(a, b)| opened_at.iter().any(|&h| h >= *a && h <= *b))
                    .count();
                let false_here = opened_at
                    .iter()
                    .filter(|&&h| {
                        !shapes.iter().any(|s| {
                            let (a, b) = s.episode();
                            h >= a && h <= b
                        })
                    })
                    .count();
                if !shapes.is_empty() || false_here > 0 {
                    println!(
                        "{round:>5} {:<18} {:<12} {:>8}  {:>8}  {:>12}",
                        agent.name,
                        metric.as_str(),
                        shapes.len(),
                        detected,
                        false_here
                    );
                }
                events += windows.len();
                found += detected;
                false_alarms += false_here;
            }
        }
    }
    let agent_weeks = (agent_count * 4) as f64;
    let recall = found as f64 / events as f64;
    let rate = false_alarms as f64 / agent_weeks;
    println!("injected with no hour busy enough to judge (not counted): {unobservable}");
    println!(
        "recall {found}/{events} = {recall:.2}; false alarms {false_alarms} over {agent_weeks} \
         agent-weeks = {rate:.2} per agent-week (4 metrics each)"
    );
    assert!(recall >= 0.9, "recall {recall:.2}");
    assert!(rate <= 1.0, "false alarms per agent-week {rate:.2}");
}
