//! An agent's control state on the Agents page, and the kill switch for those who may pull
//! it: the change is confirmed with a reason, which the agent and the audit record keep.

use crate::server_fns::SetAgentControl;
use leptos::prelude::*;
use warden_domain::control::{AgentControl, ControlChange, ControlState};
use warden_domain::timefmt::format_utc_minutes;

#[component]
pub fn KillSwitch(
    control: AgentControl,
    can_switch: bool,
    action: ServerAction<SetAgentControl>,
) -> impl IntoView {
    let state = control.state;
    let title = (!control.reason.is_empty()).then(|| {
        format!(
            "{} by {}: {}",
            state.as_str(),
            control.updated_by,
            control.reason
        )
    });
    // Whether the agent knows: it reads its state, or it was never switched.
    let read = control.read_since_switch().map(|read| {
        let (class, text) = if read {
            ("read ok", "read since the switch".to_string())
        } else {
            (
                "read pending",
                format!("not read since {}", format_utc_minutes(control.updated_at)),
            )
        };
        view! { <div class=format!("control-read {class}") data-read=read.to_string()>{text}</div> }
    });
    let badge = view! {
        <span class=format!("control {}", state.as_str()) data-control-state=state.as_str() title=title>
            {state.as_str()}
        </span>
        {read}
    };
    if !can_switch {
        return badge.into_any();
    }
    let agent = control.agent.clone();
    let target = RwSignal::new(
        if state == ControlState::Running {
            "killed"
        } else {
            "running"
        }
        .to_string(),
    );
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(state) = ControlState::parse(&target.get_untracked()) else {
            return;
        };
        action.dispatch(SetAgentControl {
            agent: agent.clone(),
            change: ControlChange {
                state,
                reason: reason.get_untracked(),
                rate_limit_per_min: None,
                pinned_version: None,
            },
        });
    };
    view! {
        {badge}
        <details class="kill-switch">
            <summary>"Switch…"</summary>
            <form class="stack" on:submit=submit>
                <label>"New state"
                    <select name="state" bind:value=target>
                        <option value="killed">"killed: stop now"</option>
                        <option value="paused">"paused: take no new work"</option>
                        <option value="running">"running"</option>
                    </select>
                </label>
                <label>"Reason (required; the agent and the record keep it)"
                    <input type="text" name="reason" required maxlength="500" bind:value=reason/>
                </label>
                <button type="submit" class="danger" disabled=move || action.pending().get()>"Confirm"</button>
            </form>
        </details>
    }
    .into_any()
}
