//! Durations as the config file writes them: `5000ms`, `5s`, `15m`, `12h`, `90d`, `5y`.

use std::time::Duration;

/// A duration string that is not a positive whole number followed by a known unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a duration: write a whole number and a unit (ms, s, m, h, d, w, y), e.g. `90d`"
)]
pub struct DurationError(pub String);

const DAY_SECS: u64 = 86_400;

/// Parses a config duration. A year is 365 days: retention periods are legal minimums, and a
/// day short of a leap year is never the difference that matters.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    let err = || DurationError(text.chars().take(40).collect());
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(err)?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().map_err(|_| err())?;
    let secs = |mult: u64| n.checked_mul(mult).map(Duration::from_secs);
    let duration = match unit.trim() {
        "ms" => Some(Duration::from_millis(n)),
        "s" => secs(1),
        "m" | "min" => secs(60),
        "h" => secs(3_600),
        "d" => secs(DAY_SECS),
        "w" => secs(7 * DAY_SECS),
        "y" => secs(365 * DAY_SECS),
        _ => None,
    };
    duration.ok_or_else(err)
}

/// Writes a duration back in the largest unit that divides it exactly.
pub fn format_duration(duration: Duration) -> String {
    let ms = duration.as_millis();
    if !ms.is_multiple_of(1000) {
        return format!("{ms}ms");
    }
    let secs = duration.as_secs();
    for (unit, size) in [
        ("y", 365 * DAY_SECS),
        ("d", DAY_SECS),
        ("h", 3_600),
        ("m", 60),
    ] {
        if secs >= size && secs.is_multiple_of(size) {
            return format!("{}{unit}", secs / size);
        }
    }
    format!("{secs}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_units_parse() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("5000ms"), Ok(Duration::from_millis(5000)));
        assert_eq!(parse_duration("90d"), Ok(Duration::from_secs(90 * 86_400)));
        assert_eq!(
            parse_duration("1095d"),
            Ok(Duration::from_secs(1095 * 86_400))
        );
        assert_eq!(
            parse_duration("5y"),
            Ok(Duration::from_secs(5 * 365 * 86_400))
        );
    }

    #[test]
    fn garbage_and_missing_units_are_refused() {
        for bad in [
            "",
            "5",
            "d",
            "-5s",
            "5 parsecs",
            "1.5h",
            "99999999999999999999y",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formatting_picks_the_largest_exact_unit() {
        assert_eq!(format_duration(Duration::from_secs(90 * 86_400)), "90d");
        assert_eq!(format_duration(Duration::from_secs(90)), "90s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(format_duration(Duration::from_secs(12 * 3600)), "12h");
    }
}
