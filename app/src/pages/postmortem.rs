//! An incident's post-mortem: impact, root cause, contributing factors and action items,
//! with the incident's timeline beside them. Responders draft it; reviewers and incident
//! commanders close or reopen it.

use super::incident::{timeline_items, use_incident_id};
use crate::components::{ActionOutcome, ErrorNote, Layout};
use crate::server_fns::{SavePostmortem, get_postmortem};
use leptos::prelude::*;
use warden_domain::Page;
use warden_domain::incident::postmortem::{
    ActionItem, ItemStatus, Postmortem, PostmortemStatus, PostmortemText,
};
use warden_domain::timefmt::format_utc_minutes;

#[component]
pub fn PostmortemPage() -> impl IntoView {
    let id = use_incident_id();
    let save = ServerAction::<SavePostmortem>::new();
    // Read again after a save that worked only: a refused one keeps what was typed.
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            saved.update(|n| *n += 1);
        }
    });
    let postmortem = Resource::new(
        move || (id.get(), saved.get()),
        |(id, _)| get_postmortem(id),
    );
    view! {
        <Layout page=Page::Incidents>
            <p><a href=move || format!("/incidents/{}", id.get())>"← The incident"</a></p>
            <ActionOutcome value=save.value() success="Saved; the audit trail has the change."/>
            <Suspense fallback=|| view! { <p class="loading">"Loading the post-mortem…"</p> }>
                {move || Suspend::new(async move {
                    match postmortem.await {
                        Ok((found, may_start)) => {
                            view! { <Editor id=id.get_untracked() found may_start save/> }.into_any()
                        }
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// One action item's fields while edited.
#[derive(Clone, Copy)]
struct ItemFields {
    title: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
    done: RwSignal<bool>,
}

impl ItemFields {
    fn from(item: &ActionItem) -> ItemFields {
        ItemFields {
            title: RwSignal::new(item.title.clone()),
            owner: RwSignal::new(item.owner.clone()),
            due: RwSignal::new(item.due.clone()),
            done: RwSignal::new(item.status == ItemStatus::Done),
        }
    }

    fn item(&self) -> ActionItem {
        ActionItem {
            title: self.title.get_untracked(),
            owner: self.owner.get_untracked(),
            due: self.due.get_untracked(),
            status: if self.done.get_untracked() {
                ItemStatus::Done
            } else {
                ItemStatus::Open
            },
        }
    }
}

#[component]
fn Editor(
    id: i64,
    found: Option<Postmortem>,
    may_start: bool,
    save: ServerAction<SavePostmortem>,
) -> impl IntoView {
    // Without one yet, a blank draft that the first save starts, for those who may.
    let started = found.is_some();
    let (text, status, revision, may_edit, may_close) = match &found {
        Some(p) => (
            p.text.clone(),
            p.status,
            Some(p.revision),
            p.may_edit,
            p.may_close,
        ),
        None => (
            PostmortemText::default(),
            PostmortemStatus::Draft,
            None,
            may_start,
            false,
        ),
    };
    let impact = RwSignal::new(text.impact.clone());
    let root_cause = RwSignal::new(text.root_cause.clone());
    let factors = RwSignal::new(text.contributing_factors.clone());
    let items = RwSignal::new(
        text.action_items
            .iter()
            .map(ItemFields::from)
            .collect::<Vec<_>>(),
    );
    let submit = move |to: &'static str| {
        save.dispatch(SavePostmortem {
            id,
            text: PostmortemText {
                impact: impact.get_untracked(),
                root_cause: root_cause.get_untracked(),
                contributing_factors: factors.get_untracked(),
                action_items: items.get_untracked().iter().map(ItemFields::item).collect(),
            },
            status: to.to_string(),
            revision,
        });
    };
    let closed = status == PostmortemStatus::Closed;
    let editable = may_edit && !closed;
    let item_rows = move || {
        items
            .get()
            .into_iter()
            .enumerate()
            .map(|(n, f)| {
                view! {
                    <tr data-item=n + 1>
                        <td><input type="text" maxlength="300" placeholder="What will be done"
                            data-field="title" bind:value=f.title disabled=!editable/></td>
                        <td><input type="email" placeholder="owner@example.com"
                            data-field="owner" bind:value=f.owner disabled=!editable/></td>
                        <td><input type="date" data-field="due" bind:value=f.due disabled=!editable/></td>
                        <td><label><input type="checkbox" data-field="done" bind:checked=f.done
                            disabled=!editable/>" done"</label></td>
                        <td>{editable.then(|| view! {
                            <button type="button" on:click=move |_| items.update(|v| { v.remove(n); })>"Remove"</button>
                        })}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let timeline = timeline_items(
        found
            .as_ref()
            .map(|p| p.timeline.clone())
            .unwrap_or_default(),
    );
    let heading = match &found {
        Some(p) => format!("Post-mortem of #{id} {}", p.incident_title),
        None => format!("Post-mortem of incident #{id}"),
    };
    let state = match &found {
        Some(p) if closed => format!(
            "Closed by {} on {}.",
            p.closed_by.clone().unwrap_or_default(),
            p.closed_at.map(format_utc_minutes).unwrap_or_default()
        ),
        Some(p) => format!(
            "Draft, revision {}, last saved by {} on {}.",
            p.revision,
            p.updated_by,
            format_utc_minutes(p.updated_at)
        ),
        None => "Not started: saving starts it as a draft.".to_string(),
    };
    view! {
        <h1>{heading}</h1>
        <p data-postmortem-status=status.as_str()>{state}</p>
        <section class="card postmortem">
            <label>"Impact: who and what was affected, for how long"
                <textarea rows="4" data-field="impact" bind:value=impact disabled=!editable></textarea></label>
            <label>"Root cause"
                <textarea rows="4" data-field="root_cause" bind:value=root_cause disabled=!editable></textarea></label>
            <label>"Contributing factors"
                <textarea rows="3" data-field="contributing_factors" bind:value=factors disabled=!editable></textarea></label>
            <h2>"Action items"</h2>
            <table class="action-items">
                <thead><tr><th>"Item"</th><th>"Owner"</th><th>"Due"</th><th>"Status"</th><th></th></tr></thead>
                <tbody>{item_rows}</tbody>
            </table>
            {editable.then(|| view! {
                <p><button type="button" data-action="add-item" on:click=move |_| items.update(|v| v.push(ItemFields::from(&ActionItem {
                    title: String::new(), owner: String::new(), due: String::new(), status: ItemStatus::Open,
                })))>"Add an action item"</button></p>
            })}
            <p class="actions">
                {editable.then(|| view! {
                    <button type="button" class="primary" data-action="save"
                        on:click=move |_| submit("draft") disabled=move || save.pending().get()>
                        {if started { "Save draft" } else { "Start the post-mortem" }}</button>
                })}
                " "
                {(may_close && !closed && started).then(|| view! {
                    <button type="button" data-action="close" on:click=move |_| submit("closed")
                        disabled=move || save.pending().get()>"Close the post-mortem"</button>
                })}
                {(may_close && closed).then(|| view! {
                    <button type="button" data-action="reopen" on:click=move |_| submit("draft")
                        disabled=move || save.pending().get()>"Reopen"</button>
                })}
            </p>
            <p class="muted">"Closing takes the impact, the root cause and at least one action item with an owner and a due date; only reviewers, incident commanders and admins close or reopen."</p>
        </section>
        <section class="card">
            <h2>"Timeline, from the incident"</h2>
            <ol class="timeline">{timeline}</ol>
        </section>
    }
}
