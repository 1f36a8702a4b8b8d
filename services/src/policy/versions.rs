//! Policy versions and the review of changes: the config file seeds version 1, later
//! versions come from proposals that got their approvals (two, where a changed level is
//! under `dual_review_for_changes`). Every replica serves the highest version; the one
//! that applies it swaps at once, the others when they next poll.

use super::binding_of;
use super::document::parse_policy_file;
use crate::{Actor, ServiceError, Services};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use warden_db::{ApprovalOutcome, NewProposal};
use warden_domain::policy::{
    PolicyError, PolicyProposal, PolicySet, PolicyVersionInfo, ProposalState, ReviewNeeds,
    RuleName, diff,
};
use warden_domain::role::Permission;

/// The longest note on a proposal or a decision.
const NOTE_MAX: usize = 2_000;
/// The largest policy document accepted.
const DOCUMENT_MAX: usize = 256 * 1024;

/// What starting found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyStart {
    /// This start stored the config file's policies as version 1.
    Seeded,
    /// A version was in force already.
    Loaded {
        version: i64,
        /// The config file's `policies:` differ from it (they only seed version 1).
        config_differs: bool,
    },
}

impl Services {
    /// The number of the version in force on this replica.
    pub fn policy_version(&self) -> i64 {
        self.policy_version.load(Ordering::Acquire)
    }

    /// At start: stores the config file's policies as version 1 on a new database, or
    /// loads the version in force.
    pub async fn start_policies(&self) -> Result<PolicyStart, ServiceError> {
        let configured = &self.settings.policies;
        if self
            .store
            .seed_policy_version(&configured.to_yaml(), self.now())
            .await?
        {
            self.policy_version.store(1, Ordering::Release);
            return Ok(PolicyStart::Seeded);
        }
        let version = self.reload_policies().await?;
        let config_differs = !diff(&self.policies(), configured).is_empty();
        Ok(PolicyStart::Loaded {
            version,
            config_differs,
        })
    }

    /// Loads the version in force if it is not the one this replica serves; returns the
    /// version now served. Cheap when nothing changed (one indexed `max`).
    pub async fn refresh_policies(&self) -> Result<i64, ServiceError> {
        let latest = self.store.policy_version_number().await?;
        if latest == self.policy_version() {
            return Ok(latest);
        }
        self.reload_policies().await
    }

    async fn reload_policies(&self) -> Result<i64, ServiceError> {
        let Some((version, document)) = self.store.active_policy_version().await? else {
            return Ok(0);
        };
        let set = self.build_document(&document).map_err(|errors| {
            anyhow::anyhow!(
                "policy version {version} in the database does not load: {}",
                errors.join("; ")
            )
        })?;
        {
            // Two reloads can overlap (an approval and the poll): the newer version wins.
            let mut served = self
                .policies
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if version < self.policy_version.load(Ordering::Acquire) {
                return Ok(self.policy_version());
            }
            *served = Arc::new(set);
            self.policy_version.store(version, Ordering::Release);
        }
        tracing::info!(version, "policy version in force");
        Ok(version)
    }

    /// Reads and checks a policy document; every problem, each with its line.
    fn build_document(&self, document: &str) -> Result<PolicySet, Vec<String>> {
        let doc = parse_policy_file(document).map_err(|err| {
            let mut message = format!("line {err}");
            if !document.lines().any(|l| l.starts_with("policies:")) {
                message.push_str(
                    " (a policy file is a `policies:` mapping, as `warden policy export` writes it)",
                );
            }
            vec![message]
        })?;
        let render = |errors: Vec<PolicyError>| {
            errors
                .into_iter()
                .map(|e| match e.line {
                    Some(line) => format!("line {line}: {e}"),
                    None => e.to_string(),
                })
                .collect::<Vec<_>>()
        };
        let sources = doc.to_sources().map_err(render)?;
        PolicySet::build(sources, &self.settings.currency).map_err(render)
    }

    /// Proposes `document` as the next version. It must load, keep every agent's
    /// `policy:` defined and change something; the proposal says what it changes, whom it
    /// affects and how many approvals it needs.
    pub async fn propose_policies(
        &self,
        actor: &Actor,
        document: &str,
        note: &str,
    ) -> Result<PolicyProposal, ServiceError> {
        actor.require(Permission::ProposePolicies)?;
        if document.len() > DOCUMENT_MAX {
            return Err(ServiceError::invalid(format!(
                "the policy document is over {} KiB",
                DOCUMENT_MAX / 1024
            )));
        }
        let note = checked_note(note)?;
        let new = self.build_document(document).map_err(|errors| {
            ServiceError::Invalid(format!(
                "the proposed policies do not load: {}",
                errors.join("; ")
            ))
        })?;
        // Against the version in the database, which another replica may have moved on.
        self.refresh_policies().await?;
        let base_version = self.policy_version();
        let old = self.policies();
        let changes = diff(&old, &new);
        if changes.is_empty() {
            return Err(ServiceError::invalid(format!(
                "the proposed policies are the same as version {base_version}, in force"
            )));
        }
        let agents = self.store.list_agents().await?;
        let mut broken = Vec::new();
        for agent in &agents {
            if let Some(policy) = agent.policy.as_deref()
                && old.contains(policy)
                && !new.contains(policy)
            {
                broken.push(format!("{} (policy: {policy})", agent.name));
            }
        }
        if !broken.is_empty() {
            return Err(ServiceError::invalid(format!(
                "the proposal removes levels that agents are bound to: {}; bind them \
                 elsewhere first",
                broken.join(", ")
            )));
        }
        let mut needs = ReviewNeeds::of(&old, &new);
        let under_dual = |set: &PolicySet, level: &str| {
            set.effective(level)
                .is_some_and(|p| p.is_on(RuleName::DualReviewForChanges))
        };
        let mut affected_agents = BTreeSet::new();
        for agent in &agents {
            let (before, _) = binding_of(&old, agent);
            let (after, _) = binding_of(&new, agent);
            if before != after {
                // Moving an agent from under dual review (or under it) takes two people too.
                if under_dual(&old, &before) || under_dual(&new, &after) {
                    needs.required_approvals = 2;
                }
                affected_agents.insert(agent.name.clone());
            } else if needs.affected_levels.contains(&before) {
                affected_agents.insert(agent.name.clone());
            }
        }
        let id = self
            .store
            .create_proposal(&NewProposal {
                base_version,
                document: new.to_yaml(),
                changes: changes.iter().map(ToString::to_string).collect(),
                affected_levels: needs.affected_levels.into_iter().collect(),
                affected_agents: affected_agents.into_iter().collect(),
                required_approvals: needs.required_approvals,
                author: actor.audit_name(),
                note,
                created_at: self.now(),
            })
            .await?;
        self.existing_proposal(id).await
    }

    /// Proposals, open ones first, then the newest.
    pub async fn list_proposals(&self, actor: &Actor) -> Result<Vec<PolicyProposal>, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        Ok(self.store.list_proposals(100).await?)
    }

    pub async fn proposal(&self, actor: &Actor, id: i64) -> Result<PolicyProposal, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        self.existing_proposal(id).await
    }

    /// Every version, newest first.
    pub async fn policy_versions(
        &self,
        actor: &Actor,
    ) -> Result<Vec<PolicyVersionInfo>, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        Ok(self.store.list_policy_versions().await?)
    }

    /// Approves someone else's open proposal. The approval that completes it makes it the
    /// next version, in force on this replica at once.
    pub async fn approve_proposal(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
    ) -> Result<PolicyProposal, ServiceError> {
        actor.require(Permission::ApprovePolicies)?;
        let note = checked_note(note)?;
        let proposal = self.existing_proposal(id).await?;
        let me = actor.audit_name();
        if proposal.author == me {
            return Err(ServiceError::Forbidden(
                "you wrote this proposal: it needs approvers other than its author".into(),
            ));
        }
        match self
            .store
            .approve_proposal(id, &me, &note, self.now())
            .await?
        {
            ApprovalOutcome::Recorded => {}
            ApprovalOutcome::Stale { current_version } => {
                return Err(ServiceError::Conflict(format!(
                    "your approval is recorded, but proposal {id} was written against version \
                     {} and version {current_version} is in force now: it is stale and will \
                     not apply; propose the change again from the current file",
                    proposal.base_version
                )));
            }
            ApprovalOutcome::Applied { version } => {
                self.refresh_policies().await?;
                tracing::info!(proposal = id, version, "policy proposal applied");
            }
            ApprovalOutcome::NotOpen(state) => {
                return Err(ServiceError::Conflict(format!(
                    "proposal {id} is {}, not open",
                    state.as_str()
                )));
            }
            ApprovalOutcome::AlreadyApproved => {
                return Err(ServiceError::Conflict(format!(
                    "you have approved proposal {id} already; another approver must approve it"
                )));
            }
        }
        self.existing_proposal(id).await
    }

    /// Approves a proposal, or rejects (its author: withdraws) it.
    pub async fn decide_proposal(
        &self,
        actor: &Actor,
        id: i64,
        approve: bool,
        note: &str,
    ) -> Result<PolicyProposal, ServiceError> {
        if approve {
            self.approve_proposal(actor, id, note).await
        } else {
            self.reject_proposal(actor, id, note).await
        }
    }

    /// Closes an open proposal: its author withdraws it, an approver rejects it (with a
    /// reason).
    pub async fn reject_proposal(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
    ) -> Result<PolicyProposal, ServiceError> {
        let proposal = self.existing_proposal(id).await?;
        let me = actor.audit_name();
        let state = if proposal.author == me {
            actor.require(Permission::ProposePolicies)?;
            ProposalState::Withdrawn
        } else {
            actor.require(Permission::ApprovePolicies)?;
            ProposalState::Rejected
        };
        let note = checked_note(note)?;
        if state == ProposalState::Rejected && note.is_empty() {
            return Err(ServiceError::invalid(
                "say why the proposal is rejected, for its author",
            ));
        }
        if !self
            .store
            .close_proposal(id, state, &me, &note, self.now())
            .await?
        {
            return Err(ServiceError::Conflict(format!(
                "proposal {id} is {}, not open",
                proposal.state.as_str()
            )));
        }
        self.existing_proposal(id).await
    }

    /// A version as the YAML file `warden policy import` reads; the version in force when
    /// `version` is `None`.
    pub async fn export_policies(
        &self,
        actor: &Actor,
        version: Option<i64>,
    ) -> Result<String, ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        let document = match version {
            Some(v) => self.store.policy_version_document(v).await?,
            None => self.store.active_policy_version().await?.map(|(_, d)| d),
        };
        document.ok_or(ServiceError::NotFound("policy version"))
    }

    /// The version in force and its document, read together.
    pub async fn policy_in_force(&self, actor: &Actor) -> Result<(i64, String), ServiceError> {
        actor.require(Permission::ViewPolicies)?;
        self.store
            .active_policy_version()
            .await?
            .ok_or(ServiceError::NotFound("policy version"))
    }

    async fn existing_proposal(&self, id: i64) -> Result<PolicyProposal, ServiceError> {
        self.store
            .proposal(id)
            .await?
            .ok_or(ServiceError::NotFound("proposal"))
    }
}

fn checked_note(note: &str) -> Result<String, ServiceError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        return Err(ServiceError::invalid(format!(
            "a note holds at most {NOTE_MAX} characters"
        )));
    }
    Ok(note.to_string())
}
