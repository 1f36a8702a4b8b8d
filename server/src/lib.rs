//! The `warden` server: configuration, the HTTP router (pages, auth, REST API, health), the
//! admin CLI and start-up. HTML is rendered by `warden-app`; rules live in the services.
#![forbid(unsafe_code)]

pub mod ack_link;
pub mod api;
pub mod auth;
pub mod cli;
pub mod collector;
pub mod config;
pub mod demo;
pub mod health;
pub mod jobs;
pub mod loadgen;
pub mod pager;
pub mod router;
pub mod serve;
pub mod state;
pub mod static_files;
pub mod webhooks;
