//! Showing and choosing roles.

use leptos::prelude::*;
use warden_domain::Role;

/// Roles as small labels.
#[component]
pub fn RoleList(roles: Vec<Role>) -> impl IntoView {
    roles
        .into_iter()
        .map(|r| view! { <span class="role" data-role=r.as_str()>{r.label()}</span> })
        .collect_view()
}

/// A checkbox per role, bound to `selected`; `id_prefix` keeps labels unique on a page.
#[component]
pub fn RoleChecklist(
    selected: RwSignal<Vec<Role>>,
    #[prop(into)] id_prefix: String,
) -> impl IntoView {
    let boxes = Role::ALL
        .into_iter()
        .map(|role| {
            let id = format!("{id_prefix}-{}", role.as_str());
            view! {
                <label class="check" for=id.clone()>
                    <input
                        type="checkbox"
                        id=id.clone()
                        value=role.as_str()
                        prop:checked=move || selected.read().contains(&role)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            selected.update(|roles| {
                                roles.retain(|r| *r != role);
                                if checked {
                                    roles.push(role);
                                    roles.sort();
                                }
                            });
                        }
                    />
                    {role.label()}
                </label>
            }
        })
        .collect_view();
    view! { <fieldset class="roles"><legend>"Roles"</legend>{boxes}</fieldset> }
}
