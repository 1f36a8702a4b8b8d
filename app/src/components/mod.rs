//! Small, prop-driven pieces shared by pages.

mod layout;
mod roles;

pub use layout::{Layout, provide_current_user, use_current_user};
pub use roles::{RoleChecklist, RoleList};

use crate::error::AppError;
use leptos::prelude::*;

/// An error box for a failed action or load.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    view! { <p class="note error" role="alert">{error.to_string()}</p> }
}

/// Shows the outcome of a server action: its error, or `success` once it has succeeded.
#[component]
pub fn ActionOutcome<T, V>(value: V, #[prop(into)] success: String) -> impl IntoView
where
    T: Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || match value.get() {
        Some(Ok(_)) => view! { <p class="note ok" role="status">{success.clone()}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
        None => ().into_any(),
    }
}

/// The `<option>`s of a filter's `<select>`, `(value, label)` each, with `selected` marked:
/// the filter forms submit with GET, so the page must render the current choice itself.
pub fn options<V, L>(choices: impl IntoIterator<Item = (V, L)>, selected: &str) -> AnyView
where
    V: ToString,
    L: ToString,
{
    choices
        .into_iter()
        .map(|(value, label)| {
            let value = value.to_string();
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{label.to_string()}</option> }
        })
        .collect_view()
        .into_any()
}
