//! Model calls per agent and model over a range, from the hour rows the ingest commit
//! writes, and quality scores per agent and answering model: spend by model on the Cost
//! Center and the evidence of cost recommendations.

use crate::{DbError, Store, push_in, with_pool};

/// One agent's calls of one model over a range.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ModelSpend {
    pub agent: String,
    pub model: String,
    pub calls: i64,
    pub failed_calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_tokens: i64,
    pub cost_micros: i64,
    pub failed_cost_micros: i64,
}

impl Store {
    /// Calls per agent and model of the hours starting in `[from, to)` (the range's ends
    /// fall to their hours), of the agents in `agents` or all.
    pub async fn model_spend(
        &self,
        from: i64,
        to: i64,
        agents: Option<&[String]>,
    ) -> Result<Vec<ModelSpend>, DbError> {
        let hour = 3_600_000;
        let (from, to) = (from.div_euclid(hour) * hour, to);
        Ok(with_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new(
                "select agent, model, \
                 cast(sum(calls) as bigint) as calls, \
                 cast(sum(failed_calls) as bigint) as failed_calls, \
                 cast(sum(input_tokens) as bigint) as input_tokens, \
                 cast(sum(output_tokens) as bigint) as output_tokens, \
                 cast(sum(cache_read_tokens) as bigint) as cache_read_tokens, \
                 cast(sum(cache_write_tokens) as bigint) as cache_write_tokens, \
                 cast(sum(cost_micros) as bigint) as cost_micros, \
                 cast(sum(failed_cost_micros) as bigint) as failed_cost_micros \
                 from model_usage_hours where hour >= ",
            );
            query.push_bind(from).push(" and hour < ").push_bind(to);
            if let Some(agents) = agents {
                push_in(&mut query, "agent", agents);
            }
            query.push(" group by agent, model order by agent, model");
            query.build_query_as().fetch_all(pool).await?
        }))
    }
}

/// One agent's `quality` scores of the traces one model answered, over a range of days.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ModelQualityRow {
    pub agent: String,
    pub model: String,
    pub provider: Option<String>,
    pub scores: i64,
    pub total: f64,
}

impl Store {
    /// Quality scores per agent and answering model given on the UTC days that start in
    /// `[from, to)` (`from` falls to its day).
    pub async fn model_quality(&self, from: i64, to: i64) -> Result<Vec<ModelQualityRow>, DbError> {
        let day = 86_400_000;
        let from = from.div_euclid(day) * day;
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "select agent, model, max(provider) as provider, \
                 cast(sum(scores) as bigint) as scores, sum(total) as total \
                 from model_quality_days where day >= $1 and day < $2 \
                 group by agent, model order by agent, model",
            )
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        }))
    }
}
