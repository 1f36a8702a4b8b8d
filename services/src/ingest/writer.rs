//! Group commit: a writer takes jobs waiting in the queue (up to a bound), writes them in
//! one transaction and then answers each. While it writes, the next group gathers.
//!
//! A group takes the smallest waiting requests first. Under load the queue holds more than
//! one commit's worth, and a request's wait is then the commits it waits through: taking
//! the small ones first answers a 100-span request within about two commits even behind a
//! backlog of 500-span ones. A request passed over twice goes first, so none starves.

use std::sync::Arc;
use tokio::sync::{Mutex, OwnedSemaphorePermit, mpsc, oneshot};
use warden_db::{IngestWrite, Store};

pub(super) struct Job {
    pub write: IngestWrite,
    /// Held until the commit ends: the queue's room is given back only then.
    pub permit: OwnedSemaphorePermit,
    pub done: oneshot::Sender<Result<(), ()>>,
}

/// Jobs sent and not yet in a group; the writers share it.
pub(super) struct Queue {
    receiver: mpsc::Receiver<Job>,
    waiting: Vec<Waiting>,
}

struct Waiting {
    job: Job,
    /// Groups formed without it.
    passed_over: u32,
}

/// Groups a job may be left out of before it goes first.
const MAX_PASSED_OVER: u32 = 2;

impl Queue {
    pub(super) fn new(receiver: mpsc::Receiver<Job>) -> Queue {
        Queue {
            receiver,
            waiting: Vec::new(),
        }
    }

    /// The next group, once there is one; `None` when the pipeline is gone.
    async fn next_group(&mut self, max_spans: usize) -> Option<Vec<Job>> {
        if self.waiting.is_empty() {
            let job = self.receiver.recv().await?;
            self.waiting.push(Waiting {
                job,
                passed_over: 0,
            });
        }
        while let Ok(job) = self.receiver.try_recv() {
            self.waiting.push(Waiting {
                job,
                passed_over: 0,
            });
        }
        Some(take_group(&mut self.waiting, max_spans))
    }
}

/// Takes the jobs of one commit out of `waiting`: those passed over too often first, then
/// the smallest, while they fit in `max_spans` (the first always does). Overdue jobs keep
/// the order they had, so one that became overdue earlier goes before a newer one.
fn take_group(waiting: &mut Vec<Waiting>, max_spans: usize) -> Vec<Job> {
    // A stable sort: equals keep their order (arrival order, for new jobs).
    waiting.sort_by_key(|w| {
        let overdue = w.passed_over >= MAX_PASSED_OVER;
        (!overdue, if overdue { 0 } else { w.job.write.spans.len() })
    });
    let mut spans = 0;
    let mut taken = 0;
    for w in waiting.iter() {
        let size = w.job.write.spans.len();
        if taken > 0 && spans + size > max_spans {
            break;
        }
        spans += size;
        taken += 1;
    }
    let group = waiting.drain(..taken).map(|w| w.job).collect();
    for w in waiting.iter_mut() {
        w.passed_over += 1;
    }
    group
}

pub(super) async fn run(store: Store, queue: Arc<Mutex<Queue>>, max_spans: usize) {
    loop {
        let Some(jobs) = queue.lock().await.next_group(max_spans).await else {
            return;
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

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::Semaphore;
    use warden_domain::telemetry::{SpanId, TraceId};

    fn waiting(spans: usize, tag: u8) -> Waiting {
        let spans = (0..spans)
            .map(|n| {
                warden_db::testing::span_record(
                    TraceId([tag; 16]),
                    SpanId([1, 0, 0, 0, 0, 0, 0, n as u8 | 1]),
                    "support-agent",
                    0,
                )
            })
            .collect();
        let permit = Arc::new(Semaphore::new(1)).try_acquire_owned().unwrap();
        Waiting {
            job: Job {
                write: IngestWrite {
                    spans,
                    ..IngestWrite::default()
                },
                permit,
                done: oneshot::channel().0,
            },
            passed_over: 0,
        }
    }

    /// Which jobs a group took, by tag, in the order taken.
    fn tags(group: &[Job]) -> Vec<u8> {
        group
            .iter()
            .map(|j| j.write.spans[0].span.trace_id.0[0])
            .collect()
    }

    #[test]
    fn a_group_takes_the_smallest_requests_that_fit() {
        let mut queue = vec![
            waiting(500, 1),
            waiting(500, 2),
            waiting(100, 3),
            waiting(500, 4),
        ];
        let group = take_group(&mut queue, 1000);
        assert_eq!(
            tags(&group),
            [3, 1],
            "the small one, then the oldest that fits"
        );
        let group = take_group(&mut queue, 1000);
        assert_eq!(tags(&group), [2, 4]);
        assert!(queue.is_empty());
        // A request larger than the bound still goes, alone.
        let mut queue = vec![waiting(1500, 5), waiting(100, 6)];
        assert_eq!(tags(&take_group(&mut queue, 1000)), [6]);
        assert_eq!(tags(&take_group(&mut queue, 1000)), [5]);
    }

    #[test]
    fn a_large_request_is_not_starved_by_a_stream_of_small_ones() {
        let mut queue = vec![waiting(500, 1)];
        let mut rounds = 0;
        loop {
            rounds += 1;
            queue.extend((0..10).map(|_| waiting(100, 2)));
            let group = take_group(&mut queue, 1000);
            if tags(&group).contains(&1) {
                assert_eq!(tags(&group)[0], 1, "an overdue request goes first");
                break;
            }
            assert!(rounds < 10, "the large request never went");
        }
        assert_eq!(rounds, 1 + MAX_PASSED_OVER);
    }
}
