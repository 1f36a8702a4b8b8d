//! Spans of one interaction, in the vocabulary of the agent's instrumentation.
//!
//! GenAI agents produce `invoke_agent` → `chat` / `execute_tool` spans as the OpenTelemetry
//! semantic conventions describe them; OpenInference agents produce AGENT → LLM / TOOL / CHAIN →
//! RETRIEVER → EMBEDDING spans as the LlamaIndex instrumentor does. The content is the same
//! scenario either way, which is the point: Warden must read both.

use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::trace::v1::span::{Event, SpanKind};
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use opentelemetry_proto::tonic::trace::v1::{ScopeSpans, Span, Status};

use crate::faults::Fault;
use crate::fleet::Conventions;
use crate::json;
use crate::otlp::{self, count, double, int, string, strings};
use crate::scenario::{Kind, LlmCall, Msg, Part, Retrieval, Scenario, ToolCall};

const MS: u64 = 1_000_000;

/// Marks a span whose parent is known to be local (the OTLP `SpanFlags` context bit).
const PARENT_IS_LOCAL: u32 = 0x100;

struct SpanSpec<'a> {
    id: [u8; 8],
    parent: Option<[u8; 8]>,
    name: String,
    kind: SpanKind,
    start: u64,
    end: u64,
    attributes: Vec<KeyValue>,
    fault: Option<&'a Fault>,
}

fn span(s: &Scenario, spec: SpanSpec<'_>) -> Span {
    let mut attributes = spec.attributes;
    let mut events = Vec::new();
    let mut status = None;
    if let Some(fault) = spec.fault {
        attributes.push(string("error.type", fault.error_type));
        let mut exception = vec![
            string("exception.type", fault.exception_type.clone()),
            string("exception.message", fault.message.clone()),
        ];
        if !fault.stacktrace.is_empty() {
            exception.push(string("exception.stacktrace", fault.stacktrace.clone()));
        }
        events.push(Event {
            time_unix_nano: spec.end.saturating_sub(MS / 2).max(spec.start),
            name: "exception".to_string(),
            attributes: exception,
            dropped_attributes_count: 0,
        });
        status = Some(Status {
            message: fault.message.clone(),
            code: StatusCode::Error as i32,
        });
    }
    Span {
        trace_id: s.trace_id.to_vec(),
        span_id: spec.id.to_vec(),
        parent_span_id: spec.parent.map(|p| p.to_vec()).unwrap_or_default(),
        flags: PARENT_IS_LOCAL,
        name: spec.name,
        kind: spec.kind as i32,
        start_time_unix_nano: spec.start,
        end_time_unix_nano: spec.end,
        attributes,
        events,
        status,
        ..Default::default()
    }
}

/// The spans of `s`, grouped by instrumentation scope as an SDK would export them.
pub(crate) fn scope_spans(s: &Scenario) -> Vec<ScopeSpans> {
    let (agent_spans, llm_spans) = match s.agent.conventions {
        Conventions::GenAi => gen_ai_spans(s),
        Conventions::OpenInference => (open_inference_spans(s), Vec::new()),
    };
    let mut out = vec![ScopeSpans {
        scope: Some(otlp::scope(s.agent.agent_scope)),
        spans: agent_spans,
        ..Default::default()
    }];
    if s.agent.agent_scope == s.agent.llm_scope {
        if let Some(first) = out.first_mut() {
            first.spans.extend(llm_spans);
        }
    } else if !llm_spans.is_empty() {
        out.push(ScopeSpans {
            scope: Some(otlp::scope(s.agent.llm_scope)),
            spans: llm_spans,
            ..Default::default()
        });
    }
    out
}

fn part_json(part: &Part) -> String {
    match part {
        Part::Text(content) => json::object(&[
            ("type", json::string("text")),
            ("content", json::string(content)),
        ]),
        Part::ToolCall {
            id,
            name,
            arguments,
        } => json::object(&[
            ("type", json::string("tool_call")),
            ("id", json::string(id)),
            ("name", json::string(name)),
            ("arguments", arguments.clone()),
        ]),
        Part::ToolResult { id, result } => json::object(&[
            ("type", json::string("tool_call_response")),
            ("id", json::string(id)),
            ("response", result.clone()),
        ]),
    }
}

/// Messages in the GenAI semantic-convention JSON shape; outputs carry a finish reason.
fn messages_json(msgs: &[Msg], finish_reason: Option<&str>) -> String {
    let items: Vec<String> = msgs
        .iter()
        .map(|m| {
            let parts: Vec<String> = m.parts.iter().map(part_json).collect();
            let mut fields = vec![
                ("role", json::string(m.role)),
                ("parts", json::array(&parts)),
            ];
            if let Some(reason) = finish_reason {
                fields.push(("finish_reason", json::string(reason)));
            }
            json::object(&fields)
        })
        .collect();
    json::array(&items)
}

fn gen_ai_spans(s: &Scenario) -> (Vec<Span>, Vec<Span>) {
    let agent = s.agent;
    let primary = agent.primary_model();
    let mut root_attributes = vec![
        string("gen_ai.operation.name", "invoke_agent"),
        string("gen_ai.provider.name", primary.provider),
        string("gen_ai.agent.name", agent.name),
        string("gen_ai.agent.id", agent.agent_id),
        string("gen_ai.agent.description", agent.description),
        string("gen_ai.conversation.id", s.conversation.id.clone()),
        string("gen_ai.request.model", primary.name),
        string(
            "gen_ai.input.messages",
            messages_json(&[text_msg("user", &s.user_text)], None),
        ),
        string(
            "gen_ai.output.messages",
            messages_json(
                &[text_msg("assistant", &s.answer)],
                Some(if s.fault.is_some() { "error" } else { "stop" }),
            ),
        ),
    ];
    if agent.openclaw {
        root_attributes.push(string("openclaw.channel", agent.channel));
        root_attributes.push(string(
            "openclaw.session.key",
            s.conversation.user_id.clone(),
        ));
    }
    let mut agent_spans = vec![span(
        s,
        SpanSpec {
            id: s.root_span_id,
            parent: None,
            name: format!("invoke_agent {}", agent.name),
            kind: if agent.is_customer_facing() {
                SpanKind::Server
            } else {
                SpanKind::Internal
            },
            start: s.start,
            end: s.end,
            attributes: root_attributes,
            fault: s.fault.as_ref(),
        },
    )];
    let mut llm_spans = Vec::new();
    for step in &s.steps {
        match &step.kind {
            Kind::Llm(call) => llm_spans.push(span(
                s,
                SpanSpec {
                    id: step.span_id,
                    parent: Some(s.root_span_id),
                    name: format!("chat {}", call.model.name),
                    kind: SpanKind::Client,
                    start: step.start,
                    end: step.end,
                    attributes: gen_ai_chat_attributes(s, call),
                    fault: call.fault.as_ref(),
                },
            )),
            Kind::Tool(tool) => agent_spans.push(span(
                s,
                SpanSpec {
                    id: step.span_id,
                    parent: Some(s.root_span_id),
                    name: format!("execute_tool {}", tool.tool.name),
                    kind: SpanKind::Internal,
                    start: step.start,
                    end: step.end,
                    attributes: gen_ai_tool_attributes(tool),
                    fault: tool.fault.as_ref(),
                },
            )),
            // GenAI agents keep retrieval inside tools; a retrieval here is written as OpenInference
            // would, so nothing is lost if a bank gains documents.
            Kind::Retrieval(r) => {
                agent_spans.extend(retrieval_spans(s, step.span_id, step.start, step.end, r))
            }
        }
    }
    (agent_spans, llm_spans)
}

fn text_msg(role: &'static str, content: &str) -> Msg {
    Msg {
        role,
        parts: vec![Part::Text(content.to_string())],
    }
}

fn gen_ai_chat_attributes(s: &Scenario, call: &LlmCall) -> Vec<KeyValue> {
    let model = call.model;
    let mut a = vec![
        string("gen_ai.operation.name", "chat"),
        string("gen_ai.provider.name", model.provider),
        string("gen_ai.request.model", model.name),
        int("gen_ai.request.max_tokens", call.max_tokens),
        string("server.address", model.server_address()),
        int("server.port", 443),
        string("gen_ai.conversation.id", s.conversation.id.clone()),
        string(
            "gen_ai.system_instructions",
            json::array(&[json::object(&[
                ("type", json::string("text")),
                ("content", json::string(&call.system)),
            ])]),
        ),
        string("gen_ai.input.messages", messages_json(&call.input, None)),
    ];
    if let Some(t) = call.temperature {
        a.push(double("gen_ai.request.temperature", t));
    }
    if call.fault.is_none() {
        a.push(string("gen_ai.response.id", call.response_id.clone()));
        a.push(string("gen_ai.response.model", model.response_model));
        a.push(strings(
            "gen_ai.response.finish_reasons",
            &[call.finish_reason],
        ));
        a.push(count("gen_ai.usage.input_tokens", call.input_tokens));
        a.push(count("gen_ai.usage.output_tokens", call.output_tokens));
        if call.cache_read > 0 {
            a.push(count(
                "gen_ai.usage.cache_read.input_tokens",
                call.cache_read,
            ));
        }
        a.push(string(
            "gen_ai.output.messages",
            messages_json(&call.output, Some(call.finish_reason)),
        ));
    }
    a
}

fn gen_ai_tool_attributes(tool: &ToolCall) -> Vec<KeyValue> {
    vec![
        string("gen_ai.operation.name", "execute_tool"),
        string("gen_ai.tool.name", tool.tool.name),
        string("gen_ai.tool.type", "function"),
        string("gen_ai.tool.call.id", tool.call_id.clone()),
        string("gen_ai.tool.description", tool.tool.description),
        string("gen_ai.tool.call.arguments", tool.arguments.clone()),
        string("gen_ai.tool.call.result", tool.result.clone()),
    ]
}

fn open_inference_spans(s: &Scenario) -> Vec<Span> {
    let agent = s.agent;
    let metadata = json::object(&[
        ("agent_version", json::string(agent.version)),
        ("turn", s.conversation.turn.to_string()),
        ("intent", json::string(s.intent)),
    ]);
    let root_attributes = vec![
        string("openinference.span.kind", "AGENT"),
        string("agent.name", agent.name),
        string("session.id", s.conversation.id.clone()),
        string("user.id", s.conversation.user_id.clone()),
        string("input.value", s.user_text.clone()),
        string("input.mime_type", "text/plain"),
        string("output.value", s.answer.clone()),
        string("output.mime_type", "text/plain"),
        string("metadata", metadata),
    ];
    let mut spans = vec![span(
        s,
        SpanSpec {
            id: s.root_span_id,
            parent: None,
            name: "AgentWorkflow.run".to_string(),
            kind: SpanKind::Internal,
            start: s.start,
            end: s.end,
            attributes: root_attributes,
            fault: s.fault.as_ref(),
        },
    )];
    for step in &s.steps {
        match &step.kind {
            Kind::Llm(call) => {
                let class = match call.model.provider {
                    "openai" => "OpenAI",
                    "anthropic" => "Anthropic",
                    "mistral_ai" => "MistralAI",
                    _ => "GoogleGenAI",
                };
                spans.push(span(
                    s,
                    SpanSpec {
                        id: step.span_id,
                        parent: Some(s.root_span_id),
                        name: format!("{class}.achat"),
                        kind: SpanKind::Internal,
                        start: step.start,
                        end: step.end,
                        attributes: open_inference_llm_attributes(s, call),
                        fault: call.fault.as_ref(),
                    },
                ));
            }
            Kind::Tool(tool) => spans.push(span(
                s,
                SpanSpec {
                    id: step.span_id,
                    parent: Some(s.root_span_id),
                    name: tool.tool.name.to_string(),
                    kind: SpanKind::Internal,
                    start: step.start,
                    end: step.end,
                    attributes: vec![
                        string("openinference.span.kind", "TOOL"),
                        string("tool.name", tool.tool.name),
                        string("tool.description", tool.tool.description),
                        string("tool.parameters", tool.arguments.clone()),
                        string("input.value", tool.arguments.clone()),
                        string("input.mime_type", "application/json"),
                        string("output.value", tool.result.clone()),
                        string("output.mime_type", "application/json"),
                    ],
                    fault: tool.fault.as_ref(),
                },
            )),
            Kind::Retrieval(r) => {
                spans.extend(retrieval_spans(s, step.span_id, step.start, step.end, r));
            }
        }
    }
    spans
}

/// OpenInference flattens messages into indexed attributes besides the JSON `input.value`.
fn flatten_messages(prefix: &str, msgs: &[Msg], a: &mut Vec<KeyValue>) {
    for (i, m) in msgs.iter().enumerate() {
        let base = format!("{prefix}.{i}.message");
        a.push(string(&format!("{base}.role"), m.role));
        let mut tool_call = 0;
        for part in &m.parts {
            match part {
                Part::Text(t) => a.push(string(&format!("{base}.content"), t.clone())),
                Part::ToolCall {
                    id,
                    name,
                    arguments,
                } => {
                    let tc = format!("{base}.tool_calls.{tool_call}.tool_call");
                    a.push(string(&format!("{tc}.id"), id.clone()));
                    a.push(string(&format!("{tc}.function.name"), *name));
                    a.push(string(
                        &format!("{tc}.function.arguments"),
                        arguments.clone(),
                    ));
                    tool_call += 1;
                }
                Part::ToolResult { id, result } => {
                    a.push(string(&format!("{base}.tool_call_id"), id.clone()));
                    a.push(string(&format!("{base}.content"), result.clone()));
                }
            }
        }
    }
}

/// The OpenAI-style `{"messages": [...]}` body LlamaIndex records as `input.value`.
fn chat_body(system: &str, msgs: &[Msg]) -> String {
    let mut items = vec![json::object(&[
        ("role", json::string("system")),
        ("content", json::string(system)),
    ])];
    items.extend(msgs.iter().map(|m| {
        json::object(&[
            ("role", json::string(m.role)),
            ("content", json::string(&m.plain())),
        ])
    }));
    json::object(&[("messages", json::array(&items))])
}

fn open_inference_llm_attributes(s: &Scenario, call: &LlmCall) -> Vec<KeyValue> {
    let model = call.model;
    let provider = match model.provider {
        "gcp.gemini" => "google",
        "mistral_ai" => "mistralai",
        p => p,
    };
    let mut params = vec![("max_tokens", call.max_tokens.to_string())];
    if let Some(t) = call.temperature {
        params.push(("temperature", format!("{t}")));
    }
    let mut a = vec![
        string("openinference.span.kind", "LLM"),
        string("llm.model_name", model.name),
        string("llm.provider", provider),
        string("llm.system", provider),
        string("llm.invocation_parameters", json::object(&params)),
        string("session.id", s.conversation.id.clone()),
        string("user.id", s.conversation.user_id.clone()),
        string("input.value", chat_body(&call.system, &call.input)),
        string("input.mime_type", "application/json"),
    ];
    let mut all_input = vec![text_msg("system", &call.system)];
    all_input.extend(call.input.iter().cloned());
    flatten_messages("llm.input_messages", &all_input, &mut a);
    if call.fault.is_none() {
        flatten_messages("llm.output_messages", &call.output, &mut a);
        let output = call
            .output
            .iter()
            .map(Msg::plain)
            .collect::<Vec<_>>()
            .join("\n");
        let calls_tools = call
            .output
            .iter()
            .flat_map(|m| m.parts.iter())
            .any(|p| matches!(p, Part::ToolCall { .. }));
        a.push(string("output.value", output));
        a.push(string(
            "output.mime_type",
            if calls_tools {
                "application/json"
            } else {
                "text/plain"
            },
        ));
        a.push(count("llm.token_count.prompt", call.input_tokens));
        a.push(count("llm.token_count.completion", call.output_tokens));
        a.push(count(
            "llm.token_count.total",
            call.input_tokens + call.output_tokens,
        ));
        if call.cache_read > 0 {
            a.push(count(
                "llm.token_count.prompt_details.cache_read",
                call.cache_read,
            ));
        }
        if s.agent.self_reported_cost {
            a.push(double("llm.cost.total", (call.cost * 1e6).round() / 1e6));
        }
    }
    a
}

fn retrieval_spans(
    s: &Scenario,
    chain_id: [u8; 8],
    start: u64,
    end: u64,
    r: &Retrieval,
) -> Vec<Span> {
    let retriever_start = start + 2 * MS;
    let retriever_end = end.saturating_sub(2 * MS).max(retriever_start);
    let embedding_start = retriever_start + MS;
    let embedding_end = (embedding_start + r.embedding_ms * MS).min(retriever_end);
    let ids: Vec<String> = r
        .documents
        .iter()
        .map(|(d, _)| json::string(d.id))
        .collect();
    let mut retriever_attributes = vec![
        string("openinference.span.kind", "RETRIEVER"),
        string("input.value", r.query.clone()),
        string("input.mime_type", "text/plain"),
    ];
    for (i, (doc, score)) in r.documents.iter().enumerate() {
        let base = format!("retrieval.documents.{i}.document");
        retriever_attributes.push(string(&format!("{base}.id"), doc.id));
        retriever_attributes.push(string(&format!("{base}.content"), doc.content));
        retriever_attributes.push(double(
            &format!("{base}.score"),
            (score * 1e4).round() / 1e4,
        ));
    }
    vec![
        span(
            s,
            SpanSpec {
                id: chain_id,
                parent: Some(s.root_span_id),
                name: "RetrieverQueryEngine.retrieve".to_string(),
                kind: SpanKind::Internal,
                start,
                end,
                attributes: vec![
                    string("openinference.span.kind", "CHAIN"),
                    string("input.value", r.query.clone()),
                    string("input.mime_type", "text/plain"),
                    string("output.value", json::array(&ids)),
                    string("output.mime_type", "application/json"),
                ],
                fault: None,
            },
        ),
        span(
            s,
            SpanSpec {
                id: r.retriever_span,
                parent: Some(chain_id),
                name: "VectorIndexRetriever.retrieve".to_string(),
                kind: SpanKind::Internal,
                start: retriever_start,
                end: retriever_end,
                attributes: retriever_attributes,
                fault: None,
            },
        ),
        span(
            s,
            SpanSpec {
                id: r.embedding_span,
                parent: Some(r.retriever_span),
                name: "OpenAIEmbedding.get_query_embedding".to_string(),
                kind: SpanKind::Internal,
                start: embedding_start,
                end: embedding_end,
                attributes: vec![
                    string("openinference.span.kind", "EMBEDDING"),
                    string("embedding.model_name", "text-embedding-3-small"),
                    string("embedding.embeddings.0.embedding.text", r.query.clone()),
                ],
                fault: None,
            },
        ),
    ]
}
