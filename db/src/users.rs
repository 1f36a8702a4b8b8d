//! User accounts and their roles.

use crate::{DbError, Store, with_pool};
use warden_domain::{Role, User};

/// What signing in needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// Sessions carry the epoch they were made in; a password change bumps it.
    pub session_epoch: i64,
}

/// A user about to be inserted; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    disabled: bool,
    created_at: i64,
    session_epoch: i64,
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    user_id: i64,
    role: String,
}

/// Grants `roles` to user `id` inside the transaction `tx` (of either engine, which is why
/// this is a macro and not a function).
macro_rules! insert_roles {
    ($tx:ident, $id:expr, $roles:expr, $now:expr) => {
        for role in $roles {
            sqlx::query("insert into user_roles (user_id, role, created_at) values ($1, $2, $3)")
                .bind($id)
                .bind(role.as_str())
                .bind($now)
                .execute(&mut *$tx)
                .await?;
        }
    };
}
pub(crate) use insert_roles;

const USER_COLUMNS: &str = "id, email, disabled, created_at, session_epoch";

fn parse_role(row: &RoleRow) -> Result<Role, DbError> {
    row.role.parse().map_err(|_| {
        DbError::Invalid(format!(
            "user {} has unknown role {:?}",
            row.user_id, row.role
        ))
    })
}

/// Joins users with their roles; `roles` must be ordered by user id, as `users` is.
fn assemble(users: Vec<UserRow>, roles: Vec<RoleRow>) -> Result<Vec<User>, DbError> {
    let mut roles = roles.into_iter().peekable();
    users
        .into_iter()
        .map(|row| {
            let mut user_roles = Vec::new();
            while let Some(role) = roles.next_if(|r| r.user_id <= row.id) {
                if role.user_id == row.id {
                    user_roles.push(parse_role(&role)?);
                }
            }
            user_roles.sort();
            Ok(User {
                id: row.id,
                email: row.email,
                roles: user_roles,
                disabled: row.disabled,
                created_at: row.created_at,
            })
        })
        .collect()
}

impl Store {
    /// Inserts a user with its roles in one transaction.
    pub async fn insert_user(&self, new: &NewUser, now: i64) -> Result<User, DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into users (email, password_hash, disabled, created_at, updated_at) \
                 values ($1, $2, false, $3, $3) returning id",
            )
            .bind(&new.email)
            .bind(&new.password_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_roles!(tx, id, &new.roles, now);
            tx.commit().await?;
            Ok(User {
                id,
                email: new.email.clone(),
                roles: new.roles.clone(),
                disabled: false,
                created_at: now,
            })
        })
    }

    /// Every user, ordered by id.
    pub async fn list_users(&self) -> Result<Vec<User>, DbError> {
        with_pool!(self, pool => {
            let users: Vec<UserRow> =
                sqlx::query_as(&format!("select {USER_COLUMNS} from users order by id"))
                    .fetch_all(pool)
                    .await?;
            let roles: Vec<RoleRow> =
                sqlx::query_as("select user_id, role from user_roles order by user_id, role")
                    .fetch_all(pool)
                    .await?;
            assemble(users, roles)
        })
    }

    /// The user with this id, if any.
    pub async fn find_user(&self, id: i64) -> Result<Option<User>, DbError> {
        Ok(self.find_session_user(id).await?.map(|(user, _)| user))
    }

    /// The user with this id and its session epoch, for checking a session.
    pub async fn find_session_user(&self, id: i64) -> Result<Option<(User, i64)>, DbError> {
        with_pool!(self, pool => {
            let user: Option<UserRow> =
                sqlx::query_as(&format!("select {USER_COLUMNS} from users where id = $1"))
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
            let Some(user) = user else { return Ok(None) };
            let epoch = user.session_epoch;
            let roles: Vec<RoleRow> =
                sqlx::query_as("select user_id, role from user_roles where user_id = $1 order by role")
                    .bind(id)
                    .fetch_all(pool)
                    .await?;
            Ok(assemble(vec![user], roles)?.pop().map(|user| (user, epoch)))
        })
    }

    /// The user with this (normalised) e-mail and its password hash, if any. The same two
    /// queries run whether or not the account exists, so timing does not tell.
    pub async fn find_credentials(&self, email: &str) -> Result<Option<Credentials>, DbError> {
        with_pool!(self, pool => {
            let found: Option<(i64, String, bool, i64, i64, String)> = sqlx::query_as(
                "select id, email, disabled, created_at, session_epoch, password_hash from users where email = $1",
            )
            .bind(email)
            .fetch_optional(pool)
            .await?;
            let roles: Vec<RoleRow> =
                sqlx::query_as("select user_id, role from user_roles where user_id = $1 order by role")
                    .bind(found.as_ref().map_or(-1, |f| f.0))
                    .fetch_all(pool)
                    .await?;
            let Some((id, email, disabled, created_at, session_epoch, hash)) = found else {
                return Ok(None);
            };
            let user = UserRow { id, email, disabled, created_at, session_epoch };
            Ok(assemble(vec![user], roles)?.pop().map(|user| Credentials {
                user,
                password_hash: hash,
                session_epoch,
            }))
        })
    }

    /// The id of the user with this (normalised) e-mail, if any.
    pub async fn find_user_id_by_email(&self, email: &str) -> Result<Option<i64>, DbError> {
        with_pool!(self, pool => {
            let id: Option<(i64,)> = sqlx::query_as("select id from users where email = $1")
                .bind(email)
                .fetch_optional(pool)
                .await?;
            Ok(id.map(|(id,)| id))
        })
    }

    /// Replaces a user's password hash and bumps its session epoch, which ends the user's
    /// sessions; returns the new epoch.
    pub async fn set_password_hash(&self, id: i64, hash: &str, now: i64) -> Result<i64, DbError> {
        let epoch: Option<(i64,)> = with_pool!(self, pool => {
            sqlx::query_as(
                "update users set password_hash = $2, updated_at = $3, session_epoch = session_epoch + 1 \
                 where id = $1 returning session_epoch",
            )
            .bind(id)
            .bind(hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        epoch.map(|(epoch,)| epoch).ok_or(DbError::NotFound)
    }

    pub async fn count_users(&self) -> Result<i64, DbError> {
        with_pool!(self, pool => {
            let (n,): (i64,) = sqlx::query_as("select count(*) from users").fetch_one(pool).await?;
            Ok(n)
        })
    }
}
