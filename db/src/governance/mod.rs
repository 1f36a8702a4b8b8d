//! Storage of the governance layer: policy violations and agents' control states.

mod controls;
pub(crate) mod violations;

pub use violations::{TraceCostCheck, ViolationRecord, money};
