//! Changes to an account that could take away the last enabled admin: role changes,
//! disabling, deleting. The check and the change share one transaction with the rows
//! locked, so two admins removing each other at the same moment cannot both succeed.

use crate::users::insert_roles;
use crate::{DbError, Pool, Store, with_pool};
use warden_domain::Role;

/// What to do to an account.
#[derive(Debug, Clone, Copy)]
pub enum AccountChange<'a> {
    /// Replace the roles with these.
    Roles(&'a [Role]),
    /// Disable (`true`) or enable (`false`).
    Disabled(bool),
    /// Delete the account with its roles and tokens.
    Delete,
}

impl AccountChange<'_> {
    fn keeps_admin(&self) -> bool {
        match self {
            AccountChange::Roles(roles) => roles.contains(&Role::Admin),
            AccountChange::Disabled(disabled) => !disabled,
            AccountChange::Delete => false,
        }
    }
}

impl Store {
    /// Applies `change` to user `id`, unless it would leave no enabled admin
    /// ([`DbError::LastAdmin`]); a missing user is [`DbError::NotFound`].
    pub async fn change_account(
        &self,
        id: i64,
        change: AccountChange<'_>,
        now: i64,
    ) -> Result<(), DbError> {
        // The first statement locks: in SQLite a write takes the database's write lock for the
        // whole transaction; in PostgreSQL the target and every admin row are locked, and a
        // waiting transaction re-reads them once the first one commits.
        let lock = match self.pool {
            Pool::Sqlite(_) => "update users set updated_at = updated_at where id = $1",
            Pool::Postgres(_) => {
                "select id from users where id = $1 \
                 or id in (select user_id from user_roles where role = 'admin') for update"
            }
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(lock).bind(id).execute(&mut *tx).await?;
            let target: Option<(bool, i64)> = sqlx::query_as(
                "select u.disabled, (select count(*) from user_roles r where r.user_id = u.id and r.role = 'admin') \
                 from users u where u.id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let (disabled, admin_roles) = target.ok_or(DbError::NotFound)?;
            if admin_roles > 0 && !disabled && !change.keeps_admin() {
                let (others,): (i64,) = sqlx::query_as(
                    "select count(*) from users u join user_roles r on r.user_id = u.id \
                     where r.role = 'admin' and not u.disabled and u.id <> $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                if others == 0 {
                    return Err(DbError::LastAdmin);
                }
            }
            match change {
                AccountChange::Roles(roles) => {
                    sqlx::query("update users set updated_at = $2 where id = $1")
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("delete from user_roles where user_id = $1").bind(id).execute(&mut *tx).await?;
                    insert_roles!(tx, id, roles, now);
                }
                AccountChange::Disabled(disabled) => {
                    sqlx::query("update users set disabled = $2, updated_at = $3 where id = $1")
                        .bind(id)
                        .bind(disabled)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                AccountChange::Delete => {
                    sqlx::query("delete from users where id = $1").bind(id).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
