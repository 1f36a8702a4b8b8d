//! Incidents: what went wrong, how bad it is, who is on it, and what happened since.
//! The ladder that pages people until someone acknowledges is in [`escalation`].

pub mod cascade;
pub mod escalation;
pub mod oncall;
pub mod postmortem;
pub mod runbook;

use crate::policy::Severity;
use serde::{Deserialize, Serialize};

/// Where an incident came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Violation,
    Anomaly,
    AgentUnreachable,
    PiiLeak,
    CostAnomaly,
    AlignmentDrop,
    CascadingFailure,
    Manual,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Violation,
        Kind::Anomaly,
        Kind::AgentUnreachable,
        Kind::PiiLeak,
        Kind::CostAnomaly,
        Kind::AlignmentDrop,
        Kind::CascadingFailure,
        Kind::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Violation => "violation",
            Kind::Anomaly => "anomaly",
            Kind::AgentUnreachable => "agent_unreachable",
            Kind::PiiLeak => "pii_leak",
            Kind::CostAnomaly => "cost_anomaly",
            Kind::AlignmentDrop => "alignment_drop",
            Kind::CascadingFailure => "cascading_failure",
            Kind::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// `triggered` -> `acknowledged` -> `resolved`; a triggered incident may also be resolved
/// straight away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Triggered,
    Acknowledged,
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Triggered => "triggered",
            Status::Acknowledged => "acknowledged",
            Status::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [Status::Triggered, Status::Acknowledged, Status::Resolved]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// An incident as people see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub kind: Kind,
    pub severity: Severity,
    pub title: String,
    pub agent: Option<String>,
    /// The rule a violation broke, the metric of an anomaly: with kind and agent, what
    /// makes a repeat of the same problem.
    pub rule: Option<String>,
    pub status: Status,
    pub opened_at: i64,
    pub opened_by: String,
    pub acked_at: Option<i64>,
    pub acked_by: Option<String>,
    pub resolved_at: Option<i64>,
    pub resolved_by: Option<String>,
    /// The ladder's levels paged so far (1 is the first); 0 before the first page.
    pub level: u32,
    /// When the next page is due; `None` once acknowledged, resolved or past the last
    /// level without repeats.
    pub next_page_at: Option<i64>,
    /// How often the same problem came back while it was open.
    #[serde(default)]
    pub repeats: u32,
}

/// The key under which a repeat of the same problem joins the open incident.
pub fn dedup_key(kind: Kind, agent: Option<&str>, rule: Option<&str>) -> String {
    format!(
        "{}|{}|{}",
        kind.as_str(),
        agent.unwrap_or(""),
        rule.unwrap_or("")
    )
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Opened,
    /// The same problem happened again while the incident was open.
    Repeated,
    Escalated,
    PageSent,
    PageFailed,
    Acknowledged,
    Resolved,
    Note,
    SeverityChanged,
    RunbookStep,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Opened => "opened",
            EntryKind::Repeated => "repeated",
            EntryKind::Escalated => "escalated",
            EntryKind::PageSent => "page_sent",
            EntryKind::PageFailed => "page_failed",
            EntryKind::Acknowledged => "acknowledged",
            EntryKind::Resolved => "resolved",
            EntryKind::Note => "note",
            EntryKind::SeverityChanged => "severity_changed",
            EntryKind::RunbookStep => "runbook_step",
        }
    }

    pub fn parse(text: &str) -> Option<EntryKind> {
        [
            EntryKind::Opened,
            EntryKind::Repeated,
            EntryKind::Escalated,
            EntryKind::PageSent,
            EntryKind::PageFailed,
            EntryKind::Acknowledged,
            EntryKind::Resolved,
            EntryKind::Note,
            EntryKind::SeverityChanged,
            EntryKind::RunbookStep,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// One entry of an incident's append-only timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub kind: EntryKind,
    /// Who did it: a user's e-mail, a page's recipient, or `warden` for the system.
    pub actor: String,
    pub detail: String,
}

/// Whether a page is a call to act or the news that it is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PagePurpose {
    Page,
    Resolved,
}

impl PagePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            PagePurpose::Page => "page",
            PagePurpose::Resolved => "resolved",
        }
    }
    pub fn parse(text: &str) -> Option<PagePurpose> {
        [PagePurpose::Page, PagePurpose::Resolved]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// Where a page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
    pub fn parse(text: &str) -> Option<Channel> {
        [Channel::Email, Channel::Webhook]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// Where a page stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageStatus {
    /// Recorded, not yet delivered (or failed and waiting for its next attempt).
    Pending,
    Sent,
    /// Dropped unsent: the incident was acknowledged or resolved first.
    Cancelled,
}

impl PageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PageStatus::Pending => "pending",
            PageStatus::Sent => "sent",
            PageStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(text: &str) -> Option<PageStatus> {
        [PageStatus::Pending, PageStatus::Sent, PageStatus::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A page as the incident shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub id: i64,
    pub incident_id: i64,
    pub purpose: PagePurpose,
    /// The ladder's level, 1 for the first; 0 for a resolved notice.
    pub level: u32,
    /// 0 the first time a level is paged, then 1, 2... for the last level's repeats.
    pub round: u32,
    pub channel: Channel,
    pub recipient: String,
    pub status: PageStatus,
    pub attempts: u32,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// An incident with its ladder (in the config's words), timeline and pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    pub ladder: Vec<String>,
    pub timeline: Vec<TimelineEntry>,
    pub pages: Vec<Page>,
    /// Its runbook's steps and how they went.
    #[serde(default)]
    pub steps: Vec<runbook::IncidentStep>,
    /// Where its post-mortem stands, if it has one.
    #[serde(default)]
    pub postmortem: Option<postmortem::PostmortemStatus>,
    /// Whether the caller may acknowledge, resolve and annotate it.
    #[serde(default)]
    pub may_respond: bool,
}

/// The Incident dashboard: what is open, what closed lately, and the SLAs they are held to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentBoard {
    /// The server's time when it was read, for the countdowns.
    pub now: i64,
    /// Triggered and acknowledged incidents, newest first.
    pub active: Vec<Incident>,
    /// The last resolved ones, newest first.
    pub resolved: Vec<Incident>,
    pub ack_sla_ms: i64,
    pub resolve_sla_ms: i64,
    pub may_respond: bool,
    /// Post-mortems not yet closed, oldest first.
    #[serde(default)]
    pub open_postmortems: Vec<postmortem::OpenPostmortem>,
    /// Who is on call now and next.
    #[serde(default)]
    pub on_call: oncall::OnCallBoard,
}

/// Where an incident stands against its SLAs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sla {
    Met,
    /// Triggered longer than the acknowledge SLA allows.
    AckOverdue,
    /// Open longer than the resolve SLA allows.
    ResolveOverdue,
}

impl Sla {
    pub fn of(incident: &Incident, now: i64, ack_sla_ms: i64, resolve_sla_ms: i64) -> Sla {
        let open_for = incident.resolved_at.unwrap_or(now) - incident.opened_at;
        let ack_wait =
            incident.acked_at.or(incident.resolved_at).unwrap_or(now) - incident.opened_at;
        if open_for > resolve_sla_ms {
            Sla::ResolveOverdue
        } else if ack_wait > ack_sla_ms {
            Sla::AckOverdue
        } else {
            Sla::Met
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sla::Met => "within SLA",
            Sla::AckOverdue => "acknowledgement overdue",
            Sla::ResolveOverdue => "resolution overdue",
        }
    }
}

/// How long to wait before trying a failed delivery again: doubling from 10 s, at most
/// a minute, so that an SMTP server back after ten minutes gets the page within a minute.
pub fn retry_after_ms(attempts: u32) -> i64 {
    let doublings = attempts.saturating_sub(1).min(3);
    (10_000_i64 << doublings).min(60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("fire"), None);
        assert_eq!(Status::parse("acknowledged"), Some(Status::Acknowledged));
        assert_eq!(EntryKind::parse("page_failed"), Some(EntryKind::PageFailed));
    }

    #[test]
    fn repeats_share_a_key_other_problems_do_not() {
        let a = dedup_key(Kind::Violation, Some("hr"), Some("no_pii_in_outputs"));
        assert_eq!(
            a,
            dedup_key(Kind::Violation, Some("hr"), Some("no_pii_in_outputs"))
        );
        assert_ne!(
            a,
            dedup_key(Kind::Violation, Some("sales"), Some("no_pii_in_outputs"))
        );
        assert_ne!(
            a,
            dedup_key(Kind::PiiLeak, Some("hr"), Some("no_pii_in_outputs"))
        );
    }

    #[test]
    fn sla_says_which_promise_was_broken() {
        let mut i = Incident {
            id: 1,
            kind: Kind::Manual,
            severity: Severity::High,
            title: "t".into(),
            agent: None,
            rule: None,
            status: Status::Triggered,
            opened_at: 0,
            opened_by: "x".into(),
            acked_at: None,
            acked_by: None,
            resolved_at: None,
            resolved_by: None,
            level: 1,
            next_page_at: None,
            repeats: 0,
        };
        assert_eq!(Sla::of(&i, 300_000, 300_000, 3_600_000), Sla::Met);
        assert_eq!(Sla::of(&i, 300_001, 300_000, 3_600_000), Sla::AckOverdue);
        i.acked_at = Some(60_000);
        assert_eq!(Sla::of(&i, 3_000_000, 300_000, 3_600_000), Sla::Met);
        assert_eq!(
            Sla::of(&i, 3_600_001, 300_000, 3_600_000),
            Sla::ResolveOverdue
        );
        i.resolved_at = Some(120_000);
        assert_eq!(Sla::of(&i, 99_999_999, 300_000, 3_600_000), Sla::Met);
    }

    #[test]
    fn retries_back_off_to_a_minute() {
        assert_eq!(retry_after_ms(1), 10_000);
        assert_eq!(retry_after_ms(2), 20_000);
        assert_eq!(retry_after_ms(3), 40_000);
        assert_eq!(retry_after_ms(4), 60_000);
        assert_eq!(retry_after_ms(40), 60_000);
    }
}
