//! The seed's metrics hierarchy, computed from rolled-up counts. Each definition is written
//! once here, with the text the dashboards show as its tooltip ([`DEFINITIONS`]).
//!
//! An interaction is a trace. Rates are fractions from 0 to 1; a metric with nothing to be
//! computed from is `None` (shown as "no data", sent as `null`), never 0.

use super::sketch::Sketch;
use serde::{Deserialize, Serialize};

/// Counts of one agent (or many, added up) over a range, as the rollups hold them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub spans: i64,
    pub interactions: i64,
    pub error_interactions: i64,
    pub llm_calls: i64,
    pub tool_calls: i64,
    pub tool_errors: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_tokens: i64,
    pub cost_micros: i64,
    pub duration_ns: i64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.spans += o.spans;
        self.interactions += o.interactions;
        self.error_interactions += o.error_interactions;
        self.llm_calls += o.llm_calls;
        self.tool_calls += o.tool_calls;
        self.tool_errors += o.tool_errors;
        self.input_tokens += o.input_tokens;
        self.output_tokens += o.output_tokens;
        self.cache_read_tokens += o.cache_read_tokens;
        self.cache_write_tokens += o.cache_write_tokens;
        self.cost_micros += o.cost_micros;
        self.duration_ns += o.duration_ns;
    }

    /// Error interactions over interactions.
    pub fn error_rate(&self) -> Option<f64> {
        ratio(self.error_interactions, self.interactions).map(|r| r.min(1.0))
    }

    /// The mean interaction duration, in ms.
    pub fn avg_latency_ms(&self) -> Option<f64> {
        (self.interactions > 0)
            .then(|| self.duration_ns as f64 / self.interactions as f64 / 1_000_000.0)
    }

    /// Tool calls without status ERROR over tool calls.
    pub fn tool_call_success_rate(&self) -> Option<f64> {
        ratio(self.tool_calls - self.tool_errors, self.tool_calls)
    }

    /// Interactions per minute over a range of `range_ms`.
    pub fn throughput_per_min(&self, range_ms: i64) -> Option<f64> {
        (range_ms > 0).then(|| self.interactions as f64 * 60_000.0 / range_ms as f64)
    }

    /// Cost in the configured currency.
    pub fn cost(&self) -> f64 {
        self.cost_micros as f64 / 1_000_000.0
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part.max(0) as f64 / whole as f64)
}

/// Latency quantiles of a sketch, in ms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

impl Latency {
    pub fn of(sketch: &Sketch) -> Latency {
        Latency {
            p50_ms: sketch.quantile_ms(0.50),
            p95_ms: sketch.quantile_ms(0.95),
            p99_ms: sketch.quantile_ms(0.99),
        }
    }
}

/// What each metric means, for the docs and the dashboards' tooltips: (name, definition).
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "interaction",
        "One trace: everything an agent did for one request.",
    ),
    (
        "error rate",
        "Error interactions over interactions: an interaction is an error interaction when any \
         of its spans has status ERROR.",
    ),
    (
        "latency",
        "Interaction durations, from the first span's start to the last span's end (p50, p95, \
         p99 within 2% relative error).",
    ),
    (
        "average latency",
        "The mean interaction duration over the range.",
    ),
    (
        "active agents",
        "Agents that sent a span in the active window (5 minutes by default) before the end of \
         the range.",
    ),
    (
        "total cost per day",
        "What the agents' model calls cost per UTC day, from tokens and the price table or the \
         cost spans report, in the configured currency; sampled-out spans included.",
    ),
    ("throughput", "Interactions per minute over the range."),
    (
        "alignment score",
        "The share of interactions that comply with the agent's policies, each breach weighted \
         by the severity of the worst rule it broke (a critical one counts fully).",
    ),
    (
        "quality score",
        "The mean of the `quality` scores (0..1) given to the agent's interactions by evaluators \
         and reviewers.",
    ),
    (
        "tool-call success rate",
        "Tool calls without status ERROR over tool calls.",
    ),
    (
        "user satisfaction",
        "The mean of the users' `satisfaction` scores, thumbs (0/1) and 1-5 ratings scaled to \
         0..1.",
    ),
    (
        "open anomalies",
        "An agent's cost, error rate, p95 latency or alignment over the last hour, far \
         (robust z-score of 4 or more) from its own baseline of the trailing week.",
    ),
    (
        "control state",
        "What the agent is told to do through its kill switch: running, paused, killed, \
         rate-limited or pinned to a version.",
    ),
    (
        "budget forecast",
        "Spent this month plus the rest of the month at the mean daily spend of the last 14 \
         whole UTC days; the band is its 80% interval (day-to-day spread and the uncertainty \
         of the mean). At risk: the forecast is above the budget; over: spent past it.",
    ),
    (
        "token consumption",
        "Input and output tokens of the interactions' model calls.",
    ),
];

/// The definition of `name` in [`DEFINITIONS`].
pub fn definition(name: &str) -> &'static str {
    DEFINITIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_none_without_a_denominator_and_fractions_otherwise() {
        let none = Counts::default();
        assert_eq!(none.error_rate(), None);
        assert_eq!(none.avg_latency_ms(), None);
        assert_eq!(none.tool_call_success_rate(), None);
        let c = Counts {
            interactions: 8,
            error_interactions: 2,
            tool_calls: 5,
            tool_errors: 1,
            duration_ns: 8 * 1_500_000_000,
            ..Counts::default()
        };
        assert_eq!(c.error_rate(), Some(0.25));
        assert_eq!(c.avg_latency_ms(), Some(1_500.0));
        assert_eq!(c.tool_call_success_rate(), Some(0.8));
        assert_eq!(c.throughput_per_min(4 * 60_000), Some(2.0));
        assert!(definition("error rate").contains("ERROR"));
    }
}
