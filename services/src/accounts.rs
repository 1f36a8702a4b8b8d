//! User accounts: adding, listing, changing roles, disabling, deleting, passwords, and the
//! first admin.

use crate::login::account_key;
use crate::{Actor, LoginError, ServiceError, Services, password};
use warden_db::{AccountChange, DbError, NewUser};
use warden_domain::audit::AuditAction;
use warden_domain::role::{Permission, normalize_roles};
use warden_domain::user::{
    BOOTSTRAP_ADMIN_LOGIN, normalize_login, validate_email, validate_password,
};
use warden_domain::{CurrentUser, Role, User};

/// What the audit trail keeps of an account: never a password or its hash.
fn user_json(user: &User) -> serde_json::Value {
    serde_json::json!({
        "email": user.email,
        "roles": user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "disabled": user.disabled,
    })
}

impl Services {
    /// Adds a user with a password and at least one role.
    pub async fn add_user(
        &self,
        actor: &Actor,
        email: &str,
        password: &str,
        roles: Vec<Role>,
    ) -> Result<User, ServiceError> {
        actor.require(Permission::ManageUsers)?;
        let email = validate_email(email).map_err(ServiceError::invalid)?;
        validate_password(password).map_err(ServiceError::invalid)?;
        let roles = normalize_roles(roles);
        if roles.is_empty() {
            return Err(ServiceError::invalid("choose at least one role"));
        }
        let password_hash = self.hash_password(password).await?;
        let new = NewUser {
            email,
            password_hash,
            roles,
        };
        let user = self
            .store
            .insert_user(&new, self.now())
            .await
            .map_err(|err| match err {
                DbError::Conflict { .. } => ServiceError::Conflict(format!(
                    "a user with the e-mail {} already exists",
                    new.email
                )),
                other => other.into(),
            })?;
        self.record(
            &actor.audit_name(),
            AuditAction::UserCreate,
            format!("user:{}", user.id),
            None,
            Some(user_json(&user)),
        )
        .await?;
        Ok(user)
    }

    /// Every user, for the admin page.
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<User>, ServiceError> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.store.list_users().await?)
    }

    /// Replaces a user's roles, keeping at least one enabled admin.
    pub async fn set_user_roles(
        &self,
        actor: &Actor,
        user_id: i64,
        roles: Vec<Role>,
    ) -> Result<User, ServiceError> {
        actor.require(Permission::ManageUsers)?;
        let roles = normalize_roles(roles);
        if roles.is_empty() {
            return Err(ServiceError::invalid(
                "a user needs at least one role; disable the account instead",
            ));
        }
        let before = self.existing_user(user_id).await?;
        self.change_account(user_id, AccountChange::Roles(&roles))
            .await?;
        let after = self.existing_user(user_id).await?;
        self.record_user_change(actor, AuditAction::UserRoles, &before, &after)
            .await?;
        Ok(after)
    }

    /// Disables or re-enables a user; a disabled user cannot sign in and their sessions and
    /// tokens stop working at once.
    pub async fn set_user_disabled(
        &self,
        actor: &Actor,
        user_id: i64,
        disabled: bool,
    ) -> Result<User, ServiceError> {
        actor.require(Permission::ManageUsers)?;
        if disabled && actor.user_id() == Some(user_id) {
            return Err(ServiceError::invalid("you cannot disable your own account"));
        }
        let before = self.existing_user(user_id).await?;
        self.change_account(user_id, AccountChange::Disabled(disabled))
            .await?;
        let after = self.existing_user(user_id).await?;
        let action = if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        };
        self.record_user_change(actor, action, &before, &after)
            .await?;
        Ok(after)
    }

    /// Deletes a user and everything that belongs to it (roles, tokens).
    pub async fn delete_user(&self, actor: &Actor, user_id: i64) -> Result<(), ServiceError> {
        actor.require(Permission::ManageUsers)?;
        if actor.user_id() == Some(user_id) {
            return Err(ServiceError::invalid("you cannot delete your own account"));
        }
        let before = self.existing_user(user_id).await?;
        self.change_account(user_id, AccountChange::Delete).await?;
        self.record(
            &actor.audit_name(),
            AuditAction::UserDelete,
            format!("user:{user_id}"),
            Some(user_json(&before)),
            None,
        )
        .await
    }

    /// Sets a user's password (admins and the CLI); the user's sessions end.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        new_password: &str,
    ) -> Result<(), ServiceError> {
        actor.require(Permission::ManageUsers)?;
        validate_password(new_password).map_err(ServiceError::invalid)?;
        let hash = self.hash_password(new_password).await?;
        self.store
            .set_password_hash(user_id, &hash, self.now())
            .await
            .map_err(|e| ServiceError::from_db(e, "user"))?;
        // Never the password or its hash: only that it was set.
        self.record(
            &actor.audit_name(),
            AuditAction::UserPassword,
            format!("user:{user_id}"),
            None,
            Some(serde_json::json!({ "password": "set by an admin" })),
        )
        .await
    }

    /// Changes the caller's own password, which needs the current one. Wrong guesses count
    /// against the account like failed sign-ins, so a stolen session cannot guess freely.
    /// Every session of the user ends, this one included: the user signs in again.
    pub async fn change_own_password(
        &self,
        user: &CurrentUser,
        current: &str,
        new_password: &str,
    ) -> Result<(), ServiceError> {
        validate_password(new_password).map_err(ServiceError::invalid)?;
        let key = account_key(&user.email);
        self.admit(&[(key.clone(), self.settings.account_throttle)])
            .await
            .map_err(|err| match err {
                LoginError::Internal(cause) => ServiceError::Internal(cause),
                refused => ServiceError::invalid(refused),
            })?;
        let credentials = self
            .store
            .find_credentials(&user.email)
            .await?
            .ok_or(ServiceError::NotFound("user"))?;
        if !self
            .verify_password(current, Some(credentials.password_hash))
            .await?
        {
            return Err(ServiceError::invalid("the current password is wrong"));
        }
        self.store.clear_throttle(&key).await?;
        let hash = self.hash_password(new_password).await?;
        self.store
            .set_password_hash(user.id, &hash, self.now())
            .await?;
        self.record(
            &user.email,
            AuditAction::UserPassword,
            format!("user:{}", user.id),
            None,
            Some(serde_json::json!({ "password": "changed by its owner" })),
        )
        .await
    }

    /// The id of the user signing in with `login`, for the CLI.
    pub async fn user_id_by_login(&self, login: &str) -> Result<i64, ServiceError> {
        self.store
            .find_user_id_by_email(&normalize_login(login))
            .await?
            .ok_or(ServiceError::NotFound("user"))
    }

    /// The enabled user `login` names, for CLI commands run on someone's behalf.
    pub async fn cli_user(&self, login: &str) -> Result<CurrentUser, ServiceError> {
        let id = self.user_id_by_login(login).await?;
        let user = self.existing_user(id).await?;
        if user.disabled {
            return Err(ServiceError::invalid(format!("{login} is disabled")));
        }
        Ok(CurrentUser::from(&user))
    }

    /// The signed-in user behind a session made in `session_epoch`, unless the account is
    /// gone or disabled, or its password changed since.
    pub async fn session_user(
        &self,
        user_id: i64,
        session_epoch: i64,
    ) -> Result<Option<CurrentUser>, ServiceError> {
        let found = self.store.find_session_user(user_id).await?;
        Ok(found
            .filter(|(user, epoch)| !user.disabled && *epoch == session_epoch)
            .map(|(user, _)| CurrentUser::from(&user)))
    }

    /// On a first start (no users at all) creates the `admin` account and returns its
    /// random password, to be shown once; otherwise returns `None`.
    pub async fn ensure_first_admin(&self) -> Result<Option<String>, ServiceError> {
        if self.store.count_users().await? > 0 {
            return Ok(None);
        }
        let password = password::random_password()?;
        let new = NewUser {
            email: BOOTSTRAP_ADMIN_LOGIN.to_string(),
            password_hash: self.hash_password(&password).await?,
            roles: vec![Role::Admin],
        };
        match self.store.insert_user(&new, self.now()).await {
            Ok(_) => Ok(Some(password)),
            // Another replica starting at the same moment won the race.
            Err(DbError::Conflict { .. }) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }

    async fn record_user_change(
        &self,
        actor: &Actor,
        action: AuditAction,
        before: &User,
        after: &User,
    ) -> Result<(), ServiceError> {
        self.record(
            &actor.audit_name(),
            action,
            format!("user:{}", after.id),
            Some(user_json(before)),
            Some(user_json(after)),
        )
        .await
    }

    async fn existing_user(&self, user_id: i64) -> Result<User, ServiceError> {
        self.store
            .find_user(user_id)
            .await?
            .ok_or(ServiceError::NotFound("user"))
    }

    async fn change_account(
        &self,
        user_id: i64,
        change: AccountChange<'_>,
    ) -> Result<(), ServiceError> {
        self.store
            .change_account(user_id, change, self.now())
            .await
            .map_err(|err| match err {
                DbError::LastAdmin => ServiceError::invalid(
                    "this is the last enabled admin: make someone else admin first",
                ),
                other => ServiceError::from_db(other, "user"),
            })
    }
}
