//! One chat call: its token counts, latency, provider ids and prompt-cache hits.
//!
//! Token counts are estimated from the very text the call carries (plus the tool schemas the
//! SDK sends alongside), so the numbers on a span fit the messages on it.

use rand::Rng;
use rand::rngs::StdRng;

use crate::fake;
use crate::fleet::AgentProfile;
use crate::models::Model;
use crate::scenario::{Kind, LlmCall, Msg};

/// Token estimate for English text and JSON: about four characters a token.
pub(crate) fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4).max(1)
}

fn msg_tokens(msgs: &[Msg]) -> u64 {
    msgs.iter().map(|m| tokens(&m.plain()) + 4).sum()
}

pub(crate) fn ms(rng: &mut StdRng, (lo, hi): (u32, u32)) -> u64 {
    u64::from(rng.random_range(lo..=hi.max(lo)))
}

pub(crate) fn pick_model(rng: &mut StdRng, agent: &'static AgentProfile) -> &'static Model {
    let total: u32 = agent.models.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (model, weight) in agent.models {
        if roll < *weight {
            return model;
        }
        roll -= weight;
    }
    agent.primary_model()
}

fn response_id(rng: &mut StdRng, model: &Model) -> String {
    match model.provider {
        "openai" => format!("chatcmpl-{}", fake::alnum(rng, 29)),
        "anthropic" => format!("msg_01{}", fake::alnum(rng, 22)),
        "mistral_ai" => fake::hex(rng, 32),
        _ => fake::alnum(rng, 27),
    }
}

pub(crate) fn tool_call_id(rng: &mut StdRng, model: &Model) -> String {
    match model.provider {
        "anthropic" => format!("toolu_01{}", fake::alnum(rng, 22)),
        "mistral_ai" => fake::alnum(rng, 9),
        _ => format!("call_{}", fake::alnum(rng, 24)),
    }
}

pub(crate) struct LlmPlan {
    pub model: &'static Model,
    pub system: String,
    pub system_tokens: u64,
    pub input: Vec<Msg>,
    pub output: Vec<Msg>,
    pub finish_reason: &'static str,
    pub extra_input_tokens: u64,
    pub temperature: Option<f64>,
    pub max_tokens: i64,
    pub expensive: bool,
    /// The call that first reads a huge attachment: slow whatever the model.
    pub digesting: bool,
}

/// Token counts and latency for one chat call, from its text and the model's speed.
pub(crate) fn llm_call(rng: &mut StdRng, plan: LlmPlan) -> (Kind, u64) {
    let model = plan.model;
    let input_tokens = plan.system_tokens + msg_tokens(&plan.input) + plan.extra_input_tokens;
    let mut output_tokens = msg_tokens(&plan.output) + 8;
    if model.reasoning {
        output_tokens += if plan.expensive {
            rng.random_range(800..4000)
        } else {
            rng.random_range(150..1200)
        };
    } else if plan.expensive {
        output_tokens += rng.random_range(600..2500);
    }
    let duration = if plan.digesting {
        rng.random_range(8000..22_000)
    } else {
        let ttft = ms(rng, model.ttft_ms);
        let speed = u64::from(rng.random_range(model.tokens_per_s.0..=model.tokens_per_s.1)).max(1);
        (ttft + input_tokens / 20 + output_tokens * 1000 / speed).clamp(300, 4000)
    };
    let temperature = if model.reasoning {
        None
    } else {
        plan.temperature
    };
    let call = LlmCall {
        model,
        system: plan.system,
        input: plan.input,
        output: plan.output,
        finish_reason: plan.finish_reason,
        input_tokens,
        output_tokens,
        cache_read: 0,
        response_id: response_id(rng, model),
        temperature,
        max_tokens: if plan.expensive {
            8192
        } else {
            plan.max_tokens
        },
        retried: false,
        fault: None,
        cost: model.cost(input_tokens, 0, output_tokens),
    };
    (Kind::Llm(call), duration)
}

/// Prompt caching: once a turn has sent a long prefix, later calls read most of it from cache.
pub(crate) fn apply_prompt_caching(rng: &mut StdRng, steps: &mut [(Kind, u64)]) {
    let mut seen_prefix = false;
    for (kind, _) in steps {
        let Kind::Llm(call) = kind else {
            continue;
        };
        // Providers only cache prompts past a minimum length (1,024 tokens for OpenAI and Anthropic).
        let cacheable = matches!(call.model.provider, "openai" | "anthropic" | "gcp.gemini");
        if cacheable && call.input_tokens >= 1024 && (seen_prefix || rng.random_bool(0.35)) {
            let share = if seen_prefix {
                rng.random_range(0.6..0.92)
            } else {
                rng.random_range(0.3..0.6)
            };
            call.cache_read = ((call.input_tokens as f64 * share) as u64) / 128 * 128;
            call.cost = call
                .model
                .cost(call.input_tokens, call.cache_read, call.output_tokens);
        }
        if call.input_tokens >= 1024 {
            seen_prefix = true;
        }
    }
}
