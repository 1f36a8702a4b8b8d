//! The frame of every signed-in page: header, navigation for the user's roles, and the
//! refusal shown in place of a page the user may not see.

use crate::error::AppError;
use crate::server_fns::get_current_user;
use leptos::prelude::*;
use leptos_meta::Title;
use warden_domain::{CurrentUser, Page, Role};

#[derive(Clone, Copy)]
struct CurrentUserResource(Resource<Result<Option<CurrentUser>, AppError>>);

/// Loads the signed-in user once per page load and shares it with every component.
pub fn provide_current_user() {
    let user = Resource::new(|| (), |_| get_current_user());
    provide_context(CurrentUserResource(user));
}

pub fn use_current_user() -> Resource<Result<Option<CurrentUser>, AppError>> {
    use_context::<CurrentUserResource>()
        .map(|r| r.0)
        .unwrap_or_else(|| Resource::new(|| (), |_| get_current_user()))
}

/// Wraps a page: the header, then the page if the user's roles allow it, else a refusal.
/// The server's page guard has already answered 403 or redirected; this is what people read.
#[component]
pub fn Layout(page: Page, children: ChildrenFn) -> impl IntoView {
    let user = use_current_user();
    let children = StoredValue::new(children);
    view! {
        <Title text=page.title()/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        let allowed = page.visible_to(&user.roles);
                        let body = if allowed {
                            children.with_value(|c| c()).into_any()
                        } else {
                            view! { <Forbidden page roles=user.roles.clone()/> }.into_any()
                        };
                        view! {
                            <Header user page/>
                            <main class="page">{body}</main>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <SignedOut/> }.into_any(),
                    Err(error) => view! {
                        <main class="page"><crate::components::ErrorNote error/></main>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Header(user: CurrentUser, page: Page) -> impl IntoView {
    let links = Page::ALL
        .into_iter()
        .filter(|p| p.visible_to(&user.roles))
        .map(|p| {
            let current = (p == page).then_some("page");
            view! { <a href=p.path() aria-current=current>{p.title()}</a> }
        })
        .collect_view();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Warden"</a>
            <nav aria-label="Main">{links}</nav>
            <div class="who">
                <span class="email" title="Signed in as">{user.email.clone()}</span>
                <form method="post" action="/logout">
                    <button type="submit" class="link">"Sign out"</button>
                </form>
            </div>
        </header>
    }
}

#[component]
fn Forbidden(page: Page, roles: Vec<Role>) -> impl IntoView {
    let allowed: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| page.visible_to(&[*r]))
        .map(Role::label)
        .collect();
    let yours: Vec<&str> = roles.iter().map(|r| r.label()).collect();
    view! {
        <section class="refusal">
            <h1>"403 · Not for your roles"</h1>
            <p>
                "The " <strong>{page.title()}</strong> " page is for: " {allowed.join(", ")} "."
            </p>
            <p>"Your roles: " {if yours.is_empty() { "none".to_string() } else { yours.join(", ") }} "."</p>
            <p>"Ask an admin if you need access. " <a href="/">"Back to the overview"</a></p>
        </section>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    view! {
        <main class="page">
            <section class="refusal">
                <h1>"You are signed out"</h1>
                <p><a href="/login">"Sign in"</a> " to continue."</p>
            </section>
        </main>
    }
}
