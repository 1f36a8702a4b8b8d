//! The analytics engine's maths: latency sketches, when an interaction counts, which
//! rollup rows answer a range, and the metrics of the seed's hierarchy computed from
//! rolled-up counts.

pub mod anomaly;
pub mod budget;
pub mod dashboard;
pub mod hierarchy;
pub mod interaction;
pub mod range;
pub mod recommend;
pub mod report;
pub mod score;
pub mod sketch;
