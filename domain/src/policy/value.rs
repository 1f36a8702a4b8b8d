//! The values rules take, how they are written back, and which of two values is stricter.
//! Parsing them from the config file lives in `parse`.

use super::rule::ValueKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A rule's value as a YAML loader hands it over, so that this crate needs no YAML library.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// The rule's name alone in the list (`- no_pii_in_outputs`).
    Bare,
    Bool(bool),
    Number(f64),
    Text(String),
}

/// An amount of money in millionths, the unit costs are counted in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub micros: i64,
    /// The ISO 4217 code, like `EUR`.
    pub currency: String,
}

/// A rule's checked value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RuleValue {
    Flag(bool),
    Money(Money),
    Duration {
        ms: u64,
    },
    /// From 0 to 1 inclusive.
    Ratio(f64),
    /// A whole number of days; a year is 365 days.
    Period {
        days: u32,
    },
}

pub(super) const MICROS_PER_UNIT: u64 = 1_000_000;
pub(super) const DAYS_PER_YEAR: u32 = 365;

impl RawValue {
    /// Types a plain (unquoted) YAML scalar the way a YAML loader would: `true`/`false` are
    /// booleans, numbers are numbers, anything else is text. For callers that take a value
    /// from a command line or a form rather than from a YAML document.
    pub fn from_plain(text: &str) -> RawValue {
        let text = text.trim();
        match text {
            "" => RawValue::Bare,
            "true" => RawValue::Bool(true),
            "false" => RawValue::Bool(false),
            _ => {
                let numeric = text
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
                match text.parse::<f64>() {
                    Ok(n) if numeric && n.is_finite() => RawValue::Number(n),
                    _ => RawValue::Text(text.to_string()),
                }
            }
        }
    }
}

impl fmt::Display for RawValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawValue::Bare => Ok(()),
            RawValue::Bool(b) => write!(f, "{b}"),
            RawValue::Number(n) => write!(f, "{n}"),
            RawValue::Text(t) => f.write_str(t),
        }
    }
}

impl Money {
    pub fn new(micros: i64, currency: &str) -> Money {
        Money {
            micros,
            currency: currency.to_string(),
        }
    }

    /// The amount alone, with at least two decimals and no trailing zeros beyond them.
    pub fn amount(&self) -> String {
        let sign = if self.micros < 0 { "-" } else { "" };
        let abs = self.micros.unsigned_abs();
        let units = abs / MICROS_PER_UNIT;
        let fraction = format!("{:06}", abs % MICROS_PER_UNIT);
        let digits = fraction.trim_end_matches('0');
        let digits = if digits.len() < 2 {
            &fraction[..2]
        } else {
            digits
        };
        format!("{sign}{units}.{digits}")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency)
    }
}

impl RuleValue {
    pub fn kind(&self) -> ValueKind {
        match self {
            RuleValue::Flag(_) => ValueKind::Flag,
            RuleValue::Money(_) => ValueKind::Money,
            RuleValue::Duration { .. } => ValueKind::Duration,
            RuleValue::Ratio(_) => ValueKind::Ratio,
            RuleValue::Period { .. } => ValueKind::Period,
        }
    }

    /// Whether this value asks at least as much as `parent` does, so a child policy setting
    /// it does not weaken what its ancestor required. Flags: on is stricter than off. Cost
    /// and time limits: lower is stricter. A ratio is a minimum: higher is stricter. A period
    /// is a retention: longer is stricter. Values of different kinds or currencies are not
    /// comparable and give `false`.
    pub fn is_tighter_or_equal(&self, parent: &RuleValue) -> bool {
        match (self, parent) {
            (RuleValue::Flag(child), RuleValue::Flag(parent)) => *child || !*parent,
            (RuleValue::Money(child), RuleValue::Money(parent)) => {
                child.currency == parent.currency && child.micros <= parent.micros
            }
            (RuleValue::Duration { ms: child }, RuleValue::Duration { ms: parent }) => {
                child <= parent
            }
            (RuleValue::Ratio(child), RuleValue::Ratio(parent)) => child >= parent,
            (RuleValue::Period { days: child }, RuleValue::Period { days: parent }) => {
                child >= parent
            }
            _ => false,
        }
    }
}

/// The canonical text, which parses back to the same value: `true`, `0.50 EUR`, `5000ms`,
/// `0.85`, `5y` (or `Nd` when not whole years).
impl fmt::Display for RuleValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleValue::Flag(on) => write!(f, "{on}"),
            RuleValue::Money(money) => write!(f, "{money}"),
            // Milliseconds always: the seed writes `5000ms`, and one unit reads evenly in diffs.
            RuleValue::Duration { ms } => write!(f, "{ms}ms"),
            // f64's Display is the shortest text that reads back as the same number.
            RuleValue::Ratio(ratio) => write!(f, "{ratio}"),
            RuleValue::Period { days } if days.is_multiple_of(DAYS_PER_YEAR) => {
                write!(f, "{}y", days / DAYS_PER_YEAR)
            }
            RuleValue::Period { days } => write!(f, "{days}d"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(micros: i64) -> RuleValue {
        RuleValue::Money(Money::new(micros, "EUR"))
    }

    #[test]
    fn money_shows_at_least_two_decimals_and_no_more_than_needed() {
        assert_eq!(Money::new(500_000, "EUR").to_string(), "0.50 EUR");
        assert_eq!(Money::new(2_000_000, "EUR").to_string(), "2.00 EUR");
        assert_eq!(Money::new(500_001, "EUR").to_string(), "0.500001 EUR");
        assert_eq!(Money::new(1_234_500, "USD").to_string(), "1.2345 USD");
        assert_eq!(Money::new(0, "EUR").to_string(), "0.00 EUR");
        assert_eq!(Money::new(125, "EUR").amount(), "0.000125");
        assert_eq!(Money::new(-1_500_000, "EUR").amount(), "-1.50");
    }

    #[test]
    fn periods_show_years_only_when_whole() {
        assert_eq!(RuleValue::Period { days: 1825 }.to_string(), "5y");
        assert_eq!(RuleValue::Period { days: 90 }.to_string(), "90d");
        assert_eq!(RuleValue::Duration { ms: 5000 }.to_string(), "5000ms");
        assert_eq!(RuleValue::Ratio(0.85).to_string(), "0.85");
        assert_eq!(RuleValue::Flag(false).to_string(), "false");
    }

    #[test]
    fn tighter_follows_the_direction_of_each_kind() {
        assert!(RuleValue::Flag(true).is_tighter_or_equal(&RuleValue::Flag(false)));
        assert!(!RuleValue::Flag(false).is_tighter_or_equal(&RuleValue::Flag(true)));
        assert!(RuleValue::Flag(false).is_tighter_or_equal(&RuleValue::Flag(false)));
        assert!(eur(400_000).is_tighter_or_equal(&eur(500_000)));
        assert!(!eur(2_000_000).is_tighter_or_equal(&eur(500_000)));
        let ms = |ms| RuleValue::Duration { ms };
        assert!(ms(3000).is_tighter_or_equal(&ms(5000)));
        assert!(!ms(6000).is_tighter_or_equal(&ms(5000)));
        assert!(RuleValue::Ratio(0.9).is_tighter_or_equal(&RuleValue::Ratio(0.85)));
        assert!(!RuleValue::Ratio(0.8).is_tighter_or_equal(&RuleValue::Ratio(0.85)));
        let days = |days| RuleValue::Period { days };
        assert!(days(3650).is_tighter_or_equal(&days(1825)));
        assert!(!days(365).is_tighter_or_equal(&days(1825)));
        assert!(!ms(1).is_tighter_or_equal(&days(1)));
        let usd = RuleValue::Money(Money::new(1, "USD"));
        assert!(!usd.is_tighter_or_equal(&eur(500_000)));
    }

    #[test]
    fn plain_scalars_are_typed_like_yaml() {
        assert_eq!(RawValue::from_plain("true"), RawValue::Bool(true));
        assert_eq!(RawValue::from_plain("0.85"), RawValue::Number(0.85));
        assert_eq!(RawValue::from_plain(" 5000 "), RawValue::Number(5000.0));
        assert_eq!(
            RawValue::from_plain("5000ms"),
            RawValue::Text("5000ms".into())
        );
        assert_eq!(RawValue::from_plain("inf"), RawValue::Text("inf".into()));
        assert_eq!(RawValue::from_plain(""), RawValue::Bare);
    }
}
