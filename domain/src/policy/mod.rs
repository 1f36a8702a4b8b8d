//! The governance layer's policy model: the fifteen rules, their values, the hierarchy of
//! policies that inherit from `global`, what each level ends up enforcing, exporting it and
//! diffing two versions.
//!
//! Pure data and checks: reading `warden.yml` is the server's job (it hands over
//! [`LevelSource`]s with their lines), and checking traces against rules comes later.

mod build;
mod diff;
mod effective;
mod error;
mod guard;
mod hierarchy;
mod parse;
mod rule;
mod value;
mod view;
mod violation;
mod yaml;

pub use diff::{PolicyChange, diff};
pub use effective::{EffectivePolicy, EffectiveRule};
pub use error::PolicyError;
pub use guard::{Decision, GuardAnswer, GuardRequest, GuardViolation};
pub use hierarchy::{Level, LevelSource, PolicySet, ROOT, RuleSource};
pub use parse::ValueError;
pub use rule::{RuleName, Severity, ValueKind};
pub use value::{Money, RawValue, RuleValue};
pub use view::{AgentPolicy, Binding, LevelView, PolicyOverview};
pub use violation::{Violation, ViolationFilter};
