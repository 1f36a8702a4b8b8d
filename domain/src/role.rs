//! The roles of PRODUCT.md and what each one is allowed to do.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A role a user holds; a user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    EngineeringLead,
    Finance,
    Cto,
    Legal,
    AgentOwner,
    OnCall,
    Reviewer,
    IncidentCommander,
}

/// Something a caller may do; server code checks permissions, never role names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ManageUsers,
    /// Read traces, spans and PII events (agent owners: of their own agents only).
    ViewTraces,
    /// Read every agent's traces, not only one's own agents'.
    ViewAllAgents,
    /// Register, edit and remove agents; make and revoke ingest keys.
    ManageAgents,
    /// Pause, kill, resume, rate-limit or pin an agent: admins and engineering leads for
    /// every agent, agent owners for their own (the service checks the ownership).
    ControlAgents,
    /// Read the policy hierarchy and any visible agent's effective policy: every role, since
    /// people can only follow rules they can read.
    ViewPolicies,
    /// Propose a new policy version: admins, engineering leads and legal.
    ProposePolicies,
    /// Approve or reject someone else's policy proposal: reviewers, legal and admins.
    ApprovePolicies,
    /// Read and export the audit trail and check its chain.
    ViewAudit,
    /// Approve or reject the interactions in the human review queue.
    ReviewInteractions,
    /// Read the compliance scores: legal, the CTO, reviewers, engineering leads, admins.
    ViewCompliance,
    /// The fleet's operational metrics (System Overview).
    ViewSystemMetrics,
    /// Spend, budgets and cost recommendations (Cost Center).
    ViewCosts,
    /// Set and remove monthly budgets and their hard caps: finance and admins.
    EditBudgets,
    /// An agent's dashboard: agent owners (their own agents) and those who see the fleet.
    ViewAgentDetail,
    /// Read incidents, their timelines and pages: everyone a ladder may page, and
    /// reviewers (they close post-mortems); not finance.
    ViewIncidents,
    /// Open incidents by hand, acknowledge, resolve and annotate them: the responders.
    RespondIncidents,
    /// Close (or reopen) a post-mortem: reviewers, incident commanders and admins.
    ClosePostmortems,
    /// Run a runbook's actions on any agent by hand (pause, kill, roll back, pause the
    /// fleet): admins, engineering leads, on-call and incident commanders. Other
    /// responders run them on the agents they may switch.
    RunRunbooks,
    /// Add or remove on-call overrides for anyone: admins and incident commanders
    /// (responders cover for themselves).
    ManageOnCall,
}

impl Role {
    /// Every role, in the order the UI lists them.
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::EngineeringLead,
        Role::Finance,
        Role::Cto,
        Role::Legal,
        Role::AgentOwner,
        Role::OnCall,
        Role::Reviewer,
        Role::IncidentCommander,
    ];

    /// The stable name used in the database, the CLI, the API and the config.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::EngineeringLead => "engineering_lead",
            Role::Finance => "finance",
            Role::Cto => "cto",
            Role::Legal => "legal",
            Role::AgentOwner => "agent_owner",
            Role::OnCall => "on_call",
            Role::Reviewer => "reviewer",
            Role::IncidentCommander => "incident_commander",
        }
    }

    /// The name people read in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::EngineeringLead => "Engineering lead",
            Role::Finance => "Finance",
            Role::Cto => "CTO",
            Role::Legal => "Legal / DPO",
            Role::AgentOwner => "Agent owner",
            Role::OnCall => "On-call",
            Role::Reviewer => "Reviewer",
            Role::IncidentCommander => "Incident commander",
        }
    }

    /// Whether holding this role grants `permission`.
    pub fn grants(self, permission: Permission) -> bool {
        match permission {
            Permission::ManageUsers | Permission::ManageAgents => self == Role::Admin,
            Permission::ViewTraces => self != Role::Finance,
            Permission::ViewAllAgents => !matches!(self, Role::Finance | Role::AgentOwner),
            Permission::ViewPolicies => true,
            Permission::ControlAgents => {
                matches!(self, Role::Admin | Role::EngineeringLead | Role::AgentOwner)
            }
            Permission::ProposePolicies => {
                matches!(self, Role::Admin | Role::EngineeringLead | Role::Legal)
            }
            Permission::ApprovePolicies => {
                matches!(self, Role::Admin | Role::Reviewer | Role::Legal)
            }
            Permission::ReviewInteractions => matches!(self, Role::Admin | Role::Reviewer),
            Permission::ViewCompliance => matches!(
                self,
                Role::Admin | Role::Legal | Role::Reviewer | Role::Cto | Role::EngineeringLead
            ),
            Permission::ViewSystemMetrics => {
                matches!(self, Role::Admin | Role::EngineeringLead | Role::Cto)
            }
            Permission::ViewCosts => matches!(self, Role::Admin | Role::Finance | Role::Cto),
            Permission::EditBudgets => matches!(self, Role::Admin | Role::Finance),
            Permission::ViewAgentDetail => matches!(
                self,
                Role::Admin | Role::EngineeringLead | Role::Cto | Role::AgentOwner
            ),
            Permission::ViewIncidents => self != Role::Finance,
            Permission::RespondIncidents => matches!(
                self,
                Role::Admin
                    | Role::OnCall
                    | Role::IncidentCommander
                    | Role::EngineeringLead
                    | Role::Cto
                    | Role::AgentOwner
            ),
            Permission::ManageOnCall => matches!(self, Role::Admin | Role::IncidentCommander),
            Permission::RunRunbooks => matches!(
                self,
                Role::Admin | Role::EngineeringLead | Role::OnCall | Role::IncidentCommander
            ),
            Permission::ClosePostmortems => {
                matches!(self, Role::Admin | Role::Reviewer | Role::IncidentCommander)
            }
            Permission::ViewAudit => matches!(
                self,
                Role::Admin | Role::Legal | Role::Reviewer | Role::Cto | Role::EngineeringLead
            ),
        }
    }
}

/// Whether any of `roles` grants `permission`.
pub fn can(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|role| role.grants(permission))
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{0}` (roles: admin, engineering_lead, finance, cto, legal, agent_owner, on_call, reviewer, incident_commander)"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.chars().take(64).collect()))
    }
}

/// Sorts and deduplicates a role list so that stored and compared sets are canonical.
pub fn normalize_roles(mut roles: Vec<Role>) -> Vec<Role> {
    roles.sort();
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn unknown_role_names_are_refused_with_the_list() {
        let err = "root".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("unknown role `root`"));
        assert!(err.to_string().contains("incident_commander"));
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(can(&[Role::Finance, Role::Admin], Permission::ManageUsers));
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            assert!(!can(&[role], Permission::ManageUsers), "{role}");
        }
        assert!(!can(&[], Permission::ManageUsers));
    }

    #[test]
    fn normalized_roles_are_sorted_and_unique() {
        let roles = normalize_roles(vec![Role::Legal, Role::Admin, Role::Legal]);
        assert_eq!(roles, vec![Role::Admin, Role::Legal]);
    }
}
