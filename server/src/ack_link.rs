//! The acknowledge link of a page: `GET /ack/{token}` shows the incident and a button,
//! the button's `POST` acknowledges. Mail scanners and link previews open links; only a
//! person pressing the button acknowledges. The token is the whole authentication (it
//! names the page's recipient), so no session is needed, and every refusal reads alike.

use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use warden_domain::html::escape;
use warden_domain::incident::{Incident, Status};
use warden_domain::timefmt::iso_utc;
use warden_services::ServiceError;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;\
    padding:0 1rem;color:#1f2933}table{border-collapse:collapse;margin:1rem 0}\
    th,td{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}\
    button{font-size:1.1rem;padding:.6rem 1.4rem;background:#b42318;color:#fff;border:0;\
    border-radius:.4rem;cursor:pointer}.done{color:#067647}.muted{color:#52606d}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <meta name=\"robots\" content=\"noindex\"><title>{} · Warden</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        escape(title)
    )
}

fn summary(i: &Incident) -> String {
    let mut rows = vec![
        ("Status", i.status.as_str().to_string()),
        ("Severity", i.severity.as_str().to_string()),
        ("Agent", i.agent.clone().unwrap_or_else(|| "none".into())),
        (
            "Opened",
            format!("{} by {}", iso_utc(i.opened_at), i.opened_by),
        ),
        ("Level paged", i.level.to_string()),
    ];
    if let (Some(at), Some(by)) = (i.acked_at, &i.acked_by) {
        rows.push(("Acknowledged", format!("{} by {by}", iso_utc(at))));
    }
    if let (Some(at), Some(by)) = (i.resolved_at, &i.resolved_by) {
        rows.push(("Resolved", format!("{} by {by}", iso_utc(at))));
    }
    let rows: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><th>{k}</th><td>{}</td></tr>", escape(v)))
        .collect();
    format!(
        "<h1>#{} {}</h1><table>{rows}</table>\
         <p><a href=\"/incidents/{}\">Open the incident in Warden</a> (sign-in needed)</p>",
        i.id,
        escape(&i.title),
        i.id
    )
}

fn refused(err: ServiceError) -> Response {
    let (status, text) = match err {
        ServiceError::Forbidden(text) => (StatusCode::FORBIDDEN, text),
        ServiceError::NotFound(_) => (
            StatusCode::FORBIDDEN,
            "this link is not valid or has expired".to_string(),
        ),
        other => {
            tracing::warn!(error = %other, "acknowledge link");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "something went wrong; try again or acknowledge in Warden".to_string(),
            )
        }
    };
    (
        status,
        Html(page(
            "Link refused",
            &format!("<h1>Link refused</h1><p>{}</p>", escape(&text)),
        )),
    )
        .into_response()
}

/// `GET /ack/{token}`: the incident and, while it is triggered, the button.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let link = match state.services.open_ack_link(&token).await {
        Ok(link) => link,
        Err(err) => return refused(err),
    };
    let i = &link.detail.incident;
    let action = match i.status {
        Status::Triggered => format!(
            "<form method=\"post\"><p>You were paged as {}.</p>\
             <button type=\"submit\">Acknowledge incident #{}</button>\
             <p class=\"muted\">Acknowledging stops the escalation: nobody else is paged.</p>\
             </form>",
            escape(&link.page.recipient),
            i.id
        ),
        _ => "<p class=\"done\">Nothing to do: this incident is no longer waiting for an \
              acknowledgement.</p>"
            .to_string(),
    };
    Html(page(
        &format!("Incident #{}", i.id),
        &format!("{}{action}", summary(&link.detail.incident)),
    ))
    .into_response()
}

/// `POST /ack/{token}`: acknowledges as the page's recipient; again, or after the
/// incident was resolved, it changes nothing and says who did what.
pub async fn acknowledge(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let ack = match state.services.acknowledge_by_link(&token).await {
        Ok(ack) => ack,
        Err(err) => return refused(err),
    };
    // Say what this press did: it acknowledged, or someone had already.
    let said = if ack.now {
        "<p class=\"done\"><strong>Thank you.</strong> The escalation has stopped.</p>".to_string()
    } else {
        format!(
            "<p class=\"done\">Nothing to do: this incident is already {}.</p>",
            ack.incident.status.as_str()
        )
    };
    Html(page(
        "Acknowledged",
        &format!("{said}{}", summary(&ack.incident)),
    ))
    .into_response()
}
