//! Cost Center (finance, CTOs; every hour): daily spend, spend today and this month, and
//! each agent's share of the range's spend.

use super::{ChartCard, RangePicker, Tile, use_refresh, use_view};
use crate::components::{ErrorNote, Layout};
use crate::server_fns::get_cost_dashboard;
use leptos::prelude::*;
use std::time::Duration;
use warden_domain::Page;
use warden_domain::metrics::dashboard::CostDashboard;
use warden_domain::telemetry::pricing::format_money;

#[component]
pub fn CostCenterPage() -> impl IntoView {
    let view = use_view();
    let tick = use_refresh(Duration::from_secs(3600));
    let data = Resource::new(
        move || (view.get(), tick.get()),
        |(v, _)| get_cost_dashboard(v.range, v.from, v.to, v.agent),
    );
    view! {
        <Layout page=Page::CostCenter>
            <h1>"Cost center"</h1>
            <Transition fallback=|| view! { <p class="loading">"Adding up the spend…"</p> }>
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
fn Body(d: CostDashboard, view: super::View) -> impl IntoView {
    let currency = d.currency.clone();
    let total = d.total_cost;
    let rows = d
        .agents
        .iter()
        .map(|a| {
            let share = if total > 0.0 { a.cost / total } else { 0.0 };
            let per = if a.interactions > 0 { Some(a.cost / a.interactions as f64) } else { None };
            view! {
                <tr data-agent=a.agent.clone()>
                    <td>{a.agent.clone()}</td>
                    <td class="num">{format_money(a.cost, &currency)}</td>
                    <td class="share">
                        <span class="bar" style=format!("width: {:.1}%", share * 100.0)></span>
                        <span class="share-text">{format!("{:.1}%", share * 100.0)}</span>
                    </td>
                    <td class="num">{a.interactions}</td>
                    <td class="num">{per.map_or_else(|| "no data".to_string(), |p| format_money(p, &currency))}</td>
                    <td class="num">{format!("{} / {}", a.input_tokens, a.output_tokens)}</td>
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
        <RangePicker action="/dashboards/cost" view=view agents=d.agent_names refresh="hour"/>
        <section class="tiles">
            <Tile label="spend in range" metric="total cost per day" value=format_money(d.total_cost, &d.currency)/>
            <Tile label="spend today" metric="total cost per day" value=format_money(d.cost_today, &d.currency)/>
            <Tile label="month to date" metric="total cost per day" value=format_money(d.month_to_date, &d.currency)/>
        </section>
        <section class="charts">{charts}</section>
        <section class="card">
            <h2>"Spend by agent"</h2>
            <div class="table-scroll">
                <table class="data spend">
                    <thead><tr>
                        <th>"Agent"</th><th>"Spend"</th><th>"Share"</th><th>"Interactions"</th>
                        <th>"Per interaction"</th><th>"Tokens in / out"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="muted">"Budgets, the month-end forecast and cost recommendations are not built yet."</p>
        </section>
    }
}
