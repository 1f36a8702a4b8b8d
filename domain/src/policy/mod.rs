//! The governance layer's policy model: the fifteen rules, their values, the hierarchy of
//! policies that inherit from `global`, what each level ends up enforcing, exporting it and
//! diffing two versions.
//!
//! Pure data and checks: reading `warden.yml` is the server's job (it hands over
//! [`LevelSource`]s with their lines), and checking traces against rules comes later.

mod alignment;
mod build;
pub mod compliance;
mod diff;
mod effective;
mod error;
mod guard;
mod hierarchy;
mod parse;
mod proposal;
mod rule;
mod value;
mod view;
mod violation;
mod yaml;

pub use alignment::Alignment;
pub use diff::{PolicyChange, diff};
pub use effective::{EffectivePolicy, EffectiveRule};
pub use error::PolicyError;
pub use guard::{Decision, GuardAnswer, GuardRequest, GuardViolation};
pub use hierarchy::{Level, LevelSource, PolicySet, ROOT, RuleSource};
pub use parse::ValueError;
pub use proposal::{Approval, PolicyProposal, PolicyVersionInfo, ProposalState, ReviewNeeds};
pub use rule::{RuleName, Severity, ValueKind};
pub use value::{Money, RawValue, RuleValue};
pub use view::{AgentPolicy, Binding, LevelView, PolicyOverview};
pub use violation::{TraceCostCheck, Violation, ViolationFilter, ViolationRecord};

/// The seed document's policy hierarchy as valid YAML, written as `PolicySet::to_yaml`
/// writes it (a test checks that the seed built from its levels exports to exactly this).
/// Warden enforces it when the config file has no `policies:` block.
pub const SEED_POLICIES: &str = "\
policies:
  global:
    rules:
      - no_pii_in_outputs
      - mandatory_logging
      - max_cost_per_interaction: 0.50 EUR
      - kill_switch_required
  customer_facing:
    inherits: global
    rules:
      - transparency_notice_required
      - human_escalation_enabled
      - max_response_time: 5000ms
  high_risk:
    inherits: customer_facing
    rules:
      - full_explainability_logging
      - alignment_score_minimum: 0.85
      - dual_review_for_changes
      - audit_trail_retention: 5y
  hr_screening_agent:
    inherits: high_risk
    rules:
      - no_gender_inference
      - no_age_inference
      - no_ethnicity_inference
      - mandatory_human_review
";
