//! User accounts as the rest of Warden sees them, and the rules for what a login and a
//! password may be.

use crate::role::Role;
use serde::{Deserialize, Serialize};

/// The login of the account created on first start.
pub const BOOTSTRAP_ADMIN_LOGIN: &str = "admin";
/// RFC 5321 caps an address at 254 octets; anything longer is not an address.
pub const MAX_EMAIL_LEN: usize = 254;
pub const MIN_PASSWORD_LEN: usize = 12;
/// Argon2 accepts long inputs, but an unbounded password is an easy way to burn CPU.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// A stored user account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// Epoch milliseconds.
    pub created_at: i64,
}

impl User {
    /// The user with this e-mail address (compared case-insensitively), if any.
    pub fn by_email<'a>(users: &'a [User], email: &str) -> Option<&'a User> {
        users.iter().find(|u| u.email.eq_ignore_ascii_case(email))
    }
}

/// The signed-in caller of a request, as pages and server functions see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

impl From<&User> for CurrentUser {
    fn from(user: &User) -> Self {
        CurrentUser {
            id: user.id,
            email: user.email.clone(),
            roles: user.roles.clone(),
        }
    }
}

/// Marks a request authenticated by a personal API token rather than a browser session.
/// Tokens are for the JSON API: the UI's server functions refuse them, so a leaked token
/// cannot, for one, mint itself a successor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthenticatedByToken;

/// Why a login name or password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("an e-mail address is required")]
    EmptyEmail,
    #[error("the e-mail address is longer than {MAX_EMAIL_LEN} characters")]
    EmailTooLong,
    #[error("`{0}` is not an e-mail address")]
    NotAnEmail(String),
    #[error("the password must have at least {MIN_PASSWORD_LEN} characters")]
    PasswordTooShort,
    #[error("the password must have at most {MAX_PASSWORD_LEN} characters")]
    PasswordTooLong,
}

/// Trims and lower-cases a login so that `Ann@Example.com` and `ann@example.com` are one account.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Checks an e-mail address for a new account and returns it normalised.
///
/// Deliberately loose (one `@`, a dot in the domain, no spaces): the real check is the
/// mail that pages the user; this only catches typos and garbage.
pub fn validate_email(email: &str) -> Result<String, CredentialError> {
    let email = normalize_login(email);
    if email.is_empty() {
        return Err(CredentialError::EmptyEmail);
    }
    if email.chars().count() > MAX_EMAIL_LEN {
        return Err(CredentialError::EmailTooLong);
    }
    let shown = || CredentialError::NotAnEmail(email.chars().take(80).collect());
    let (local, domain) = email.split_once('@').ok_or_else(shown)?;
    let well_formed = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if well_formed { Ok(email) } else { Err(shown()) }
}

/// Checks a new password's length (in characters, so that any script counts fairly).
pub fn validate_password(password: &str) -> Result<(), CredentialError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        Err(CredentialError::PasswordTooShort)
    } else if len > MAX_PASSWORD_LEN {
        Err(CredentialError::PasswordTooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_to_lower_case_without_spaces_around() {
        assert_eq!(
            validate_email("  Ann.Lee@Example.COM "),
            Ok("ann.lee@example.com".into())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "ann",
            "@example.com",
            "ann@",
            "ann@example",
            "a b@x.io",
            "a@b@c.io",
            "ann@.io",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
        assert_eq!(validate_email("  "), Err(CredentialError::EmptyEmail));
    }

    #[test]
    fn over_long_emails_are_refused_without_echoing_them_whole() {
        let long = format!("{}@example.com", "a".repeat(300));
        assert_eq!(validate_email(&long), Err(CredentialError::EmailTooLong));
    }

    #[test]
    fn passwords_must_be_between_the_bounds() {
        assert_eq!(
            validate_password("short"),
            Err(CredentialError::PasswordTooShort)
        );
        assert!(validate_password("correct horse battery").is_ok());
        assert_eq!(
            validate_password(&"x".repeat(MAX_PASSWORD_LEN + 1)),
            Err(CredentialError::PasswordTooLong)
        );
        // Twelve characters of a non-Latin script are twelve characters, not 36 bytes.
        assert!(validate_password("пароль-длин").is_err());
        assert!(validate_password("пароль-длинн").is_ok());
    }
}
