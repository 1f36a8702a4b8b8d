//! A simulated fleet of ten LLM agents whose traffic is OTLP, as real agents send it.
//!
//! `warden demo` and `warden serve --demo` stream this traffic through Warden's own OTLP
//! endpoint so a newcomer sees a living system, and the ingestion benchmark uses the same
//! generator. This crate only builds the protobuf messages: it does no I/O and never reads a
//! clock. Time is a parameter, and a seed fixes everything else, so the same seed and the same
//! sequence of `now` values always produce the same bytes.
//!
//! ```
//! let mut fleet = warden_demo::Fleet::new(42);
//! let now = 1_760_000_000_000_000_000;
//! let traces = fleet.export_request(now, 20);
//! let body = warden_demo::encode(&traces); // POST to /v1/traces as application/x-protobuf
//! assert!(!body.is_empty());
//! ```

mod episodes;
mod fake;
mod faults;
mod feedback;
mod fleet;
mod generator;
mod json;
mod llm;
mod logs;
mod metrics;
mod models;
mod otlp;
mod scenario;
mod slots;
mod text;
mod trace;

pub use episodes::{COST_JUMP_AGENT, Disturbance, ERROR_DRIFT_AGENT, Episodes};
pub use feedback::Feedback;
pub use fleet::{AgentProfile, Conventions, fleet};
pub use generator::{Fleet, Interaction};
pub use otlp::attribute;

/// The protobuf encoding of an OTLP request, as sent with `Content-Type: application/x-protobuf`.
pub fn encode(request: &impl prost::Message) -> Vec<u8> {
    request.encode_to_vec()
}

#[cfg(test)]
mod tests;
