//! Starting Warden: open and migrate the database, make the first admin, build the router,
//! serve until SIGINT or SIGTERM.

use crate::config::Config;
use crate::jobs;
use crate::router::router;
use crate::state::AppState;
use anyhow::Context;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use warden_db::{ConnectOptions, Store};
use warden_domain::telemetry::pricing::PriceTable;
use warden_domain::throttle::ThrottlePolicy;
use warden_services::ingest::{IngestSettings, Pipeline};
use warden_services::policy::versions::PolicyStart;
use warden_services::{Clock, ServiceSettings, Services, SystemClock};

/// Opens the configured database and brings its schema up to date.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let options = ConnectOptions {
        max_connections: config.server.database_max_connections,
        ..ConnectOptions::default()
    };
    // The URL may carry a password: name the engine, never the URL.
    let store = Store::connect(&config.database_url(), &options)
        .await
        .context("opening the database")?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

/// The services' settings as the config file sets them.
pub fn service_settings(config: &Config) -> ServiceSettings {
    let t = &config.auth.login_throttle;
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let max_delay_ms = u64::try_from(t.max_delay.as_millis()).unwrap_or(u64::MAX);
    let policy = |base: ThrottlePolicy, slow_after, lock_after| ThrottlePolicy {
        window_ms: ms(t.window),
        slow_after,
        base_delay_ms: base.base_delay_ms.min(max_delay_ms),
        max_delay_ms,
        lock_after,
        lock_ms: ms(t.lockout),
    };
    ServiceSettings {
        account_throttle: policy(
            ThrottlePolicy::ACCOUNT,
            t.account_slow_after,
            t.account_lock_after,
        ),
        client_throttle: policy(
            ThrottlePolicy::CLIENT,
            t.client_slow_after,
            t.client_lock_after,
        ),
        currency: config.pricing.currency.clone(),
        public_url: config.public_url(),
        // `config::parse` has refused a file whose policies do not build.
        policies: config.policy_set().unwrap_or_default(),
        review_sla_ms: ms(config.governance.review_sla),
        compliance: config.governance.compliance,
        active_window_ms: ms(config.analytics.active_window),
        anomaly: warden_domain::metrics::anomaly::Settings {
            min_volume: i64::from(config.analytics.anomaly_min_volume),
            ..Default::default()
        },
        // `config::parse` has refused a file whose prices do not build.
        // `config::parse` has refused a file whose ladder does not build.
        incidents: warden_services::incidents::IncidentSettings {
            ladder: config.incidents.ladder().unwrap_or_default(),
            ack_sla_ms: ms(config.incidents.sla.acknowledge),
            resolve_sla_ms: ms(config.incidents.sla.resolve),
            paging_rules: config.incidents.paging_rules().unwrap_or_default(),
            runbooks: if config.demo.enabled {
                config.incidents.demo_runbooks()
            } else {
                config.incidents.runbooks()
            }
            .unwrap_or_default(),
            postmortem_from: config.incidents.postmortem_from,
            rotation: config.incidents.rotation().unwrap_or_default(),
            cascade: config.incidents.cascade().unwrap_or_default(),
        },
        prices: Arc::new(config.price_table().unwrap_or_else(|_| {
            PriceTable::new(
                &config.pricing.currency,
                config.pricing.usd_rate,
                Vec::new(),
            )
        })),
    }
}

/// The pipeline's settings as the config file sets them.
pub fn ingest_settings(config: &Config, store: &Store) -> anyhow::Result<IngestSettings> {
    let prices = config.price_table().map_err(anyhow::Error::msg)?;
    let scanner = config.pii_scanner().map_err(anyhow::Error::msg)?;
    let mut settings = IngestSettings::new(prices, scanner);
    settings.queue_spans = config.ingestion.buffer_size.max(1);
    settings.tag_attributes = config.ingestion.tag_attributes.clone();
    let phrases: Vec<String> = config
        .governance
        .ai_disclosure
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    if !phrases.is_empty() {
        settings.ai_disclosures = Arc::new(phrases);
    }
    // SQLite has one writer at a time; PostgreSQL gains from commits in flight together.
    settings.writers = if store.is_postgres() { 4 } else { 1 };
    Ok(settings)
}

/// Leptos's settings: from cargo-leptos when it built or runs us, else the defaults of this
/// workspace's `[[workspace.metadata.leptos]]` (for tests and a plain `cargo build`).
pub fn leptos_options(listen: SocketAddr) -> anyhow::Result<LeptosOptions> {
    let built_by_cargo_leptos = option_env!("LEPTOS_OUTPUT_NAME").is_some()
        || std::env::var_os("LEPTOS_OUTPUT_NAME").is_some();
    let mut options = if built_by_cargo_leptos {
        leptos::config::get_configuration(None)
            .context("reading the Leptos settings")?
            .leptos_options
    } else {
        let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
        LeptosOptions::builder()
            .output_name("warden")
            .site_root(site_root)
            .build()
    };
    options.site_addr = listen;
    // Run as a plain binary (tests, a service unit), nothing sets LEPTOS_HASH_FILES: the
    // hash file beside it says the build named its files after their content.
    if !options.hash_files
        && let Ok(exe) = std::env::current_exe()
    {
        options.hash_files = crate::static_files::hashed_build(&exe, &options.hash_file);
    }
    Ok(options)
}

/// A running server, for `warden serve` and for tests.
pub struct Running {
    pub addr: SocketAddr,
    pub services: Services,
    pub pipeline: Pipeline,
    /// The background jobs, already running; tests may also run them at a time of theirs.
    pub jobs: jobs::Runtime,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// Prepares everything and starts serving on `listener` in a background task.
pub async fn start(
    config: Config,
    clock: Arc<dyn Clock>,
    listener: TcpListener,
) -> anyhow::Result<Running> {
    let addr = listener
        .local_addr()
        .context("reading the listening address")?;
    let store = open_store(&config).await?;
    let settings = service_settings(&config);
    let throttle_window_ms = settings
        .account_throttle
        .window_ms
        .max(settings.client_throttle.window_ms);
    let services = Services::new(store.clone(), clock.clone(), settings);
    if let Some(password) = services.ensure_first_admin().await? {
        announce_first_admin(&password);
    }
    let sessions = store
        .session_store()
        .await
        .context("preparing the session store")?;
    match services
        .start_policies()
        .await
        .context("loading the policy version in force")?
    {
        PolicyStart::Seeded => {
            tracing::info!("the config file's policies are version 1");
        }
        PolicyStart::Loaded {
            version,
            config_differs,
        } => {
            tracing::info!(version, "policy version in force");
            if config_differs {
                tracing::warn!(
                    version,
                    "the config file's `policies:` differ from the version in force; they only \
                     seed a new database: propose them with `warden policy import`"
                );
            }
        }
    }
    services
        .sync_config_agents(&config.registered_agents(services.now()))
        .await
        .context("registering the config file's agents")?;
    let budgets = config.budget_changes().map_err(anyhow::Error::msg)?;
    let seeded = services
        .seed_budgets(&budgets, "config")
        .await
        .context("storing the config file's budgets")?;
    if seeded > 0 {
        tracing::info!(seeded, "budgets from the config file");
    }
    let pipeline = Pipeline::start(services.clone(), ingest_settings(&config, &store)?)
        .await
        .context("starting the ingestion pipeline")?;
    let commands: Arc<dyn warden_services::incidents::AgentCommands> = Arc::new(
        crate::webhooks::Commands::new(
            services.clone(),
            config.governance.webhook_private_networks,
        )
        .context("setting up agent commands")?,
    );
    let jobs = jobs::Runtime::new(
        store.clone(),
        clock.clone(),
        jobs::all(
            &config,
            &services,
            &pipeline,
            sessions.clone(),
            throttle_window_ms,
            Arc::new(
                crate::pager::Pager::new(&config.mail, config.incidents.webhook_secret.clone())
                    .context("setting up mail")?,
            ),
            commands.clone(),
        ),
    );
    jobs.spawn();
    let config = Arc::new(config);
    tokio::spawn(crate::webhooks::run(
        services.clone(),
        config.governance.control_read_window,
        config.governance.webhook_private_networks,
    ));
    let state = AppState {
        leptos_options: leptos_options(addr)?,
        services: services.clone(),
        pipeline: pipeline.clone(),
        config: config.clone(),
        commands,
    };
    if config.demo.enabled {
        let key = crate::demo::prepare(&services, config.demo.rate, config.pricing.usd_rate)
            .await
            .context("preparing the demo fleet")?;
        pipeline.refresh_registry().await?;
        let base = format!("http://{addr}");
        let rate = config.demo.rate;
        let history = crate::demo::wants_history(&services)
            .await?
            .then_some(config.demo.history);
        tokio::spawn(async move {
            if let Err(err) = crate::demo::stream(base, key, rate, None, history).await {
                tracing::error!(error = ?err, "the demo fleet stopped");
            }
        });
        tracing::info!(rate, "demo mode: streaming the simulated fleet");
    }
    let app = router(state, sessions).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving HTTP")?;
        store.close().await;
        Ok(())
    });
    Ok(Running {
        addr,
        services,
        pipeline,
        jobs,
        task,
    })
}

/// `warden serve`: runs until a shutdown signal.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let listen = config.server.listen;
    let public_url = config.public_url();
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let running = start(config, Arc::new(SystemClock), listener).await?;
    tracing::info!(addr = %running.addr, %public_url, "Warden is listening");
    running.task.await.context("server task")?
}

/// Printed on standard output, apart from the log (which goes to standard error): the
/// password is shown this once and must not end up among log lines.
fn announce_first_admin(password: &str) {
    println!(
        "\n  Warden created the first account.\n\n    login:    admin\n    password: {password}\n\n  \
         It is shown only now. Sign in and add named accounts, or change it with\n  \
         `warden user passwd admin`.\n"
    );
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
