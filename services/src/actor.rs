//! Who is asking: a signed-in user, or the operator at the command line.

use crate::ServiceError;
use warden_domain::CurrentUser;
use warden_domain::role::{Permission, can};

/// The caller of a use case.
#[derive(Debug, Clone)]
pub enum Actor {
    User(CurrentUser),
    /// The `warden` CLI, run by whoever can read the database: it may do anything.
    System,
}

impl Actor {
    /// Refuses unless the caller holds a role that grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ServiceError> {
        match self {
            Actor::System => Ok(()),
            Actor::User(user) if can(&user.roles, permission) => Ok(()),
            Actor::User(_) => Err(ServiceError::Forbidden(
                "your roles do not allow this".to_string(),
            )),
        }
    }

    /// The user's id, unless the caller is the CLI.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User(user) => Some(user.id),
            Actor::System => None,
        }
    }
}
