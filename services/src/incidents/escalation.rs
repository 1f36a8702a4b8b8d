//! The escalation tick: for every triggered incident whose next page is due, the rounds
//! its ladder says are due become pages in the outbox, recorded with the moved cursor in
//! one transaction that only the first tick to get there commits.

use crate::{ServiceError, Services};
use std::collections::BTreeSet;
use warden_db::{EscalationStep, NewPage, StoredIncident};
use warden_domain::Role;
use warden_domain::incident::escalation::{Ladder, Target, masked_webhook};
use warden_domain::incident::{Channel, EntryKind, Incident, PagePurpose};

/// What one tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EscalationPass {
    /// Incidents whose escalation moved on.
    pub escalated: usize,
    /// Pages recorded.
    pub pages: usize,
}

/// Incidents looked at per tick (one transaction); the rest wait for the next one, most
/// overdue first.
const BATCH: i64 = 2_000;

impl Services {
    /// Moves every due incident up its ladder, in one transaction per tick.
    pub async fn escalate_due(&self, now: i64) -> Result<EscalationPass, ServiceError> {
        let due = self.store.due_incidents(now, BATCH).await?;
        if due.is_empty() {
            // Every tick of every replica asks; most find nothing.
            return Ok(EscalationPass::default());
        }
        let users = self.store.list_users().await?;
        let on_call = self.on_call_shift(now).await?.map(|shift| shift.who);
        let mut steps = Vec::new();
        for stored in due {
            match self.step_of(&stored, &users, on_call.as_deref(), now).await {
                Ok(step) => steps.push(step),
                // One incident's trouble must not hold up the others' pages.
                Err(err) => tracing::warn!(id = stored.incident.id, error = %err, "escalating"),
            }
        }
        if steps.is_empty() {
            return Ok(EscalationPass::default());
        }
        let moved: BTreeSet<i64> = self
            .store
            .escalate_incidents(&steps, now)
            .await?
            .into_iter()
            .collect();
        Ok(EscalationPass {
            escalated: moved.len(),
            pages: steps
                .iter()
                .filter(|s| moved.contains(&s.id))
                .map(|s| s.pages.len())
                .sum(),
        })
    }

    /// The incident's due rounds, their pages and timeline entries.
    async fn step_of(
        &self,
        stored: &StoredIncident,
        users: &[warden_domain::User],
        on_call: Option<&str>,
        now: i64,
    ) -> Result<EscalationStep, ServiceError> {
        let incident = &stored.incident;
        let ladder: Ladder = serde_json::from_str(&stored.ladder).map_err(anyhow::Error::from)?;
        let due = ladder.advance(incident.opened_at, incident.status, stored.cursor, now);
        let mut pages = Vec::new();
        let mut events = Vec::new();
        for round in &due.pages {
            let Some(level) = ladder.levels.get(round.level) else {
                continue;
            };
            let (to, missing) = self
                .recipients(incident, &level.notify, users, on_call)
                .await?;
            let number = round.level as u32 + 1;
            let what = if round.round == 0 {
                format!("level {number}")
            } else {
                format!("level {number}, repeat {}", round.round)
            };
            let mut detail = if to.is_empty() {
                format!("{what}: nobody to page")
            } else {
                let names: Vec<String> = to
                    .iter()
                    .map(|(channel, r)| match channel {
                        Channel::Webhook => masked_webhook(r),
                        Channel::Email => r.clone(),
                    })
                    .collect();
                format!("{what}: paging {}", names.join(", "))
            };
            if !missing.is_empty() {
                detail.push_str(&format!(" ({})", missing.join("; ")));
            }
            events.push((EntryKind::Escalated, detail));
            pages.extend(to.into_iter().map(|(channel, recipient)| NewPage {
                purpose: PagePurpose::Page,
                level: number,
                round: round.round,
                channel,
                recipient,
            }));
        }
        Ok(EscalationStep {
            id: incident.id,
            from: stored.cursor,
            to: due.next,
            next_page_at: due.next_at,
            pages,
            events,
        })
    }

    /// Whom a level's targets name for this incident, and why any named nobody.
    async fn recipients(
        &self,
        incident: &Incident,
        targets: &[Target],
        users: &[warden_domain::User],
        on_call: Option<&str>,
    ) -> Result<(BTreeSet<(Channel, String)>, Vec<String>), ServiceError> {
        let mut to = BTreeSet::new();
        let mut missing = Vec::new();
        let holders = |role: Role| -> Vec<String> {
            users
                .iter()
                .filter(|u| !u.disabled && u.roles.contains(&role) && u.email.contains('@'))
                .map(|u| u.email.to_lowercase())
                .collect()
        };
        for target in targets {
            let found: Vec<(Channel, String)> = match target {
                Target::Role(role) => holders(*role)
                    .into_iter()
                    .map(|e| (Channel::Email, e))
                    .collect(),
                // The rotation's (or an override's) person, unless their account is
                // disabled; without either, everyone holding the role.
                Target::OnCall => {
                    let disabled = |who: &str| {
                        warden_domain::User::by_email(users, who).is_some_and(|u| u.disabled)
                    };
                    match on_call.filter(|who| !disabled(who)) {
                        Some(who) => vec![(Channel::Email, who.to_lowercase())],
                        None => holders(Role::OnCall)
                            .into_iter()
                            .map(|e| (Channel::Email, e))
                            .collect(),
                    }
                }
                Target::AgentOwner => match &incident.agent {
                    Some(agent) => self
                        .store
                        .find_agent(agent)
                        .await?
                        .and_then(|a| a.owner)
                        .filter(|o| o.contains('@'))
                        .map(|o| (Channel::Email, o.to_lowercase()))
                        .into_iter()
                        .collect(),
                    None => Vec::new(),
                },
                Target::Email(address) => vec![(Channel::Email, address.to_lowercase())],
                Target::Webhook(url) => vec![(Channel::Webhook, url.clone())],
            };
            if found.is_empty() {
                missing.push(match target {
                    Target::AgentOwner if incident.agent.is_none() => {
                        "agent_owner: the incident names no agent".to_string()
                    }
                    Target::AgentOwner => "agent_owner: the agent has no owner".to_string(),
                    other => format!("{}: no enabled user holds it", other.shown()),
                });
            }
            to.extend(found);
        }
        Ok((to, missing))
    }
}
