//! Ingestion load: OTLP/HTTP protobuf, gzip, from the simulated fleet, sent by concurrent
//! clients as fast as Warden acknowledges. Used by the ingest benchmark (`cargo bench -p
//! warden-server --bench ingest`) and by the crash test, which kills the server mid-run
//! and checks that every acknowledged span was stored.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use warden_demo::Fleet;

/// One request body ready to send.
pub struct Body {
    pub gzipped: Vec<u8>,
    pub spans: u64,
}

/// Pre-builds `count` requests of about `spans` spans each, every span unique, built up
/// front so the clients spend no CPU making them. Request `i` carries interactions that
/// ended in the few seconds before `first_ns + i * step_ns`: a live fleet's spans follow
/// the clock, and the stores' time indexes take them near their ends, not all over.
pub fn build_bodies(
    seed: u64,
    count: usize,
    spans: usize,
    first_ns: u64,
    step_ns: u64,
) -> Vec<Body> {
    let mut fleet = Fleet::new(seed);
    let mut bodies = Vec::with_capacity(count);
    for i in 0..count as u64 {
        let now_ns = first_ns.saturating_add(i.saturating_mul(step_ns));
        let mut request = fleet.export_request(now_ns, 1);
        let mut total: usize = span_count(&request);
        while total < spans {
            let more = fleet.export_request(now_ns, 1);
            total += span_count(&more);
            request.resource_spans.extend(more.resource_spans);
        }
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        let raw = warden_demo::encode(&request);
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(&raw);
        bodies.push(Body {
            gzipped: encoder.finish().unwrap_or_default(),
            spans: total as u64,
        });
    }
    bodies
}

fn span_count(
    request: &opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest,
) -> usize {
    request
        .resource_spans
        .iter()
        .flat_map(|r| &r.scope_spans)
        .map(|s| s.spans.len())
        .sum()
}

/// What one load run did.
#[derive(Debug, Default, Clone)]
pub struct LoadReport {
    pub elapsed: Duration,
    pub requests_ok: u64,
    pub spans_acknowledged: u64,
    /// 429/503 answers (retried after Retry-After).
    pub pushed_back: u64,
    /// Requests that got no answer (connection refused or reset: a killed server).
    pub failed: u64,
    /// Latencies of acknowledged requests, sorted.
    pub latencies: Vec<Duration>,
    pub ran_out_of_bodies: bool,
}

impl LoadReport {
    pub fn spans_per_second(&self) -> f64 {
        self.spans_acknowledged as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * (self.latencies.len() - 1) as f64).round() as usize;
        self.latencies[rank.min(self.latencies.len() - 1)]
    }
}

/// Sends `bodies` from `clients` concurrent clients until `duration` passes, the bodies run
/// out or `stop` is set. Each client waits for its answer before sending again.
pub async fn run(
    url: String,
    key: String,
    bodies: Arc<Vec<Body>>,
    clients: usize,
    duration: Duration,
    stop: Arc<AtomicBool>,
) -> LoadReport {
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (url, key, bodies, next, acked, stop) = (
            format!("{}/v1/traces", url.trim_end_matches('/')),
            key.clone(),
            bodies.clone(),
            next.clone(),
            acked.clone(),
            stop.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_default();
            let mut report = LoadReport::default();
            while started.elapsed() < duration && !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else {
                    report.ran_out_of_bodies = true;
                    break;
                };
                loop {
                    let sent = Instant::now();
                    let answer = client
                        .post(&url)
                        .bearer_auth(&key)
                        .header("content-type", "application/x-protobuf")
                        .header("content-encoding", "gzip")
                        .body(body.gzipped.clone())
                        .send()
                        .await;
                    match answer {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            report.latencies.push(sent.elapsed());
                            report.requests_ok += 1;
                            report.spans_acknowledged += body.spans;
                            acked.fetch_add(body.spans, Ordering::Relaxed);
                            break;
                        }
                        Ok(r) if matches!(r.status().as_u16(), 429 | 503) => {
                            report.pushed_back += 1;
                            let wait = r
                                .headers()
                                .get("retry-after")
                                .and_then(|v| v.to_str().ok())
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1u64);
                            tokio::time::sleep(Duration::from_secs(wait)).await;
                        }
                        _ => {
                            report.failed += 1;
                            break;
                        }
                    }
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                }
            }
            report
        }));
    }
    let mut total = LoadReport::default();
    for task in tasks {
        if let Ok(report) = task.await {
            total.requests_ok += report.requests_ok;
            total.spans_acknowledged += report.spans_acknowledged;
            total.pushed_back += report.pushed_back;
            total.failed += report.failed;
            total.latencies.extend(report.latencies);
            total.ran_out_of_bodies |= report.ran_out_of_bodies;
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort();
    total
}

/// A `warden serve` child process on its own port and database.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub url: String,
    pub pid: u32,
}

fn free_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl ServerProcess {
    /// Makes an environment-wide ingest key with the CLI (which also migrates the
    /// database), then starts the server and waits until it answers `/readyz`.
    pub async fn start(
        bin: &std::path::Path,
        database_url: &str,
        dir: &std::path::Path,
    ) -> anyhow::Result<(ServerProcess, String)> {
        use anyhow::Context;
        let output = std::process::Command::new(bin)
            .args([
                "key",
                "create",
                "--environment",
                "production",
                "--name",
                "load",
            ])
            .env("WARDEN_DATABASE_URL", database_url)
            .env_remove("WARDEN_CONFIG")
            .current_dir(dir)
            .output()
            .context("running warden key create")?;
        anyhow::ensure!(
            output.status.success(),
            "warden key create: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let key = String::from_utf8(output.stdout)?.trim().to_string();
        let port = free_port()?;
        let mut command = std::process::Command::new(bin);
        command
            .arg("serve")
            .env("WARDEN_DATABASE_URL", database_url)
            .env("WARDEN_LISTEN", format!("127.0.0.1:{port}"))
            .env("WARDEN_LOG", "warn")
            .env_remove("WARDEN_CONFIG");
        // A config of one's own (say, with `policies: {}` to measure without governance).
        if let Some(config) = std::env::var_os("WARDEN_BENCH_CONFIG") {
            command.env("WARDEN_CONFIG", config);
        }
        let child = command
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .context("starting warden serve")?;
        let pid = child.id();
        let url = format!("http://127.0.0.1:{port}");
        let mut server = ServerProcess { child, url, pid };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = client.get(format!("{}/readyz", server.url)).send().await
                && r.status().is_success()
            {
                break;
            }
            if let Some(status) = server.child.try_wait()? {
                anyhow::bail!("warden exited early: {status}");
            }
            anyhow::ensure!(Instant::now() < deadline, "warden did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok((server, key))
    }

    /// Peak and current resident memory of the process, in MiB, from /proc (Linux).
    pub fn memory_mib(&self) -> Option<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
        };
        Some((field("VmHWM:")?, field("VmRSS:")?))
    }

    /// `kill -9`: no shutdown, no flush, nothing the process can do about it.
    pub fn kill_hard(&mut self) -> std::io::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    /// SIGTERM, then wait for the graceful shutdown.
    pub fn stop(&mut self) -> std::io::Result<()> {
        let _ = std::process::Command::new("kill")
            .arg(self.pid.to_string())
            .status();
        self.child.wait()?;
        Ok(())
    }
}
