//! The Incident dashboard: every open incident with its level on the ladder, the time to
//! its next page and its SLA, acknowledged or resolved from here; the ones resolved lately;
//! and a form to open one by hand. The server pushes a note whenever any incident changes
//! on any replica, and the page reads the board again.

use super::oncall::OnCallCard;
use crate::components::{ActionOutcome, ErrorNote, Layout};
use crate::server_fns::{
    AcknowledgeIncident, AddOnCallOverride, OpenIncident, RemoveOnCallOverride, ResolveIncident,
    get_incident_board,
};
use leptos::prelude::*;
use std::time::Duration;
use warden_domain::Page;
use warden_domain::incident::{Incident, IncidentBoard, Sla, Status};
use warden_domain::timefmt::format_utc_minutes;

/// A counter that goes up whenever the server says an incident changed (server-sent
/// events from `/api/v1/incidents/events`), in the browser only; the browser reconnects
/// by itself when the connection drops.
pub(crate) fn use_incident_events() -> ReadSignal<u64> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    let (tick, set_tick) = signal(0u64);
    Effect::new(move |_| {
        let Ok(source) = web_sys::EventSource::new("/api/v1/incidents/events") else {
            return;
        };
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            set_tick.update(|t| *t += 1);
        });
        let _ = source
            .add_event_listener_with_callback("incidents", on_change.as_ref().unchecked_ref());
        let kept = StoredValue::new_local((source, on_change));
        on_cleanup(move || {
            let _ = kept.try_with_value(|(source, _)| source.close());
        });
    });
    tick
}

/// "4 min 05 s", for countdowns and ages.
pub(crate) fn span_text(ms: i64) -> String {
    let s = (ms.max(0) + 999) / 1000;
    match s {
        0..60 => format!("{s} s"),
        60..3600 if s % 60 == 0 => format!("{} min", s / 60),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ if s % 3600 == 0 => format!("{} h", s / 3600),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

#[component]
pub fn IncidentsPage() -> impl IntoView {
    let changed = use_incident_events();
    let ack = ServerAction::<AcknowledgeIncident>::new();
    let resolve = ServerAction::<ResolveIncident>::new();
    let open = ServerAction::<OpenIncident>::new();
    let cover = ServerAction::<AddOnCallOverride>::new();
    let uncover = ServerAction::<RemoveOnCallOverride>::new();
    let board = Resource::new(
        move || {
            (
                changed.get(),
                ack.version().get(),
                resolve.version().get(),
                open.version().get(),
                cover.version().get(),
                uncover.version().get(),
            )
        },
        |_| get_incident_board(),
    );
    // Countdowns move every second between server updates.
    let (second, set_second) = signal(0i64);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || set_second.update(|s| *s += 1),
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <Layout page=Page::Incidents>
            <h1>"Incidents"</h1>
            <p class="note info">
                "Each incident pages its escalation ladder by e-mail, level by level, until someone "
                "acknowledges it here, in its page, or from the link in the mail. Violations of the "
                "rules that page, anomalies and agents that stop reporting or ignore their kill "
                "switch open incidents; a repeat of the same problem joins the open one. This page "
                "updates itself when anything changes."
            </p>
            <ActionOutcome value=ack.value() success="Acknowledged: the escalation has stopped."/>
            <ActionOutcome value=resolve.value() success="Resolved: everyone paged is told."/>
            <ActionOutcome value=open.value() success="Incident opened."/>
            <ActionOutcome value=cover.value() success="Override added: the on_call level pages them for that stretch."/>
            <ActionOutcome value=uncover.value() success="Override removed."/>
            <Suspense fallback=|| view! { <p class="loading">"Loading incidents…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! { <Board board second ack resolve open cover uncover/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Board(
    board: IncidentBoard,
    second: ReadSignal<i64>,
    ack: ServerAction<AcknowledgeIncident>,
    resolve: ServerAction<ResolveIncident>,
    open: ServerAction<OpenIncident>,
    cover: ServerAction<AddOnCallOverride>,
    uncover: ServerAction<RemoveOnCallOverride>,
) -> impl IntoView {
    let on_call = board.on_call.clone();
    let triggered = board
        .active
        .iter()
        .filter(|i| i.status == Status::Triggered)
        .count();
    let overdue = board
        .active
        .iter()
        .filter(|i| Sla::of(i, board.now, board.ack_sla_ms, board.resolve_sla_ms) != Sla::Met)
        .count();
    let acked = board.active.len() - triggered;
    let (now, ack_sla, resolve_sla, may) = (
        board.now,
        board.ack_sla_ms,
        board.resolve_sla_ms,
        board.may_respond,
    );
    let rows = board
        .active
        .into_iter()
        .map(|incident| {
            view! { <Row incident now ack_sla resolve_sla second may ack resolve/> }
        })
        .collect_view();
    let no_postmortems = board.open_postmortems.is_empty();
    let postmortems = board
        .open_postmortems
        .into_iter()
        .map(|p| {
            view! {
                <tr data-postmortem=p.incident_id>
                    <td><a href=format!("/incidents/{}/postmortem", p.incident_id)>"#" {p.incident_id}</a></td>
                    <td><span class=format!("severity {}", p.severity.as_str())>{p.severity.as_str()}</span></td>
                    <td>{p.incident_title}</td>
                    <td>{format_utc_minutes(p.created_at)}</td>
                    <td>{format!("{} by {}", format_utc_minutes(p.updated_at), p.updated_by)}</td>
                </tr>
            }
        })
        .collect_view();
    let no_resolved = board.resolved.is_empty();
    let resolved = board
        .resolved
        .into_iter()
        .map(|i| {
            let took = i.resolved_at.map(|r| span_text(r - i.opened_at)).unwrap_or_default();
            view! {
                <tr data-incident=i.id>
                    <td><a href=format!("/incidents/{}", i.id)>"#" {i.id}</a></td>
                    <td><span class=format!("severity {}", i.severity.as_str())>{i.severity.as_str()}</span></td>
                    <td>{i.title.clone()}</td>
                    <td>{i.agent.clone().unwrap_or_default()}</td>
                    <td>{format_utc_minutes(i.opened_at)}</td>
                    <td>{took}</td>
                    <td>{i.resolved_by.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="tiles">
            <div class={if triggered > 0 { "tile warn" } else { "tile" }} data-tile="triggered"><span class="tile-label">"Waiting for acknowledgement"</span><strong class="tile-value">{triggered}</strong></div>
            <div class="tile" data-tile="acknowledged"><span class="tile-label">"Acknowledged, open"</span><strong class="tile-value">{acked}</strong></div>
            <div class={if overdue > 0 { "tile bad" } else { "tile" }} data-tile="overdue"><span class="tile-label">"Past their SLA"</span><strong class="tile-value">{overdue}</strong></div>
            <div class="tile"><span class="tile-label">"SLA"</span>
                <strong class="tile-value small">{format!("ack {} · resolve {}", span_text(ack_sla), span_text(resolve_sla))}</strong></div>
        </div>
        <OnCallCard board=on_call now add=cover remove=uncover/>
        <section class="card">
            <h2>"Open incidents"</h2>
            <table class="incidents" data-table="active">
                <thead><tr>
                    <th>"#"</th><th>"Severity"</th><th>"Incident"</th><th>"Agent"</th><th>"Status"</th>
                    <th>"Level"</th><th>"Open for"</th><th>"Next page"</th><th>"SLA"</th><th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {(triggered + acked == 0).then(|| view! { <p class="muted">"No open incident."</p> })}
        </section>
        <section class="card">
            <h2>"Resolved lately"</h2>
            <table class="incidents" data-table="resolved">
                <thead><tr>
                    <th>"#"</th><th>"Severity"</th><th>"Incident"</th><th>"Agent"</th><th>"Opened"</th>
                    <th>"Took"</th><th>"Resolved by"</th>
                </tr></thead>
                <tbody>{resolved}</tbody>
            </table>
            {no_resolved.then(|| view! { <p class="muted">"None yet."</p> })}
        </section>
        <section class="card">
            <h2>"Post-mortems to close"</h2>
            <table class="incidents" data-table="postmortems">
                <thead><tr><th>"#"</th><th>"Severity"</th><th>"Incident"</th><th>"Started"</th>
                    <th>"Last saved"</th></tr></thead>
                <tbody>{postmortems}</tbody>
            </table>
            {no_postmortems.then(|| view! { <p class="muted">"None open."</p> })}
        </section>
        {may.then(|| view! { <OpenForm open/> })}
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Row(
    incident: Incident,
    now: i64,
    ack_sla: i64,
    resolve_sla: i64,
    second: ReadSignal<i64>,
    may: bool,
    ack: ServerAction<AcknowledgeIncident>,
    resolve: ServerAction<ResolveIncident>,
) -> impl IntoView {
    let id = incident.id;
    let opened = incident.opened_at;
    let next = incident.next_page_at;
    let sla = Sla::of(&incident, now, ack_sla, resolve_sla);
    let status = incident.status;
    let buttons = may.then(|| {
        view! {
            {(status == Status::Triggered).then(|| view! {
                <button type="button" class="primary" data-action="ack"
                    on:click=move |_| { ack.dispatch(AcknowledgeIncident { id }); }
                    disabled=move || ack.pending().get()>"Acknowledge"</button>
            })}
            <button type="button" data-action="resolve"
                on:click=move |_| { resolve.dispatch(ResolveIncident { id, note: String::new() }); }
                disabled=move || resolve.pending().get()>"Resolve"</button>
        }
    });
    view! {
        <tr data-incident=id data-status=status.as_str()>
            <td><a href=format!("/incidents/{id}")>"#" {id}</a></td>
            <td><span class=format!("severity {}", incident.severity.as_str())>{incident.severity.as_str()}</span></td>
            <td><a href=format!("/incidents/{id}")>{incident.title.clone()}</a>
                <br/><span class="muted">{incident.kind.as_str()}
                    {(incident.repeats > 0).then(|| format!(" · came back {} times", incident.repeats))}</span></td>
            <td>{incident.agent.clone().unwrap_or_default()}</td>
            <td><span class=format!("state {}", status.as_str())>{status.as_str()}</span>
                {incident.acked_by.clone().map(|by| view! { <br/><span class="muted">{by}</span> })}</td>
            <td>{incident.level}</td>
            <td>{move || span_text(now + second.get() * 1000 - opened)}</td>
            <td data-next-page>{move || match next {
                Some(at) if status == Status::Triggered => {
                    format!("in {}", span_text(at - now - second.get() * 1000))
                }
                _ => "—".to_string(),
            }}</td>
            <td><span class=format!("sla {}", if sla == Sla::Met { "met" } else { "overdue" })>{sla.as_str()}</span></td>
            <td class="actions">{buttons}</td>
        </tr>
    }
}

#[component]
fn OpenForm(open: ServerAction<OpenIncident>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Open an incident"</h2>
            <ActionForm action=open attr:class="filters">
                <label>"What is wrong" <input type="text" name="title" required maxlength="200"
                    placeholder="Refund agent promises refunds it cannot give"/></label>
                <label>"Agent (optional)" <input type="text" name="agent" placeholder="support-agent"/></label>
                <label>"Severity"
                    <select name="severity">
                        <option value="critical">"critical"</option>
                        <option value="high" selected>"high"</option>
                        <option value="medium">"medium"</option>
                        <option value="low">"low"</option>
                    </select>
                </label>
                <button type="submit" class="danger">"Open and page"</button>
            </ActionForm>
        </section>
    }
}
