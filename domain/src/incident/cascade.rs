//! Cascading failures: several agents failing within a short window are one problem (a
//! shared model provider down, a bad deploy of a common tool), paged as one incident that
//! names the incidents it links.

use super::Kind;
use serde::{Deserialize, Serialize};

/// `incidents.cascade`: this many distinct agents with incidents opened within `within_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cascade {
    pub agents: usize,
    pub within_ms: i64,
}

impl Default for Cascade {
    fn default() -> Cascade {
        Cascade {
            agents: 3,
            within_ms: 10 * 60_000,
        }
    }
}

/// An incident opened lately, as the cascade rule reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failing {
    pub id: i64,
    pub agent: String,
    pub kind: Kind,
}

/// Whether an incident of `kind` is an agent failing: not a person's report, not a cascade.
pub fn counts(kind: Kind) -> bool {
    !matches!(kind, Kind::Manual | Kind::CascadingFailure)
}

impl Cascade {
    /// The incidents that make a cascade, first of each agent, when enough agents fail.
    pub fn of<'a>(&self, recent: &'a [Failing]) -> Option<Vec<&'a Failing>> {
        let mut firsts: Vec<&Failing> = Vec::new();
        for f in recent.iter().filter(|f| counts(f.kind)) {
            if !firsts.iter().any(|seen| seen.agent == f.agent) {
                firsts.push(f);
            }
        }
        (firsts.len() >= self.agents.max(2)).then_some(firsts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(id: i64, agent: &str, kind: Kind) -> Failing {
        Failing {
            id,
            agent: agent.into(),
            kind,
        }
    }

    #[test]
    fn three_agents_make_a_cascade_two_do_not() {
        let rule = Cascade::default();
        let mut recent = vec![
            failing(1, "hr", Kind::PiiLeak),
            failing(2, "hr", Kind::AgentUnreachable),
            failing(3, "pay", Kind::Anomaly),
            failing(4, "mail", Kind::Manual),
        ];
        assert_eq!(rule.of(&recent), None, "a person's report is not a failure");
        recent.push(failing(5, "mail", Kind::AgentUnreachable));
        let linked: Vec<i64> = rule.of(&recent).unwrap().iter().map(|f| f.id).collect();
        assert_eq!(linked, [1, 3, 5]);
    }
}
