//! Personal API tokens: made by their owner, shown once, stored as SHA-256 hashes.
//!
//! SHA-256 (not Argon2) is right here: a token is 256 random bits, so there is nothing for
//! a slow hash to protect, and every API request has to check one.

use crate::{Actor, ServiceError, Services};
use sha2::{Digest, Sha256};
use warden_db::DbError;
use warden_domain::audit::AuditAction;
use warden_domain::token::{TOKEN_PREFIX, validate_token_name};
use warden_domain::{ApiTokenInfo, CurrentUser};

/// A token just made: the secret is in here and nowhere else.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub info: ApiTokenInfo,
    pub secret: String,
}

fn hash_token(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// How many characters of the secret are kept in clear to tell tokens apart.
const SHOWN_PREFIX_LEN: usize = TOKEN_PREFIX.len() + 8;

impl Services {
    /// Makes a token for `user_id` (the caller's own, or any user's for the CLI).
    pub async fn create_token(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
    ) -> Result<NewToken, ServiceError> {
        if actor.user_id().is_some_and(|id| id != user_id) {
            return Err(ServiceError::Forbidden(
                "you can only make tokens for yourself".into(),
            ));
        }
        let name = validate_token_name(name).map_err(ServiceError::Invalid)?;
        let secret = format!(
            "{TOKEN_PREFIX}{}",
            hex::encode(crate::random_bytes::<32>()?)
        );
        let info = self
            .store
            .insert_token(
                user_id,
                &name,
                &secret[..SHOWN_PREFIX_LEN],
                &hash_token(&secret),
                self.now(),
            )
            .await
            .map_err(|err| match err {
                DbError::Conflict { .. } => ServiceError::NotFound("user"),
                other => other.into(),
            })?;
        self.record(
            &actor.audit_name(),
            AuditAction::TokenCreate,
            format!("token:{}", info.id),
            None,
            Some(serde_json::json!({ "user": user_id, "name": info.name, "prefix": info.prefix })),
        )
        .await?;
        Ok(NewToken { info, secret })
    }

    /// The caller's tokens.
    pub async fn list_tokens(&self, user: &CurrentUser) -> Result<Vec<ApiTokenInfo>, ServiceError> {
        Ok(self.store.list_tokens(user.id).await?)
    }

    /// Revokes one of the caller's tokens.
    pub async fn revoke_token(
        &self,
        user: &CurrentUser,
        token_id: i64,
    ) -> Result<(), ServiceError> {
        self.store
            .revoke_token(user.id, token_id, self.now())
            .await
            .map_err(|err| ServiceError::from_db(err, "token"))?;
        self.record(
            &user.email,
            AuditAction::TokenRevoke,
            format!("token:{token_id}"),
            Some(serde_json::json!({ "user": user.id, "revoked": false })),
            Some(serde_json::json!({ "user": user.id, "revoked": true })),
        )
        .await
    }

    /// The enabled user a bearer token belongs to, if the token is live.
    pub async fn authenticate_token(
        &self,
        secret: &str,
    ) -> Result<Option<CurrentUser>, ServiceError> {
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
            return Ok(None);
        }
        let user = self
            .store
            .find_token_owner(&hash_token(secret), self.now())
            .await?;
        Ok(user.as_ref().map(CurrentUser::from))
    }
}
