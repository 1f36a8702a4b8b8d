//! Warden's UI: pages rendered on the server and hydrated in the browser.
//!
//! Pages and components hold presentation only; what a user may see or do is decided on the
//! server (the page guard and the services), and the UI follows the same `Page` table.
#![forbid(unsafe_code)]
// Leptos view types nest deeply; the release WASM build needs more than the default 128.
#![recursion_limit = "256"]

pub mod components;
pub mod error;
pub mod pages;
pub mod server_fns;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Link, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // Named after its content in a release build (hash.txt beside the binary).
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::provide_current_user();
    // Marks the page once the WASM has taken over, so browser tests (and people debugging)
    // can tell a hydrated page from server HTML. Effects run only in the browser.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Title formatter=|title: String| format!("{title} · Warden")/>
        <Router>
            <Routes fallback=pages::NotFoundPage>
                <Route path=path!("/login") view=pages::LoginPage/>
                <Route path=path!("/") view=pages::OverviewPage/>
                <Route path=path!("/dashboards/system") view=pages::SystemOverviewPage/>
                <Route path=path!("/dashboards/cost") view=pages::CostCenterPage/>
                <Route path=path!("/dashboards/agent") view=pages::AgentDetailPage/>
                <Route path=path!("/traces") view=pages::TracesPage/>
                <Route path=path!("/traces/:id") view=pages::TracePage/>
                <Route path=path!("/agents") view=pages::AgentsPage/>
                <Route path=path!("/policies") view=pages::PoliciesPage/>
                <Route path=path!("/violations") view=pages::ViolationsPage/>
                <Route path=path!("/reviews") view=pages::ReviewsPage/>
                <Route path=path!("/incidents") view=pages::IncidentsPage/>
                <Route path=path!("/incidents/:id") view=pages::IncidentPage/>
                <Route path=path!("/incidents/:id/postmortem") view=pages::PostmortemPage/>
                <Route path=path!("/compliance") view=pages::CompliancePage/>
                <Route path=path!("/audit") view=pages::AuditPage/>
                <Route path=path!("/admin/keys") view=pages::IngestKeysPage/>
                <Route path=path!("/admin/users") view=pages::UsersPage/>
                <Route path=path!("/account") view=pages::AccountPage/>
            </Routes>
        </Router>
    }
}
