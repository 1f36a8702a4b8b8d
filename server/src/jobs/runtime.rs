//! The job runtime: every background job of a process under one supervisor.
//!
//! A job is one `tick(now)`; the runtime decides when it runs. A job that keeps a cache of
//! what other replicas change runs on every replica; a job whose work must happen once per
//! period (retention, the batch PII scan, rollups...) claims the period in the database
//! first ([`Store::claim_job_run`]), so any number of replicas on one PostgreSQL run it
//! once, and a replica that dies mid-run leaves it to the next one once its lease runs out.
//! A tick that fails or panics is logged and tried again at the job's next turn: no job can
//! stop another, or the server.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use warden_db::Store;
use warden_services::Clock;

/// When a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// On every replica, every `every`: the job keeps this process's view of shared state.
    EachReplica { every: Duration },
    /// Once per `period` across all replicas, claimed in the database; a claim not finished
    /// within `lease` is taken over.
    OncePerPeriod { period: Duration, lease: Duration },
}

/// What a tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Items handled (rows deleted, spans scanned, ...), for the log.
    pub count: u64,
    /// Wait this much longer than usual before the next tick.
    pub hold_off: Option<Duration>,
}

impl Outcome {
    pub fn count(count: u64) -> Outcome {
        Outcome {
            count,
            hold_off: None,
        }
    }
}

/// A background job.
#[async_trait]
pub trait Job: Send + Sync + 'static {
    /// Its name in logs and in the claims table; stable across releases.
    fn name(&self) -> &'static str;
    fn schedule(&self) -> Schedule;
    /// How long after start the first tick waits.
    fn first_after(&self) -> Duration {
        Duration::ZERO
    }
    /// One run at `now` (epoch ms from the injected clock).
    async fn tick(&self, now: i64) -> anyhow::Result<Outcome>;
}

/// How one attempt at a job went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    Done(Outcome),
    /// Another replica holds or finished this period.
    Taken,
    Failed(String),
    Panicked(String),
}

/// The jobs of one process, and what it needs to claim and time them.
#[derive(Clone)]
pub struct Runtime {
    jobs: Vec<Arc<dyn Job>>,
    store: Store,
    clock: Arc<dyn Clock>,
    /// This process among the replicas, in claims.
    instance: Arc<str>,
}

impl Runtime {
    pub fn new(store: Store, clock: Arc<dyn Clock>, jobs: Vec<Arc<dyn Job>>) -> Runtime {
        Runtime {
            jobs,
            store,
            clock,
            instance: instance_name().into(),
        }
    }

    /// The same, claiming as `instance` (tests stand in for several replicas).
    pub fn with_instance(mut self, instance: &str) -> Runtime {
        self.instance = instance.into();
        self
    }

    /// Starts a supervisor loop per job; they run until the process ends.
    pub fn spawn(&self) {
        for job in &self.jobs {
            let runtime = self.clone();
            let job = job.clone();
            tokio::spawn(async move { runtime.supervise(job).await });
        }
    }

    /// Runs every job once as its loop would at `now`: for tests with a controlled clock.
    pub async fn run_all(&self, now: i64) -> Vec<(&'static str, Ran)> {
        let mut out = Vec::new();
        for job in &self.jobs {
            out.push((job.name(), self.run(job, now).await));
        }
        out
    }

    /// Runs the job named `name` once at `now`, as its loop would.
    pub async fn run_named(&self, name: &str, now: i64) -> Option<Ran> {
        let job = self.jobs.iter().find(|j| j.name() == name)?;
        Some(self.run(job, now).await)
    }

    /// One attempt: claims the period when the job needs it, runs the tick in a task of its
    /// own (so that a panic is caught here), and records how a claimed period ended.
    pub async fn run(&self, job: &Arc<dyn Job>, now: i64) -> Ran {
        let claim = match job.schedule() {
            Schedule::EachReplica { .. } => None,
            Schedule::OncePerPeriod { period, lease } => {
                let period_start = period_start(now, period);
                let lease_until = now.saturating_add(ms(lease));
                match self
                    .store
                    .claim_job_run(job.name(), period_start, &self.instance, now, lease_until)
                    .await
                {
                    Ok(true) => Some(period_start),
                    Ok(false) => return Ran::Taken,
                    Err(err) => return Ran::Failed(format!("claiming the run: {err:#}")),
                }
            }
        };
        let task = job.clone();
        let ran = match tokio::spawn(async move { task.tick(now).await }).await {
            Ok(Ok(outcome)) => Ran::Done(outcome),
            Ok(Err(err)) => Ran::Failed(format!("{err:#}")),
            Err(join) => Ran::Panicked(panic_message(join)),
        };
        if let Some(period_start) = claim {
            let error = match &ran {
                Ran::Done(_) | Ran::Taken => None,
                Ran::Failed(e) | Ran::Panicked(e) => Some(e.as_str()),
            };
            let finished = self.clock.now_ms();
            if let Err(err) = self
                .store
                .finish_job_run(job.name(), period_start, &self.instance, finished, error)
                .await
            {
                tracing::warn!(job = job.name(), error = ?err, "recording the end of a job run");
            }
        }
        ran
    }

    async fn supervise(&self, job: Arc<dyn Job>) {
        let name = job.name();
        let (poll, period) = match job.schedule() {
            Schedule::EachReplica { every } => (every.max(Duration::from_millis(10)), None),
            // Often enough to start a period soon after it opens, or to take over a dead
            // replica's claim soon after its lease ends; each try is one statement.
            Schedule::OncePerPeriod { period, lease } => (
                (period.min(lease) / 6).clamp(Duration::from_secs(1), Duration::from_secs(30)),
                Some(period),
            ),
        };
        tokio::time::sleep(job.first_after()).await;
        let mut ticks = tokio::time::interval(poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The period this process last saw finished or taken: not claimed again.
        let mut settled: Option<i64> = None;
        loop {
            ticks.tick().await;
            let now = self.clock.now_ms();
            let this_period = period.map(|p| period_start(now, p));
            if this_period.is_some() && this_period == settled {
                continue;
            }
            match self.run(&job, now).await {
                Ran::Done(outcome) => {
                    settled = this_period;
                    if outcome.count > 0 {
                        tracing::debug!(job = name, count = outcome.count, "job ran");
                    }
                    if let Some(wait) = outcome.hold_off {
                        tokio::time::sleep(wait).await;
                        ticks.reset();
                    }
                }
                // Held by another replica: tried again at the next poll, in case it dies.
                Ran::Taken => {}
                Ran::Failed(error) => tracing::warn!(job = name, %error, "job failed"),
                Ran::Panicked(error) => {
                    tracing::error!(job = name, %error, "job panicked; it runs again next time");
                }
            }
        }
    }
}

/// The start of the period `now` falls in, in epoch ms.
pub fn period_start(now: i64, period: Duration) -> i64 {
    let p = ms(period).max(1);
    now.div_euclid(p) * p
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn panic_message(join: tokio::task::JoinError) -> String {
    match join.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into()),
        Err(join) => format!("{join}"),
    }
}

/// A name for this process in claims: its host and process id, with random bits so that a
/// restarted process with a reused pid does not inherit its predecessor's claims.
pub(crate) fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    format!(
        "{}:{}:{}",
        if host.is_empty() { "warden" } else { &host },
        std::process::id(),
        hex::encode(bytes)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use warden_db::testing::TestDb;
    use warden_db::{ConnectOptions, backend_tests};
    use warden_services::ManualClock;

    const MINUTE: i64 = 60_000;

    /// Counts its ticks; fails or panics on the ticks it is told to.
    struct Counting {
        schedule: Schedule,
        ticks: AtomicU64,
        fail_on: Option<u64>,
        panic_on: Option<u64>,
    }

    impl Counting {
        fn new(schedule: Schedule) -> Arc<Counting> {
            Arc::new(Counting {
                schedule,
                ticks: AtomicU64::new(0),
                fail_on: None,
                panic_on: None,
            })
        }
        fn ticks(&self) -> u64 {
            self.ticks.load(Ordering::SeqCst)
        }
    }

    #[async_trait]
    impl Job for Counting {
        fn name(&self) -> &'static str {
            "counting"
        }
        fn schedule(&self) -> Schedule {
            self.schedule
        }
        async fn tick(&self, _now: i64) -> anyhow::Result<Outcome> {
            let n = self.ticks.fetch_add(1, Ordering::SeqCst) + 1;
            if self.panic_on == Some(n) {
                panic!("tick {n} panics");
            }
            if self.fail_on == Some(n) {
                anyhow::bail!("tick {n} fails");
            }
            Ok(Outcome::count(n))
        }
    }

    fn hourly() -> Schedule {
        Schedule::OncePerPeriod {
            period: Duration::from_secs(3600),
            lease: Duration::from_secs(300),
        }
    }

    fn runtime(store: Store, job: &Arc<Counting>, instance: &str) -> Runtime {
        let clock = Arc::new(ManualClock::new(0));
        Runtime::new(store, clock, vec![job.clone() as Arc<dyn Job>]).with_instance(instance)
    }

    /// Two replicas, each with its own connection pool on one database.
    async fn two_replicas_run_a_period_once_and_the_next_period_again(db: TestDb) {
        let other = Store::connect(&db.url, &ConnectOptions::default())
            .await
            .unwrap();
        let job = Counting::new(hourly());
        let a = runtime(db.store.clone(), &job, "a");
        let b = runtime(other, &job, "b");
        let t = 10 * 60 * MINUTE + 5;
        let (ra, rb) = tokio::join!(a.run_named("counting", t), b.run_named("counting", t));
        let mut outcomes = [ra.unwrap(), rb.unwrap()];
        outcomes.sort_by_key(|r| matches!(r, Ran::Taken));
        assert_eq!(outcomes[0], Ran::Done(Outcome::count(1)));
        assert_eq!(outcomes[1], Ran::Taken);
        // Later in the same hour, on either replica: done already.
        assert_eq!(
            a.run_named("counting", t + 50 * MINUTE).await,
            Some(Ran::Taken)
        );
        assert_eq!(
            b.run_named("counting", t + 50 * MINUTE).await,
            Some(Ran::Taken)
        );
        assert_eq!(job.ticks(), 1);
        // The next hour is a new period.
        assert_eq!(
            b.run_named("counting", t + 60 * MINUTE).await,
            Some(Ran::Done(Outcome::count(2)))
        );
        let runs = db.store.list_job_runs("counting", 10).await.unwrap();
        assert_eq!(runs.len(), 2);
        assert!(
            runs.iter()
                .all(|r| r.finished_at.is_some() && r.attempts == 1)
        );
    }

    async fn a_dead_replicas_claim_is_taken_over_when_its_lease_ends(db: TestDb) {
        let job = Counting::new(hourly());
        let t = 600 * MINUTE;
        // Replica a claims the hour and dies before it finishes.
        assert!(
            db.store
                .claim_job_run("counting", t, "a", t, t + 5 * MINUTE)
                .await
                .unwrap()
        );
        let b = runtime(db.store.clone(), &job, "b");
        assert_eq!(
            b.run_named("counting", t + 4 * MINUTE).await,
            Some(Ran::Taken)
        );
        assert_eq!(job.ticks(), 0, "a's lease is still running");
        assert_eq!(
            b.run_named("counting", t + 5 * MINUTE).await,
            Some(Ran::Done(Outcome::count(1)))
        );
        let run = &db.store.list_job_runs("counting", 1).await.unwrap()[0];
        assert_eq!((run.claimed_by.as_str(), run.attempts), ("b", 2));
        assert!(run.finished_at.is_some());
        // a comes back and reports its old run as done: b's record stands.
        db.store
            .finish_job_run("counting", t, "a", t + 6 * MINUTE, Some("late"))
            .await
            .unwrap();
        let run = &db.store.list_job_runs("counting", 1).await.unwrap()[0];
        assert_eq!(
            (run.claimed_by.as_str(), run.last_error.as_deref()),
            ("b", None)
        );
    }

    async fn a_failed_or_panicking_run_gives_its_period_up_to_the_next_try(db: TestDb) {
        let job = Arc::new(Counting {
            schedule: hourly(),
            ticks: AtomicU64::new(0),
            fail_on: Some(1),
            panic_on: Some(2),
        });
        let rt = runtime(db.store.clone(), &job, "a");
        let t = 600 * MINUTE;
        assert_eq!(
            rt.run_named("counting", t).await,
            Some(Ran::Failed("tick 1 fails".into()))
        );
        let run = &db.store.list_job_runs("counting", 1).await.unwrap()[0];
        assert_eq!(run.last_error.as_deref(), Some("tick 1 fails"));
        assert_eq!(run.finished_at, None);
        assert_eq!(
            rt.run_named("counting", t + 1).await,
            Some(Ran::Panicked("tick 2 panics".into()))
        );
        assert_eq!(
            rt.run_named("counting", t + 2).await,
            Some(Ran::Done(Outcome::count(3)))
        );
        assert_eq!(rt.run_named("counting", t + 3).await, Some(Ran::Taken));
        let run = &db.store.list_job_runs("counting", 1).await.unwrap()[0];
        assert_eq!((run.attempts, run.last_error.as_deref()), (3, None));
    }

    backend_tests!(
        two_replicas_run_a_period_once_and_the_next_period_again,
        a_dead_replicas_claim_is_taken_over_when_its_lease_ends,
        a_failed_or_panicking_run_gives_its_period_up_to_the_next_try,
    );

    #[tokio::test]
    async fn the_supervisor_keeps_a_job_running_after_it_panics() {
        let db = TestDb::sqlite().await;
        let job = Arc::new(Counting {
            schedule: Schedule::EachReplica {
                every: Duration::from_millis(10),
            },
            ticks: AtomicU64::new(0),
            fail_on: Some(2),
            panic_on: Some(1),
        });
        runtime(db.store.clone(), &job, "a").spawn();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while job.ticks() < 4 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(
            job.ticks() >= 4,
            "ticks after a panic and a failure: {}",
            job.ticks()
        );
    }

    #[test]
    fn periods_start_on_their_boundaries() {
        let hour = Duration::from_secs(3600);
        assert_eq!(period_start(3_600_000 * 5 + 17, hour), 3_600_000 * 5);
        assert_eq!(period_start(3_600_000 * 5, hour), 3_600_000 * 5);
        assert_eq!(period_start(-1, hour), -3_600_000);
    }
}
