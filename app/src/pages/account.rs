//! The signed-in user's own page: who they are, their password and their API tokens.

use crate::components::{ActionOutcome, ErrorNote, Layout, RoleList, use_current_user};
use crate::server_fns::{ChangePassword, CreateToken, RevokeToken, list_my_tokens};
use leptos::prelude::*;
use warden_domain::timefmt::format_utc_minutes;
use warden_domain::{ApiTokenInfo, Page};

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Layout page=Page::Account>
            <h1>"Account"</h1>
            <Profile/>
            <Tokens/>
            <PasswordForm/>
        </Layout>
    }
}

#[component]
fn Profile() -> impl IntoView {
    let user = use_current_user();
    view! {
        <section class="card">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.ok().flatten().map(|user| view! {
                        <p>"E-mail: " <strong>{user.email.clone()}</strong></p>
                        <p class="roles-line">"Roles: " <RoleList roles=user.roles.clone()/></p>
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_my_tokens(),
    );
    let name = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateToken {
            name: name.get_untracked(),
        });
        name.set(String::new());
    };
    view! {
        <section class="card">
            <h2>"API tokens"</h2>
            <p class="muted">
                "A token lets scripts use the JSON API under " <code>"/api/v1/"</code>
                " with your roles, sending " <code>"Authorization: Bearer <token>"</code>
                ". Revoke it when the script is retired."
            </p>
            <form class="inline" on:submit=submit>
                <label for="token-name">"Name"</label>
                <input id="token-name" required maxlength="100" placeholder="e.g. weekly report script" bind:value=name/>
                <button type="submit" class="primary">"Create token"</button>
            </form>
            {move || match create.value().get() {
                Some(Ok(created)) => view! {
                    <div class="note ok secret" role="status">
                        <p>"Copy this token now; it will not be shown again:"</p>
                        <code data-testid="new-token">{created.secret}</code>
                    </div>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
                None => ().into_any(),
            }}
            <ActionOutcome value=revoke.value() success="Token revoked."/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No tokens yet."</p> }.into_any(),
                        Ok(list) => view! { <TokenTable list revoke/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TokenTable(list: Vec<ApiTokenInfo>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|token| {
            let id = token.id;
            let live = token.revoked_at.is_none();
            view! {
                <tr>
                    <td>{token.name}</td>
                    <td><code>{token.prefix} "…"</code></td>
                    <td>{format_utc_minutes(token.created_at)}</td>
                    <td>{token.last_used_at.map(format_utc_minutes).unwrap_or_else(|| "never".into())}</td>
                    <td>
                        {if live {
                            view! {
                                <button type="button" class="small"
                                    on:click=move |_| { revoke.dispatch(RevokeToken { token_id: id }); }>
                                    "Revoke"
                                </button>
                            }.into_any()
                        } else {
                            view! { <span class="muted">"revoked"</span> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="grid">
            <thead><tr><th>"Name"</th><th>"Token"</th><th>"Created"</th><th>"Last used"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    // A new password ends every session, this one too: go and sign in with it.
    Effect::new(move || {
        if let Some(Ok(())) = change.value().get() {
            let _ = window()
                .location()
                .set_href("/login?status=password_changed");
        }
    });
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangePassword {
            current: current.get_untracked(),
            new_password: new_password.get_untracked(),
        });
        current.set(String::new());
        new_password.set(String::new());
    };
    view! {
        <section class="card">
            <h2>"Change password"</h2>
            <p class="muted">"Changing it signs you out everywhere, here included."</p>
            <form class="stack" on:submit=submit>
                <label for="current-password">"Current password"</label>
                <input id="current-password" type="password" required autocomplete="current-password" bind:value=current/>
                <label for="new-password">"New password (12 characters or more)"</label>
                <input id="new-password" type="password" required minlength="12" maxlength="1024"
                    autocomplete="new-password" bind:value=new_password/>
                <button type="submit" class="primary">"Change password"</button>
            </form>
            <ActionOutcome value=change.value() success="Password changed. Sign in again with the new one."/>
        </section>
    }
}
