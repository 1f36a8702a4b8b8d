//! The human review queue: interactions of agents under `mandatory_human_review` (and
//! answers the guard holds) wait here, oldest first, with their redacted input and output
//! and a due time; reviewers approve or reject each with a note.

use crate::components::{ActionOutcome, ErrorNote, Layout, options, use_current_user};
use crate::server_fns::{DecideReview, REVIEW_PAGE, list_reviews};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::Page;
use warden_domain::review::{ReviewDecision, ReviewFilter, ReviewItem, ReviewState, Verdict};
use warden_domain::role::{Permission, can};
use warden_domain::timefmt::format_utc_minutes;

const STATES: [(&str, &str); 4] = [
    ("pending", "Waiting for a decision"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("all", "All"),
];

#[derive(Debug, Clone, PartialEq)]
struct Query {
    state: String,
    agent: String,
    before: Option<i64>,
}

impl Query {
    fn read(map: &leptos_router::params::ParamsMap) -> Query {
        Query {
            state: map.get("state").unwrap_or_else(|| "pending".into()),
            agent: map.get("agent").unwrap_or_default().trim().to_string(),
            before: map.get("before").and_then(|b| b.parse().ok()),
        }
    }

    fn filter(&self) -> ReviewFilter {
        ReviewFilter {
            state: ReviewState::parse(&self.state),
            agent: (!self.agent.is_empty()).then(|| self.agent.clone()),
            before_id: self.before,
        }
    }
}

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(Query::read));
    let decide = ServerAction::<DecideReview>::new();
    let listing = Resource::new(
        move || (query.get(), decide.version().get()),
        |(q, _)| list_reviews(q.filter()),
    );
    let user = use_current_user();
    view! {
        <Layout page=Page::Reviews>
            <h1>"Review queue"</h1>
            <p class="note info">
                "Every interaction of an agent under " <code>"mandatory_human_review"</code>
                " waits here for a person, and so does every answer the guard holds for such an agent "
                "(the agent reads the decision at " <code>"GET /api/v1/reviews/ID"</code> "). An item "
                "still undecided after its due time is a violation."
            </p>
            {move || view! { <Filters q=query.get()/> }}
            <ActionOutcome value=decide.value() success="Decision recorded."/>
            <Suspense fallback=|| view! { <p class="loading">"Loading the queue…"</p> }>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    let may_decide = user
                        .await
                        .ok()
                        .flatten()
                        .is_some_and(|u| can(&u.roles, Permission::ReviewInteractions));
                    match listing.await {
                        Ok(list) => view! { <Items list q may_decide decide/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Filters(q: Query) -> impl IntoView {
    let states = options(STATES, &q.state);
    view! {
        <form class="filters card" method="get" action="/reviews">
            <label>"Show" <select name="state">{states}</select></label>
            <label>"Agent" <input type="text" name="agent" value=q.agent.clone() placeholder="hr-screening-agent"/></label>
            <button type="submit" class="primary">"Filter"</button>
            <a class="reset" href="/reviews">"Reset"</a>
        </form>
    }
}

#[component]
fn Items(
    list: Vec<ReviewItem>,
    q: Query,
    may_decide: bool,
    decide: ServerAction<DecideReview>,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <section class="card muted"><p>"Nothing here."</p></section>
        }
        .into_any();
    }
    let next = (list.len() == REVIEW_PAGE as usize)
        .then(|| list.last().map(|r| r.id))
        .flatten()
        .map(|before| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("state", &q.state);
            if !q.agent.is_empty() {
                query.append_pair("agent", &q.agent);
            }
            query.append_pair("before", &before.to_string());
            format!("/reviews?{}", query.finish())
        });
    let items = list
        .into_iter()
        .map(|item| view! { <Item item may_decide decide/> })
        .collect_view();
    view! {
        <div class="reviews">{items}</div>
        {next.map(|href| view! { <p><a href=href>"More →"</a></p> })}
    }
    .into_any()
}

#[component]
fn Item(item: ReviewItem, may_decide: bool, decide: ServerAction<DecideReview>) -> impl IntoView {
    let id = item.id;
    let note = RwSignal::new(String::new());
    let send = move |decision: Verdict| {
        decide.dispatch(DecideReview {
            id,
            decision: ReviewDecision {
                decision,
                note: note.get_untracked(),
            },
        });
    };
    let pending = item.state == ReviewState::Pending;
    let trace = item.trace_id.clone().map(|t| {
        let short: String = t.chars().take(12).collect();
        view! { " · trace " <a href=format!("/traces/{t}")><code>{short}</code></a> }
    });
    let decision = item.decided_by.clone().map(|by| {
        let note = item
            .note
            .clone()
            .filter(|n| !n.is_empty())
            .map(|n| format!(": {n}"));
        view! {
            <p class="muted">
                {item.state.as_str()} " by " {by}
                {item.decided_at.map(|t| format!(" at {}", format_utc_minutes(t)))} {note}
            </p>
        }
    });
    let buttons = (may_decide && item.state == ReviewState::Pending).then(|| {
        view! {
            <div class="decide">
                <label>"Note " <input type="text" name="review-note" maxlength="2000" bind:value=note/></label>
                <button type="button" class="primary" on:click=move |_| send(Verdict::Approve)
                    disabled=move || decide.pending().get()>"Approve"</button>
                <button type="button" class="danger" on:click=move |_| send(Verdict::Reject)
                    disabled=move || decide.pending().get()>"Reject"</button>
            </div>
        }
    });
    view! {
        <article class=format!("review card {}", item.state.as_str()) data-review=id data-state=item.state.as_str()>
            <h3>
                {item.agent.clone()} " "
                <span class=format!("state {}", item.state.as_str())>{item.state.as_str()}</span>
            </h3>
            <p class="muted">
                "#" {id} " · " {item.source.as_str()} " · queued " {format_utc_minutes(item.created_at)}
                {pending.then(|| format!(" · due {}", format_utc_minutes(item.due_at)))}
                {trace}
            </p>
            {item.input.clone().map(|input| view! { <p><strong>"Input"</strong></p><pre class="text">{input}</pre> })}
            <p><strong>"Output"</strong></p>
            <pre class="text">{item.output.clone()}</pre>
            {decision}
            {buttons}
        </article>
    }
}
