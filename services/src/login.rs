//! Signing in with a password, throttled per account and per client address.

use crate::{Services, password};
use std::time::Duration;
use warden_domain::User;
use warden_domain::throttle::{self, Verdict};
use warden_domain::user::{MAX_EMAIL_LEN, MAX_PASSWORD_LEN, normalize_login};

/// Why a sign-in was refused. The messages are what the user is told: they never say
/// whether an account exists.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong e-mail or password")]
    Invalid,
    #[error("this account is disabled; ask an admin to enable it")]
    Disabled,
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    #[error("sign-in failed")]
    Internal(#[from] anyhow::Error),
}

impl From<warden_db::DbError> for LoginError {
    fn from(err: warden_db::DbError) -> Self {
        LoginError::Internal(err.into())
    }
}

fn account_key(login: &str) -> String {
    format!("account:{login}")
}

fn client_key(client: &str) -> String {
    format!("client:{client}")
}

impl Services {
    /// Checks a login and password from `client` (its network address) and returns the user.
    ///
    /// Repeated failures slow the answer down and then refuse it for a while; the count
    /// for the account is cleared by a success, the count for the client address is not.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        client: &str,
    ) -> Result<User, LoginError> {
        let login = normalize_login(login);
        let keys = [
            (account_key(&login), self.settings.account_throttle),
            (client_key(client), self.settings.client_throttle),
        ];
        let now = self.now();
        let mut delay_ms = 0;
        for (key, policy) in &keys {
            match throttle::check(policy, self.store.find_throttle(key).await?, now) {
                Verdict::Refuse { retry_after_ms } => {
                    let retry_after_secs = u64::try_from(retry_after_ms.max(1))
                        .unwrap_or(1)
                        .div_ceil(1000);
                    return Err(LoginError::Throttled { retry_after_secs });
                }
                Verdict::Proceed { delay_ms: d } => delay_ms = delay_ms.max(d),
            }
        }
        if delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        }

        // Bounds first: an over-long field is a failed attempt, not a reason to hash it.
        let plausible =
            login.len() <= MAX_EMAIL_LEN && password.chars().count() <= MAX_PASSWORD_LEN;
        let found = if plausible {
            self.store.find_credentials(&login).await?
        } else {
            None
        };
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), Some(hash)),
            None => (None, None),
        };
        let verified = plausible && password::verify(password.to_string(), hash).await?;
        match user {
            Some(user) if verified => {
                self.store.clear_throttle(&keys[0].0).await?;
                if user.disabled {
                    Err(LoginError::Disabled)
                } else {
                    Ok(user)
                }
            }
            _ => {
                let now = self.now();
                for (key, policy) in &keys {
                    self.store
                        .update_throttle(key, now, |state| {
                            throttle::record_failure(policy, state, now)
                        })
                        .await?;
                }
                Err(LoginError::Invalid)
            }
        }
    }
}
