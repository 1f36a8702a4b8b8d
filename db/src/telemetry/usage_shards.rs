//! Which usage rows an ingest commit adds to. Concurrent commits adding to the same
//! (agent, minute) row wait for each other on PostgreSQL until the one holding it ends,
//! its log flush included (see migrations/postgres/0017_usage_shards.sql); each commit in
//! flight holds a shard of its own instead, and readers add the shards up.

use std::sync::{Arc, Mutex};

/// The shards not held by a commit in flight. The most recently given back is taken
/// first, so commits that run one at a time (SQLite's) all take shard 0, and a busy
/// server writes as few rows per minute as it has concurrent commits.
#[derive(Debug, Default)]
pub(crate) struct UsageShards {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    free: Vec<i16>,
    /// Shards made so far: a commit that finds none free makes a new one.
    made: i16,
}

/// A shard held until the commit ends.
pub(crate) struct Shard {
    pub(crate) id: i16,
    shards: Arc<UsageShards>,
}

impl UsageShards {
    pub(crate) fn take(shards: &Arc<UsageShards>) -> Shard {
        let mut state = shards.state.lock().unwrap_or_else(|e| e.into_inner());
        let id = state.free.pop().unwrap_or_else(|| {
            let id = state.made;
            state.made = state.made.saturating_add(1);
            id
        });
        drop(state);
        Shard {
            id,
            shards: shards.clone(),
        }
    }
}

impl Drop for Shard {
    fn drop(&mut self) {
        let mut state = self.shards.state.lock().unwrap_or_else(|e| e.into_inner());
        state.free.push(self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_in_flight_hold_distinct_shards_and_one_at_a_time_reuse_shard_0() {
        let shards = Arc::new(UsageShards::default());
        for _ in 0..3 {
            assert_eq!(UsageShards::take(&shards).id, 0);
        }
        let a = UsageShards::take(&shards);
        let b = UsageShards::take(&shards);
        let c = UsageShards::take(&shards);
        assert_eq!((a.id, b.id, c.id), (0, 1, 2));
        drop(b);
        assert_eq!(
            UsageShards::take(&shards).id,
            1,
            "a shard given back is reused"
        );
        drop((a, c));
        let d = UsageShards::take(&shards);
        let e = UsageShards::take(&shards);
        assert_ne!(d.id, e.id);
        assert!(d.id < 3 && e.id < 3, "no new shard while old ones are free");
    }
}
