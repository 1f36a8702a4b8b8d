//! Trouble on a timetable, so a demo shows Warden noticing it: one agent whose cost jumps
//! (a runaway context sends most of its calls to the premium model with huge prompts) and
//! one whose model calls fail more and more (a provider degrading), each for an hour, and
//! one that goes quiet for 25 minutes (its process hung), long enough for
//! `mandatory_logging`'s 15-minute gap to open an `agent_unreachable` incident; each
//! starting minutes after the fleet starts and again every six hours.

/// How much more often than usual things go wrong for one interaction.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Disturbance {
    /// Added to the chance of a very expensive call (50,000+ input tokens, premium model).
    pub expensive: f64,
    /// Added to the chance that a model call fails the interaction.
    pub llm_failure: f64,
}

/// The agent whose cost jumps.
pub const COST_JUMP_AGENT: &str = "sales-agent";
/// The agent whose error rate drifts up.
pub const ERROR_DRIFT_AGENT: &str = "it-helpdesk-agent";
/// The agent that goes quiet.
pub const QUIET_AGENT: &str = "procurement-agent";

const MINUTE_NS: u64 = 60 * 1_000_000_000;
/// Episodes come back this often.
const PERIOD_NS: u64 = 6 * 60 * MINUTE_NS;
/// Each lasts this long.
const LENGTH_NS: u64 = 60 * MINUTE_NS;
/// When each begins, after the fleet starts and then in every period.
const COST_JUMP_AT_NS: u64 = 3 * MINUTE_NS;
const ERROR_DRIFT_AT_NS: u64 = 5 * MINUTE_NS;
const QUIET_AT_NS: u64 = 8 * MINUTE_NS;
const QUIET_NS: u64 = 25 * MINUTE_NS;
/// A third of the jumping agent's interactions make a very expensive call.
const JUMP_EXPENSIVE: f64 = 0.33;
/// The drifting agent's extra failure chance grows to this over the first half of its hour
/// and stays there for the rest.
const DRIFT_FAILURE_MAX: f64 = 0.5;
const DRIFT_RAMP_NS: u64 = 30 * MINUTE_NS;

/// The timetable, from the moment the fleet started.
#[derive(Debug, Clone, Copy)]
pub struct Episodes {
    pub start_unix_nanos: u64,
}

impl Episodes {
    /// How far into an episode starting `at` (and lasting `length`) `t` is, if it is in one.
    fn phase(&self, t_unix_nanos: u64, at: u64, length: u64) -> Option<u64> {
        let since = t_unix_nanos.saturating_sub(self.start_unix_nanos);
        let phase = (since + PERIOD_NS - at) % PERIOD_NS;
        (since >= at && phase < length).then_some(phase)
    }

    /// Whether `agent` sends nothing at `t`.
    pub fn is_quiet(&self, agent: &str, t_unix_nanos: u64) -> bool {
        agent == QUIET_AGENT && self.phase(t_unix_nanos, QUIET_AT_NS, QUIET_NS).is_some()
    }

    /// What goes wrong for `agent` in an interaction ending at `t`.
    pub fn disturbance(&self, agent: &str, t_unix_nanos: u64) -> Disturbance {
        let into = |at: u64| self.phase(t_unix_nanos, at, LENGTH_NS);
        match agent {
            COST_JUMP_AGENT if into(COST_JUMP_AT_NS).is_some() => Disturbance {
                expensive: JUMP_EXPENSIVE,
                ..Disturbance::default()
            },
            ERROR_DRIFT_AGENT => {
                into(ERROR_DRIFT_AT_NS).map_or_else(Disturbance::default, |phase| Disturbance {
                    llm_failure: DRIFT_FAILURE_MAX * (phase as f64 / DRIFT_RAMP_NS as f64).min(1.0),
                    ..Disturbance::default()
                })
            }
            _ => Disturbance::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episodes_run_an_hour_from_minutes_after_the_start_and_come_back() {
        let e = Episodes {
            start_unix_nanos: 1_000 * MINUTE_NS,
        };
        let at = |minutes: u64| e.start_unix_nanos + minutes * MINUTE_NS;
        assert_eq!(
            e.disturbance(COST_JUMP_AGENT, at(2)),
            Disturbance::default()
        );
        assert!(e.disturbance(COST_JUMP_AGENT, at(4)).expensive > 0.3);
        assert!(e.disturbance(COST_JUMP_AGENT, at(62)).expensive > 0.3);
        assert_eq!(
            e.disturbance(COST_JUMP_AGENT, at(64)),
            Disturbance::default()
        );
        assert!(e.disturbance(COST_JUMP_AGENT, at(6 * 60 + 10)).expensive > 0.3);
        let early = e.disturbance(ERROR_DRIFT_AGENT, at(10)).llm_failure;
        let later = e.disturbance(ERROR_DRIFT_AGENT, at(25)).llm_failure;
        let held = e.disturbance(ERROR_DRIFT_AGENT, at(50)).llm_failure;
        assert!(
            0.0 < early && early < later && later < held,
            "{early} {later}"
        );
        assert_eq!(held, DRIFT_FAILURE_MAX);
        assert_eq!(
            e.disturbance(ERROR_DRIFT_AGENT, at(70)),
            Disturbance::default()
        );
        assert!(!e.is_quiet(QUIET_AGENT, at(7)));
        assert!(e.is_quiet(QUIET_AGENT, at(9)));
        assert!(e.is_quiet(QUIET_AGENT, at(32)));
        assert!(!e.is_quiet(QUIET_AGENT, at(34)));
        assert!(e.is_quiet(QUIET_AGENT, at(6 * 60 + 20)));
        assert!(!e.is_quiet("support-agent", at(9)));
        assert_eq!(
            e.disturbance("support-agent", at(10)),
            Disturbance::default()
        );
        // Before the start (a clock set back) nothing happens.
        assert_eq!(
            e.disturbance(COST_JUMP_AGENT, at(0) - MINUTE_NS),
            Disturbance::default()
        );
    }
}
