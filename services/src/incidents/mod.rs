//! Incident response: incidents opened by hand or from findings, acknowledged and
//! resolved by the people who may; the ladder's pages are made in `escalation` and
//! delivered in `delivery`; acknowledge links are signed in `links`.

pub mod delivery;
mod escalation;
mod links;
mod oncall;
mod postmortems;
pub mod rotation;
mod runbooks;
pub mod sources;

pub use delivery::{DeliveryPass, Mail, Notifier};
pub use escalation::EscalationPass;
pub use links::AckLink;
pub use postmortems::PostmortemInput;
pub use runbooks::{AgentCommands, HandStep, RunbookPass, StepInput};

use crate::{Actor, ServiceError, Services};
use serde::Deserialize;
use warden_db::{NewIncident, Opened, StoredIncident};
pub use warden_domain::incident::IncidentDetail;
use warden_domain::incident::escalation::{Ladder, masked_webhook};
use warden_domain::incident::runbook::Runbooks;
use warden_domain::incident::{
    Channel, EntryKind, Incident, IncidentBoard, Kind, Status, dedup_key,
};
use warden_domain::policy::Severity;
use warden_domain::role::Permission;

/// How incidents escalate (`incidents:` in the config).
#[derive(Debug, Clone)]
pub struct IncidentSettings {
    pub ladder: Ladder,
    /// How long a triggered incident may wait for an acknowledgement, in ms.
    pub ack_sla_ms: i64,
    /// How long an incident may stay open, in ms.
    pub resolve_sla_ms: i64,
    /// The rules whose violations open incidents (`incidents.paging_rules`).
    pub paging_rules: Vec<warden_domain::policy::RuleName>,
    /// The steps each kind of incident opens with (`incidents.runbooks`).
    pub runbooks: Runbooks,
    /// Resolving an incident this severe or worse opens its post-mortem
    /// (`incidents.postmortem_from`).
    pub postmortem_from: Severity,
    /// Who the `on_call` target pages (`incidents.on_call`); every enabled `on_call` user
    /// without one (and no override).
    pub rotation: Option<rotation::Rotation>,
    /// Enough agents failing at once open one incident (`incidents.cascade`); off when
    /// `None`.
    pub cascade: Option<warden_domain::incident::cascade::Cascade>,
}

impl Default for IncidentSettings {
    /// The seed's ladder and SLAs: acknowledge within 5 minutes, resolve within 4 hours;
    /// the default paging rules, the seed's runbooks, a post-mortem for high and critical
    /// incidents. (A derived default would be a ladder with SLAs of 0.)
    fn default() -> IncidentSettings {
        IncidentSettings {
            ladder: Ladder::default(),
            ack_sla_ms: 5 * 60_000,
            resolve_sla_ms: 4 * 3_600_000,
            paging_rules: sources::DEFAULT_PAGING_RULES.to_vec(),
            runbooks: Runbooks::default(),
            postmortem_from: Severity::High,
            rotation: None,
            cascade: Some(Default::default()),
        }
    }
}

/// An incident opened by a person.
#[derive(Debug, Clone, Deserialize)]
pub struct ManualIncident {
    pub agent: Option<String>,
    pub title: String,
    pub severity: Option<String>,
}

/// A finding that opens an incident (or joins the open one of the same problem).
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    pub agent: Option<String>,
    pub rule: Option<String>,
    pub title: String,
    pub detail: String,
}

/// What an acknowledgement found: the incident as it is after it, and whether this one
/// acknowledged it (or someone had, or it was resolved).
#[derive(Debug, Clone)]
pub struct Acknowledged {
    pub incident: Incident,
    pub now: bool,
}

/// Notes (and resolution notes) on a timeline.
const MAX_NOTE: usize = 4_000;

/// Titles are one line of text people read in a subject line.
const MAX_TITLE: usize = 200;

impl Services {
    /// Opens an incident by hand (UI and API): always a new one.
    pub async fn open_manual_incident(
        &self,
        actor: &Actor,
        input: ManualIncident,
    ) -> Result<Incident, ServiceError> {
        actor.require(Permission::RespondIncidents)?;
        let title = input.title.trim().to_string();
        if title.is_empty() || title.chars().count() > MAX_TITLE || title.contains('\n') {
            return Err(ServiceError::invalid(format!(
                "a title is one line of 1 to {MAX_TITLE} characters"
            )));
        }
        let severity = match input.severity.as_deref() {
            None => Severity::High,
            Some(text) => Severity::parse(text).ok_or_else(|| {
                ServiceError::invalid("severity is one of low, medium, high, critical")
            })?,
        };
        let agent = match input.agent.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(
                self.store
                    .find_agent(name)
                    .await?
                    .ok_or(ServiceError::NotFound("agent"))?
                    .name,
            ),
        };
        let now = self.now();
        // Every incident opened by hand is its own: two people reporting two problems on
        // one agent must not land in one incident.
        let nonce = hex::encode(crate::random_bytes::<6>()?);
        let by = actor.audit_name();
        let opened = self
            .open_incident(
                Finding {
                    kind: Kind::Manual,
                    severity,
                    agent,
                    rule: None,
                    detail: format!("opened by hand by {by}: {title}"),
                    title,
                },
                &by,
                Some(format!("manual|{now}|{nonce}")),
            )
            .await?;
        Ok(opened.incident)
    }

    /// Opens an incident for a finding, or joins the open one of the same problem (same
    /// kind, agent and rule). The ladder it keeps is the one configured now.
    pub async fn raise_incident(&self, finding: Finding) -> Result<StoredIncident, ServiceError> {
        self.open_incident(finding, "warden", None).await
    }

    async fn open_incident(
        &self,
        finding: Finding,
        by: &str,
        key: Option<String>,
    ) -> Result<StoredIncident, ServiceError> {
        let new = self.new_incident(finding, by, key)?;
        let stored = match self.store.open_incident(&new).await? {
            Opened::New(stored) => {
                Box::pin(self.announce_opened(&stored.incident)).await;
                stored
            }
            Opened::Joined(stored) => stored,
        };
        Ok(stored)
    }

    /// What follows a new incident, once it is committed: the log line, and the cascade it
    /// may complete. A cascade that fails to open is logged, not returned: the incident
    /// itself is open, and its opener must not try again.
    pub(crate) async fn announce_opened(&self, incident: &Incident) {
        tracing::info!(
            id = incident.id,
            kind = incident.kind.as_str(),
            "incident opened"
        );
        if let Err(err) = self.check_cascade(incident).await {
            tracing::warn!(id = incident.id, error = %err, "checking for a cascade");
        }
    }

    /// The incident a finding opens now, with the ladder configured now.
    pub(crate) fn new_incident(
        &self,
        finding: Finding,
        by: &str,
        key: Option<String>,
    ) -> Result<NewIncident, ServiceError> {
        let now = self.now();
        let ladder = &self.settings.incidents.ladder;
        let key = key.unwrap_or_else(|| {
            dedup_key(
                finding.kind,
                finding.agent.as_deref(),
                finding.rule.as_deref(),
            )
        });
        Ok(NewIncident {
            kind: finding.kind,
            severity: finding.severity,
            title: finding.title,
            agent: finding.agent,
            rule: finding.rule,
            dedup_key: key,
            opened_by: by.to_string(),
            opened_at: now,
            ladder: serde_json::to_string(ladder).map_err(anyhow::Error::from)?,
            first_page_at: ladder.due_at(now, Default::default()),
            steps: self
                .settings
                .incidents
                .runbooks
                .for_kind(finding.kind)
                .to_vec(),
            detail: finding.detail,
        })
    }

    /// Incidents newest first, of one status or all.
    pub async fn list_incidents(
        &self,
        actor: &Actor,
        status: Option<&str>,
    ) -> Result<Vec<Incident>, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        let status = match status {
            None | Some("") | Some("all") => None,
            Some(text) => Some(Status::parse(text).ok_or_else(|| {
                ServiceError::invalid("status is one of triggered, acknowledged, resolved")
            })?),
        };
        Ok(self
            .store
            .list_incidents(status, 500)
            .await?
            .into_iter()
            .map(|s| s.incident)
            .collect())
    }

    /// One incident with its timeline and pages.
    pub async fn incident_detail(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<IncidentDetail, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        let mut detail = self.detail_of(id).await?;
        detail.may_respond = actor.require(Permission::RespondIncidents).is_ok();
        Ok(detail)
    }

    /// Reads the incidents' version from the database and tells this process's
    /// subscribers when it moved: one read per tick for however many browsers watch.
    pub async fn publish_incidents_version(&self) -> Result<bool, ServiceError> {
        let now = self.store.incidents_version().await?;
        Ok(self.incident_changes.send_if_modified(|seen| {
            let moved = *seen != now;
            *seen = now;
            moved
        }))
    }

    /// Changes whenever any incident changes, on any replica (as of the last
    /// [`Services::publish_incidents_version`]).
    pub fn watch_incidents(
        &self,
        actor: &Actor,
    ) -> Result<tokio::sync::watch::Receiver<(i64, i64)>, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        Ok(self.incident_changes.subscribe())
    }

    /// Whether the user behind a live view may still watch incidents: a stream outlives
    /// the request that opened it, and an account disabled (or a role taken away) since
    /// must stop hearing of changes.
    pub async fn may_still_watch_incidents(&self, user_id: i64) -> Result<bool, ServiceError> {
        Ok(self.store.find_user(user_id).await?.is_some_and(|u| {
            !u.disabled && warden_domain::role::can(&u.roles, Permission::ViewIncidents)
        }))
    }

    /// The Incident dashboard's data.
    pub async fn incident_board(&self, actor: &Actor) -> Result<IncidentBoard, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        let mut active = Vec::new();
        for status in [Status::Triggered, Status::Acknowledged] {
            active.extend(
                self.store
                    .list_incidents(Some(status), 500)
                    .await?
                    .into_iter()
                    .map(|s| s.incident),
            );
        }
        active.sort_by(|a, b| b.opened_at.cmp(&a.opened_at).then(b.id.cmp(&a.id)));
        let resolved = self
            .store
            .list_incidents(Some(Status::Resolved), 20)
            .await?
            .into_iter()
            .map(|s| s.incident)
            .collect();
        Ok(IncidentBoard {
            now: self.now(),
            active,
            resolved,
            ack_sla_ms: self.settings.incidents.ack_sla_ms,
            resolve_sla_ms: self.settings.incidents.resolve_sla_ms,
            may_respond: actor.require(Permission::RespondIncidents).is_ok(),
            open_postmortems: self.store.open_postmortems().await?,
            on_call: self.on_call_board(actor).await?,
        })
    }

    pub(crate) async fn detail_of(&self, id: i64) -> Result<IncidentDetail, ServiceError> {
        let stored = self
            .store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        let ladder: Ladder = serde_json::from_str(&stored.ladder).map_err(anyhow::Error::from)?;
        Ok(IncidentDetail {
            timeline: self.store.incident_timeline(id).await?,
            pages: self
                .store
                .incident_pages(id)
                .await?
                .into_iter()
                .map(|mut page| {
                    if page.channel == Channel::Webhook {
                        page.recipient = masked_webhook(&page.recipient);
                    }
                    page
                })
                .collect(),
            ladder: ladder.describe(),
            steps: self.store.incident_steps(id).await?,
            postmortem: self.store.postmortem(id).await?.map(|p| p.status),
            incident: stored.incident,
            may_respond: false,
        })
    }

    /// Acknowledges an incident: its ladder stops. Acknowledging one that is no longer
    /// triggered changes nothing and says who did.
    pub async fn acknowledge_incident(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Incident, ServiceError> {
        actor.require(Permission::RespondIncidents)?;
        let by = actor.audit_name();
        Ok(self
            .acknowledge_as(id, &by, &format!("acknowledged by {by}"))
            .await?
            .incident)
    }

    /// Acknowledges as `by`; says whether this call did it, or found it done.
    pub(crate) async fn acknowledge_as(
        &self,
        id: i64,
        by: &str,
        detail: &str,
    ) -> Result<Acknowledged, ServiceError> {
        let now = self.now();
        Ok(
            match self.store.acknowledge_incident(id, by, now, detail).await? {
                Some(stored) => Acknowledged {
                    incident: stored.incident,
                    now: true,
                },
                None => Acknowledged {
                    incident: self.unchanged(id).await?,
                    now: false,
                },
            },
        )
    }

    /// Resolves an incident: its ladder stops and everyone paged is told.
    pub async fn resolve_incident(
        &self,
        actor: &Actor,
        id: i64,
        note: Option<&str>,
    ) -> Result<Incident, ServiceError> {
        actor.require(Permission::RespondIncidents)?;
        let by = actor.audit_name();
        if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
            return Err(ServiceError::invalid(format!(
                "a resolution note is at most {MAX_NOTE} characters"
            )));
        }
        let detail = match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(note) => format!("resolved by {by}: {note}"),
            None => format!("resolved by {by}"),
        };
        match self
            .store
            .resolve_incident(
                id,
                &by,
                self.now(),
                &detail,
                self.settings.incidents.postmortem_from,
            )
            .await?
        {
            Some(stored) => Ok(stored.incident),
            None => self.unchanged(id).await,
        }
    }

    /// Adds a note to an incident's timeline.
    pub async fn add_incident_note(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
    ) -> Result<(), ServiceError> {
        actor.require(Permission::RespondIncidents)?;
        let note = note.trim();
        if note.is_empty() || note.chars().count() > MAX_NOTE {
            return Err(ServiceError::invalid(format!(
                "a note is 1 to {MAX_NOTE} characters"
            )));
        }
        self.store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        self.store
            .add_incident_event(id, self.now(), EntryKind::Note, &actor.audit_name(), note)
            .await?;
        Ok(())
    }

    /// The incident as it stands, for a change that found nothing to change.
    async fn unchanged(&self, id: i64) -> Result<Incident, ServiceError> {
        Ok(self
            .store
            .incident(id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?
            .incident)
    }
}
