//! Stored scores, their per-minute sums by agent and name, and the scores of a trace.

use crate::{DbError, Pool, Store, push_in, with_pool};
use sqlx::QueryBuilder;
use std::collections::HashMap;
use warden_domain::metrics::range::{DAY_MS, MINUTE_MS, Resolution, Segment, floor};
use warden_domain::metrics::score::{Score, ScoreSource};

/// A score ready to store.
#[derive(Debug, Clone)]
pub struct ScoreRecord {
    pub trace_id: String,
    pub span_id: Option<String>,
    pub agent: Option<String>,
    pub name: String,
    pub value: Option<f64>,
    pub label: Option<String>,
    pub normalized: Option<f64>,
    pub comment: Option<String>,
    pub source: ScoreSource,
    pub created_by: String,
    pub created_at: i64,
}

/// One agent's numeric scores of one name over one period.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ScoreBucket {
    pub agent: String,
    pub period_start: i64,
    pub name: String,
    pub scores: i64,
    pub total: f64,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    id: i64,
    trace_id: String,
    span_id: Option<String>,
    agent: Option<String>,
    name: String,
    value: Option<f64>,
    label: Option<String>,
    normalized: Option<f64>,
    comment: Option<String>,
    source: String,
    created_by: String,
    created_at: i64,
}

impl From<ScoreRow> for Score {
    fn from(r: ScoreRow) -> Score {
        Score {
            id: r.id,
            trace_id: r.trace_id,
            span_id: r.span_id,
            agent: r.agent,
            name: r.name,
            value: r.value,
            label: r.label,
            normalized: r.normalized,
            comment: r.comment,
            source: ScoreSource::parse(&r.source).unwrap_or(ScoreSource::Human),
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

const COLUMNS: &str = "id, trace_id, span_id, agent, name, value, label, normalized, comment, \
     source, created_by, created_at";

const MINUTE_UPSERT: &str = "insert into score_minutes (agent, minute, name, scores, total, \
     updated_at) values ($1, $2, $3, 1, $4, $5) on conflict (agent, minute, name) do update set \
     scores = score_minutes.scores + 1, total = score_minutes.total + excluded.total, \
     updated_at = excluded.updated_at";

/// The score whose figures are also kept per answering model.
const BY_MODEL: &str = "quality";

/// Adds a `quality` score to its agent's figures for the model that answered the trace (the
/// model call with the most output tokens), within the transaction `$tx` of either engine;
/// nothing when the trace holds no model call.
macro_rules! count_by_model {
    ($tx:expr, $agent:expr, $trace:expr, $created_at:expr, $value:expr, $now:expr) => {{
        let span_ids: Option<String> =
            sqlx::query_scalar("select span_ids from traces where trace_id = $1")
                .bind($trace)
                .fetch_optional(&mut *$tx)
                .await?;
        let ids: Vec<i64> = span_ids
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect();
        let mut answering: Option<(String, Option<String>, i64)> = None;
        for chunk in ids.chunks(500) {
            let mut q = QueryBuilder::new(
                "select model, provider, coalesce(output_tokens, 0) from spans \
                 where kind = 'llm' and model is not null",
            );
            q.push(" and id in (");
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            q.push(")");
            let calls: Vec<(String, Option<String>, i64)> =
                q.build_query_as().fetch_all(&mut *$tx).await?;
            for call in calls {
                if answering.as_ref().is_none_or(|a| call.2 > a.2) {
                    answering = Some(call);
                }
            }
        }
        if let Some((model, provider, _)) = answering {
            sqlx::query(
                "insert into model_quality_days (agent, model, day, provider, scores, total, \
                 updated_at) values ($1, $2, $3, $4, 1, $5, $6) \
                 on conflict (agent, model, day) do update set \
                 scores = model_quality_days.scores + 1, \
                 total = model_quality_days.total + excluded.total, \
                 provider = coalesce(excluded.provider, model_quality_days.provider), \
                 updated_at = excluded.updated_at",
            )
            .bind($agent)
            .bind(&model)
            .bind(floor($created_at, DAY_MS))
            .bind(&provider)
            .bind($value)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

impl Store {
    /// Stores scores in one transaction; those whose agent is known count at once.
    pub async fn insert_scores(
        &self,
        records: &[ScoreRecord],
        now: i64,
    ) -> Result<Vec<Score>, DbError> {
        let sql = format!(
            "insert into scores (trace_id, span_id, agent, name, value, label, normalized, \
             comment, source, created_by, created_at, counted_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning {COLUMNS}"
        );
        let mut out = Vec::new();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for r in records {
                let row: ScoreRow = sqlx::query_as(&sql)
                    .bind(&r.trace_id)
                    .bind(&r.span_id)
                    .bind(&r.agent)
                    .bind(&r.name)
                    .bind(r.value)
                    .bind(&r.label)
                    .bind(r.normalized)
                    .bind(&r.comment)
                    .bind(r.source.as_str())
                    .bind(&r.created_by)
                    .bind(r.created_at)
                    .bind(r.agent.as_ref().map(|_| now))
                    .fetch_one(&mut *tx)
                    .await?;
                if let (Some(agent), Some(v)) = (&r.agent, r.normalized) {
                    sqlx::query(MINUTE_UPSERT)
                        .bind(agent)
                        .bind(floor(r.created_at, MINUTE_MS))
                        .bind(&r.name)
                        .bind(v)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    if r.name == BY_MODEL {
                        count_by_model!(tx, agent, &r.trace_id, r.created_at, v, now);
                    }
                }
                out.push(row.into());
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// The agents of the stored traces among `trace_ids`.
    pub async fn trace_agents(
        &self,
        trace_ids: &[String],
    ) -> Result<HashMap<String, String>, DbError> {
        if trace_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut found = HashMap::new();
        for chunk in trace_ids.chunks(500) {
            let rows: Vec<(String, String)> = match &self.pool {
                Pool::Sqlite(pool) => {
                    let mut q = QueryBuilder::new("select trace_id, agent from traces where true");
                    push_in(&mut q, "trace_id", chunk);
                    q.build_query_as().fetch_all(pool).await?
                }
                Pool::Postgres(pool) => {
                    let mut q = QueryBuilder::new("select trace_id, agent from traces where true");
                    push_in(&mut q, "trace_id", chunk);
                    q.build_query_as().fetch_all(pool).await?
                }
            };
            found.extend(rows);
        }
        Ok(found)
    }

    /// Scores waiting for their trace whose trace has arrived: given its agent and counted
    /// in the minute they were given. Returns how many were counted.
    pub async fn count_waiting_scores(&self, now: i64) -> Result<u64, DbError> {
        // Only those whose trace is stored: the others wait on, without holding these up.
        let waiting: Vec<(i64, String, String, Option<f64>, i64, String)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select s.id, s.trace_id, s.name, s.normalized, s.created_at, s.created_by \
                 from scores s join traces t on t.trace_id = s.trace_id \
                 where s.counted_at is null order by s.created_at limit 1000",
            )
            .fetch_all(pool)
            .await?
        });
        let ids: Vec<String> = waiting.iter().map(|w| w.1.clone()).collect();
        let agents = self.trace_agents(&ids).await?;
        let mut counted = 0;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (id, trace, name, normalized, created_at, created_by) in &waiting {
                let Some(agent) = agents.get(trace) else {
                    continue;
                };
                // Sent with an agent's key for a trace that turned out to be another's:
                // settled without counting.
                let foreign = created_by
                    .strip_prefix("key:")
                    .is_some_and(|key_agent| key_agent != agent);
                let normalized = if foreign { &None } else { normalized };
                // Claimed by the update: a concurrent pass finds it counted already.
                let claimed = sqlx::query(
                    "update scores set agent = $2, counted_at = $3 where id = $1 \
                     and counted_at is null",
                )
                .bind(id)
                .bind(agent)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if claimed == 1 && let Some(v) = normalized {
                    sqlx::query(MINUTE_UPSERT)
                        .bind(agent)
                        .bind(floor(*created_at, MINUTE_MS))
                        .bind(name)
                        .bind(v)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    if name == BY_MODEL {
                        count_by_model!(tx, agent, trace, *created_at, *v, now);
                    }
                }
                counted += claimed;
            }
            tx.commit().await?;
        });
        Ok(counted)
    }

    /// The scores of one trace, oldest first.
    pub async fn scores_of_trace(&self, trace_id: &str) -> Result<Vec<Score>, DbError> {
        let sql =
            format!("select {COLUMNS} from scores where trace_id = $1 order by created_at, id");
        let rows: Vec<ScoreRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(trace_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Numeric scores in `segment` per agent, name and `group_ms` period.
    pub async fn scores_in(
        &self,
        segment: Segment,
        group_ms: i64,
        agents: Option<&[String]>,
    ) -> Result<Vec<ScoreBucket>, DbError> {
        let (table, t, filter) = match segment.resolution {
            Resolution::Minute => ("score_minutes", "minute", ""),
            Resolution::Hour => ("score_rollups", "period_start", "resolution = 'hour' and "),
            Resolution::Day => ("score_rollups", "period_start", "resolution = 'day' and "),
        };
        macro_rules! run {
            ($pool:expr) => {{
                let mut q = QueryBuilder::new(format!("select agent, {t} - ({t} % "));
                q.push_bind(group_ms.max(1))
                    .push(format!(
                        ") as period_start, name, cast(sum(scores) as bigint) as scores, \
                         sum(total) as total from {table} where {filter}{t} >= "
                    ))
                    .push_bind(segment.from)
                    .push(format!(" and {t} < "))
                    .push_bind(segment.to);
                if let Some(agents) = agents {
                    push_in(&mut q, "agent", agents);
                }
                q.push(" group by 1, 2, 3");
                q.build_query_as().fetch_all($pool).await?
            }};
        }
        Ok(match &self.pool {
            Pool::Sqlite(pool) => run!(pool),
            Pool::Postgres(pool) => run!(pool),
        })
    }
}
