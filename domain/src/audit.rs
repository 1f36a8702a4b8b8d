//! The audit trail: who changed what, when, with the state before and after. Events are
//! append-only and hash-chained, so a removed, altered or reordered event breaks the chain
//! at the place it happened.

use serde::{Deserialize, Serialize};

/// What was done, as the stable names the trail, its filters and its exports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    UserCreate,
    UserRoles,
    UserDisable,
    UserEnable,
    UserDelete,
    UserPassword,
    TokenCreate,
    TokenRevoke,
    AgentSave,
    AgentDelete,
    IngestKeyCreate,
    IngestKeyRevoke,
    ControlSet,
    WebhookSet,
    WebhookDelete,
    PolicySeed,
    PolicyPropose,
    PolicyApprove,
    PolicyReject,
    PolicyWithdraw,
    PolicyApply,
    ReviewDecide,
    AuditExport,
    BudgetSet,
    BudgetDelete,
    PostmortemSave,
    PostmortemClose,
    PostmortemReopen,
    OnCallOverride,
    OnCallOverrideRemove,
}

impl AuditAction {
    pub const ALL: [AuditAction; 30] = [
        AuditAction::UserCreate,
        AuditAction::UserRoles,
        AuditAction::UserDisable,
        AuditAction::UserEnable,
        AuditAction::UserDelete,
        AuditAction::UserPassword,
        AuditAction::TokenCreate,
        AuditAction::TokenRevoke,
        AuditAction::AgentSave,
        AuditAction::AgentDelete,
        AuditAction::IngestKeyCreate,
        AuditAction::IngestKeyRevoke,
        AuditAction::ControlSet,
        AuditAction::WebhookSet,
        AuditAction::WebhookDelete,
        AuditAction::PolicySeed,
        AuditAction::PolicyPropose,
        AuditAction::PolicyApprove,
        AuditAction::PolicyReject,
        AuditAction::PolicyWithdraw,
        AuditAction::PolicyApply,
        AuditAction::ReviewDecide,
        AuditAction::AuditExport,
        AuditAction::BudgetSet,
        AuditAction::BudgetDelete,
        AuditAction::PostmortemSave,
        AuditAction::PostmortemClose,
        AuditAction::PostmortemReopen,
        AuditAction::OnCallOverride,
        AuditAction::OnCallOverrideRemove,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::UserCreate => "user.create",
            AuditAction::UserRoles => "user.roles",
            AuditAction::UserDisable => "user.disable",
            AuditAction::UserEnable => "user.enable",
            AuditAction::UserDelete => "user.delete",
            AuditAction::UserPassword => "user.password",
            AuditAction::TokenCreate => "token.create",
            AuditAction::TokenRevoke => "token.revoke",
            AuditAction::AgentSave => "agent.save",
            AuditAction::AgentDelete => "agent.delete",
            AuditAction::IngestKeyCreate => "ingest_key.create",
            AuditAction::IngestKeyRevoke => "ingest_key.revoke",
            AuditAction::ControlSet => "control.set",
            AuditAction::WebhookSet => "webhook.set",
            AuditAction::WebhookDelete => "webhook.delete",
            AuditAction::PolicySeed => "policy.seed",
            AuditAction::PolicyPropose => "policy.propose",
            AuditAction::PolicyApprove => "policy.approve",
            AuditAction::PolicyReject => "policy.reject",
            AuditAction::PolicyWithdraw => "policy.withdraw",
            AuditAction::PolicyApply => "policy.apply",
            AuditAction::ReviewDecide => "review.decide",
            AuditAction::AuditExport => "audit.export",
            AuditAction::BudgetSet => "budget.set",
            AuditAction::BudgetDelete => "budget.delete",
            AuditAction::PostmortemSave => "postmortem.save",
            AuditAction::PostmortemClose => "postmortem.close",
            AuditAction::PostmortemReopen => "postmortem.reopen",
            AuditAction::OnCallOverride => "on_call.override",
            AuditAction::OnCallOverrideRemove => "on_call.override_remove",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// A change to record; the store gives it its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    /// An e-mail, `cli` for the operator's command line, or `system` for Warden itself.
    pub actor: String,
    pub action: AuditAction,
    /// What was changed: `agent:refund-bot`, `user:7`, `policy:3`...
    pub target: String,
    /// The state before and after, as JSON; none for a creation or a deletion.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// 1, 2, 3... without gaps.
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    /// An [`AuditAction`] name; kept as text so an event from a newer version still reads.
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash the first event chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Which events to list or export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// An action name, or its family (`policy` for every `policy.*`).
    pub action: Option<String>,
    /// A target, or its kind (`agent` for every `agent:*`).
    pub target: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// List events with a smaller `seq` than this (the next page).
    pub before_seq: Option<i64>,
}

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChainStatus {
    /// Every event links to the one before and its hash matches its content.
    Intact {
        events: i64,
        /// The last event's hash: kept elsewhere, it also proves nothing was cut off the end.
        head: String,
    },
    Broken {
        /// The first event that does not check out.
        seq: i64,
        reason: String,
        /// Events checked before it, all good.
        checked: i64,
    },
}

impl ChainStatus {
    pub fn is_intact(&self) -> bool {
        matches!(self, ChainStatus::Intact { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("policy.delete"), None);
    }
}
