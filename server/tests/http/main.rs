//! Warden over real HTTP: a real server on a loopback port, a real database (SQLite, and
//! PostgreSQL when `TEST_POSTGRES_URL` is set), reqwest as the client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod bad_input;
mod cli;
mod collector;
mod common;
mod crash;
mod live;
mod paging;
mod sign_in;
mod smtp;
