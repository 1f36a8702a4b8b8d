//! Which rollup rows answer a time range: whole days from day rows, whole hours from hour
//! rows, the rest from minute rows, and everything recent from minutes, which the ingest
//! commit writes (hour and day rows are recomputed from them by a job, a minute or so
//! behind).

/// Epoch ms in a minute, an hour, a day (UTC).
pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resolution {
    Minute,
    Hour,
    Day,
}

impl Resolution {
    pub fn ms(self) -> i64 {
        match self {
            Resolution::Minute => MINUTE_MS,
            Resolution::Hour => HOUR_MS,
            Resolution::Day => DAY_MS,
        }
    }

    /// Its name in the rollup tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Minute => "minute",
            Resolution::Hour => "hour",
            Resolution::Day => "day",
        }
    }
}

/// `[from, to)` read at one resolution; both ends are multiples of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub resolution: Resolution,
    pub from: i64,
    pub to: i64,
}

pub fn floor(t: i64, unit: i64) -> i64 {
    t.div_euclid(unit) * unit
}

pub fn ceil(t: i64, unit: i64) -> i64 {
    -floor(-t, unit)
}

/// What the rows live from: minutes before `minutes_from` are gone (their retention), and
/// rollups from `live_from` on may lag behind the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    pub minutes_from: i64,
    pub live_from: i64,
    /// The coarsest rows wanted: a series by the hour must not read day rows.
    pub coarsest: Resolution,
}

/// The segments that cover `[from, to)` (widened to whole minutes). Where minutes are gone,
/// the edge widens to its whole hour.
pub fn plan(from: i64, to: i64, at: Availability) -> Vec<Segment> {
    let (from, to) = (floor(from, MINUTE_MS), ceil(to, MINUTE_MS));
    if from >= to {
        return Vec::new();
    }
    let split = floor(at.live_from, HOUR_MS).clamp(from, to);
    let mut out = Vec::new();
    let mut push = |resolution, from: i64, to: i64| {
        if from < to {
            out.push(Segment {
                resolution,
                from,
                to,
            });
        }
    };
    let (h0, h1) = (ceil(from, HOUR_MS), floor(split, HOUR_MS));
    let edge = |from: i64, to: i64| {
        if from < at.minutes_from {
            (Resolution::Hour, floor(from, HOUR_MS), ceil(to, HOUR_MS))
        } else {
            (Resolution::Minute, from, to)
        }
    };
    if at.coarsest == Resolution::Minute || h0 >= h1 {
        // Where minutes are gone even a series by the minute falls back to whole hours.
        let (r, a, b) = edge(from, split);
        push(r, a, b);
    } else {
        let (r, a, b) = edge(from, h0);
        push(r, a, b);
        let (d0, d1) = (ceil(h0, DAY_MS), floor(h1, DAY_MS));
        if at.coarsest == Resolution::Day && d0 < d1 {
            push(Resolution::Hour, h0, d0);
            push(Resolution::Day, d0, d1);
            push(Resolution::Hour, d1, h1);
        } else {
            push(Resolution::Hour, h0, h1);
        }
        let (r, a, b) = edge(h1, split);
        push(r, a, b);
    }
    push(Resolution::Minute, split, to);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 20_000 * DAY_MS;

    fn covers(segments: &[Segment], from: i64, to: i64) {
        let mut at = from;
        for s in segments {
            assert_eq!(s.from, at, "{segments:?}");
            assert_eq!(s.from % s.resolution.ms(), 0);
            assert_eq!(s.to % s.resolution.ms(), 0);
            at = s.to;
        }
        assert_eq!(at, to, "{segments:?}");
    }

    fn all_kept(live_from: i64) -> Availability {
        Availability {
            minutes_from: 0,
            live_from,
            coarsest: Resolution::Day,
        }
    }

    #[test]
    fn thirty_days_read_days_inside_hours_around_and_minutes_at_the_edges() {
        let to = T0 + 10 * HOUR_MS + 17 * MINUTE_MS;
        let from = to - 30 * DAY_MS;
        let live = floor(to - 10 * MINUTE_MS, HOUR_MS);
        let p = plan(from, to, all_kept(live));
        covers(&p, from, to);
        let kinds: Vec<Resolution> = p.iter().map(|s| s.resolution).collect();
        use Resolution::*;
        assert_eq!(kinds, [Minute, Hour, Day, Hour, Minute]);
        assert_eq!(p[2].to - p[2].from, 29 * DAY_MS);
        assert_eq!(
            p[4],
            Segment {
                resolution: Minute,
                from: T0 + 10 * HOUR_MS,
                to
            }
        );
    }

    #[test]
    fn a_range_inside_one_hour_or_all_recent_reads_minutes() {
        let from = T0 + 5 * MINUTE_MS;
        let p = plan(from, from + 20 * MINUTE_MS, all_kept(T0 + 2 * HOUR_MS));
        assert_eq!(
            p,
            [Segment {
                resolution: Resolution::Minute,
                from,
                to: from + 20 * MINUTE_MS
            }]
        );
        let p = plan(T0, T0 + 3 * HOUR_MS, all_kept(T0 - DAY_MS));
        assert_eq!(
            p,
            [Segment {
                resolution: Resolution::Minute,
                from: T0,
                to: T0 + 3 * HOUR_MS
            }]
        );
    }

    #[test]
    fn edges_without_minutes_widen_to_their_hour_and_series_by_the_hour_skip_days() {
        let from = T0 + 30 * MINUTE_MS;
        let to = T0 + 3 * DAY_MS;
        let at = Availability {
            minutes_from: T0 + DAY_MS,
            live_from: to,
            coarsest: Resolution::Hour,
        };
        let p = plan(from, to, at);
        covers(&p, T0, to);
        assert!(p.iter().all(|s| s.resolution == Resolution::Hour));
        assert_eq!(plan(to, to, at), []);
    }

    #[test]
    fn floor_and_ceil_round_to_the_unit() {
        assert_eq!(floor(61_000, MINUTE_MS), 60_000);
        assert_eq!(ceil(61_000, MINUTE_MS), 120_000);
        assert_eq!(ceil(60_000, MINUTE_MS), 60_000);
        assert_eq!(floor(-1, MINUTE_MS), -60_000);
    }
}
