//! Credentials: keys with a recognisable format (OpenAI and Anthropic `sk-…`, AWS
//! `AKIA…`, GitHub, Slack, Google, Stripe, Hugging Face, npm, GitLab, JWTs, PEM private
//! keys, Warden's own `wdn_`/`wik_` tokens), `Bearer` tokens, and values assigned to a
//! credential-named key in the forms agents' traces carry them: command lines
//! (`--token X`, `--password=X`, `["--api-key", "X"]`), environment and query strings
//! (`API_KEY=X`, `?token=X`), config (`password: X`) and JSON (`"apiKey":"X"`).
//!
//! Only the value is reported for assignments, so the key stays readable after
//! redaction. Values that are placeholders (`${TOKEN}`, `<redacted>`, `****`, `null`)
//! or code (`password=args.password`) are not secrets.
//!
//! The detectors live in submodules by what they find: `tokens` (key formats and
//! `Bearer` tokens), `assignment` (key=value and flag assignments), `pem` (private
//! key blocks), with `key_class` deciding which names and values are credentials.
//! Passwords in URLs (`scheme://user:password@host`) are read from their `@` by the
//! e-mail detector.

mod assignment;
mod key_class;
mod pem;
mod tokens;

pub(crate) use assignment::assignment;
pub(crate) use tokens::{at_dash, at_letter, at_underscore};

pub(crate) type Span = (usize, usize);

#[cfg(test)]
mod tests {
    use crate::{Kind, Scanner};

    fn secrets(text: &str) -> Vec<&str> {
        let scanner = Scanner::new(&[]).unwrap();
        scanner
            .scan(text)
            .into_iter()
            .filter(|f| f.kind == Kind::Secret)
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    const OPENAI: &str = "sk-proj-4fT9qLm2XvB7nR8sK1pW3yZ6hJ0cD5eA";
    const ANTHROPIC: &str = "sk-ant-api03-Xy7_kQ2mN9pL4rT8vB1cF6hJ3sW0zD5e-AbCdEf";
    const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    const WDN: &str = "wdn_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const WIK: &str = "wik_2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    #[test]
    fn finds_keys_by_format() {
        let keys = [
            OPENAI,
            "sk-4fT9qLm2XvB7nR8sK1pW3yZ6hJ0cD5eAxYz",
            ANTHROPIC,
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAY34FZKBOKMUTVV7A",
            "ghp_1A2b3C4d5E6f7G8h9I0jK1l2M3n4O5p6Q7r8",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "xoxp-2837465-9182736-abcdef",
            "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "rk_live_51H8vYzKq2LmNpQrStUvWx",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567",
            "npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "glpat-xYz12AbCdEfGhIjKlMnO",
            JWT,
            WDN,
            WIK,
        ];
        for key in keys {
            for text in [
                key.to_string(),
                format!("using key {key} for the call"),
                format!("{{\"key\":\"{key}\"}}"),
                format!("Clé : {key} 🔑"),
                format!("(\\n{key}\\n)"),
            ] {
                assert_eq!(secrets(&text), vec![key], "input: {text:?}");
            }
        }
    }

    #[test]
    fn finds_bearer_tokens_and_redacts_only_the_token() {
        let cases = [
            (
                "Authorization: Bearer abc123def456ghi789",
                "abc123def456ghi789",
            ),
            (
                "curl -H 'Authorization: Bearer tok_8f7e6d5c4b3a'",
                "tok_8f7e6d5c4b3a",
            ),
            (
                "{\"authorization\": \"Bearer abc123def456ghi789\"}",
                "abc123def456ghi789",
            ),
            (
                "authorization: bearer abc123def456ghi789",
                "abc123def456ghi789",
            ),
            ("sent Bearer 7f3a9c2e1b8d4f6a0e5c", "7f3a9c2e1b8d4f6a0e5c"),
            (
                "Authorization: Basic dXNlcjpwYXNzd29yZA==",
                "dXNlcjpwYXNzd29yZA==",
            ),
        ];
        for (text, token) in cases {
            assert_eq!(secrets(text), vec![token], "input: {text:?}");
        }
        let jwt_text = format!("Authorization: Bearer {JWT}");
        assert_eq!(secrets(&jwt_text), vec![JWT], "input: {jwt_text:?}");
    }

    #[test]
    fn finds_assigned_values_and_redacts_only_the_value() {
        let cases = [
            (
                "node gateway.js --token=9f2c4e6a8b0d1f3e",
                "9f2c4e6a8b0d1f3e",
            ),
            (
                "node gateway.js --token 9f2c4e6a8b0d1f3e --port 8080",
                "9f2c4e6a8b0d1f3e",
            ),
            ("mysql --password hunter2 -u root", "hunter2"),
            ("mysql --password=hunter2", "hunter2"),
            ("cli --api-key ak_live_12345abcdef", "ak_live_12345abcdef"),
            (
                "[\"node\",\"gateway.js\",\"--token\",\"gw_5a1b2c3d4e5f6a7b\"]",
                "gw_5a1b2c3d4e5f6a7b",
            ),
            (
                "[\"node\", \"gateway.js\", \"--gateway-token\", \"5a1b2c3d4e5f6a7b8c9d\"]",
                "5a1b2c3d4e5f6a7b8c9d",
            ),
            ("password=hunter2", "hunter2"),
            ("DB_PASSWORD=S3cr3t!pass", "S3cr3t!pass"),
            (
                "export OPENAI_API_KEY=abcd1234efgh5678ijkl",
                "abcd1234efgh5678ijkl",
            ),
            ("api_key: 7d8e9f0a1b2c3d4e", "7d8e9f0a1b2c3d4e"),
            ("secret=Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
            ("{\"apiKey\":\"AbCdEf123456GhIjKl\"}", "AbCdEf123456GhIjKl"),
            (
                "{\"password\": \"correct horse battery staple\"}",
                "correct horse battery staple",
            ),
            ("{\\\"password\\\":\\\"hunter22\\\"}", "hunter22"),
            (
                "GET /v1/data?user=7&access_token=a1b2c3d4e5f6g7h8&page=2",
                "a1b2c3d4e5f6g7h8",
            ),
            ("X-Api-Key: 0f1e2d3c4b5a69788796", "0f1e2d3c4b5a69788796"),
            ("client_secret = 'x9Y8w7V6u5T4s3R2'", "x9Y8w7V6u5T4s3R2"),
            (
                "postgres://app:Tr0ub4dor&3@db.internal:5432/prod",
                "Tr0ub4dor&3",
            ),
            ("redis://:s3cretpass@cache:6379", "s3cretpass"),
            (
                "https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/w.git",
                "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
            ),
            ("password: hunter2", "hunter2"),
            ("Passwort: Sommer2024!", "Sommer2024!"),
            ("Kennwort = geheim123", "geheim123"),
            ("mot de passe : Soleil#2024", "Soleil#2024"),
            (
                "Votre mot de passe temporaire : Soleil#2024 — changez-le.",
                "Soleil#2024",
            ),
            (
                "Passwort für das WLAN: Sommer2024! (nicht weitergeben)",
                "Sommer2024!",
            ),
            ("The password for the VPN: Blue-Horse-42.", "Blue-Horse-42"),
            ("{\"mot_de_passe\": \"azerty123\"}", "azerty123"),
            ("contraseña: Verano2024", "Verano2024"),
            (
                "Server=tcp:db.example.com,1433;User ID=sa;Password=P@ssw0rd!;Encrypt=true",
                "P@ssw0rd!",
            ),
            (
                "mongodb+srv://admin:S3cret!@cluster0.abcde.mongodb.net/db",
                "S3cret!",
            ),
            (
                "{\"access_token\":\"ya29.a0AfH6SMBx7Qk2Lm9\",\"token_type\":\"Bearer\"}",
                "ya29.a0AfH6SMBx7Qk2Lm9",
            ),
        ];
        for (text, value) in cases {
            assert_eq!(secrets(text), vec![value], "input: {text:?}");
        }
    }

    #[test]
    fn finds_private_key_blocks() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu\n-----END RSA PRIVATE KEY-----";
        let text = format!("key file:\n{pem}\nend");
        assert_eq!(secrets(&text), vec![pem], "input: {text:?}");
        let truncated =
            "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
        let text = format!("{{\"out\":\"{truncated}\"}}");
        assert_eq!(secrets(&text), vec![truncated], "input: {text:?}");
    }

    #[test]
    fn ignores_lookalikes_placeholders_and_prose() {
        let cases = [
            "task-force meeting",
            "sk-learn is a typo for scikit-learn",
            "risk-assessment-2024-final-version-xyz",
            "sk-short1",
            "AKIA",
            "ASIA-Pacific",
            "ASIAN MARKETS",
            "AKIAIOSFODNN7EXAMPLEXX",
            "ghp_short",
            "my_ghp_1A2b3C4d5E6f7G8h9I0jK1l2M3n4O5p6Q7r8",
            "wdn_9f86d081884c7d659a2feaa0c55ad015",
            "eyJhbGciOiJIUzI1NiJ9",
            "Bearer tokens are sent in the header",
            "Authorization: Bearer <token>",
            "Authorization: Bearer $TOKEN",
            "password=",
            "password=${DB_PASSWORD}",
            "password: <redacted>",
            "password: ********",
            "\"password\": null",
            "\"password\": \"\"",
            "token: ${{ secrets.GITHUB_TOKEN }}",
            "Your password: must be at least 8 characters",
            "Reset your password: click the link we sent",
            "The token: authorization happens later",
            "login(user, password=password)",
            "client = Client(api_key=api_key)",
            "password=args.password",
            "token=os.environ[\"TOKEN\"]",
            "password=getpass()",
            "if password == expected:",
            "\"max_tokens\": 1024",
            "\"input_tokens\": 1532, \"output_tokens\": 210",
            "\"next_page_token\": \"CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0\"",
            "{\"token\": \" world\", \"logprob\": -0.12}",
            "{\"token_count\": 4096}",
            "\"secret\": true",
            "PWD=/home/agent/work",
            "use the --token flag",
            "pass --password and --token on the command line",
            "kubectl get secret my-app-secret",
            "secret: my-app-secret",
            "std::vector<int> tokens",
            "https://user@example.com",
            "postgres://app:****@db:5432/prod",
            "postgres://app:${DB_PASS}@db:5432/prod",
            "github_pat_short",
            "Bearer",
            "xoxb-",
            "\"token_type\": \"Bearer\", \"expires_in\": 3600",
            "\"has_password\": true, \"password_policy\": \"strong\"",
            "\"reset_password_url\": \"https://example.com/reset\"",
            "\"password_hash\": \"$2b$12$KIXQ1pS9yJ8nE0wq3mZbUe\"",
            "\"tokenizer\": \"cl100k_base\", \"token_limit\": 4096",
            "secretKeyRef: db-credentials, secretName: prod-tls",
            "--password-file /run/secrets/db --token-ttl 3600 --api-key-env OPENAI_API_KEY",
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
            "Contraseña: debe tener al menos 8 caracteres",
            "Passwort: bitte ändern",
            "the impasse: negotiations stalled",
            "Password for the admin account: reset it today",
            "Le mot de passe temporaire : expiré",
            "Your password was changed. Contact: support",
            "password_policy: min8chars",
            "Password policy: strong",
        ];
        for text in cases {
            assert_eq!(secrets(text), Vec::<&str>::new(), "input: {text:?}");
        }
    }
}
