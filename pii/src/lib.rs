//! Warden's PII and secret scanner.
//!
//! Agents' OpenTelemetry traces carry whatever the agent saw and said: customer e-mails,
//! phone numbers, card numbers, bank accounts, and the credentials on their own command
//! lines. Warden must find and redact those before a span is stored, on every span, so the
//! scanner is built for two things at once:
//!
//! * **Precision.** Redacting an order id or a timestamp destroys exactly the data an
//!   operator needs, and a false alarm pages people. Every detector therefore validates
//!   structure (checksums, country tables, separators in fixed places, token boundaries)
//!   instead of matching "enough digits".
//! * **Speed.** One pass over the bytes. Most bytes are not a trigger (a digit, `@`, `+`,
//!   `(`, `:`, `=`, `-`, `_`, or one of a few letters that start a key format) and are
//!   skipped with a table lookup; each trigger runs a hand-written validator that gives up
//!   after a few bytes on ordinary text. The `regex` crate is only used for configured
//!   custom patterns.
//!
//! The entry point is [`Scanner`]; [`scan_json_lines`] is the core of `warden pii scan`.

mod card;
mod email;
mod finding;
mod iban;
mod ip;
mod jsonl;
mod phone;
mod scanner;
mod secret;
mod ssn;
mod text;

pub use finding::{Finding, Kind};
pub use jsonl::{ScanSummary, scan_json_lines};
pub use scanner::{CustomPattern, PatternError, Redacted, Scanner};
