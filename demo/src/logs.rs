//! OTLP log records as the agents' logging bridges export them, tied to their traces.
//!
//! Every generated interaction leaves its log lines in a bounded queue; a logs export drains it.
//! That way each record's trace and span ids point at spans that exist, the way a real app's
//! logs correlate with its traces.

use std::collections::VecDeque;

use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value::Value};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs, SeverityNumber};
use opentelemetry_proto::tonic::resource::v1::Resource;

use crate::fleet::fleet;
use crate::otlp::{self, count, int, string};
use crate::scenario::{Kind, Scenario};

const MS: u64 = 1_000_000;

/// Enough for several seconds of fleet traffic; older lines are dropped first, as an SDK's
/// bounded log processor would when the exporter falls behind.
const CAPACITY: usize = 10_000;

/// The `W3C trace flags` sampled bit.
const SAMPLED: u32 = 1;

#[derive(Clone, Copy)]
enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Default)]
pub(crate) struct LogQueue {
    records: VecDeque<(usize, LogRecord)>,
}

impl LogQueue {
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    pub(crate) fn push(&mut self, agent: usize, s: &Scenario) {
        for record in records(s) {
            if self.records.len() == CAPACITY {
                self.records.pop_front();
            }
            self.records.push_back((agent, record));
        }
    }

    pub(crate) fn take(&mut self, n: usize) -> Vec<(usize, LogRecord)> {
        let n = n.min(self.records.len());
        self.records.drain(..n).collect()
    }
}

/// Groups records into one `ResourceLogs` per agent, in fleet order.
pub(crate) fn request(
    records: Vec<(usize, LogRecord)>,
    resources: &[Resource],
) -> ExportLogsServiceRequest {
    let agents = fleet();
    let mut per_agent: Vec<Vec<LogRecord>> = vec![Vec::new(); agents.len()];
    for (agent, record) in records {
        if let Some(bucket) = per_agent.get_mut(agent) {
            bucket.push(record);
        }
    }
    let resource_logs = per_agent
        .into_iter()
        .enumerate()
        .filter(|(_, records)| !records.is_empty())
        .map(|(i, log_records)| ResourceLogs {
            resource: resources.get(i).cloned(),
            scope_logs: vec![ScopeLogs {
                scope: agents.get(i).map(|a| otlp::scope(a.agent_scope)),
                log_records,
                ..Default::default()
            }],
            ..Default::default()
        })
        .collect();
    ExportLogsServiceRequest { resource_logs }
}

fn record(
    s: &Scenario,
    span_id: [u8; 8],
    time: u64,
    level: Level,
    body: String,
    attributes: Vec<KeyValue>,
) -> LogRecord {
    let python = s.agent.language == "python";
    let (number, text) = match (level, python) {
        (Level::Info, true) => (SeverityNumber::Info, "INFO"),
        (Level::Warn, true) => (SeverityNumber::Warn, "WARNING"),
        (Level::Error, true) => (SeverityNumber::Error, "ERROR"),
        (Level::Info, false) => (SeverityNumber::Info, "info"),
        (Level::Warn, false) => (SeverityNumber::Warn, "warn"),
        (Level::Error, false) => (SeverityNumber::Error, "error"),
    };
    let mut attributes = attributes;
    attributes.push(string("gen_ai.conversation.id", s.conversation.id.clone()));
    LogRecord {
        time_unix_nano: time,
        observed_time_unix_nano: time + 2 * MS,
        severity_number: number as i32,
        severity_text: text.to_string(),
        body: Some(AnyValue {
            value: Some(Value::StringValue(body)),
        }),
        attributes,
        flags: SAMPLED,
        trace_id: s.trace_id.to_vec(),
        span_id: span_id.to_vec(),
        ..Default::default()
    }
}

/// The log lines one interaction writes: mostly INFO, WARN for retries and failed or slow
/// tools, ERROR when the model provider fails.
fn records(s: &Scenario) -> Vec<LogRecord> {
    let root = s.root_span_id;
    let mut out = vec![record(
        s,
        root,
        s.start + MS,
        Level::Info,
        format!(
            "Received message (conversation {}, turn {}, channel {})",
            s.conversation.id, s.conversation.turn, s.agent.channel
        ),
        vec![string("gen_ai.agent.name", s.agent.name)],
    )];
    let mut llm_calls = 0;
    let mut tool_calls = 0;
    for step in &s.steps {
        let elapsed_ms = (step.end - step.start) / MS;
        match &step.kind {
            Kind::Retrieval(r) => {
                let top = r.documents.first().map_or(0.0, |(_, score)| *score);
                out.push(record(
                    s,
                    r.retriever_span,
                    step.end,
                    Level::Info,
                    format!(
                        "Retrieved {} documents in {elapsed_ms} ms (top score {top:.2})",
                        r.documents.len()
                    ),
                    vec![],
                ));
            }
            Kind::Llm(call) => {
                llm_calls += 1;
                if call.retried {
                    out.push(record(
                        s,
                        step.span_id,
                        step.start + 250 * MS,
                        Level::Warn,
                        format!(
                            "Rate limited by {} (HTTP 429) for {}; retrying in 1.6 s (attempt 1 of 3)",
                            call.model.provider, call.model.name
                        ),
                        vec![
                            string("gen_ai.provider.name", call.model.provider),
                            string("gen_ai.request.model", call.model.name),
                            int("http.response.status_code", 429),
                        ],
                    ));
                }
                if let Some(fault) = &call.fault {
                    out.push(record(
                        s,
                        step.span_id,
                        step.end,
                        Level::Error,
                        format!(
                            "LLM call to {} ({}) failed after {elapsed_ms} ms: {}",
                            call.model.provider, call.model.name, fault.error_type
                        ),
                        vec![
                            string("error.type", fault.error_type),
                            string("exception.type", fault.exception_type.clone()),
                            string("exception.message", fault.message.clone()),
                        ],
                    ));
                }
            }
            Kind::Tool(tool) => {
                tool_calls += 1;
                let name = tool.tool.name;
                let attributes = vec![
                    string("gen_ai.tool.name", name),
                    count("duration_ms", elapsed_ms),
                ];
                if let Some(fault) = &tool.fault {
                    let mut attributes = attributes;
                    attributes.push(string("error.type", fault.error_type));
                    out.push(record(
                        s,
                        step.span_id,
                        step.end,
                        Level::Warn,
                        format!(
                            "Tool {name} failed ({}): {}; continuing without it",
                            fault.error_type, fault.message
                        ),
                        attributes,
                    ));
                } else if elapsed_ms >= 5000 {
                    out.push(record(
                        s,
                        step.span_id,
                        step.end,
                        Level::Warn,
                        format!("Tool {name} was slow: {:.1} s", elapsed_ms as f64 / 1000.0),
                        attributes,
                    ));
                } else {
                    out.push(record(
                        s,
                        step.span_id,
                        step.end,
                        Level::Info,
                        format!("Tool {name} completed in {elapsed_ms} ms"),
                        attributes,
                    ));
                }
                if name == "escalate_to_human" && tool.fault.is_none() {
                    out.push(record(
                        s,
                        step.span_id,
                        step.end + MS,
                        Level::Info,
                        format!(
                            "Conversation handed off to the {} queue",
                            s.agent.bank.human_queue
                        ),
                        vec![],
                    ));
                }
            }
        }
    }
    let seconds = (s.end - s.start) as f64 / 1e9;
    let end_time = s.end.saturating_sub(MS).max(s.start);
    out.push(match &s.fault {
        Some(fault) => record(
            s,
            root,
            end_time,
            Level::Error,
            format!(
                "Request failed after {seconds:.2} s (error.type={}); sent fallback reply",
                fault.error_type
            ),
            vec![string("error.type", fault.error_type)],
        ),
        None => {
            let input: u64 = s.llm_calls().map(|c| c.input_tokens).sum();
            let output: u64 = s.llm_calls().map(|c| c.output_tokens).sum();
            let cost: f64 = s.llm_calls().map(|c| c.cost).sum();
            record(
                s,
                root,
                end_time,
                Level::Info,
                format!(
                    "Completed in {seconds:.2} s: {llm_calls} LLM calls, {tool_calls} tool calls, {input} input / {output} output tokens, est. ${cost:.4}"
                ),
                vec![
                    count("gen_ai.usage.input_tokens", input),
                    count("gen_ai.usage.output_tokens", output),
                ],
            )
        }
    });
    out
}
