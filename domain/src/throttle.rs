//! Login throttling: failed sign-ins are first slowed down, then refused for a while.
//!
//! Counted separately per account and per client address, so that guessing one account's
//! password from many addresses, and many accounts' passwords from one address, both stop.

use serde::{Deserialize, Serialize};

/// How hard to throttle one kind of key (an account or a client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottlePolicy {
    /// Failures older than this are forgotten.
    pub window_ms: i64,
    /// From this many failures on, each attempt waits before it is answered.
    pub slow_after: u32,
    /// The first wait; each further failure doubles it, up to `max_delay_ms`.
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    /// At this many failures within the window the key is locked out.
    pub lock_after: u32,
    pub lock_ms: i64,
}

impl ThrottlePolicy {
    /// Defaults for accounts: a person mistyping three times is not slowed; a guesser is.
    pub const ACCOUNT: ThrottlePolicy = ThrottlePolicy {
        window_ms: 15 * 60_000,
        slow_after: 3,
        base_delay_ms: 500,
        max_delay_ms: 5_000,
        lock_after: 10,
        lock_ms: 15 * 60_000,
    };

    /// Defaults for client addresses, looser because offices share one address.
    pub const CLIENT: ThrottlePolicy = ThrottlePolicy {
        window_ms: 15 * 60_000,
        slow_after: 10,
        base_delay_ms: 250,
        max_delay_ms: 5_000,
        lock_after: 50,
        lock_ms: 15 * 60_000,
    };
}

/// What has been counted for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleState {
    pub failures: u32,
    /// Epoch ms of the first failure in the current window.
    pub window_started_at: i64,
    /// Epoch ms until which attempts are refused.
    pub locked_until: Option<i64>,
}

/// The decision before a login attempt is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password, after waiting `delay_ms`.
    Proceed { delay_ms: u64 },
    /// Refuse without checking; the client may retry after this many milliseconds.
    Refuse { retry_after_ms: i64 },
}

fn live(policy: &ThrottlePolicy, state: Option<ThrottleState>, now: i64) -> Option<ThrottleState> {
    state.filter(|s| {
        s.locked_until.is_some_and(|until| until > now)
            || now - s.window_started_at < policy.window_ms
    })
}

/// Decides whether an attempt for a key in `state` may go ahead at `now`.
pub fn check(policy: &ThrottlePolicy, state: Option<ThrottleState>, now: i64) -> Verdict {
    let Some(state) = live(policy, state, now) else {
        return Verdict::Proceed { delay_ms: 0 };
    };
    if let Some(until) = state.locked_until.filter(|until| *until > now) {
        return Verdict::Refuse {
            retry_after_ms: until - now,
        };
    }
    if state.failures < policy.slow_after {
        return Verdict::Proceed { delay_ms: 0 };
    }
    let doublings = (state.failures - policy.slow_after).min(16);
    let delay = policy.base_delay_ms.saturating_mul(1 << doublings);
    Verdict::Proceed {
        delay_ms: delay.min(policy.max_delay_ms),
    }
}

/// The state after one more failed attempt at `now`.
pub fn record_failure(
    policy: &ThrottlePolicy,
    state: Option<ThrottleState>,
    now: i64,
) -> ThrottleState {
    let mut next = match live(policy, state, now) {
        Some(s) if s.locked_until.is_none_or(|until| until > now) => s,
        // A new window, or a lock that has run out: start counting afresh.
        _ => ThrottleState {
            failures: 0,
            window_started_at: now,
            locked_until: None,
        },
    };
    next.failures = next.failures.saturating_add(1);
    if next.failures >= policy.lock_after {
        next.locked_until = Some(now + policy.lock_ms);
    }
    next
}

/// Takes back one counted attempt: attempts are counted before the password is checked (so
/// that concurrent guesses are all counted), and a correct one is then given back.
pub fn forgive_one(
    policy: &ThrottlePolicy,
    state: Option<ThrottleState>,
    now: i64,
) -> Option<ThrottleState> {
    let mut state = live(policy, state, now)?;
    state.failures = state.failures.saturating_sub(1);
    if state.failures < policy.lock_after {
        state.locked_until = None;
    }
    (state.failures > 0).then_some(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ThrottlePolicy = ThrottlePolicy::ACCOUNT;

    fn fail_times(n: u32, now: i64) -> Option<ThrottleState> {
        (0..n).fold(None, |state, _| Some(record_failure(&P, state, now)))
    }

    #[test]
    fn a_few_mistakes_are_not_slowed() {
        assert_eq!(
            check(&P, fail_times(2, 0), 1),
            Verdict::Proceed { delay_ms: 0 }
        );
    }

    #[test]
    fn repeated_failures_are_slowed_with_a_growing_capped_delay() {
        assert_eq!(
            check(&P, fail_times(3, 0), 1),
            Verdict::Proceed { delay_ms: 500 }
        );
        assert_eq!(
            check(&P, fail_times(4, 0), 1),
            Verdict::Proceed { delay_ms: 1_000 }
        );
        assert_eq!(
            check(&P, fail_times(9, 0), 1),
            Verdict::Proceed { delay_ms: 5_000 }
        );
    }

    #[test]
    fn the_tenth_failure_locks_the_key_until_the_lock_runs_out() {
        let state = fail_times(10, 1_000);
        assert_eq!(
            check(&P, state, 1_000),
            Verdict::Refuse {
                retry_after_ms: P.lock_ms
            }
        );
        assert_eq!(
            check(&P, state, 1_000 + P.lock_ms - 1),
            Verdict::Refuse { retry_after_ms: 1 }
        );
        assert_eq!(
            check(&P, state, 1_000 + P.lock_ms),
            Verdict::Proceed { delay_ms: 0 }
        );
    }

    #[test]
    fn failures_outside_the_window_are_forgotten() {
        let state = fail_times(5, 0);
        assert_eq!(
            check(&P, state, P.window_ms),
            Verdict::Proceed { delay_ms: 0 }
        );
        let after = record_failure(&P, state, P.window_ms);
        assert_eq!(after.failures, 1);
        assert_eq!(after.window_started_at, P.window_ms);
    }

    #[test]
    fn forgiving_the_attempt_that_locked_a_key_unlocks_it() {
        let locked = fail_times(10, 0);
        let forgiven = forgive_one(&P, locked, 1).unwrap();
        assert_eq!(forgiven.failures, 9);
        assert_eq!(forgiven.locked_until, None);
        assert_eq!(forgive_one(&P, fail_times(1, 0), 1), None);
        assert_eq!(forgive_one(&P, None, 1), None);
    }

    #[test]
    fn a_failure_after_an_expired_lock_starts_a_new_count() {
        let locked = fail_times(10, 0);
        let after = record_failure(&P, locked, P.lock_ms + 1);
        assert_eq!(
            after,
            ThrottleState {
                failures: 1,
                window_started_at: P.lock_ms + 1,
                locked_until: None
            }
        );
    }
}
