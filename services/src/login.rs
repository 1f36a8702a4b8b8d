//! Signing in with a password, throttled per account and per client address.

use crate::Services;
use std::time::Duration;
use warden_domain::User;
use warden_domain::throttle::{self, ThrottlePolicy, Verdict};
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

/// A successful sign-in: the user, and the session epoch the new session must carry.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session_epoch: i64,
}

impl From<warden_db::DbError> for LoginError {
    fn from(err: warden_db::DbError) -> Self {
        LoginError::Internal(err.into())
    }
}

/// The throttle key of an account. Bounded, so a megabyte of login is not a megabyte of key.
pub(crate) fn account_key(login: &str) -> String {
    format!(
        "account:{}",
        login.chars().take(MAX_EMAIL_LEN).collect::<String>()
    )
}

fn client_key(client: &str) -> String {
    format!("client:{}", client.chars().take(64).collect::<String>())
}

impl Services {
    /// Counts an attempt for `key` before the password is checked, so that guesses sent in
    /// parallel are all counted, and says whether it may go ahead and after what delay.
    pub(crate) async fn count_attempt(
        &self,
        key: &str,
        policy: ThrottlePolicy,
    ) -> Result<Verdict, LoginError> {
        let now = self.now();
        let mut verdict = Verdict::Proceed { delay_ms: 0 };
        self.store
            .update_throttle(key, now, |state| {
                verdict = throttle::check(&policy, state, now);
                match verdict {
                    Verdict::Refuse { .. } => state,
                    Verdict::Proceed { .. } => Some(throttle::record_failure(&policy, state, now)),
                }
            })
            .await?;
        Ok(verdict)
    }

    /// Counts one attempt on each key; refuses if any key is locked, else waits the longest delay.
    pub(crate) async fn admit(&self, keys: &[(String, ThrottlePolicy)]) -> Result<(), LoginError> {
        let mut delay_ms = 0;
        for (key, policy) in keys {
            match self.count_attempt(key, *policy).await? {
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
        Ok(())
    }

    /// Checks a login and password from `client` (its network address) and returns the user.
    ///
    /// Repeated failures slow the answer down and then refuse it for a while. A correct
    /// password clears the account's count and gives the client address its attempt back.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        client: &str,
    ) -> Result<SignedIn, LoginError> {
        let login = normalize_login(login);
        let account = account_key(&login);
        let client = client_key(client);
        let client_policy = self.settings.client_throttle;
        self.admit(&[
            (account.clone(), self.settings.account_throttle),
            (client.clone(), client_policy),
        ])
        .await?;

        // Bounds first: an over-long field is a failed attempt, not a reason to hash it.
        let plausible =
            login.chars().count() <= MAX_EMAIL_LEN && password.chars().count() <= MAX_PASSWORD_LEN;
        let found = if plausible {
            self.store.find_credentials(&login).await?
        } else {
            None
        };
        let hash = found.as_ref().map(|c| c.password_hash.clone());
        let verified = plausible && self.verify_password(password, hash).await?;
        match found {
            Some(credentials) if verified => {
                self.store.clear_throttle(&account).await?;
                let now = self.now();
                self.store
                    .update_throttle(&client, now, |state| {
                        throttle::forgive_one(&client_policy, state, now)
                    })
                    .await?;
                if credentials.user.disabled {
                    return Err(LoginError::Disabled);
                }
                Ok(SignedIn {
                    user: credentials.user,
                    session_epoch: credentials.session_epoch,
                })
            }
            _ => Err(LoginError::Invalid),
        }
    }
}
