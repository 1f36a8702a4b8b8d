//! Agent Detail (an agent's owner, and those who see the fleet; every 30 s): the agent's
//! interactions, errors, latency, alignment, quality, satisfaction, cost, tool-call success
//! and control state, with its latest traces and errors.

use super::{
    AnomalyList, ChartCard, RangePicker, Tile, millis, percent, rate, score, use_refresh, use_view,
};
use crate::components::{ErrorNote, Layout};
use crate::server_fns::get_agent_dashboard;
use leptos::prelude::*;
use std::time::Duration;
use warden_domain::Page;
use warden_domain::metrics::dashboard::AgentDashboard;
use warden_domain::telemetry::TraceSummary;
use warden_domain::telemetry::pricing::{format_cost, format_money};
use warden_domain::timefmt::{format_elapsed_ns, format_utc_minutes};

#[component]
pub fn AgentDetailPage() -> impl IntoView {
    let view = use_view();
    let tick = use_refresh(Duration::from_secs(30));
    let data = Resource::new(
        move || (view.get(), tick.get()),
        |(v, _)| get_agent_dashboard(v.range, v.from, v.to, v.agent),
    );
    view! {
        <Layout page=Page::AgentDetail>
            <Transition fallback=|| view! { <p class="loading">"Loading the agent…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Body d view=view.get_untracked()/> }.into_any(),
                        Err(error) => view! { <h1>"Agent detail"</h1> <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

#[component]
fn Body(d: AgentDashboard, view: super::View) -> impl IntoView {
    let m = d.detail.metrics.clone();
    let currency = d.detail.currency.clone();
    let mut view = view;
    view.agent = m.agent.clone();
    let control = d
        .control
        .as_ref()
        .map_or_else(|| "unknown".to_string(), |c| c.state.as_str().to_string());
    let charts = d
        .charts
        .into_iter()
        .map(|chart| view! { <ChartCard chart/> })
        .collect_view();
    view! {
        <h1>"Agent detail · " {m.agent.clone()}</h1>
        <RangePicker action="/dashboards/agent" view agents=d.agent_names all_agents=false refresh="30 s"/>
        <section class="tiles">
            <Tile label="interactions" metric="interaction" value=m.interactions.to_string()/>
            <Tile label="error rate" value=percent(m.error_rate)/>
            <Tile label="alignment score" value=score(m.alignment_score)/>
            <Tile label="quality score" value=score(m.quality_score)/>
            <Tile label="user satisfaction" value=score(m.satisfaction)/>
            <Tile label="throughput" value=rate(m.throughput_per_min)/>
            <Tile label="average latency" value=millis(m.avg_latency_ms)/>
            <Tile label="p95 latency" metric="latency" value=millis(m.p95_latency_ms)/>
            <Tile label="tool-call success rate" value=percent(m.tool_call_success_rate)/>
            <Tile label="cost" metric="total cost per day" value=format_money(m.cost, &currency)/>
            <Tile label="token consumption" value=format!("{} / {}", m.input_tokens, m.output_tokens)/>
            <Tile label="control state" metric="control state" value=control/>
        </section>
        <section class="charts">{charts}</section>
        <section class="card">
            <h2>"Anomalies (last 30 days)"</h2>
            <AnomalyList anomalies=d.anomalies empty="No anomaly in the last 30 days." currency=currency.clone()/>
        </section>
        <section class="card">
            <h2>"Latest errors"</h2>
            <Traces traces=d.recent_errors currency=currency.clone() empty="No error interaction in this range."/>
        </section>
        <section class="card">
            <h2>"Latest interactions"</h2>
            <Traces traces=d.recent_traces currency empty="No interaction in this range."/>
        </section>
    }
}

#[component]
fn Traces(traces: Vec<TraceSummary>, currency: String, empty: &'static str) -> impl IntoView {
    if traces.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let rows = traces
        .into_iter()
        .map(|t| {
            let link = format!("/traces/{}", t.trace_id);
            view! {
                <tr>
                    <td>{format_utc_minutes(t.start_ns / 1_000_000)}</td>
                    <td><a href=link>{t.name.clone()}</a></td>
                    <td class="num">{format_elapsed_ns(t.end_ns - t.start_ns)}</td>
                    <td class="num">{t.error_count}</td>
                    <td class="num">{format_cost(t.cost_micros, &currency)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="data">
                <thead><tr><th>"Started"</th><th>"Interaction"</th><th>"Duration"</th>
                    <th>"Errors"</th><th>"Cost"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
