//! The audit trail's storage: appending to the hash chain, listing, and checking it.
//!
//! Every append first bumps the single `audit_head` row. That write takes the row lock on
//! PostgreSQL and the write lock on SQLite, so appends from any connection or replica queue
//! there and each one chains to the event before it. Changes that must be recorded with
//! their event ([`crate::Store::set_agent_control`], the policy versions) take the head
//! first in their own transaction with [`audit_lock!`] and write the event at the end with
//! [`audit_write!`], so the change and its record commit together or not at all.

use crate::{DbError, Store, with_pool};
use sha2::{Digest, Sha256};
use warden_domain::audit::{AuditEvent, AuditFilter, ChainStatus, GENESIS_HASH, NewAuditEvent};

/// The hash of an event: SHA-256 over its fields and the previous hash, as a JSON array so
/// no two different events can serialize alike.
pub fn chain_hash(
    seq: i64,
    at: i64,
    event: (&str, &str, &str, Option<&str>, Option<&str>),
    prev_hash: &str,
) -> String {
    let (actor, action, target, before, after) = event;
    let content =
        serde_json::json!([seq, at, actor, action, target, before, after, prev_hash]).to_string();
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// Takes the chain's head inside transaction `$tx`: the next sequence number and the hash
/// to chain to. Must be the transaction's first statement on SQLite (a write first, so the
/// transaction never has to upgrade a stale read snapshot).
macro_rules! audit_lock {
    ($tx:expr) => {{
        let head: (i64, String) =
            sqlx::query_as("update audit_head set seq = seq + 1 where id = 1 returning seq, hash")
                .fetch_one(&mut *$tx)
                .await?;
        head
    }};
}
pub(crate) use audit_lock;

/// Writes `$event` at the place `audit_lock!` took, and moves the head to it.
macro_rules! audit_write {
    ($tx:expr, $head:expr, $event:expr, $at:expr) => {{
        let (seq, prev_hash): (i64, String) = $head;
        let event: &warden_domain::audit::NewAuditEvent = $event;
        let at: i64 = $at;
        let hash = $crate::governance::audit::chain_hash(
            seq,
            at,
            (
                &event.actor,
                event.action.as_str(),
                &event.target,
                event.before.as_deref(),
                event.after.as_deref(),
            ),
            &prev_hash,
        );
        sqlx::query(
            "insert into audit_events (seq, at, actor, action, target, before_state, \
             after_state, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(seq)
        .bind(at)
        .bind(&event.actor)
        .bind(event.action.as_str())
        .bind(&event.target)
        .bind(&event.before)
        .bind(&event.after)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("update audit_head set hash = $1 where id = 1")
            .bind(&hash)
            .execute(&mut *$tx)
            .await?;
        warden_domain::audit::AuditEvent {
            seq,
            at,
            actor: event.actor.clone(),
            action: event.action.as_str().to_string(),
            target: event.target.clone(),
            before: event.before.clone(),
            after: event.after.clone(),
            prev_hash,
            hash,
        }
    }};
}
pub(crate) use audit_write;

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    at: i64,
    actor: String,
    action: String,
    target: String,
    before_state: Option<String>,
    after_state: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<EventRow> for AuditEvent {
    fn from(r: EventRow) -> Self {
        AuditEvent {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            target: r.target,
            before: r.before_state,
            after: r.after_state,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const COLUMNS: &str = "seq, at, actor, action, target, before_state, after_state, prev_hash, hash";

/// Events read per query while checking or exporting the whole chain.
const CHAIN_BATCH: i64 = 1_000;

impl Store {
    /// Appends one event, in a transaction of its own.
    pub async fn append_audit(
        &self,
        event: &NewAuditEvent,
        at: i64,
    ) -> Result<AuditEvent, DbError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let recorded = audit_write!(tx, head, event, at);
            tx.commit().await?;
            recorded
        }))
    }

    /// Events matching `filter`, newest first.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, DbError> {
        let rows: Vec<EventRow> = with_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new(format!(
                "select {COLUMNS} from audit_events where 1 = 1"
            ));
            if let Some(actor) = &filter.actor {
                query.push(" and actor = ").push_bind(actor.as_str());
            }
            if let Some(action) = &filter.action {
                if action.contains('.') {
                    query.push(" and action = ").push_bind(action.as_str());
                } else {
                    query
                        .push(" and action like ")
                        .push_bind(format!("{}.%", escape_like(action)))
                        .push(" escape '\\'");
                }
            }
            if let Some(target) = &filter.target {
                if target.contains(':') {
                    query.push(" and target = ").push_bind(target.as_str());
                } else {
                    query
                        .push(" and target like ")
                        .push_bind(format!("{}:%", escape_like(target)))
                        .push(" escape '\\'");
                }
            }
            if let Some(since) = filter.since {
                query.push(" and at >= ").push_bind(since);
            }
            if let Some(until) = filter.until {
                query.push(" and at < ").push_bind(until);
            }
            if let Some(before) = filter.before_seq {
                query.push(" and seq < ").push_bind(before);
            }
            query
                .push(" order by seq desc limit ")
                .push_bind(i64::from(limit));
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Up to `limit` events after `after_seq`, oldest first: the chain in order, a page at a
    /// time, for checking and exporting it.
    pub async fn audit_chain_page(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, DbError> {
        let sql =
            format!("select {COLUMNS} from audit_events where seq > $1 order by seq limit $2");
        let rows: Vec<EventRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(after_seq).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Walks the whole chain: every event must follow the one before without a gap, name
    /// its hash, and hash to what it says; the last must be the head every append moved.
    /// The head is read first and the walk stops there, so appends made meanwhile are left
    /// for the next check rather than taken for missing events.
    pub async fn verify_audit(&self) -> Result<ChainStatus, DbError> {
        let (head_seq, head_hash): (i64, String) = with_pool!(self, pool => {
            sqlx::query_as("select seq, hash from audit_head where id = 1")
                .fetch_one(pool)
                .await?
        });
        let mut expected_seq = 1;
        let mut prev = GENESIS_HASH.to_string();
        loop {
            let page = self.audit_chain_page(expected_seq - 1, CHAIN_BATCH).await?;
            let done = (page.len() as i64) < CHAIN_BATCH;
            for event in page.into_iter().filter(|e| e.seq <= head_seq) {
                if let Some(reason) = check_link(&event, expected_seq, &prev) {
                    return Ok(ChainStatus::Broken {
                        seq: expected_seq,
                        reason,
                        checked: expected_seq - 1,
                    });
                }
                prev = event.hash;
                expected_seq += 1;
            }
            if done || expected_seq > head_seq {
                break;
            }
        }
        let events = expected_seq - 1;
        if head_seq != events || head_hash != prev {
            return Ok(ChainStatus::Broken {
                seq: events + 1,
                reason: format!(
                    "the chain ends at event {events}, but {head_seq} events were appended: \
                     the last ones are missing"
                ),
                checked: events,
            });
        }
        Ok(ChainStatus::Intact { events, head: prev })
    }
}

/// Why `event` does not follow: a gap, a wrong link, or content that does not hash to
/// what it says.
fn check_link(event: &AuditEvent, expected_seq: i64, prev: &str) -> Option<String> {
    if event.seq != expected_seq {
        return Some(format!(
            "event {expected_seq} is missing (the next one is {})",
            event.seq
        ));
    }
    if event.prev_hash != prev {
        return Some(format!(
            "event {} does not link to the event before it",
            event.seq
        ));
    }
    let hash = chain_hash(
        event.seq,
        event.at,
        (
            &event.actor,
            &event.action,
            &event.target,
            event.before.as_deref(),
            event.after.as_deref(),
        ),
        &event.prev_hash,
    );
    (hash != event.hash).then(|| format!("event {} was altered after it was written", event.seq))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_field_and_the_link() {
        let base = chain_hash(
            1,
            10,
            ("a", "control.set", "agent:x", None, Some("{}")),
            GENESIS_HASH,
        );
        assert_eq!(base.len(), 64);
        let variants = [
            chain_hash(
                2,
                10,
                ("a", "control.set", "agent:x", None, Some("{}")),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                11,
                ("a", "control.set", "agent:x", None, Some("{}")),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                10,
                ("b", "control.set", "agent:x", None, Some("{}")),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                10,
                ("a", "control.sex", "agent:x", None, Some("{}")),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                10,
                ("a", "control.set", "agent:y", None, Some("{}")),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                10,
                ("a", "control.set", "agent:x", Some("{}"), None),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                10,
                ("a", "control.set", "agent:x", None, Some("{ }")),
                GENESIS_HASH,
            ),
            chain_hash(
                1,
                10,
                ("a", "control.set", "agent:x", None, Some("{}")),
                &"1".repeat(64),
            ),
        ];
        for v in variants {
            assert_ne!(v, base);
        }
    }

    #[test]
    fn fields_cannot_be_shifted_into_each_other() {
        let one = chain_hash(1, 1, ("a|b", "c", "t", None, None), GENESIS_HASH);
        let two = chain_hash(1, 1, ("a", "b|c", "t", None, None), GENESIS_HASH);
        assert_ne!(one, two);
    }
}
