//! Storage of the governance layer: policy violations.

pub(crate) mod violations;

pub use violations::{TraceCostCheck, ViolationRecord, money};
