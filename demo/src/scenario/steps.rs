//! The steps of an interaction in order, each with its duration: retrieval, an optional router
//! call, model calls with their tool rounds, and the final answer.

use rand::Rng;
use rand::rngs::StdRng;

use super::content::{Content, PlannedTool};
use super::{Conversation, Kind, Msg, Part, Retrieval, ToolCall};
use crate::fleet::AgentProfile;
use crate::llm::{LlmPlan, llm_call, ms, pick_model, tokens, tool_call_id};
use crate::models::Model;
use crate::otlp;
use crate::text::Document;

/// OpenInference agents look up their documentation before answering, most of the time.
fn retrieve(rng: &mut StdRng, documents: &'static [Document], query: &str) -> Option<Retrieval> {
    if documents.is_empty() || !rng.random_bool(0.7) {
        return None;
    }
    let n = rng.random_range(2..=3).min(documents.len());
    let mut found: Vec<(&'static Document, f64)> = Vec::new();
    while found.len() < n {
        let doc = &documents[rng.random_range(0..documents.len())];
        if !found.iter().any(|(d, _)| d.id == doc.id) {
            found.push((doc, rng.random_range(0.62..0.91)));
        }
    }
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    Some(Retrieval {
        query: query.to_string(),
        documents: found,
        retriever_span: otlp::span_id(rng),
        embedding_span: otlp::span_id(rng),
        embedding_ms: rng.random_range(30..150),
    })
}

/// Tool calls grouped into rounds: a model sometimes asks for two tools at once.
fn rounds(rng: &mut StdRng, tools: Vec<PlannedTool>) -> Vec<Vec<PlannedTool>> {
    let mut rounds: Vec<Vec<PlannedTool>> = Vec::new();
    for planned in tools {
        match rounds.last_mut() {
            Some(round) if round.len() < 2 && round[0].fault.is_none() && rng.random_bool(0.3) => {
                round.push(planned)
            }
            _ => rounds.push(vec![planned]),
        }
    }
    rounds
}

/// A cheap first call that classifies the request, as routing agents do.
fn router_call(
    rng: &mut StdRng,
    agent: &AgentProfile,
    router: &'static Model,
    intent: &str,
    user_text: &str,
) -> (Kind, u64) {
    let keys: Vec<&str> = agent.bank.intents.iter().map(|i| i.key).collect();
    let system = format!(
        "You route messages for the {}. Classify the user's latest message into exactly one intent from this list: {}, human_request. Use human_request whenever the user asks for a person, and other if nothing fits. Reply with JSON only, for example {{\"intent\":\"{}\",\"confidence\":0.93}}, and no prose.",
        agent.name,
        keys.join(", "),
        keys.first().copied().unwrap_or("other")
    );
    let output = format!(
        "{{\"intent\":\"{intent}\",\"confidence\":{:.2}}}",
        rng.random_range(0.78..0.99)
    );
    llm_call(
        rng,
        LlmPlan {
            model: router,
            system_tokens: tokens(&system),
            system,
            input: vec![Msg::text("user", user_text.to_string())],
            output: vec![Msg::text("assistant", output)],
            finish_reason: router.finish_reasons().0,
            extra_input_tokens: 0,
            temperature: Some(0.0),
            max_tokens: 64,
            expensive: false,
            digesting: false,
        },
    )
}

/// The steps in order, each with its duration in milliseconds: retrieval, an optional router
/// call, one model call per tool round followed by its tools, and the final answer.
pub(super) fn plan_steps(
    rng: &mut StdRng,
    agent: &'static AgentProfile,
    conversation: &Conversation,
    content: Content,
    expensive: bool,
) -> Vec<(Kind, u64)> {
    let bank = agent.bank;
    let answer = content.answer(&content.body);
    let retrieval = retrieve(rng, bank.documents, &content.user_text);
    let rounds = rounds(rng, content.tools);
    let use_router = agent.router.is_some() && rounds.len() < 3 && rng.random_bool(0.3);
    let temperature = match agent.category {
        "customer_facing" => Some(0.3),
        _ if agent.name == "marketing-content-agent" => Some(0.8),
        _ => Some(0.1),
    };
    // The SDK sends every tool's JSON schema with each call; about 90 tokens a tool.
    let system_tokens = tokens(bank.system) + 90 * bank.tools.len() as u64;

    let mut transcript: Vec<Msg> = Vec::new();
    for (user, assistant) in &conversation.history {
        transcript.push(Msg::text("user", user.clone()));
        transcript.push(Msg::text("assistant", assistant.clone()));
    }
    let mut steps: Vec<(Kind, u64)> = Vec::new();
    if let Some(r) = retrieval {
        let context: Vec<String> = r
            .documents
            .iter()
            .map(|(d, _)| format!("[{}] {}", d.id, d.content))
            .collect();
        transcript.push(Msg::text(
            "system",
            format!("Context information:\n{}", context.join("\n")),
        ));
        let duration = r.embedding_ms + rng.random_range(20..180) + 6;
        steps.push((Kind::Retrieval(r), duration));
    }
    transcript.push(Msg::text("user", content.user_text.clone()));
    if let (true, Some(router)) = (use_router, agent.router) {
        steps.push(router_call(
            rng,
            agent,
            router,
            content.intent,
            &content.user_text,
        ));
    }

    let choose_model = |rng: &mut StdRng| {
        if expensive {
            agent.expensive
        } else {
            pick_model(rng, agent)
        }
    };
    // Only the first call over a huge attachment pays the full prefill; later ones hit the cache.
    let mut digesting = expensive;
    let mut main_call = |rng: &mut StdRng, model: &'static Model, input: Vec<Msg>, output: Msg| {
        let calls_tools = output
            .parts
            .iter()
            .any(|p| matches!(p, Part::ToolCall { .. }));
        let (stop, tool_use) = model.finish_reasons();
        let call = llm_call(
            rng,
            LlmPlan {
                model,
                system: bank.system.to_string(),
                system_tokens,
                input,
                output: vec![output],
                finish_reason: if calls_tools { tool_use } else { stop },
                extra_input_tokens: content.attachment_tokens,
                temperature,
                max_tokens: 1024,
                expensive,
                digesting,
            },
        );
        digesting = false;
        call
    };

    for round in rounds {
        // Call ids are in the provider's format, so the model is chosen first.
        let model = choose_model(rng);
        let ids: Vec<String> = round.iter().map(|_| tool_call_id(rng, model)).collect();
        let request = Msg {
            role: "assistant",
            parts: round
                .iter()
                .zip(&ids)
                .map(|(t, id)| Part::ToolCall {
                    id: id.clone(),
                    name: t.tool.name,
                    arguments: t.arguments.clone(),
                })
                .collect(),
        };
        let call = main_call(rng, model, transcript.clone(), request.clone());
        steps.push(call);
        transcript.push(request);
        let mut results = Vec::new();
        for (planned, id) in round.into_iter().zip(ids) {
            let (fault, duration) = match planned.fault {
                Some((fault, duration)) => (Some(fault), duration),
                None => (None, ms(rng, planned.tool.latency_ms)),
            };
            results.push(Part::ToolResult {
                id: id.clone(),
                result: planned.result.clone(),
            });
            let tool = ToolCall {
                tool: planned.tool,
                call_id: id,
                arguments: planned.arguments,
                result: planned.result,
                fault,
            };
            steps.push((Kind::Tool(tool), duration));
        }
        transcript.push(Msg {
            role: "tool",
            parts: results,
        });
    }
    let model = choose_model(rng);
    let call = main_call(rng, model, transcript, Msg::text("assistant", answer));
    steps.push(call);
    steps
}
