//! The seed's policy hierarchy: building it, what each level enforces, export and diff.

use std::collections::BTreeSet;
use warden_domain::policy::{
    LevelSource, Money, PolicyChange, PolicySet, RawValue, RuleName, RuleSource, RuleValue,
    Severity, diff,
};

fn rule(name: &str, value: RawValue) -> RuleSource {
    RuleSource {
        name: name.into(),
        value,
        line: None,
    }
}

fn flag(name: &str) -> RuleSource {
    rule(name, RawValue::Bare)
}

fn text(name: &str, value: &str) -> RuleSource {
    rule(name, RawValue::Text(value.into()))
}

fn level(name: &str, inherits: Option<&str>, rules: Vec<RuleSource>) -> LevelSource {
    LevelSource {
        name: name.into(),
        inherits: inherits.map(str::to_string),
        rules,
        line: None,
    }
}

/// The seed's `policies:` block as a YAML loader would hand it over.
fn seed() -> Vec<LevelSource> {
    vec![
        level(
            "global",
            None,
            vec![
                flag("no_pii_in_outputs"),
                flag("mandatory_logging"),
                text("max_cost_per_interaction", "0.50 EUR"),
                rule("kill_switch_required", RawValue::Bool(true)),
            ],
        ),
        level(
            "customer_facing",
            Some("global"),
            vec![
                flag("transparency_notice_required"),
                flag("human_escalation_enabled"),
                text("max_response_time", "5000ms"),
            ],
        ),
        level(
            "high_risk",
            Some("customer_facing"),
            vec![
                flag("full_explainability_logging"),
                rule("alignment_score_minimum", RawValue::Number(0.85)),
                flag("dual_review_for_changes"),
                text("audit_trail_retention", "5y"),
            ],
        ),
        level(
            "hr_screening_agent",
            Some("high_risk"),
            vec![
                flag("no_gender_inference"),
                flag("no_age_inference"),
                flag("no_ethnicity_inference"),
                flag("mandatory_human_review"),
            ],
        ),
    ]
}

fn build(levels: Vec<LevelSource>) -> PolicySet {
    match PolicySet::build(levels, "EUR") {
        Ok(set) => set,
        Err(errors) => panic!("{errors:#?}"),
    }
}

/// The tree indented two spaces a level, as the UI shows it.
fn tree(set: &PolicySet) -> Vec<String> {
    set.tree()
        .into_iter()
        .map(|(depth, name)| format!("{}{name}", "  ".repeat(depth)))
        .collect()
}

fn eur(micros: i64) -> RuleValue {
    RuleValue::Money(Money::new(micros, "EUR"))
}

#[test]
fn the_seed_builds_into_a_four_level_chain() {
    let set = build(seed());

    assert_eq!(
        tree(&set),
        [
            "global",
            "  customer_facing",
            "    high_risk",
            "      hr_screening_agent"
        ]
    );
    assert!(set.contains("high_risk"));
    assert!(!set.contains("sales"));
    assert_eq!(
        set.level("high_risk").and_then(|l| l.parent()),
        Some("customer_facing")
    );
}

#[test]
fn hr_screening_agent_enforces_all_fifteen_rules_from_the_levels_that_set_them() {
    let set = build(seed());

    let Some(policy) = set.effective("hr_screening_agent") else {
        panic!("hr_screening_agent is defined");
    };

    assert_eq!(
        policy.chain,
        [
            "global",
            "customer_facing",
            "high_risk",
            "hr_screening_agent"
        ]
    );
    let rules: Vec<RuleName> = policy.rules.iter().map(|r| r.rule).collect();
    assert_eq!(rules, RuleName::ALL);
    let from = |rule| policy.get(rule).map(|r| r.from.as_str());
    assert_eq!(from(RuleName::KillSwitchRequired), Some("global"));
    assert_eq!(from(RuleName::MaxResponseTime), Some("customer_facing"));
    assert_eq!(from(RuleName::AuditTrailRetention), Some("high_risk"));
    assert_eq!(
        from(RuleName::MandatoryHumanReview),
        Some("hr_screening_agent")
    );
    let value = |rule| policy.get(rule).map(|r| r.value.clone());
    assert_eq!(value(RuleName::MaxCostPerInteraction), Some(eur(500_000)));
    assert_eq!(
        value(RuleName::MaxResponseTime),
        Some(RuleValue::Duration { ms: 5000 })
    );
    assert_eq!(
        value(RuleName::AlignmentScoreMinimum),
        Some(RuleValue::Ratio(0.85))
    );
    assert_eq!(
        value(RuleName::AuditTrailRetention),
        Some(RuleValue::Period { days: 1825 })
    );
    assert!(
        policy
            .rules
            .iter()
            .all(|r| r.overrides.is_empty() && !r.loosened)
    );
    assert!(policy.warnings.is_empty());
    assert_eq!(
        policy.get(RuleName::NoAgeInference).map(|r| r.severity),
        Some(Severity::Critical)
    );
}

#[test]
fn global_enforces_its_own_four_rules() {
    let set = build(seed());

    let Some(policy) = set.effective("global") else {
        panic!("global is defined");
    };

    assert_eq!(policy.chain, ["global"]);
    let rules: Vec<&str> = policy.rules.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "no_pii_in_outputs",
            "mandatory_logging",
            "max_cost_per_interaction",
            "kill_switch_required"
        ]
    );
    assert!(policy.is_on(RuleName::MaxCostPerInteraction));
    assert!(!policy.is_on(RuleName::MaxResponseTime));
    assert!(set.effective("nobody").is_none());
}

#[test]
fn a_level_naming_no_parent_inherits_global() {
    let mut levels = seed();
    levels.push(level(
        "analytics",
        None,
        vec![flag("mandatory_human_review")],
    ));
    let set = build(levels);

    let analytics = set.level("analytics");
    assert_eq!(analytics.and_then(|l| l.inherits.clone()), None);
    assert_eq!(analytics.and_then(|l| l.parent()), Some("global"));
    let policy = set.effective("analytics");
    assert_eq!(policy.map(|p| p.rules.len()), Some(5));
    assert_eq!(set.tree()[1], (1, "analytics".to_string()));
}

#[test]
fn without_global_levels_naming_no_parent_are_roots() {
    let set = build(vec![
        level("b", None, vec![]),
        level("a", None, vec![flag("mandatory_logging")]),
        level("a_child", Some("a"), vec![]),
    ]);

    assert_eq!(tree(&set), ["a", "  a_child", "b"]);
    assert_eq!(set.level("b").and_then(|l| l.parent()), None);
    assert!(build(vec![]).is_empty());
    assert_eq!(build(vec![]).effective("global"), None);
}

#[test]
fn a_child_loosening_a_limit_is_applied_and_warned_about() {
    let mut levels = seed();
    levels[1]
        .rules
        .push(text("max_cost_per_interaction", "2.00 EUR"));
    levels[3]
        .rules
        .push(rule("kill_switch_required", RawValue::Bool(false)));
    let set = build(levels);

    let Some(policy) = set.effective("hr_screening_agent") else {
        panic!("hr_screening_agent is defined");
    };

    let Some(cost) = policy.get(RuleName::MaxCostPerInteraction) else {
        panic!("the cost limit is set");
    };
    assert_eq!(cost.value, eur(2_000_000));
    assert_eq!(cost.from, "customer_facing");
    assert_eq!(cost.overrides, [("global".to_string(), eur(500_000))]);
    assert!(cost.loosened);
    assert!(!policy.is_on(RuleName::KillSwitchRequired));
    assert_eq!(
        policy.warnings,
        [
            "`customer_facing` sets max_cost_per_interaction to 2.00 EUR, looser than the 0.50 EUR set by `global`",
            "`hr_screening_agent` turns kill_switch_required off, which `global` turns on",
        ]
    );
    let global = set.effective("global").map(|p| p.warnings);
    assert_eq!(global, Some(vec![]));
}

#[test]
fn a_child_tightening_a_limit_is_not_flagged() {
    let mut levels = seed();
    levels[2]
        .rules
        .push(text("max_cost_per_interaction", "0.20 EUR"));
    let set = build(levels);

    let policy = set.effective("high_risk");
    let cost = policy
        .as_ref()
        .and_then(|p| p.get(RuleName::MaxCostPerInteraction));
    assert_eq!(
        cost.map(|c| (c.loosened, c.from.as_str())),
        Some((false, "high_risk"))
    );
    assert_eq!(policy.map(|p| p.warnings.len()), Some(0));
}

#[test]
fn descendants_include_the_level_and_everything_below_it() {
    let mut levels = seed();
    levels.push(level("sales", Some("customer_facing"), vec![]));
    let set = build(levels);

    assert_eq!(
        set.descendants("customer_facing"),
        [
            "customer_facing",
            "high_risk",
            "hr_screening_agent",
            "sales"
        ]
    );
    assert_eq!(
        set.descendants("hr_screening_agent"),
        ["hr_screening_agent"]
    );
    assert!(set.descendants("nobody").is_empty());
    assert_eq!(set.descendants("global").len(), 5);
}

#[test]
fn the_seed_exports_as_the_seed() {
    let set = build(seed());

    assert_eq!(set.to_yaml(), warden_domain::policy::SEED_POLICIES);
    assert_eq!(PolicySet::default().to_yaml(), "policies: {}\n");
}

#[test]
fn an_export_reads_back_as_the_same_set() {
    let mut levels = seed();
    levels[3]
        .rules
        .push(rule("kill_switch_required", RawValue::Bool(false)));
    levels.push(level("empty", None, vec![]));
    let set = build(levels);

    let again = build(set.sources());

    assert_eq!(again, set);
    assert!(
        set.to_yaml()
            .contains("      - kill_switch_required: false\n")
    );
    assert!(set.to_yaml().contains("  empty:\n    rules: []\n"));
}

#[test]
fn a_changed_limit_affects_its_level_and_the_levels_below() {
    let old = build(seed());
    let mut levels = seed();
    levels[1].rules[2] = text("max_response_time", "3000ms");
    levels[3].rules.pop();
    levels.push(level(
        "sales",
        Some("customer_facing"),
        vec![flag("mandatory_human_review")],
    ));
    let new = build(levels);

    let changes = diff(&old, &new);

    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "customer_facing: max_response_time 5000ms -> 3000ms",
            "hr_screening_agent: removed mandatory_human_review true",
            "sales: added",
            "sales: added mandatory_human_review true",
        ]
    );
    let affected = PolicySet::affected_levels(&old, &new, &changes);
    let expected: BTreeSet<String> = [
        "customer_facing",
        "high_risk",
        "hr_screening_agent",
        "sales",
    ]
    .map(String::from)
    .into();
    assert_eq!(affected, expected);
    assert!(diff(&new, &new).is_empty());
}

#[test]
fn adding_global_reparents_the_levels_that_name_no_parent() {
    let old = build(vec![level("sales", None, vec![])]);
    let new = build(vec![
        level("sales", None, vec![]),
        level("global", None, vec![]),
    ]);

    let changes = diff(&old, &new);

    assert_eq!(
        changes,
        [
            PolicyChange::LevelAdded {
                level: "global".into()
            },
            PolicyChange::ParentChanged {
                level: "sales".into(),
                before: None,
                after: Some("global".into()),
            },
        ]
    );
    assert_eq!(changes[1].to_string(), "sales: inherits (none) -> global");
    let removed = diff(&new, &old);
    assert_eq!(
        removed.last().map(ToString::to_string),
        Some("global: removed".into())
    );
    assert_eq!(PolicySet::affected_levels(&old, &new, &changes).len(), 2);
}
