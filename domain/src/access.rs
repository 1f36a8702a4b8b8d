//! Which pages exist and who may see them: one table, read by the navigation (to show each
//! role its pages) and by the server's page guard (to answer 403 for the others).

use crate::role::{Permission, Role, can};
use serde::{Deserialize, Serialize};

/// A page of the UI that needs a signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Page {
    Overview,
    SystemOverview,
    CostCenter,
    AgentDetail,
    Traces,
    Agents,
    Policies,
    Violations,
    Reviews,
    Incidents,
    Compliance,
    Audit,
    IngestKeys,
    Users,
    Account,
}

/// What the page guard does with a request for a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Not a guarded page (login, assets, API): other layers decide.
    Public,
    /// The page needs a signed-in user and there is none: send them to the login page.
    SignIn,
    /// Signed in, but none of the user's roles may see this page.
    Forbidden(Page),
    Allowed(Page),
}

impl Page {
    /// Every page, in navigation order.
    pub const ALL: [Page; 15] = [
        Page::Overview,
        Page::SystemOverview,
        Page::CostCenter,
        Page::AgentDetail,
        Page::Traces,
        Page::Agents,
        Page::Policies,
        Page::Violations,
        Page::Reviews,
        Page::Incidents,
        Page::Compliance,
        Page::Audit,
        Page::IngestKeys,
        Page::Users,
        Page::Account,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Page::Overview => "/",
            Page::SystemOverview => "/dashboards/system",
            Page::CostCenter => "/dashboards/cost",
            Page::AgentDetail => "/dashboards/agent",
            Page::Traces => "/traces",
            Page::Agents => "/agents",
            Page::Policies => "/policies",
            Page::Violations => "/violations",
            Page::Reviews => "/reviews",
            Page::Incidents => "/incidents",
            Page::Compliance => "/compliance",
            Page::Audit => "/audit",
            Page::IngestKeys => "/admin/keys",
            Page::Users => "/admin/users",
            Page::Account => "/account",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::SystemOverview => "System overview",
            Page::CostCenter => "Cost center",
            Page::AgentDetail => "Agent detail",
            Page::Traces => "Traces",
            Page::Agents => "Agents",
            Page::Policies => "Policies",
            Page::Violations => "Violations",
            Page::Reviews => "Review queue",
            Page::Incidents => "Incidents",
            Page::Compliance => "Compliance",
            Page::Audit => "Audit trail",
            Page::IngestKeys => "Ingest keys",
            Page::Users => "Users",
            Page::Account => "Account",
        }
    }

    /// The permission a user needs to see the page; `None` means any signed-in user.
    fn permission(self) -> Option<Permission> {
        match self {
            Page::Overview | Page::Account => None,
            Page::Users => Some(Permission::ManageUsers),
            Page::SystemOverview => Some(Permission::ViewSystemMetrics),
            Page::CostCenter => Some(Permission::ViewCosts),
            Page::AgentDetail => Some(Permission::ViewAgentDetail),
            Page::Traces | Page::Agents | Page::Violations | Page::Reviews => {
                Some(Permission::ViewTraces)
            }
            Page::IngestKeys => Some(Permission::ManageAgents),
            Page::Policies => Some(Permission::ViewPolicies),
            Page::Audit => Some(Permission::ViewAudit),
            Page::Compliance => Some(Permission::ViewCompliance),
            Page::Incidents => Some(Permission::ViewIncidents),
        }
    }

    /// Whether a user with `roles` may see this page.
    pub fn visible_to(self, roles: &[Role]) -> bool {
        self.permission().is_none_or(|p| can(roles, p))
    }

    /// The page served at `path`, ignoring a trailing slash and the query.
    pub fn for_path(path: &str) -> Option<Page> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let trimmed = if path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path
        };
        // An incident's own page belongs to the Incident dashboard.
        if trimmed
            .strip_prefix("/incidents/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        {
            return Some(Page::Incidents);
        }
        // A trace's own page belongs to the trace list.
        if trimmed
            .strip_prefix("/traces/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        {
            return Some(Page::Traces);
        }
        Page::ALL.into_iter().find(|page| page.path() == trimmed)
    }
}

/// Decides the page guard's answer for `path` given the signed-in user's roles, if any.
pub fn access(path: &str, roles: Option<&[Role]>) -> Access {
    let Some(page) = Page::for_path(path) else {
        return Access::Public;
    };
    match roles {
        None => Access::SignIn,
        Some(roles) if page.visible_to(roles) => Access::Allowed(page),
        Some(_) => Access::Forbidden(page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_visitors_are_sent_to_sign_in_for_every_page() {
        for page in Page::ALL {
            assert_eq!(access(page.path(), None), Access::SignIn);
        }
    }

    #[test]
    fn finance_may_not_see_the_users_page_but_admins_may() {
        assert_eq!(
            access("/admin/users", Some(&[Role::Finance])),
            Access::Forbidden(Page::Users)
        );
        assert_eq!(
            access("/admin/users/", Some(&[Role::Finance, Role::Admin])),
            Access::Allowed(Page::Users)
        );
    }

    #[test]
    fn login_assets_and_api_paths_are_not_guarded_pages() {
        for path in ["/login", "/pkg/warden.wasm", "/api/v1/me", "/healthz"] {
            assert_eq!(access(path, None), Access::Public, "{path}");
        }
    }

    #[test]
    fn a_trace_page_is_guarded_like_the_trace_list() {
        assert_eq!(
            access(
                "/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                Some(&[Role::Finance])
            ),
            Access::Forbidden(Page::Traces)
        );
        assert_eq!(
            access(
                "/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                Some(&[Role::OnCall])
            ),
            Access::Allowed(Page::Traces)
        );
        assert_eq!(
            access("/admin/keys", Some(&[Role::EngineeringLead])),
            Access::Forbidden(Page::IngestKeys)
        );
    }

    #[test]
    fn each_dashboard_is_for_its_roles() {
        use Role::*;
        let allowed = |page: Page| -> Vec<Role> {
            Role::ALL
                .into_iter()
                .filter(|r| page.visible_to(&[*r]))
                .collect()
        };
        assert_eq!(allowed(Page::SystemOverview), [Admin, EngineeringLead, Cto]);
        assert_eq!(allowed(Page::CostCenter), [Admin, Finance, Cto]);
        assert_eq!(
            allowed(Page::AgentDetail),
            [Admin, EngineeringLead, Cto, AgentOwner]
        );
        assert_eq!(
            access("/dashboards/cost", Some(&[Legal])),
            Access::Forbidden(Page::CostCenter)
        );
    }

    #[test]
    fn a_query_string_does_not_hide_a_page() {
        assert_eq!(
            access("/admin/users?x=1", Some(&[Role::Legal])),
            Access::Forbidden(Page::Users)
        );
    }
}
