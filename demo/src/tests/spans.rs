//! The shape of each trace: span parentage and timing, and the attributes of model, tool and
//! agent spans.

use std::collections::HashMap;

use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;

use super::{attr, int_attr, sample, spans, str_attr};
use crate::json;

#[test]
fn every_span_has_its_parent_in_the_trace_and_lies_within_it() {
    for interaction in sample(11, 2000) {
        let all = spans(&interaction.request);
        assert_eq!(all.len(), interaction.span_count);
        let by_id: HashMap<&[u8], &Span> = all.iter().map(|s| (s.span_id.as_slice(), *s)).collect();
        assert_eq!(by_id.len(), all.len(), "span ids are unique");
        let roots: Vec<&&Span> = all.iter().filter(|s| s.parent_span_id.is_empty()).collect();
        assert_eq!(roots.len(), 1, "one root per trace");
        assert_ne!(interaction.trace_id, [0; 16]);
        for span in &all {
            assert_eq!(span.trace_id, interaction.trace_id.to_vec());
            assert_eq!(span.span_id.len(), 8);
            assert!(span.span_id.iter().any(|b| *b != 0));
            assert!(
                span.start_time_unix_nano <= span.end_time_unix_nano,
                "{}",
                span.name
            );
            if span.parent_span_id.is_empty() {
                continue;
            }
            let parent = by_id.get(span.parent_span_id.as_slice());
            let Some(parent) = parent else {
                panic!("{} has no parent in its trace", span.name);
            };
            assert!(
                parent.start_time_unix_nano <= span.start_time_unix_nano
                    && span.end_time_unix_nano <= parent.end_time_unix_nano,
                "{} escapes {}",
                span.name,
                parent.name
            );
        }
        // Model and tool calls are sequential: siblings under the root never overlap.
        let root_id = &roots[0].span_id;
        let mut children: Vec<&&Span> = all
            .iter()
            .filter(|s| &s.parent_span_id == root_id)
            .collect();
        children.sort_by_key(|s| s.start_time_unix_nano);
        for pair in children.windows(2) {
            assert!(pair[0].end_time_unix_nano <= pair[1].start_time_unix_nano);
        }
    }
}

#[test]
fn every_llm_span_carries_model_and_token_attributes() {
    let mut gen_ai_chats = 0;
    let mut open_inference_llms = 0;
    let mut cached = 0;
    for interaction in sample(12, 1500) {
        for span in spans(&interaction.request) {
            let failed = span
                .status
                .as_ref()
                .is_some_and(|s| s.code == StatusCode::Error as i32);
            if str_attr(span, "gen_ai.operation.name") == Some("chat") {
                gen_ai_chats += 1;
                assert_eq!(span.kind, 3, "chat spans are CLIENT");
                let model = str_attr(span, "gen_ai.request.model").unwrap_or_default();
                assert_eq!(span.name, format!("chat {model}"));
                assert!(
                    ["openai", "anthropic", "gcp.gemini", "mistral_ai"]
                        .contains(&str_attr(span, "gen_ai.provider.name").unwrap_or_default())
                );
                if failed {
                    // A failed call has no usage to report, but it says why it failed.
                    assert!(str_attr(span, "error.type").is_some());
                    assert!(span.events.iter().any(|e| e.name == "exception"));
                    continue;
                }
                assert!(str_attr(span, "gen_ai.response.model").is_some());
                let input = int_attr(span, "gen_ai.usage.input_tokens").unwrap_or(0);
                let output = int_attr(span, "gen_ai.usage.output_tokens").unwrap_or(0);
                assert!(input > 50 && output > 0, "{input}/{output}");
                if let Some(c) = int_attr(span, "gen_ai.usage.cache_read.input_tokens") {
                    assert!(c > 0 && c <= input);
                    cached += 1;
                }
                assert!(matches!(
                    attr(&span.attributes, "gen_ai.response.finish_reasons"),
                    Some(Value::ArrayValue(a)) if a.values.len() == 1
                ));
                for key in [
                    "gen_ai.input.messages",
                    "gen_ai.output.messages",
                    "gen_ai.system_instructions",
                ] {
                    let v = str_attr(span, key).unwrap_or_default();
                    assert!(json::is_valid(v), "{key}: {v}");
                }
            }
            if str_attr(span, "openinference.span.kind") == Some("LLM") {
                open_inference_llms += 1;
                assert!(str_attr(span, "llm.model_name").is_some());
                assert!(str_attr(span, "llm.provider").is_some());
                assert!(json::is_valid(
                    str_attr(span, "input.value").unwrap_or_default()
                ));
                if failed {
                    continue;
                }
                let prompt = int_attr(span, "llm.token_count.prompt").unwrap_or(0);
                let completion = int_attr(span, "llm.token_count.completion").unwrap_or(0);
                assert!(prompt > 50 && completion > 0);
                assert_eq!(
                    int_attr(span, "llm.token_count.total"),
                    Some(prompt + completion)
                );
            }
            if str_attr(span, "gen_ai.operation.name") == Some("execute_tool") {
                assert!(span.name.starts_with("execute_tool "));
                for key in ["gen_ai.tool.call.arguments", "gen_ai.tool.call.result"] {
                    assert!(
                        json::is_valid(str_attr(span, key).unwrap_or_default()),
                        "{key}"
                    );
                }
            }
            if str_attr(span, "gen_ai.operation.name") == Some("invoke_agent") {
                assert!(span.parent_span_id.is_empty());
                for key in [
                    "gen_ai.agent.name",
                    "gen_ai.agent.id",
                    "gen_ai.conversation.id",
                ] {
                    assert!(str_attr(span, key).is_some(), "{key}");
                }
                assert!(json::is_valid(
                    str_attr(span, "gen_ai.input.messages").unwrap_or_default()
                ));
                assert!(json::is_valid(
                    str_attr(span, "gen_ai.output.messages").unwrap_or_default()
                ));
            }
        }
    }
    assert!(gen_ai_chats > 1000 && open_inference_llms > 100 && cached > 50);
}
