//! Small constructors for OTLP protobuf values: attributes, ids, resources and scopes.

use opentelemetry_proto::tonic::common::v1::{
    AnyValue, ArrayValue, InstrumentationScope, KeyValue, any_value::Value,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use rand::Rng;
use rand::rngs::StdRng;

use crate::fleet::AgentProfile;

fn kv(key: &str, value: Value) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: Some(AnyValue { value: Some(value) }),
        ..Default::default()
    }
}

pub(crate) fn string(key: &str, value: impl Into<String>) -> KeyValue {
    kv(key, Value::StringValue(value.into()))
}

pub(crate) fn int(key: &str, value: i64) -> KeyValue {
    kv(key, Value::IntValue(value))
}

/// Token counts are unsigned in our model but OTLP integers are signed.
pub(crate) fn count(key: &str, value: u64) -> KeyValue {
    int(key, i64::try_from(value).unwrap_or(i64::MAX))
}

pub(crate) fn double(key: &str, value: f64) -> KeyValue {
    kv(key, Value::DoubleValue(value))
}

pub(crate) fn strings(key: &str, values: &[&str]) -> KeyValue {
    kv(
        key,
        Value::ArrayValue(ArrayValue {
            values: values
                .iter()
                .map(|v| AnyValue {
                    value: Some(Value::StringValue((*v).to_string())),
                })
                .collect(),
        }),
    )
}

/// A random non-zero trace id: OTLP treats all-zero ids as invalid.
pub(crate) fn trace_id(rng: &mut StdRng) -> [u8; 16] {
    loop {
        let id: [u8; 16] = rng.random();
        if id != [0; 16] {
            return id;
        }
    }
}

pub(crate) fn span_id(rng: &mut StdRng) -> [u8; 8] {
    loop {
        let id: [u8; 8] = rng.random();
        if id != [0; 8] {
            return id;
        }
    }
}

pub(crate) fn scope(name_version: (&str, &str)) -> InstrumentationScope {
    InstrumentationScope {
        name: name_version.0.to_string(),
        version: name_version.1.to_string(),
        ..Default::default()
    }
}

/// The resource an agent's SDK attaches to everything it exports.
pub(crate) fn resource(agent: &AgentProfile, instance_id: &str, gateway_token: &str) -> Resource {
    let sdk_version = if agent.language == "python" {
        "1.38.0"
    } else {
        "2.2.0"
    };
    let mut attributes = vec![
        string("service.name", agent.name),
        string("service.namespace", "northwind"),
        string("service.version", agent.version),
        string("service.instance.id", instance_id),
        string("deployment.environment.name", agent.environment),
        string("telemetry.sdk.language", agent.language),
        string("telemetry.sdk.name", "opentelemetry"),
        string("telemetry.sdk.version", sdk_version),
    ];
    if agent.language == "python" {
        attributes.push(string("process.runtime.name", "cpython"));
        attributes.push(string("process.runtime.version", "3.12.7"));
    } else {
        attributes.push(string("process.runtime.name", "nodejs"));
        attributes.push(string("process.runtime.version", "22.11.0"));
    }
    if agent.openclaw {
        // The gateway's command line carries its auth token: a real secret leak Warden redacts.
        attributes.push(strings(
            "process.command_args",
            &[
                "openclaw",
                "gateway",
                "--port",
                "18789",
                "--token",
                gateway_token,
            ],
        ));
        attributes.push(string("process.executable.name", "openclaw"));
    }
    Resource {
        attributes,
        ..Default::default()
    }
}

/// Looks an attribute up by key; for tests and for callers inspecting generated traffic.
pub fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a Value> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|v| v.value.as_ref())
}
