//! One module per route.

mod account;
mod agents;
mod audit;
mod compliance;
mod dashboards;
mod incident;
mod incidents;
mod keys;
mod kill_switch;
mod login;
mod not_found;
mod overview;
mod policies;
mod proposals;
mod reviews;
mod trace;
mod traces;
mod users;
mod violations;

pub use account::AccountPage;
pub use agents::AgentsPage;
pub use audit::AuditPage;
pub use compliance::CompliancePage;
pub use dashboards::{AgentDetailPage, CostCenterPage, SystemOverviewPage};
pub use incident::IncidentPage;
pub use incidents::IncidentsPage;
pub use keys::IngestKeysPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use overview::OverviewPage;
pub use policies::PoliciesPage;
pub use reviews::ReviewsPage;
pub use trace::TracePage;
pub use traces::TracesPage;
pub use users::UsersPage;
pub use violations::ViolationsPage;
