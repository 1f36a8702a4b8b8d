//! The on-call rotation of `incidents.on_call`: an ordered list of people, a handoff time
//! in a time zone and a shift length. Shifts of whole days hand off at the same wall-clock
//! time whatever daylight saving does (a 7-day shift across the spring change is 167
//! hours); shorter ones are fixed lengths of time from the first handoff. Overrides take
//! precedence, the one added last winning where two overlap.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use warden_domain::duration::{format_duration, parse_duration};
use warden_domain::incident::oncall::{OnCallOverride, OnCallShift};

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone)]
pub struct Rotation {
    pub people: Vec<String>,
    zone: TimeZone,
    zone_name: String,
    handoff: Time,
    /// The date of the first person's first shift.
    start: Date,
    shift_ms: i64,
}

impl Rotation {
    /// From the config's words: `handoff` `HH:MM`, `time_zone` an IANA name, `shift` a
    /// duration (`7d`, `12h`), `start` the first shift's date (`YYYY-MM-DD`).
    pub fn from_config(
        people: &[String],
        handoff: &str,
        time_zone: &str,
        shift: &str,
        start: &str,
    ) -> Result<Rotation, String> {
        let people: Vec<String> = people.iter().map(|p| p.trim().to_lowercase()).collect();
        if people.is_empty() {
            return Err("rotation: name at least one person".into());
        }
        if let Some(bad) = people.iter().find(|p| !p.contains('@')) {
            return Err(format!("rotation: `{bad}` is not an e-mail address"));
        }
        let zone = TimeZone::get(time_zone)
            .map_err(|_| format!("time_zone: `{time_zone}` is not an IANA time zone"))?;
        let handoff: Time = handoff
            .parse()
            .map_err(|_| format!("handoff: `{handoff}` is not a time of day like 09:00"))?;
        let start: Date = start
            .parse()
            .map_err(|_| format!("start: `{start}` is not a date like 2026-01-05"))?;
        let shift = parse_duration(shift).map_err(|e| format!("shift: {e}"))?;
        let shift_ms = i64::try_from(shift.as_millis()).unwrap_or(i64::MAX);
        if !(3_600_000..=366 * DAY_MS).contains(&shift_ms) {
            return Err("shift: between an hour and a year".into());
        }
        Ok(Rotation {
            people,
            zone,
            zone_name: time_zone.to_string(),
            handoff,
            start,
            shift_ms,
        })
    }

    /// "ann@…, bob@… · 7d shifts, handing off at 09:00 Europe/Paris"; shorter shifts
    /// are fixed lengths from the first handoff, and say so.
    pub fn describe(&self) -> String {
        let shift = format_duration(std::time::Duration::from_millis(self.shift_ms as u64));
        let handoff = self.handoff.strftime("%H:%M");
        if self.shift_ms % DAY_MS == 0 {
            format!(
                "{} · {shift} shifts, handing off at {handoff} {}",
                self.people.join(", "),
                self.zone_name
            )
        } else {
            format!(
                "{} · {shift} shifts from {} {handoff} {}",
                self.people.join(", "),
                self.start,
                self.zone_name
            )
        }
    }

    /// The instant the rotation's `n`th shift starts (0 is the first).
    fn shift_start(&self, n: i64) -> Option<i64> {
        if self.shift_ms % DAY_MS == 0 {
            let days = n.checked_mul(self.shift_ms / DAY_MS)?;
            let date = self
                .start
                .checked_add(Span::new().try_days(days).ok()?)
                .ok()?;
            let zoned = date
                .to_datetime(self.handoff)
                .to_zoned_datetime(self.zone.clone())
                .ok()?;
            Some(zoned.timestamp().as_millisecond())
        } else {
            let first = self.shift_start_day0()?;
            first.checked_add(n.checked_mul(self.shift_ms)?)
        }
    }

    fn shift_start_day0(&self) -> Option<i64> {
        let zoned = self
            .start
            .to_datetime(self.handoff)
            .to_zoned_datetime(self.zone.clone())
            .ok()?;
        Some(zoned.timestamp().as_millisecond())
    }

    /// Which shift covers `t`: its number, counted from the first (negative before it).
    fn shift_number(&self, t: i64) -> Option<i64> {
        if self.shift_ms % DAY_MS == 0 {
            let zoned = Timestamp::from_millisecond(t)
                .ok()?
                .to_zoned_datetime(self.zone.clone());
            let mut day = zoned.date();
            if zoned.time() < self.handoff {
                day = day.yesterday().ok()?;
            }
            let days = i64::from(self.start.until(day).ok()?.get_days());
            Some(days.div_euclid(self.shift_ms / DAY_MS))
        } else {
            Some((t - self.shift_start_day0()?).div_euclid(self.shift_ms))
        }
    }

    /// The rotation's shift covering `t`. The civil-day count can be one off where a
    /// handoff falls in a daylight-saving gap or fold; the instants decide.
    pub fn shift_at(&self, t: i64) -> Option<OnCallShift> {
        let mut n = self.shift_number(t)?;
        for _ in 0..2 {
            if t < self.shift_start(n)? {
                n -= 1;
            } else if t >= self.shift_start(n + 1)? {
                n += 1;
            }
        }
        let len = self.people.len() as i64;
        Some(OnCallShift {
            who: self.people[n.rem_euclid(len) as usize].clone(),
            from: self.shift_start(n)?,
            until: self.shift_start(n + 1)?,
            by_override: None,
        })
    }
}

/// Who is on call at `t`: an override covering it (the last added wins), else the
/// rotation, cut short where an override begins. `None` with neither.
pub fn on_call_at(
    rotation: Option<&Rotation>,
    overrides: &[OnCallOverride],
    t: i64,
) -> Option<OnCallShift> {
    if let Some(o) = overrides
        .iter()
        .filter(|o| o.covers(t))
        .max_by_key(|o| (o.created_at, o.id))
    {
        // Until it ends, or an override added later takes over.
        let until = overrides
            .iter()
            .filter(|later| (later.created_at, later.id) > (o.created_at, o.id))
            .map(|later| later.starts_at)
            .filter(|&s| s > t && s < o.ends_at)
            .min()
            .unwrap_or(o.ends_at);
        return Some(OnCallShift {
            who: o.who.clone(),
            from: o.starts_at,
            until,
            by_override: Some(o.id),
        });
    }
    let mut shift = rotation?.shift_at(t)?;
    if let Some(cut) = overrides
        .iter()
        .map(|o| o.starts_at)
        .filter(|&s| s > t && s < shift.until)
        .min()
    {
        shift.until = cut;
    }
    Some(shift)
}

/// Who comes after `current`: the first stretch after it with someone else on call,
/// looked for over the next few shifts.
pub fn next_after(
    rotation: Option<&Rotation>,
    overrides: &[OnCallOverride],
    current: &OnCallShift,
) -> Option<OnCallShift> {
    let mut at = current.until;
    for _ in 0..16 {
        let shift = on_call_at(rotation, overrides, at)?;
        if shift.who != current.who {
            return Some(shift);
        }
        at = shift.until;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn weekly() -> Rotation {
        let people = ["ann@example.com", "bob@example.com", "cy@example.com"].map(String::from);
        Rotation::from_config(&people, "09:00", "Europe/Paris", "7d", "2026-03-02").unwrap()
    }

    #[test]
    fn weekly_shifts_hand_off_at_nine_paris_time_across_daylight_saving() {
        let r = weekly();
        // Monday 2 March 2026, 09:00 in Paris is 08:00 UTC.
        let first = r.shift_at(ms("2026-03-02T08:00:00Z")).unwrap();
        assert_eq!(first.who, "ann@example.com");
        assert_eq!(first.from, ms("2026-03-02T08:00:00Z"));
        assert_eq!(first.until, ms("2026-03-09T08:00:00Z"));
        assert_eq!(
            r.shift_at(ms("2026-03-02T07:59:59Z")).unwrap().who,
            "cy@example.com"
        );
        // Summer time starts on 29 March: the handoff stays at 09:00 Paris (07:00 UTC), so
        // ann's second shift, from the 23rd, is an hour short.
        let across = r.shift_at(ms("2026-03-25T12:00:00Z")).unwrap();
        assert_eq!(across.who, "ann@example.com");
        let bob = r.shift_at(ms("2026-03-31T12:00:00Z")).unwrap();
        assert_eq!(bob.who, "bob@example.com");
        assert_eq!(bob.from, ms("2026-03-30T07:00:00Z"));
        assert_eq!(bob.until - bob.from, 7 * DAY_MS);
        assert_eq!(across.until - across.from, 7 * DAY_MS - 3_600_000);
    }

    #[test]
    fn a_handoff_in_the_spring_gap_hands_off_when_the_clocks_jump() {
        // 02:30 does not exist in Paris on 29 March 2026 (02:00 CET jumps to 03:00 CEST):
        // the handoff is at 03:30 CEST, the time an hour on from it (01:30 UTC).
        let people = ["ann@example.com", "bob@example.com"].map(String::from);
        let r =
            Rotation::from_config(&people, "02:30", "Europe/Paris", "1d", "2026-03-28").unwrap();
        let before = r.shift_at(ms("2026-03-29T01:15:00Z")).unwrap();
        assert_eq!(
            before.who, "ann@example.com",
            "the civil day says bob; the instant, ann"
        );
        let after = r.shift_at(ms("2026-03-29T01:30:00Z")).unwrap();
        assert_eq!(after.who, "bob@example.com");
        assert_eq!(after.from, ms("2026-03-29T01:30:00Z"));
        assert_eq!(before.until, after.from);
    }

    #[test]
    fn shorter_shifts_are_fixed_lengths_from_the_first_handoff() {
        let people = ["ann@example.com", "bob@example.com"].map(String::from);
        let r = Rotation::from_config(&people, "08:00", "UTC", "12h", "2026-01-01").unwrap();
        assert_eq!(
            r.shift_at(ms("2026-01-01T19:59:00Z")).unwrap().who,
            "ann@example.com"
        );
        assert_eq!(
            r.shift_at(ms("2026-01-01T20:00:00Z")).unwrap().who,
            "bob@example.com"
        );
        assert_eq!(
            r.shift_at(ms("2026-01-02T08:00:00Z")).unwrap().who,
            "ann@example.com"
        );
        assert_eq!(
            r.describe(),
            "ann@example.com, bob@example.com · 12h shifts from 2026-01-01 08:00 UTC"
        );
    }

    #[test]
    fn an_override_covers_its_stretch_and_the_last_added_wins() {
        let r = weekly();
        let cover = |id, who: &str, from: &str, to: &str, created_at| OnCallOverride {
            id,
            who: who.into(),
            starts_at: ms(from),
            ends_at: ms(to),
            note: String::new(),
            created_by: who.into(),
            created_at,
        };
        // Dan covers Tuesday night of ann's week; eve takes the second half of it.
        let overrides = vec![
            cover(
                1,
                "dan@example.com",
                "2026-03-03T19:00:00Z",
                "2026-03-04T07:00:00Z",
                1,
            ),
            cover(
                2,
                "eve@example.com",
                "2026-03-04T01:00:00Z",
                "2026-03-04T07:00:00Z",
                2,
            ),
        ];
        let before = on_call_at(Some(&r), &overrides, ms("2026-03-03T12:00:00Z")).unwrap();
        assert_eq!(before.who, "ann@example.com");
        assert_eq!(
            before.until,
            ms("2026-03-03T19:00:00Z"),
            "cut where the cover starts"
        );
        let dan = on_call_at(Some(&r), &overrides, ms("2026-03-03T20:00:00Z")).unwrap();
        assert_eq!(
            (dan.who.as_str(), dan.by_override),
            ("dan@example.com", Some(1))
        );
        assert_eq!(dan.until, ms("2026-03-04T01:00:00Z"));
        let eve = next_after(Some(&r), &overrides, &dan).unwrap();
        assert_eq!(eve.who, "eve@example.com");
        let back = next_after(Some(&r), &overrides, &eve).unwrap();
        assert_eq!(back.who, "ann@example.com");
        assert_eq!(back.until, ms("2026-03-09T08:00:00Z"));
        // Without a rotation, only overrides name anyone.
        assert_eq!(
            on_call_at(None, &overrides, ms("2026-03-03T12:00:00Z")),
            None
        );
        assert_eq!(
            on_call_at(None, &overrides, ms("2026-03-03T20:00:00Z"))
                .unwrap()
                .who,
            "dan@example.com"
        );
    }

    #[test]
    fn the_config_says_what_is_wrong() {
        let people = ["ann@example.com".to_string()];
        for (handoff, zone, shift, start) in [
            ("9h", "UTC", "7d", "2026-01-01"),
            ("09:00", "Mars/Olympus", "7d", "2026-01-01"),
            ("09:00", "UTC", "10m", "2026-01-01"),
            ("09:00", "UTC", "7d", "01/01/2026"),
        ] {
            assert!(Rotation::from_config(&people, handoff, zone, shift, start).is_err());
        }
        assert!(Rotation::from_config(&[], "09:00", "UTC", "7d", "2026-01-01").is_err());
    }
}
