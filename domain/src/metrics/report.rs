//! The metrics as the API and the dashboards send them (the JSON twins of the pages).
//! Times are RFC 3339, rates fractions from 0 to 1, money in the configured currency;
//! a metric with no data is `null`.

use serde::{Deserialize, Serialize};

/// The system level of the seed's hierarchy over a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemMetrics {
    pub from: String,
    pub to: String,
    pub currency: String,
    pub total_cost: f64,
    pub cost_per_day: Vec<DayCost>,
    pub error_rate: Option<f64>,
    pub avg_latency_ms: Option<f64>,
    pub p50_latency_ms: Option<f64>,
    pub p95_latency_ms: Option<f64>,
    pub p99_latency_ms: Option<f64>,
    pub active_agents: i64,
    pub interactions: i64,
    pub spans: i64,
}

/// Spend of one UTC day (`YYYY-MM-DD`) of the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCost {
    pub day: String,
    pub cost: f64,
}

/// The agent level of the hierarchy, for one agent over a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentMetrics {
    pub agent: String,
    pub interactions: i64,
    pub error_rate: Option<f64>,
    pub cost: f64,
    pub alignment_score: Option<f64>,
    pub quality_score: Option<f64>,
    pub throughput_per_min: Option<f64>,
    pub avg_latency_ms: Option<f64>,
    pub p95_latency_ms: Option<f64>,
    pub tool_call_success_rate: Option<f64>,
    pub satisfaction: Option<f64>,
    pub input_tokens: i64,
    pub output_tokens: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentsMetrics {
    pub from: String,
    pub to: String,
    pub currency: String,
    pub agents: Vec<AgentMetrics>,
}

/// One step of a time series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub t: String,
    /// The step's start, epoch ms (for charts).
    pub t_ms: i64,
    pub interactions: i64,
    pub error_rate: Option<f64>,
    pub cost: f64,
    pub avg_latency_ms: Option<f64>,
    pub p95_latency_ms: Option<f64>,
    pub input_tokens: i64,
    pub output_tokens: i64,
}

/// One agent's metrics over a range with their time series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDetailMetrics {
    #[serde(flatten)]
    pub metrics: AgentMetrics,
    pub from: String,
    pub to: String,
    pub currency: String,
    /// The series' step, in seconds.
    pub step_s: i64,
    pub series: Vec<SeriesPoint>,
}
