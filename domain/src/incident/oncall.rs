//! Who is on call, as people see it: the person now and next, and the overrides ("I cover
//! Tuesday night") that take precedence over the rotation. The rotation's arithmetic (time
//! zones, handoffs) is the services crate's; these are the shapes it answers in.

use serde::{Deserialize, Serialize};

/// A stretch of time one person is on call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallShift {
    pub who: String,
    pub from: i64,
    pub until: i64,
    /// The override this comes from, if it is not the rotation.
    pub by_override: Option<i64>,
}

/// Someone covering the rotation for a while.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallOverride {
    pub id: i64,
    pub who: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

impl OnCallOverride {
    pub fn covers(&self, t: i64) -> bool {
        self.starts_at <= t && t < self.ends_at
    }
}

/// The on-call card of the Incident dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallBoard {
    /// `None` with no rotation and no override: every enabled `on_call` user is paged.
    pub now: Option<OnCallShift>,
    pub next: Option<OnCallShift>,
    /// The rotation in words ("ann@…, bob@… · 7-day shifts handing off at 09:00
    /// Europe/Paris"); empty without one.
    pub rotation: String,
    /// Overrides now and to come, soonest first.
    pub overrides: Vec<OnCallOverride>,
    /// Whether the caller may add an override for themselves, and for anyone.
    pub may_cover: bool,
    pub may_cover_anyone: bool,
    /// The caller, whose own overrides (naming or added by them) they may remove.
    pub me: String,
}

impl OnCallBoard {
    /// Whether the caller may remove `o`.
    pub fn may_remove(&self, o: &OnCallOverride) -> bool {
        self.may_cover_anyone
            || (self.may_cover && (o.who.eq_ignore_ascii_case(&self.me) || o.created_by == self.me))
    }
}

/// An override to add. Times are epoch ms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOverride {
    /// The person covering; the caller when empty.
    #[serde(default)]
    pub who: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    #[serde(default)]
    pub note: String,
}
