//! The role dashboards and what they share: the range picker and agent filter (in the
//! URL, so a view can be bookmarked), the refresh at each dashboard's cadence without a
//! reload, metric tiles with their definitions as tooltips, and the server-drawn charts.

mod agent;
mod cost;
mod system;

pub use agent::AgentDetailPage;
pub use cost::CostCenterPage;
pub use system::SystemOverviewPage;

use crate::components::options;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::time::Duration;
use warden_domain::metrics::anomaly::Anomaly;
use warden_domain::metrics::dashboard::Chart;
use warden_domain::metrics::hierarchy::definition;
use warden_domain::telemetry::pricing::format_money;
use warden_domain::timefmt::format_utc_minutes;

/// The picker's choice and the agent filter, as the URL holds them.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct View {
    pub range: String,
    pub from: String,
    pub to: String,
    pub agent: String,
}

pub(crate) fn use_view() -> Memo<View> {
    let params = use_query_map();
    Memo::new(move |_| {
        params.with(|p| {
            let get = |k: &str| p.get(k).unwrap_or_default().trim().to_string();
            View {
                range: get("range"),
                from: get("from"),
                to: get("to"),
                agent: get("agent"),
            }
        })
    })
}

/// A counter that goes up every `every` in the browser (never on the server), for the
/// dashboards' data to be fetched again without a reload.
pub(crate) fn use_refresh(every: Duration) -> ReadSignal<u64> {
    let (tick, set_tick) = signal(0u64);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || set_tick.update(|t| *t += 1), every) {
            on_cleanup(move || handle.clear());
        }
    });
    tick
}

const RANGES: [(&str, &str); 4] = [
    ("24h", "Last 24 hours"),
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("custom", "Custom (dates below)"),
];

/// The range picker and agent filter: a GET form, so it works before the page hydrates.
#[component]
pub(crate) fn RangePicker(
    action: &'static str,
    view: View,
    agents: Vec<String>,
    #[prop(default = true)] all_agents: bool,
    refresh: &'static str,
) -> impl IntoView {
    let range = if view.range.is_empty() {
        "24h".to_string()
    } else {
        view.range.clone()
    };
    let ranges = options(RANGES, &range);
    let agent_options = options(agents.iter().map(|a| (a, a)), &view.agent);
    view! {
        <form class="filters card picker" method="get" action=action>
            <label>"Range" <select name="range">{ranges}</select></label>
            <label>"From" <input type="date" name="from" value=view.from.clone()/></label>
            <label>"To" <input type="date" name="to" value=view.to.clone()/></label>
            <label>"Agent"
                <select name="agent">
                    {all_agents.then(|| view! { <option value="">"All agents"</option> })}
                    {agent_options}
                </select>
            </label>
            <button type="submit" class="primary">"Show"</button>
            <span class="muted refresh-note">"Refreshes every " {refresh} " · times in UTC"</span>
        </form>
    }
}

/// One figure with its name and, on hover, what it means.
#[component]
pub(crate) fn Tile(
    label: &'static str,
    value: String,
    #[prop(optional)] metric: &'static str,
    #[prop(optional)] status: &'static str,
) -> impl IntoView {
    let tip = definition(if metric.is_empty() { label } else { metric });
    view! {
        <div class=format!("tile {status}") title=tip data-metric=label>
            <span class="tile-label">{label}</span>
            <span class="tile-value">{value}</span>
        </div>
    }
}

/// A chart drawn on the server, with its definition as the caption's tooltip.
#[component]
pub(crate) fn ChartCard(chart: Chart) -> impl IntoView {
    view! {
        <figure class="chart card" data-chart=chart.title.clone()>
            <figcaption title=chart.definition.clone()>
                {chart.title.clone()} <span class="info" aria-label=chart.definition.clone()>"i"</span>
            </figcaption>
            <div class="chart-svg" inner_html=chart.svg></div>
        </figure>
    }
}

pub(crate) fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".to_string(), |v| format!("{:.1}%", v * 100.0))
}

pub(crate) fn millis(v: Option<f64>) -> String {
    match v {
        None => "no data".to_string(),
        Some(ms) if ms >= 1_000.0 => format!("{:.2} s", ms / 1_000.0),
        Some(ms) => format!("{ms:.0} ms"),
    }
}

pub(crate) fn rate(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".to_string(), |v| format!("{v:.2}/min"))
}

pub(crate) fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".to_string(), |v| format!("{v:.3}"))
}

/// Anomalies as a table: which agent and metric, the hour judged against its baseline.
#[component]
pub(crate) fn AnomalyList(
    anomalies: Vec<Anomaly>,
    empty: &'static str,
    currency: String,
) -> impl IntoView {
    if anomalies.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let value = move |metric: &str, v: f64| match metric {
        "error_rate" | "alignment" => format!("{:.1}%", v * 100.0),
        "p95_latency" => millis(Some(v)),
        "cost" => format_money(v, &currency),
        _ => format!("{v:.4}"),
    };
    let rows = anomalies
        .into_iter()
        .map(|a| {
            let state = if a.closed_at.is_some() {
                "closed"
            } else {
                "open"
            };
            view! {
                <tr data-anomaly=a.id data-metric=a.metric.clone() data-state=state>
                    <td>{a.agent.clone()}</td>
                    <td>{a.metric.replace('_', " ")}</td>
                    <td class="num">{value(&a.metric, a.observed)}</td>
                    <td class="num">{value(&a.metric, a.baseline)}</td>
                    <td class="num">{format!("{:.1}", a.z)}</td>
                    <td>{a.direction.clone()}</td>
                    <td>{format_utc_minutes(a.opened_at)}</td>
                    <td>{a.closed_at.map_or_else(|| "open".to_string(), format_utc_minutes)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="data anomalies">
                <thead><tr><th>"Agent"</th><th>"Metric"</th><th>"Last hour"</th><th>"Baseline"</th>
                    <th>"z"</th><th>"Moved"</th><th>"Opened"</th><th>"Closed"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
