//! The landing page after sign-in: the fleet's last 24 hours at a glance, and the way to
//! each dashboard the user's roles open.

use crate::components::{ErrorNote, Layout, RoleList, use_current_user};
use crate::server_fns::get_fleet_state;
use leptos::prelude::*;
use warden_domain::Page;
use warden_domain::metrics::dashboard::FleetState;
use warden_domain::telemetry::pricing::format_money;

/// The dashboards, in the order a person with several roles is offered them.
const DASHBOARDS: [Page; 4] = [
    Page::SystemOverview,
    Page::CostCenter,
    Page::Compliance,
    Page::AgentDetail,
];

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Layout page=Page::Overview>
            <OverviewBody/>
        </Layout>
    }
}

#[component]
fn OverviewBody() -> impl IntoView {
    let user = use_current_user();
    let fleet = Resource::new(|| (), |_| get_fleet_state());
    view! {
        <h1>"Overview"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.ok().flatten().map(|user| {
                    let dashboards = DASHBOARDS
                        .into_iter()
                        .filter(|p| p.visible_to(&user.roles))
                        .map(|p| view! { <li><a href=p.path()>{p.title()} " →"</a></li> })
                        .collect_view();
                    let pages = Page::ALL
                        .into_iter()
                        .filter(|p| *p != Page::Overview && !DASHBOARDS.contains(p) && p.visible_to(&user.roles))
                        .map(|p| view! { <li><a href=p.path()>{p.title()}</a></li> })
                        .collect_view();
                    view! {
                        <section class="card">
                            <p>"Signed in as " <strong>{user.email.clone()}</strong> "."</p>
                            <p class="roles-line">"Your roles: " <RoleList roles=user.roles.clone()/></p>
                            <h2>"Your dashboards"</h2>
                            <ul class="dashboard-links">{dashboards}</ul>
                            <ul class="links">{pages}</ul>
                        </section>
                    }
                })
            })}
        </Suspense>
        <Suspense fallback=|| view! { <p class="loading">"Reading the fleet…"</p> }>
            {move || Suspend::new(async move {
                match fleet.await {
                    Ok(state) => view! { <Fleet state/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Fleet(state: FleetState) -> impl IntoView {
    let title = if state.scope == "fleet" {
        "The fleet, last 24 hours"
    } else {
        "Your agents, last 24 hours"
    };
    if state.interactions == 0 && state.active_agents == 0 {
        return view! {
            <section class="card muted fleet">
                <h2>{title}</h2>
                <p>"No agent has reported in the last 24 hours. Agents send traces to "
                   <code>"/v1/traces"</code> " (OpenTelemetry) or " <code>"/api/v1/ingest"</code>
                   " with an ingest key."</p>
            </section>
        }
        .into_any();
    }
    let error_rate = state
        .error_rate
        .map_or_else(|| "no data".into(), |r| format!("{:.1}%", r * 100.0));
    let p95 = state
        .p95_latency_ms
        .map_or_else(|| "no data".into(), |ms| format!("{:.2} s", ms / 1000.0));
    let cost = state.cost_today.map(|c| format_money(c, &state.currency));
    view! {
        <section class="card fleet">
            <h2>{title}</h2>
            <div class="fleet-state">
                <p><strong data-fleet="active">{state.active_agents}</strong> " active now (of "
                   {state.reporting_agents} " reporting)"</p>
                <p><strong data-fleet="interactions">{state.interactions}</strong> " interactions"</p>
                <p><strong data-fleet="error-rate">{error_rate}</strong> " error rate"</p>
                <p><strong>{p95}</strong> " p95 latency"</p>
                {cost.map(|c| view! { <p><strong data-fleet="cost-today">{c}</strong> " spent today"</p> })}
            </div>
        </section>
    }
    .into_any()
}
