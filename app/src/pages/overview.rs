//! The landing page after sign-in: who you are and where your roles take you.

use crate::components::{Layout, RoleList, use_current_user};
use leptos::prelude::*;
use warden_domain::Page;

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
    view! {
        <h1>"Overview"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.ok().flatten().map(|user| {
                    let pages = Page::ALL
                        .into_iter()
                        .filter(|p| *p != Page::Overview && p.visible_to(&user.roles))
                        .map(|p| view! { <li><a href=p.path()>{p.title()}</a></li> })
                        .collect_view();
                    view! {
                        <section class="card">
                            <p>"Signed in as " <strong>{user.email.clone()}</strong> "."</p>
                            <p class="roles-line">"Your roles: " <RoleList roles=user.roles.clone()/></p>
                            <ul class="links">{pages}</ul>
                        </section>
                        <section class="card muted">
                            <h2>"Fleet"</h2>
                            <p>
                                "No agent is reporting yet. Trace ingestion, dashboards and incidents "
                                "appear here as those parts of Warden are switched on."
                            </p>
                        </section>
                    }
                })
            })}
        </Suspense>
    }
}
