//! Personal API tokens, stored as SHA-256 hashes of their secrets.

use crate::{DbError, Store, with_pool};
use warden_domain::{ApiTokenInfo, User};

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<TokenRow> for ApiTokenInfo {
    fn from(row: TokenRow) -> Self {
        ApiTokenInfo {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// Recording every use would turn each API read into a write; once a minute is enough to
/// tell a live token from a forgotten one.
const LAST_USED_RESOLUTION_MS: i64 = 60_000;

impl Store {
    pub async fn insert_token(
        &self,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<ApiTokenInfo, DbError> {
        with_pool!(self, pool => {
            let row: TokenRow = sqlx::query_as(
                "insert into api_tokens (user_id, name, prefix, token_hash, created_at) \
                 values ($1, $2, $3, $4, $5) \
                 returning id, name, prefix, created_at, last_used_at, revoked_at",
            )
            .bind(user_id)
            .bind(name)
            .bind(prefix)
            .bind(token_hash)
            .bind(now)
            .fetch_one(pool)
            .await?;
            Ok(row.into())
        })
    }

    /// A user's tokens, newest first, revoked ones included.
    pub async fn list_tokens(&self, user_id: i64) -> Result<Vec<ApiTokenInfo>, DbError> {
        with_pool!(self, pool => {
            let rows: Vec<TokenRow> = sqlx::query_as(
                "select id, name, prefix, created_at, last_used_at, revoked_at from api_tokens \
                 where user_id = $1 order by id desc",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().map(Into::into).collect())
        })
    }

    /// Revokes one of `user_id`'s tokens; another user's token is `NotFound`.
    pub async fn revoke_token(&self, user_id: i64, token_id: i64, now: i64) -> Result<(), DbError> {
        let updated = with_pool!(self, pool => {
            sqlx::query(
                "update api_tokens set revoked_at = coalesce(revoked_at, $3) \
                 where id = $1 and user_id = $2",
            )
            .bind(token_id)
            .bind(user_id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if updated == 0 {
            Err(DbError::NotFound)
        } else {
            Ok(())
        }
    }

    /// The owner of the live token with this hash, if the owner is enabled; marks the token used.
    pub async fn find_token_owner(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<User>, DbError> {
        let found: Option<(i64, i64, Option<i64>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select t.id, t.user_id, t.last_used_at from api_tokens t \
                 join users u on u.id = t.user_id \
                 where t.token_hash = $1 and t.revoked_at is null and not u.disabled",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        let Some((token_id, user_id, last_used)) = found else {
            return Ok(None);
        };
        if last_used.is_none_or(|at| now - at >= LAST_USED_RESOLUTION_MS) {
            with_pool!(self, pool => {
                sqlx::query("update api_tokens set last_used_at = $2 where id = $1")
                    .bind(token_id)
                    .bind(now)
                    .execute(pool)
                    .await?;
            });
        }
        self.find_user(user_id).await
    }
}
