//! The page for paths Warden does not serve, answered with a 404 status.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <main class="page">
            <section class="refusal">
                <h1>"404 · No such page"</h1>
                <p><a href="/">"Back to the overview"</a></p>
            </section>
        </main>
    }
}
