//! Stored incidents: opened (or joined by a repeat of the same problem), escalated,
//! acknowledged and resolved, each change with its timeline entry in the same transaction.
//! The pages they send are in `pages`.

mod oncall;
mod pages;
mod postmortems;
mod sources;
mod steps;

pub use pages::NewPage;
pub use postmortems::{PostmortemSave, PostmortemSaved};
pub use sources::FindingSource;
pub use steps::StepOutcome;

use crate::{DbError, Store, with_pool};
use warden_domain::incident::escalation::Cursor;
use warden_domain::incident::postmortem::required_for;
use warden_domain::incident::{EntryKind, Incident, Kind, Status, TimelineEntry};
use warden_domain::policy::Severity;

pub(crate) const COLUMNS: &str = "id, kind, severity, title, agent, rule, status, ladder, opened_at, \
     opened_by, acked_at, acked_by, resolved_at, resolved_by, next_level, next_round, \
     next_page_at, repeats";

#[derive(sqlx::FromRow)]
pub(crate) struct IncidentRow {
    id: i64,
    kind: String,
    severity: String,
    title: String,
    agent: Option<String>,
    rule: Option<String>,
    status: String,
    ladder: String,
    opened_at: i64,
    opened_by: String,
    acked_at: Option<i64>,
    acked_by: Option<String>,
    resolved_at: Option<i64>,
    resolved_by: Option<String>,
    next_level: i32,
    next_round: i32,
    next_page_at: Option<i64>,
    repeats: i32,
}

/// An incident with what its escalation needs: the ladder it was opened with (JSON) and
/// where it stands on it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredIncident {
    pub incident: Incident,
    pub ladder: String,
    pub cursor: Cursor,
}

impl From<IncidentRow> for StoredIncident {
    fn from(r: IncidentRow) -> StoredIncident {
        let cursor = Cursor {
            level: usize::try_from(r.next_level).unwrap_or(0),
            round: u32::try_from(r.next_round).unwrap_or(0),
        };
        // Levels paged so far: those before the cursor, and the last one once repeating.
        let level = cursor.level as u32 + u32::from(cursor.round > 0);
        StoredIncident {
            incident: Incident {
                id: r.id,
                // Rows are only written from these types; an unknown word reads as the
                // most cautious value rather than failing the whole list.
                kind: Kind::parse(&r.kind).unwrap_or(Kind::Manual),
                severity: Severity::parse(&r.severity).unwrap_or(Severity::Critical),
                title: r.title,
                agent: r.agent,
                rule: r.rule,
                status: Status::parse(&r.status).unwrap_or(Status::Triggered),
                opened_at: r.opened_at,
                opened_by: r.opened_by,
                acked_at: r.acked_at,
                acked_by: r.acked_by,
                resolved_at: r.resolved_at,
                resolved_by: r.resolved_by,
                level,
                next_page_at: r.next_page_at,
                repeats: u32::try_from(r.repeats).unwrap_or(0),
            },
            ladder: r.ladder,
            cursor,
        }
    }
}

/// An incident to open.
#[derive(Debug, Clone)]
pub struct NewIncident {
    pub kind: Kind,
    pub severity: Severity,
    pub title: String,
    pub agent: Option<String>,
    pub rule: Option<String>,
    pub dedup_key: String,
    pub opened_by: String,
    pub opened_at: i64,
    /// The ladder as JSON and when its first level is due.
    pub ladder: String,
    pub first_page_at: Option<i64>,
    /// What the timeline says about it (the finding behind it).
    pub detail: String,
    /// Its kind's runbook as configured now.
    pub steps: Vec<warden_domain::incident::runbook::Step>,
}

/// One incident's move up its ladder, as a tick found it due.
#[derive(Debug, Clone)]
pub struct EscalationStep {
    pub id: i64,
    /// The cursor the tick read: the move happens only if it is still there.
    pub from: Cursor,
    pub to: Cursor,
    pub next_page_at: Option<i64>,
    pub pages: Vec<NewPage>,
    pub events: Vec<(EntryKind, String)>,
}

/// What opening did: a new incident, or the open one of the same problem, joined.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    New(StoredIncident),
    Joined(StoredIncident),
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: i64,
    kind: String,
    actor: String,
    detail: String,
}

impl From<EventRow> for TimelineEntry {
    fn from(r: EventRow) -> TimelineEntry {
        TimelineEntry {
            at: r.at,
            kind: EntryKind::parse(&r.kind).unwrap_or(EntryKind::Note),
            actor: r.actor,
            detail: r.detail,
        }
    }
}

/// Appends a timeline entry inside a transaction.
macro_rules! push_event {
    ($tx:expr, $id:expr, $at:expr, $kind:expr, $actor:expr, $detail:expr) => {
        sqlx::query(
            "insert into incident_events (incident_id, at, kind, actor, detail) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind($id)
        .bind($at)
        .bind($kind.as_str())
        .bind($actor)
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use push_event;

/// A repeat of an open incident's problem is noted on its timeline at most this often.
pub(crate) const REPEAT_NOTE_EVERY_MS: i64 = 60_000;

/// Opens `$new` or joins the open incident with its key, inside a transaction.
macro_rules! open_in {
    ($tx:expr, $new:expr) => {{
        let new: &$crate::incidents::NewIncident = $new;
        let insert = format!(
            "insert into incidents (kind, severity, title, agent, rule, dedup_key, status, \
             ladder, opened_at, opened_by, next_level, next_round, next_page_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, 'triggered', $7, $8, $9, 0, 0, $10, $8) \
             on conflict (dedup_key) where status <> 'resolved' do nothing returning {}",
            $crate::incidents::COLUMNS
        );
        let open = format!(
            "select {} from incidents where dedup_key = $1 and status <> 'resolved'",
            $crate::incidents::COLUMNS
        );
        // A write first: on SQLite a transaction that reads before its first write fails
        // at that write (SQLITE_BUSY_SNAPSHOT, no wait) when another writer committed in
        // between; this no-op takes the write lock up front.
        sqlx::query("update incidents set updated_at = updated_at where dedup_key = $1 and status <> 'resolved'")
            .bind(&new.dedup_key)
            .execute(&mut *$tx)
            .await?;
        // Looked up first: an insert that meets the open one's key would still use up an
        // id, and incident numbers are what people say to each other.
        let existing: Option<$crate::incidents::IncidentRow> = sqlx::query_as(&open)
            .bind(&new.dedup_key)
            .fetch_optional(&mut *$tx)
            .await?;
        let row: Option<$crate::incidents::IncidentRow> = if existing.is_some() {
            None
        } else {
            sqlx::query_as(&insert)
            .bind(new.kind.as_str())
            .bind(new.severity.as_str())
            .bind(&new.title)
            .bind(&new.agent)
            .bind(&new.rule)
            .bind(&new.dedup_key)
            .bind(&new.ladder)
            .bind(new.opened_at)
            .bind(&new.opened_by)
            .bind(new.first_page_at)
            .fetch_optional(&mut *$tx)
            .await?
        };
        match row {
            Some(row) => {
                $crate::incidents::push_event!(
                    $tx,
                    row.id,
                    new.opened_at,
                    warden_domain::incident::EntryKind::Opened,
                    &new.opened_by,
                    &new.detail
                );
                $crate::incidents::steps::insert_steps!($tx, row.id, new.steps);
                $crate::incidents::Opened::New(row.into())
            }
            None => {
                // The open one, or the one a concurrent opener just committed.
                let row: $crate::incidents::IncidentRow = match existing {
                    Some(row) => row,
                    None => {
                        sqlx::query_as(&open)
                            .bind(&new.dedup_key)
                            .fetch_one(&mut *$tx)
                            .await?
                    }
                };
                sqlx::query("update incidents set updated_at = $2, repeats = repeats + 1 where id = $1")
                    .bind(row.id)
                    .bind(new.opened_at)
                    .execute(&mut *$tx)
                    .await?;
                // A problem that recurs every second would bury the timeline: one entry a
                // minute at most; the count is on the incident.
                let (last,): (Option<i64>,) = sqlx::query_as(
                    "select max(at) from incident_events where incident_id = $1 and kind = 'repeated'",
                )
                .bind(row.id)
                .fetch_one(&mut *$tx)
                .await?;
                if last.is_none_or(|at| new.opened_at - at >= $crate::incidents::REPEAT_NOTE_EVERY_MS) {
                    let detail = format!("again (repeat {}): {}", row.repeats + 1, new.detail);
                    $crate::incidents::push_event!(
                        $tx,
                        row.id,
                        new.opened_at,
                        warden_domain::incident::EntryKind::Repeated,
                        &new.opened_by,
                        &detail
                    );
                }
                $crate::incidents::Opened::Joined(row.into())
            }
        }
    }};
}
pub(crate) use open_in;

impl Store {
    /// Opens an incident, or joins the open one with the same key (a repeat of the same
    /// problem), noting the repeat on its timeline. Two replicas opening the same problem
    /// at once meet on the unique index of open keys: one opens, the other joins.
    pub async fn open_incident(&self, new: &NewIncident) -> Result<Opened, DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let opened = open_in!(tx, new);
            tx.commit().await?;
            Ok(opened)
        })
    }

    pub async fn incident(&self, id: i64) -> Result<Option<StoredIncident>, DbError> {
        let sql = format!("select {COLUMNS} from incidents where id = $1");
        let row: Option<IncidentRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Into::into))
    }

    /// Incidents newest first, of one status or all.
    pub async fn list_incidents(
        &self,
        status: Option<Status>,
        limit: i64,
    ) -> Result<Vec<StoredIncident>, DbError> {
        let sql = format!(
            "select {COLUMNS} from incidents where ($1 = '' or status = $1) \
             order by opened_at desc, id desc limit $2"
        );
        let rows: Vec<IncidentRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(status.map_or("", Status::as_str))
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Triggered incidents whose next page is due at `now`, the most overdue first.
    pub async fn due_incidents(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<StoredIncident>, DbError> {
        let sql = format!(
            "select {COLUMNS} from incidents where status = 'triggered' \
             and next_page_at <= $1 order by next_page_at, id limit $2"
        );
        let rows: Vec<IncidentRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The incident's timeline, oldest first.
    pub async fn incident_timeline(&self, id: i64) -> Result<Vec<TimelineEntry>, DbError> {
        let rows: Vec<EventRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select at, kind, actor, detail from incident_events where incident_id = $1 \
                 order by id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Changes whenever any incident's timeline grows (every change of an incident adds an
    /// entry): the live views compare it, then re-read what they show.
    pub async fn incidents_version(&self) -> Result<(i64, i64), DbError> {
        let row: (i64, Option<i64>) = with_pool!(self, pool => {
            sqlx::query_as("select count(*), max(id) from incident_events")
                .fetch_one(pool)
                .await?
        });
        Ok((row.0, row.1.unwrap_or(0)))
    }

    /// The incident's `n` latest timeline entries, oldest first (what a page quotes).
    pub async fn latest_incident_events(
        &self,
        id: i64,
        n: i64,
    ) -> Result<Vec<TimelineEntry>, DbError> {
        let rows: Vec<EventRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select at, kind, actor, detail from incident_events where incident_id = $1 \
                 order by id desc limit $2",
            )
            .bind(id)
            .bind(n)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().rev().map(Into::into).collect())
    }

    /// Appends a note (or any entry without a change of state) to the timeline.
    pub async fn add_incident_event(
        &self,
        id: i64,
        at: i64,
        kind: EntryKind,
        actor: &str,
        detail: &str,
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            push_event!(tx, id, at, kind, actor, detail);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves each incident's escalation on from its `from` cursor, recording the pages of
    /// the rounds due and their timeline entries, in one transaction for the whole tick.
    /// An incident someone else moved first (another replica's tick, an acknowledgement)
    /// is skipped whole: nothing of it is written, so a round is never paged twice.
    /// Returns the ids of those that moved.
    pub async fn escalate_incidents(
        &self,
        steps: &[EscalationStep],
        now: i64,
    ) -> Result<Vec<i64>, DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut moved_ids = Vec::new();
            for step in steps {
                let moved = sqlx::query(
                    "update incidents set next_level = $4, next_round = $5, next_page_at = $6, \
                     updated_at = $7 where id = $1 and status = 'triggered' \
                     and next_level = $2 and next_round = $3",
                )
                .bind(step.id)
                .bind(step.from.level as i32)
                .bind(step.from.round as i32)
                .bind(step.to.level as i32)
                .bind(step.to.round as i32)
                .bind(step.next_page_at)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved == 0 {
                    continue;
                }
                moved_ids.push(step.id);
                for page in &step.pages {
                    pages::insert_page!(tx, step.id, page, now);
                    if page.round > 0 {
                        // A repeat makes the earlier rounds still waiting (SMTP was down)
                        // stale news: the recipient gets the incident as it is now, once.
                        pages::supersede!(tx, step.id, page, now);
                    }
                }
                for (kind, detail) in &step.events {
                    push_event!(tx, step.id, now, kind, "warden", detail);
                }
            }
            tx.commit().await?;
            Ok(moved_ids)
        })
    }

    /// Acknowledges a triggered incident: the ladder stops and pages not yet sent are
    /// dropped. `None` when it was not triggered (already acknowledged or resolved), so a
    /// second acknowledgement changes nothing.
    pub async fn acknowledge_incident(
        &self,
        id: i64,
        by: &str,
        at: i64,
        detail: &str,
    ) -> Result<Option<StoredIncident>, DbError> {
        self.stop_escalation(id, by, at, detail, Status::Acknowledged, None)
            .await
    }

    /// Resolves an incident not yet resolved: the ladder stops, pages not yet sent are
    /// dropped, everyone a page reached gets a resolved notice, runbook steps not run are
    /// skipped, and an incident of `postmortem_from` or worse gets its post-mortem draft.
    /// `None` when it was resolved already.
    pub async fn resolve_incident(
        &self,
        id: i64,
        by: &str,
        at: i64,
        detail: &str,
        postmortem_from: Severity,
    ) -> Result<Option<StoredIncident>, DbError> {
        self.stop_escalation(id, by, at, detail, Status::Resolved, Some(postmortem_from))
            .await
    }

    /// Moves an incident to `to` (acknowledged or resolved) with its timeline entry, and
    /// drops its pages not yet sent, in one transaction.
    async fn stop_escalation(
        &self,
        id: i64,
        by: &str,
        at: i64,
        detail: &str,
        to: Status,
        postmortem_from: Option<Severity>,
    ) -> Result<Option<StoredIncident>, DbError> {
        let (set, from, entry) = match to {
            Status::Resolved => (
                "resolved_at = $2, resolved_by = $3",
                "status <> 'resolved'",
                EntryKind::Resolved,
            ),
            _ => (
                "acked_at = $2, acked_by = $3",
                "status = 'triggered'",
                EntryKind::Acknowledged,
            ),
        };
        let sql = format!(
            "update incidents set status = '{}', {set}, next_page_at = null, updated_at = $2 \
             where id = $1 and {from} returning {COLUMNS}",
            to.as_str()
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let row: Option<IncidentRow> = sqlx::query_as(&sql)
                .bind(id)
                .bind(at)
                .bind(by)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            push_event!(tx, id, at, entry, by, detail);
            pages::cancel_pending!(tx, id, at);
            if to == Status::Resolved {
                pages::notify_resolved!(tx, id, at);
                // A step someone holds right now is theirs to finish, or to let go of
                // (which skips it then).
                sqlx::query(
                    "update incident_steps set status = 'skipped', \
                     result = 'not run: the incident was resolved', finished_at = $2, \
                     claimed_by = null, lease_until = null \
                     where incident_id = $1 and status in ('pending', 'running') \
                     and (lease_until is null or lease_until <= $2)",
                )
                .bind(id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let severity = Severity::parse(&row.severity).unwrap_or(Severity::Critical);
                if postmortem_from.is_some_and(|from| required_for(severity, from)) {
                    postmortems::open_postmortem!(tx, id, "warden", at);
                }
            }
            tx.commit().await?;
            Ok(Some(row.into()))
        })
    }
}
