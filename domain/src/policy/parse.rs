//! Reading a rule's value as the config file writes it, with errors that show the fix.
//! Lenient only where nothing is lost: `0.50EUR` and `0.5000000 EUR` are read, `0.5` is not,
//! because a limit without its currency or unit is a guess.

use super::rule::{RuleName, ValueKind};
use super::value::{DAYS_PER_YEAR, MICROS_PER_UNIT, Money, RawValue, RuleValue};
use crate::duration::parse_duration;

/// A rule value that cannot be read. Messages follow the rule's name in a `PolicyError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("needs a value, like `{rule}: {example}`")]
    Missing { rule: RuleName, example: String },
    #[error(
        "`{given}` is not on or off: write `{rule}` to turn it on or `{rule}: false` to turn it off"
    )]
    NotAFlag { rule: RuleName, given: String },
    #[error("`{given}` has no currency: write it as {example}")]
    NoCurrency { given: String, example: String },
    #[error("`{given}` is not an amount of money: write an amount and a currency, like {example}")]
    NotMoney { given: String, example: String },
    #[error("`{given}` is negative: write a limit of zero or more")]
    Negative { given: String },
    #[error(
        "`{given}` has more than 6 decimal places: costs are counted in millionths, so round it"
    )]
    TooPrecise { given: String },
    #[error("`{given}` is too large for a limit")]
    TooLarge { given: String },
    #[error(
        "`{given}` is in {currency} but costs are counted in {expected}, the configured currency: write the limit in {expected}"
    )]
    WrongCurrency {
        given: String,
        currency: String,
        expected: String,
    },
    #[error("`{given}` has no unit: write it as {example}")]
    NoUnit { given: String, example: String },
    #[error(
        "`{given}` is not a duration: write a whole number and a unit (ms, s, m, h), like 5000ms"
    )]
    NotDuration { given: String },
    #[error("`{given}` is not a period: write a whole number and d, w or y, like 5y")]
    NotPeriod { given: String },
    #[error("`{given}` is zero: write a positive limit, like {example}")]
    Zero { given: String, example: String },
    #[error(
        "`{given}` is not a ratio: write a number from 0 to 1, like 0.85, or a percentage, like 85%"
    )]
    NotRatio { given: String },
}

impl RuleValue {
    /// Reads `rule`'s value. `currency` is the configured currency: costs are computed in
    /// it, so a cost limit in another currency could never be compared with them.
    pub fn parse(rule: RuleName, raw: &RawValue, currency: &str) -> Result<RuleValue, ValueError> {
        let kind = rule.kind();
        if *raw == RawValue::Bare && kind != ValueKind::Flag {
            let example = example(kind, currency);
            return Err(ValueError::Missing { rule, example });
        }
        let given = shown(raw);
        match (kind, raw) {
            (ValueKind::Flag, RawValue::Bare) => Ok(RuleValue::Flag(true)),
            (ValueKind::Flag, RawValue::Bool(on)) => Ok(RuleValue::Flag(*on)),
            (ValueKind::Flag, _) => Err(ValueError::NotAFlag { rule, given }),
            (ValueKind::Money, RawValue::Text(text)) => {
                Money::parse(text, currency).map(RuleValue::Money)
            }
            (ValueKind::Money, RawValue::Number(n)) if *n < 0.0 => {
                Err(ValueError::Negative { given })
            }
            (ValueKind::Money, RawValue::Number(n)) => Err(ValueError::NoCurrency {
                given,
                example: money_example(*n, currency),
            }),
            (ValueKind::Money, _) => Err(ValueError::NotMoney {
                given,
                example: example(kind, currency),
            }),
            (ValueKind::Duration, RawValue::Text(text)) => parse_ms(text),
            (ValueKind::Duration, RawValue::Number(n)) => Err(ValueError::NoUnit {
                example: whole(*n).map_or("5000ms".into(), |n| format!("{n}ms")),
                given,
            }),
            (ValueKind::Duration, _) => Err(ValueError::NotDuration { given }),
            (ValueKind::Ratio, RawValue::Number(n)) => ratio(*n, given),
            (ValueKind::Ratio, RawValue::Text(text)) => parse_ratio(text),
            (ValueKind::Ratio, _) => Err(ValueError::NotRatio { given }),
            (ValueKind::Period, RawValue::Text(text)) => parse_days(text),
            (ValueKind::Period, RawValue::Number(n)) => Err(ValueError::NoUnit {
                example: whole(*n).map_or("5y".into(), |n| format!("{n}y or {n}d")),
                given,
            }),
            (ValueKind::Period, _) => Err(ValueError::NotPeriod { given }),
        }
    }
}

impl Money {
    /// Reads `0.50 EUR`: a non-negative decimal with at most six significant decimals, then
    /// the currency, which must be `currency`.
    pub fn parse(text: &str, currency: &str) -> Result<Money, ValueError> {
        let text = text.trim();
        let given = clip(text);
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
            .unwrap_or(text.len());
        let (number, code) = (&text[..split], text[split..].trim());
        let not_money = || ValueError::NotMoney {
            given: given.clone(),
            example: example(ValueKind::Money, currency),
        };
        if number.starts_with('-') {
            return Err(ValueError::Negative { given });
        }
        let micros = match parse_micros(number) {
            Ok(micros) => micros,
            Err(Amount::Invalid) => return Err(not_money()),
            Err(Amount::TooPrecise) => return Err(ValueError::TooPrecise { given }),
            Err(Amount::TooLarge) => return Err(ValueError::TooLarge { given }),
        };
        if code.is_empty() {
            let example = Money::new(micros, currency).to_string();
            return Err(ValueError::NoCurrency { given, example });
        }
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(not_money());
        }
        if code != currency {
            return Err(ValueError::WrongCurrency {
                given,
                currency: code.to_string(),
                expected: currency.to_string(),
            });
        }
        Ok(Money::new(micros, currency))
    }
}

enum Amount {
    Invalid,
    TooPrecise,
    TooLarge,
}

/// `12.345` as millionths; digits past the sixth decimal may only be zeros.
fn parse_micros(number: &str) -> Result<i64, Amount> {
    let (units, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let dangling_point = number.contains('.') && fraction.is_empty();
    if units.is_empty() || dangling_point || !digits(units) || !digits(fraction) {
        return Err(Amount::Invalid);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 6 {
        return Err(Amount::TooPrecise);
    }
    let fraction: u64 = format!("{fraction:0<6}")
        .parse()
        .map_err(|_| Amount::Invalid)?;
    let units: u64 = units.parse().map_err(|_| Amount::TooLarge)?;
    units
        .checked_mul(MICROS_PER_UNIT)
        .and_then(|m| m.checked_add(fraction))
        .and_then(|m| i64::try_from(m).ok())
        .ok_or(Amount::TooLarge)
}

fn parse_ms(text: &str) -> Result<RuleValue, ValueError> {
    let text = text.trim();
    let given = clip(text);
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        let example = format!("{text}ms");
        return Err(ValueError::NoUnit { given, example });
    }
    let duration = parse_duration(text).map_err(|_| ValueError::NotDuration {
        given: given.clone(),
    })?;
    let ms = u64::try_from(duration.as_millis()).map_err(|_| ValueError::TooLarge {
        given: given.clone(),
    })?;
    if ms == 0 {
        let example = "5000ms".to_string();
        return Err(ValueError::Zero { given, example });
    }
    Ok(RuleValue::Duration { ms })
}

fn parse_days(text: &str) -> Result<RuleValue, ValueError> {
    let text = text.trim();
    let given = clip(text);
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = (&text[..split], text[split..].trim());
    if number.is_empty() {
        return Err(ValueError::NotPeriod { given });
    }
    if unit.is_empty() {
        let example = format!("{number}y or {number}d");
        return Err(ValueError::NoUnit { given, example });
    }
    let size = match unit {
        "d" => 1,
        "w" => 7,
        "y" => DAYS_PER_YEAR,
        _ => return Err(ValueError::NotPeriod { given }),
    };
    let days = number
        .parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(size))
        .ok_or_else(|| ValueError::TooLarge {
            given: given.clone(),
        })?;
    if days == 0 {
        let example = "5y".to_string();
        return Err(ValueError::Zero { given, example });
    }
    Ok(RuleValue::Period { days })
}

fn parse_ratio(text: &str) -> Result<RuleValue, ValueError> {
    let text = text.trim();
    let given = clip(text);
    let (number, scale) = match text.strip_suffix('%') {
        Some(percent) => (percent.trim_end(), 100.0),
        None => (text, 1.0),
    };
    match number.parse::<f64>() {
        Ok(n) => ratio(n / scale, given),
        Err(_) => Err(ValueError::NotRatio { given }),
    }
}

fn ratio(n: f64, given: String) -> Result<RuleValue, ValueError> {
    if n.is_finite() && (0.0..=1.0).contains(&n) {
        Ok(RuleValue::Ratio(n))
    } else {
        Err(ValueError::NotRatio { given })
    }
}

/// The example a message offers for a rule of this kind.
fn example(kind: ValueKind, currency: &str) -> String {
    match kind {
        ValueKind::Flag => "true".into(),
        ValueKind::Money => format!("0.50 {currency}"),
        ValueKind::Duration => "5000ms".into(),
        ValueKind::Ratio => "0.85".into(),
        ValueKind::Period => "5y".into(),
    }
}

/// `0.5` given without a currency: suggest the same amount with it.
fn money_example(n: f64, currency: &str) -> String {
    let micros = (n * MICROS_PER_UNIT as f64).round();
    if micros.is_finite() && micros < i64::MAX as f64 {
        Money::new(micros as i64, currency).to_string()
    } else {
        example(ValueKind::Money, currency)
    }
}

fn whole(n: f64) -> Option<u64> {
    (n.is_finite() && n > 0.0 && n.fract() == 0.0 && n < 1e15).then_some(n as u64)
}

/// The value as the user wrote it, short enough for a one-line message.
fn shown(raw: &RawValue) -> String {
    clip(&raw.to_string())
}

fn clip(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut clipped: String = text.chars().take(MAX).collect();
        clipped.push('…');
        clipped
    }
}
