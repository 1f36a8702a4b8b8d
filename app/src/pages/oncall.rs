//! The Incident dashboard's on-call card: who the `on_call` level pages now, who is next,
//! the rotation, and the overrides, with a form to cover a stretch.

use super::incidents::span_text;
use crate::server_fns::{AddOnCallOverride, RemoveOnCallOverride};
use leptos::prelude::*;
use warden_domain::incident::oncall::{OnCallBoard, OnCallShift};
use warden_domain::timefmt::format_utc_minutes;

fn shift_text(shift: &OnCallShift, now: i64) -> String {
    let how = if shift.by_override.is_some() {
        "covering"
    } else {
        "rotation"
    };
    if shift.from <= now {
        format!(
            "{} ({how}) until {}, {} from now",
            shift.who,
            format_utc_minutes(shift.until),
            span_text(shift.until - now)
        )
    } else {
        format!(
            "{} ({how}) from {} to {}",
            shift.who,
            format_utc_minutes(shift.from),
            format_utc_minutes(shift.until)
        )
    }
}

#[component]
pub fn OnCallCard(
    board: OnCallBoard,
    now: i64,
    add: ServerAction<AddOnCallOverride>,
    remove: ServerAction<RemoveOnCallOverride>,
) -> impl IntoView {
    let current = match &board.now {
        Some(shift) => shift_text(shift, now),
        None if board.rotation.is_empty() => {
            "everyone holding the on_call role (no rotation: incidents.on_call)".to_string()
        }
        None => "nobody by the rotation: everyone holding the on_call role".to_string(),
    };
    let next = board
        .next
        .as_ref()
        .map(|s| shift_text(s, now))
        .unwrap_or_else(|| "—".to_string());
    let overrides = board
        .overrides
        .iter()
        .map(|o| {
            let id = o.id;
            let may_remove = board.may_remove(o);
            view! {
                <tr data-override=id>
                    <td>{o.who.clone()}</td>
                    <td>{format_utc_minutes(o.starts_at)}</td>
                    <td>{format_utc_minutes(o.ends_at)}</td>
                    <td>{o.note.clone()}</td>
                    <td class="muted">{o.created_by.clone()}</td>
                    <td>{may_remove.then(|| view! {
                        <button type="button" on:click=move |_| { remove.dispatch(RemoveOnCallOverride { id }); }
                            disabled=move || remove.pending().get()>"Remove"</button>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let no_overrides = board.overrides.is_empty();
    view! {
        <section class="card" data-on-call>
            <h2>"On call"</h2>
            <table class="facts"><tbody>
                <tr><th>"Now"</th><td data-on-call-now>{current}</td></tr>
                <tr><th>"Next"</th><td data-on-call-next>{next}</td></tr>
                {(!board.rotation.is_empty()).then(|| view! {
                    <tr><th>"Rotation"</th><td>{board.rotation.clone()}</td></tr>
                })}
            </tbody></table>
            <h3>"Overrides"</h3>
            <table class="overrides">
                <thead><tr><th>"Who"</th><th>"From (UTC)"</th><th>"To (UTC)"</th><th>"Note"</th>
                    <th>"Added by"</th><th></th></tr></thead>
                <tbody>{overrides}</tbody>
            </table>
            {no_overrides.then(|| view! { <p class="muted">"None to come."</p> })}
            {board.may_cover.then(|| view! {
                <ActionForm action=add attr:class="filters" attr:data-cover="">
                    {board.may_cover_anyone.then(|| view! {
                        <label>"Who (empty: you)" <input type="email" name="who" placeholder="you"/></label>
                    })}
                    {(!board.may_cover_anyone).then(|| view! { <input type="hidden" name="who" value=""/> })}
                    <label>"From (UTC)" <input type="datetime-local" name="starts" required/></label>
                    <label>"To (UTC)" <input type="datetime-local" name="ends" required/></label>
                    <label>"Note" <input type="text" name="note" maxlength="300" placeholder="I cover Tuesday night"/></label>
                    <button type="submit">"Cover"</button>
                </ActionForm>
            })}
        </section>
    }
}
