//! On-call overrides, each added or removed with its audit event in one transaction.

use crate::governance::audit::{audit_lock, audit_write};
use crate::{DbError, Store, with_pool};
use warden_domain::audit::{AuditAction, NewAuditEvent};
use warden_domain::incident::oncall::OnCallOverride;

const COLUMNS: &str = "id, who, starts_at, ends_at, note, created_by, created_at";

#[derive(sqlx::FromRow)]
struct OverrideRow {
    id: i64,
    who: String,
    starts_at: i64,
    ends_at: i64,
    note: String,
    created_by: String,
    created_at: i64,
}

impl From<OverrideRow> for OnCallOverride {
    fn from(r: OverrideRow) -> OnCallOverride {
        OnCallOverride {
            id: r.id,
            who: r.who,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            note: r.note,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

fn audit_json(o: &OnCallOverride) -> String {
    serde_json::json!({
        "who": o.who,
        "starts_at": o.starts_at,
        "ends_at": o.ends_at,
        "note": o.note,
    })
    .to_string()
}

impl Store {
    /// Overrides not removed that end after `after`, soonest first.
    pub async fn on_call_overrides(&self, after: i64) -> Result<Vec<OnCallOverride>, DbError> {
        let sql = format!(
            "select {COLUMNS} from on_call_overrides where removed_at is null and ends_at > $1 \
             order by starts_at, id limit 500"
        );
        let rows: Vec<OverrideRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(after).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One override not removed.
    pub async fn on_call_override(&self, id: i64) -> Result<Option<OnCallOverride>, DbError> {
        let sql =
            format!("select {COLUMNS} from on_call_overrides where id = $1 and removed_at is null");
        let row: Option<OverrideRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Into::into))
    }

    pub async fn add_on_call_override(
        &self,
        who: &str,
        starts_at: i64,
        ends_at: i64,
        note: &str,
        by: &str,
        at: i64,
    ) -> Result<OnCallOverride, DbError> {
        let sql = format!(
            "insert into on_call_overrides (who, starts_at, ends_at, note, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning {COLUMNS}"
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let row: OverrideRow = sqlx::query_as(&sql)
                .bind(who)
                .bind(starts_at)
                .bind(ends_at)
                .bind(note)
                .bind(by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let added: OnCallOverride = row.into();
            let event = NewAuditEvent {
                actor: by.to_string(),
                action: AuditAction::OnCallOverride,
                target: format!("on_call:{}", added.id),
                before: None,
                after: Some(audit_json(&added)),
            };
            audit_write!(tx, head, &event, at);
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Removes an override; `None` if there is none (or it was removed already).
    pub async fn remove_on_call_override(
        &self,
        id: i64,
        by: &str,
        at: i64,
    ) -> Result<Option<OnCallOverride>, DbError> {
        let sql = format!(
            "update on_call_overrides set removed_at = $2, removed_by = $3 \
             where id = $1 and removed_at is null returning {COLUMNS}"
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let row: Option<OverrideRow> = sqlx::query_as(&sql)
                .bind(id)
                .bind(at)
                .bind(by)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                // Nothing changed: the head taken above is given back by the rollback.
                return Ok(None);
            };
            let removed: OnCallOverride = row.into();
            let event = NewAuditEvent {
                actor: by.to_string(),
                action: AuditAction::OnCallOverrideRemove,
                target: format!("on_call:{id}"),
                before: Some(audit_json(&removed)),
                after: None,
            };
            audit_write!(tx, head, &event, at);
            tx.commit().await?;
            Ok(Some(removed))
        })
    }
}
