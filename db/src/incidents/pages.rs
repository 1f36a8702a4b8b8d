//! The outbox of pages: each is recorded (with the escalation step that made it) before it
//! is sent, claimed with a lease by the one sender that delivers it, and marked sent or
//! failed (with its next attempt) after, its timeline entry in the same transaction.

use super::push_event;
use crate::{DbError, Store, with_pool};
use warden_domain::incident::{Channel, EntryKind, Page, PagePurpose, PageStatus};

/// A page to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    pub purpose: PagePurpose,
    /// 1 for the ladder's first level; 0 for a resolved notice.
    pub level: u32,
    pub round: u32,
    pub channel: Channel,
    pub recipient: String,
}

const COLUMNS: &str = "id, incident_id, purpose, level, round, channel, recipient, status, \
     attempts, created_at, sent_at, last_error";

#[derive(sqlx::FromRow)]
struct PageRow {
    id: i64,
    incident_id: i64,
    purpose: String,
    level: i32,
    round: i32,
    channel: String,
    recipient: String,
    status: String,
    attempts: i32,
    created_at: i64,
    sent_at: Option<i64>,
    last_error: Option<String>,
}

impl From<PageRow> for Page {
    fn from(r: PageRow) -> Page {
        Page {
            id: r.id,
            incident_id: r.incident_id,
            purpose: PagePurpose::parse(&r.purpose).unwrap_or(PagePurpose::Page),
            level: u32::try_from(r.level).unwrap_or(0),
            round: u32::try_from(r.round).unwrap_or(0),
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Email),
            recipient: r.recipient,
            status: PageStatus::parse(&r.status).unwrap_or(PageStatus::Pending),
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            created_at: r.created_at,
            sent_at: r.sent_at,
            last_error: r.last_error,
        }
    }
}

/// Records a page inside a transaction; a round already recorded for that recipient is
/// left as it is.
macro_rules! insert_page {
    ($tx:expr, $incident:expr, $page:expr, $now:expr) => {
        sqlx::query(
            "insert into incident_pages (incident_id, purpose, level, round, channel, \
             recipient, status, attempts, next_attempt_at, created_at) \
             values ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) \
             on conflict (incident_id, purpose, level, round, channel, recipient) do nothing",
        )
        .bind($incident)
        .bind($page.purpose.as_str())
        .bind($page.level as i32)
        .bind($page.round as i32)
        .bind($page.channel.as_str())
        .bind(&$page.recipient)
        .bind($now)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use insert_page;

/// Drops the pages of an incident not yet sent: it was acknowledged or resolved, and a
/// call to act on it would be wrong. A page a sender holds right now may be on the wire:
/// it is left to its sender, which records it sent (and, if the incident is resolved by
/// then, owes its recipient the resolved notice) or drops it.
macro_rules! cancel_pending {
    ($tx:expr, $incident:expr, $now:expr) => {
        sqlx::query(
            "update incident_pages set status = 'cancelled', claimed_by = null, \
             lease_until = null where incident_id = $1 and status = 'pending' \
             and purpose = 'page' and (lease_until is null or lease_until <= $2)",
        )
        .bind($incident)
        .bind($now)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use cancel_pending;

/// Drops the earlier rounds of a level still waiting for a recipient a new round pages,
/// unless a sender holds one right now.
macro_rules! supersede {
    ($tx:expr, $incident:expr, $page:expr, $now:expr) => {
        sqlx::query(
            "update incident_pages set status = 'cancelled' where incident_id = $1 \
             and purpose = 'page' and status = 'pending' and level = $2 and round < $3 \
             and channel = $4 and recipient = $5 \
             and (lease_until is null or lease_until <= $6)",
        )
        .bind($incident)
        .bind($page.level as i32)
        .bind($page.round as i32)
        .bind($page.channel.as_str())
        .bind(&$page.recipient)
        .bind($now)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use supersede;

/// Records a resolved notice for everyone a page of the incident reached.
macro_rules! notify_resolved {
    ($tx:expr, $incident:expr, $now:expr) => {
        sqlx::query(
            "insert into incident_pages (incident_id, purpose, level, round, channel, \
             recipient, status, attempts, next_attempt_at, created_at) \
             select distinct incident_id, 'resolved', 0, 0, channel, recipient, 'pending', 0, \
             $2, $2 from incident_pages where incident_id = $1 and purpose = 'page' \
             and status = 'sent' \
             on conflict (incident_id, purpose, level, round, channel, recipient) do nothing",
        )
        .bind($incident)
        .bind($now)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use notify_resolved;

/// `update incident_pages set claimed_by, lease_until where id in (ids) and free`.
fn claim_query<'a, DB: sqlx::Database>(
    ids: &'a [i64],
    claimant: &'a str,
    now: i64,
    lease_until: i64,
) -> sqlx::QueryBuilder<'a, DB>
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut query = sqlx::QueryBuilder::new("update incident_pages set claimed_by = ");
    query
        .push_bind(claimant)
        .push(", lease_until = ")
        .push_bind(lease_until)
        .push(" where status = 'pending' and (lease_until is null or lease_until <= ")
        .push_bind(now)
        .push(") and id in (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(") returning id");
    query
}

impl Store {
    /// Pages waiting to go out at `now` that nobody holds, oldest first.
    pub async fn due_pages(&self, now: i64, limit: i64) -> Result<Vec<Page>, DbError> {
        let sql = format!(
            "select {COLUMNS} from incident_pages where status = 'pending' \
             and next_attempt_at <= $1 and (lease_until is null or lease_until <= $1) \
             order by next_attempt_at, id limit $2"
        );
        let rows: Vec<PageRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Takes pages to deliver until `lease_until`; returns those this caller won: still
    /// pending, and nobody else's lease running. A sender that dies mid-send leaves the
    /// lease to run out, and the page goes out from whoever tries next.
    pub async fn claim_pages(
        &self,
        ids: &[i64],
        claimant: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Vec<i64>, DbError> {
        let mut won = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64,)> = with_pool!(self, pool => {
                claim_query(chunk, claimant, now, lease_until)
                    .build_query_as()
                    .fetch_all(pool)
                    .await?
            });
            won.extend(rows.into_iter().map(|(id,)| id));
        }
        Ok(won)
    }

    /// Marks a claimed page sent, with its timeline entry. False when the claim was lost
    /// (the lease ran out and another sender took it): then nothing changes here.
    pub async fn page_sent(
        &self,
        id: i64,
        claimant: &str,
        at: i64,
        detail: &str,
    ) -> Result<bool, DbError> {
        self.end_attempt(id, claimant, at, None, detail).await
    }

    /// Records a failed attempt on a claimed page and when to try again.
    pub async fn page_failed(
        &self,
        id: i64,
        claimant: &str,
        at: i64,
        retry_at: i64,
        detail: &str,
    ) -> Result<bool, DbError> {
        self.end_attempt(id, claimant, at, Some(retry_at), detail)
            .await
    }

    async fn end_attempt(
        &self,
        id: i64,
        claimant: &str,
        at: i64,
        retry_at: Option<i64>,
        detail: &str,
    ) -> Result<bool, DbError> {
        let (status, kind) = match retry_at {
            None => ("sent", EntryKind::PageSent),
            Some(_) => ("pending", EntryKind::PageFailed),
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, String, String, String)> = sqlx::query_as(
                "update incident_pages set status = $3, attempts = attempts + 1, \
                 sent_at = case when $3 = 'sent' then $4 else sent_at end, \
                 next_attempt_at = coalesce($5, next_attempt_at), \
                 last_error = case when $3 = 'sent' then null else $6 end, \
                 claimed_by = null, lease_until = null \
                 where id = $1 and claimed_by = $2 and status = 'pending' \
                 returning incident_id, recipient, channel, purpose",
            )
            .bind(id)
            .bind(claimant)
            .bind(status)
            .bind(at)
            .bind(retry_at)
            .bind(detail)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((incident, recipient, channel, purpose)) = row else {
                return Ok(false);
            };
            // A webhook's URL is its secret: the timeline names no one for it.
            let actor = if channel == "webhook" { "warden" } else { recipient.as_str() };
            push_event!(tx, incident, at, kind, actor, detail);
            if retry_at.is_none() && purpose == "page" {
                // Resolved while this page was on the wire: its recipient was not among
                // those the resolve told, and is owed the notice. The incident's row is
                // locked to read its status: a resolve committing meanwhile is waited for,
                // and one coming after sees this page sent and tells its recipient itself.
                let (status,): (String,) = sqlx::query_as(
                    "update incidents set updated_at = updated_at where id = $1 returning status",
                )
                .bind(incident)
                .fetch_one(&mut *tx)
                .await?;
                if status == "resolved" {
                    let notice = NewPage {
                        purpose: PagePurpose::Resolved,
                        level: 0,
                        round: 0,
                        channel: Channel::parse(&channel).unwrap_or(Channel::Email),
                        recipient: recipient.clone(),
                    };
                    insert_page!(tx, incident, notice, at);
                }
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Drops a claimed page unsent (its incident was acknowledged or resolved since it
    /// was recorded).
    pub async fn cancel_page(&self, id: i64, claimant: &str) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "update incident_pages set status = 'cancelled', claimed_by = null, \
                 lease_until = null where id = $1 and claimed_by = $2 and status = 'pending'",
            )
            .bind(id)
            .bind(claimant)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn page(&self, id: i64) -> Result<Option<Page>, DbError> {
        let sql = format!("select {COLUMNS} from incident_pages where id = $1");
        let row: Option<PageRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Into::into))
    }

    /// An incident's pages in the order they were recorded.
    pub async fn incident_pages(&self, incident: i64) -> Result<Vec<Page>, DbError> {
        let sql =
            format!("select {COLUMNS} from incident_pages where incident_id = $1 order by id");
        let rows: Vec<PageRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(incident).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The secret named `name`, made from `candidate` by whichever caller comes first.
    pub async fn signing_key(
        &self,
        name: &str,
        candidate: &str,
        now: i64,
    ) -> Result<String, DbError> {
        let row: (String,) = with_pool!(self, pool => {
            sqlx::query(
                "insert into signing_keys (name, secret, created_at) values ($1, $2, $3) \
                 on conflict (name) do nothing",
            )
            .bind(name)
            .bind(candidate)
            .bind(now)
            .execute(pool)
            .await?;
            sqlx::query_as("select secret from signing_keys where name = $1")
                .bind(name)
                .fetch_one(pool)
                .await?
        });
        Ok(row.0)
    }
}
