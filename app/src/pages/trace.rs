//! One trace: its summary, the span tree as a waterfall (timing bars against the trace's
//! length), and each span's tokens, cost, status, attributes and redacted input/output.
//! Span details open with `<details>`, so the page works before and without hydration.

use crate::components::{ActionOutcome, ErrorNote, Layout};
use crate::server_fns::{ScoreTrace, get_trace, get_trace_scores};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;
use warden_domain::Page;
use warden_domain::metrics::score::Score;
use warden_domain::telemetry::messages::{ChatMessage, MessagePart, parse_messages};
use warden_domain::telemetry::pricing::format_cost;
use warden_domain::telemetry::{SpanView, TraceDetail};
use warden_domain::timefmt::{format_elapsed_ns, format_utc_minutes, format_utc_time_ns};

#[component]
pub fn TracePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let detail = Resource::new(move || id.get(), get_trace);
    view! {
        <Layout page=Page::Traces>
            <p class="crumbs"><a href="/traces">"← Traces"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"Loading the trace…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! {
                            <Trace detail/>
                            <Scores trace_id=id.get_untracked()/>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Trace(detail: TraceDetail) -> impl IntoView {
    let s = &detail.summary;
    let status = if s.is_error() { "error" } else { "ok" };
    let tags = s
        .tags
        .iter()
        .map(|tag| view! { <span class="tag" data-tag=tag.clone()>{tag.clone()}</span> })
        .collect_view();
    let pii = (!detail.pii_events.is_empty()).then(|| {
        let rows = detail
            .pii_events
            .iter()
            .map(|e| {
                view! {
                    <tr>
                        <td>{e.kind.clone()}</td><td><code>{e.field.clone()}</code></td>
                        <td><code>{e.span_id.clone()}</code></td><td>{e.stage.clone()}</td>
                        <td>{format_utc_minutes(e.detected_at)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card">
                <h2>"PII and secrets found"</h2>
                <p class="muted">"Redacted before storage (or by the batch scan); the values are not kept."</p>
                <table class="grid pii">
                    <thead><tr><th>"Type"</th><th>"Field"</th><th>"Span"</th><th>"Found"</th><th>"When"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    });
    view! {
        <h1>{s.name.clone()}</h1>
        <section class="card summary">
            <dl class="facts">
                <div><dt>"Agent"</dt><dd>{s.agent.clone()}</dd></div>
                <div><dt>"Started"</dt><dd>{format_utc_minutes(s.start_ns / 1_000_000)}</dd></div>
                <div><dt>"Duration"</dt><dd>{format_elapsed_ns(s.duration_ns())}</dd></div>
                <div><dt>"Spans"</dt><dd>{s.span_count}</dd></div>
                <div><dt>"Tokens in / out"</dt><dd>{format!("{} / {}", s.input_tokens, s.output_tokens)}</dd></div>
                <div><dt>"Cost"</dt><dd class="cost">{format_cost(s.cost_micros, &detail.currency)}</dd></div>
                <div><dt>"Status"</dt><dd><span class=format!("status {status}")>{status}</span></dd></div>
                <div><dt>"Trace id"</dt><dd><code>{s.trace_id.clone()}</code></dd></div>
            </dl>
            <p class="tags">{tags}</p>
        </section>
        <section class="card">
            <h2>"Spans"</h2>
            <Waterfall detail=detail.clone()/>
        </section>
        {pii}
    }
}

/// The trace's scores and feedback (users' ratings, evaluators' and reviewers' scores), and
/// a form to add one's own; the form posts without script too.
#[component]
fn Scores(trace_id: String) -> impl IntoView {
    let add = ServerAction::<ScoreTrace>::new();
    let id = trace_id.clone();
    let scores = Resource::new(
        move || (id.clone(), add.version().get()),
        |(id, _)| get_trace_scores(id),
    );
    view! {
        <section class="card scores">
            <h2>"Scores and feedback"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading the scores…"</p> }>
                {move || Suspend::new(async move {
                    match scores.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted">"No score yet: users' ratings, evaluators' and reviewers' scores appear here."</p>
                        }
                        .into_any(),
                        Ok(list) => view! { <ScoreTable list/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
            <details class="score-form">
                <summary>"Score this interaction…"</summary>
                <ActionForm action=add attr:class="stack">
                    <input type="hidden" name="trace_id" value=trace_id/>
                    <label>"Score"
                        <select name="name">
                            <option value="quality">"quality: 0 (wrong) to 1 (right and complete)"</option>
                            <option value="thumbs">"satisfaction, thumbs: 0 (down) or 1 (up)"</option>
                            <option value="stars">"satisfaction, stars: 1 to 5"</option>
                        </select>
                    </label>
                    <label>"Value"
                        <input type="number" name="value" min="0" max="5" step="any" required/>
                    </label>
                    <label>"Comment (optional)"
                        <input type="text" name="comment" maxlength="500"/>
                    </label>
                    <button type="submit" disabled=move || add.pending().get()>"Add score"</button>
                    <ActionOutcome value=add.value() success="Score added; it counts in the agent's metrics."/>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn ScoreTable(list: Vec<Score>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|s| {
            let value = match (s.value, &s.label) {
                (Some(v), _) => format_score(v),
                (None, Some(label)) => label.clone(),
                (None, None) => "—".to_string(),
            };
            let scaled = s
                .normalized
                .filter(|n| Some(*n) != s.value)
                .map(|n| format!(" ({})", format_score(n)));
            view! {
                <tr>
                    <td>{s.name}</td>
                    <td class="num">{value}<span class="muted">{scaled}</span></td>
                    <td>{s.source.as_str()}</td>
                    <td>{s.created_by}</td>
                    <td>{format_utc_minutes(s.created_at)}</td>
                    <td>{s.comment.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="grid">
            <thead><tr><th>"Score"</th><th>"Value (0-1)"</th><th>"Source"</th><th>"By"</th><th>"When"</th><th>"Comment"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A score as people write it: up to two decimals, no trailing zeros.
fn format_score(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Orders spans depth-first from the roots, children by start time; spans whose parent
/// never arrived are shown as roots.
fn tree_order(spans: &[SpanView]) -> Vec<(usize, usize)> {
    let ids: HashMap<String, usize> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.span.span_id.to_hex(), i))
        .collect();
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        match s.span.parent_span_id.and_then(|p| ids.get(&p.to_hex())) {
            Some(&parent) if parent != i => children.entry(parent).or_default().push(i),
            _ => roots.push(i),
        }
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        out.push((i, depth));
        if let Some(kids) = children.get(&i) {
            // Spans are sorted by start already; push in reverse so the earliest pops first.
            stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
        }
        if out.len() > spans.len() {
            break;
        }
    }
    out
}

#[component]
fn Waterfall(detail: TraceDetail) -> impl IntoView {
    let start = detail.summary.start_ns;
    let total = detail.summary.duration_ns().max(1) as f64;
    let currency = detail.currency.clone();
    let order = tree_order(&detail.spans);
    let rows = order
        .into_iter()
        .map(|(i, depth)| {
            let view = detail.spans[i].clone();
            let span = &view.span;
            let left = ((span.start_ns - start) as f64 / total * 100.0).clamp(0.0, 100.0);
            let width = (span.duration_ns() as f64 / total * 100.0).clamp(0.3, 100.0 - left);
            let status = if span.is_error() { "error" } else { "ok" };
            let kind = span.kind.as_str();
            view! {
                <details class=format!("span {status}") data-span=span.span_id.to_hex() data-kind=kind>
                    <summary>
                        <span class="label" style=format!("padding-left: {}rem", depth as f64 * 1.1)>
                            <span class=format!("kind {kind}")>{kind}</span>
                            {span.name.clone()}
                        </span>
                        <span class="track">
                            <span class="bar" style=format!("left: {left:.2}%; width: {width:.2}%")></span>
                        </span>
                        <span class="took">{format_elapsed_ns(span.duration_ns())}</span>
                    </summary>
                    <SpanDetail view=view.clone() currency=currency.clone()/>
                </details>
            }
            .into_any()
        })
        .collect_view();
    view! { <div class="waterfall">{rows}</div> }
}

#[component]
fn SpanDetail(view: SpanView, currency: String) -> impl IntoView {
    let span = view.span;
    let mut facts: Vec<(&'static str, String)> = vec![
        ("Start", format_utc_time_ns(span.start_ns)),
        ("Duration", format_elapsed_ns(span.duration_ns())),
        ("Status", span.status.as_str().to_string()),
    ];
    let optional = [
        ("Agent", Some(span.agent.clone())),
        ("Operation", span.operation.clone()),
        ("Provider", span.provider.clone()),
        ("Model", span.model.clone()),
        ("Tool", span.tool_name.clone()),
        ("Error type", span.error_type.clone()),
        ("Error", span.status_message.clone()),
        ("Conversation", span.conversation_id.clone()),
        ("User", span.user_id.clone()),
        ("Input tokens", span.usage.input.map(|n| n.to_string())),
        ("Output tokens", span.usage.output.map(|n| n.to_string())),
        (
            "Cached input tokens",
            span.usage.cache_read.map(|n| n.to_string()),
        ),
        (
            "Reasoning tokens",
            span.usage.reasoning.map(|n| n.to_string()),
        ),
        ("Cost", view.cost_micros.map(|c| format_cost(c, &currency))),
        ("Priced by", view.cost_basis.clone()),
    ];
    facts.extend(optional.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    let facts = facts
        .into_iter()
        .map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> })
        .collect_view();
    let text = |title: &'static str, body: Option<String>| {
        body.map(|body| {
            let shown = match parse_messages(&body) {
                Some(messages) => view! { <Transcript messages/> }.into_any(),
                None => view! { <pre class="io">{body}</pre> }.into_any(),
            };
            view! {
                <h4>{title}</h4>
                {shown}
            }
        })
    };
    let attributes = (!span.attributes.is_empty()).then(|| {
        let rows = span
            .attributes
            .iter()
            .map(|(k, v)| {
                let value = v.to_string();
                view! { <tr><td><code>{k.clone()}</code></td><td class="value">{value}</td></tr> }
            })
            .collect_view();
        view! {
            <h4>"Attributes"</h4>
            <table class="grid attrs"><tbody>{rows}</tbody></table>
        }
    });
    view! {
        <div class="span-detail">
            <dl class="facts">{facts}</dl>
            {view.redacted.then(|| view! { <p class="note info">"Some text in this span was redacted."</p> })}
            {text("Input", span.input)}
            {text("Output", span.output)}
            {attributes}
        </div>
    }
}

/// A message list as the conversation it records: who said what, tool calls and results.
#[component]
fn Transcript(messages: Vec<ChatMessage>) -> impl IntoView {
    let items = messages
        .into_iter()
        .map(|m| {
            let parts = m
                .parts
                .into_iter()
                .map(|part| match part {
                    MessagePart::Text(text) => view! { <p class="msg-text">{text}</p> }.into_any(),
                    MessagePart::ToolCall { name, arguments } => view! {
                        <p class="msg-tool">"calls " <code>{name}</code></p>
                        <pre class="io">{arguments}</pre>
                    }
                    .into_any(),
                    MessagePart::ToolResult(result) => view! {
                        <pre class="io">{result}</pre>
                    }
                    .into_any(),
                    MessagePart::Other(kind) => view! {
                        <p class="muted">{format!("[{kind}]")}</p>
                    }
                    .into_any(),
                })
                .collect_view();
            let finish = m
                .finish_reason
                .map(|r| view! { <span class="muted finish">{format!("finish: {r}")}</span> });
            let role_class = format!("msg role-{}", m.role.to_ascii_lowercase());
            view! {
                <li class=role_class>
                    <span class="msg-role">{m.role}</span>
                    <div class="msg-body">{parts}{finish}</div>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="transcript">{items}</ol> }
}
