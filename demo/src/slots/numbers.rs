//! Money, count and rate slots, and their human-readable `_h` twins.

use rand::Rng;
use rand::rngs::StdRng;

use super::Slots;
use super::calendar::civil_from_days;
use crate::fake::pick;

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn money(cur: &str, cents: u64) -> String {
    format!("{cur}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// Short form of a large amount, as people say it: 1.42M, 412.6k.
fn short_money(cur: &str, value: f64) -> String {
    if value >= 1_000_000.0 {
        format!("{cur}{:.2}M", value / 1_000_000.0)
    } else if value >= 1_000.0 {
        format!("{cur}{:.1}k", value / 1_000.0)
    } else {
        format!("{cur}{value:.2}")
    }
}

impl Slots {
    /// Currencies, amounts and prices.
    pub(super) fn amount(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let v = match name {
            "cur" => pick(rng, &["€", "€", "£", "£", "$"], "€").to_string(),
            "amount" | "amount2" => {
                let cur = self.currency(rng);
                money(&cur, rng.random_range(1_500..48_000))
            }
            "big_amount" => {
                let cur = self.currency(rng);
                money(&cur, rng.random_range(120_000..9_800_000))
            }
            // Each of m1 > m2 > m3 is a fraction of the one before, so "top 3" lists come out
            // sorted and a department's spend stays near its budget.
            "m1" => format!("{:.2}", rng.random_range(300_000.0..2_500_000.0)),
            "m2" => format!(
                "{:.2}",
                self.float(rng, "m1") * rng.random_range(0.55..0.97)
            ),
            "m3" => format!("{:.2}", self.float(rng, "m2") * rng.random_range(0.4..0.9)),
            "m_left" => format!("{:.2}", self.float(rng, "m1") - self.float(rng, "m2")),
            "a1" | "a2" => format!("{:.2}", rng.random_range(45.0..160.0)),
            "salary_min" => {
                let cur = self.currency(rng);
                format!("{cur}{},000", rng.random_range(55..80))
            }
            "salary_max" => {
                let k = self.salary_min_thousands(rng);
                let cur = self.currency(rng);
                format!("{cur}{},000", k + 20)
            }
            "salary" => {
                let k = self.salary_min_thousands(rng);
                let cur = self.currency(rng);
                format!("{cur}{},000", k + rng.random_range(0..=20))
            }
            "unit_price" => format!("{:.2}", rng.random_range(0.35..48.0)),
            "unit_price2" => {
                let base = self.float(rng, "unit_price");
                format!("{:.2}", base * rng.random_range(0.88..1.15))
            }
            _ => return None,
        };
        Some(v)
    }

    /// Counts and rates.
    pub(super) fn count(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let (year, _, _) = civil_from_days(self.today);
        let v = match name {
            // Counts and rates, with human-readable twins (`_h`) that agree with them.
            "c1" => rng.random_range(800..60_000).to_string(),
            "c2" => ((self.float(rng, "c1") * rng.random_range(0.85..1.2)) as u64).to_string(),
            "r1" => format!("{:.4}", rng.random_range(0.02..0.35)),
            "r2" => format!("{:.4}", self.float(rng, "r1") * rng.random_range(0.5..0.97)),
            // Server-side query time: less than the tool call that waits for it.
            "elapsed" => rng.random_range(60..280).to_string(),
            "delay" => format!("{:.1}", rng.random_range(1.5..9.5)),
            "lines" => rng.random_range(8..140).to_string(),
            "score" => rng.random_range(72..96).to_string(),
            "score2" => (self.int(rng, "score") - rng.random_range(2..12)).to_string(),
            "score3" => (self.int(rng, "score2") - rng.random_range(2..15)).to_string(),
            "units" => (rng.random_range(5..200) * 10).to_string(),
            "units2" => {
                let units = self.int(rng, "units");
                (units - rng.random_range(1..=(units / 20).max(1)) * 10)
                    .max(10)
                    .to_string()
            }
            "lead_days" | "lead_days2" => rng.random_range(3..35).to_string(),
            "stock" => rng.random_range(5..240).to_string(),
            "qty" => rng.random_range(1..4).to_string(),
            "position" => rng.random_range(1..9).to_string(),
            "minutes" => rng.random_range(2..16).to_string(),
            "days" => rng.random_range(3..11).to_string(),
            "disk" => rng.random_range(3..15).to_string(),
            "attempts" => rng.random_range(3..10).to_string(),
            "notice" => rng.random_range(2..13).to_string(),
            "team" => rng.random_range(3..13).to_string(),
            "years" => rng.random_range(2..16).to_string(),
            "grad_year" => {
                let years = self.int(rng, "years");
                (year - years - rng.random_range(0..4)).to_string()
            }
            "employees" => rng.random_range(40..8000).to_string(),
            "shops" => rng.random_range(2..26).to_string(),
            "priority" => pick(rng, &["normal", "normal", "high"], "normal").to_string(),
            _ => return None,
        };
        Some(v)
    }

    /// The thousands of `$salary_min`, which the other salary slots are built on.
    fn salary_min_thousands(&mut self, rng: &mut StdRng) -> u32 {
        let min = self.get(rng, "salary_min").unwrap_or_default();
        min.trim_end_matches(",000")
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap_or(60)
    }

    /// `x_h` slots: the human-readable form of the numeric slot `x`.
    pub(super) fn human(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let base = name.strip_suffix("_h")?;
        let value = self.get(rng, base)?;
        let cur = self.currency(rng);
        let n: f64 = value.parse().ok()?;
        Some(match base {
            "m1" | "m2" | "m3" => short_money(&cur, n),
            "a1" | "a2" => money(&cur, (n * 100.0).round() as u64),
            "c1" | "c2" => thousands(n as u64),
            "r1" | "r2" => format!("{:.1}%", n * 100.0),
            _ => return None,
        })
    }
}
