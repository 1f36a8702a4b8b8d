//! Acknowledge links in pages: `<page id>.<expiry, Unix seconds>.<signature>`, the
//! signature an HMAC-SHA256 under a key kept in the database (one for all replicas) over
//! the purpose, the page, its incident, its recipient and the expiry. A link acknowledges
//! one incident, for the one person it was sent to, until it expires; opening it only
//! shows the incident (mail scanners open links), its form's POST acknowledges.

use super::{Acknowledged, IncidentDetail};
use crate::{ServiceError, Services};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use warden_domain::User;
use warden_domain::incident::{Page, PagePurpose};

/// How long a link works: longer than any incident should wait, short enough that an
/// old mail found later acknowledges nothing.
const LINK_LIFETIME_MS: i64 = 7 * 24 * 3_600_000;
const PURPOSE: &str = "warden.ack.v1";
const KEY_NAME: &str = "ack_links";

/// What an acknowledge link names, once its signature is checked.
#[derive(Debug, Clone)]
pub struct AckLink {
    pub page: Page,
    pub detail: IncidentDetail,
}

impl Services {
    async fn link_key(&self) -> Result<&[u8], ServiceError> {
        let key = self
            .link_key
            .get_or_try_init(|| async {
                let candidate = hex::encode(crate::random_bytes::<32>()?);
                let stored = self
                    .store
                    .signing_key(KEY_NAME, &candidate, self.now())
                    .await?;
                hex::decode(stored)
                    .map_err(|e| ServiceError::Internal(anyhow::anyhow!("bad link key: {e}")))
            })
            .await?;
        Ok(key)
    }

    fn link_mac(key: &[u8], page: &Page, expires_s: i64) -> Result<Hmac<Sha256>, ServiceError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key)
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("link key: {e}")))?;
        mac.update(
            format!(
                "{PURPOSE}\n{}\n{}\n{}\n{expires_s}",
                page.id, page.incident_id, page.recipient
            )
            .as_bytes(),
        );
        Ok(mac)
    }

    /// The acknowledge link's token for a page.
    pub(crate) async fn ack_token(&self, page: &Page) -> Result<String, ServiceError> {
        let expires_s = (self.now() + LINK_LIFETIME_MS) / 1000;
        let key = self.link_key().await?;
        let signature = Self::link_mac(key, page, expires_s)?
            .finalize()
            .into_bytes();
        Ok(format!(
            "{}.{expires_s}.{}",
            page.id,
            hex::encode(signature)
        ))
    }

    /// Checks a link's token: well formed, signed by Warden for that page's recipient, not
    /// expired. Every refusal reads the same, so a forger learns nothing from it.
    pub async fn open_ack_link(&self, token: &str) -> Result<AckLink, ServiceError> {
        let refused = || ServiceError::Forbidden("this link is not valid or has expired".into());
        let mut parts = token.splitn(3, '.');
        let (Some(id), Some(expires), Some(signature)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(refused());
        };
        let (Ok(id), Ok(expires_s), Ok(signature)) = (
            id.parse::<i64>(),
            expires.parse::<i64>(),
            hex::decode(signature),
        ) else {
            return Err(refused());
        };
        let page = self.store.page(id).await?.ok_or_else(refused)?;
        if page.purpose != PagePurpose::Page {
            return Err(refused());
        }
        let key = self.link_key().await?;
        Self::link_mac(key, &page, expires_s)?
            .verify_slice(&signature)
            .map_err(|_| refused())?;
        if expires_s * 1000 < self.now() {
            return Err(refused());
        }
        // A link mailed to someone whose account was disabled since is theirs no more.
        let users = self.store.list_users().await?;
        let disabled = User::by_email(&users, &page.recipient).is_some_and(|u| u.disabled);
        if disabled {
            return Err(refused());
        }
        let detail = self.detail_of(page.incident_id).await?;
        Ok(AckLink { page, detail })
    }

    /// Acknowledges the incident of a link (its form's POST), as the page's recipient.
    /// A second use, or one after the incident was resolved, changes nothing.
    pub async fn acknowledge_by_link(&self, token: &str) -> Result<Acknowledged, ServiceError> {
        let link = self.open_ack_link(token).await?;
        let by = link.page.recipient.clone();
        self.acknowledge_as(
            link.page.incident_id,
            &by,
            &format!("acknowledged by {by} from the link in their page"),
        )
        .await
    }
}
