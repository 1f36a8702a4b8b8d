//! Storage of the analytics engine: the hour and day rollups and the readers of every
//! resolution.

mod anomalies;
pub mod metrics;
pub mod rollups;
mod scores;

pub use metrics::{LatencyCount, UsageBucket};
pub use rollups::RollupPass;
pub use scores::{ScoreBucket, ScoreRecord};
