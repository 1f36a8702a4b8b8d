//! From planned steps to a timeline: a failed model call cuts the turn short, a slow turn is
//! stretched, and the steps are laid out back to back.

use rand::Rng;
use rand::rngs::StdRng;

use super::{Kind, MS, Step};
use crate::faults::{Fault, llm_fault};
use crate::fleet::AgentProfile;
use crate::otlp;

/// Fails one model call (usually the last): the steps after it never happen.
pub(super) fn fail_a_model_call(
    rng: &mut StdRng,
    agent: &AgentProfile,
    steps: &mut Vec<(Kind, u64)>,
) -> Option<Fault> {
    let calls: Vec<usize> = (0..steps.len())
        .filter(|&i| matches!(steps[i].0, Kind::Llm(_)))
        .collect();
    let failing = if rng.random_bool(0.7) {
        calls.last().copied()
    } else {
        calls.get(rng.random_range(0..calls.len().max(1))).copied()
    }?;
    steps.truncate(failing + 1);
    let (Kind::Llm(call), duration) = steps.last_mut()? else {
        return None;
    };
    let (fault, fault_ms) = llm_fault(rng, agent, call.model);
    call.output.clear();
    call.output_tokens = 0;
    call.cache_read = 0;
    call.cost = 0.0;
    call.retried = false;
    call.fault = Some(fault.clone());
    *duration = fault_ms;
    Some(fault)
}

/// Stretches one step so the whole turn takes 10-30 s: a provider latency spike or a slow backend.
pub(super) fn stretch(rng: &mut StdRng, steps: &mut [(Kind, u64)]) {
    let total: u64 = steps.iter().map(|(_, d)| d).sum();
    let target = rng.random_range(10_000..30_000);
    if target <= total || steps.is_empty() {
        return;
    }
    let i = rng.random_range(0..steps.len());
    // A retrieval is three nested spans; stretching it would read as a slow vector store, which
    // these agents do not have, so the last step takes the delay instead.
    let i = if matches!(steps[i].0, Kind::Retrieval(_)) {
        steps.len() - 1
    } else {
        i
    };
    steps[i].1 += target - total;
}

/// Lays the steps out back to back with small gaps, so the turn ends at `end`.
pub(super) fn lay_out(
    rng: &mut StdRng,
    steps: Vec<(Kind, u64)>,
    end: u64,
) -> (Vec<Step>, u64, u64) {
    let pre = rng.random_range(8..60);
    let post = rng.random_range(3..40);
    let gaps: Vec<u64> = steps.iter().map(|_| rng.random_range(1..15)).collect();
    let total_ms =
        pre + post + steps.iter().map(|(_, d)| d).sum::<u64>() + gaps.iter().sum::<u64>();
    let start = end.saturating_sub(total_ms * MS);
    let mut t = start + pre * MS;
    let mut laid = Vec::with_capacity(steps.len());
    for ((kind, duration), gap) in steps.into_iter().zip(gaps) {
        let step_end = t + duration * MS;
        laid.push(Step {
            span_id: otlp::span_id(rng),
            start: t,
            end: step_end,
            kind,
        });
        t = step_end + gap * MS;
    }
    (laid, start, start + total_ms * MS)
}
