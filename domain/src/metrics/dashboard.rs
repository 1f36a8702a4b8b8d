//! What the role dashboards show, as the server sends it to the page: the metrics, the
//! charts (SVG drawn on the server) and the range they cover.

use super::anomaly::Anomaly;
use super::budget::BudgetStatus;
use super::range::{DAY_MS, HOUR_MS};
use super::report::{AgentDetailMetrics, AgentMetrics, SystemMetrics};
use crate::control::AgentControl;
use crate::telemetry::TraceSummary;
use crate::timefmt::parse_date;
use serde::{Deserialize, Serialize};

/// The time-range picker's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeChoice {
    Last24h,
    Last7d,
    Last30d,
    /// Whole UTC days, `from` to `to` inclusive, as epoch ms of their midnights.
    Custom {
        from: i64,
        to: i64,
    },
}

impl RangeChoice {
    /// From the page's query: `range` is `24h`, `7d`, `30d` or `custom` with `from` and
    /// `to` as `YYYY-MM-DD`; anything else is the last 24 hours.
    pub fn parse(range: &str, from: &str, to: &str) -> RangeChoice {
        match range {
            "7d" => RangeChoice::Last7d,
            "30d" => RangeChoice::Last30d,
            "custom" => match (parse_date(from), parse_date(to)) {
                (Some(from), Some(to)) if from <= to && to - from <= 400 * DAY_MS => {
                    RangeChoice::Custom { from, to }
                }
                _ => RangeChoice::Last24h,
            },
            _ => RangeChoice::Last24h,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            RangeChoice::Last24h => "24h",
            RangeChoice::Last7d => "7d",
            RangeChoice::Last30d => "30d",
            RangeChoice::Custom { .. } => "custom",
        }
    }

    /// `[from, to)` in epoch ms at `now`.
    pub fn bounds(self, now: i64) -> (i64, i64) {
        match self {
            RangeChoice::Last24h => (now - DAY_MS, now),
            RangeChoice::Last7d => (now - 7 * DAY_MS, now),
            RangeChoice::Last30d => (now - 30 * DAY_MS, now),
            RangeChoice::Custom { from, to } => (from, to + DAY_MS),
        }
    }

    /// The charts' step: hours up to two days, days beyond. Both come from rollup rows
    /// (minutes would read 60 times the rows); hour rows for a week or a month are a
    /// latency bucket row per agent, hour and bucket, ~100,000 a week for ten agents, and
    /// took the System overview to 240-410 ms on SQLite (`services/benches/dashboards.rs`).
    pub fn step_ms(self, now: i64) -> i64 {
        let (from, to) = self.bounds(now);
        if to - from <= 2 * DAY_MS {
            HOUR_MS
        } else {
            DAY_MS
        }
    }
}

/// A chart: what it shows, the metric's definition (its tooltip) and its SVG.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    pub definition: String,
    pub svg: String,
}

/// The System Overview (engineering leads, CTOs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemDashboard {
    pub metrics: SystemMetrics,
    /// Spend today (UTC), whatever the range.
    pub cost_today: f64,
    pub agents: Vec<AgentMetrics>,
    /// Every agent with data, for the filter.
    pub agent_names: Vec<String>,
    pub charts: Vec<Chart>,
    /// Open anomalies of the agents shown, newest first.
    pub anomalies: Vec<Anomaly>,
}

/// The Cost Center (finance, CTOs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostDashboard {
    pub from: String,
    pub to: String,
    pub currency: String,
    pub total_cost: f64,
    pub cost_today: f64,
    /// Spend since the first of this month (UTC).
    pub month_to_date: f64,
    /// By spend, largest first.
    pub agents: Vec<AgentMetrics>,
    pub agent_names: Vec<String>,
    pub charts: Vec<Chart>,
    /// Spend by model over the range, largest first.
    pub models: Vec<ModelRow>,
    /// Cost recommendations from the last week, largest saving first.
    pub recommendations: Vec<super::recommend::Recommendation>,
    /// Every budget with this month's spend and forecast.
    pub budgets: Vec<BudgetStatus>,
    /// Whether the viewer may set budgets (finance, admins).
    pub may_edit_budgets: bool,
}

/// One model's calls over a range, all the agents shown together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRow {
    pub model: String,
    /// The agents that called it, by name.
    pub agents: Vec<String>,
    pub calls: i64,
    pub failed_calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cost: f64,
}

/// The Agent Detail (an agent's owner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDashboard {
    pub detail: AgentDetailMetrics,
    /// The agents the viewer may pick.
    pub agent_names: Vec<String>,
    pub control: Option<AgentControl>,
    pub recent_traces: Vec<TraceSummary>,
    pub recent_errors: Vec<TraceSummary>,
    pub charts: Vec<Chart>,
    /// The agent's anomalies, open or closed in the last 30 days, newest first.
    pub anomalies: Vec<Anomaly>,
}

/// The Compliance page (legal): the scores, PII found and violations by rule, and the
/// chart of PII events over the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceDashboard {
    pub report: crate::policy::compliance::ComplianceReport,
    pub charts: Vec<Chart>,
}

/// The landing page's summary of the last 24 hours: the fleet's, or an agent owner's own
/// agents'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetState {
    /// `fleet` or `your agents`.
    pub scope: String,
    pub interactions: i64,
    pub error_rate: Option<f64>,
    pub p95_latency_ms: Option<f64>,
    pub active_agents: i64,
    /// Agents the scope holds that sent anything in the 24 hours.
    pub reporting_agents: i64,
    /// Only for those who may see costs.
    pub cost_today: Option<f64>,
    pub currency: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_reads_its_choices_and_falls_back_to_a_day() {
        let now = 20_000 * DAY_MS + 5 * HOUR_MS;
        assert_eq!(
            RangeChoice::parse("7d", "", "").bounds(now),
            (now - 7 * DAY_MS, now)
        );
        assert_eq!(RangeChoice::parse("nonsense", "", ""), RangeChoice::Last24h);
        let custom = RangeChoice::parse("custom", "2026-12-01", "2026-12-03");
        let (from, to) = custom.bounds(now);
        assert_eq!(to - from, 3 * DAY_MS, "both days included");
        assert_eq!(
            RangeChoice::parse("custom", "2026-12-03", "2026-12-01"),
            RangeChoice::Last24h
        );
        assert_eq!(RangeChoice::Last24h.step_ms(now), HOUR_MS);
        assert_eq!(RangeChoice::Last7d.step_ms(now), DAY_MS);
        assert_eq!(RangeChoice::Last30d.step_ms(now), DAY_MS);
    }
}
