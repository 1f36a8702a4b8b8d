//! The alignment score of an agent: the share of its interactions that comply with its
//! effective policy, each breach weighted by the worst severity it broke, over a rolling
//! window. `alignment_score_minimum` compares it with the policy's minimum.

use super::rule::Severity;
use serde::{Deserialize, Serialize};

/// An agent's score over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    /// Interactions (traces) in the window, sampled out or not.
    pub interactions: i64,
    /// Of those, the ones with at least one violation.
    pub violating: i64,
    /// From 0 to 1; `None` without interactions.
    pub score: Option<f64>,
}

impl Alignment {
    /// `worst` holds, per violating interaction, the most severe rule it broke. A
    /// critical breach makes its interaction count as fully non-compliant; a lesser one
    /// counts in proportion to its weight (a low breach an eighth).
    pub fn of(interactions: i64, worst: &[Severity]) -> Alignment {
        let violating = i64::try_from(worst.len()).unwrap_or(i64::MAX);
        // Violations outlive sampled-out traces' rollups at the edges of the window:
        // never more violating interactions than interactions.
        let interactions = interactions.max(violating);
        let lost: f64 = worst.iter().map(|s| s.share()).sum();
        let score = (interactions > 0).then(|| (1.0 - lost / interactions as f64).clamp(0.0, 1.0));
        Alignment {
            interactions,
            violating,
            score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaches_cost_in_proportion_to_their_severity() {
        assert_eq!(Alignment::of(0, &[]).score, None);
        assert_eq!(Alignment::of(10, &[]).score, Some(1.0));
        assert_eq!(Alignment::of(10, &[Severity::Critical]).score, Some(0.9));
        assert_eq!(
            Alignment::of(8, &[Severity::Low]).score,
            Some(1.0 - 1.0 / 64.0)
        );
        let mixed = Alignment::of(100, &[Severity::Critical, Severity::High, Severity::Medium]);
        assert!((mixed.score.unwrap() - (1.0 - 1.75 / 100.0)).abs() < 1e-9);
        assert_eq!(mixed.violating, 3);
    }

    #[test]
    fn more_violations_than_counted_interactions_floor_at_zero() {
        let a = Alignment::of(1, &[Severity::Critical, Severity::Critical]);
        assert_eq!(a.interactions, 2);
        assert_eq!(a.score, Some(0.0));
    }
}
