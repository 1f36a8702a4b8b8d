//! Compliance (legal; every hour): the fleet's score and each agent's over 24 hours, 7 or 30
//! days (the share of compliant interactions weighted by the severity of what the others
//! broke; green, amber or red by the config's thresholds, never green with a critical
//! violation), PII found over time and by type, violations by rule, and whether the audit
//! trail's chain is intact.

use super::audit::Chain;
use super::dashboards::{ChartCard, use_refresh};
use crate::components::{ErrorNote, Layout, options};
use crate::server_fns::{get_compliance, verify_audit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::time::Duration;
use warden_domain::Page;
use warden_domain::metrics::dashboard::ComplianceDashboard;
use warden_domain::policy::compliance::{ComplianceScore, Tally};

const WINDOWS: [(i64, &str); 3] = [
    (24, "Last 24 hours"),
    (168, "Last 7 days"),
    (720, "Last 30 days"),
];

fn percent(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_string(), |s| format!("{:.1}%", s * 100.0))
}

#[component]
pub fn CompliancePage() -> impl IntoView {
    let params = use_query_map();
    let window = Memo::new(move |_| {
        params.with(|p| {
            p.get("window")
                .and_then(|w| w.parse::<i64>().ok())
                .filter(|w| WINDOWS.iter().any(|(h, _)| h == w))
                .unwrap_or(24)
        })
    });
    let tick = use_refresh(Duration::from_secs(3600));
    let report = Resource::new(
        move || (window.get(), tick.get()),
        |(w, _)| get_compliance(w),
    );
    let chain = Resource::new(|| (), |_| verify_audit());
    view! {
        <Layout page=Page::Compliance>
            <h1>"Compliance"</h1>
            {move || {
                let windows = options(WINDOWS, &window.get().to_string());
                view! {
                    <form class="filters card" method="get" action="/compliance">
                        <label>"Window" <select name="window">{windows}</select></label>
                        <button type="submit" class="primary">"Show"</button>
                    </form>
                }
            }}
            <Suspense fallback=|| view! { <p class="loading">"Scoring…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(dashboard) => view! { <Scores dashboard/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
            <section class="card">
                <h2>"Audit trail"</h2>
                <Suspense fallback=|| view! { <p class="loading">"Checking the chain…"</p> }>
                    {move || Suspend::new(async move {
                        match chain.await {
                            Ok(status) => view! { <Chain status/> <p><a href="/audit">"Open the audit trail →"</a></p> }.into_any(),
                            Err(error) => view! { <ErrorNote error/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </Layout>
    }
}

#[component]
fn Scores(dashboard: ComplianceDashboard) -> impl IntoView {
    let ComplianceDashboard { report, charts } = dashboard;
    let fleet = report.fleet.clone();
    let rows = report.agents.into_iter().map(agent_row).collect_view();
    let charts = charts
        .into_iter()
        .map(|chart| view! { <ChartCard chart/> })
        .collect_view();
    let critical = (fleet.critical_violations > 0).then(|| {
        view! {
            <p class="note warning">{format!(
                "{} critical violation(s) in the window: the fleet and each agent concerned stay out of green however high the share.",
                fleet.critical_violations
            )}</p>
        }
    });
    view! {
        <section class="card">
            <p class=format!("compliance-score {}", fleet.status.as_str()) data-status=fleet.status.as_str()>
                <span class="big">{percent(fleet.score)}</span>
                " compliance over " {fleet.interactions} " interactions ("
                {fleet.noncompliant_interactions} " broke a rule; " {fleet.violations} " violations): "
                <strong>{fleet.status.as_str()}</strong>
            </p>
            {critical}
            <p class="muted">
                "The score is the share of compliant interactions. An interaction that broke a rule "
                "counts against it by the severity of the worst rule it broke: critical in full, high "
                "a half, medium a quarter, low an eighth; each violation of a rule watched over time "
                "(mandatory logging, the kill switch, reviews) counts as one more non-compliant "
                "interaction. Green from " {format!("{:.0}%", report.thresholds.green * 100.0)}
                ", amber from " {format!("{:.0}%", report.thresholds.amber * 100.0)}
                ", else red; any critical violation in the window keeps the score out of green."
            </p>
            <div class="table-scroll">
                <table class="data compliance">
                    <thead><tr><th>"Agent"</th><th>"Interactions"</th><th>"Non-compliant"</th>
                        <th>"Violations"</th><th>"Critical"</th><th>"Score"</th><th>"Status"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <section class="charts">{charts}</section>
        <section class="card-row">
            <Tallies title="PII found by type" tallies=report.pii_by_type empty="No PII found in the window." class="pii-types"/>
            <Tallies title="Violations by rule" tallies=report.violations_by_rule empty="No violation in the window." class="violation-rules"/>
        </section>
    }
}

#[component]
fn Tallies(
    title: &'static str,
    tallies: Vec<Tally>,
    empty: &'static str,
    class: &'static str,
) -> impl IntoView {
    let total: i64 = tallies.iter().map(|t| t.count).sum();
    let body = if tallies.is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        let rows = tallies
            .into_iter()
            .map(|t| {
                let share = t.count as f64 / total.max(1) as f64;
                let name = t.name.clone();
                view! {
                    <tr data-name=name>
                        <td>{t.name}</td>
                        <td class="num">{t.count}</td>
                        <td class="share">
                            <span class="bar" style=format!("width: {:.1}%", share * 100.0)></span>
                            <span class="share-text">{format!("{:.1}%", share * 100.0)}</span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class=format!("data {class}")>
                <thead><tr><th>"Name"</th><th>"Count"</th><th>"Share"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! { <section class="card"><h2>{title}</h2>{body}</section> }
}

fn agent_row(score: ComplianceScore) -> impl IntoView {
    let agent = score.agent.clone().unwrap_or_default();
    let violations = format!("/violations?agent={agent}&window=0");
    view! {
        <tr data-agent=agent.clone() data-status=score.status.as_str()>
            <td>{agent.clone()}</td>
            <td>{score.interactions}</td>
            <td>{score.noncompliant_interactions}</td>
            <td><a href=violations>{score.violations}</a></td>
            <td>{score.critical_violations}</td>
            <td>{percent(score.score)}</td>
            <td><span class=format!("status-badge {}", score.status.as_str())>{score.status.as_str()}</span></td>
        </tr>
    }
}
