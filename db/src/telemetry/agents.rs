//! The agent registry. The config file is the source of truth for the agents it names;
//! agents registered in the UI and agents seen in traffic (unregistered) live beside them.

use crate::{DbError, Store, with_pool};
use warden_domain::telemetry::{AgentInfo, AgentSource, PiiScanMode};

#[derive(sqlx::FromRow)]
struct AgentRow {
    name: String,
    source: String,
    sdk: Option<String>,
    owner: Option<String>,
    category: Option<String>,
    environment: Option<String>,
    policy: Option<String>,
    description: Option<String>,
    sample_rate: f64,
    pii_scan: String,
    created_at: i64,
    last_seen_at: Option<i64>,
}

impl TryFrom<AgentRow> for AgentInfo {
    type Error = DbError;

    fn try_from(row: AgentRow) -> Result<Self, DbError> {
        Ok(AgentInfo {
            source: AgentSource::parse(&row.source)
                .ok_or_else(|| DbError::Invalid(format!("agent source {:?}", row.source)))?,
            pii_scan: PiiScanMode::parse(&row.pii_scan)
                .ok_or_else(|| DbError::Invalid(format!("pii scan mode {:?}", row.pii_scan)))?,
            name: row.name,
            sdk: row.sdk,
            owner: row.owner,
            category: row.category,
            environment: row.environment,
            policy: row.policy,
            description: row.description,
            sample_rate: row.sample_rate,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
        })
    }
}

const AGENT_COLUMNS: &str = "name, source, sdk, owner, category, environment, policy, \
     description, sample_rate, pii_scan, created_at, last_seen_at";

impl Store {
    /// Every agent, by name.
    pub async fn list_agents(&self) -> Result<Vec<AgentInfo>, DbError> {
        let sql = format!("select {AGENT_COLUMNS} from agents order by name");
        let rows: Vec<AgentRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }

    pub async fn find_agent(&self, name: &str) -> Result<Option<AgentInfo>, DbError> {
        let sql = format!("select {AGENT_COLUMNS} from agents where name = $1");
        let row: Option<AgentRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(name).fetch_optional(pool).await?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// Makes the registry match the config file: its agents are written as it says; agents
    /// the file used to name and no longer does are handed over to the UI, settings kept.
    pub async fn sync_config_agents(&self, agents: &[AgentInfo], now: i64) -> Result<(), DbError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for agent in agents {
                sqlx::query(
                    "insert into agents (name, source, sdk, owner, category, environment, \
                     policy, description, sample_rate, pii_scan, created_at, updated_at) \
                     values ($1, 'config', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                     on conflict (name) do update set source = 'config', sdk = excluded.sdk, \
                     owner = excluded.owner, category = excluded.category, \
                     environment = excluded.environment, policy = excluded.policy, \
                     description = excluded.description, sample_rate = excluded.sample_rate, \
                     pii_scan = excluded.pii_scan, updated_at = excluded.updated_at",
                )
                .bind(&agent.name)
                .bind(&agent.sdk)
                .bind(&agent.owner)
                .bind(&agent.category)
                .bind(&agent.environment)
                .bind(&agent.policy)
                .bind(&agent.description)
                .bind(agent.sample_rate)
                .bind(agent.pii_scan.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let names: Vec<&str> = agents.iter().map(|a| a.name.as_str()).collect();
            let listed: Vec<(String,)> =
                sqlx::query_as("select name from agents where source = 'config'")
                    .fetch_all(&mut *tx)
                    .await?;
            for (name,) in listed.into_iter().filter(|(n,)| !names.contains(&n.as_str())) {
                sqlx::query("update agents set source = 'ui', updated_at = $2 where name = $1")
                    .bind(name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Registers or edits an agent from the UI. Agents the config file names are refused
    /// (`Conflict`); an unregistered agent becomes registered.
    pub async fn save_agent(&self, agent: &AgentInfo, now: i64) -> Result<AgentInfo, DbError> {
        let updated = with_pool!(self, pool => {
            sqlx::query(
                "insert into agents (name, source, sdk, owner, category, environment, policy, \
                 description, sample_rate, pii_scan, created_at, updated_at) \
                 values ($1, 'ui', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                 on conflict (name) do update set source = 'ui', sdk = excluded.sdk, \
                 owner = excluded.owner, category = excluded.category, \
                 environment = excluded.environment, policy = excluded.policy, \
                 description = excluded.description, sample_rate = excluded.sample_rate, \
                 pii_scan = excluded.pii_scan, updated_at = excluded.updated_at \
                 where agents.source <> 'config'",
            )
            .bind(&agent.name)
            .bind(&agent.sdk)
            .bind(&agent.owner)
            .bind(&agent.category)
            .bind(&agent.environment)
            .bind(&agent.policy)
            .bind(&agent.description)
            .bind(agent.sample_rate)
            .bind(agent.pii_scan.as_str())
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if updated == 0 {
            return Err(DbError::Conflict {
                constraint: "agent is defined in the config file".into(),
            });
        }
        self.find_agent(&agent.name).await?.ok_or(DbError::NotFound)
    }

    /// Removes an agent registered in the UI or seen unregistered; its traces stay.
    pub async fn delete_agent(&self, name: &str) -> Result<(), DbError> {
        let source: Option<(String,)> = with_pool!(self, pool => {
            sqlx::query_as("select source from agents where name = $1")
                .bind(name)
                .fetch_optional(pool)
                .await?
        });
        match source {
            None => Err(DbError::NotFound),
            Some((source,)) if source == "config" => Err(DbError::Conflict {
                constraint: "agent is defined in the config file".into(),
            }),
            Some(_) => {
                with_pool!(self, pool => {
                    sqlx::query("delete from agents where name = $1 and source <> 'config'")
                        .bind(name)
                        .execute(pool)
                        .await?;
                });
                Ok(())
            }
        }
    }
}
