//! The agent registry: every agent that is registered or has sent spans, with its
//! sampling and PII settings. Admins register and edit agents here, except those the config
//! file names: the file stays their source of truth.

use super::kill_switch::KillSwitch;
use crate::components::{ActionOutcome, ErrorNote, Layout, use_current_user};
use crate::server_fns::{
    DeleteAgent, SaveAgent, SetAgentControl, list_agent_controls, list_agents,
};
use leptos::prelude::*;
use warden_domain::control::AgentControl;
use warden_domain::role::{Permission, can};
use warden_domain::telemetry::{AgentInfo, AgentSource, PiiScanMode};
use warden_domain::timefmt::format_utc_minutes;
use warden_domain::{CurrentUser, Page, Role};

#[component]
pub fn AgentsPage() -> impl IntoView {
    view! {
        <Layout page=Page::Agents>
            <h1>"Agents"</h1>
            <Agents/>
        </Layout>
    }
}

/// The form's fields, as text while being edited.
#[derive(Clone, Copy)]
struct Form {
    name: RwSignal<String>,
    owner: RwSignal<String>,
    category: RwSignal<String>,
    environment: RwSignal<String>,
    sdk: RwSignal<String>,
    sample_rate: RwSignal<String>,
    pii_scan: RwSignal<String>,
    description: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        Form {
            name: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            environment: RwSignal::new(String::new()),
            sdk: RwSignal::new(String::new()),
            sample_rate: RwSignal::new("1.0".into()),
            pii_scan: RwSignal::new("real-time".into()),
            description: RwSignal::new(String::new()),
        }
    }

    fn load(&self, agent: &AgentInfo) {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        self.name.set(agent.name.clone());
        self.owner.set(text(&agent.owner));
        self.category.set(text(&agent.category));
        self.environment.set(text(&agent.environment));
        self.sdk.set(text(&agent.sdk));
        self.sample_rate.set(agent.sample_rate.to_string());
        self.pii_scan.set(agent.pii_scan.as_str().into());
        self.description.set(text(&agent.description));
    }

    fn to_agent(self) -> Result<AgentInfo, String> {
        let opt = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_string();
            (!v.is_empty()).then_some(v)
        };
        let rate_text = self.sample_rate.get_untracked();
        let sample_rate: f64 = rate_text
            .trim()
            .parse()
            .map_err(|_| format!("sample rate {rate_text:?} is not a number between 0 and 1"))?;
        Ok(AgentInfo {
            name: self.name.get_untracked().trim().to_string(),
            source: AgentSource::Ui,
            sdk: opt(self.sdk),
            owner: opt(self.owner),
            category: opt(self.category),
            environment: opt(self.environment),
            policy: opt(self.category),
            description: opt(self.description),
            sample_rate,
            pii_scan: PiiScanMode::parse(&self.pii_scan.get_untracked())
                .unwrap_or(PiiScanMode::RealTime),
            created_at: 0,
            last_seen_at: None,
        })
    }
}

#[component]
fn Agents() -> impl IntoView {
    let save = ServerAction::<SaveAgent>::new();
    let delete = ServerAction::<DeleteAgent>::new();
    let switch = ServerAction::<SetAgentControl>::new();
    let agents = Resource::new(
        move || (save.version().get(), delete.version().get()),
        |_| list_agents(),
    );
    let controls = Resource::new(move || switch.version().get(), |_| list_agent_controls());
    let user = use_current_user();
    let form = Form::new();
    view! {
        <p class="note info">
            "Agents listed under " <code>"ingestion.agents"</code> " in the config file are managed there "
            "(marked " <span class="source config">"config"</span> "); change the file and restart. "
            "Spans from agents nobody registered are kept and marked "
            <span class="source unregistered">"unregistered"</span> "."
        </p>
        <Suspense fallback=|| view! { <p class="loading">"Loading agents…"</p> }>
            {move || Suspend::new(async move {
                let me = user.await.ok().flatten();
                let admin = me.as_ref().is_some_and(|u| can(&u.roles, Permission::ManageAgents));
                let controls = controls.await.unwrap_or_default();
                match agents.await {
                    Ok(list) => view! {
                        <section class="card">
                            <ActionOutcome value=delete.value() success="Agent removed."/>
                            <ActionOutcome value=switch.value() success="Control state changed."/>
                            <AgentTable list admin form delete controls me switch/>
                        </section>
                        {admin.then(|| view! { <AgentForm form save/> })}
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AgentTable(
    list: Vec<AgentInfo>,
    admin: bool,
    form: Form,
    delete: ServerAction<DeleteAgent>,
    controls: Vec<AgentControl>,
    me: Option<CurrentUser>,
    switch: ServerAction<SetAgentControl>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No agents yet."</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|agent| {
            let editable = admin && agent.source != AgentSource::Config;
            let source = agent.source.as_str();
            let edit_agent = agent.clone();
            let name = agent.name.clone();
            let traces = format!("/traces?agent={}", agent.name);
            let control = controls
                .iter()
                .find(|c| c.agent == agent.name)
                .cloned()
                .unwrap_or_else(|| AgentControl::running(&agent.name));
            let can_switch = me.as_ref().is_some_and(|u| may_switch(u, &agent));
            view! {
                <tr data-agent=agent.name.clone()>
                    <td><a href=traces>{agent.name.clone()}</a> " " <span class=format!("source {source}")>{source}</span>
                        {agent.description.clone().map(|d| view! { <div class="muted small">{d}</div> })}
                    </td>
                    <td>{agent.owner.clone().unwrap_or_default()}</td>
                    <td>{agent.category.clone().unwrap_or_default()}</td>
                    <td>{agent.environment.clone().unwrap_or_default()}</td>
                    <td class="num">{format!("{:.0}%", agent.sample_rate * 100.0)}</td>
                    <td>{agent.pii_scan.as_str()}</td>
                    <td class="nowrap">{agent.last_seen_at.map(format_utc_minutes).unwrap_or_else(|| "never".into())}</td>
                    <td class="control-cell"><KillSwitch control can_switch action=switch/></td>
                    <td class="nowrap">
                        {editable.then(|| view! {
                            <button type="button" class="small" on:click=move |_| form.load(&edit_agent)>
                                {if edit_agent.source == AgentSource::Unregistered { "Register" } else { "Edit" }}
                            </button>
                            <button type="button" class="small" on:click=move |_| {
                                delete.dispatch(DeleteAgent { name: name.clone() });
                            }>"Remove"</button>
                        })}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <table class="grid agents">
            <thead><tr>
                <th>"Agent"</th><th>"Owner"</th><th>"Category"</th><th>"Environment"</th>
                <th>"Sampled"</th><th>"PII scan"</th><th>"Last seen"</th><th>"State"</th><th></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Mirrors the service's rule, to offer the switch only to those it will accept.
fn may_switch(user: &CurrentUser, agent: &AgentInfo) -> bool {
    user.roles
        .iter()
        .any(|r| matches!(r, Role::Admin | Role::EngineeringLead))
        || (user.roles.contains(&Role::AgentOwner) && agent.is_owned_by(&user.email))
}

#[component]
fn AgentForm(form: Form, save: ServerAction<SaveAgent>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.to_agent() {
            Ok(agent) => {
                problem.set(None);
                save.dispatch(SaveAgent { agent });
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    view! {
        <section class="card">
            <h2>"Register or edit an agent"</h2>
            <form class="stack" on:submit=submit>
                <label for="agent-name">"Name"</label>
                <input id="agent-name" type="text" required maxlength="128" bind:value=form.name placeholder="billing-agent"/>
                <label for="agent-owner">"Owner (e-mail of the agent owner)"</label>
                <input id="agent-owner" type="text" bind:value=form.owner/>
                <label for="agent-category">"Category (policy level)"</label>
                <input id="agent-category" type="text" bind:value=form.category placeholder="customer_facing"/>
                <label for="agent-env">"Environment"</label>
                <input id="agent-env" type="text" bind:value=form.environment placeholder="production"/>
                <label for="agent-sdk">"SDK"</label>
                <input id="agent-sdk" type="text" bind:value=form.sdk placeholder="python"/>
                <label for="agent-rate">"Sample rate (0 to 1)"</label>
                <input id="agent-rate" type="text" inputmode="decimal" bind:value=form.sample_rate/>
                <label for="agent-pii">"PII scan"</label>
                <select id="agent-pii" bind:value=form.pii_scan>
                    <option value="real-time">"real-time (before storage)"</option>
                    <option value="batch">"batch (scheduled, redacts in place)"</option>
                </select>
                <label for="agent-description">"Description"</label>
                <input id="agent-description" type="text" bind:value=form.description/>
                <button type="submit" class="primary" disabled=move || save.pending().get()>"Save agent"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="note error" role="alert">{p}</p> })}
            <ActionOutcome value=save.value() success="Agent saved."/>
        </section>
    }
}
