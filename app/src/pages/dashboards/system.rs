//! System Overview (engineering leads, CTOs; every 10 s): the fleet's error rate, latency,
//! active agents, throughput and cost today, over time, and per agent.

use super::{
    AnomalyList, ChartCard, RangePicker, Tile, millis, percent, rate, score, use_refresh, use_view,
};
use crate::components::{ErrorNote, Layout};
use crate::server_fns::get_system_dashboard;
use leptos::prelude::*;
use std::time::Duration;
use warden_domain::Page;
use warden_domain::metrics::dashboard::SystemDashboard;
use warden_domain::telemetry::pricing::format_money;

#[component]
pub fn SystemOverviewPage() -> impl IntoView {
    let view = use_view();
    let tick = use_refresh(Duration::from_secs(10));
    let data = Resource::new(
        move || (view.get(), tick.get()),
        |(v, _)| get_system_dashboard(v.range, v.from, v.to, v.agent),
    );
    view! {
        <Layout page=Page::SystemOverview>
            <h1>"System overview"</h1>
            <Transition fallback=|| view! { <p class="loading">"Loading the fleet's metrics…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Body d view=view.get_untracked()/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

#[component]
fn Body(d: SystemDashboard, view: super::View) -> impl IntoView {
    let m = d.metrics.clone();
    let currency = m.currency.clone();
    let error_status = match m.error_rate {
        Some(r) if r >= 0.10 => "bad",
        Some(r) if r >= 0.02 => "warn",
        _ => "",
    };
    let rows = d
        .agents
        .iter()
        .map(|a| {
            let link = format!("/dashboards/agent?agent={}&range={}", a.agent, view.range);
            view! {
                <tr data-agent=a.agent.clone()>
                    <td><a href=link>{a.agent.clone()}</a></td>
                    <td class="num">{a.interactions}</td>
                    <td class="num">{percent(a.error_rate)}</td>
                    <td class="num">{millis(a.avg_latency_ms)}</td>
                    <td class="num">{millis(a.p95_latency_ms)}</td>
                    <td class="num">{rate(a.throughput_per_min)}</td>
                    <td class="num">{score(a.alignment_score)}</td>
                    <td class="num">{format_money(a.cost, &currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let charts = d
        .charts
        .into_iter()
        .map(|chart| view! { <ChartCard chart/> })
        .collect_view();
    view! {
        <RangePicker action="/dashboards/system" view=view agents=d.agent_names refresh="10 s"/>
        <section class="tiles">
            <Tile label="error rate" value=percent(m.error_rate) status=error_status/>
            <Tile label="p50 latency" metric="latency" value=millis(m.p50_latency_ms)/>
            <Tile label="p95 latency" metric="latency" value=millis(m.p95_latency_ms)/>
            <Tile label="p99 latency" metric="latency" value=millis(m.p99_latency_ms)/>
            <Tile label="average latency" value=millis(m.avg_latency_ms)/>
            <Tile label="active agents" value=m.active_agents.to_string()/>
            <Tile label="interactions" metric="interaction" value=m.interactions.to_string()/>
            <Tile label="cost today" metric="total cost per day" value=format_money(d.cost_today, &m.currency)/>
            <Tile label="open anomalies" value=d.anomalies.len().to_string()
                status=if d.anomalies.is_empty() { "" } else { "bad" }/>
        </section>
        {(!d.anomalies.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Open anomalies"</h2>
                <AnomalyList anomalies=d.anomalies.clone() empty="" currency=currency.clone()/>
            </section>
        })}
        <section class="charts">{charts}</section>
        <section class="card">
            <h2>"Agents"</h2>
            <div class="table-scroll">
                <table class="data agents-metrics">
                    <thead><tr>
                        <th>"Agent"</th><th>"Interactions"</th><th>"Error rate"</th>
                        <th>"Avg latency"</th><th>"p95 latency"</th><th>"Throughput"</th>
                        <th>"Alignment"</th><th>"Cost"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
