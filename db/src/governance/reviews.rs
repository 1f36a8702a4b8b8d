//! The human review queue: items queued by the ingest commit (with the spans of their
//! interaction) or by the guard, listed, and decided once.

use crate::governance::audit::{audit_lock, audit_write};
use crate::{DbError, Store, with_pool};
use warden_domain::audit::{AuditAction, NewAuditEvent};
use warden_domain::review::{ReviewFilter, ReviewItem, ReviewSource, ReviewState};

/// An item to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub agent: String,
    pub source: ReviewSource,
    pub trace_id: Option<String>,
    pub input: Option<String>,
    pub output: String,
    pub created_at: i64,
    pub due_at: i64,
    /// `trace:<id>` for an interaction, so a re-sent trace is queued once.
    pub dedupe_key: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    agent: String,
    source: String,
    trace_id: Option<String>,
    input: Option<String>,
    output: String,
    created_at: i64,
    due_at: i64,
    state: String,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    note: Option<String>,
}

impl From<ReviewRow> for ReviewItem {
    fn from(r: ReviewRow) -> Self {
        ReviewItem {
            id: r.id,
            agent: r.agent,
            source: ReviewSource::parse(&r.source).unwrap_or(ReviewSource::Trace),
            trace_id: r.trace_id,
            input: r.input,
            output: r.output,
            created_at: r.created_at,
            due_at: r.due_at,
            // An unknown state from a newer version is shown as still waiting.
            state: ReviewState::parse(&r.state).unwrap_or(ReviewState::Pending),
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            note: r.note,
        }
    }
}

const COLUMNS: &str = "id, agent, source, trace_id, input, output, created_at, due_at, state, \
     decided_by, decided_at, note";

/// The insert of `records`, one multi-row statement; an interaction queued before is
/// skipped.
pub(crate) fn review_insert<'a, DB: sqlx::Database>(
    records: &'a [ReviewRecord],
) -> sqlx::QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a Option<String>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut query = sqlx::QueryBuilder::new(
        "insert into reviews (agent, source, trace_id, input, output, created_at, due_at, \
         state, dedupe_key) ",
    );
    query.push_values(records, |mut row, r| {
        row.push_bind(&r.agent)
            .push_bind(r.source.as_str())
            .push_bind(&r.trace_id)
            .push_bind(&r.input)
            .push_bind(&r.output)
            .push_bind(r.created_at)
            .push_bind(r.due_at)
            .push_bind("pending")
            .push_bind(&r.dedupe_key);
    });
    query.push(" on conflict (dedupe_key) do nothing");
    query
}

impl Store {
    /// Queues one item and returns its id; an item with the same key (the same
    /// interaction, queued by the ingest commit) is returned instead of a second one.
    pub async fn insert_review(&self, record: &ReviewRecord) -> Result<i64, DbError> {
        let (id,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as(
                "insert into reviews (agent, source, trace_id, input, output, created_at, \
                 due_at, state, dedupe_key) values ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) \
                 on conflict (dedupe_key) do update set dedupe_key = excluded.dedupe_key \
                 returning id",
            )
            .bind(&record.agent)
            .bind(record.source.as_str())
            .bind(&record.trace_id)
            .bind(&record.input)
            .bind(&record.output)
            .bind(record.created_at)
            .bind(record.due_at)
            .bind(&record.dedupe_key)
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    pub async fn review(&self, id: i64) -> Result<Option<ReviewItem>, DbError> {
        let sql = format!("select {COLUMNS} from reviews where id = $1");
        let row: Option<ReviewRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Into::into))
    }

    /// Items matching `filter`: pending ones oldest first (the queue's order), others
    /// newest first. `agents` limits them to those agents (an owner's), `None` means all.
    pub async fn list_reviews(
        &self,
        filter: &ReviewFilter,
        agents: Option<&[String]>,
        limit: u32,
    ) -> Result<Vec<ReviewItem>, DbError> {
        if agents.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        let rows: Vec<ReviewRow> = with_pool!(self, pool => {
            let mut query =
                sqlx::QueryBuilder::new(format!("select {COLUMNS} from reviews where 1 = 1"));
            if let Some(state) = filter.state {
                query.push(" and state = ").push_bind(state.as_str());
            }
            if let Some(agent) = &filter.agent {
                query.push(" and agent = ").push_bind(agent.as_str());
            }
            if let Some(agents) = agents {
                crate::push_in(&mut query, "agent", agents);
            }
            let queue = filter.state == Some(ReviewState::Pending);
            if let Some(before) = filter.before_id {
                query
                    .push(if queue { " and id > " } else { " and id < " })
                    .push_bind(before);
            }
            query
                .push(if queue { " order by id" } else { " order by id desc" })
                .push(" limit ")
                .push_bind(i64::from(limit));
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Pending items due before `now` whose overdue violation is not stored yet, oldest
    /// first (so a backlog larger than `limit` is worked through, pass after pass).
    pub async fn overdue_reviews(&self, now: i64, limit: u32) -> Result<Vec<ReviewItem>, DbError> {
        let sql = format!(
            "select {COLUMNS} from reviews where state = 'pending' and due_at < $1 \
             and not exists (select 1 from violations \
                 where dedupe_key = 'review_overdue:' || reviews.id) \
             order by due_at limit $2"
        );
        let rows: Vec<ReviewRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).bind(i64::from(limit)).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Decides a pending item and records it in the audit trail, in one transaction;
    /// `None` when the item was not pending (decided already, by someone else perhaps).
    pub async fn decide_review(
        &self,
        id: i64,
        state: ReviewState,
        by: &str,
        note: &str,
        at: i64,
    ) -> Result<Option<ReviewItem>, DbError> {
        let sql = format!(
            "update reviews set state = $2, decided_by = $3, decided_at = $4, note = $5 \
             where id = $1 and state = 'pending' returning {COLUMNS}"
        );
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let row: Option<ReviewRow> = sqlx::query_as(&sql)
                .bind(id)
                .bind(state.as_str())
                .bind(by)
                .bind(at)
                .bind(note)
                .fetch_optional(&mut *tx)
                .await?;
            match row {
                None => None,
                Some(row) => {
                    let item: ReviewItem = row.into();
                    let event = NewAuditEvent {
                        actor: by.to_string(),
                        action: AuditAction::ReviewDecide,
                        target: format!("review:{id}"),
                        before: Some(serde_json::json!({ "state": "pending" }).to_string()),
                        after: Some(
                            serde_json::json!({
                                "state": state.as_str(),
                                "note": note,
                                "agent": item.agent,
                                "trace_id": item.trace_id,
                            })
                            .to_string(),
                        ),
                    };
                    audit_write!(tx, head, &event, at);
                    tx.commit().await?;
                    Some(item)
                }
            }
        }))
    }
}
