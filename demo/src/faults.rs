//! Failures as the agents' SDKs record them: model-provider errors that fail an interaction,
//! and tool backends that fail while the agent recovers.
//!
//! The messages and exception types copy what the OpenAI, Anthropic, Gemini and Mistral SDKs
//! raise, so Warden's error grouping sees the strings it will meet in production.

use rand::Rng;
use rand::rngs::StdRng;

use crate::fake;
use crate::fleet::AgentProfile;
use crate::models::Model;
use crate::text::Tool;

/// A failure as the SDK records it on the span.
#[derive(Clone, Debug)]
pub(crate) struct Fault {
    pub error_type: &'static str,
    pub exception_type: String,
    pub message: String,
    pub stacktrace: String,
}

/// A provider failure as the agent's SDK reports it.
pub(crate) fn llm_fault(rng: &mut StdRng, agent: &AgentProfile, model: &Model) -> (Fault, u64) {
    let python = agent.language == "python";
    let anthropic = model.provider == "anthropic";
    let roll = rng.random_range(0..100);
    let (error_type, duration_ms) = match roll {
        0..35 => ("rate_limit_exceeded", rng.random_range(200..2500)),
        35..60 => ("timeout", 30_000 + rng.random_range(0..400)),
        60..80 => ("500", rng.random_range(800..3000)),
        _ if anthropic => ("overloaded_error", rng.random_range(300..1500)),
        _ => ("503", rng.random_range(300..1500)),
    };
    let sdk = match model.provider {
        "openai" => "openai",
        "anthropic" => "anthropic",
        "mistral_ai" => "mistralai",
        _ => "google.genai",
    };
    let class = match error_type {
        "rate_limit_exceeded" => "RateLimitError",
        "timeout" => "APITimeoutError",
        "500" => "InternalServerError",
        "overloaded_error" => "OverloadedError",
        _ => "ServiceUnavailableError",
    };
    let message = match (error_type, model.provider) {
        ("rate_limit_exceeded", "openai") => format!(
            "Error code: 429 - {{'error': {{'message': 'Rate limit reached for {} in organization org-{} on tokens per min (TPM): Limit 800000, Used 799245, Requested {}. Please try again in 85ms.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}}}",
            model.name,
            fake::alnum(rng, 24),
            rng.random_range(900..4000)
        ),
        ("rate_limit_exceeded", "anthropic") => "Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': 'This request would exceed the rate limit for your organization of 400,000 input tokens per minute.'}}".to_string(),
        ("rate_limit_exceeded", "gcp.gemini") => "429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'Resource has been exhausted (e.g. check quota).', 'status': 'RESOURCE_EXHAUSTED'}}".to_string(),
        ("rate_limit_exceeded", _) => "API error occurred: Status 429. Body: {\"message\":\"Requests rate limit exceeded\"}".to_string(),
        ("timeout", _) => "Request timed out after 30.0 seconds.".to_string(),
        ("500", "openai") => "Error code: 500 - {'error': {'message': 'The server had an error while processing your request. Sorry about that!', 'type': 'server_error'}}".to_string(),
        ("500", _) => "Error code: 500 - {'type': 'error', 'error': {'type': 'api_error', 'message': 'Internal server error'}}".to_string(),
        ("overloaded_error", _) => "Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}".to_string(),
        _ => "503 UNAVAILABLE. The model is overloaded. Please try again later.".to_string(),
    };
    let module = agent.name.replace('-', "_");
    let (exception_type, stacktrace) = if python {
        let exception_type = format!("{sdk}.{class}");
        let trace = format!(
            "Traceback (most recent call last):\n  File \"/app/northwind/{module}/runner.py\", line {}, in run_turn\n    response = await self.llm.complete(messages, tools=self.tools)\n  File \"/app/northwind/{module}/llm.py\", line {}, in complete\n    return await self._client.create(**params)\n{exception_type}: {message}",
            rng.random_range(80..240),
            rng.random_range(30..90)
        );
        (exception_type, trace)
    } else {
        let trace = format!(
            "{class}: {message}\n    at APIError.generate (/app/node_modules/{}/error.js:{}:14)\n    at runTurn (/app/dist/{}/runner.js:{}:22)",
            match model.provider {
                "anthropic" => "@anthropic-ai/sdk",
                "openai" => "openai",
                _ => "@google/genai/dist",
            },
            rng.random_range(40..120),
            agent.name,
            rng.random_range(60..300)
        );
        (class.to_string(), trace)
    };
    (
        Fault {
            error_type,
            exception_type,
            message,
            stacktrace,
        },
        duration_ms,
    )
}

/// A tool's backend failing; the agent recovers and tells the user.
pub(crate) fn tool_fault(
    rng: &mut StdRng,
    agent: &AgentProfile,
    tool: &Tool,
) -> (Fault, String, u64) {
    let python = agent.language == "python";
    if rng.random_bool(0.5) {
        let fault = Fault {
            error_type: "timeout",
            exception_type: if python {
                "httpx.ReadTimeout".to_string()
            } else {
                "TimeoutError".to_string()
            },
            message: format!("{} did not respond within 5.0 s", tool.system),
            stacktrace: String::new(),
        };
        let result = r#"{"error":"timeout","after_ms":5000}"#.to_string();
        (fault, result, 5000 + rng.random_range(0..60))
    } else {
        let fault = Fault {
            error_type: "503",
            exception_type: if python {
                "httpx.HTTPStatusError".to_string()
            } else {
                "HTTPError".to_string()
            },
            message: format!(
                "Server error '503 Service Unavailable' from {} (tool {})",
                tool.system, tool.name
            ),
            stacktrace: String::new(),
        };
        let result = r#"{"error":"upstream_unavailable","status":503}"#.to_string();
        (fault, result, rng.random_range(40..400))
    }
}
