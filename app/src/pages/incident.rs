//! One incident: what it is, where it stands on its ladder, its runbook, its timeline and
//! its pages, with acknowledge, resolve, notes and runbook steps for responders. Live like
//! the dashboard.

use super::incidents::{span_text, use_incident_events};
use super::runbook::RunbookCard;
use crate::components::{ActionOutcome, ErrorNote, Layout};
use crate::server_fns::{
    AcknowledgeIncident, AddIncidentNote, ResolveIncident, RunIncidentStep, get_incident,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use warden_domain::Page;
use warden_domain::incident::{IncidentDetail, PageStatus, Status, TimelineEntry};
use warden_domain::timefmt::format_utc_minutes;

/// The incident number of the route (`/incidents/:id...`); 0 for none, which the server
/// answers with "not found".
pub(crate) fn use_incident_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    })
}

/// An incident's timeline entries, oldest first.
pub(crate) fn timeline_items(entries: Vec<TimelineEntry>) -> impl IntoView {
    entries
        .into_iter()
        .map(|e| {
            view! {
                <li data-entry=e.kind.as_str()>
                    <span class="muted">{format_utc_minutes(e.at)}</span> " "
                    <strong>{e.kind.as_str().replace('_', " ")}</strong> " · " {e.actor}
                    <div>{e.detail}</div>
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn IncidentPage() -> impl IntoView {
    let id = use_incident_id();
    let changed = use_incident_events();
    let ack = ServerAction::<AcknowledgeIncident>::new();
    let resolve = ServerAction::<ResolveIncident>::new();
    let note = ServerAction::<AddIncidentNote>::new();
    let step = ServerAction::<RunIncidentStep>::new();
    let detail = Resource::new(
        move || {
            (
                id.get(),
                changed.get(),
                ack.version().get(),
                resolve.version().get(),
                note.version().get(),
                step.version().get(),
            )
        },
        |(id, ..)| get_incident(id),
    );
    view! {
        <Layout page=Page::Incidents>
            <p><a href="/incidents">"← All incidents"</a></p>
            <ActionOutcome value=ack.value() success="Acknowledged: the escalation has stopped."/>
            <ActionOutcome value=resolve.value() success="Resolved: everyone paged is told."/>
            <ActionOutcome value=note.value() success="Note added."/>
            <ActionOutcome value=step.value() success="Step recorded on the timeline."/>
            <Suspense fallback=|| view! { <p class="loading">"Loading the incident…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <Detail detail ack resolve note step/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Detail(
    detail: IncidentDetail,
    ack: ServerAction<AcknowledgeIncident>,
    resolve: ServerAction<ResolveIncident>,
    note: ServerAction<AddIncidentNote>,
    step: ServerAction<RunIncidentStep>,
) -> impl IntoView {
    let i = detail.incident.clone();
    let id = i.id;
    let mut facts = vec![
        ("Status", i.status.as_str().to_string()),
        ("Severity", i.severity.as_str().to_string()),
        ("Kind", i.kind.as_str().to_string()),
        ("Agent", i.agent.clone().unwrap_or_else(|| "none".into())),
        (
            "Opened",
            format!("{} by {}", format_utc_minutes(i.opened_at), i.opened_by),
        ),
        ("Levels paged", i.level.to_string()),
        ("Came back", format!("{} times while open", i.repeats)),
    ];
    if let Some(at) = i.next_page_at {
        facts.push(("Next page", format_utc_minutes(at)));
    }
    if let (Some(at), Some(by)) = (i.acked_at, &i.acked_by) {
        facts.push((
            "Acknowledged",
            format!(
                "{} by {by}, after {}",
                format_utc_minutes(at),
                span_text(at - i.opened_at)
            ),
        ));
    }
    if let (Some(at), Some(by)) = (i.resolved_at, &i.resolved_by) {
        facts.push((
            "Resolved",
            format!(
                "{} by {by}, after {}",
                format_utc_minutes(at),
                span_text(at - i.opened_at)
            ),
        ));
    }
    let facts = facts
        .into_iter()
        .map(|(k, v)| view! { <tr><th>{k}</th><td data-fact=k>{v}</td></tr> })
        .collect_view();
    let ladder = detail
        .ladder
        .iter()
        .map(|l| view! { <li>{l.clone()}</li> })
        .collect_view();
    let timeline = timeline_items(detail.timeline.clone());
    let pages = detail
        .pages
        .iter()
        .map(|p| {
            let status = match p.status {
                PageStatus::Sent => "sent",
                PageStatus::Pending if p.attempts > 0 => "retrying",
                PageStatus::Pending => "pending",
                PageStatus::Cancelled => "not sent",
            };
            view! {
                <tr data-page=p.id>
                    <td>{if p.level == 0 { "resolved notice".to_string() } else if p.round > 0 {
                        format!("level {} (repeat {})", p.level, p.round)
                    } else { format!("level {}", p.level) }}</td>
                    <td>{p.channel.as_str()}</td>
                    <td>{p.recipient.clone()}</td>
                    <td>{status}</td>
                    <td>{p.attempts}</td>
                    <td>{p.sent_at.map(format_utc_minutes).unwrap_or_default()}</td>
                    <td class="muted">{p.last_error.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let actions = (detail.may_respond && i.status != Status::Resolved).then(|| {
        let resolve_note = RwSignal::new(String::new());
        let note_text = RwSignal::new(String::new());
        view! {
            <section class="card">
                <h2>"Respond"</h2>
                {(i.status == Status::Triggered).then(|| view! {
                    <p><button type="button" class="primary" data-action="ack"
                        on:click=move |_| { ack.dispatch(AcknowledgeIncident { id }); }
                        disabled=move || ack.pending().get()>"Acknowledge (stops the escalation)"</button></p>
                })}
                <div class="decide">
                    <label>"Resolution note " <input type="text" maxlength="2000" bind:value=resolve_note/></label>
                    <button type="button" data-action="resolve"
                        on:click=move |_| { resolve.dispatch(ResolveIncident { id, note: resolve_note.get_untracked() }); }
                        disabled=move || resolve.pending().get()>"Resolve"</button>
                </div>
                <div class="decide">
                    <label>"Note for the timeline " <input type="text" maxlength="4000" bind:value=note_text/></label>
                    <button type="button" data-action="note"
                        on:click=move |_| { note.dispatch(AddIncidentNote { id, note: note_text.get_untracked() }); }
                        disabled=move || note.pending().get()>"Add note"</button>
                </div>
            </section>
        }
    });
    view! {
        <h1>"#" {id} " " {i.title.clone()}</h1>
        <div class="card-row">
            <section class="card">
                <h2>"Incident"</h2>
                <table class="facts"><tbody>{facts}</tbody></table>
            </section>
            <section class="card">
                <h2>"Escalation ladder"</h2>
                <ol class="ladder">{ladder}</ol>
                <p class="muted">"The ladder this incident was opened with; acknowledging stops it."</p>
            </section>
        </div>
        {actions}
        <RunbookCard id steps=detail.steps.clone() may_respond=detail.may_respond action=step/>
        <section class="card" data-postmortem-link>
            <h2>"Post-mortem"</h2>
            <p>{match detail.postmortem {
                Some(status) => format!("A post-mortem is {}. ", status.as_str()),
                None => "No post-mortem yet. ".to_string(),
            }}
            {(detail.postmortem.is_some() || detail.may_respond).then(|| view! {
                <a href=format!("/incidents/{id}/postmortem")>{if detail.postmortem.is_some() {
                    "Open the post-mortem"
                } else {
                    "Start a post-mortem"
                }}</a>
            })}</p>
        </section>
        <section class="card">
            <h2>"Timeline"</h2>
            <ol class="timeline" data-timeline>{timeline}</ol>
        </section>
        <section class="card">
            <h2>"Pages"</h2>
            <table class="pages">
                <thead><tr><th>"Round"</th><th>"Channel"</th><th>"To"</th><th>"Status"</th>
                    <th>"Attempts"</th><th>"Sent"</th><th>"Last error"</th></tr></thead>
                <tbody>{pages}</tbody>
            </table>
        </section>
    }
}
