//! Group commit: a writer takes every job waiting in the queue (up to a bound), writes
//! them in one transaction and then answers each. While it writes, the next group gathers.

use std::sync::Arc;
use tokio::sync::{Mutex, OwnedSemaphorePermit, mpsc, oneshot};
use warden_db::{IngestWrite, Store};

pub(super) struct Job {
    pub write: IngestWrite,
    /// Held until the commit ends: the queue's room is given back only then.
    pub permit: OwnedSemaphorePermit,
    pub done: oneshot::Sender<Result<(), ()>>,
}

pub(super) async fn run(store: Store, queue: Arc<Mutex<mpsc::Receiver<Job>>>, max_spans: usize) {
    loop {
        let jobs = {
            let mut queue = queue.lock().await;
            let Some(first) = queue.recv().await else {
                return;
            };
            let mut spans = first.write.spans.len();
            let mut jobs = vec![first];
            while spans < max_spans {
                match queue.try_recv() {
                    Ok(job) => {
                        spans += job.write.spans.len();
                        jobs.push(job);
                    }
                    Err(_) => break,
                }
            }
            jobs
        };
        commit_group(&store, jobs).await;
    }
}

async fn commit_group(store: &Store, jobs: Vec<Job>) {
    let (writes, answers): (Vec<IngestWrite>, Vec<_>) = jobs
        .into_iter()
        .map(|job| (job.write, (job.permit, job.done)))
        .unzip();
    let started = std::time::Instant::now();
    let result = store.commit_ingest(&writes).await;
    let took = started.elapsed();
    if took > std::time::Duration::from_secs(1) {
        let spans: usize = writes.iter().map(|w| w.spans.len()).sum();
        tracing::warn!(
            took_ms = took.as_millis() as u64,
            requests = writes.len(),
            spans,
            "slow ingest commit"
        );
    }
    match result {
        Ok(_) => {
            for (_permit, done) in answers {
                let _ = done.send(Ok(()));
            }
        }
        Err(err) if writes.len() == 1 => {
            tracing::error!(error = ?err, spans = writes[0].spans.len(), "committing spans");
            for (_permit, done) in answers {
                let _ = done.send(Err(()));
            }
        }
        Err(err) => {
            // One request's data may be what the database refused: commit each alone so
            // the others still get through and only the culprit hears an error.
            tracing::warn!(error = ?err, requests = writes.len(), "group commit failed; committing one by one");
            for (write, (_permit, done)) in writes.into_iter().zip(answers) {
                let result = store
                    .commit_ingest(std::slice::from_ref(&write))
                    .await
                    .map(|_| ())
                    .map_err(|err| {
                        tracing::error!(error = ?err, spans = write.spans.len(), "committing spans");
                    });
                let _ = done.send(result);
            }
        }
    }
}
