//! Delivering the outbox: each due page is claimed with a lease, written from what the
//! incident is now (not what it was when the page was recorded), handed to the
//! [`Notifier`] and marked sent, or failed with its next attempt. A page whose incident
//! was acknowledged or resolved meanwhile is dropped unsent.

use crate::{ServiceError, Services};
use std::sync::Arc;
use warden_domain::html::escape;
use warden_domain::incident::escalation::masked_webhook;
use warden_domain::incident::{
    Channel, Incident, Page, PagePurpose, Status, TimelineEntry, retry_after_ms,
};
use warden_domain::timefmt::iso_utc;

/// A mail to send: one recipient, a plain-text and an HTML part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The ways out: SMTP and webhooks, implemented by the server.
#[async_trait::async_trait]
pub trait Notifier: Send + Sync {
    /// False without `mail.smtp`: pages by e-mail are then recorded as not sent.
    fn mail_configured(&self) -> bool;
    async fn send_mail(&self, mail: &Mail) -> Result<(), String>;
    /// POSTs a Slack-compatible JSON body, signed.
    async fn post_webhook(&self, url: &str, body: &str) -> Result<(), String>;
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPass {
    pub sent: usize,
    pub failed: usize,
    pub dropped: usize,
}

/// Pages delivered at once: SMTP round trips overlap, and 1,000 incidents paging in the
/// same second go out within it.
const PARALLEL: usize = 32;
/// Pages taken per pass.
const BATCH: i64 = 5_000;
/// How long a sender holds a page: well beyond an SMTP timeout, so two never send it.
const LEASE_MS: i64 = 120_000;
/// Timeline entries a page quotes.
const LATEST: usize = 5;

enum Outcome {
    Sent,
    Failed,
    Dropped,
    /// Not tried: its claim was running out.
    Expired,
}

impl Services {
    /// Delivers every page due at `now` that nobody else holds.
    pub async fn deliver_due_pages(
        &self,
        notifier: Arc<dyn Notifier>,
        claimant: &str,
        now: i64,
    ) -> Result<DeliveryPass, ServiceError> {
        let due = self.store.due_pages(now, BATCH).await?;
        let ids: Vec<i64> = due.iter().map(|p| p.id).collect();
        let won: std::collections::HashSet<i64> = self
            .store
            .claim_pages(&ids, claimant, now, now + LEASE_MS)
            .await?
            .into_iter()
            .collect();
        let due = due.into_iter().filter(|p| won.contains(&p.id));
        let mut pass = DeliveryPass::default();
        let permits = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
        let mut running = tokio::task::JoinSet::new();
        for page in due {
            let permit = Arc::clone(&permits)
                .acquire_owned()
                .await
                .map_err(anyhow::Error::from)?;
            let (services, notifier, claimant) =
                (self.clone(), Arc::clone(&notifier), claimant.to_string());
            running.spawn(async move {
                let _permit = permit;
                // Pages queued behind a slow SMTP server may outlive their claim: past half
                // the lease, leave the page to whoever claims it next rather than risk two
                // senders.
                if services.now() - now > LEASE_MS / 2 {
                    return Ok(Outcome::Expired);
                }
                services.deliver(&page, notifier.as_ref(), &claimant).await
            });
        }
        while let Some(done) = running.join_next().await {
            match done.map_err(anyhow::Error::from)? {
                Ok(Outcome::Sent) => pass.sent += 1,
                Ok(Outcome::Failed) => pass.failed += 1,
                Ok(Outcome::Dropped) => pass.dropped += 1,
                Ok(Outcome::Expired) => {}
                Err(err) => tracing::warn!(error = %err, "delivering a page"),
            }
        }
        Ok(pass)
    }

    async fn deliver(
        &self,
        page: &Page,
        notifier: &dyn Notifier,
        claimant: &str,
    ) -> Result<Outcome, ServiceError> {
        // Claimed by the pass; what the page says is read now.
        let stored = self
            .store
            .incident(page.incident_id)
            .await?
            .ok_or(ServiceError::NotFound("incident"))?;
        let incident = stored.incident;
        if page.purpose == PagePurpose::Page && incident.status != Status::Triggered {
            self.store.cancel_page(page.id, claimant).await?;
            return Ok(Outcome::Dropped);
        }
        let result = match page.channel {
            Channel::Email if !notifier.mail_configured() => {
                Err("not sent: mail.smtp is not configured".to_string())
            }
            Channel::Email => {
                let latest = self
                    .store
                    .latest_incident_events(page.incident_id, LATEST as i64)
                    .await?;
                let mail = self.compose(page, &incident, &latest).await?;
                notifier.send_mail(&mail).await
            }
            Channel::Webhook => {
                let body = self.webhook_body(page, &incident);
                notifier.post_webhook(&page.recipient, &body).await
            }
        };
        let at = self.now();
        let to = match page.channel {
            Channel::Webhook => masked_webhook(&page.recipient),
            Channel::Email => page.recipient.clone(),
        };
        let what = match page.purpose {
            PagePurpose::Page if page.round > 0 => {
                format!("level {} page (repeat {})", page.level, page.round)
            }
            PagePurpose::Page => format!("level {} page", page.level),
            PagePurpose::Resolved => "resolved notice".to_string(),
        };
        match result {
            Ok(()) => {
                let detail = format!("{what} sent to {to}");
                self.store.page_sent(page.id, claimant, at, &detail).await?;
                Ok(Outcome::Sent)
            }
            Err(error) if !notifier.mail_configured() && page.channel == Channel::Email => {
                // Without SMTP there is nothing to retry: say so once and drop it.
                let detail = format!("{what} to {to}: {error}");
                self.store
                    .add_incident_event(
                        page.incident_id,
                        at,
                        warden_domain::incident::EntryKind::PageFailed,
                        &page.recipient,
                        &detail,
                    )
                    .await?;
                self.store.cancel_page(page.id, claimant).await?;
                Ok(Outcome::Failed)
            }
            Err(error) => {
                let retry_at = at + retry_after_ms(page.attempts + 1);
                let detail = format!(
                    "{what} to {to} failed (attempt {}): {error}; next try at {}",
                    page.attempts + 1,
                    iso_utc(retry_at)
                );
                tracing::warn!(page = page.id, error = %error, "page not delivered");
                self.store
                    .page_failed(page.id, claimant, at, retry_at, &detail)
                    .await?;
                Ok(Outcome::Failed)
            }
        }
    }

    /// The mail of a page, from the incident as it is now and its latest timeline entries.
    async fn compose(
        &self,
        page: &Page,
        i: &Incident,
        latest: &[TimelineEntry],
    ) -> Result<Mail, ServiceError> {
        let base = self.public_url().trim_end_matches('/');
        let incident_url = format!("{base}/incidents/{}", i.id);
        let ack_url = match page.purpose {
            PagePurpose::Page => Some(format!("{base}/ack/{}", self.ack_token(page).await?)),
            PagePurpose::Resolved => None,
        };
        let state = match i.status {
            Status::Triggered => "TRIGGERED",
            Status::Acknowledged => "ACKNOWLEDGED",
            Status::Resolved => "RESOLVED",
        };
        let subject = format!(
            "[Warden] {state} #{} {}: {}",
            i.id,
            i.severity.as_str(),
            i.title
        );
        let mut facts = vec![
            (
                "Status",
                format!("{} (level {} of the ladder)", i.status.as_str(), i.level),
            ),
            ("Severity", i.severity.as_str().to_string()),
            ("Kind", i.kind.as_str().to_string()),
            ("Agent", i.agent.clone().unwrap_or_else(|| "none".into())),
            (
                "Opened",
                format!("{} by {}", iso_utc(i.opened_at), i.opened_by),
            ),
        ];
        if let (Some(at), Some(by)) = (i.acked_at, &i.acked_by) {
            facts.push(("Acknowledged", format!("{} by {by}", iso_utc(at))));
        }
        if let (Some(at), Some(by)) = (i.resolved_at, &i.resolved_by) {
            facts.push(("Resolved", format!("{} by {by}", iso_utc(at))));
        }
        let latest: Vec<String> = latest
            .iter()
            .rev()
            .map(|e| format!("{} {}: {}", iso_utc(e.at), e.kind.as_str(), e.detail))
            .collect();
        let mut text = format!("{}\n\n", i.title);
        for (name, value) in &facts {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push_str("\nLatest on the timeline:\n");
        for line in &latest {
            text.push_str(&format!("- {line}\n"));
        }
        text.push_str(&format!("\nThe incident: {incident_url}\n"));
        if let Some(ack) = &ack_url {
            text.push_str(&format!(
                "Acknowledge it (stops the escalation): {ack}\n\
                 The link opens a page with a button; only the button acknowledges.\n"
            ));
        }
        text.push_str(&format!(
            "\nYou get this as {} of incident #{}.\n",
            page.recipient, i.id
        ));

        let mut html = format!(
            "<!doctype html><html><body style=\"font-family:sans-serif\">\
             <h2>{}</h2><table>",
            escape(&i.title)
        );
        for (name, value) in &facts {
            html.push_str(&format!(
                "<tr><th align=\"left\">{name}</th><td>{}</td></tr>",
                escape(value)
            ));
        }
        html.push_str("</table><h3>Latest on the timeline</h3><ul>");
        for line in &latest {
            html.push_str(&format!("<li>{}</li>", escape(line)));
        }
        html.push_str(&format!(
            "</ul><p><a href=\"{}\">Open the incident</a></p>",
            escape(&incident_url)
        ));
        if let Some(ack) = &ack_url {
            html.push_str(&format!(
                "<p><a href=\"{}\"><strong>Acknowledge</strong></a> (stops the escalation; \
                 the link opens a page with a button)</p>",
                escape(ack)
            ));
        }
        html.push_str(&format!(
            "<p style=\"color:#666\">You get this as {} of incident #{}.</p></body></html>",
            escape(&page.recipient),
            i.id
        ));
        Ok(Mail {
            to: page.recipient.clone(),
            subject,
            text,
            html,
        })
    }

    /// A Slack-compatible incoming-webhook body.
    fn webhook_body(&self, page: &Page, i: &Incident) -> String {
        let base = self.public_url().trim_end_matches('/');
        let text = format!(
            "[Warden] {} #{} {} ({}): {} <{base}/incidents/{}|open>",
            i.status.as_str(),
            i.id,
            i.severity.as_str(),
            if page.purpose == PagePurpose::Resolved {
                "resolved".to_string()
            } else {
                format!("level {}", page.level)
            },
            i.title,
            i.id
        );
        serde_json::json!({ "text": text, "incident": i }).to_string()
    }
}
