//! The escalation ladder: who is paged when, for an incident nobody has acknowledged.
//! Pure: the caller stores the [`Cursor`] and the time of the next page with the incident
//! and asks [`Ladder::advance`] what is due whenever that time has come, so a restart or a
//! second replica resumes exactly where the stored cursor says.

use super::Status;
use crate::Role;
use crate::duration::{format_duration, parse_duration};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Whom a level pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Target {
    /// Every enabled user holding the role.
    Role(Role),
    /// The owner of the incident's agent.
    AgentOwner,
    /// Whoever is on call now: the rotation's person, or every `on_call` holder without one.
    OnCall,
    Email(String),
    /// A Slack-compatible incoming webhook.
    Webhook(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Role(role) => f.write_str(role.as_str()),
            Target::AgentOwner => f.write_str("agent_owner"),
            Target::OnCall => f.write_str("on_call"),
            Target::Email(address) | Target::Webhook(address) => f.write_str(address),
        }
    }
}

/// A webhook URL as people may see it: its host only. The whole URL is a secret (whoever
/// holds a Slack incoming-webhook URL can post to the channel), so it stays in the config
/// and the outbox, never on a timeline, in a mail or on a page.
pub fn masked_webhook(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("webhook {host}/…")
}

impl Target {
    /// A target a config may name now. A webhook URL is a secret and the page it posts
    /// describes an incident: over the internet it goes by `https://`; plain `http://` is
    /// for a relay on this host or a private network. (Checked on configs only: a ladder
    /// an incident was opened with is read back as it was stored.)
    fn checked_for_config(self) -> Result<Target, String> {
        if let Target::Webhook(url) = &self
            && let Some(rest) = url.strip_prefix("http://")
        {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
            let private = host == "localhost"
                || host
                    .parse::<std::net::Ipv4Addr>()
                    .is_ok_and(|ip| ip.is_loopback() || ip.is_private());
            if !private {
                return Err(format!(
                    "{}: a webhook outside this host or a private network takes https://",
                    masked_webhook(url)
                ));
            }
        }
        Ok(self)
    }

    /// How the target is shown to people: webhooks masked.
    pub fn shown(&self) -> String {
        match self {
            Target::Webhook(url) => masked_webhook(url),
            other => other.to_string(),
        }
    }
}

impl From<Target> for String {
    fn from(target: Target) -> String {
        target.to_string()
    }
}

impl TryFrom<String> for Target {
    type Error = String;
    fn try_from(text: String) -> Result<Target, String> {
        Target::parse(&text)
    }
}

impl Target {
    /// `agent_owner`, `on_call`, a role's name, an e-mail address or an `https://` URL.
    pub fn parse(text: &str) -> Result<Target, String> {
        let text = text.trim();
        match text {
            "agent_owner" => return Ok(Target::AgentOwner),
            "on_call" => return Ok(Target::OnCall),
            _ => {}
        }
        if let Ok(role) = text.parse::<Role>() {
            return Ok(Target::Role(role));
        }
        if text.starts_with("https://") || text.starts_with("http://") {
            return Ok(Target::Webhook(text.to_string()));
        }
        let looks_like_mail = text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !text.contains(char::is_whitespace);
        if looks_like_mail {
            return Ok(Target::Email(text.to_string()));
        }
        Err(format!(
            "`{text}` is not a role, agent_owner, on_call, an e-mail address or a webhook URL"
        ))
    }
}

/// One rung: whom to page, this long after the incident opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub after_ms: i64,
    pub notify: Vec<Target>,
}

/// The levels in order, and how often the last is paged again until someone acknowledges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    pub levels: Vec<Level>,
    pub repeat_every_ms: Option<i64>,
}

/// Where an incident's escalation stands: the next round to page. `round` is 0 the first
/// time a level is paged and counts the last level's repeats after that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cursor {
    pub level: usize,
    pub round: u32,
}

/// What [`Ladder::advance`] found due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The rounds to page now, in order.
    pub pages: Vec<Cursor>,
    /// The round after them.
    pub next: Cursor,
    /// When `next` is due; `None` when nothing more will be paged.
    pub next_at: Option<i64>,
}

fn minutes(m: u64) -> i64 {
    (m * 60_000) as i64
}

impl Default for Ladder {
    /// The seed's ladder: owner and on-call at once, the engineering lead at 5 minutes,
    /// the CTO at 15, the incident commander and legal at 30, again every 30 minutes.
    fn default() -> Ladder {
        Ladder {
            levels: vec![
                Level {
                    after_ms: 0,
                    notify: vec![Target::AgentOwner, Target::OnCall],
                },
                Level {
                    after_ms: minutes(5),
                    notify: vec![Target::Role(Role::EngineeringLead)],
                },
                Level {
                    after_ms: minutes(15),
                    notify: vec![Target::Role(Role::Cto)],
                },
                Level {
                    after_ms: minutes(30),
                    notify: vec![
                        Target::Role(Role::IncidentCommander),
                        Target::Role(Role::Legal),
                    ],
                },
            ],
            repeat_every_ms: Some(minutes(30)),
        }
    }
}

impl Ladder {
    /// Builds a ladder from the config's words: each level's `after` and `notify`.
    pub fn from_config(
        levels: &[(String, Vec<String>)],
        repeat_every: Option<&str>,
    ) -> Result<Ladder, String> {
        let mut built = Vec::with_capacity(levels.len());
        for (i, (after, notify)) in levels.iter().enumerate() {
            let after =
                parse_duration_or_zero(after).map_err(|e| format!("level {}: {e}", i + 1))?;
            let notify = notify
                .iter()
                .map(|t| Target::parse(t).and_then(Target::checked_for_config))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("level {}: {e}", i + 1))?;
            built.push(Level {
                after_ms: after.as_millis() as i64,
                notify,
            });
        }
        let repeat_every_ms = match repeat_every {
            None => None,
            Some(text) => Some(
                parse_duration(text)
                    .map_err(|e| format!("repeat_every: {e}"))?
                    .as_millis() as i64,
            ),
        };
        let ladder = Ladder {
            levels: built,
            repeat_every_ms,
        };
        ladder.check()?;
        Ok(ladder)
    }

    /// Refuses a ladder that would page nobody or run backwards.
    pub fn check(&self) -> Result<(), String> {
        if self.levels.is_empty() {
            return Err("an escalation ladder needs at least one level".into());
        }
        for (i, level) in self.levels.iter().enumerate() {
            if level.notify.is_empty() {
                return Err(format!("level {} notifies nobody", i + 1));
            }
            if i > 0 && level.after_ms < self.levels[i - 1].after_ms {
                return Err(format!(
                    "level {} comes before level {}: `after` must not decrease",
                    i + 1,
                    i
                ));
            }
        }
        if self.repeat_every_ms.is_some_and(|r| r <= 0) {
            return Err("repeat_every must be longer than zero".into());
        }
        Ok(())
    }

    /// When the round at `cursor` is due for an incident opened at `opened_at`; `None`
    /// past the end of the ladder.
    pub fn due_at(&self, opened_at: i64, cursor: Cursor) -> Option<i64> {
        let level = self.levels.get(cursor.level)?;
        let at = opened_at + level.after_ms;
        if cursor.round == 0 {
            return Some(at);
        }
        let last = cursor.level + 1 == self.levels.len();
        let every = self.repeat_every_ms.filter(|_| last)?;
        Some(at + every * i64::from(cursor.round))
    }

    /// The rounds due at `now` from `cursor` on. Every level whose time has come is paged
    /// once, also those a stopped server missed; of the last level's repeats only the
    /// latest due is paged, not one for each missed period. An incident no longer
    /// triggered pages nothing: acknowledging stops the ladder.
    pub fn advance(&self, opened_at: i64, status: Status, cursor: Cursor, now: i64) -> Due {
        if status != Status::Triggered {
            return Due {
                pages: Vec::new(),
                next: cursor,
                next_at: None,
            };
        }
        let mut pages = Vec::new();
        let mut next = cursor;
        let last = self.levels.len().saturating_sub(1);
        while let Some(at) = self.due_at(opened_at, next) {
            if at > now {
                break;
            }
            if next.level == last && next.round > 0 {
                // Jump to the latest repeat due; the ones before it are stale news.
                let every = self.repeat_every_ms.unwrap_or(i64::MAX).max(1);
                let base = opened_at + self.levels[last].after_ms;
                let latest = ((now - base) / every).max(i64::from(next.round));
                next.round = u32::try_from(latest).unwrap_or(u32::MAX);
                pages.push(next);
                next.round = next.round.saturating_add(1);
                break;
            }
            pages.push(next);
            next = if next.level < last {
                Cursor {
                    level: next.level + 1,
                    round: 0,
                }
            } else {
                Cursor {
                    level: next.level,
                    round: next.round + 1,
                }
            };
        }
        Due {
            pages,
            next,
            next_at: self.due_at(opened_at, next),
        }
    }

    /// The config's words for this ladder, for the docs and the UI.
    pub fn describe(&self) -> Vec<String> {
        self.levels
            .iter()
            .enumerate()
            .map(|(i, level)| {
                let who: Vec<String> = level.notify.iter().map(Target::shown).collect();
                format!(
                    "level {} after {}: {}",
                    i + 1,
                    format_duration(Duration::from_millis(level.after_ms.max(0) as u64)),
                    who.join(", ")
                )
            })
            .collect()
    }
}

/// `0`, `0m` and `0s` are all "at once"; anything else is a config duration.
fn parse_duration_or_zero(text: &str) -> Result<Duration, String> {
    let digits_zero = text
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits_zero == "0" {
        return Ok(Duration::ZERO);
    }
    parse_duration(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn at(level: usize, round: u32) -> Cursor {
        Cursor { level, round }
    }

    #[test]
    fn the_seed_ladder_pages_each_level_at_its_time() {
        let ladder = Ladder::default();
        let opened = 1_000_000;
        let first = ladder.advance(opened, Status::Triggered, Cursor::default(), opened);
        assert_eq!(first.pages, vec![at(0, 0)]);
        assert_eq!(first.next_at, Some(opened + 5 * MIN));
        // A tick just before the next level pages nothing: wait steps are not skipped.
        let early = ladder.advance(opened, Status::Triggered, first.next, opened + 5 * MIN - 1);
        assert!(early.pages.is_empty());
        assert_eq!(early.next, first.next);
        let second = ladder.advance(opened, Status::Triggered, first.next, opened + 5 * MIN);
        assert_eq!(second.pages, vec![at(1, 0)]);
        let third = ladder.advance(opened, Status::Triggered, second.next, opened + 15 * MIN);
        assert_eq!(third.pages, vec![at(2, 0)]);
        let fourth = ladder.advance(opened, Status::Triggered, third.next, opened + 30 * MIN);
        assert_eq!(fourth.pages, vec![at(3, 0)]);
        assert_eq!(fourth.next_at, Some(opened + 60 * MIN));
        let repeat = ladder.advance(opened, Status::Triggered, fourth.next, opened + 60 * MIN);
        assert_eq!(repeat.pages, vec![at(3, 1)]);
        assert_eq!(repeat.next_at, Some(opened + 90 * MIN));
    }

    #[test]
    fn a_server_back_after_missing_levels_pages_each_once_and_the_latest_repeat_only() {
        let ladder = Ladder::default();
        let due = ladder.advance(0, Status::Triggered, at(1, 0), 2 * 60 * MIN + MIN);
        // Levels 2, 3 and 4 once each, then only the repeat of 120 min (not 60 and 90).
        assert_eq!(due.pages, vec![at(1, 0), at(2, 0), at(3, 0), at(3, 3)]);
        assert_eq!(due.next, at(3, 4));
        assert_eq!(due.next_at, Some(150 * MIN));
    }

    #[test]
    fn acknowledging_stops_the_ladder() {
        let ladder = Ladder::default();
        for status in [Status::Acknowledged, Status::Resolved] {
            let due = ladder.advance(0, status, at(1, 0), 10 * 60 * MIN);
            assert!(due.pages.is_empty());
            assert_eq!(due.next_at, None);
        }
    }

    #[test]
    fn without_repeats_the_ladder_ends() {
        let ladder = Ladder::from_config(
            &[
                ("0s".into(), vec!["oncall@example.com".into()]),
                ("2s".into(), vec!["cto".into()]),
            ],
            None,
        )
        .unwrap();
        let due = ladder.advance(0, Status::Triggered, Cursor::default(), 10_000);
        assert_eq!(due.pages, vec![at(0, 0), at(1, 0)]);
        assert_eq!(due.next_at, None);
        let after = ladder.advance(0, Status::Triggered, due.next, 1_000_000);
        assert!(after.pages.is_empty());
    }

    #[test]
    fn config_words_parse_and_bad_ones_say_why() {
        let ladder = Ladder::from_config(
            &[
                ("0m".into(), vec!["agent_owner".into(), "on_call".into()]),
                (
                    "5s".into(),
                    vec![
                        "engineering_lead".into(),
                        "ops@example.com".into(),
                        "https://hooks.example.com/T0/B0".into(),
                    ],
                ),
            ],
            Some("30s"),
        )
        .unwrap();
        assert_eq!(
            ladder.levels[1].notify,
            vec![
                Target::Role(Role::EngineeringLead),
                Target::Email("ops@example.com".into()),
                Target::Webhook("https://hooks.example.com/T0/B0".into()),
            ]
        );
        assert_eq!(ladder.repeat_every_ms, Some(30_000));
        let json = serde_json::to_string(&ladder).unwrap();
        assert_eq!(serde_json::from_str::<Ladder>(&json).unwrap(), ladder);

        assert_eq!(
            ladder.describe()[1],
            "level 2 after 5s: engineering_lead, ops@example.com, webhook hooks.example.com/…"
        );
        let bad = Ladder::from_config(&[("0m".into(), vec!["janitor".into()])], None);
        assert!(bad.unwrap_err().contains("`janitor` is not a role"));
        let backwards = Ladder::from_config(
            &[
                ("5m".into(), vec!["cto".into()]),
                ("1m".into(), vec!["legal".into()]),
            ],
            None,
        );
        assert!(backwards.unwrap_err().contains("must not decrease"));
        assert!(Ladder::from_config(&[], None).is_err());
        assert!(Ladder::from_config(&[("soon".into(), vec!["cto".into()])], None).is_err());
        let hook = |url: &str| Ladder::from_config(&[("0m".into(), vec![url.into()])], None);
        assert!(
            hook("http://hooks.example.com/T0")
                .unwrap_err()
                .contains("takes https://")
        );
        assert!(hook("http://127.0.0.1:8080/hook").is_ok());
        assert!(hook("http://10.0.0.7/hook").is_ok());
        assert!(hook("http://localhost/hook").is_ok());
    }
}
