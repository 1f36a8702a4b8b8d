//! The sign-in page. The form posts to the server's `/login` handler, so signing in works
//! without JavaScript; once hydrated, the password can be shown while typing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "invalid" => ("error", "Wrong e-mail or password."),
        "disabled" => (
            "error",
            "This account is disabled. Ask an admin to enable it.",
        ),
        "bad_request" => (
            "error",
            "The sign-in form arrived incomplete. Please try again.",
        ),
        "expired" => ("info", "Your session has ended. Sign in again."),
        "signed_out" => ("info", "You have signed out."),
        "password_changed" => (
            "info",
            "Your password has changed. Sign in with the new one.",
        ),
        _ => return None,
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let note = move || {
        let code = query
            .read()
            .get("error")
            .or_else(|| query.read().get("status"))?;
        message(&code).map(|(kind, text)| {
            view! { <p class=format!("note {kind}") role="alert">{text}</p> }
        })
    };
    let next = move || query.read().get("next").unwrap_or_default();
    let show_password = RwSignal::new(false);

    view! {
        <Title text="Sign in"/>
        <main class="login">
            <form class="card" method="post" action="/login">
                <h1><span class="brand">"Warden"</span> " · Sign in"</h1>
                {note}
                <input type="hidden" name="next" value=next/>
                <label for="email">"E-mail"</label>
                <input id="email" name="email" type="text" autocomplete="username" required maxlength="254" autofocus/>
                <label for="password">"Password"</label>
                <div class="password">
                    <input
                        id="password"
                        name="password"
                        type=move || if show_password.get() { "text" } else { "password" }
                        autocomplete="current-password"
                        required
                        maxlength="1024"
                    />
                    <button
                        type="button"
                        class="link"
                        aria-controls="password"
                        aria-pressed=move || show_password.get().to_string()
                        on:click=move |_| show_password.update(|shown| *shown = !*shown)
                    >
                        {move || if show_password.get() { "Hide" } else { "Show" }}
                    </button>
                </div>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
        </main>
    }
}
