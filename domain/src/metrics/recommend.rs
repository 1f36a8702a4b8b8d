//! Cost recommendations derived from a window of model calls per agent and model: where
//! the spend goes, what failed calls cost, prompts that could come from the provider's
//! cache, and contexts far larger than their answers. Each comes with its evidence and,
//! where the price table allows, an estimated monthly saving (the window scaled to 30 days).

use serde::{Deserialize, Serialize};

/// An agent's calls of one model over the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelCalls {
    pub agent: String,
    pub model: String,
    pub calls: i64,
    pub failed_calls: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cache_read_tokens: i64,
    pub cost: f64,
    pub failed_cost: f64,
}

/// A model's prices per million tokens, in the configured currency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrices {
    pub input: f64,
    pub cache_read: f64,
    pub output: f64,
}

/// An agent's `quality` scores of the interactions one model answered, over the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelQuality {
    pub agent: String,
    pub model: String,
    pub provider: Option<String>,
    pub scores: i64,
    /// Mean quality, 0 to 1.
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `dominant_agent`, `dominant_model`, `failed_calls`, `prompt_cache`,
    /// `oversized_context` or `cheaper_model`.
    pub kind: String,
    pub title: String,
    pub agent: Option<String>,
    pub model: Option<String>,
    /// The figures it rests on, for people.
    pub evidence: String,
    /// In the configured currency per month; none where nothing is saved by itself.
    pub monthly_saving: Option<f64>,
}

/// An agent or a model with this share of the spend dominates it.
pub const DOMINANT_AGENT_SHARE: f64 = 0.4;
pub const DOMINANT_MODEL_SHARE: f64 = 0.5;
/// Failed calls are worth a look from this share of an agent's calls.
pub const FAILED_SHARE: f64 = 0.05;
/// Prompts this long (input tokens per call) can be cached by the providers (OpenAI and
/// Anthropic cache from 1,024 tokens).
pub const CACHEABLE_PROMPT: f64 = 1_024.0;
/// Under this share of input read from the cache, caching is low.
pub const LOW_CACHE_SHARE: f64 = 0.1;
/// The share of a long prompt assumed cacheable (its stable instructions and tools).
pub const CACHEABLE_SHARE: f64 = 0.5;
/// A context this long per call, and this many times its answer, is oversized.
pub const OVERSIZED_CONTEXT: f64 = 16_000.0;
pub const CONTEXT_TO_ANSWER: f64 = 50.0;
/// The share of an oversized context assumed trimmable.
pub const TRIMMABLE_SHARE: f64 = 0.5;

/// Quality scores needed on each of two models before they are compared.
pub const MIN_QUALITY_SCORES: i64 = 30;
/// A cheaper model whose mean quality is at most this much lower is comparable.
pub const QUALITY_MARGIN: f64 = 0.03;
/// A cheaper model is worth naming when the same calls cost at least this share less.
pub const CHEAPER_BY: f64 = 0.3;

const MONTH_DAYS: f64 = 30.0;

fn money(amount: f64, currency: &str) -> String {
    crate::telemetry::pricing::format_money(amount, currency)
}

/// The recommendations for `calls` over `window_days`, largest saving first, then those
/// without a saving (where the spend goes). `quality` holds the agents' quality scores per
/// answering model over the same window; `prices` gives a model's prices.
pub fn recommend(
    calls: &[ModelCalls],
    quality: &[ModelQuality],
    window_days: f64,
    currency: &str,
    prices: impl Fn(&str) -> Option<ModelPrices>,
) -> Vec<Recommendation> {
    let monthly = |amount: f64| amount * MONTH_DAYS / window_days.max(1.0 / 24.0);
    let total: f64 = calls.iter().map(|c| c.cost).sum();
    let mut out = Vec::new();
    if total <= 0.0 {
        return out;
    }
    let window = if (window_days - window_days.round()).abs() < 1e-9 {
        format!("the last {} days", window_days.round())
    } else {
        format!("the last {window_days:.1} days")
    };
    let by = |key: fn(&ModelCalls) -> &str| {
        let mut sums: Vec<(String, f64)> = Vec::new();
        for c in calls {
            match sums.iter_mut().find(|(k, _)| k == key(c)) {
                Some((_, v)) => *v += c.cost,
                None => sums.push((key(c).to_string(), c.cost)),
            }
        }
        sums.sort_by(|a, b| b.1.total_cmp(&a.1));
        sums
    };
    let agents = by(|c| c.agent.as_str());
    let models = by(|c| c.model.as_str());
    if agents.len() > 1 && agents[0].1 / total >= DOMINANT_AGENT_SHARE {
        let (agent, spent) = &agents[0];
        out.push(Recommendation {
            kind: "dominant_agent".into(),
            title: format!("{agent} makes most of the spend: look there first"),
            agent: Some(agent.clone()),
            model: None,
            evidence: format!(
                "{:.0}% of the fleet's spend in {window} ({} of {}), about {} a month",
                spent / total * 100.0,
                money(*spent, currency),
                money(total, currency),
                money(monthly(*spent), currency)
            ),
            monthly_saving: None,
        });
    }
    if models.len() > 1 && models[0].1 / total >= DOMINANT_MODEL_SHARE {
        let (model, spent) = &models[0];
        out.push(Recommendation {
            kind: "dominant_model".into(),
            title: format!("{model} makes most of the spend"),
            agent: None,
            model: Some(model.clone()),
            evidence: format!(
                "{:.0}% of the fleet's spend in {window} ({} of {}): a cheaper model for its \
                 simpler calls saves the most",
                spent / total * 100.0,
                money(*spent, currency),
                money(total, currency)
            ),
            monthly_saving: None,
        });
    }
    let mut with_saving = Vec::new();
    for c in calls.iter().filter(|c| c.calls > 0) {
        let failed_share = c.failed_calls as f64 / c.calls as f64;
        if failed_share >= FAILED_SHARE && c.failed_cost > 0.0 {
            with_saving.push(Recommendation {
                kind: "failed_calls".into(),
                title: format!("{}'s failed {} calls cost money", c.agent, c.model),
                agent: Some(c.agent.clone()),
                model: Some(c.model.clone()),
                evidence: format!(
                    "{} of {} calls failed ({:.1}%) in {window} and cost {}: fix their cause \
                     or stop retrying them",
                    c.failed_calls,
                    c.calls,
                    failed_share * 100.0,
                    money(c.failed_cost, currency)
                ),
                monthly_saving: Some(monthly(c.failed_cost)),
            });
        }
        let per_call = c.input_tokens as f64 / c.calls as f64;
        let cached = if c.input_tokens > 0 {
            c.cache_read_tokens as f64 / c.input_tokens as f64
        } else {
            0.0
        };
        let Some(price) = prices(&c.model) else {
            continue;
        };
        let uncached = (c.input_tokens - c.cache_read_tokens).max(0) as f64;
        if per_call >= CACHEABLE_PROMPT
            && cached < LOW_CACHE_SHARE
            && price.cache_read < price.input
        {
            let movable =
                (CACHEABLE_SHARE * c.input_tokens as f64 - c.cache_read_tokens as f64).max(0.0);
            let saving = movable * (price.input - price.cache_read) / 1e6;
            if saving > 0.0 {
                with_saving.push(Recommendation {
                    kind: "prompt_cache".into(),
                    title: format!("{} could cache its {} prompts", c.agent, c.model),
                    agent: Some(c.agent.clone()),
                    model: Some(c.model.clone()),
                    evidence: format!(
                        "{per_call:.0} input tokens a call over {} calls, {:.1}% read from the \
                         cache; with half of each prompt (instructions and tools first, \
                         unchanged) cached, those tokens cost {} instead of {} per million",
                        c.calls,
                        cached * 100.0,
                        money(price.cache_read, currency),
                        money(price.input, currency)
                    ),
                    monthly_saving: Some(monthly(saving)),
                });
            }
        }
        let out_per_call = c.output_tokens as f64 / c.calls as f64;
        if per_call >= OVERSIZED_CONTEXT && per_call >= CONTEXT_TO_ANSWER * out_per_call.max(1.0) {
            let saving = TRIMMABLE_SHARE * uncached * price.input / 1e6;
            with_saving.push(Recommendation {
                kind: "oversized_context".into(),
                title: format!("{} sends {} very large contexts", c.agent, c.model),
                agent: Some(c.agent.clone()),
                model: Some(c.model.clone()),
                evidence: format!(
                    "{per_call:.0} input tokens a call for {out_per_call:.0} output tokens over {} \
                     calls in {window}: retrieving fewer or shorter passages, or summarising the \
                     history, halves that at no loss in most conversations",
                    c.calls
                ),
                monthly_saving: Some(monthly(saving)),
            });
        }
    }
    with_saving.extend(
        calls
            .iter()
            .filter_map(|c| cheaper_model(c, quality, &prices))
            .map(|(switch, saving)| Recommendation {
                kind: "cheaper_model".into(),
                title: format!(
                    "{} could answer with {} instead of {}",
                    switch.agent, switch.to.model, switch.from.model
                ),
                agent: Some(switch.agent.to_string()),
                model: Some(switch.from.model.clone()),
                evidence: format!(
                    "quality {:.2} on {} ({} scores) against {:.2} on {} ({} scores) in \
                     {window}; {}'s {} calls would have cost {} instead of {} at {}'s prices",
                    switch.to.mean,
                    switch.to.model,
                    switch.to.scores,
                    switch.from.mean,
                    switch.from.model,
                    switch.from.scores,
                    switch.from.model,
                    switch.calls,
                    money(switch.cost - saving, currency),
                    money(switch.cost, currency),
                    switch.to.model
                ),
                monthly_saving: Some(monthly(saving)),
            }),
    );
    with_saving.sort_by(|a, b| {
        b.monthly_saving
            .unwrap_or(0.0)
            .total_cmp(&a.monthly_saving.unwrap_or(0.0))
    });
    with_saving.extend(out);
    with_saving
}

/// A move of one agent's calls from one model to a cheaper one.
struct Switch<'a> {
    agent: &'a str,
    from: &'a ModelQuality,
    to: &'a ModelQuality,
    calls: i64,
    cost: f64,
}

/// The model of the same provider that would have answered `c`'s calls for the least, with
/// quality scores on both models comparable, and what it would have saved over the window.
fn cheaper_model<'a>(
    c: &'a ModelCalls,
    quality: &'a [ModelQuality],
    prices: &impl Fn(&str) -> Option<ModelPrices>,
) -> Option<(Switch<'a>, f64)> {
    let scored = |q: &&ModelQuality| q.agent == c.agent && q.scores >= MIN_QUALITY_SCORES;
    let from = quality.iter().filter(scored).find(|q| q.model == c.model)?;
    let provider = from.provider.as_deref()?;
    let fresh = (c.input_tokens - c.cache_read_tokens).max(0) as f64;
    let priced = |p: ModelPrices| {
        (fresh * p.input
            + c.cache_read_tokens as f64 * p.cache_read
            + c.output_tokens as f64 * p.output)
            / 1e6
    };
    let now = priced(prices(&c.model)?);
    if c.cost <= 0.0 || now <= 0.0 {
        return None;
    }
    quality
        .iter()
        .filter(scored)
        .filter(|q| q.model != c.model && q.provider.as_deref() == Some(provider))
        .filter(|q| q.mean >= from.mean - QUALITY_MARGIN)
        .filter_map(|q| {
            let ratio = priced(prices(&q.model)?) / now;
            (ratio <= 1.0 - CHEAPER_BY).then_some((q, c.cost * (1.0 - ratio)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(to, saving)| {
            (
                Switch {
                    agent: &c.agent,
                    from,
                    to,
                    calls: c.calls,
                    cost: c.cost,
                },
                saving,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(agent: &str, model: &str, n: i64, input: i64, output: i64, cost: f64) -> ModelCalls {
        ModelCalls {
            agent: agent.into(),
            model: model.into(),
            calls: n,
            input_tokens: input,
            output_tokens: output,
            cost,
            ..ModelCalls::default()
        }
    }

    fn gpt4o(_: &str) -> Option<ModelPrices> {
        Some(ModelPrices {
            input: 2.15,
            cache_read: 1.075,
            output: 8.6,
        })
    }

    #[test]
    fn the_agent_and_model_that_dominate_spend_are_named_without_a_saving() {
        let data = [
            calls("support", "gpt-4o", 10, 5_000, 5_000, 60.0),
            calls("sales", "gpt-4o-mini", 10, 5_000, 5_000, 40.0),
        ];
        let r = recommend(&data, &[], 7.0, "EUR", |_| None);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].kind, "dominant_agent");
        assert!(
            r[0].evidence
                .starts_with("60% of the fleet's spend in the last 7 days")
        );
        assert_eq!(r[1].kind, "dominant_model");
        assert!(r.iter().all(|r| r.monthly_saving.is_none()));
        // One agent alone is not "dominating".
        assert!(recommend(&data[..1], &[], 7.0, "EUR", |_| None).is_empty());
    }

    #[test]
    fn failed_calls_long_uncached_prompts_and_oversized_contexts_carry_a_saving() {
        let mut c = calls("rag", "gpt-4o", 100, 3_000_000, 20_000, 7.0);
        c.failed_calls = 10;
        c.failed_cost = 0.7;
        let r = recommend(&[c], &[], 7.0, "EUR", gpt4o);
        let kinds: Vec<&str> = r.iter().map(|r| r.kind.as_str()).collect();
        // 30,000 tokens a call for 200 out: all three; savings scaled from 7 to 30 days.
        assert_eq!(
            kinds,
            ["oversized_context", "prompt_cache", "failed_calls"],
            "{r:?}"
        );
        let saving = |k: &str| {
            r.iter()
                .find(|r| r.kind == k)
                .unwrap()
                .monthly_saving
                .unwrap()
        };
        assert!((saving("failed_calls") - 0.7 * 30.0 / 7.0).abs() < 1e-9);
        // Half of 3 M tokens moved to the cache: 1.5 M x (2.15 - 1.075) per million.
        assert!((saving("prompt_cache") - 1.5 * 1.075 * 30.0 / 7.0).abs() < 1e-9);
        assert!((saving("oversized_context") - 0.5 * 3.0 * 2.15 * 30.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn cached_or_short_prompts_and_rare_failures_raise_nothing() {
        let mut c = calls("chat", "gpt-4o", 100, 80_000, 40_000, 1.0);
        c.failed_calls = 1;
        c.failed_cost = 0.01;
        assert!(recommend(&[c], &[], 7.0, "EUR", gpt4o).is_empty());
        let mut cached = calls("chat", "gpt-4o", 100, 500_000, 40_000, 1.0);
        cached.cache_read_tokens = 300_000;
        assert!(recommend(&[cached], &[], 7.0, "EUR", gpt4o).is_empty());
    }

    fn scored(agent: &str, model: &str, provider: &str, scores: i64, mean: f64) -> ModelQuality {
        ModelQuality {
            agent: agent.into(),
            model: model.into(),
            provider: Some(provider.into()),
            scores,
            mean,
        }
    }

    fn openai(model: &str) -> Option<ModelPrices> {
        match model {
            "gpt-4o" => Some(ModelPrices {
                input: 2.5,
                cache_read: 1.25,
                output: 10.0,
            }),
            "gpt-4o-mini" => Some(ModelPrices {
                input: 0.15,
                cache_read: 0.075,
                output: 0.6,
            }),
            "o3-mini" => Some(ModelPrices {
                input: 1.1,
                cache_read: 0.55,
                output: 4.4,
            }),
            _ => None,
        }
    }

    #[test]
    fn a_cheaper_model_with_comparable_quality_is_named_with_its_saving() {
        // 1 M input and 0.1 M output tokens on gpt-4o: 2.5 + 1.0 = 3.5.
        let data = [calls("support", "gpt-4o", 1000, 1_000_000, 100_000, 3.5)];
        let quality = [
            scored("support", "gpt-4o", "openai", 200, 0.86),
            scored("support", "gpt-4o-mini", "openai", 80, 0.84),
            scored("support", "o3-mini", "openai", 40, 0.90),
        ];
        let r = recommend(&data, &quality, 7.0, "USD", openai);
        let cheaper: Vec<_> = r.iter().filter(|r| r.kind == "cheaper_model").collect();
        assert_eq!(cheaper.len(), 1, "{r:?}");
        // The largest saving wins: gpt-4o-mini's 0.15 + 0.06 = 0.21 against 3.5.
        assert_eq!(
            cheaper[0].title,
            "support could answer with gpt-4o-mini instead of gpt-4o"
        );
        let saving = cheaper[0].monthly_saving.unwrap();
        assert!(
            (saving - (3.5 - 0.21) * 30.0 / 7.0).abs() < 1e-9,
            "{saving}"
        );
        assert!(
            cheaper[0]
                .evidence
                .contains("quality 0.84 on gpt-4o-mini (80 scores)")
        );
    }

    #[test]
    fn no_cheaper_model_without_enough_comparable_scores_of_the_same_provider() {
        let data = [calls("support", "gpt-4o", 1000, 1_000_000, 100_000, 3.5)];
        let none = |quality: &[ModelQuality]| {
            recommend(&data, quality, 7.0, "USD", openai)
                .iter()
                .all(|r| r.kind != "cheaper_model")
        };
        let ours = scored("support", "gpt-4o", "openai", 200, 0.86);
        // Worse by more than the margin.
        assert!(none(&[
            ours.clone(),
            scored("support", "gpt-4o-mini", "openai", 80, 0.80)
        ]));
        // Too few scores on the cheaper model.
        assert!(none(&[
            ours.clone(),
            scored("support", "gpt-4o-mini", "openai", 29, 0.9)
        ]));
        // Another provider's model, or another agent's scores.
        assert!(none(&[
            ours.clone(),
            scored("support", "gpt-4o-mini", "azure", 80, 0.9)
        ]));
        assert!(none(&[
            ours.clone(),
            scored("sales", "gpt-4o-mini", "openai", 80, 0.9)
        ]));
        // No scores on the model in use.
        assert!(none(&[scored("support", "gpt-4o-mini", "openai", 80, 0.9)]));
    }
}
