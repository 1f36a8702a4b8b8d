//! The model catalogue: which provider serves each model, what it costs and how fast it answers.
//!
//! Prices are list prices in USD per million tokens as published by the providers in 2025; they
//! only need to be right in proportion, so that cost charts rank agents the way real ones would.

/// One chat model as the agents call it.
#[derive(Debug)]
pub(crate) struct Model {
    /// The name sent in the request (`gen_ai.request.model`).
    pub name: &'static str,
    /// `gen_ai.provider.name` as the semantic conventions spell it.
    pub provider: &'static str,
    /// The dated snapshot the provider reports back (`gen_ai.response.model`).
    pub response_model: &'static str,
    pub input_per_mtok: f64,
    pub cached_per_mtok: f64,
    pub output_per_mtok: f64,
    /// Time to first token, in milliseconds.
    pub ttft_ms: (u32, u32),
    /// Output speed in tokens per second.
    pub tokens_per_s: (u32, u32),
    /// Reasoning models bill hidden reasoning tokens as output.
    pub reasoning: bool,
}

impl Model {
    /// Cost in USD of one call; cached input is billed at the cache rate.
    pub(crate) fn cost(&self, input: u64, cache_read: u64, output: u64) -> f64 {
        let fresh = input.saturating_sub(cache_read) as f64;
        (fresh * self.input_per_mtok
            + cache_read as f64 * self.cached_per_mtok
            + output as f64 * self.output_per_mtok)
            / 1_000_000.0
    }

    /// The host the provider's SDK talks to (`server.address`).
    pub(crate) fn server_address(&self) -> &'static str {
        match self.provider {
            "openai" => "api.openai.com",
            "anthropic" => "api.anthropic.com",
            "gcp.gemini" => "generativelanguage.googleapis.com",
            "mistral_ai" => "api.mistral.ai",
            _ => "localhost",
        }
    }

    /// The provider's finish reason for a final answer and for a turn that calls tools.
    pub(crate) fn finish_reasons(&self) -> (&'static str, &'static str) {
        match self.provider {
            "anthropic" => ("end_turn", "tool_use"),
            "gcp.gemini" => ("STOP", "STOP"),
            _ => ("stop", "tool_calls"),
        }
    }
}

pub(crate) const GPT_4O: Model = Model {
    name: "gpt-4o",
    provider: "openai",
    response_model: "gpt-4o-2024-08-06",
    input_per_mtok: 2.50,
    cached_per_mtok: 1.25,
    output_per_mtok: 10.00,
    ttft_ms: (350, 900),
    tokens_per_s: (70, 110),
    reasoning: false,
};

pub(crate) const GPT_4O_MINI: Model = Model {
    name: "gpt-4o-mini",
    provider: "openai",
    response_model: "gpt-4o-mini-2024-07-18",
    input_per_mtok: 0.15,
    cached_per_mtok: 0.075,
    output_per_mtok: 0.60,
    ttft_ms: (250, 600),
    tokens_per_s: (100, 160),
    reasoning: false,
};

pub(crate) const GPT_41: Model = Model {
    name: "gpt-4.1",
    provider: "openai",
    response_model: "gpt-4.1-2025-04-14",
    input_per_mtok: 2.00,
    cached_per_mtok: 0.50,
    output_per_mtok: 8.00,
    ttft_ms: (400, 950),
    tokens_per_s: (60, 100),
    reasoning: false,
};

pub(crate) const GPT_41_MINI: Model = Model {
    name: "gpt-4.1-mini",
    provider: "openai",
    response_model: "gpt-4.1-mini-2025-04-14",
    input_per_mtok: 0.40,
    cached_per_mtok: 0.10,
    output_per_mtok: 1.60,
    ttft_ms: (250, 650),
    tokens_per_s: (90, 150),
    reasoning: false,
};

pub(crate) const O3_MINI: Model = Model {
    name: "o3-mini",
    provider: "openai",
    response_model: "o3-mini-2025-01-31",
    input_per_mtok: 1.10,
    cached_per_mtok: 0.55,
    output_per_mtok: 4.40,
    ttft_ms: (900, 2200),
    tokens_per_s: (120, 190),
    reasoning: true,
};

pub(crate) const CLAUDE_SONNET_45: Model = Model {
    name: "claude-sonnet-4-5",
    provider: "anthropic",
    response_model: "claude-sonnet-4-5-20250929",
    input_per_mtok: 3.00,
    cached_per_mtok: 0.30,
    output_per_mtok: 15.00,
    ttft_ms: (500, 1200),
    tokens_per_s: (50, 80),
    reasoning: false,
};

pub(crate) const CLAUDE_HAIKU_45: Model = Model {
    name: "claude-haiku-4-5",
    provider: "anthropic",
    response_model: "claude-haiku-4-5-20251001",
    input_per_mtok: 1.00,
    cached_per_mtok: 0.10,
    output_per_mtok: 5.00,
    ttft_ms: (300, 700),
    tokens_per_s: (100, 160),
    reasoning: false,
};

pub(crate) const CLAUDE_OPUS_41: Model = Model {
    name: "claude-opus-4-1",
    provider: "anthropic",
    response_model: "claude-opus-4-1-20250805",
    input_per_mtok: 15.00,
    cached_per_mtok: 1.50,
    output_per_mtok: 75.00,
    ttft_ms: (800, 1700),
    tokens_per_s: (30, 50),
    reasoning: false,
};

pub(crate) const GEMINI_25_PRO: Model = Model {
    name: "gemini-2.5-pro",
    provider: "gcp.gemini",
    response_model: "gemini-2.5-pro",
    input_per_mtok: 1.25,
    cached_per_mtok: 0.31,
    output_per_mtok: 10.00,
    ttft_ms: (700, 1800),
    tokens_per_s: (60, 100),
    reasoning: false,
};

pub(crate) const GEMINI_25_FLASH: Model = Model {
    name: "gemini-2.5-flash",
    provider: "gcp.gemini",
    response_model: "gemini-2.5-flash",
    input_per_mtok: 0.30,
    cached_per_mtok: 0.075,
    output_per_mtok: 2.50,
    ttft_ms: (250, 600),
    tokens_per_s: (150, 250),
    reasoning: false,
};

pub(crate) const MISTRAL_LARGE: Model = Model {
    name: "mistral-large-latest",
    provider: "mistral_ai",
    response_model: "mistral-large-2411",
    input_per_mtok: 2.00,
    cached_per_mtok: 2.00,
    output_per_mtok: 6.00,
    ttft_ms: (400, 900),
    tokens_per_s: (45, 70),
    reasoning: false,
};

pub(crate) const MISTRAL_SMALL: Model = Model {
    name: "mistral-small-latest",
    provider: "mistral_ai",
    response_model: "mistral-small-2503",
    input_per_mtok: 0.10,
    cached_per_mtok: 0.10,
    output_per_mtok: 0.30,
    ttft_ms: (200, 500),
    tokens_per_s: (120, 180),
    reasoning: false,
};
