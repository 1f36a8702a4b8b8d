//! The audit trail as people use it: reading, exporting and checking it. Changes record
//! themselves through [`Services::record`] (or, for control states and policies, inside
//! the store's own transaction).

use crate::{Actor, ServiceError, Services};
use serde_json::Value;
use warden_domain::audit::{AuditAction, AuditEvent, AuditFilter, ChainStatus, NewAuditEvent};
use warden_domain::role::Permission;

/// The most events one export holds; a narrower filter gets the rest.
pub const EXPORT_LIMIT: usize = 200_000;

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<ExportFormat> {
        match text {
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

impl Actor {
    /// The name the audit trail records for the caller.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::User(user) => user.email.clone(),
            Actor::System => "system".to_string(),
        }
    }
}

impl Services {
    /// Appends an event for a change that has been made. A failure is returned, not
    /// swallowed: a change the trail does not hold must not look like a clean success.
    pub(crate) async fn record(
        &self,
        actor: &str,
        action: AuditAction,
        target: String,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), ServiceError> {
        let event = NewAuditEvent {
            actor: actor.to_string(),
            action,
            target,
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
        };
        self.store.append_audit(&event, self.now()).await?;
        Ok(())
    }

    /// Events matching `filter`, newest first, a page of at most `limit`.
    pub async fn list_audit(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditEvent>, ServiceError> {
        actor.require(Permission::ViewAudit)?;
        Ok(self.store.list_audit(filter, limit.clamp(1, 1_000)).await?)
    }

    /// Checks the whole chain.
    pub async fn verify_audit(&self, actor: &Actor) -> Result<ChainStatus, ServiceError> {
        actor.require(Permission::ViewAudit)?;
        Ok(self.store.verify_audit().await?)
    }

    /// The events matching `filter`, oldest first, as a file; the export itself is
    /// recorded, since the trail holds personal data.
    pub async fn export_audit(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        format: ExportFormat,
    ) -> Result<String, ServiceError> {
        actor.require(Permission::ViewAudit)?;
        let mut events = Vec::new();
        let mut page_filter = filter.clone();
        loop {
            let page = self.store.list_audit(&page_filter, 1_000).await?;
            let last = page.last().map(|e| e.seq);
            let full = page.len() == 1_000;
            events.extend(page);
            match last {
                Some(seq) if full && events.len() < EXPORT_LIMIT => {
                    page_filter.before_seq = Some(seq)
                }
                _ => break,
            }
        }
        events.truncate(EXPORT_LIMIT);
        events.reverse();
        let body = match format {
            ExportFormat::Json => serde_json::to_string_pretty(&events)
                .map_err(|e| anyhow::anyhow!("writing the audit export: {e}"))?,
            ExportFormat::Csv => to_csv(&events)?,
        };
        self.record(
            &actor.audit_name(),
            AuditAction::AuditExport,
            "audit".to_string(),
            None,
            Some(serde_json::json!({
                "format": format.extension(),
                "events": events.len(),
                "filter": filter,
            })),
        )
        .await?;
        Ok(body)
    }
}

fn to_csv(events: &[AuditEvent]) -> Result<String, ServiceError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| anyhow::anyhow!("writing the audit export: {e}");
    writer
        .write_record([
            "seq",
            "at",
            "actor",
            "action",
            "target",
            "before",
            "after",
            "prev_hash",
            "hash",
        ])
        .map_err(failed)?;
    for e in events {
        writer
            .write_record([
                e.seq.to_string().as_str(),
                &warden_domain::timefmt::iso_utc(e.at),
                &e.actor,
                &e.action,
                &e.target,
                e.before.as_deref().unwrap_or(""),
                e.after.as_deref().unwrap_or(""),
                &e.prev_hash,
                &e.hash,
            ])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing the audit export: {e}"))?;
    String::from_utf8(bytes)
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("audit export is not UTF-8: {e}")))
}
