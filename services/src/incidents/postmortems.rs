//! Post-mortems: drafted by the responders, closed (or reopened) by reviewers and incident
//! commanders; every save is in the audit trail.

use crate::{Actor, ServiceError, Services};
use serde::Deserialize;
use warden_db::{PostmortemSave, PostmortemSaved};
use warden_domain::audit::AuditAction;
use warden_domain::incident::Status;
use warden_domain::incident::postmortem::{
    ActionItem, OpenPostmortem, Postmortem, PostmortemStatus, PostmortemText,
};
use warden_domain::role::Permission;

/// `PUT /api/v1/incidents/{id}/postmortem`. Spelled out rather than flattening
/// [`PostmortemText`]: serde ignores `deny_unknown_fields` through a flatten, and a
/// misspelt field would be saved empty without a word.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostmortemInput {
    #[serde(default)]
    pub impact: String,
    #[serde(default)]
    pub root_cause: String,
    #[serde(default)]
    pub contributing_factors: String,
    #[serde(default)]
    pub action_items: Vec<ActionItem>,
    /// `draft` (the default) or `closed`.
    #[serde(default)]
    pub status: Option<String>,
    /// The revision this was written against; a newer one saved meanwhile refuses it.
    #[serde(default)]
    pub revision: Option<i64>,
}

impl PostmortemInput {
    pub fn new(text: PostmortemText, status: &str, revision: Option<i64>) -> PostmortemInput {
        PostmortemInput {
            impact: text.impact,
            root_cause: text.root_cause,
            contributing_factors: text.contributing_factors,
            action_items: text.action_items,
            status: Some(status.to_string()),
            revision,
        }
    }

    fn text(&self) -> PostmortemText {
        PostmortemText {
            impact: self.impact.clone(),
            root_cause: self.root_cause.clone(),
            contributing_factors: self.contributing_factors.clone(),
            action_items: self.action_items.clone(),
        }
    }
}

impl Services {
    /// An incident's post-mortem with its timeline; `None` if it has none yet.
    pub async fn postmortem(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Option<Postmortem>, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        self.store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        let Some(mut postmortem) = self.store.postmortem(id).await? else {
            return Ok(None);
        };
        postmortem.timeline = self.store.incident_timeline(id).await?;
        postmortem.may_close = actor.require(Permission::ClosePostmortems).is_ok();
        postmortem.may_edit =
            self.may_write_postmortems(actor) && postmortem.status == PostmortemStatus::Draft;
        Ok(Some(postmortem))
    }

    /// Whether the caller may start and draft post-mortems.
    pub fn may_write_postmortems(&self, actor: &Actor) -> bool {
        actor.require(Permission::RespondIncidents).is_ok()
            || actor.require(Permission::ClosePostmortems).is_ok()
    }

    /// Post-mortems not yet closed.
    pub async fn open_postmortems(
        &self,
        actor: &Actor,
    ) -> Result<Vec<OpenPostmortem>, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        Ok(self.store.open_postmortems().await?)
    }

    /// Saves a post-mortem, starting it if the incident has none (on demand). Responders
    /// write drafts; closing and reopening take a reviewer or an incident commander, and
    /// closing takes the impact, the root cause and owned, dated action items. A closed
    /// post-mortem is changed only by reopening it.
    pub async fn save_postmortem(
        &self,
        actor: &Actor,
        id: i64,
        input: PostmortemInput,
    ) -> Result<Postmortem, ServiceError> {
        let status = match input.status.as_deref() {
            None => PostmortemStatus::Draft,
            Some(text) => PostmortemStatus::parse(text)
                .ok_or_else(|| ServiceError::invalid("status is draft or closed"))?,
        };
        let closer = actor.require(Permission::ClosePostmortems).is_ok();
        if !closer {
            actor.require(Permission::RespondIncidents)?;
        }
        let text = input.text().validate().map_err(ServiceError::Invalid)?;
        let incident = self
            .store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        let before = self.store.postmortem(id).await?;
        let was = before.as_ref().map(|p| p.status);
        let action = match (was, status) {
            (Some(PostmortemStatus::Closed), PostmortemStatus::Closed) => {
                return Err(ServiceError::Conflict(
                    "the post-mortem is closed: reopen it (status draft) to change it".into(),
                ));
            }
            (_, PostmortemStatus::Closed) => AuditAction::PostmortemClose,
            (Some(PostmortemStatus::Closed), PostmortemStatus::Draft) => {
                AuditAction::PostmortemReopen
            }
            _ => AuditAction::PostmortemSave,
        };
        if action != AuditAction::PostmortemSave && !closer {
            return Err(ServiceError::Forbidden(
                "only reviewers, incident commanders and admins close or reopen a post-mortem"
                    .into(),
            ));
        }
        if status == PostmortemStatus::Closed {
            if incident.incident.status != Status::Resolved {
                return Err(ServiceError::Conflict(
                    "the incident is still open: resolve it before closing its post-mortem".into(),
                ));
            }
            let missing = text.missing_for_close();
            if !missing.is_empty() {
                return Err(ServiceError::invalid(format!(
                    "to close it, write {}",
                    missing.join(", ")
                )));
            }
        }
        let save = PostmortemSave {
            incident_id: id,
            text,
            status,
            was,
            revision: input.revision,
            by: actor.audit_name(),
            at: self.now(),
        };
        match self.store.save_postmortem(&save, action).await? {
            PostmortemSaved::Saved(_) => {}
            PostmortemSaved::Stale(current) => {
                return Err(ServiceError::Conflict(format!(
                    "{} saved revision {} ({}) meanwhile: reload, then save again",
                    current.updated_by,
                    current.revision,
                    current.status.as_str()
                )));
            }
        }
        self.postmortem(actor, id)
            .await?
            .ok_or(ServiceError::NotFound("post-mortem"))
    }
}
