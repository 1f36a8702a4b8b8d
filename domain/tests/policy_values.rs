//! Rule values: what is read, what is refused and why, and that the canonical text reads
//! back as the same value.

use warden_domain::policy::{Money, RawValue, RuleName, RuleValue, ValueError};

const COST: RuleName = RuleName::MaxCostPerInteraction;
const TIME: RuleName = RuleName::MaxResponseTime;
const SCORE: RuleName = RuleName::AlignmentScoreMinimum;
const RETENTION: RuleName = RuleName::AuditTrailRetention;
const FLAG: RuleName = RuleName::KillSwitchRequired;

fn parse(rule: RuleName, raw: RawValue) -> Result<RuleValue, ValueError> {
    RuleValue::parse(rule, &raw, "EUR")
}

fn text(rule: RuleName, value: &str) -> Result<RuleValue, ValueError> {
    parse(rule, RawValue::Text(value.into()))
}

fn message(result: Result<RuleValue, ValueError>) -> String {
    match result {
        Ok(value) => panic!("read {value:?}"),
        Err(error) => error.to_string(),
    }
}

fn eur(micros: i64) -> Result<RuleValue, ValueError> {
    Ok(RuleValue::Money(Money::new(micros, "EUR")))
}

#[test]
fn flags_are_on_when_bare_or_true_and_refuse_anything_else() {
    assert_eq!(parse(FLAG, RawValue::Bare), Ok(RuleValue::Flag(true)));
    assert_eq!(
        parse(FLAG, RawValue::Bool(false)),
        Ok(RuleValue::Flag(false))
    );
    assert_eq!(
        message(text(FLAG, "yes")),
        "`yes` is not on or off: write `kill_switch_required` to turn it on or `kill_switch_required: false` to turn it off"
    );
    assert!(parse(FLAG, RawValue::Number(1.0)).is_err());
}

#[test]
fn money_takes_up_to_six_decimals_and_a_currency() {
    assert_eq!(text(COST, "0.5 EUR"), eur(500_000));
    assert_eq!(text(COST, "0.50 EUR"), eur(500_000));
    assert_eq!(text(COST, "0.500001 EUR"), eur(500_001));
    assert_eq!(text(COST, "12 EUR"), eur(12_000_000));
    assert_eq!(text(COST, "0 EUR"), eur(0));
    assert_eq!(text(COST, " 0.50EUR "), eur(500_000));
    assert_eq!(text(COST, "0.5000000 EUR"), eur(500_000));
    assert_eq!(
        message(text(COST, "0.5000001 EUR")),
        "`0.5000001 EUR` has more than 6 decimal places: costs are counted in millionths, so round it"
    );
    assert_eq!(
        message(text(COST, "-1 EUR")),
        "`-1 EUR` is negative: write a limit of zero or more"
    );
}

#[test]
fn money_without_a_currency_shows_the_amount_with_one() {
    assert_eq!(
        message(parse(COST, RawValue::Number(0.5))),
        "`0.5` has no currency: write it as 0.50 EUR"
    );
    assert_eq!(
        message(text(COST, "2")),
        "`2` has no currency: write it as 2.00 EUR"
    );
    assert_eq!(
        message(parse(COST, RawValue::Bare)),
        "needs a value, like `max_cost_per_interaction: 0.50 EUR`"
    );
    assert!(message(parse(COST, RawValue::Number(-1.0))).contains("is negative"));
}

#[test]
fn money_in_a_malformed_or_foreign_currency_is_refused() {
    for bad in [
        "€0.50",
        "EUR 0.50",
        "0.50 eur",
        "0.50 EURO",
        "1. EUR",
        ".5 EUR",
        "1e3 EUR",
    ] {
        assert!(
            message(text(COST, bad)).contains("is not an amount of money"),
            "{bad}"
        );
    }
    assert!(matches!(
        text(COST, "0.50 USD"),
        Err(ValueError::WrongCurrency { currency, expected, .. }) if currency == "USD" && expected == "EUR"
    ));
    assert!(matches!(
        text(COST, "99999999999999999999 EUR"),
        Err(ValueError::TooLarge { .. })
    ));
}

#[test]
fn durations_need_a_unit_and_must_be_positive() {
    assert_eq!(text(TIME, "5000ms"), Ok(RuleValue::Duration { ms: 5000 }));
    assert_eq!(text(TIME, "5s"), Ok(RuleValue::Duration { ms: 5000 }));
    assert_eq!(text(TIME, "2m"), Ok(RuleValue::Duration { ms: 120_000 }));
    assert_eq!(text(TIME, "1h"), Ok(RuleValue::Duration { ms: 3_600_000 }));
    assert_eq!(
        message(parse(TIME, RawValue::Number(5000.0))),
        "`5000` has no unit: write it as 5000ms"
    );
    assert_eq!(
        message(text(TIME, "5000")),
        "`5000` has no unit: write it as 5000ms"
    );
    assert_eq!(
        message(text(TIME, "0ms")),
        "`0ms` is zero: write a positive limit, like 5000ms"
    );
    for bad in ["1.5s", "-5s", "5 parsecs", "fast"] {
        assert!(
            message(text(TIME, bad)).contains("is not a duration"),
            "{bad}"
        );
    }
}

#[test]
fn ratios_are_numbers_or_percentages_from_zero_to_one() {
    assert_eq!(
        parse(SCORE, RawValue::Number(0.85)),
        Ok(RuleValue::Ratio(0.85))
    );
    assert_eq!(text(SCORE, "0.85"), Ok(RuleValue::Ratio(0.85)));
    assert_eq!(text(SCORE, "85%"), Ok(RuleValue::Ratio(0.85)));
    assert_eq!(text(SCORE, "100 %"), Ok(RuleValue::Ratio(1.0)));
    assert_eq!(
        parse(SCORE, RawValue::Number(0.0)),
        Ok(RuleValue::Ratio(0.0))
    );
    assert_eq!(
        message(parse(SCORE, RawValue::Number(1.2))),
        "`1.2` is not a ratio: write a number from 0 to 1, like 0.85, or a percentage, like 85%"
    );
    for bad in ["120%", "-0.1", "NaN", "inf", "high", "%"] {
        assert!(text(SCORE, bad).is_err(), "{bad}");
    }
    assert!(parse(SCORE, RawValue::Number(f64::NAN)).is_err());
    assert!(parse(SCORE, RawValue::Bool(true)).is_err());
}

#[test]
fn periods_are_days_weeks_or_years() {
    assert_eq!(text(RETENTION, "5y"), Ok(RuleValue::Period { days: 1825 }));
    assert_eq!(text(RETENTION, "2w"), Ok(RuleValue::Period { days: 14 }));
    assert_eq!(text(RETENTION, "90d"), Ok(RuleValue::Period { days: 90 }));
    assert_eq!(
        message(parse(RETENTION, RawValue::Number(5.0))),
        "`5` has no unit: write it as 5y or 5d"
    );
    assert!(message(text(RETENTION, "18mo")).contains("is not a period"));
    assert!(message(text(RETENTION, "0y")).contains("is zero"));
    assert!(matches!(
        text(RETENTION, "99999999y"),
        Err(ValueError::TooLarge { .. })
    ));
}

#[test]
fn the_canonical_text_of_every_kind_reads_back_as_the_same_value() {
    let values = [
        (FLAG, RuleValue::Flag(true)),
        (FLAG, RuleValue::Flag(false)),
        (COST, RuleValue::Money(Money::new(500_000, "EUR"))),
        (COST, RuleValue::Money(Money::new(500_001, "EUR"))),
        (COST, RuleValue::Money(Money::new(0, "EUR"))),
        (TIME, RuleValue::Duration { ms: 5000 }),
        (TIME, RuleValue::Duration { ms: 1 }),
        (SCORE, RuleValue::Ratio(0.85)),
        (SCORE, RuleValue::Ratio(1.0)),
        (SCORE, RuleValue::Ratio(1.0 / 3.0)),
        (RETENTION, RuleValue::Period { days: 1825 }),
        (RETENTION, RuleValue::Period { days: 400 }),
    ];
    for (rule, value) in values {
        let written = value.to_string();
        // As a YAML loader would type the unquoted scalar.
        let read = RuleValue::parse(rule, &RawValue::from_plain(&written), "EUR");
        assert_eq!(read, Ok(value.clone()), "{written}");
        if rule != FLAG {
            assert_eq!(text(rule, &written), Ok(value), "{written}");
        }
    }
}
