//! The admin page for user accounts: list, add, change roles, disable and enable.

use crate::components::{ActionOutcome, ErrorNote, Layout, RoleChecklist, RoleList};
use crate::server_fns::{AddUser, SetUserDisabled, SetUserRoles, list_users};
use leptos::prelude::*;
use warden_domain::timefmt::format_utc_minutes;
use warden_domain::{Page, Role, User};

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <Layout page=Page::Users>
            <UsersAdmin/>
        </Layout>
    }
}

#[component]
fn UsersAdmin() -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let set_roles = ServerAction::<SetUserRoles>::new();
    let set_disabled = ServerAction::<SetUserDisabled>::new();
    let users = Resource::new(
        move || {
            (
                add.version().get(),
                set_roles.version().get(),
                set_disabled.version().get(),
            )
        },
        |_| list_users(),
    );

    view! {
        <h1>"Users"</h1>
        <AddUserForm add/>
        <section class="card">
            <h2>"Accounts"</h2>
            <ActionOutcome value=set_roles.value() success="Roles saved."/>
            <ActionOutcome value=set_disabled.value() success="Account updated."/>
            <Suspense fallback=|| view! { <p class="loading">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! { <UserTable list set_roles set_disabled/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AddUserForm(add: ServerAction<AddUser>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    // Clear the form once the user has been added, so a second one starts blank.
    Effect::new(move || {
        if let Some(Ok(_)) = add.value().get() {
            email.set(String::new());
            password.set(String::new());
            roles.set(Vec::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(AddUser {
            email: email.get_untracked(),
            password: password.get_untracked(),
            roles: roles.get_untracked(),
        });
    };
    view! {
        <section class="card">
            <h2>"Add a user"</h2>
            <form class="stack" on:submit=submit>
                <label for="new-email">"E-mail"</label>
                <input id="new-email" type="email" required maxlength="254" bind:value=email/>
                <label for="new-password">"Initial password"</label>
                <input id="new-password" type="password" required minlength="12" maxlength="1024"
                    autocomplete="new-password" bind:value=password/>
                <RoleChecklist selected=roles id_prefix="new-role"/>
                <button type="submit" class="primary" disabled=move || add.pending().get()>"Add user"</button>
            </form>
            {move || match add.value().get() {
                Some(Ok(user)) => view! {
                    <p class="note ok" role="status">"Added " {user.email} "."</p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn UserTable(
    list: Vec<User>,
    set_roles: ServerAction<SetUserRoles>,
    set_disabled: ServerAction<SetUserDisabled>,
) -> impl IntoView {
    let rows = list
        .into_iter()
        // Erasing each row's type keeps the table's view type shallow enough to compile.
        .map(|user| view! { <UserRow user set_roles set_disabled/> }.into_any())
        .collect_view();
    view! {
        <table class="grid">
            <thead>
                <tr><th>"E-mail"</th><th>"Roles"</th><th>"Status"</th><th>"Created"</th><th></th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn UserRow(
    user: User,
    set_roles: ServerAction<SetUserRoles>,
    set_disabled: ServerAction<SetUserDisabled>,
) -> impl IntoView {
    let id = user.id;
    let selected = RwSignal::new(user.roles.clone());
    let editing = RwSignal::new(false);
    let disabled = user.disabled;
    let save = move |_| {
        set_roles.dispatch(SetUserRoles {
            user_id: id,
            roles: selected.get_untracked(),
        });
        editing.set(false);
    };
    let toggle = move |_| {
        set_disabled.dispatch(SetUserDisabled {
            user_id: id,
            disabled: !disabled,
        });
    };
    let current_roles = user.roles.clone();
    view! {
        <tr data-email=user.email.clone() class:disabled=disabled>
            <td>{user.email.clone()}</td>
            <td>
                <Show
                    when=move || editing.get()
                    fallback=move || view! {
                        <RoleList roles=current_roles.clone()/>
                        <button type="button" class="link" on:click=move |_| editing.set(true)>"Edit roles"</button>
                    }
                >
                    <RoleChecklist selected id_prefix=format!("user-{id}-role")/>
                    <button type="button" class="primary small" on:click=save>"Save roles"</button>
                    <button type="button" class="link" on:click=move |_| editing.set(false)>"Cancel"</button>
                </Show>
            </td>
            <td>{if disabled { "Disabled" } else { "Active" }}</td>
            <td>{format_utc_minutes(user.created_at)}</td>
            <td>
                <button type="button" class="small" on:click=toggle>
                    {if disabled { "Enable" } else { "Disable" }}
                </button>
            </td>
        </tr>
    }
}
