//! Cost Center (finance, CTOs; every hour): daily spend, spend today and this month, each
//! agent's share of the range's spend, and the monthly budgets with their forecast, which
//! finance and admins set here.

use super::{ChartCard, RangePicker, Tile, use_refresh, use_view};
use crate::components::{ActionOutcome, ErrorNote, Layout};
use crate::server_fns::{DeleteBudget, SetBudget, get_cost_dashboard};
use leptos::prelude::*;
use std::time::Duration;
use warden_domain::Page;
use warden_domain::metrics::budget::{BudgetChange, BudgetScope, BudgetStatus, HardCap};
use warden_domain::metrics::dashboard::{CostDashboard, ModelRow};
use warden_domain::metrics::hierarchy::definition;
use warden_domain::metrics::recommend::Recommendation;
use warden_domain::telemetry::pricing::format_money;

#[component]
pub fn CostCenterPage() -> impl IntoView {
    let view = use_view();
    let tick = use_refresh(Duration::from_secs(3600));
    let set = ServerAction::<SetBudget>::new();
    let delete = ServerAction::<DeleteBudget>::new();
    let data = Resource::new(
        move || {
            (
                view.get(),
                tick.get(),
                set.version().get(),
                delete.version().get(),
            )
        },
        |(v, ..)| get_cost_dashboard(v.range, v.from, v.to, v.agent),
    );
    view! {
        <Layout page=Page::CostCenter>
            <h1>"Cost center"</h1>
            <Transition fallback=|| view! { <p class="loading">"Adding up the spend…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Body d view=view.get_untracked() set delete/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </Layout>
    }
}

#[component]
fn Body(
    d: CostDashboard,
    view: super::View,
    set: ServerAction<SetBudget>,
    delete: ServerAction<DeleteBudget>,
) -> impl IntoView {
    let currency = d.currency.clone();
    let total = d.total_cost;
    let rows = d
        .agents
        .iter()
        .map(|a| {
            let share = if total > 0.0 { a.cost / total } else { 0.0 };
            let per = if a.interactions > 0 { Some(a.cost / a.interactions as f64) } else { None };
            view! {
                <tr data-agent=a.agent.clone()>
                    <td>{a.agent.clone()}</td>
                    <td class="num">{format_money(a.cost, &currency)}</td>
                    <td class="share">
                        <span class="bar" style=format!("width: {:.1}%", share * 100.0)></span>
                        <span class="share-text">{format!("{:.1}%", share * 100.0)}</span>
                    </td>
                    <td class="num">{a.interactions}</td>
                    <td class="num">{per.map_or_else(|| "no data".to_string(), |p| format_money(p, &currency))}</td>
                    <td class="num">{format!("{} / {}", a.input_tokens, a.output_tokens)}</td>
                </tr>
            }
        })
        .collect_view();
    let charts = d
        .charts
        .into_iter()
        .map(|chart| view! { <ChartCard chart/> })
        .collect_view();
    view! {
        <RangePicker action="/dashboards/cost" view=view agents=d.agent_names.clone() refresh="hour"/>
        <section class="tiles">
            <Tile label="spend in range" metric="total cost per day" value=format_money(d.total_cost, &d.currency)/>
            <Tile label="spend today" metric="total cost per day" value=format_money(d.cost_today, &d.currency)/>
            <Tile label="month to date" metric="total cost per day" value=format_money(d.month_to_date, &d.currency)/>
        </section>
        <section class="charts">{charts}</section>
        <section class="card">
            <h2>"Spend by agent"</h2>
            <div class="table-scroll">
                <table class="data spend">
                    <thead><tr>
                        <th>"Agent"</th><th>"Spend"</th><th>"Share"</th><th>"Interactions"</th>
                        <th>"Per interaction"</th><th>"Tokens in / out"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <Models models=d.models currency=d.currency.clone()/>
        <Recommendations list=d.recommendations currency=d.currency.clone()/>
        <Budgets budgets=d.budgets currency=d.currency.clone() may_edit=d.may_edit_budgets
            agents=d.agent_names set delete/>
    }
}

/// Spend by model over the range, with who called each model.
#[component]
fn Models(models: Vec<ModelRow>, currency: String) -> impl IntoView {
    let total: f64 = models.iter().map(|m| m.cost).sum();
    if models.is_empty() {
        return view! {
            <section class="card"><h2>"Spend by model"</h2><p class="muted">"No model call in the range."</p></section>
        }
        .into_any();
    }
    let rows = models
        .into_iter()
        .map(|m| {
            let share = if total > 0.0 { m.cost / total } else { 0.0 };
            let failed = if m.calls > 0 {
                m.failed_calls as f64 / m.calls as f64
            } else {
                0.0
            };
            view! {
                <tr data-model=m.model.clone()>
                    <td>{m.model.clone()}</td>
                    <td class="num">{format_money(m.cost, &currency)}</td>
                    <td class="share">
                        <span class="bar" style=format!("width: {:.1}%", share * 100.0)></span>
                        <span class="share-text">{format!("{:.1}%", share * 100.0)}</span>
                    </td>
                    <td class="num">{m.calls}</td>
                    <td class="num">{format!("{:.1}%", failed * 100.0)}</td>
                    <td class="num">{format!("{} / {}", m.input_tokens, m.output_tokens)}</td>
                    <td class="num">{m.cache_read_tokens}</td>
                    <td>{m.agents.join(", ")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>"Spend by model"</h2>
            <div class="table-scroll">
                <table class="data models">
                    <thead><tr>
                        <th>"Model"</th><th>"Spend"</th><th>"Share"</th><th>"Calls"</th><th>"Failed"</th>
                        <th>"Tokens in / out"</th><th>"Cache reads"</th><th>"Agents"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// Cost recommendations with their evidence and estimated saving.
#[component]
fn Recommendations(list: Vec<Recommendation>, currency: String) -> impl IntoView {
    let body = if list.is_empty() {
        view! { <p class="muted">"Nothing to recommend from the last 7 days of model calls."</p> }
            .into_any()
    } else {
        let items = list
            .into_iter()
            .map(|r| {
                let saving = r.monthly_saving.map(|s| {
                    view! { <span class="saving">{format!("saves about {} a month", format_money(s, &currency))}</span> }
                });
                view! {
                    <li data-kind=r.kind.clone()>
                        <strong>{r.title}</strong>" "{saving}
                        <br/><span class="muted">{r.evidence}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="recommendations">{items}</ul> }.into_any()
    };
    view! {
        <section class="card">
            <h2>"Recommendations"</h2>
            {body}
            <p class="muted">"From the last 7 days of model calls; savings are estimates from the price table, scaled to 30 days."</p>
        </section>
    }
}

/// The monthly budgets: spent, forecast with its 80% interval and state; the form to set
/// one for those who may.
#[component]
fn Budgets(
    budgets: Vec<BudgetStatus>,
    currency: String,
    may_edit: bool,
    agents: Vec<String>,
    set: ServerAction<SetBudget>,
    delete: ServerAction<DeleteBudget>,
) -> impl IntoView {
    let money = {
        let currency = currency.clone();
        move |v: f64| format_money(v, &currency)
    };
    let empty = budgets.is_empty();
    let rows = budgets
        .into_iter()
        .map(|s| {
            let f = s.forecast;
            let interval = match (f.low, f.high) {
                (Some(low), Some(high)) => format!("{} – {}", money(low), money(high)),
                _ => format!("no interval yet ({} day(s) of history)", f.history_days),
            };
            let used = s.spent / s.budget.monthly;
            let scope = s.budget.scope.clone();
            let remove = may_edit.then(|| {
                view! {
                    <button type="button" class="link danger" disabled=move || delete.pending().get()
                        on:click=move |_| { delete.dispatch(DeleteBudget { scope: scope.clone() }); }>
                        "Remove"
                    </button>
                }
            });
            view! {
                <tr data-budget=s.budget.scope.key() data-state=s.state.as_str()>
                    <td>{s.budget.scope.label()}</td>
                    <td class="num">{money(s.budget.monthly)}</td>
                    <td class="num">{money(s.spent)}" "<span class="muted">{format!("({:.0}%)", used * 100.0)}</span></td>
                    <td class="num">{money(f.expected)}</td>
                    <td class="num">{interval}</td>
                    <td><span class=format!("budget-state {}", s.state.as_str())>{s.state.label()}</span></td>
                    <td>{s.budget.hard_cap.describe()}</td>
                    <td class="muted">{s.budget.updated_by.clone()}</td>
                    <td>{remove}</td>
                </tr>
            }
        })
        .collect_view();
    let form = may_edit.then(|| view! { <BudgetForm agents currency set/> });
    view! {
        <section class="card budgets">
            <h2 title=definition("budget forecast")>"Budgets this month"</h2>
            {if empty {
                view! { <p class="muted">"No budget is set. Finance and admins set them here or under budgets: in the config file."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="data">
                            <thead><tr>
                                <th>"Budget of"</th><th>"Monthly"</th><th>"Spent"</th>
                                <th title=definition("budget forecast")>"Month-end forecast"</th>
                                <th>"80% interval"</th><th>"Status"</th><th>"Hard cap"</th><th>"Set by"</th><th></th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="muted">{definition("budget forecast")}</p>
            <ActionOutcome value=delete.value() success="Budget removed."/>
            {form}
        </section>
    }
}

#[component]
fn BudgetForm(
    agents: Vec<String>,
    currency: String,
    set: ServerAction<SetBudget>,
) -> impl IntoView {
    let scope = RwSignal::new("fleet".to_string());
    let monthly = RwSignal::new(String::new());
    let cap = RwSignal::new("none".to_string());
    let rate = RwSignal::new("10".to_string());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(amount) = monthly.get_untracked().trim().parse::<f64>() else {
            error.set(Some("the monthly budget is a number".into()));
            return;
        };
        let per_min = rate.get_untracked().trim().parse::<u32>().ok();
        let hard_cap = match HardCap::parse(Some(&cap.get_untracked()), per_min) {
            Ok(c) => c,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        let key = scope.get_untracked();
        let Some(scope) = BudgetScope::from_key(&key) else {
            return;
        };
        error.set(None);
        set.dispatch(SetBudget {
            change: BudgetChange {
                scope,
                monthly: amount,
                hard_cap,
            },
        });
    };
    let scopes = std::iter::once(("fleet".to_string(), "the whole fleet".to_string()))
        .chain(agents.into_iter().map(|a| (format!("agent:{a}"), a)))
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view();
    view! {
        <details class="budget-form">
            <summary>"Set a budget…"</summary>
            <form class="stack" on:submit=submit>
                <label>"Budget of"
                    <select name="scope" bind:value=scope>{scopes}</select>
                </label>
                <label>{format!("Monthly amount ({currency})")}
                    <input type="number" name="monthly" min="0" step="any" required bind:value=monthly/>
                </label>
                <label>"Hard cap, once the month's spend passes the budget"
                    <select name="hard_cap" bind:value=cap>
                        <option value="none">"none: show it as over budget"</option>
                        <option value="rate_limit">"rate-limit the agents"</option>
                        <option value="pause">"pause the agents"</option>
                    </select>
                </label>
                <label>"Rate limit (requests per minute, for a rate-limit cap)"
                    <input type="number" name="rate_limit_per_min" min="1" bind:value=rate/>
                </label>
                <button type="submit" disabled=move || set.pending().get()>"Save budget"</button>
                {move || error.get().map(|e| view! { <p class="note error" role="alert">{e}</p> })}
                <ActionOutcome value=set.value() success="Budget saved; the audit trail records the change."/>
            </form>
        </details>
    }
}
