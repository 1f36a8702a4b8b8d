//! Storage of the analytics engine: the hour and day rollups and the readers of every
//! resolution.

pub(crate) mod anomalies;
mod budgets;
pub mod metrics;
mod models;
pub mod rollups;
mod scores;

pub use metrics::{LatencyCount, UsageBucket};
pub use models::{ModelQualityRow, ModelSpend};
pub use rollups::RollupPass;
pub use scores::{ScoreBucket, ScoreRecord};
