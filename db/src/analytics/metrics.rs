//! Reading the rollups: usage and latency buckets of a time segment at one resolution,
//! summed per agent and per period of the caller's choosing. Segments come from
//! [`warden_domain::metrics::range::plan`]; the services add them up.

use super::rollups::summed;
use crate::{DbError, Pool, Store, push_in};
use sqlx::QueryBuilder;
use warden_domain::metrics::range::{Resolution, Segment};

/// One agent's counts over one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct UsageBucket {
    pub agent: String,
    /// The period's start: the segment's times floored to the grouping asked for.
    pub period_start: i64,
    pub spans: i64,
    pub traces: i64,
    pub errors: i64,
    pub error_traces: i64,
    pub llm_calls: i64,
    pub tool_calls: i64,
    pub tool_errors: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_tokens: i64,
    pub cost_micros: i64,
    pub trace_duration_ns: i64,
    pub sampled_out: i64,
}

/// Interactions of one agent (or of all the agents asked for, `None`) over one period
/// whose durations fall in one sketch bucket.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LatencyCount {
    pub agent: Option<String>,
    pub period_start: i64,
    pub bucket: i32,
    pub traces: i64,
}

/// The table, its time column and the filter selecting a resolution's rows.
fn source(resolution: Resolution, usage: bool) -> (&'static str, &'static str, &'static str) {
    match (resolution, usage) {
        (Resolution::Minute, true) => ("usage_minutes", "minute", ""),
        (Resolution::Minute, false) => ("latency_minutes", "minute", ""),
        (Resolution::Hour, true) => ("usage_rollups", "period_start", "resolution = 'hour' and "),
        (Resolution::Hour, false) => (
            "latency_rollups",
            "period_start",
            "resolution = 'hour' and ",
        ),
        (Resolution::Day, true) => ("usage_rollups", "period_start", "resolution = 'day' and "),
        (Resolution::Day, false) => ("latency_rollups", "period_start", "resolution = 'day' and "),
    }
}

/// What a read sums, and by what besides the period.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sum {
    Usage,
    LatencyPerAgent,
    /// The agents' buckets merged by the database: a day of ten agents is ~750 rows
    /// per agent and bucket but ~100 for the fleet, and decoding rows is what costs.
    LatencyOfAll,
}

/// `select ... from T where [res and] t >= from and t < to [and agent in (..)]`, grouped.
fn build<'a, DB: sqlx::Database>(
    segment: Segment,
    group_ms: i64,
    agents: Option<&'a [String]>,
    sum: Sum,
) -> QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let (table, t, filter) = source(segment.resolution, sum == Sum::Usage);
    let values = if sum == Sum::Usage {
        summed()
    } else {
        "bucket, cast(sum(traces) as bigint) as traces".to_string()
    };
    let agent = if sum == Sum::LatencyOfAll {
        "cast(null as text) as agent"
    } else {
        "agent"
    };
    // Our own names only are spliced; the values are bound.
    let mut query = QueryBuilder::new(format!("select {agent}, {t} - ({t} % "));
    query
        .push_bind(group_ms.max(1))
        .push(format!(
            ") as period_start, {values} from {table} where {filter}{t} >= "
        ))
        .push_bind(segment.from)
        .push(format!(" and {t} < "))
        .push_bind(segment.to);
    if let Some(agents) = agents {
        push_in(&mut query, "agent", agents);
    }
    query.push(match sum {
        Sum::Usage => " group by 1, 2",
        Sum::LatencyPerAgent => " group by 1, 2, 3",
        Sum::LatencyOfAll => " group by 2, 3",
    });
    query
}

impl Store {
    /// Usage in `segment`, per agent and per `group_ms` period (floored from the epoch);
    /// only `agents` when given.
    pub async fn usage_in(
        &self,
        segment: Segment,
        group_ms: i64,
        agents: Option<&[String]>,
    ) -> Result<Vec<UsageBucket>, DbError> {
        Ok(match &self.pool {
            Pool::Sqlite(pool) => {
                build(segment, group_ms, agents, Sum::Usage)
                    .build_query_as()
                    .fetch_all(pool)
                    .await?
            }
            Pool::Postgres(pool) => {
                build(segment, group_ms, agents, Sum::Usage)
                    .build_query_as()
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    /// Latency buckets in `segment`, as [`Store::usage_in`] groups them, per agent or
    /// (`per_agent` false) summed over the agents.
    pub async fn latency_in(
        &self,
        segment: Segment,
        group_ms: i64,
        agents: Option<&[String]>,
        per_agent: bool,
    ) -> Result<Vec<LatencyCount>, DbError> {
        let sum = if per_agent {
            Sum::LatencyPerAgent
        } else {
            Sum::LatencyOfAll
        };
        Ok(match &self.pool {
            Pool::Sqlite(pool) => {
                build(segment, group_ms, agents, sum)
                    .build_query_as()
                    .fetch_all(pool)
                    .await?
            }
            Pool::Postgres(pool) => {
                build(segment, group_ms, agents, sum)
                    .build_query_as()
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    /// Agents that sent a span in the minutes of `[from, to)`.
    pub async fn agents_sending(&self, from: i64, to: i64) -> Result<Vec<String>, DbError> {
        let rows: Vec<(String,)> = crate::with_pool!(self, pool => {
            sqlx::query_as(
                "select distinct agent from usage_minutes where minute >= $1 and minute < $2 \
                 and spans > 0 order by agent",
            )
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }
}
