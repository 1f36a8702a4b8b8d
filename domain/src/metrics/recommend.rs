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
pub struct InputPrices {
    pub input: f64,
    pub cache_read: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// `dominant_agent`, `dominant_model`, `failed_calls`, `prompt_cache` or
    /// `oversized_context`.
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

const MONTH_DAYS: f64 = 30.0;

fn money(amount: f64, currency: &str) -> String {
    crate::telemetry::pricing::format_money(amount, currency)
}

/// The recommendations for `calls` over `window_days`, largest saving first, then those
/// without a saving (where the spend goes). `prices` gives a model's input prices.
pub fn recommend(
    calls: &[ModelCalls],
    window_days: f64,
    currency: &str,
    prices: impl Fn(&str) -> Option<InputPrices>,
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
    with_saving.sort_by(|a, b| {
        b.monthly_saving
            .unwrap_or(0.0)
            .total_cmp(&a.monthly_saving.unwrap_or(0.0))
    });
    with_saving.extend(out);
    with_saving
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

    fn gpt4o(_: &str) -> Option<InputPrices> {
        Some(InputPrices {
            input: 2.15,
            cache_read: 1.075,
        })
    }

    #[test]
    fn the_agent_and_model_that_dominate_spend_are_named_without_a_saving() {
        let data = [
            calls("support", "gpt-4o", 10, 5_000, 5_000, 60.0),
            calls("sales", "gpt-4o-mini", 10, 5_000, 5_000, 40.0),
        ];
        let r = recommend(&data, 7.0, "EUR", |_| None);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].kind, "dominant_agent");
        assert!(
            r[0].evidence
                .starts_with("60% of the fleet's spend in the last 7 days")
        );
        assert_eq!(r[1].kind, "dominant_model");
        assert!(r.iter().all(|r| r.monthly_saving.is_none()));
        // One agent alone is not "dominating".
        assert!(recommend(&data[..1], 7.0, "EUR", |_| None).is_empty());
    }

    #[test]
    fn failed_calls_long_uncached_prompts_and_oversized_contexts_carry_a_saving() {
        let mut c = calls("rag", "gpt-4o", 100, 3_000_000, 20_000, 7.0);
        c.failed_calls = 10;
        c.failed_cost = 0.7;
        let r = recommend(&[c], 7.0, "EUR", gpt4o);
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
        assert!(recommend(&[c], 7.0, "EUR", gpt4o).is_empty());
        let mut cached = calls("chat", "gpt-4o", 100, 500_000, 40_000, 1.0);
        cached.cache_read_tokens = 300_000;
        assert!(recommend(&[cached], 7.0, "EUR", gpt4o).is_empty());
    }
}
