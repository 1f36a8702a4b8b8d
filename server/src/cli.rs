//! The `warden` command line: `serve` (the default) and the admin commands, which work on
//! the configured database directly, as the operator who can read it.

use crate::config;
use crate::serve::{open_store, service_settings};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use warden_domain::Role;
use warden_domain::audit::ChainStatus;
use warden_domain::telemetry::KeyScope;
use warden_services::audit::ExportFormat;
use warden_services::{Actor, Services, SystemClock};

#[derive(Parser)]
#[command(
    name = "warden",
    version,
    about = "Oversight for fleets of AI agents in production"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve {
        /// Also stream the simulated demo fleet through the OTLP endpoint.
        #[arg(long)]
        demo: bool,
    },
    /// Manage agents' ingest keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// PII tools.
    #[command(subcommand)]
    Pii(PiiCommand),
    /// Stream the simulated fleet of ten agents to a running Warden over OTLP/HTTP.
    Demo {
        /// Warden's base URL.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        url: String,
        /// An ingest key for the `production` environment (`warden key create --environment production`).
        #[arg(long, env = "WARDEN_INGEST_KEY")]
        key: String,
        /// Interactions per second.
        #[arg(long, default_value_t = 4.0)]
        rate: f64,
        /// Stop after this many seconds (default: run until interrupted).
        #[arg(long)]
        seconds: Option<u64>,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check or print the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Apply database migrations and exit.
    Migrate,
    /// Policy versions: propose a file as the next version, export one.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// The audit trail: check its hash chain, export it.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Propose the policies of FILE (a `policies:` YAML file, as `export` writes it) as the
    /// next version; it takes effect once approved in Warden.
    Import {
        file: PathBuf,
        /// Why the change is made, for the approvers.
        #[arg(long, default_value = "")]
        note: String,
        /// Propose as this user (default: the operator, recorded as `system`).
        #[arg(long = "as")]
        author: Option<String>,
    },
    /// Write a version (default: the one in force) as YAML to standard output.
    Export {
        #[arg(long)]
        version: Option<i64>,
    },
    /// List the versions and the proposals.
    List,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain from the first event to the last; exits with 1 when broken.
    Verify,
    /// Write the whole trail to standard output, oldest first.
    Export {
        /// csv or json.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        email: String,
        /// A role to grant; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password, read from standard input.
    Passwd { email: String },
    /// List users.
    List,
    /// Disable a user: no sign-in, sessions and tokens stop working.
    Disable { email: String },
    /// Enable a disabled user.
    Enable { email: String },
    /// Delete a user and its tokens.
    Delete { email: String },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print it once.
    Create {
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Create an ingest key and print it once.
    Create {
        /// The agent whose spans the key may write.
        #[arg(
            long,
            conflicts_with = "environment",
            required_unless_present = "environment"
        )]
        agent: Option<String>,
        /// Or: any agent of this environment.
        #[arg(long)]
        environment: Option<String>,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List ingest keys.
    List,
    /// Revoke an ingest key by id.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
pub enum PiiCommand {
    /// Read JSON lines with a `text` field on stdin; write one JSON list of findings
    /// `{"type", "start", "end"}` (character offsets) per line.
    Scan {
        /// Also report credentials (type SECRET).
        #[arg(long)]
        secrets: bool,
    },
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Check a config file (default: as `warden serve` would find it) and report problems.
    Check { file: Option<PathBuf> },
    /// Print an annotated example config.
    Example,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|e: warden_domain::role::UnknownRole| e.to_string())
}

async fn services() -> anyhow::Result<Services> {
    let config = config::load()?;
    let store = open_store(&config).await?;
    Ok(Services::new(
        store,
        Arc::new(SystemClock),
        service_settings(&config),
    ))
}

/// Reads a password from standard input: hidden at a terminal, one line from a pipe.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return rpassword::prompt_password(prompt).context("reading the password");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

/// Runs a command (`serve` included).
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo } => {
            let mut config = config::load()?;
            config.demo.enabled |= demo;
            crate::serve::run(config).await
        }
        Command::Key(cmd) => key(cmd).await,
        Command::Pii(PiiCommand::Scan { secrets }) => {
            let config = config::load()?;
            let scanner = config.pii_scanner().map_err(anyhow::Error::msg)?;
            let summary = warden_pii::scan_json_lines(
                &scanner,
                std::io::stdin().lock(),
                std::io::BufWriter::new(std::io::stdout().lock()),
                secrets,
            )
            .context("scanning standard input")?;
            eprintln!(
                "{} lines, {} findings, {} lines refused",
                summary.lines, summary.findings, summary.errors
            );
            Ok(())
        }
        Command::Demo {
            url,
            key,
            rate,
            seconds,
        } => crate::demo::run_cli(&url, &key, rate, seconds).await,
        Command::User(cmd) => user(cmd).await,
        Command::Token(TokenCommand::Create { email, name }) => {
            let services = services().await?;
            let user_id = services.user_id_by_login(&email).await?;
            let token = services
                .create_token(&Actor::System, user_id, &name)
                .await?;
            println!("{}", token.secret);
            eprintln!(
                "Token `{}` created for {email}; it is shown only now.",
                token.info.name
            );
            Ok(())
        }
        Command::Config(ConfigCommand::Check { file }) => {
            let found = match file {
                Some(path) => config::load_file(&path).map(|_| path.display().to_string()),
                None => config::load_from_env().map(|(_, source)| format!("{source:?}")),
            };
            let source = found?;
            println!("configuration OK ({source})");
            Ok(())
        }
        Command::Config(ConfigCommand::Example) => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
        Command::Policy(cmd) => policy(cmd).await,
        Command::Audit(cmd) => audit(cmd).await,
        Command::Migrate => {
            let config = config::load()?;
            open_store(&config).await?;
            println!("database is up to date");
            Ok(())
        }
    }
}

async fn policy(command: PolicyCommand) -> anyhow::Result<()> {
    let services = services().await?;
    services.start_policies().await?;
    match command {
        PolicyCommand::Import { file, note, author } => {
            let actor = match author {
                Some(email) => Actor::User(services.cli_user(&email).await?),
                None => Actor::System,
            };
            let document = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let proposal = services
                .propose_policies(&actor, &document, &note)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            println!(
                "proposal {} on version {}: needs {} approval(s)",
                proposal.id, proposal.base_version, proposal.required_approvals
            );
            for change in &proposal.changes {
                println!("  {change}");
            }
            if !proposal.affected_agents.is_empty() {
                println!("affects: {}", proposal.affected_agents.join(", "));
            }
        }
        PolicyCommand::Export { version } => {
            print!(
                "{}",
                services.export_policies(&Actor::System, version).await?
            );
        }
        PolicyCommand::List => {
            let mut out = std::io::stdout().lock();
            for v in services.policy_versions(&Actor::System).await? {
                writeln!(
                    out,
                    "version {}\t{}\t{}",
                    v.version,
                    warden_domain::timefmt::iso_utc(v.created_at),
                    v.created_by
                )?;
            }
            for p in services.list_proposals(&Actor::System).await? {
                writeln!(
                    out,
                    "proposal {}\t{}\t{}/{} approvals\t{}",
                    p.id,
                    p.state.as_str(),
                    p.approvals.len(),
                    p.required_approvals,
                    p.author
                )?;
            }
        }
    }
    Ok(())
}

async fn audit(command: AuditCommand) -> anyhow::Result<()> {
    let services = services().await?;
    match command {
        AuditCommand::Verify => match services.verify_audit(&Actor::System).await? {
            ChainStatus::Intact { events, head } => {
                println!("audit trail intact: {events} events, head {head}");
            }
            ChainStatus::Broken {
                seq,
                reason,
                checked,
            } => {
                println!(
                    "audit trail BROKEN at event {seq}: {reason} ({checked} events before it check out)"
                );
                bail!("the audit trail is broken");
            }
        },
        AuditCommand::Export { format } => {
            let format = ExportFormat::parse(&format)
                .with_context(|| format!("format {format:?} is not csv or json"))?;
            let body = services
                .export_audit(&Actor::System, &Default::default(), format)
                .await?;
            std::io::stdout().lock().write_all(body.as_bytes())?;
        }
    }
    Ok(())
}

async fn key(command: KeyCommand) -> anyhow::Result<()> {
    let services = services().await?;
    let actor = Actor::System;
    match command {
        KeyCommand::Create {
            agent,
            environment,
            name,
        } => {
            let scope = match (agent, environment) {
                (Some(agent), _) => KeyScope::Agent(agent),
                (None, Some(env)) => KeyScope::Environment(env),
                (None, None) => bail!("give --agent NAME or --environment NAME"),
            };
            let key = services.create_ingest_key(&actor, &name, scope).await?;
            println!("{}", key.secret);
            eprintln!(
                "Ingest key `{}` (id {}) created for {}; it is shown only now.",
                key.info.name,
                key.info.id,
                key.info.scope.describe()
            );
        }
        KeyCommand::List => {
            let mut out = std::io::stdout().lock();
            for key in services.list_ingest_keys(&actor).await? {
                let status = if key.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    key.id,
                    key.prefix,
                    key.name,
                    key.scope.describe(),
                    status
                )?;
            }
        }
        KeyCommand::Revoke { id } => {
            let key = services.revoke_ingest_key(&actor, id).await?;
            println!("revoked key {} ({})", key.id, key.name);
        }
    }
    Ok(())
}

async fn user(command: UserCommand) -> anyhow::Result<()> {
    let services = services().await?;
    let actor = Actor::System;
    match command {
        UserCommand::Add {
            email,
            roles,
            password_stdin,
        } => {
            if !password_stdin && !std::io::stdin().is_terminal() {
                bail!("pass --password-stdin to read the password from a pipe");
            }
            let password = read_password("Password for the new user: ")?;
            let user = services.add_user(&actor, &email, &password, roles).await?;
            println!("added {} (id {})", user.email, user.id);
        }
        UserCommand::Passwd { email } => {
            let id = services.user_id_by_login(&email).await?;
            let password = read_password("New password: ")?;
            services.set_password(&actor, id, &password).await?;
            println!("password changed for {email}");
        }
        UserCommand::List => {
            let mut out = std::io::stdout().lock();
            for user in services.list_users(&actor).await? {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
                let status = if user.disabled { "disabled" } else { "active" };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    user.id,
                    user.email,
                    status,
                    roles.join(",")
                )?;
            }
        }
        UserCommand::Disable { email } => {
            let id = services.user_id_by_login(&email).await?;
            services.set_user_disabled(&actor, id, true).await?;
            println!("disabled {email}");
        }
        UserCommand::Enable { email } => {
            let id = services.user_id_by_login(&email).await?;
            services.set_user_disabled(&actor, id, false).await?;
            println!("enabled {email}");
        }
        UserCommand::Delete { email } => {
            let id = services.user_id_by_login(&email).await?;
            services.delete_user(&actor, id).await?;
            println!("deleted {email}");
        }
    }
    Ok(())
}
