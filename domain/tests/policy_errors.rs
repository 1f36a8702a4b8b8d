//! A broken policy block: every problem is reported, with its line and the fix.

use warden_domain::policy::{LevelSource, PolicyError, PolicySet, RawValue, RuleSource};

fn rule(name: &str, value: RawValue, line: u32) -> RuleSource {
    RuleSource {
        name: name.into(),
        value,
        line: Some(line),
    }
}

fn text(name: &str, value: &str, line: u32) -> RuleSource {
    rule(name, RawValue::Text(value.into()), line)
}

fn level(name: &str, inherits: Option<&str>, line: u32, rules: Vec<RuleSource>) -> LevelSource {
    LevelSource {
        name: name.into(),
        inherits: inherits.map(str::to_string),
        rules,
        line: Some(line),
    }
}

fn errors(levels: Vec<LevelSource>) -> Vec<PolicyError> {
    match PolicySet::build(levels, "EUR") {
        Ok(set) => panic!("built {set:?}"),
        Err(errors) => errors,
    }
}

/// The one error of a block with one problem, shown as the caller will print it.
fn only_error(levels: Vec<LevelSource>) -> (Option<u32>, String) {
    let errors = errors(levels);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    (errors[0].line, errors[0].to_string())
}

#[test]
fn a_misspelt_rule_is_reported_with_the_closest_name() {
    let block = vec![level(
        "global",
        None,
        2,
        vec![rule("no_pii_in_output", RawValue::Bare, 4)],
    )];

    assert_eq!(
        only_error(block),
        (
            Some(4),
            "policy `global`, rule `no_pii_in_output`: unknown rule: did you mean `no_pii_in_outputs`?"
                .into()
        )
    );
}

#[test]
fn an_unknown_rule_far_from_any_name_lists_the_rules() {
    let block = vec![level(
        "global",
        None,
        2,
        vec![rule("be_nice", RawValue::Bare, 3)],
    )];

    let (_, message) = only_error(block);

    assert!(
        message.contains("unknown rule: the rules are no_pii_in_outputs, mandatory_logging,"),
        "{message}"
    );
}

#[test]
fn a_bad_unit_is_reported_at_its_line() {
    let block = vec![level(
        "customer_facing",
        None,
        7,
        vec![text("max_response_time", "5 parsecs", 10)],
    )];

    assert_eq!(
        only_error(block),
        (
            Some(10),
            "policy `customer_facing`, rule `max_response_time`: `5 parsecs` is not a duration: write a whole number and a unit (ms, s, m, h), like 5000ms"
                .into()
        )
    );
}

#[test]
fn a_valued_rule_without_its_value_shows_an_example() {
    let block = vec![level(
        "global",
        None,
        1,
        vec![rule("max_cost_per_interaction", RawValue::Bare, 5)],
    )];

    let (line, message) = only_error(block);

    assert_eq!(line, Some(5));
    assert!(
        message.ends_with("needs a value, like `max_cost_per_interaction: 0.50 EUR`"),
        "{message}"
    );
}

#[test]
fn a_cost_limit_in_another_currency_names_both_currencies() {
    let block = vec![level(
        "global",
        None,
        1,
        vec![text("max_cost_per_interaction", "0.50 USD", 3)],
    )];

    let (line, message) = only_error(block);

    assert_eq!(line, Some(3));
    assert!(
        message.ends_with(
            "`0.50 USD` is in USD but costs are counted in EUR, the configured currency: write the limit in EUR"
        ),
        "{message}"
    );
}

#[test]
fn an_unknown_parent_lists_the_policies_and_suggests_one() {
    let block = vec![
        level("global", None, 1, vec![]),
        level("customer_facing", None, 4, vec![]),
        level("high_risk", Some("customer_facin"), 8, vec![]),
    ];

    assert_eq!(
        only_error(block),
        (
            Some(8),
            "policy `high_risk`: inherits `customer_facin`, which is not defined (did you mean `customer_facing`?): the policies are `customer_facing`, `global`"
                .into()
        )
    );
}

#[test]
fn a_cycle_is_reported_once_with_its_path() {
    let block = vec![
        level("global", None, 1, vec![]),
        level("b", Some("a"), 4, vec![]),
        level("a", Some("b"), 8, vec![]),
        level("c", Some("a"), 12, vec![]),
    ];

    assert_eq!(
        only_error(block),
        (
            Some(8),
            "policy `a`: inherits in a cycle, a -> b -> a: remove one of these `inherits` to break it"
                .into()
        )
    );
}

#[test]
fn a_level_inheriting_itself_is_a_cycle() {
    let block = vec![level("solo", Some("solo"), 1, vec![])];

    let (_, message) = only_error(block);

    assert!(message.contains("solo -> solo"), "{message}");
}

#[test]
fn global_cannot_inherit() {
    let block = vec![
        level("global", Some("customer_facing"), 1, vec![]),
        level("customer_facing", None, 5, vec![]),
    ];

    assert_eq!(
        only_error(block),
        (
            Some(1),
            "policy `global`: applies to all agents, so it cannot inherit: remove `inherits: customer_facing`"
                .into()
        )
    );
}

#[test]
fn a_rule_set_twice_in_one_level_points_at_the_first() {
    let block = vec![level(
        "global",
        None,
        1,
        vec![
            rule("mandatory_logging", RawValue::Bare, 3),
            rule("mandatory_logging", RawValue::Bool(false), 6),
        ],
    )];

    assert_eq!(
        only_error(block),
        (
            Some(6),
            "policy `global`, rule `mandatory_logging`: is set twice in this policy (first on line 3): keep one"
                .into()
        )
    );
}

#[test]
fn a_level_defined_twice_is_reported() {
    let block = vec![
        level("sales", None, 1, vec![]),
        level("sales", None, 9, vec![]),
    ];

    let (line, message) = only_error(block);

    assert_eq!(line, Some(9));
    assert!(
        message.contains("is defined twice (first on line 1)"),
        "{message}"
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let block = vec![
        level(
            "global",
            Some("nowhere"),
            1,
            vec![
                text("max_cost_per_interaction", "-1 EUR", 3),
                rule("kill_switch_required", RawValue::Number(1.0), 4),
            ],
        ),
        level(
            "high_risk",
            Some("global"),
            6,
            vec![
                rule("alignment_score_minimum", RawValue::Number(1.2), 8),
                text("audit_trail_retention", "18mo", 9),
                rule("max_response_time", RawValue::Number(5000.0), 10),
                rule("no_gender_inferance", RawValue::Bare, 11),
            ],
        ),
    ];

    let errors = errors(block);

    let found: Vec<(Option<u32>, Option<&str>)> =
        errors.iter().map(|e| (e.line, e.rule.as_deref())).collect();
    assert_eq!(
        found,
        [
            (Some(1), None),
            (Some(3), Some("max_cost_per_interaction")),
            (Some(4), Some("kill_switch_required")),
            (Some(8), Some("alignment_score_minimum")),
            (Some(9), Some("audit_trail_retention")),
            (Some(10), Some("max_response_time")),
            (Some(11), Some("no_gender_inferance")),
        ]
    );
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages[1].contains("is negative"), "{}", messages[1]);
    assert!(messages[2].contains("write `kill_switch_required` to turn it on"));
    assert!(messages[3].contains("not a ratio"), "{}", messages[3]);
    assert!(
        messages[5].contains("write it as 5000ms"),
        "{}",
        messages[5]
    );
    assert!(messages[6].contains("did you mean `no_gender_inference`?"));
}

#[test]
fn a_rule_without_a_line_is_located_at_its_level() {
    let mut block = vec![level(
        "global",
        None,
        12,
        vec![text("max_response_time", "0ms", 1)],
    )];
    block[0].rules[0].line = None;

    let (line, message) = only_error(block);

    assert_eq!(line, Some(12));
    assert!(message.contains("`0ms` is zero"), "{message}");
}

#[test]
fn a_level_without_a_name_is_reported() {
    let block = vec![level("", None, 3, vec![])];

    assert_eq!(
        only_error(block),
        (
            Some(3),
            "a policy: has no name: give it one, like `customer_facing`".into()
        )
    );
}
