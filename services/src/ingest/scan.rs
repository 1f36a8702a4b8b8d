//! PII and secret redaction of a request's spans, before storage: each span's own text,
//! and each resource of the request once for all its spans.

use std::collections::HashMap;
use std::sync::Arc;
use warden_db::{PiiEventRecord, ResourceRecord};
use warden_domain::telemetry::{AgentInfo, AttrValue, Attributes, PiiScanMode, Span};
use warden_pii::{Finding, Kind, Scanner};

/// What one span's scan found, its resource's included.
pub(super) struct SpanScan {
    pub redacted: bool,
    pub pii: i64,
    pub secrets: i64,
    pub resource: Option<Arc<ResourceRecord>>,
}

/// A resource of the request, scanned once for all its spans. Resources are scanned for
/// PII in real time whatever the agent's mode: the same resource may carry spans of
/// several agents, and it is small.
struct ScannedResource {
    /// The resource as decoded, kept so that its address (the map's key) stays taken.
    _decoded: Arc<Attributes>,
    redacted: Arc<Attributes>,
    record: Arc<ResourceRecord>,
    /// (field, what was found) for each finding.
    findings: Vec<(String, Kind)>,
}

fn scan_resource(scanner: &Scanner, decoded: Arc<Attributes>) -> ScannedResource {
    let mut attributes = (*decoded).clone();
    let mut findings = Vec::new();
    for (key, value) in &mut attributes.0 {
        for _ in 0..redact_flag_values(value) {
            findings.push((format!("resource.{key}"), Kind::Secret));
        }
        value.for_each_str_mut(&mut |text| {
            strip_nul(text);
            if let Some((clean, found)) = redact_text(scanner, text, true) {
                *text = clean;
                findings.extend(
                    found
                        .into_iter()
                        .map(|f| (format!("resource.{key}"), f.kind)),
                );
            }
        });
    }
    let redacted = if attributes == *decoded {
        decoded.clone()
    } else {
        Arc::new(attributes)
    };
    let json = serde_json::to_string(&*redacted).unwrap_or_else(|_| "{}".into());
    ScannedResource {
        _decoded: decoded,
        redacted,
        record: Arc::new(ResourceRecord::new(json)),
        findings,
    }
}

/// The resources of one request, scanned as their first span comes. Keyed by the decoded
/// resource's address; the entry holds that resource, so the address is not reused while
/// the map lives.
#[derive(Default)]
pub(super) struct Resources(HashMap<*const Attributes, ScannedResource>);

impl Resources {
    /// Redacts `span` and its resource; the findings of both count for the span.
    pub(super) fn scan(
        &mut self,
        scanner: &Scanner,
        agent: &AgentInfo,
        span: &mut Span,
        events: &mut Vec<PiiEventRecord>,
        now: i64,
    ) -> SpanScan {
        let mut scan = scan_span(scanner, agent, span, events, now);
        if let Some(resource) = span.resource.take() {
            let scanned = self
                .0
                .entry(Arc::as_ptr(&resource))
                .or_insert_with(|| scan_resource(scanner, resource));
            let mut found = Found::of(span, events, now);
            for (field, kind) in &scanned.findings {
                found.add(&mut scan, field, kind);
            }
            span.resource = Some(scanned.redacted.clone());
            scan.resource = Some(scanned.record.clone());
        }
        scan
    }
}

/// Redacts a span's text in place: secrets always, PII before storage for `real-time`
/// agents (the batch job does the others). Strings that PostgreSQL cannot store (NUL) are
/// cleaned on the way.
fn scan_span(
    scanner: &Scanner,
    agent: &AgentInfo,
    span: &mut Span,
    events: &mut Vec<PiiEventRecord>,
    now: i64,
) -> SpanScan {
    let realtime = agent.pii_scan == PiiScanMode::RealTime;
    let mut result = SpanScan {
        redacted: false,
        pii: 0,
        secrets: 0,
        resource: None,
    };
    let mut found = Found::of(span, events, now);
    for field in [&mut span.name, &mut span.agent] {
        strip_nul(field);
    }
    for (key, value) in span.attributes.0.iter_mut() {
        for _ in 0..redact_flag_values(value) {
            found.add(&mut result, key, &Kind::Secret);
        }
    }
    span.for_each_text_mut(|field, text| {
        strip_nul(text);
        if let Some((redacted, findings)) = redact_text(scanner, text, realtime) {
            *text = redacted;
            for finding in findings {
                found.add(&mut result, field, &finding.kind);
            }
        }
    });
    result
}

/// Records a span's findings: counted in its scan, each a PII event (never the value).
struct Found<'a> {
    agent: String,
    trace_id: String,
    span_id: String,
    events: &'a mut Vec<PiiEventRecord>,
    now: i64,
}

impl<'a> Found<'a> {
    fn of(span: &Span, events: &'a mut Vec<PiiEventRecord>, now: i64) -> Found<'a> {
        Found {
            agent: span.agent.clone(),
            trace_id: span.trace_id.to_hex(),
            span_id: span.span_id.to_hex(),
            events,
            now,
        }
    }

    fn add(&mut self, scan: &mut SpanScan, field: &str, kind: &Kind) {
        scan.redacted = true;
        if *kind == Kind::Secret {
            scan.secrets += 1;
        } else {
            scan.pii += 1;
        }
        self.events.push(PiiEventRecord {
            agent: self.agent.clone(),
            trace_id: self.trace_id.clone(),
            span_id: self.span_id.clone(),
            field: field.to_string(),
            kind: kind.label().to_string(),
            stage: "ingest",
            detected_at: self.now,
        });
    }
}

/// Command lines arrive as arrays (`process.command_args`), where a secret flag and its
/// value are separate elements: no text scan sees them together. Redacts the element after
/// a flag that names a credential; returns how many it redacted.
fn redact_flag_values(value: &mut AttrValue) -> usize {
    let AttrValue::Array(items) = value else {
        return 0;
    };
    let mut redacted = 0;
    let mut after_flag = false;
    for item in items.iter_mut() {
        let AttrValue::Str(text) = item else {
            after_flag = false;
            continue;
        };
        if after_flag && !text.starts_with('-') && !text.starts_with("[REDACTED") {
            *text = format!("[REDACTED:{}]", Kind::Secret.label());
            redacted += 1;
            after_flag = false;
            continue;
        }
        after_flag = is_secret_flag(text);
    }
    redacted
}

fn is_secret_flag(arg: &str) -> bool {
    let Some(name) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
        return false;
    };
    if name.contains('=') || name.is_empty() {
        return false;
    }
    let name = name.to_ascii_lowercase();
    [
        "token",
        "password",
        "passwd",
        "secret",
        "api-key",
        "api_key",
        "apikey",
        "auth",
        "credential",
        "private-key",
    ]
    .iter()
    .any(|word| name.contains(word))
}

fn strip_nul(text: &mut String) {
    if text.contains('\0') {
        text.retain(|c| c != '\0');
    }
}

/// The text with the findings that apply replaced, or `None` when nothing applies.
pub(crate) fn redact_text(
    scanner: &Scanner,
    text: &str,
    include_pii: bool,
) -> Option<(String, Vec<Finding>)> {
    scanner
        .redact_only(text, |f| include_pii || f.kind == Kind::Secret)
        .map(|r| (r.text, r.findings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> AttrValue {
        AttrValue::Array(
            list.iter()
                .map(|a| AttrValue::Str((*a).to_string()))
                .collect(),
        )
    }

    #[test]
    fn the_value_after_a_credential_flag_is_redacted() {
        let mut argv = args(&[
            "openclaw",
            "gateway",
            "--port",
            "18789",
            "--token",
            "oc_gw_abc",
            "-v",
        ]);
        assert_eq!(redact_flag_values(&mut argv), 1);
        assert_eq!(
            argv,
            args(&[
                "openclaw",
                "gateway",
                "--port",
                "18789",
                "--token",
                "[REDACTED:SECRET]",
                "-v"
            ])
        );
        let mut argv = args(&[
            "psql",
            "--password",
            "hunter2",
            "--api-key",
            "k",
            "--tokenizer",
            "bpe",
        ]);
        // "tokenizer" names a token too: precision matters less than never storing a secret.
        assert_eq!(redact_flag_values(&mut argv), 3);
        let mut argv = args(&["server", "--port", "80", "--verbose", "--token=inline"]);
        assert_eq!(
            redact_flag_values(&mut argv),
            0,
            "inline values are the text scanner's"
        );
    }
}
