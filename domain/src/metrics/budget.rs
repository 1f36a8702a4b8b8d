//! Monthly budgets: what is spent this month, where the month is heading (a forecast with
//! an 80% interval) and what an optional hard cap does once the budget is spent.
//!
//! The forecast adds to the month's spend so far the rest of the month at the mean daily
//! spend of the last (up to) 14 whole UTC days. Its interval treats the remaining days as
//! independent draws of that daily spend: the variance of the rest is `R s^2` (day-to-day
//! spread over `R` remaining days) plus `R^2 s^2 / n` (the mean itself is estimated from
//! `n` days), and the 80% interval is the forecast +- 1.2816 standard deviations, never
//! below what is already spent. With fewer than 3 days of history the forecast is the
//! run rate since spending began (this month) and no interval is given.

use super::range::DAY_MS;
use crate::timefmt::{iso_utc, parse_date};
use serde::{Deserialize, Serialize};

/// Whole days of daily spend the forecast learns from.
pub const HISTORY_DAYS: i64 = 14;
/// Fewer days than this give a run-rate forecast without an interval.
pub const MIN_HISTORY_DAYS: usize = 3;
/// The shortest time a run rate is taken over: an hour, so the first minutes of spend are
/// not multiplied into a month.
const MIN_RUN_DAYS: f64 = 1.0 / 24.0;
/// The two-sided 80% quantile of the normal distribution.
const Z_80: f64 = 1.281_551_6;

/// What a budget covers: the whole fleet, or one agent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "agent")]
pub enum BudgetScope {
    Fleet,
    Agent(String),
}

impl BudgetScope {
    /// The stored key: `fleet`, or `agent:<name>`.
    pub fn key(&self) -> String {
        match self {
            BudgetScope::Fleet => "fleet".into(),
            BudgetScope::Agent(name) => format!("agent:{name}"),
        }
    }

    pub fn from_key(key: &str) -> Option<BudgetScope> {
        match key {
            "fleet" => Some(BudgetScope::Fleet),
            _ => key
                .strip_prefix("agent:")
                .filter(|n| !n.is_empty())
                .map(|n| BudgetScope::Agent(n.to_string())),
        }
    }

    /// For people: `the fleet` or the agent's name.
    pub fn label(&self) -> String {
        match self {
            BudgetScope::Fleet => "the fleet".into(),
            BudgetScope::Agent(name) => name.clone(),
        }
    }
}

/// What happens to the agents under a budget once it is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum HardCap {
    /// Nothing but the `over` status.
    None,
    /// The agents are rate-limited to this many requests a minute.
    RateLimit { per_min: u32 },
    /// The agents are paused.
    Pause,
}

impl HardCap {
    /// From its name, `none` (or nothing), `pause` or `rate_limit` with its rate, as the
    /// API and the Cost Center's form send it.
    pub fn parse(name: Option<&str>, per_min: Option<u32>) -> Result<HardCap, String> {
        match (name.unwrap_or("none"), per_min) {
            ("none" | "", _) => Ok(HardCap::None),
            ("pause", _) => Ok(HardCap::Pause),
            ("rate_limit", Some(per_min)) => Ok(HardCap::RateLimit { per_min }),
            ("rate_limit", None) => Err("a rate_limit hard cap needs rate_limit_per_min".into()),
            (other, _) => Err(format!(
                "unknown hard cap {:?}: none, pause or rate_limit",
                other.chars().take(40).collect::<String>()
            )),
        }
    }

    /// The name [`HardCap::parse`] reads.
    pub fn name(self) -> &'static str {
        match self {
            HardCap::None => "none",
            HardCap::RateLimit { .. } => "rate_limit",
            HardCap::Pause => "pause",
        }
    }

    pub fn describe(self) -> String {
        match self {
            HardCap::None => "none".into(),
            HardCap::RateLimit { per_min } => format!("rate limit to {per_min}/min"),
            HardCap::Pause => "pause".into(),
        }
    }
}

/// A monthly budget, in the configured currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub scope: BudgetScope,
    pub monthly: f64,
    pub hard_cap: HardCap,
    /// Who set it last (an e-mail, or `config` for the file's seed).
    pub updated_by: String,
    pub updated_at: i64,
}

/// A budget as set on the Cost Center page or with `PUT /api/v1/budgets/...`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetChange {
    pub scope: BudgetScope,
    pub monthly: f64,
    pub hard_cap: HardCap,
}

impl BudgetChange {
    /// The change, or why it is refused.
    pub fn validate(self) -> Result<BudgetChange, String> {
        if !self.monthly.is_finite() || self.monthly <= 0.0 {
            return Err("a monthly budget is a positive amount".into());
        }
        if self.monthly > 1e12 {
            return Err("a monthly budget is at most 1,000,000,000,000".into());
        }
        if let HardCap::RateLimit { per_min: 0 } = self.hard_cap {
            return Err(
                "a rate limit is at least 1 request per minute; choose pause to stop the agents"
                    .into(),
            );
        }
        if let BudgetScope::Agent(name) = &self.scope
            && (name.trim().is_empty() || name.len() > 200)
        {
            return Err("name the agent the budget is for".into());
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetState {
    OnTrack,
    /// The month-end forecast is above the budget.
    AtRisk,
    /// Spent past the budget.
    Over,
}

impl BudgetState {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetState::OnTrack => "on_track",
            BudgetState::AtRisk => "at_risk",
            BudgetState::Over => "over",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BudgetState::OnTrack => "on track",
            BudgetState::AtRisk => "at risk",
            BudgetState::Over => "over budget",
        }
    }
}

/// The month-end forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub expected: f64,
    /// The 80% interval; none with fewer than [`MIN_HISTORY_DAYS`] days of history.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Whole days the forecast learnt from.
    pub history_days: usize,
}

/// A budget this month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetStatus {
    pub budget: Budget,
    /// Spent since the first of the month (UTC).
    pub spent: f64,
    pub forecast: Forecast,
    pub state: BudgetState,
}

impl BudgetStatus {
    pub fn new(budget: Budget, spent: f64, forecast: Forecast) -> BudgetStatus {
        let state = if spent > budget.monthly {
            BudgetState::Over
        } else if forecast.expected > budget.monthly {
            BudgetState::AtRisk
        } else {
            BudgetState::OnTrack
        };
        BudgetStatus {
            budget,
            spent,
            forecast,
            state,
        }
    }
}

/// The UTC month `now` is in: its first instant and the next month's.
pub fn month_bounds(now: i64) -> (i64, i64) {
    let iso = iso_utc(now);
    let (year, month): (i32, u32) = (
        iso[..4].parse().unwrap_or(1970),
        iso[5..7].parse().unwrap_or(1),
    );
    let start =
        parse_date(&format!("{year:04}-{month:02}-01")).unwrap_or(now.div_euclid(DAY_MS) * DAY_MS);
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let end = parse_date(&format!("{ny:04}-{nm:02}-01")).unwrap_or(start + 31 * DAY_MS);
    (start, end)
}

/// The month-end forecast at `now` from the month's spend so far and the daily spend of
/// the whole days before today, oldest first (leading days before the scope spent
/// anything are left out: an agent registered a week ago has a week of history, not 14
/// days of which 7 are zeros).
pub fn forecast(now: i64, spent: f64, daily_history: &[f64]) -> Forecast {
    let (start, end) = month_bounds(now);
    let remaining_days = ((end - now) as f64 / DAY_MS as f64).max(0.0);
    let first = daily_history
        .iter()
        .position(|d| *d > 0.0)
        .unwrap_or(daily_history.len());
    let history = &daily_history[first..];
    let n = history.len();
    if n < MIN_HISTORY_DAYS {
        let today = now - now.rem_euclid(DAY_MS);
        let window_start = today - daily_history.len() as i64 * DAY_MS;
        // While the history reaches back to the month's first day, it says when spending
        // began: a scope that started spending yesterday runs at yesterday's and today's
        // rate, not at that spread over the whole month so far. Later in the month older
        // spend may lie before the history, so the month's start is the safe base.
        let since = if window_start <= start {
            start.max(today - n as i64 * DAY_MS)
        } else {
            start
        };
        let elapsed_days = ((now - since) as f64 / DAY_MS as f64).max(MIN_RUN_DAYS);
        let rate = spent / elapsed_days;
        return Forecast {
            expected: spent + rate * remaining_days,
            low: None,
            high: None,
            history_days: n,
        };
    }
    let mean = history.iter().sum::<f64>() / n as f64;
    let variance = history.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let expected = spent + mean * remaining_days;
    let spread = (remaining_days * variance + remaining_days.powi(2) * variance / n as f64).sqrt();
    Forecast {
        expected,
        low: Some((expected - Z_80 * spread).max(spent)),
        high: Some(expected + Z_80 * spread),
        history_days: n,
    }
}

/// The agents a spent budget's hard cap acts on: its agent, or every agent of the fleet
/// that spent this month.
pub fn capped_agents(scope: &BudgetScope, spenders: &[String]) -> Vec<String> {
    match scope {
        BudgetScope::Agent(name) => vec![name.clone()],
        BudgetScope::Fleet => spenders.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str, hour: i64) -> i64 {
        parse_date(date).unwrap() + hour * 3_600_000
    }

    #[test]
    fn months_run_from_their_first_to_the_next_first_across_years() {
        let (s, e) = month_bounds(at("2026-12-04", 12));
        assert_eq!((s, e), (at("2026-12-01", 0), at("2027-01-01", 0)));
        let (s, e) = month_bounds(at("2028-02-29", 23));
        assert_eq!(e - s, 29 * DAY_MS);
    }

    #[test]
    fn a_steady_spender_is_forecast_at_its_daily_rate_with_a_narrow_interval() {
        // 10 a day, the 4th at noon: 3.5 days spent, 27.5 to go.
        let now = at("2026-12-04", 12);
        let f = forecast(now, 35.0, &[10.0; 14]);
        assert!((f.expected - 310.0).abs() < 1e-9, "{f:?}");
        assert_eq!(f.low, Some(310.0), "no spread, no width");
        assert_eq!(f.history_days, 14);
    }

    #[test]
    fn a_noisy_spender_gets_an_interval_that_holds_its_forecast() {
        let now = at("2026-12-10", 0);
        let days = [5.0, 15.0, 5.0, 15.0, 5.0, 15.0, 5.0, 15.0, 5.0, 15.0];
        let f = forecast(now, 90.0, &days);
        let (low, high) = (f.low.unwrap(), f.high.unwrap());
        assert!((f.expected - (90.0 + 22.0 * 10.0)).abs() < 1e-9);
        assert!(low < f.expected && f.expected < high);
        // Variance 250 / 9 over 22 days to go: sqrt(22 v + 22^2 v / 10) ~ 44.22.
        let v: f64 = 250.0 / 9.0;
        let spread = (22.0 * v + 484.0 * v / 10.0).sqrt();
        assert!((high - f.expected - Z_80 * spread).abs() < 1e-9, "{f:?}");
        assert!((spread - 44.22).abs() < 0.01);
    }

    #[test]
    fn a_new_agent_is_forecast_from_its_own_days_and_the_run_rate_without_history() {
        let now = at("2026-12-04", 0);
        let mut days = vec![0.0; 11];
        days.extend([10.0, 10.0, 10.0]);
        assert_eq!(forecast(now, 30.0, &days).history_days, 3);
        // Spending since the 3rd: 20 that day and 10 by noon today is 20 a day, for the
        // 27.5 days left, not 30 spread over the three and a half days of the month.
        let f = forecast(at("2026-12-04", 12), 30.0, &[0.0, 0.0, 20.0]);
        assert_eq!((f.low, f.high), (None, None));
        assert!((f.expected - (30.0 + 20.0 * 27.5)).abs() < 1e-9, "{f:?}");
        // Started today at midnight, an hour ago: a run rate of 24 a day.
        let f = forecast(at("2026-12-04", 1), 1.0, &[0.0; 3]);
        assert!(
            (f.expected - (1.0 + 24.0 * (28.0 - 1.0 / 24.0))).abs() < 1e-6,
            "{f:?}"
        );
        // Later in the month the history no longer reaches its first day: older spend may
        // lie before it, so the rate is the month's.
        let mut days = vec![0.0; 13];
        days.push(20.0);
        let f = forecast(at("2026-12-20", 0), 190.0, &days);
        assert!((f.expected - (190.0 + 10.0 * 12.0)).abs() < 1e-9, "{f:?}");
    }

    #[test]
    fn the_status_is_over_once_spent_and_at_risk_when_the_forecast_passes_it() {
        let budget = |monthly| Budget {
            scope: BudgetScope::Fleet,
            monthly,
            hard_cap: HardCap::None,
            updated_by: "config".into(),
            updated_at: 0,
        };
        let f = Forecast {
            expected: 300.0,
            low: None,
            high: None,
            history_days: 0,
        };
        assert_eq!(
            BudgetStatus::new(budget(100.0), 120.0, f).state,
            BudgetState::Over
        );
        assert_eq!(
            BudgetStatus::new(budget(200.0), 120.0, f).state,
            BudgetState::AtRisk
        );
        assert_eq!(
            BudgetStatus::new(budget(400.0), 120.0, f).state,
            BudgetState::OnTrack
        );
    }

    #[test]
    fn scopes_round_trip_and_changes_are_checked() {
        for scope in [BudgetScope::Fleet, BudgetScope::Agent("support-bot".into())] {
            assert_eq!(BudgetScope::from_key(&scope.key()), Some(scope));
        }
        assert_eq!(BudgetScope::from_key("agent:"), None);
        let change = |monthly, hard_cap| BudgetChange {
            scope: BudgetScope::Fleet,
            monthly,
            hard_cap,
        };
        assert!(change(0.0, HardCap::None).validate().is_err());
        assert!(change(f64::NAN, HardCap::None).validate().is_err());
        assert!(
            change(10.0, HardCap::RateLimit { per_min: 0 })
                .validate()
                .unwrap_err()
                .contains("pause")
        );
        assert!(change(10.0, HardCap::Pause).validate().is_ok());
    }
}
