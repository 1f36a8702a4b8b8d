//! Dates relative to the interaction's clock: the civil calendar and the date and time slots.

use rand::Rng;
use rand::rngs::StdRng;

use super::Slots;
use crate::fake::pick;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The civil date (year, month 1-12, day 1-31) of a day counted from 1970-01-01.
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm: shift to an era starting 0000-03-01 so leap days end the year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// Monday = 0; 1970-01-01 was a Thursday.
pub(super) fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

impl Slots {
    /// Dates and times, relative to the interaction's clock.
    pub(super) fn date(&mut self, rng: &mut StdRng, name: &str) -> Option<String> {
        let (year, month, _) = civil_from_days(self.today);
        let today = self.today;
        let v = match name {
            "date" => iso_date(today - rng.random_range(2..21)),
            "date2" => iso_date(today - rng.random_range(0..2)),
            "date_h" => {
                let (_, m, d) = civil_from_days(today - rng.random_range(1..7));
                format!("{d} {}", month_name(m))
            }
            "due_date" => iso_date(today + rng.random_range(3..31)),
            "month" => month_name(month % 12 + 1).to_string(),
            "month_start" => format!("{year:04}-{month:02}-01"),
            "prev_month_start" => {
                let (y, m) = if month == 1 {
                    (year - 1, 12)
                } else {
                    (year, month - 1)
                };
                format!("{y:04}-{m:02}-01")
            }
            "week_start" => iso_date(today - weekday(today) as i64 - 7),
            "quarter" => {
                let q = (month - 1) / 3;
                if q == 0 {
                    format!("Q4 {}", year - 1)
                } else {
                    format!("Q{q} {year}")
                }
            }
            "year" => year.to_string(),
            "time_h" => {
                let secs = self
                    .secs_of_day
                    .saturating_sub(rng.random_range(600..10_800));
                format!("{:02}:{:02} UTC", secs / 3600, secs / 60 % 60)
            }
            "meeting_time" => {
                let mut day = today + rng.random_range(5..10);
                while weekday(day) >= 5 {
                    day += 1;
                }
                let (_, m, d) = civil_from_days(day);
                format!(
                    "{} {d} {} at {}",
                    WEEKDAYS[weekday(day)],
                    month_name(m),
                    pick(rng, &["09:30", "10:00", "11:30", "14:00", "15:30"], "10:00")
                )
            }
            _ => return None,
        };
        Some(v)
    }
}
