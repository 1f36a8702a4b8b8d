//! The policy hierarchy (global, categories, agent policies) with the rules each level sets,
//! and one agent's effective policy: every rule in force, its value, and the level it comes
//! from. The agent is chosen in the URL (`?agent=NAME`), so the page works without script.

use super::proposals::{Proposals, ReviewActions};
use crate::components::{ErrorNote, Layout, options};
use crate::server_fns::{get_agent_policy, get_policy_overview, list_policy_agents};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use warden_domain::Page;
use warden_domain::policy::{AgentPolicy, LevelView, PolicyOverview};

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let actions = ReviewActions::new();
    view! {
        <Layout page=Page::Policies>
            <h1>"Policies"</h1>
            <p class="note info">
                "The config file's " <code>"policies:"</code> " block is version 1; later versions come "
                "from approved proposals (below). "
                "Each level inherits its parent's rules (every level inherits " <code>"global"</code>
                "); an agent is held to the level its " <code>"policy:"</code> " names, else a level named like "
                "the agent, else its category, else " <code>"global"</code> "."
            </p>
            <Hierarchy actions/>
            <Effective actions/>
            <Proposals actions/>
        </Layout>
    }
}

#[component]
fn Hierarchy(actions: ReviewActions) -> impl IntoView {
    let overview = Resource::new(move || actions.changes(), |_| get_policy_overview());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading policies…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Tree overview/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tree(overview: PolicyOverview) -> impl IntoView {
    if overview.levels.is_empty() {
        return view! {
            <section class="card muted">
                <p>"No policies are configured: no rule is enforced. Add a " <code>"policies:"</code>
                   " block to the config file (see " <code>"warden config example"</code> ")."</p>
            </section>
        }
        .into_any();
    }
    let levels = overview.levels.into_iter().map(level_card).collect_view();
    view! {
        <section class="card">
            <h2>"Hierarchy"</h2>
            <ul class="policy-tree">{levels}</ul>
        </section>
    }
    .into_any()
}

fn level_card(level: LevelView) -> impl IntoView {
    let indent = format!("margin-left: {}rem", level.depth * 2);
    let parent = level
        .parent
        .clone()
        .map(|p| view! { <span class="muted">" inherits " <code>{p}</code></span> });
    let rules = level
        .rules
        .iter()
        .map(|(rule, value)| {
            let text = match value {
                warden_domain::policy::RuleValue::Flag(true) => rule.to_string(),
                other => format!("{rule}: {other}"),
            };
            view! { <li><code>{text}</code></li> }
        })
        .collect_view();
    let warnings = level
        .warnings
        .iter()
        .map(|w| view! { <p class="note warning">{w.clone()}</p> })
        .collect_view();
    view! {
        <li class="policy-level" style=indent data-level=level.name.clone()>
            <strong>{level.name.clone()}</strong>
            {parent}
            <ul class="rules">{rules}</ul>
            {warnings}
        </li>
    }
}

#[component]
fn Effective(actions: ReviewActions) -> impl IntoView {
    let params = use_query_map();
    let chosen = Memo::new(move |_| params.with(|p| p.get("agent").unwrap_or_default()));
    let agents = Resource::new(|| (), |_| list_policy_agents());
    let policy = Resource::new(
        move || (chosen.get(), actions.changes()),
        |(agent, _)| async move {
            if agent.is_empty() {
                Ok(None)
            } else {
                get_agent_policy(agent).await.map(Some)
            }
        },
    );
    view! {
        <section class="card">
            <h2>"Effective policy of an agent"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading agents…"</p> }>
                {move || Suspend::new(async move {
                    let chosen = chosen.get_untracked();
                    let names: Vec<String> = agents.await.unwrap_or_default();
                    let options = options(names.iter().map(|n| (n, n)), &chosen);
                    view! {
                        <form class="filters" method="get" action="/policies">
                            <label>"Agent"
                                <select name="agent">
                                    <option value="">"Choose an agent"</option>
                                    {options}
                                </select>
                            </label>
                            <button type="submit" class="primary">"Show"</button>
                        </form>
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match policy.await {
                        Ok(Some(policy)) => view! { <RuleTable policy/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RuleTable(policy: AgentPolicy) -> impl IntoView {
    let chain = if policy.effective.chain.is_empty() {
        "no policies are configured".to_string()
    } else {
        policy.effective.chain.join(" → ")
    };
    let rows = policy
        .effective
        .rules
        .iter()
        .map(|r| {
            let replaced = r
                .overrides
                .iter()
                .map(|(level, value)| format!("{value} in {level}"))
                .collect::<Vec<_>>()
                .join(", ");
            let class = if r.loosened { "loosened" } else { "" };
            view! {
                <tr class=class data-rule=r.rule.as_str()>
                    <td><code>{r.rule.as_str()}</code><br/><small class="muted">{r.rule.summary()}</small></td>
                    <td>{r.value.to_string()}</td>
                    <td><span class=format!("severity {}", r.severity.as_str())>{r.severity.as_str()}</span></td>
                    <td class="from">{r.from.clone()}</td>
                    <td>{(!replaced.is_empty()).then(|| format!("replaces {replaced}"))}
                        {r.loosened.then(|| view! { <strong class="warning">" loosened"</strong> })}</td>
                </tr>
            }
        })
        .collect_view();
    let warnings = policy
        .effective
        .warnings
        .iter()
        .map(|w| view! { <p class="note warning">{w.clone()}</p> })
        .collect_view();
    view! {
        <p>
            <strong>{policy.agent.clone()}</strong> " is held to " <code>{policy.level.clone()}</code>
            " (by " {policy.binding.describe()} "): " {chain}
        </p>
        {warnings}
        <table class="data effective-policy">
            <thead><tr><th>"Rule"</th><th>"Value"</th><th>"Severity"</th><th>"From"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
