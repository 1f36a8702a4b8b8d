//! Reading a span's input or output as the chat it records, so the trace page can show a
//! transcript instead of JSON. The shapes instrumentations write:
//!
//! - GenAI semantic conventions (`gen_ai.input.messages`, `gen_ai.output.messages`): a list of
//!   `{role, parts: [{type: text, content} | {type: tool_call, name, arguments} |
//!   {type: tool_call_response, response}]}`, outputs with a `finish_reason`;
//! - OpenAI's chat format, as older GenAI instrumentations and `input.value` carry it: a
//!   list of `{role, content}` where content is text or a list of `{type: text, text}`, and
//!   assistant `tool_calls`;
//! - OpenInference and LangChain's `input.value`: an object `{messages: [...]}` of either.
//!
//! Anything else (plain text, other JSON) is not a transcript and is shown as it is.

use serde_json::Value;

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// `system`, `user`, `assistant`, `tool`, ... as the instrumentation wrote it.
    pub role: String,
    pub parts: Vec<MessagePart>,
    pub finish_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MessagePart {
    Text(String),
    /// The model asks for a tool; the arguments as JSON text.
    ToolCall {
        name: String,
        arguments: String,
    },
    /// What a tool answered.
    ToolResult(String),
    /// A part of another type (an image, a file): its type, shown as a placeholder.
    Other(String),
}

/// The messages `text` records, or `None` when it is not a message list.
pub fn parse_messages(text: &str) -> Option<Vec<ChatMessage>> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('[') || trimmed.starts_with('{')) {
        return None;
    }
    let value: Value = serde_json::from_str(text).ok()?;
    let list = match &value {
        Value::Array(items) => items,
        Value::Object(map) => map.get("messages")?.as_array()?,
        _ => return None,
    };
    // LangChain nests a batch, `{messages: [[...], ...]}`: its first conversation is read.
    let list = match list.first() {
        Some(Value::Array(conversation)) => conversation,
        _ => list,
    };
    if list.is_empty() {
        return None;
    }
    list.iter().map(message).collect()
}

fn message(value: &Value) -> Option<ChatMessage> {
    let object = value.as_object()?;
    let role = object
        .get("role")
        .or_else(|| object.get("type"))
        .and_then(Value::as_str)?
        .to_string();
    let mut parts = Vec::new();
    if let Some(list) = object.get("parts").and_then(Value::as_array) {
        parts.extend(list.iter().map(semconv_part));
    }
    match object.get("content") {
        Some(Value::String(text)) if !text.is_empty() => {
            parts.push(MessagePart::Text(text.clone()))
        }
        Some(Value::Array(list)) => parts.extend(list.iter().map(openai_part)),
        _ => {}
    }
    if let Some(calls) = object.get("tool_calls").and_then(Value::as_array) {
        for call in calls {
            let function = call.get("function").unwrap_or(call);
            parts.push(MessagePart::ToolCall {
                name: text_of(function.get("name")),
                arguments: text_of(function.get("arguments")),
            });
        }
    }
    // A message with neither parts nor content is not one this reader knows.
    if parts.is_empty() && !object.contains_key("parts") && !object.contains_key("content") {
        return None;
    }
    Some(ChatMessage {
        role,
        parts,
        finish_reason: object
            .get("finish_reason")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

fn semconv_part(part: &Value) -> MessagePart {
    match part.get("type").and_then(Value::as_str) {
        Some("text") => MessagePart::Text(text_of(part.get("content"))),
        Some("tool_call") => MessagePart::ToolCall {
            name: text_of(part.get("name")),
            arguments: text_of(part.get("arguments")),
        },
        Some("tool_call_response") => MessagePart::ToolResult(text_of(part.get("response"))),
        Some(other) => MessagePart::Other(other.to_string()),
        None => MessagePart::Other("unknown".into()),
    }
}

fn openai_part(part: &Value) -> MessagePart {
    match part.get("type").and_then(Value::as_str) {
        Some("text") => MessagePart::Text(text_of(part.get("text"))),
        Some(other) => MessagePart::Other(other.to_string()),
        None => MessagePart::Text(text_of(Some(part))),
    }
}

/// A string as it is; any other JSON as compact JSON text.
fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantic_convention_messages_read_as_a_transcript() {
        let input = r#"[{"role":"system","parts":[{"type":"text","content":"Be brief."}]},
            {"role":"user","parts":[{"type":"text","content":"Where is order 42?"}]},
            {"role":"assistant","parts":[{"type":"tool_call","id":"c1","name":"lookup_order","arguments":{"id":42}}]},
            {"role":"tool","parts":[{"type":"tool_call_response","id":"c1","response":{"status":"shipped"}}]}]"#;
        let messages = parse_messages(input).unwrap_or_default();
        assert_eq!(messages.len(), 4);
        assert_eq!(messages[1].role, "user");
        assert_eq!(
            messages[1].parts,
            vec![MessagePart::Text("Where is order 42?".into())]
        );
        assert_eq!(
            messages[2].parts,
            vec![MessagePart::ToolCall {
                name: "lookup_order".into(),
                arguments: r#"{"id":42}"#.into()
            }]
        );
        assert_eq!(
            messages[3].parts,
            vec![MessagePart::ToolResult(r#"{"status":"shipped"}"#.into())]
        );
        let output = r#"[{"role":"assistant","parts":[{"type":"text","content":"It shipped."}],"finish_reason":"stop"}]"#;
        let out = parse_messages(output).unwrap_or_default();
        assert_eq!(out[0].finish_reason.as_deref(), Some("stop"));
    }

    #[test]
    fn openai_and_openinference_shapes_read_too() {
        let openai = r#"[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{}}]},
            {"role":"assistant","content":null,"tool_calls":[{"id":"1","type":"function","function":{"name":"search","arguments":"{\"q\":\"x\"}"}}]}]"#;
        let m = parse_messages(openai).unwrap_or_default();
        assert_eq!(
            m[0].parts,
            vec![
                MessagePart::Text("hi".into()),
                MessagePart::Other("image_url".into())
            ]
        );
        assert_eq!(
            m[1].parts,
            vec![MessagePart::ToolCall {
                name: "search".into(),
                arguments: r#"{"q":"x"}"#.into()
            }]
        );
        let openinference = r#"{"messages":[{"role":"user","content":"refund please"}]}"#;
        assert_eq!(
            parse_messages(openinference).unwrap_or_default()[0].role,
            "user"
        );
        let langchain = r#"{"messages":[[{"type":"system","content":"be brief"},
            {"type":"human","content":"hello"}]]}"#;
        let roles: Vec<String> = parse_messages(langchain)
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.role)
            .collect();
        assert_eq!(roles, ["system", "human"]);
    }

    #[test]
    fn other_text_is_not_a_transcript() {
        for text in [
            "Where is my order?",
            "[REDACTED:EMAIL] wrote in",
            r#"{"query":"refunds","top_k":5}"#,
            r#"[1, 2, 3]"#,
            "[]",
            r#"[{"role":"user"}]"#,
            "[{\"role\":\"user\",\"content\":\"cut off",
        ] {
            assert_eq!(parse_messages(text), None, "{text}");
        }
    }
}
