//! Ingest keys: agent- or environment-scoped secrets, stored as SHA-256 hashes.

use crate::{DbError, Store, with_pool};
use warden_domain::telemetry::{IngestKeyInfo, KeyScope};

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    name: String,
    scope_kind: String,
    scope_name: String,
    prefix: String,
    created_at: i64,
    created_by: Option<String>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

fn scope_from(kind: &str, name: String) -> Result<KeyScope, DbError> {
    match kind {
        "agent" => Ok(KeyScope::Agent(name)),
        "environment" => Ok(KeyScope::Environment(name)),
        other => Err(DbError::Invalid(format!("key scope {other:?}"))),
    }
}

fn scope_parts(scope: &KeyScope) -> (&'static str, &str) {
    match scope {
        KeyScope::Agent(name) => ("agent", name),
        KeyScope::Environment(name) => ("environment", name),
    }
}

impl TryFrom<KeyRow> for IngestKeyInfo {
    type Error = DbError;

    fn try_from(row: KeyRow) -> Result<Self, DbError> {
        Ok(IngestKeyInfo {
            id: row.id,
            name: row.name,
            scope: scope_from(&row.scope_kind, row.scope_name)?,
            prefix: row.prefix,
            created_at: row.created_at,
            created_by: row.created_by,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
    }
}

const KEY_SELECT: &str = "select k.id, k.name, k.scope_kind, k.scope_name, k.prefix, \
     k.created_at, u.email as created_by, k.last_used_at, k.revoked_at \
     from ingest_keys k left join users u on u.id = k.created_by";

/// As for personal tokens: once a minute is enough to tell a live key from a dead one,
/// and ingestion must not write a row per request for it.
const LAST_USED_RESOLUTION_MS: i64 = 60_000;

impl Store {
    pub async fn insert_ingest_key(
        &self,
        name: &str,
        scope: &KeyScope,
        prefix: &str,
        key_hash: &str,
        created_by: Option<i64>,
        now: i64,
    ) -> Result<IngestKeyInfo, DbError> {
        let (kind, scope_name) = scope_parts(scope);
        let id: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(
                "insert into ingest_keys (name, scope_kind, scope_name, prefix, key_hash, \
                 created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id",
            )
            .bind(name)
            .bind(kind)
            .bind(scope_name)
            .bind(prefix)
            .bind(key_hash)
            .bind(created_by)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        self.find_ingest_key(id).await
    }

    async fn find_ingest_key(&self, id: i64) -> Result<IngestKeyInfo, DbError> {
        let sql = format!("{KEY_SELECT} where k.id = $1");
        let row: KeyRow = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_one(pool).await?
        });
        row.try_into()
    }

    /// Every key, newest first, revoked ones included.
    pub async fn list_ingest_keys(&self) -> Result<Vec<IngestKeyInfo>, DbError> {
        let sql = format!("{KEY_SELECT} order by k.id desc");
        let rows: Vec<KeyRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }

    pub async fn revoke_ingest_key(&self, id: i64, now: i64) -> Result<IngestKeyInfo, DbError> {
        let updated = with_pool!(self, pool => {
            sqlx::query("update ingest_keys set revoked_at = coalesce(revoked_at, $2) where id = $1")
                .bind(id)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated == 0 {
            return Err(DbError::NotFound);
        }
        self.find_ingest_key(id).await
    }

    /// The id and scope of the live key with this hash; marks it used.
    pub async fn authenticate_ingest_key(
        &self,
        key_hash: &str,
        now: i64,
    ) -> Result<Option<(i64, KeyScope)>, DbError> {
        let found: Option<(i64, String, String, Option<i64>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, scope_kind, scope_name, last_used_at from ingest_keys \
                 where key_hash = $1 and revoked_at is null",
            )
            .bind(key_hash)
            .fetch_optional(pool)
            .await?
        });
        let Some((id, kind, name, last_used)) = found else {
            return Ok(None);
        };
        if last_used.is_none_or(|at| now - at >= LAST_USED_RESOLUTION_MS) {
            with_pool!(self, pool => {
                sqlx::query("update ingest_keys set last_used_at = $2 where id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(pool)
                    .await?;
            });
        }
        Ok(Some((id, scope_from(&kind, name)?)))
    }
}
