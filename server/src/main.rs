//! The `warden` binary.
#![forbid(unsafe_code)]

use clap::Parser;
use tracing_subscriber::EnvFilter;
use warden_server::cli::{Cli, Command};

/// See the workspace Cargo.toml: ingestion is allocation-heavy.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("WARDEN_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    warden_server::cli::run(cli.command.unwrap_or(Command::Serve { demo: false })).await
}
