//! The gate in front of the pipeline's CPU stages (inflate and decode, then scan and
//! judge): a few at a time, and the smallest waiting request first.
//!
//! Under load every request waits here behind the ones before it. In arrival order a
//! 100-span request waited behind up to four 500-span ones twice, once per stage: about a
//! third of its latency at the 99th percentile under the ingest benchmark. Smallest first
//! lets it pass them; a request passed over a few times goes first, so none starves.

use std::sync::Mutex;
use tokio::sync::oneshot;

/// Times a waiting request may be passed over before it goes first.
const MAX_PASSED_OVER: u32 = 4;

pub(super) struct CpuGate {
    state: Mutex<State>,
}

struct State {
    free: usize,
    waiting: Vec<Waiter>,
}

struct Waiter {
    /// The request's size on the wire: smaller goes first.
    cost: usize,
    /// Requests let in ahead of it that came after it.
    passed_over: u32,
    wake: oneshot::Sender<()>,
}

/// Held while a stage runs; gives the slot to the next waiter when dropped.
pub(super) struct CpuPermit<'a> {
    gate: &'a CpuGate,
}

impl Drop for CpuPermit<'_> {
    fn drop(&mut self) {
        self.gate.release();
    }
}

/// A request's place in the line; if it is dropped (the client went away) after the slot
/// was handed to it, the slot goes on to the next.
struct Place<'a> {
    gate: &'a CpuGate,
    woken: Option<oneshot::Receiver<()>>,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        if let Some(mut woken) = self.woken.take() {
            woken.close();
            if woken.try_recv().is_ok() {
                self.gate.release();
            }
        }
    }
}

impl CpuGate {
    pub(super) fn new(slots: usize) -> CpuGate {
        CpuGate {
            state: Mutex::new(State {
                free: slots.max(1),
                waiting: Vec::new(),
            }),
        }
    }

    /// Waits for a slot; `cost` is the request's size on the wire.
    pub(super) async fn enter(&self, cost: usize) -> CpuPermit<'_> {
        let woken = {
            let mut state = self.lock();
            if state.free > 0 && state.waiting.is_empty() {
                state.free -= 1;
                return CpuPermit { gate: self };
            }
            let (wake, woken) = oneshot::channel();
            state.waiting.push(Waiter {
                cost,
                passed_over: 0,
                wake,
            });
            woken
        };
        let mut place = Place {
            gate: self,
            woken: Some(woken),
        };
        if let Some(woken) = place.woken.as_mut() {
            // The sender lives in the gate, which outlives this borrow: an error cannot
            // happen, and a slot is owed either way.
            let _ = woken.await;
        }
        place.woken = None;
        CpuPermit { gate: self }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands the slot to the next waiter still waiting, or frees it.
    fn release(&self) {
        let mut state = self.lock();
        while let Some(next) = next_waiter(&state.waiting) {
            let waiter = state.waiting.remove(next);
            // Those that came before it were passed over.
            for earlier in &mut state.waiting[..next] {
                earlier.passed_over += 1;
            }
            if waiter.wake.send(()).is_ok() {
                return;
            }
        }
        state.free += 1;
    }
}

/// The index of the waiter to let in: the earliest overdue one, else the smallest (the
/// earliest of equals). `waiting` is in arrival order.
fn next_waiter(waiting: &[Waiter]) -> Option<usize> {
    waiting
        .iter()
        .position(|w| w.passed_over >= MAX_PASSED_OVER)
        .or_else(|| {
            waiting
                .iter()
                .enumerate()
                .min_by_key(|(i, w)| (w.cost, *i))
                .map(|(i, _)| i)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::mpsc;

    /// Requests of `costs` queue behind a held slot in that order; the order they get in.
    async fn order_of(costs: &[usize]) -> Vec<usize> {
        let gate = Arc::new(CpuGate::new(1));
        let held = gate.enter(0).await;
        let (done, mut order) = mpsc::unbounded_channel();
        for &cost in costs {
            let gate = gate.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let _permit = gate.enter(cost).await;
                let _ = done.send(cost);
                tokio::time::sleep(Duration::from_millis(1)).await;
            });
            // Each in the line before the next arrives.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        drop(done);
        drop(held);
        let mut got = Vec::new();
        while let Some(cost) = order.recv().await {
            got.push(cost);
        }
        got
    }

    #[tokio::test]
    async fn the_smallest_waiting_request_goes_first() {
        assert_eq!(order_of(&[500, 500, 100, 500]).await, [100, 500, 500, 500]);
    }

    #[tokio::test]
    async fn a_large_request_is_not_starved_by_small_ones() {
        let mut costs = vec![500];
        costs.extend([100; 10]);
        let order = order_of(&costs).await;
        let large = order.iter().position(|&c| c == 500).unwrap();
        assert_eq!(large, MAX_PASSED_OVER as usize, "{order:?}");
    }

    #[tokio::test]
    async fn a_slot_handed_to_a_request_that_left_goes_to_the_next() {
        let gate = Arc::new(CpuGate::new(1));
        let held = gate.enter(0).await;
        let left = {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _permit = gate.enter(1).await;
                std::future::pending::<()>().await;
            })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        let next = {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _permit = gate.enter(2).await;
            })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        // Handed to the first waiter, which is then cancelled before it runs.
        drop(held);
        left.abort();
        tokio::time::timeout(Duration::from_secs(5), next)
            .await
            .expect("the slot was lost with the request that left")
            .unwrap();
        // And the gate is free again afterwards.
        tokio::time::timeout(Duration::from_secs(5), gate.enter(0))
            .await
            .expect("the slot was not given back");
    }
}
