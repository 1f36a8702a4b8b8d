//! Formats epoch milliseconds as UTC dates for display, without a date library (this crate
//! also runs in the browser, where every dependency is download weight).

/// `2026-11-25 09:41 UTC` for an epoch-milliseconds timestamp.
pub fn format_utc_minutes(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// `2026-11-25T09:41:07.123Z`: RFC 3339 with milliseconds, for exports.
pub fn iso_utc(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        epoch_ms.rem_euclid(1000)
    )
}

/// A span's length for people: `850 µs`, `340 ms`, `1.24 s`, `2 min 05 s`.
pub fn format_elapsed_ns(ns: i64) -> String {
    let ns = ns.max(0);
    if ns < 1_000_000 {
        format!("{} µs", ns / 1_000)
    } else if ns < 1_000_000_000 {
        format!("{} ms", ns / 1_000_000)
    } else if ns < 60_000_000_000 {
        format!("{:.2} s", ns as f64 / 1e9)
    } else {
        let s = ns / 1_000_000_000;
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

/// `09:41:07.250` (UTC) for an epoch-nanoseconds instant: the time of day a span started.
pub fn format_utc_time_ns(ns: i64) -> String {
    let ms = ns.div_euclid(1_000_000);
    let day_ms = ms.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        day_ms / 3_600_000,
        (day_ms / 60_000) % 60,
        (day_ms / 1000) % 60,
        day_ms % 1000
    )
}

/// `2026-11-25` (UTC midnight) to epoch milliseconds; `None` for anything else.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    // Years people mean; a year of eleven digits would overflow the day count.
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000)
}

/// `2026-11-25T22:30` (UTC, what a `datetime-local` input sends; a space works too) to
/// epoch milliseconds; `None` for anything else.
pub fn parse_utc_minute(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    let (h, m) = time.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(parse_date(date)? + (h * 60 + m) * 60_000)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A proleptic Gregorian date to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_inputs_read_as_utc_minutes() {
        assert_eq!(
            parse_utc_minute("2026-12-08T22:30"),
            Some(parse_date("2026-12-08").unwrap() + 22 * 3_600_000 + 30 * 60_000)
        );
        assert_eq!(
            parse_utc_minute("2026-12-08 00:00"),
            parse_date("2026-12-08")
        );
        for bad in ["2026-12-08", "2026-12-08T24:00", "2026-02-30T10:00", "noon"] {
            assert_eq!(parse_utc_minute(bad), None, "{bad}");
        }
    }

    #[test]
    fn elapsed_times_use_a_readable_unit() {
        assert_eq!(format_elapsed_ns(850_000), "850 µs");
        assert_eq!(format_elapsed_ns(340_000_000), "340 ms");
        assert_eq!(format_elapsed_ns(1_240_000_000), "1.24 s");
        assert_eq!(format_elapsed_ns(125_000_000_000), "2 min 05 s");
        assert_eq!(
            format_utc_time_ns(1_795_564_800_250_000_000 + 3_661_000_000_000),
            "01:01:01.250"
        );
    }

    #[test]
    fn dates_parse_to_utc_midnight_and_round_trip() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-11-25"), Some(1_795_564_800_000));
        assert_eq!(
            format_utc_minutes(parse_date("2024-02-29").unwrap()),
            "2024-02-29 00:00 UTC"
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn known_instants_format_correctly() {
        assert_eq!(format_utc_minutes(0), "1970-01-01 00:00 UTC");
        // 2024-02-29 12:34:56 UTC, a leap day.
        assert_eq!(
            format_utc_minutes(1_709_210_096_000),
            "2024-02-29 12:34 UTC"
        );
        assert_eq!(
            format_utc_minutes(1_795_564_800_000),
            "2026-11-25 00:00 UTC"
        );
        assert_eq!(format_utc_minutes(-1000), "1969-12-31 23:59 UTC");
        assert_eq!(iso_utc(1_709_210_096_042), "2024-02-29T12:34:56.042Z");
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59.999Z");
    }
}
