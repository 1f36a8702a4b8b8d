//! Policy changes on the Policies page: the version in force, proposing a new one (the
//! whole `policies:` file, edited in place), and the review of proposals, each with its
//! changes, the agents it affects and its approvals so far.

use crate::components::{ActionOutcome, ErrorNote, use_current_user};
use crate::server_fns::{
    DecideProposal, ProposePolicies, get_policy_document, list_policy_proposals,
};
use leptos::prelude::*;
use warden_domain::CurrentUser;
use warden_domain::policy::{PolicyProposal, ProposalState};
use warden_domain::role::{Permission, can};
use warden_domain::timefmt::format_utc_minutes;

/// Everything that changes when a proposal is made or decided reloads with these actions.
#[derive(Clone, Copy)]
pub struct ReviewActions {
    pub propose: ServerAction<ProposePolicies>,
    pub decide: ServerAction<DecideProposal>,
}

impl ReviewActions {
    pub fn new() -> Self {
        ReviewActions {
            propose: ServerAction::new(),
            decide: ServerAction::new(),
        }
    }

    /// Moves whenever a proposal is made or decided: the hierarchy and the effective
    /// policies reload on it, since an approval may have put a new version in force.
    pub fn changes(&self) -> (usize, usize) {
        (self.propose.version().get(), self.decide.version().get())
    }
}

#[component]
pub fn Proposals(actions: ReviewActions) -> impl IntoView {
    let user = use_current_user();
    let proposals = Resource::new(move || actions.changes(), |_| list_policy_proposals());
    let document = Resource::new(move || actions.changes(), |_| get_policy_document());
    view! {
        <section class="card" id="proposals">
            <h2>"Changes and approvals"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading proposals…"</p> }>
                {move || Suspend::new(async move {
                    let me = user.await.ok().flatten();
                    let document = document.await;
                    let proposals = proposals.await;
                    let (document, proposals) = match (document, proposals) {
                        (Ok(d), Ok(p)) => (d, p),
                        (Err(error), _) | (_, Err(error)) => {
                            return view! { <ErrorNote error/> }.into_any();
                        }
                    };
                    let may_propose = me
                        .as_ref()
                        .is_some_and(|u| can(&u.roles, Permission::ProposePolicies));
                    let list = if proposals.is_empty() {
                        view! { <p class="muted">"No proposals yet."</p> }.into_any()
                    } else {
                        proposals
                            .into_iter()
                            .map(|p| view! { <ProposalCard proposal=p me=me.clone() actions/> })
                            .collect_view()
                            .into_any()
                    };
                    view! {
                        <p data-policy-version=document.version>
                            "Version " <strong>{document.version}</strong> " is in force. "
                            "A change is proposed as a whole new version and takes effect once approved: "
                            "by two people other than its author where a changed level is under "
                            <code>"dual_review_for_changes"</code> ", else by one."
                        </p>
                        <ActionOutcome value=actions.decide.value() success="Decision recorded."/>
                        <div class="proposals">{list}</div>
                        {may_propose.then(|| view! {
                            <ProposeForm current=document.document actions/>
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProposeForm(current: String, actions: ReviewActions) -> impl IntoView {
    let document = RwSignal::new(current);
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        actions.propose.dispatch(ProposePolicies {
            document: document.get_untracked(),
            note: note.get_untracked(),
        });
    };
    view! {
        <details class="propose">
            <summary>"Propose a change…"</summary>
            <form class="stack" on:submit=submit>
                <label>"The policies file (as " <code>"warden policy export"</code> " writes it)"
                    <textarea name="document" rows="24" spellcheck="false" bind:value=document></textarea>
                </label>
                <label>"Why (for the approvers)"
                    <input type="text" name="note" maxlength="2000" bind:value=note/>
                </label>
                <button type="submit" class="primary" disabled=move || actions.propose.pending().get()>
                    "Propose"
                </button>
            </form>
            <ActionOutcome value=actions.propose.value() success="Proposed: it takes effect once approved."/>
        </details>
    }
}

#[component]
fn ProposalCard(
    proposal: PolicyProposal,
    me: Option<CurrentUser>,
    actions: ReviewActions,
) -> impl IntoView {
    let id = proposal.id;
    let open = proposal.state == ProposalState::Open;
    let mine = me.as_ref().is_some_and(|u| u.email == proposal.author);
    let approved_by_me = me
        .as_ref()
        .is_some_and(|u| proposal.approvals.iter().any(|a| a.approver == u.email));
    let may_review = me
        .as_ref()
        .is_some_and(|u| can(&u.roles, Permission::ApprovePolicies));
    let changes = proposal
        .changes
        .iter()
        .map(|c| view! { <li><code>{c.clone()}</code></li> })
        .collect_view();
    let affected = if proposal.affected_agents.is_empty() {
        "no registered agent".to_string()
    } else {
        proposal.affected_agents.join(", ")
    };
    let approvals = proposal
        .approvals
        .iter()
        .map(|a| {
            let note = (!a.note.is_empty()).then(|| format!(": {}", a.note));
            view! {
                <li data-approver=a.approver.clone()>
                    "approved by " <strong>{a.approver.clone()}</strong> " at "
                    {format_utc_minutes(a.at)} {note}
                </li>
            }
        })
        .collect_view();
    let decision = proposal.decided_by.clone().map(|by| {
        let note = proposal
            .decision_note
            .clone()
            .filter(|n| !n.is_empty())
            .map(|n| format!(": {n}"));
        let version = proposal
            .applied_version
            .map(|v| format!(", now version {v}"));
        view! {
            <p class="muted">
                {proposal.state.as_str()} " by " {by} {proposal.decided_at.map(format_utc_minutes).map(|t| format!(" at {t}"))}
                {version} {note}
            </p>
        }
    });
    let note = RwSignal::new(String::new());
    let decide = move |approve: bool| {
        actions.decide.dispatch(DecideProposal {
            id,
            approve,
            note: note.get_untracked(),
        });
    };
    let buttons = open.then(|| {
        let review = (may_review && !mine && !approved_by_me).then(|| {
            view! {
                <button type="button" class="primary" on:click=move |_| decide(true)
                    disabled=move || actions.decide.pending().get()>"Approve"</button>
                <button type="button" class="danger" on:click=move |_| decide(false)
                    disabled=move || actions.decide.pending().get()>"Reject"</button>
            }
        });
        let withdraw = mine.then(|| {
            view! {
                <button type="button" on:click=move |_| decide(false)
                    disabled=move || actions.decide.pending().get()>"Withdraw"</button>
            }
        });
        let why_not = if mine {
            Some("You wrote it: others approve it.")
        } else if approved_by_me {
            Some("You have approved it; it needs another approver.")
        } else if !may_review {
            Some("Reviewers, legal and admins approve changes.")
        } else {
            None
        };
        view! {
            <div class="decide">
                {(may_review || mine).then(|| view! {
                    <label>"Note " <input type="text" name="decision-note" maxlength="2000" bind:value=note/></label>
                })}
                {review}
                {withdraw}
                {why_not.map(|t| view! { <p class="muted">{t}</p> })}
            </div>
        }
    });
    let proposal_note =
        (!proposal.note.is_empty()).then(|| view! { <p>"“" {proposal.note.clone()} "”"</p> });
    view! {
        <article class=format!("proposal {}", proposal.state.as_str()) data-proposal=id data-state=proposal.state.as_str()>
            <h3>
                "Proposal " {id} " "
                <span class=format!("state {}", proposal.state.as_str())>{proposal.state.as_str()}</span>
            </h3>
            <p class="muted">
                "by " {proposal.author.clone()} " at " {format_utc_minutes(proposal.created_at)}
                ", on version " {proposal.base_version} "; "
                <span class="approval-count">
                    {proposal.approvals.len()} " of " {proposal.required_approvals} " approvals"
                </span>
            </p>
            {proposal_note}
            <ul class="changes">{changes}</ul>
            <p>"Affects: " {affected}</p>
            <ul class="approvals">{approvals}</ul>
            {decision}
            {buttons}
        </article>
    }
}
