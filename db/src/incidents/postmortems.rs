//! Post-mortems: one per incident, saved with its audit event in the same transaction.

use crate::governance::audit::{audit_lock, audit_write};
use crate::{DbError, Store, with_pool};
use warden_domain::audit::{AuditAction, NewAuditEvent};
use warden_domain::incident::postmortem::{
    OpenPostmortem, Postmortem, PostmortemStatus, PostmortemText,
};
use warden_domain::policy::Severity;

const COLUMNS: &str = "p.incident_id, i.title, i.severity, p.status, p.impact, p.root_cause, \
     p.contributing_factors, p.action_items, p.revision, p.created_at, p.created_by, \
     p.updated_at, p.updated_by, p.closed_at, p.closed_by";

#[derive(sqlx::FromRow)]
struct PostmortemRow {
    incident_id: i64,
    title: String,
    severity: String,
    status: String,
    impact: String,
    root_cause: String,
    contributing_factors: String,
    action_items: String,
    revision: i64,
    created_at: i64,
    created_by: String,
    updated_at: i64,
    updated_by: String,
    closed_at: Option<i64>,
    closed_by: Option<String>,
}

impl From<PostmortemRow> for Postmortem {
    fn from(r: PostmortemRow) -> Postmortem {
        Postmortem {
            incident_id: r.incident_id,
            incident_title: r.title,
            severity: Severity::parse(&r.severity).unwrap_or(Severity::Critical),
            status: PostmortemStatus::parse(&r.status).unwrap_or(PostmortemStatus::Draft),
            text: PostmortemText {
                impact: r.impact,
                root_cause: r.root_cause,
                contributing_factors: r.contributing_factors,
                // Written only as this JSON; unreadable items would show as none.
                action_items: serde_json::from_str(&r.action_items).unwrap_or_default(),
            },
            revision: r.revision,
            created_at: r.created_at,
            created_by: r.created_by,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
            timeline: Vec::new(),
            may_edit: false,
            may_close: false,
        }
    }
}

/// Opens an incident's post-mortem as an empty draft inside a transaction, unless it has
/// one.
macro_rules! open_postmortem {
    ($tx:expr, $id:expr, $by:expr, $at:expr) => {
        sqlx::query(
            "insert into postmortems (incident_id, status, impact, root_cause, \
             contributing_factors, action_items, revision, created_at, created_by, \
             updated_at, updated_by) values ($1, 'draft', '', '', '', '[]', 1, $2, $3, $2, $3) \
             on conflict (incident_id) do nothing",
        )
        .bind($id)
        .bind($at)
        .bind($by)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use open_postmortem;

/// A save: the new text and status, with the revision it was written against.
#[derive(Debug, Clone)]
pub struct PostmortemSave {
    pub incident_id: i64,
    pub text: PostmortemText,
    pub status: PostmortemStatus,
    /// The status the caller decided on (`None`: there was none): another one found in
    /// the transaction refuses the save, so a draft save cannot reopen what someone
    /// closed meanwhile.
    pub was: Option<PostmortemStatus>,
    /// `None` overwrites whatever revision is there.
    pub revision: Option<i64>,
    pub by: String,
    pub at: i64,
}

/// What a save found.
#[derive(Debug, Clone)]
pub enum PostmortemSaved {
    Saved(Postmortem),
    /// Someone saved a newer revision first.
    Stale(Postmortem),
}

impl Store {
    pub async fn postmortem(&self, id: i64) -> Result<Option<Postmortem>, DbError> {
        let sql = format!(
            "select {COLUMNS} from postmortems p join incidents i on i.id = p.incident_id \
             where p.incident_id = $1"
        );
        let row: Option<PostmortemRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Into::into))
    }

    /// Post-mortems not yet closed, oldest first.
    pub async fn open_postmortems(&self) -> Result<Vec<OpenPostmortem>, DbError> {
        let sql = format!(
            "select {COLUMNS} from postmortems p join incidents i on i.id = p.incident_id \
             where p.status = 'draft' order by p.created_at, p.incident_id limit 500"
        );
        let rows: Vec<PostmortemRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| OpenPostmortem {
                incident_id: r.incident_id,
                incident_title: r.title,
                severity: Severity::parse(&r.severity).unwrap_or(Severity::Critical),
                created_at: r.created_at,
                updated_at: r.updated_at,
                updated_by: r.updated_by,
            })
            .collect())
    }

    /// Writes a post-mortem (opening it if the incident has none) and its audit event,
    /// in one transaction. The action recorded is the caller's: save, close or reopen.
    pub async fn save_postmortem(
        &self,
        save: &PostmortemSave,
        action: AuditAction,
    ) -> Result<PostmortemSaved, DbError> {
        let select = format!(
            "select {COLUMNS} from postmortems p join incidents i on i.id = p.incident_id \
             where p.incident_id = $1"
        );
        let items = serde_json::to_string(&save.text.action_items)
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        let closed = save.status == PostmortemStatus::Closed;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            open_postmortem!(tx, save.incident_id, &save.by, save.at);
            let before: PostmortemRow = sqlx::query_as(&select)
                .bind(save.incident_id)
                .fetch_one(&mut *tx)
                .await?;
            let before: Postmortem = before.into();
            let moved = save.revision.is_some_and(|r| r != before.revision)
                || save.was.unwrap_or(PostmortemStatus::Draft) != before.status;
            if moved {
                return Ok(PostmortemSaved::Stale(before));
            }
            sqlx::query(
                "update postmortems set status = $2, impact = $3, root_cause = $4, \
                 contributing_factors = $5, action_items = $6, revision = revision + 1, \
                 updated_at = $7, updated_by = $8, \
                 closed_at = case when $9 then coalesce(closed_at, $7) else null end, \
                 closed_by = case when $9 then coalesce(closed_by, $8) else null end \
                 where incident_id = $1",
            )
            .bind(save.incident_id)
            .bind(save.status.as_str())
            .bind(&save.text.impact)
            .bind(&save.text.root_cause)
            .bind(&save.text.contributing_factors)
            .bind(&items)
            .bind(save.at)
            .bind(&save.by)
            .bind(closed)
            .execute(&mut *tx)
            .await?;
            let after: PostmortemRow = sqlx::query_as(&select)
                .bind(save.incident_id)
                .fetch_one(&mut *tx)
                .await?;
            let after: Postmortem = after.into();
            let event = NewAuditEvent {
                actor: save.by.clone(),
                action,
                target: format!("incident:{}", save.incident_id),
                before: Some(audit_json(&before)),
                after: Some(audit_json(&after)),
            };
            audit_write!(tx, head, &event, save.at);
            tx.commit().await?;
            Ok(PostmortemSaved::Saved(after))
        })
    }
}

/// What the trail keeps of a post-mortem: status, revision and text.
fn audit_json(p: &Postmortem) -> String {
    serde_json::json!({
        "status": p.status,
        "revision": p.revision,
        "impact": p.text.impact,
        "root_cause": p.text.root_cause,
        "contributing_factors": p.text.contributing_factors,
        "action_items": p.text.action_items,
    })
    .to_string()
}
