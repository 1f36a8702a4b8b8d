//! Compliance: the fleet's score and each agent's over 24 hours, 7 or 30 days (the
//! severity-weighted share of rule checks passed, green, amber or red by the config's
//! thresholds), and whether the audit trail's chain is intact.

use super::audit::Chain;
use crate::components::{ErrorNote, Layout, options};
use crate::server_fns::{get_compliance, verify_audit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::Page;
use warden_domain::policy::compliance::{ComplianceReport, ComplianceScore};

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
    let report = Resource::new(move || window.get(), get_compliance);
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
                        Ok(report) => view! { <Scores report/> }.into_any(),
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
fn Scores(report: ComplianceReport) -> impl IntoView {
    let fleet = report.fleet.clone();
    let rows = report.agents.into_iter().map(agent_row).collect_view();
    view! {
        <section class="card">
            <p class=format!("compliance-score {}", fleet.status.as_str()) data-status=fleet.status.as_str()>
                <span class="big">{percent(fleet.score)}</span>
                " of the fleet's rule checks passed ("
                {fleet.interactions} " interactions, " {fleet.violations} " violations): "
                <strong>{fleet.status.as_str()}</strong>
            </p>
            <p class="muted">
                "Each interaction is checked against its agent's per-interaction rules, each check "
                "weighted by its severity (critical 8, high 4, medium 2, low 1); every violation, of "
                "any rule, is a failed check. Green from " {format!("{:.0}%", report.thresholds.green * 100.0)}
                ", amber from " {format!("{:.0}%", report.thresholds.amber * 100.0)} ", else red."
            </p>
            <table class="data compliance">
                <thead><tr><th>"Agent"</th><th>"Interactions"</th><th>"Violations"</th>
                    <th>"Score"</th><th>"Status"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

fn agent_row(score: ComplianceScore) -> impl IntoView {
    let agent = score.agent.clone().unwrap_or_default();
    let violations = format!("/violations?agent={agent}&window=0");
    view! {
        <tr data-agent=agent.clone() data-status=score.status.as_str()>
            <td>{agent.clone()}</td>
            <td>{score.interactions}</td>
            <td><a href=violations>{score.violations}</a></td>
            <td>{percent(score.score)}</td>
            <td><span class=format!("status-badge {}", score.status.as_str())>{score.status.as_str()}</span></td>
        </tr>
    }
}
