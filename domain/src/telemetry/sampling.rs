//! Head sampling decided from the trace id alone, so that every span of a trace gets the
//! same answer on whichever request or replica it arrives, with no shared state.

use super::ids::TraceId;

/// Whether a trace falls inside the kept share `rate` (0 to 1).
///
/// The id is mixed first: W3C only promises randomness in the right-most bytes, and some
/// SDKs put a timestamp in the left ones, so taking raw bits would skew the share.
pub fn keeps(trace_id: &TraceId, rate: f64) -> bool {
    if rate >= 1.0 {
        return true;
    }
    if rate <= 0.0 || rate.is_nan() {
        return false;
    }
    let (hi, lo) = trace_id.0.split_at(8);
    let hi = u64::from_be_bytes(hi.try_into().unwrap_or_default());
    let lo = u64::from_be_bytes(lo.try_into().unwrap_or_default());
    let position = splitmix64(hi ^ splitmix64(lo));
    // Compare in 53-bit space, which an f64 holds exactly.
    ((position >> 11) as f64) < rate * ((1u64 << 53) as f64)
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Why a trace was kept, for its tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The agent keeps everything.
    All,
    /// Inside the sampled share.
    Sampled,
    /// Outside it, but kept for an error, a PII finding or a violation.
    Forced,
    Dropped,
}

/// The decision for one trace given what is known about it.
pub fn decide(trace_id: &TraceId, rate: f64, must_keep: bool) -> Keep {
    if rate >= 1.0 {
        Keep::All
    } else if keeps(trace_id, rate) {
        Keep::Sampled
    } else if must_keep {
        Keep::Forced
    } else {
        Keep::Dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u64) -> TraceId {
        // Sequential ids with a constant right half: the worst case for raw bits.
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&n.to_be_bytes());
        bytes[15] = 1;
        TraceId(bytes)
    }

    #[test]
    fn the_kept_share_matches_the_rate_even_for_non_random_ids() {
        for rate in [0.01, 0.1, 0.5, 0.9] {
            let kept = (0..100_000).filter(|n| keeps(&id(*n), rate)).count();
            let share = kept as f64 / 100_000.0;
            assert!((share - rate).abs() < 0.01, "rate {rate} kept {share}");
        }
    }

    #[test]
    fn the_decision_is_stable_and_monotonic_in_the_rate() {
        for n in 0..10_000 {
            let trace = id(n);
            assert_eq!(keeps(&trace, 0.3), keeps(&trace, 0.3));
            // A trace kept at 30% is kept at any higher rate, so raising a rate never
            // loses a trace that was being kept.
            if keeps(&trace, 0.3) {
                assert!(keeps(&trace, 0.31));
            }
        }
        assert!(keeps(&id(7), 1.0));
        assert!(!keeps(&id(7), 0.0));
    }

    #[test]
    fn forced_traces_are_kept_outside_the_share() {
        let dropped = (0..1000).map(id).find(|t| !keeps(t, 0.5)).unwrap();
        assert_eq!(decide(&dropped, 0.5, false), Keep::Dropped);
        assert_eq!(decide(&dropped, 0.5, true), Keep::Forced);
        assert_eq!(decide(&dropped, 1.0, false), Keep::All);
    }
}
