//! Cost recommendations over the last week of model calls and of the quality scores of
//! each model's answers, for those who may see costs.

use crate::{Actor, ServiceError, Services};
use warden_domain::metrics::range::DAY_MS;
use warden_domain::metrics::recommend::{
    ModelCalls, ModelPrices, ModelQuality, Recommendation, recommend,
};
use warden_domain::role::Permission;
use warden_domain::telemetry::TokenUsage;

/// The window recommendations are drawn from: a week, so weekdays and weekends both count.
pub const WINDOW_DAYS: i64 = 7;

impl Services {
    /// Recommendations from the last [`WINDOW_DAYS`] days, largest monthly saving first.
    pub async fn recommendations(
        &self,
        actor: &Actor,
    ) -> Result<Vec<Recommendation>, ServiceError> {
        actor.require(Permission::ViewCosts)?;
        let now = self.now();
        let calls: Vec<ModelCalls> = self
            .store
            .model_spend(now - WINDOW_DAYS * DAY_MS, now + 1, None)
            .await?
            .into_iter()
            .map(|m| ModelCalls {
                agent: m.agent,
                model: m.model,
                calls: m.calls,
                failed_calls: m.failed_calls,
                input_tokens: m.input_tokens,
                output_tokens: m.output_tokens,
                cache_read_tokens: m.cache_read_tokens,
                cost: m.cost_micros as f64 / 1e6,
                failed_cost: m.failed_cost_micros as f64 / 1e6,
            })
            .collect();
        let quality: Vec<ModelQuality> = self
            .store
            .model_quality(now - WINDOW_DAYS * DAY_MS, now + 1)
            .await?
            .into_iter()
            .filter(|q| q.scores > 0)
            .map(|q| ModelQuality {
                mean: q.total / q.scores as f64,
                agent: q.agent,
                model: q.model,
                provider: q.provider,
                scores: q.scores,
            })
            .collect();
        let prices = &self.settings.prices;
        // A million tokens (fresh input, input read from the cache, output) priced by the
        // table: the per-million prices in the configured currency.
        let per_million = |model: &str, usage: TokenUsage| {
            prices
                .cost(model, now, &usage)
                .map(|c| c.micros as f64 / 1e6)
        };
        let million = Some(1_000_000);
        Ok(recommend(
            &calls,
            &quality,
            WINDOW_DAYS as f64,
            self.currency(),
            |model| {
                Some(ModelPrices {
                    input: per_million(
                        model,
                        TokenUsage {
                            input: million,
                            ..TokenUsage::default()
                        },
                    )?,
                    cache_read: per_million(
                        model,
                        TokenUsage {
                            input: million,
                            cache_read: million,
                            ..TokenUsage::default()
                        },
                    )?,
                    output: per_million(
                        model,
                        TokenUsage {
                            output: million,
                            ..TokenUsage::default()
                        },
                    )?,
                })
            },
        ))
    }
}
