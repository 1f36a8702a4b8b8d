//! Storage of the governance layer: policy violations, agents' control states, policy
//! versions and proposals, and the audit trail.

pub(crate) mod audit;
mod controls;
mod policies;
pub(crate) mod reviews;
pub(crate) mod violations;
mod webhooks;

pub use audit::chain_hash;
pub use policies::{ApprovalOutcome, NewProposal};
pub use reviews::ReviewRecord;
pub use violations::{TraceCostCheck, ViolationRecord};
