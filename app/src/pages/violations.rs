//! Policy violations, newest first, filtered by rule, agent and time in the URL (so a
//! filtered view can be shared and works without script). Each links to its trace.

use crate::components::{ErrorNote, Layout, options};
use crate::server_fns::list_violations;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::Page;
use warden_domain::policy::{RuleName, Violation, ViolationFilter};
use warden_domain::timefmt::format_utc_minutes;

const WINDOWS: [(&str, i64); 4] = [
    ("Last 24 hours", 24),
    ("Last 7 days", 168),
    ("Last 30 days", 720),
    ("Any time", 0),
];

#[derive(Debug, Clone, PartialEq)]
struct Query {
    rule: String,
    agent: String,
    window: i64,
    before: Option<i64>,
}

fn read_query(map: &leptos_router::params::ParamsMap) -> Query {
    Query {
        rule: map.get("rule").unwrap_or_default(),
        agent: map.get("agent").unwrap_or_default().trim().to_string(),
        window: map
            .get("window")
            .and_then(|w| w.parse().ok())
            .unwrap_or(168),
        before: map.get("before").and_then(|b| b.parse().ok()),
    }
}

#[component]
pub fn ViolationsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(read_query));
    let listing = Resource::new(
        move || query.get(),
        |q| {
            let filter = ViolationFilter {
                rule: RuleName::parse(&q.rule),
                agent: (!q.agent.is_empty()).then(|| q.agent.clone()),
                before_id: q.before,
                ..ViolationFilter::default()
            };
            list_violations(filter, q.window)
        },
    );
    view! {
        <Layout page=Page::Violations>
            <h1>"Violations"</h1>
            {move || view! { <Filters q=query.get()/> }}
            <Suspense fallback=|| view! { <p class="loading">"Loading violations…"</p> }>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    match listing.await {
                        Ok(list) => view! { <Results list q/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Filters(q: Query) -> impl IntoView {
    let rules = options(RuleName::ALL.map(|r| (r.as_str(), r.as_str())), &q.rule);
    let windows = options(
        WINDOWS.map(|(label, hours)| (hours, label)),
        &q.window.to_string(),
    );
    view! {
        <form class="filters card" method="get" action="/violations">
            <label>"Rule"
                <select name="rule">
                    <option value="">"Any rule"</option>
                    {rules}
                </select>
            </label>
            <label>"Agent" <input type="text" name="agent" value=q.agent.clone() placeholder="support-agent"/></label>
            <label>"Time" <select name="window">{windows}</select></label>
            <button type="submit" class="primary">"Filter"</button>
            <a class="reset" href="/violations">"Reset"</a>
        </form>
    }
}

#[component]
fn Results(list: Vec<Violation>, q: Query) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <section class="card muted">
                <p>"No violations match. Every ingested trace is checked against its agent's "
                   <a href="/policies">"effective policy"</a> "."</p>
            </section>
        }
        .into_any();
    }
    let next = (list.len() == ViolationFilter::DEFAULT_LIMIT as usize)
        .then(|| list.last().map(|v| v.id))
        .flatten()
        .map(|before| {
            format!(
                "/violations?rule={}&agent={}&window={}&before={before}",
                q.rule, q.agent, q.window
            )
        });
    let rows = list
        .into_iter()
        .map(|v| {
            let trace = v.trace_id.clone().map(|id| {
                let href = format!("/traces/{id}");
                let short: String = id.chars().take(12).collect();
                view! { <a href=href><code>{short}</code></a> }
            });
            view! {
                <tr data-rule=v.rule.as_str()>
                    <td class="nowrap">{format_utc_minutes(v.detected_at)}</td>
                    <td><code>{v.rule.as_str()}</code></td>
                    <td><span class=format!("severity {}", v.severity.as_str())>{v.severity.as_str()}</span></td>
                    <td>{v.agent.clone()}</td>
                    <td class="muted">{v.level.clone()}</td>
                    <td class="evidence">{v.evidence.clone()}</td>
                    <td>{trace}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <table class="data violations">
                <thead><tr><th>"When"</th><th>"Rule"</th><th>"Severity"</th><th>"Agent"</th>
                    <th>"Level"</th><th>"Evidence"</th><th>"Trace"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {next.map(|href| view! { <p><a href=href>"Older violations →"</a></p> })}
        </section>
    }
    .into_any()
}
