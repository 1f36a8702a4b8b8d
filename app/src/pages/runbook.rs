//! An incident's runbook: each step with how it went, and for responders the buttons that
//! run an action, tick a step done or skip it.

use crate::server_fns::RunIncidentStep;
use leptos::prelude::*;
use warden_domain::incident::runbook::{Action, IncidentStep, StepStatus};
use warden_domain::timefmt::format_utc_minutes;

#[component]
pub fn RunbookCard(
    id: i64,
    steps: Vec<IncidentStep>,
    may_respond: bool,
    action: ServerAction<RunIncidentStep>,
) -> impl IntoView {
    if steps.is_empty() {
        return view! {
            <section class="card">
                <h2>"Runbook"</h2>
                <p class="muted">"No runbook for this kind of incident (incidents.runbooks)."</p>
            </section>
        }
        .into_any();
    }
    let note = RwSignal::new(String::new());
    let rows = steps
        .into_iter()
        .map(|s| {
            let (position, number) = (s.position, s.number);
            let open = !s.status.is_over();
            let act = move |what: &'static str| {
                action.dispatch(RunIncidentStep {
                    id,
                    position,
                    act: what.to_string(),
                    note: note.get_untracked(),
                });
            };
            let runnable = s.step.action != Action::Guided;
            let buttons = (may_respond && open).then(|| {
                view! {
                    {runnable.then(|| view! {
                        <button type="button" class="primary" data-step-action="run"
                            on:click=move |_| act("run")
                            disabled=move || action.pending().get()>{run_label(s.step.action)}</button>
                    })}
                    " "
                    <button type="button" data-step-action="done" on:click=move |_| act("done")
                        disabled=move || action.pending().get()>"Done"</button>
                    " "
                    <button type="button" data-step-action="skip" on:click=move |_| act("skip")
                        disabled=move || action.pending().get()>"Skip"</button>
                }
            });
            let when = s
                .finished_at
                .or(s.started_at)
                .map(format_utc_minutes)
                .unwrap_or_default();
            view! {
                <tr data-step=number data-step-status=s.status.as_str()>
                    <td>{number}</td>
                    <td>{s.step.describe()}</td>
                    <td><span class=status_class(s.status)>{s.status.as_str()}</span></td>
                    <td>{s.result.clone().unwrap_or_default()}</td>
                    <td class="muted">{s.by.clone().unwrap_or_default()} " " {when}</td>
                    <td class="actions">{buttons}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-runbook>
            <h2>"Runbook"</h2>
            <table class="runbook">
                <thead><tr><th>"#"</th><th>"Step"</th><th>"Status"</th><th>"Result"</th>
                    <th>"By"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {may_respond.then(|| view! {
                <p><label>"Note with the next step " <input type="text" maxlength="2000"
                    data-step-note bind:value=note/></label></p>
            })}
            <p class="muted">"Automatic steps run as soon as the steps before them are over; a failed step hands the rest to people. Every step is on the timeline."</p>
        </section>
    }
    .into_any()
}

fn run_label(action: Action) -> &'static str {
    match action {
        Action::Restart => "Send restart",
        Action::HealthCheck => "Check now",
        Action::Rollback => "Roll back",
        Action::Shutdown => "Kill the agent",
        Action::Pause => "Pause the agent",
        Action::RateLimit => "Rate-limit",
        Action::PauseFleet => "Pause the fleet",
        Action::Guided => "Run",
    }
}

fn status_class(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Done => "status-badge green",
        StepStatus::Failed => "status-badge red",
        StepStatus::Running => "status-badge amber",
        StepStatus::Pending | StepStatus::Skipped => "status-badge",
    }
}
