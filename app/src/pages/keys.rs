//! Ingest keys: what agents authenticate with. A key writes the spans of one agent or of
//! any agent in one environment; its secret is shown once, with the settings an
//! OpenTelemetry SDK needs.

use crate::components::{ActionOutcome, ErrorNote, Layout};
use crate::server_fns::{CreateIngestKey, RevokeIngestKey, list_agents, list_ingest_keys};
use leptos::prelude::*;
use warden_domain::Page;
use warden_domain::telemetry::{IngestKeyInfo, KeyScope};
use warden_domain::timefmt::format_utc_minutes;

#[component]
pub fn IngestKeysPage() -> impl IntoView {
    view! {
        <Layout page=Page::IngestKeys>
            <h1>"Ingest keys"</h1>
            <Keys/>
        </Layout>
    }
}

#[component]
fn Keys() -> impl IntoView {
    let create = ServerAction::<CreateIngestKey>::new();
    let revoke = ServerAction::<RevokeIngestKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_ingest_keys(),
    );
    let agents = Resource::new(|| (), |_| list_agents());
    view! {
        <section class="card">
            <h2>"New key"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let names: Vec<String> = agents.await.map(|l| l.into_iter().map(|a| a.name).collect()).unwrap_or_default();
                    view! { <NewKeyForm names create/> }
                })}
            </Suspense>
            <CreatedKey create/>
        </section>
        <section class="card">
            <h2>"Keys"</h2>
            <ActionOutcome value=revoke.value() success="Key revoked: requests with it are refused from now on."/>
            <Suspense fallback=|| view! { <p class="loading">"Loading keys…"</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(list) => view! { <KeyTable list revoke/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewKeyForm(names: Vec<String>, create: ServerAction<CreateIngestKey>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("agent".to_string());
    let agent = RwSignal::new(names.first().cloned().unwrap_or_default());
    let environment = RwSignal::new("production".to_string());
    let options = names
        .into_iter()
        .map(|n| view! { <option value=n.clone()>{n.clone()}</option> })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scope = if kind.get_untracked() == "environment" {
            KeyScope::Environment(environment.get_untracked())
        } else {
            KeyScope::Agent(agent.get_untracked())
        };
        create.dispatch(CreateIngestKey {
            name: name.get_untracked(),
            scope,
        });
        name.set(String::new());
    };
    view! {
        <form class="stack" on:submit=submit>
            <label for="key-name">"Name (what uses it)"</label>
            <input id="key-name" type="text" required maxlength="100" bind:value=name placeholder="support-agent prod"/>
            <label for="key-kind">"Writes spans of"</label>
            <select id="key-kind" bind:value=kind>
                <option value="agent">"one agent"</option>
                <option value="environment">"any agent of an environment"</option>
            </select>
            <Show when=move || kind.get() == "agent" fallback=move || view! {
                <label for="key-env">"Environment"</label>
                <input id="key-env" type="text" required bind:value=environment/>
            }>
                <label for="key-agent">"Agent (or type a name not registered yet)"</label>
                <input id="key-agent" type="text" list="agent-names" required bind:value=agent/>
            </Show>
            <datalist id="agent-names">{options.clone()}</datalist>
            <button type="submit" class="primary" disabled=move || create.pending().get()>"Create key"</button>
        </form>
    }
}

#[component]
fn CreatedKey(create: ServerAction<CreateIngestKey>) -> impl IntoView {
    move || match create.value().get() {
        Some(Ok(key)) => {
            let endpoint = key.endpoint.trim_end_matches('/').to_string();
            view! {
                <div class="note secret" role="status">
                    <p>"Key " <strong>{key.info.name.clone()}</strong> " for " {key.info.scope.describe()}
                       ". Copy it now: it is not shown again."</p>
                    <code class="secret-value">{key.secret.clone()}</code>
                    <p>"For an OpenTelemetry SDK (OTLP/HTTP):"</p>
                    <pre class="io">{format!(
                        "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\nOTEL_EXPORTER_OTLP_ENDPOINT={endpoint}\nOTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20{}",
                        key.secret
                    )}</pre>
                </div>
            }
            .into_any()
        }
        Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
        None => ().into_any(),
    }
}

#[component]
fn KeyTable(list: Vec<IngestKeyInfo>, revoke: ServerAction<RevokeIngestKey>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No keys yet."</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|key| {
            let id = key.id;
            let live = key.revoked_at.is_none();
            view! {
                <tr class:disabled=!live data-key=key.prefix.clone()>
                    <td>{key.name.clone()}</td>
                    <td><code>{format!("{}…", key.prefix)}</code></td>
                    <td>{key.scope.describe()}</td>
                    <td>{key.created_by.clone().unwrap_or_else(|| "CLI".into())}</td>
                    <td class="nowrap">{format_utc_minutes(key.created_at)}</td>
                    <td class="nowrap">{key.last_used_at.map(format_utc_minutes).unwrap_or_else(|| "never".into())}</td>
                    <td>
                        {if live {
                            view! {
                                <button type="button" class="small" on:click=move |_| {
                                    revoke.dispatch(RevokeIngestKey { key_id: id });
                                }>"Revoke"</button>
                            }.into_any()
                        } else {
                            view! { <span class="muted">"revoked"</span> }.into_any()
                        }}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <table class="grid keys">
            <thead><tr>
                <th>"Name"</th><th>"Key"</th><th>"Writes"</th><th>"Made by"</th><th>"Created"</th><th>"Last used"</th><th></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
