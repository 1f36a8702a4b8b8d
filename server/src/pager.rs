//! How pages leave Warden: mail over SMTP (lettre, pooled connections) and Slack-compatible
//! webhooks. What to send and when is the services' outbox; this only delivers.

use crate::config::{MailConfig, SmtpTls};
use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use warden_services::incidents::{Mail, Notifier};

/// The server's [`Notifier`].
pub struct Pager {
    from: Mailbox,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    http: reqwest::Client,
    webhook_secret: Option<SecretString>,
}

impl Pager {
    pub fn new(mail: &MailConfig, webhook_secret: Option<SecretString>) -> anyhow::Result<Pager> {
        let from: Mailbox = mail
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail.from: {e}"))?;
        let smtp = match &mail.smtp {
            None => None,
            Some(s) => {
                let mut builder = match s.tls {
                    SmtpTls::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
                    }
                    SmtpTls::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)?
                    }
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)?,
                }
                .port(s.port)
                .timeout(Some(s.timeout));
                if let (Some(user), Some(password)) = (&s.username, &s.password) {
                    builder = builder.credentials(Credentials::new(
                        user.clone(),
                        password.expose_secret().to_string(),
                    ));
                }
                Some(builder.build())
            }
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Pager {
            from,
            smtp,
            http,
            webhook_secret,
        })
    }
}

#[async_trait]
impl Notifier for Pager {
    fn mail_configured(&self) -> bool {
        self.smtp.is_some()
    }

    async fn send_mail(&self, mail: &Mail) -> Result<(), String> {
        let Some(smtp) = &self.smtp else {
            return Err("mail.smtp is not configured".into());
        };
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| format!("`{}` is not an address: {e}", mail.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| format!("building the mail: {e}"))?;
        smtp.send(message)
            .await
            .map(|_| ())
            // lettre's errors name the server and the reply, never the credentials.
            .map_err(|e| format!("SMTP: {e}"))
    }

    async fn post_webhook(&self, url: &str, body: &str) -> Result<(), String> {
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut request = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("warden-event", "incident.page")
            .header("warden-timestamp", timestamp.to_string());
        if let Some(secret) = &self.webhook_secret {
            request = request.header(
                "warden-signature",
                crate::webhooks::sign(secret.expose_secret(), timestamp, body),
            );
        }
        match request.body(body.to_string()).send().await {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("the webhook answered {}", response.status())),
            // Without the URL: a webhook's URL is its secret.
            Err(err) => Err(format!("not delivered: {}", err.without_url())),
        }
    }
}
