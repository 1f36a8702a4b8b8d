//! The audit trail: whether its hash chain is intact, every recorded change newest first
//! (who, when, what, before and after), filtered in the URL, and exported as CSV or JSON.

use crate::components::{ErrorNote, Layout, options};
use crate::server_fns::{AUDIT_PAGE, list_audit, verify_audit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::Page;
use warden_domain::audit::{AuditEvent, AuditFilter, ChainStatus};
use warden_domain::timefmt::format_utc_minutes;

const WINDOWS: [(&str, i64); 4] = [
    ("Last 24 hours", 24),
    ("Last 7 days", 168),
    ("Last 30 days", 720),
    ("Any time", 0),
];

/// The families of actions, for the filter.
const FAMILIES: [(&str, &str); 9] = [
    ("policy", "Policies and approvals"),
    ("control", "Control states (kill switch)"),
    ("webhook", "Control webhooks"),
    ("review", "Review decisions"),
    ("user", "Users and roles"),
    ("token", "API tokens"),
    ("agent", "Agents"),
    ("ingest_key", "Ingest keys"),
    ("audit", "Audit exports"),
];

#[derive(Debug, Clone, PartialEq)]
struct Query {
    actor: String,
    action: String,
    target: String,
    window: i64,
    before: Option<i64>,
}

impl Query {
    fn read(map: &leptos_router::params::ParamsMap) -> Query {
        let text = |key: &str| map.get(key).unwrap_or_default().trim().to_string();
        Query {
            actor: text("actor"),
            action: text("action"),
            target: text("target"),
            window: map.get("window").and_then(|w| w.parse().ok()).unwrap_or(0),
            before: map.get("before").and_then(|b| b.parse().ok()),
        }
    }

    fn filter(&self) -> AuditFilter {
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        AuditFilter {
            actor: some(&self.actor),
            action: some(&self.action),
            target: some(&self.target),
            before_seq: self.before,
            ..AuditFilter::default()
        }
    }

    /// The query string of these filters, with `extra` pairs added.
    fn encoded(&self, extra: &[(&str, String)]) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("target", &self.target),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        for (key, value) in extra {
            query.append_pair(key, value);
        }
        query.finish()
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(Query::read));
    let listing = Resource::new(move || query.get(), |q| list_audit(q.filter(), q.window));
    let chain = Resource::new(|| (), |_| verify_audit());
    view! {
        <Layout page=Page::Audit>
            <h1>"Audit trail"</h1>
            <p class="note info">
                "Every change to users, roles, tokens, agents, ingest keys, policies, approvals and "
                "control states, with who made it, when, and the state before and after. Events are "
                "append-only and hash-chained: each one's hash covers its content and the hash before "
                "it, so an event altered or removed behind Warden's back breaks the chain there. "
                <code>"warden audit verify"</code> " checks it from the command line."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Checking the chain…"</p> }>
                {move || Suspend::new(async move {
                    match chain.await {
                        Ok(status) => view! { <Chain status/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
            {move || view! { <Filters q=query.get()/> }}
            <Suspense fallback=|| view! { <p class="loading">"Loading the trail…"</p> }>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    match listing.await {
                        Ok(list) => view! { <Events list q/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
pub(super) fn Chain(status: ChainStatus) -> impl IntoView {
    match status {
        ChainStatus::Intact { events, head } => {
            let short: String = head.chars().take(16).collect();
            view! {
                <p class="note ok chain" data-chain="intact" title=head>
                    "Chain intact: " {events} " events, each linked to the one before. Head "
                    <code>{short}"…"</code>
                </p>
            }
            .into_any()
        }
        ChainStatus::Broken {
            seq,
            reason,
            checked,
        } => view! {
            <p class="note error chain" data-chain="broken" role="alert">
                "Chain BROKEN at event " {seq} ": " {reason} ". The " {checked}
                " events before it check out. Restore the database from a backup and find out who "
                "had write access to it."
            </p>
        }
        .into_any(),
    }
}

#[component]
fn Filters(q: Query) -> impl IntoView {
    let families = options(FAMILIES, &q.action);
    let windows = options(
        WINDOWS.map(|(label, hours)| (hours, label)),
        &q.window.to_string(),
    );
    let export = |format: &str| {
        format!(
            "/api/v1/audit/export?{}",
            q.encoded(&[
                ("format", format.to_string()),
                ("window", q.window.to_string())
            ])
        )
    };
    view! {
        <form class="filters card" method="get" action="/audit">
            <label>"What"
                <select name="action">
                    <option value="">"Everything"</option>
                    {families}
                </select>
            </label>
            <label>"Who" <input type="text" name="actor" value=q.actor.clone() placeholder="ann@example.com"/></label>
            <label>"Target" <input type="text" name="target" value=q.target.clone() placeholder="agent:support-agent"/></label>
            <label>"Time" <select name="window">{windows}</select></label>
            <button type="submit" class="primary">"Filter"</button>
            <a class="reset" href="/audit">"Reset"</a>
            <span class="exports">
                "Export: " <a href=export("csv") download>"CSV"</a> " · " <a href=export("json") download>"JSON"</a>
            </span>
        </form>
    }
}

#[component]
fn Events(list: Vec<AuditEvent>, q: Query) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <section class="card muted"><p>"No recorded change matches."</p></section>
        }
        .into_any();
    }
    let next = (list.len() == AUDIT_PAGE as usize)
        .then(|| list.last().map(|e| e.seq))
        .flatten()
        .map(|before| {
            format!(
                "/audit?{}",
                q.encoded(&[
                    ("window", q.window.to_string()),
                    ("before", before.to_string())
                ])
            )
        });
    let rows = list.into_iter().map(event_row).collect_view();
    view! {
        <section class="card">
            <table class="data audit">
                <thead><tr><th>"#"</th><th>"When"</th><th>"Who"</th><th>"What"</th>
                    <th>"Target"</th><th>"Before → after"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {next.map(|href| view! { <p><a href=href>"Older events →"</a></p> })}
        </section>
    }
    .into_any()
}

fn event_row(e: AuditEvent) -> impl IntoView {
    let change = match (&e.before, &e.after) {
        (None, None) => None,
        (before, after) => {
            let before = before.clone().unwrap_or_else(|| "—".into());
            let after = after.clone().unwrap_or_else(|| "—".into());
            let summary: String = after.chars().take(80).collect();
            Some(view! {
                <details>
                    <summary><code>{summary}</code></summary>
                    <p><strong>"before"</strong></p><pre>{before}</pre>
                    <p><strong>"after"</strong></p><pre>{after}</pre>
                </details>
            })
        }
    };
    view! {
        <tr data-action=e.action.clone() data-seq=e.seq>
            <td class="muted">{e.seq}</td>
            <td class="nowrap">{format_utc_minutes(e.at)}</td>
            <td>{e.actor.clone()}</td>
            <td><code>{e.action.clone()}</code></td>
            <td>{e.target.clone()}</td>
            <td class="change">{change}</td>
        </tr>
    }
}
