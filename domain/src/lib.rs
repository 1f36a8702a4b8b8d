//! Warden's domain: the types every other crate shares and the rules that need no I/O.
//!
//! Nothing here reads the clock, touches the network or a database: time is always a
//! parameter, so the logic is tested with plain values and also compiles to WASM for the UI.
#![forbid(unsafe_code)]

pub mod access;
pub mod audit;
pub mod control;
pub mod duration;
pub mod html;
pub mod incident;
pub mod metrics;
pub mod policy;
pub mod review;
pub mod role;
pub mod throttle;
pub mod user;

pub use access::Page;
pub use role::Role;
pub use user::{CurrentUser, User};
pub mod token;
pub use token::ApiTokenInfo;
pub mod telemetry;
pub mod timefmt;
