//! The normalised span: what OTLP (GenAI or OpenInference conventions) and the native JSON
//! API both become before PII scanning, sampling, costing and storage.

use super::ids::{SpanId, TraceId};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

/// What a span does in an agent's interaction; decides which fields the pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    /// One agent invocation: usually the root of an interaction.
    Agent,
    /// A call to a model (chat, completion, embeddings).
    Llm,
    Tool,
    Retriever,
    Chain,
    Other,
}

impl SpanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Agent => "agent",
            SpanKind::Llm => "llm",
            SpanKind::Tool => "tool",
            SpanKind::Retriever => "retriever",
            SpanKind::Chain => "chain",
            SpanKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<SpanKind> {
        Some(match text {
            "agent" => SpanKind::Agent,
            "llm" => SpanKind::Llm,
            "tool" => SpanKind::Tool,
            "retriever" => SpanKind::Retriever,
            "chain" => SpanKind::Chain,
            "other" => SpanKind::Other,
            _ => return None,
        })
    }
}

/// OTLP's status codes: `Unset` is the default and means "no error reported".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanStatus {
    Unset,
    Ok,
    Error,
}

impl SpanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SpanStatus::Unset => "unset",
            SpanStatus::Ok => "ok",
            SpanStatus::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<SpanStatus> {
        Some(match text {
            "unset" => SpanStatus::Unset,
            "ok" => SpanStatus::Ok,
            "error" => SpanStatus::Error,
            _ => return None,
        })
    }
}

/// Token counts as the GenAI conventions and OpenInference report them; `None` where the
/// span did not say (which is not the same as zero).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenUsage {
    pub input: Option<i64>,
    pub output: Option<i64>,
    /// Input tokens served from the provider's prompt cache (cheaper).
    pub cache_read: Option<i64>,
    /// Input tokens written to the prompt cache (dearer, at some providers).
    pub cache_write: Option<i64>,
    /// Output tokens spent on hidden reasoning, already included in `output`.
    pub reasoning: Option<i64>,
}

impl TokenUsage {
    pub fn is_empty(&self) -> bool {
        self.input.is_none() && self.output.is_none()
    }
}

/// An attribute value, as OTLP's `AnyValue` (bytes arrive as hex text). Serialised as
/// the JSON value it reads as, maps as objects.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    Double(f64),
    Str(String),
    Array(Vec<AttrValue>),
    Map(Attributes),
}

impl AttrValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::Str(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            AttrValue::Int(n) => Some(*n),
            // Some SDKs send counts as doubles or strings; accept whole numbers only.
            AttrValue::Double(d) if d.fract() == 0.0 && d.abs() < 9.0e15 => Some(*d as i64),
            AttrValue::Str(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Int(n) => Some(*n as f64),
            AttrValue::Double(d) if d.is_finite() => Some(*d),
            AttrValue::Str(text) => text.trim().parse().ok().filter(|d: &f64| d.is_finite()),
            _ => None,
        }
    }

    /// Visits every string inside this value, mutably: PII and secret redaction work on
    /// strings wherever they sit (arrays of command-line arguments, nested maps).
    pub fn for_each_str_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        match self {
            AttrValue::Str(text) => f(text),
            AttrValue::Array(items) => items.iter_mut().for_each(|v| v.for_each_str_mut(f)),
            AttrValue::Map(entries) => entries
                .0
                .iter_mut()
                .for_each(|(_, v)| v.for_each_str_mut(f)),
            AttrValue::Bool(_) | AttrValue::Int(_) | AttrValue::Double(_) => {}
        }
    }
}

/// How pages show a value: strings as they are, the rest as JSON would write it.
impl std::fmt::Display for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttrValue::Bool(b) => write!(f, "{b}"),
            AttrValue::Int(n) => write!(f, "{n}"),
            AttrValue::Double(d) => write!(f, "{d}"),
            AttrValue::Str(s) => f.write_str(s),
            AttrValue::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match item {
                        AttrValue::Str(s) => write!(f, "{s:?}")?,
                        other => write!(f, "{other}")?,
                    }
                }
                f.write_str("]")
            }
            AttrValue::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.0.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::Bool(b) => s.serialize_bool(*b),
            AttrValue::Int(n) => s.serialize_i64(*n),
            AttrValue::Double(d) => s.serialize_f64(*d),
            AttrValue::Str(text) => s.serialize_str(text),
            AttrValue::Array(items) => items.serialize(s),
            AttrValue::Map(map) => map.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AttrValueVisitor)
    }
}

struct AttrValueVisitor;

impl<'de> Visitor<'de> for AttrValueVisitor {
    type Value = AttrValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, number, boolean, array or object")
    }
    fn visit_bool<E>(self, v: bool) -> Result<AttrValue, E> {
        Ok(AttrValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<AttrValue, E> {
        Ok(AttrValue::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttrValue, E> {
        Ok(i64::try_from(v).map_or(AttrValue::Double(v as f64), AttrValue::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<AttrValue, E> {
        Ok(AttrValue::Double(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<AttrValue, E> {
        Ok(AttrValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<AttrValue, E> {
        Ok(AttrValue::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AttrValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(AttrValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AttrValue, A::Error> {
        AttributesVisitor.visit_map(map).map(AttrValue::Map)
    }
}

/// Attributes in the order they arrived; a few per span, so a vector beats a map. JSON
/// shows them as one object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes(pub Vec<(String, AttrValue)>);

impl Attributes {
    pub fn get(&self, key: &str) -> Option<&AttrValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn push(&mut self, key: impl Into<String>, value: AttrValue) {
        self.0.push((key.into(), value));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, AttrValue)> {
        self.0.iter()
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(AttributesVisitor)
    }
}

struct AttributesVisitor;

impl<'de> Visitor<'de> for AttributesVisitor {
    type Value = Attributes;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of attributes")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, AttrValue>()? {
            out.push((k, v));
        }
        Ok(Attributes(out))
    }
}

/// A timed event on a span (exceptions, mostly).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanEvent {
    pub name: String,
    pub time_ns: i64,
    pub attributes: Attributes,
}

/// One span after normalisation. Times are Unix epoch nanoseconds, as OTLP sends them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub trace_id: TraceId,
    pub span_id: SpanId,
    pub parent_span_id: Option<SpanId>,
    /// The agent that produced it: `gen_ai.agent.name`, else the resource's `service.name`.
    pub agent: String,
    pub name: String,
    pub kind: SpanKind,
    pub start_ns: i64,
    pub end_ns: i64,
    pub status: SpanStatus,
    pub status_message: Option<String>,
    /// `error.type`, or the exception type of an exception event.
    pub error_type: Option<String>,
    pub operation: Option<String>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub usage: TokenUsage,
    /// A cost the span reports itself (`llm.cost.total`), in US dollars; it wins over
    /// the price table.
    pub reported_cost_usd: Option<f64>,
    pub tool_name: Option<String>,
    pub conversation_id: Option<String>,
    pub session_id: Option<String>,
    pub user_id: Option<String>,
    pub environment: Option<String>,
    pub service_version: Option<String>,
    /// The interaction's input and output text as the agent logged them (messages as JSON
    /// where the conventions put them so).
    pub input: Option<String>,
    pub output: Option<String>,
    /// Everything else the span carried. Read from storage, it includes its resource's
    /// attributes, prefixed `resource.`.
    pub attributes: Attributes,
    pub events: Vec<SpanEvent>,
    /// The OTLP resource (service, host, process) the span arrived with, shared by every
    /// span of that resource in the request: scanned and stored once, not once per span.
    /// Storage merges it back into `attributes` on read.
    #[serde(skip)]
    pub resource: Option<Arc<Attributes>>,
}

impl Span {
    pub fn duration_ns(&self) -> i64 {
        (self.end_ns - self.start_ns).max(0)
    }

    pub fn is_error(&self) -> bool {
        self.status == SpanStatus::Error || self.error_type.is_some()
    }

    /// An attribute of the span, or of its resource as `resource.<key>`.
    pub fn attribute(&self, key: &str) -> Option<&AttrValue> {
        self.attributes.get(key).or_else(|| {
            let key = key.strip_prefix("resource.")?;
            self.resource.as_deref()?.get(key)
        })
    }

    /// Moves the resource's attributes into `attributes`, prefixed `resource.`, as a
    /// reader of the stored span sees them.
    pub fn merge_resource(&mut self) {
        if let Some(resource) = self.resource.take() {
            self.attributes.0.extend(
                resource
                    .iter()
                    .map(|(k, v)| (format!("resource.{k}"), v.clone())),
            );
        }
    }

    /// Every text field of the span's own that PII scanning and redaction must see, with
    /// the name a PII event records as its field. The resource is not among them: being
    /// shared, it is scanned once per request.
    pub fn for_each_text_mut(&mut self, mut f: impl FnMut(&str, &mut String)) {
        if let Some(text) = self.input.as_mut() {
            f("input", text);
        }
        if let Some(text) = self.output.as_mut() {
            f("output", text);
        }
        if let Some(text) = self.status_message.as_mut() {
            f("status_message", text);
        }
        for (key, value) in &mut self.attributes.0 {
            value.for_each_str_mut(&mut |text| f(key, text));
        }
        for event in &mut self.events {
            for (key, value) in &mut event.attributes.0 {
                value.for_each_str_mut(&mut |text| f(key, text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_leniently_but_only_when_whole() {
        assert_eq!(AttrValue::Double(12.0).as_i64(), Some(12));
        assert_eq!(AttrValue::Double(12.5).as_i64(), None);
        assert_eq!(AttrValue::Str(" 42 ".into()).as_i64(), Some(42));
        assert_eq!(AttrValue::Str("NaN".into()).as_f64(), None);
        assert_eq!(AttrValue::Bool(true).as_i64(), None);
    }

    #[test]
    fn nested_strings_are_all_visited() {
        let mut value = AttrValue::Array(vec![
            AttrValue::Str("a".into()),
            AttrValue::Map(Attributes(vec![("k".into(), AttrValue::Str("b".into()))])),
            AttrValue::Int(3),
        ]);
        let mut seen = Vec::new();
        value.for_each_str_mut(&mut |s| {
            seen.push(s.clone());
            s.push('!');
        });
        assert_eq!(seen, ["a", "b"]);
        assert_eq!(
            value,
            AttrValue::Array(vec![
                AttrValue::Str("a!".into()),
                AttrValue::Map(Attributes(vec![("k".into(), AttrValue::Str("b!".into()))])),
                AttrValue::Int(3),
            ])
        );
    }
}
