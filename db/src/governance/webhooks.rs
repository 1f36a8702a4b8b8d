//! Agents' control webhooks: where to POST control changes and pings, with the secret that
//! signs them, and how the last delivery went.

use crate::{DbError, Store, with_pool};
use warden_domain::control::AgentWebhook;

#[derive(sqlx::FromRow)]
struct WebhookRow {
    agent: String,
    url: String,
    secret: String,
    created_at: i64,
    created_by: String,
    last_delivery_at: Option<i64>,
    last_ok_at: Option<i64>,
    last_error: Option<String>,
}

impl WebhookRow {
    fn split(self) -> (AgentWebhook, String) {
        (
            AgentWebhook {
                agent: self.agent,
                url: self.url,
                created_at: self.created_at,
                created_by: self.created_by,
                last_delivery_at: self.last_delivery_at,
                last_ok_at: self.last_ok_at,
                last_error: self.last_error,
            },
            self.secret,
        )
    }
}

const COLUMNS: &str =
    "agent, url, secret, created_at, created_by, last_delivery_at, last_ok_at, last_error";

impl Store {
    /// Registers (or replaces) an agent's webhook.
    pub async fn set_agent_webhook(
        &self,
        agent: &str,
        url: &str,
        secret: &str,
        by: &str,
        now: i64,
    ) -> Result<AgentWebhook, DbError> {
        let sql = format!(
            "insert into agent_webhooks (agent, url, secret, created_at, created_by) \
             values ($1, $2, $3, $4, $5) on conflict (agent) do update set url = excluded.url, \
             secret = excluded.secret, created_at = excluded.created_at, \
             created_by = excluded.created_by, last_delivery_at = null, last_ok_at = null, \
             last_error = null returning {COLUMNS}"
        );
        let row: WebhookRow = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(agent)
                .bind(url)
                .bind(secret)
                .bind(now)
                .bind(by)
                .fetch_one(pool)
                .await?
        });
        Ok(row.split().0)
    }

    /// The agent's webhook and its secret.
    pub async fn agent_webhook(
        &self,
        agent: &str,
    ) -> Result<Option<(AgentWebhook, String)>, DbError> {
        let sql = format!("select {COLUMNS} from agent_webhooks where agent = $1");
        let row: Option<WebhookRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(agent).fetch_optional(pool).await?
        });
        Ok(row.map(WebhookRow::split))
    }

    /// Every webhook with its secret, for the pings.
    pub async fn agent_webhooks(&self) -> Result<Vec<(AgentWebhook, String)>, DbError> {
        let sql = format!("select {COLUMNS} from agent_webhooks order by agent");
        let rows: Vec<WebhookRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(WebhookRow::split).collect())
    }

    /// Removes the agent's webhook; whether there was one.
    pub async fn delete_agent_webhook(&self, agent: &str) -> Result<bool, DbError> {
        let n = with_pool!(self, pool => {
            sqlx::query("delete from agent_webhooks where agent = $1")
                .bind(agent)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }

    /// Records how a delivery went: `error` is `None` when the agent answered 2xx.
    pub async fn record_webhook_delivery(
        &self,
        agent: &str,
        now: i64,
        error: Option<&str>,
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "update agent_webhooks set last_delivery_at = $2, \
                 last_ok_at = case when $3 is null then $2 else last_ok_at end, \
                 last_error = $3 where agent = $1",
            )
            .bind(agent)
            .bind(now)
            .bind(error)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
