//! Who is on call now and next, and the overrides people add. The `on_call` target of the
//! ladder pages the person this says; with no rotation and no override covering the time,
//! every enabled `on_call` user.

use super::rotation::{next_after, on_call_at};
use crate::{Actor, ServiceError, Services};
use warden_domain::User;
use warden_domain::incident::oncall::{NewOverride, OnCallBoard, OnCallOverride, OnCallShift};
use warden_domain::role::Permission;

/// The longest stretch one override may cover.
const MAX_OVERRIDE_MS: i64 = 31 * 86_400_000;
const MAX_NOTE: usize = 300;
/// How far ahead an override may start.
const MAX_AHEAD_MS: i64 = 366 * 86_400_000;

impl Services {
    /// Who is on call at `now` by the rotation and the overrides; `None` when neither
    /// names anyone.
    pub(crate) async fn on_call_shift(
        &self,
        now: i64,
    ) -> Result<Option<OnCallShift>, ServiceError> {
        let overrides = self.store.on_call_overrides(now).await?;
        Ok(on_call_at(
            self.settings.incidents.rotation.as_ref(),
            &overrides,
            now,
        ))
    }

    /// The on-call card: now, next, the rotation and the overrides to come.
    pub async fn on_call_board(&self, actor: &Actor) -> Result<OnCallBoard, ServiceError> {
        actor.require(Permission::ViewIncidents)?;
        let now = self.now();
        let overrides = self.store.on_call_overrides(now).await?;
        let rotation = self.settings.incidents.rotation.as_ref();
        let current = on_call_at(rotation, &overrides, now);
        let next = current
            .as_ref()
            .and_then(|c| next_after(rotation, &overrides, c))
            .or_else(|| {
                // Nobody named now: the next override, if one is coming.
                overrides
                    .iter()
                    .filter(|o| o.starts_at > now)
                    .min_by_key(|o| o.starts_at)
                    .and_then(|o| on_call_at(rotation, &overrides, o.starts_at))
            });
        Ok(OnCallBoard {
            now: current,
            next,
            rotation: rotation.map(|r| r.describe()).unwrap_or_default(),
            overrides,
            may_cover: self.may_cover(actor, None).is_ok(),
            may_cover_anyone: actor.require(Permission::ManageOnCall).is_ok(),
            me: actor.audit_name(),
        })
    }

    /// Adds an override: responders for themselves, admins and incident commanders for
    /// anyone (an enabled user).
    pub async fn add_on_call_override(
        &self,
        actor: &Actor,
        new: NewOverride,
    ) -> Result<OnCallOverride, ServiceError> {
        let who = match new.who.as_deref().map(str::trim) {
            None | Some("") => match actor {
                Actor::User(user) => user.email.clone(),
                Actor::System => return Err(ServiceError::invalid("name who covers")),
            },
            Some(who) => who.to_lowercase(),
        };
        self.may_cover(actor, Some(&who))?;
        let users = self.store.list_users().await?;
        let user = User::by_email(&users, &who)
            .filter(|u| !u.disabled)
            .ok_or_else(|| ServiceError::invalid(format!("{who} is not an enabled user")))?;
        let note = new.note.trim();
        if note.chars().count() > MAX_NOTE {
            return Err(ServiceError::invalid(format!(
                "a note is at most {MAX_NOTE} characters"
            )));
        }
        let now = self.now();
        if new.ends_at <= new.starts_at {
            return Err(ServiceError::invalid("an override ends after it starts"));
        }
        if new.ends_at <= now {
            return Err(ServiceError::invalid("this override would be over already"));
        }
        if new.starts_at > now.saturating_add(MAX_AHEAD_MS) {
            return Err(ServiceError::invalid(
                "an override starts within a year from now",
            ));
        }
        if new.ends_at.saturating_sub(new.starts_at) > MAX_OVERRIDE_MS {
            return Err(ServiceError::invalid(
                "an override covers at most 31 days: change the rotation for longer",
            ));
        }
        Ok(self
            .store
            .add_on_call_override(
                &user.email,
                new.starts_at,
                new.ends_at,
                note,
                &actor.audit_name(),
                now,
            )
            .await?)
    }

    /// Removes an override: whoever it names or added it, admins and incident commanders.
    pub async fn remove_on_call_override(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(), ServiceError> {
        actor.require(Permission::RespondIncidents)?;
        let found = self
            .store
            .on_call_override(id)
            .await?
            .ok_or(ServiceError::NotFound("override"))?;
        let name = actor.audit_name();
        let own = found.who.eq_ignore_ascii_case(&name) || found.created_by == name;
        if !own {
            actor.require(Permission::ManageOnCall)?;
        }
        self.store
            .remove_on_call_override(id, &name, self.now())
            .await?
            .ok_or(ServiceError::NotFound("override"))?;
        Ok(())
    }

    /// Whether the caller may add an override for `who` (themselves when `None`).
    fn may_cover(&self, actor: &Actor, who: Option<&str>) -> Result<(), ServiceError> {
        if actor.require(Permission::ManageOnCall).is_ok() {
            return Ok(());
        }
        actor.require(Permission::RespondIncidents)?;
        match (actor, who) {
            (Actor::User(user), Some(who)) if !user.email.eq_ignore_ascii_case(who) => {
                Err(ServiceError::Forbidden(
                    "only admins and incident commanders cover for someone else".into(),
                ))
            }
            _ => Ok(()),
        }
    }
}
