//! Personal API tokens as their owners see them; the secret itself is shown once at creation
//! and stored only as a hash.

use serde::{Deserialize, Serialize};

/// Every token starts with this, so that secret scanners and people recognise a Warden token.
pub const TOKEN_PREFIX: &str = "wdn_";
pub const MAX_TOKEN_NAME_LEN: usize = 100;

/// A token's public facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    /// The first characters of the secret, enough to tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Checks a token's name and returns it trimmed.
pub fn validate_token_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        Err("a token needs a name that says what uses it".into())
    } else if name.chars().count() > MAX_TOKEN_NAME_LEN {
        Err(format!(
            "a token name has at most {MAX_TOKEN_NAME_LEN} characters"
        ))
    } else if name.chars().any(char::is_control) {
        Err("a token name cannot contain control characters".into())
    } else {
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names_are_trimmed_and_bounded() {
        assert_eq!(
            validate_token_name("  ci exporter "),
            Ok("ci exporter".into())
        );
        assert!(validate_token_name("   ").is_err());
        assert!(validate_token_name(&"n".repeat(101)).is_err());
        assert!(validate_token_name("a\u{0}b").is_err());
    }
}
