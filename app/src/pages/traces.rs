//! The trace list: every interaction of the fleet, newest first, filtered by agent, time,
//! tag, status, model and words in the (redacted) input and output. Filters live in the
//! URL, so a filtered list can be bookmarked and shared, and the form works without JS.

use crate::components::{ErrorNote, Layout, options};
use crate::server_fns::{TraceListing, list_traces};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::Page;
use warden_domain::telemetry::TraceFilter;
use warden_domain::telemetry::pricing::format_cost;
use warden_domain::telemetry::summary::StatusFilter;
use warden_domain::timefmt::{format_elapsed_ns, format_utc_minutes};

#[component]
pub fn TracesPage() -> impl IntoView {
    view! {
        <Layout page=Page::Traces>
            <h1>"Traces"</h1>
            <TraceList/>
        </Layout>
    }
}

/// The time windows the filter offers, in hours (0: any time).
const WINDOWS: [(&str, i64); 5] = [
    ("Last hour", 1),
    ("Last 24 hours", 24),
    ("Last 7 days", 168),
    ("Last 30 days", 720),
    ("Any time", 0),
];

#[derive(Debug, Clone, PartialEq)]
struct Query {
    agent: String,
    window: i64,
    tag: String,
    status: String,
    model: String,
    q: String,
    before: Option<i64>,
}

fn read_query(map: &leptos_router::params::ParamsMap) -> Query {
    let get = |k: &str| map.get(k).unwrap_or_default().trim().to_string();
    Query {
        agent: get("agent"),
        window: get("window").parse().unwrap_or(0),
        tag: get("tag"),
        status: get("status"),
        model: get("model"),
        q: get("q"),
        before: get("before").parse().ok(),
    }
}

fn filter_of(query: &Query) -> TraceFilter {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    TraceFilter {
        agent: some(&query.agent),
        // The server sets it from the window, by its own clock.
        from_ms: None,
        to_ms: None,
        tag: some(&query.tag),
        status: match query.status.as_str() {
            "error" => Some(StatusFilter::Error),
            "ok" => Some(StatusFilter::Ok),
            _ => None,
        },
        model: some(&query.model),
        text: some(&query.q),
        before_ns: query.before,
        limit: None,
    }
}

#[component]
fn TraceList() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(read_query));
    let follow = RwSignal::new(params.with_untracked(|p| p.get("follow").as_deref() == Some("1")));
    let tick = use_follow(follow);
    let listing = Resource::new(
        move || query.get(),
        |q| list_traces(filter_of(&q), q.window),
    );
    // While following, the newest page again every few seconds; the filters stay as they
    // are, so nothing a person is typing is lost.
    let live = Resource::new(
        move || (query.get(), tick.get()),
        |(q, tick)| async move {
            if tick == 0 {
                return Ok(None);
            }
            list_traces(filter_of(&q), q.window).await.map(Some)
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading traces…"</p> }>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                match listing.await {
                    Ok(listing) => view! { <Filters q agents=listing.agents/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                // The first listing's error is shown with the filters; a later one here.
                let shown = match live.await {
                    Ok(Some(fresh)) => Some(Ok(fresh)),
                    Ok(None) => listing.await.ok().map(Ok),
                    Err(error) => Some(Err(error)),
                };
                let first_page = q.before.is_none();
                match shown {
                    Some(Ok(listing)) => view! {
                        {first_page.then(|| view! { <FollowToggle follow/> })}
                        <Results listing q/>
                    }
                    .into_any(),
                    Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
                    None => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// How often a followed list is fetched again.
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Counts up every [`FOLLOW_EVERY`] while `follow` is on.
fn use_follow(follow: RwSignal<bool>) -> ReadSignal<u64> {
    let (tick, set_tick) = signal(0u64);
    Effect::new(move |_| {
        if follow.get()
            && let Ok(handle) =
                set_interval_with_handle(move || set_tick.update(|t| *t += 1), FOLLOW_EVERY)
        {
            on_cleanup(move || handle.clear());
        }
    });
    tick
}

#[component]
fn FollowToggle(follow: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="follow">
            <input type="checkbox" name="follow" bind:checked=follow/>
            " Follow live: the newest traces every 5 seconds"
        </label>
    }
}

#[component]
fn Filters(q: Query, agents: Vec<String>) -> impl IntoView {
    let agent_options = options(agents.iter().map(|a| (a, a)), &q.agent);
    let windows = options(
        WINDOWS.map(|(label, hours)| (hours, label)),
        &q.window.to_string(),
    );
    view! {
        <form class="filters card" method="get" action="/traces">
            <label>"Agent"
                <select name="agent">
                    <option value="">"All agents"</option>
                    {agent_options}
                </select>
            </label>
            <label>"Time"
                <select name="window">{windows}</select>
            </label>
            <label>"Status"
                <select name="status">
                    <option value="" selected=q.status.is_empty()>"Any"</option>
                    <option value="error" selected=q.status == "error">"Errors"</option>
                    <option value="ok" selected=q.status == "ok">"No errors"</option>
                </select>
            </label>
            <label>"Model" <input type="text" name="model" value=q.model.clone() placeholder="gpt-4o"/></label>
            <label>"Tag" <input type="text" name="tag" value=q.tag.clone() placeholder="pii, error, env:production"/></label>
            <label class="wide">"Text in input or output"
                <input type="search" name="q" value=q.q.clone() placeholder="refund"/>
            </label>
            <button type="submit" class="primary">"Filter"</button>
            <a class="reset" href="/traces">"Reset"</a>
        </form>
    }
}

fn next_page_href(q: &Query, before: i64) -> String {
    let mut parts = vec![format!("before={before}")];
    for (k, v) in [
        ("agent", &q.agent),
        ("tag", &q.tag),
        ("status", &q.status),
        ("model", &q.model),
        ("q", &q.q),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    }
    if q.window > 0 {
        parts.push(format!("window={}", q.window));
    }
    format!("/traces?{}", parts.join("&"))
}

fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[component]
fn Results(listing: TraceListing, q: Query) -> impl IntoView {
    if listing.traces.is_empty() {
        return view! {
            <section class="card muted">
                <p>"No traces match. Agents send them to " <code>"POST /v1/traces"</code>
                   " (OTLP) or " <code>"POST /api/v1/ingest"</code> " with an ingest key."</p>
            </section>
        }
        .into_any();
    }
    let full = listing.traces.len() == TraceFilter::DEFAULT_LIMIT as usize;
    let next = full
        .then(|| {
            listing
                .traces
                .last()
                .map(|t| next_page_href(&q, t.start_ns))
        })
        .flatten();
    let currency = listing.currency.clone();
    let rows = listing
        .traces
        .into_iter()
        .map(|t| {
            let href = format!("/traces/{}", t.trace_id);
            let status = if t.is_error() { "error" } else { "ok" };
            let tags = t
                .tags
                .iter()
                .filter(|tag| !tag.starts_with("agent:"))
                .map(|tag| view! { <span class="tag" data-tag=tag.clone()>{tag.clone()}</span> })
                .collect_view();
            view! {
                <tr class=format!("trace {status}") data-trace=t.trace_id.clone()>
                    <td class="nowrap">{format_utc_minutes(t.start_ns / 1_000_000)}</td>
                    <td>{t.agent.clone()}</td>
                    <td><a href=href>{t.name.clone()}</a></td>
                    <td class="num">{format_elapsed_ns(t.duration_ns())}</td>
                    <td class="num">{t.span_count}</td>
                    <td class="num">{format!("{} / {}", t.input_tokens, t.output_tokens)}</td>
                    <td class="num">{format_cost(t.cost_micros, &currency)}</td>
                    <td><span class=format!("status {status}")>{status}</span></td>
                    <td class="tags">{tags}</td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section class="card">
            <table class="grid traces">
                <thead>
                    <tr>
                        <th>"Started"</th><th>"Agent"</th><th>"Interaction"</th><th>"Duration"</th>
                        <th>"Spans"</th><th>"Tokens in / out"</th><th>"Cost"</th><th>"Status"</th><th>"Tags"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {next.map(|href| view! { <p><a class="more" href=href>"Older traces →"</a></p> })}
        </section>
    }
    .into_any()
}
