//! The scheduled PII scan of `batch` agents: their spans are stored as sent (secrets
//! aside) and redacted in place here, with PII events recorded as at ingest.

use super::scan::redact_text;
use crate::{ServiceError, Services};
use warden_db::PiiEventRecord;
use warden_domain::telemetry::Attributes;
use warden_pii::Scanner;

/// Spans per pass; the job loops until nothing is pending.
const SCAN_BATCH: u32 = 500;

impl Services {
    /// Scans every pending span; returns how many it scanned.
    pub async fn run_batch_pii_scan(&self, scanner: &Scanner) -> Result<u64, ServiceError> {
        let mut scanned = 0u64;
        loop {
            let pending = self.store.pending_pii_scans(SCAN_BATCH).await?;
            if pending.is_empty() {
                return Ok(scanned);
            }
            for mut scan in pending {
                let now = self.now();
                let mut events = Vec::new();
                let mut redacted = false;
                let mut record =
                    |field: &str, text: &mut String, events: &mut Vec<PiiEventRecord>| {
                        if let Some((clean, findings)) = redact_text(scanner, text, true) {
                            *text = clean;
                            redacted = true;
                            events.extend(findings.into_iter().map(|f| PiiEventRecord {
                                // Filled in below: the closure cannot borrow `scan` too.
                                agent: String::new(),
                                trace_id: String::new(),
                                span_id: String::new(),
                                field: field.to_string(),
                                kind: f.kind.label().to_string(),
                                stage: "batch",
                                detected_at: now,
                            }));
                        }
                    };
                if let Some(text) = scan.input.as_mut() {
                    record("input", text, &mut events);
                }
                if let Some(text) = scan.output.as_mut() {
                    record("output", text, &mut events);
                }
                if let Ok(mut attributes) =
                    serde_json::from_str::<Attributes>(&scan.attributes_json)
                {
                    let mut changed = false;
                    for (key, value) in &mut attributes.0 {
                        value.for_each_str_mut(&mut |text| {
                            let before = events.len();
                            record(key, text, &mut events);
                            changed |= events.len() > before;
                        });
                    }
                    if changed {
                        scan.attributes_json =
                            serde_json::to_string(&attributes).unwrap_or_else(|_| "{}".into());
                    }
                }
                for event in &mut events {
                    event.agent.clone_from(&scan.agent);
                    event.trace_id.clone_from(&scan.trace_id);
                    event.span_id.clone_from(&scan.span_id);
                }
                self.store.finish_pii_scan(&scan, redacted, &events).await?;
                scanned += 1;
            }
        }
    }
}
