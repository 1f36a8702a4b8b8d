//! Runbooks: the steps that recover from each kind of incident, which of them Warden runs
//! by itself, and the order they go in. Pure: the store keeps each incident's steps (a
//! copy of its runbook when it opened, as with the ladder) and [`automatic_may_start`]
//! says whether Warden may run one.

use super::Kind;
use crate::duration::{format_duration, parse_duration};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// What a step does. Everything but `Guided` acts through the agent's control state or
/// its control webhook; a guided step is done by a person who ticks it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A `command` event with `"command": "restart"` to the agent's control webhook.
    Restart,
    /// Waits for the agent's spans after the step before it ran, up to the step's `wait`.
    HealthCheck,
    /// Pins the version the agent ran before its latest one.
    Rollback,
    /// Kills the agent (a person must bring it back).
    Shutdown,
    Pause,
    /// Limits the agent to the step's `per_min` requests a minute.
    RateLimit,
    /// Pauses every running agent.
    PauseFleet,
    Guided,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Restart,
        Action::HealthCheck,
        Action::Rollback,
        Action::Shutdown,
        Action::Pause,
        Action::RateLimit,
        Action::PauseFleet,
        Action::Guided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Restart => "restart",
            Action::HealthCheck => "health_check",
            Action::Rollback => "rollback",
            Action::Shutdown => "shutdown",
            Action::Pause => "pause",
            Action::RateLimit => "rate_limit",
            Action::PauseFleet => "pause_fleet",
            Action::Guided => "guided",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// Whether the step acts on the incident's agent (and so needs one).
    pub fn needs_agent(self) -> bool {
        !matches!(self, Action::PauseFleet | Action::Guided)
    }
}

/// One step of a runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub name: String,
    pub action: Action,
    /// Run by Warden as soon as the steps before it are over; otherwise a person runs or
    /// ticks it.
    pub automatic: bool,
    /// A health check's patience, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_ms: Option<i64>,
    /// A rate limit's requests per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_min: Option<u32>,
}

impl Step {
    fn new(name: &str, action: Action, automatic: bool) -> Step {
        Step {
            name: name.to_string(),
            action,
            automatic,
            wait_ms: (action == Action::HealthCheck).then_some(DEFAULT_HEALTH_WAIT_MS),
            per_min: (action == Action::RateLimit).then_some(DEFAULT_RATE_LIMIT),
        }
    }

    /// How the step reads in a list: "restart (automatic)".
    pub fn describe(&self) -> String {
        let mut text = self.name.clone();
        if let Some(wait) = self.wait_ms {
            let wait = Duration::from_millis(u64::try_from(wait).unwrap_or(0));
            text.push_str(&format!(", up to {}", format_duration(wait)));
        }
        if let Some(n) = self.per_min {
            text.push_str(&format!(", {n}/min"));
        }
        text.push_str(if self.automatic {
            " (automatic)"
        } else if self.action == Action::Guided {
            " (guided)"
        } else {
            " (one button)"
        });
        text
    }
}

/// How long a health check waits for the agent's spans unless the runbook says.
pub const DEFAULT_HEALTH_WAIT_MS: i64 = 120_000;
/// The rate limit a cost anomaly's first step sets unless the runbook says.
pub const DEFAULT_RATE_LIMIT: u32 = 10;

/// The runbook of each incident kind that has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runbooks(pub BTreeMap<String, Vec<Step>>);

impl Default for Runbooks {
    /// The seed's runbooks, automatic where it says so.
    fn default() -> Runbooks {
        use Action::*;
        let book = |steps: &[(&str, Action, bool)]| -> Vec<Step> {
            steps
                .iter()
                .map(|(name, action, auto)| Step::new(name, *action, *auto))
                .collect()
        };
        let mut map = BTreeMap::new();
        map.insert(
            Kind::AgentUnreachable.as_str().to_string(),
            book(&[
                ("restart", Restart, true),
                ("health check", HealthCheck, true),
                ("rollback", Rollback, true),
            ]),
        );
        map.insert(
            Kind::PiiLeak.as_str().to_string(),
            book(&[
                ("shutdown", Shutdown, true),
                ("rollback", Rollback, false),
                ("audit what leaked", Guided, false),
            ]),
        );
        map.insert(
            Kind::CostAnomaly.as_str().to_string(),
            book(&[
                ("rate limit", RateLimit, true),
                ("investigate", Guided, false),
                ("fix", Guided, false),
            ]),
        );
        map.insert(
            Kind::AlignmentDrop.as_str().to_string(),
            book(&[
                ("pause", Pause, true),
                ("diagnose", Guided, false),
                ("rollback", Rollback, false),
            ]),
        );
        map.insert(
            Kind::CascadingFailure.as_str().to_string(),
            book(&[
                ("system pause", PauseFleet, false),
                ("isolate the failing agents", Guided, false),
                ("restart", Guided, false),
            ]),
        );
        Runbooks(map)
    }
}

/// A step as the config writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    pub step: String,
    /// One of [`Action`]'s names; `guided` without it.
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub automatic: bool,
    /// A health check's patience: `2m`, `30s`.
    #[serde(default)]
    pub wait: Option<String>,
    #[serde(default)]
    pub per_min: Option<u32>,
}

impl Runbooks {
    /// The seed's runbooks with the configured kinds replaced; an empty list removes one.
    pub fn from_config(configured: &BTreeMap<String, Vec<StepConfig>>) -> Result<Runbooks, String> {
        let mut books = Runbooks::default();
        for (kind, steps) in configured {
            if Kind::parse(kind).is_none() {
                return Err(format!("`{kind}` is not an incident kind"));
            }
            let steps = steps
                .iter()
                .map(|s| parse_step(kind, s))
                .collect::<Result<Vec<_>, _>>()?;
            if steps.is_empty() {
                books.0.remove(kind);
            } else {
                books.0.insert(kind.clone(), steps);
            }
        }
        Ok(books)
    }

    /// The steps an incident of `kind` opens with.
    pub fn for_kind(&self, kind: Kind) -> &[Step] {
        self.0.get(kind.as_str()).map_or(&[], Vec::as_slice)
    }
}

fn parse_step(kind: &str, s: &StepConfig) -> Result<Step, String> {
    let at = format!("{kind}: step `{}`", s.step);
    let name = s.step.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(format!("{at}: a step's name is 1 to 80 characters"));
    }
    let action = match s.action.as_deref() {
        None => Action::Guided,
        Some(text) => Action::parse(text).ok_or_else(|| {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
            format!("{at}: action is one of {}", names.join(", "))
        })?,
    };
    if action == Action::Guided && s.automatic {
        return Err(format!(
            "{at}: a guided step is done by a person and cannot be automatic"
        ));
    }
    let mut step = Step::new(name, action, s.automatic);
    if let Some(wait) = &s.wait {
        if action != Action::HealthCheck {
            return Err(format!("{at}: only a health_check waits"));
        }
        let wait = parse_duration(wait).map_err(|e| format!("{at}: {e}"))?;
        step.wait_ms = Some(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
    }
    if let Some(n) = s.per_min {
        if action != Action::RateLimit || n == 0 {
            return Err(format!(
                "{at}: per_min is a rate_limit's requests per minute, at least 1"
            ));
        }
        step.per_min = Some(n);
    }
    Ok(step)
}

/// Where an incident's step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Pending,
    /// Started and waiting for something (a health check for spans).
    Running,
    Done,
    Failed,
    /// Not needed (an earlier step recovered the agent) or skipped by a person.
    Skipped,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Running => "running",
            StepStatus::Done => "done",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
        }
    }

    pub fn parse(text: &str) -> Option<StepStatus> {
        [
            StepStatus::Pending,
            StepStatus::Running,
            StepStatus::Done,
            StepStatus::Failed,
            StepStatus::Skipped,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the step is over, for better or worse.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            StepStatus::Done | StepStatus::Failed | StepStatus::Skipped
        )
    }
}

/// An incident's step with how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentStep {
    /// Its place in the runbook, from 0.
    pub position: u32,
    /// Its number, from 1, as pages, the timeline and `POST .../steps/{n}` name it.
    pub number: u32,
    #[serde(flatten)]
    pub step: Step,
    pub status: StepStatus,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Who ran or ticked it: `warden` for an automatic step.
    pub by: Option<String>,
    pub result: Option<String>,
}

/// Whether an automatic step may start: every step before it is over and none failed (a
/// failure hands the rest to people). A person may run any step that is not over.
pub fn automatic_may_start(steps: &[IncidentStep], position: u32) -> bool {
    let Some(step) = steps.iter().find(|s| s.position == position) else {
        return false;
    };
    step.step.automatic
        && !step.status.is_over()
        && steps
            .iter()
            .filter(|s| s.position < position)
            .all(|s| s.status == StepStatus::Done || s.status == StepStatus::Skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident_steps(kind: Kind) -> Vec<IncidentStep> {
        Runbooks::default()
            .for_kind(kind)
            .iter()
            .enumerate()
            .map(|(i, step)| IncidentStep {
                position: i as u32,
                number: i as u32 + 1,
                step: step.clone(),
                status: StepStatus::Pending,
                started_at: None,
                finished_at: None,
                by: None,
                result: None,
            })
            .collect()
    }

    #[test]
    fn the_seeds_runbooks_are_automatic_where_it_says() {
        let books = Runbooks::default();
        let auto = |kind: Kind| -> Vec<bool> {
            books.for_kind(kind).iter().map(|s| s.automatic).collect()
        };
        assert_eq!(auto(Kind::AgentUnreachable), [true, true, true]);
        assert_eq!(auto(Kind::PiiLeak), [true, false, false]);
        assert_eq!(auto(Kind::CostAnomaly), [true, false, false]);
        assert_eq!(auto(Kind::AlignmentDrop), [true, false, false]);
        assert_eq!(auto(Kind::CascadingFailure), [false, false, false]);
        assert_eq!(
            books.for_kind(Kind::CascadingFailure)[0].action,
            Action::PauseFleet
        );
        assert!(books.for_kind(Kind::Manual).is_empty());
        assert_eq!(
            books.for_kind(Kind::AgentUnreachable)[1].describe(),
            "health check, up to 2m (automatic)"
        );
    }

    #[test]
    fn automatic_steps_wait_for_the_ones_before_and_stop_at_a_failure() {
        let mut steps = incident_steps(Kind::AgentUnreachable);
        assert!(automatic_may_start(&steps, 0));
        assert!(!automatic_may_start(&steps, 1));
        steps[0].status = StepStatus::Done;
        assert!(automatic_may_start(&steps, 1));
        steps[1].status = StepStatus::Running;
        assert!(automatic_may_start(&steps, 1), "a running check goes on");
        assert!(!automatic_may_start(&steps, 2));
        steps[1].status = StepStatus::Failed;
        assert!(!automatic_may_start(&steps, 2), "a failure hands over");

        let mut pii = incident_steps(Kind::PiiLeak);
        pii[0].status = StepStatus::Done;
        assert!(
            !automatic_may_start(&pii, 1),
            "guided steps wait for people"
        );
        assert!(!automatic_may_start(&pii, 9));
    }

    #[test]
    fn the_config_replaces_a_kinds_runbook_and_refuses_nonsense() {
        let step = |name: &str, action: Option<&str>, automatic: bool| StepConfig {
            step: name.into(),
            action: action.map(Into::into),
            automatic,
            wait: None,
            per_min: None,
        };
        let mut config = BTreeMap::new();
        config.insert(
            "cost_anomaly".to_string(),
            vec![
                StepConfig {
                    per_min: Some(3),
                    ..step("throttle", Some("rate_limit"), true)
                },
                step("call finance", None, false),
            ],
        );
        config.insert("pii_leak".to_string(), vec![]);
        let books = Runbooks::from_config(&config).unwrap();
        assert_eq!(books.for_kind(Kind::CostAnomaly)[0].per_min, Some(3));
        assert_eq!(books.for_kind(Kind::CostAnomaly)[1].action, Action::Guided);
        assert!(books.for_kind(Kind::PiiLeak).is_empty());
        assert_eq!(books.for_kind(Kind::AgentUnreachable).len(), 3);

        for (kind, bad) in [
            ("fire", step("x", None, false)),
            ("pii_leak", step("x", Some("reboot"), true)),
            ("pii_leak", step("x", None, true)),
            ("pii_leak", step(" ", Some("pause"), true)),
            (
                "pii_leak",
                StepConfig {
                    wait: Some("2m".into()),
                    ..step("x", Some("pause"), true)
                },
            ),
            (
                "pii_leak",
                StepConfig {
                    per_min: Some(0),
                    ..step("x", Some("rate_limit"), true)
                },
            ),
        ] {
            let mut config = BTreeMap::new();
            config.insert(kind.to_string(), vec![bad]);
            assert!(Runbooks::from_config(&config).is_err(), "{config:?}");
        }
    }
}
