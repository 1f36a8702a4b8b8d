//! The traffic mix: anomaly rates, per-agent volume, durations, costs and multi-turn
//! conversations.

use std::collections::HashMap;

use super::{SEC, sample};
use crate::Interaction;

#[test]
fn the_traffic_mix_has_sensible_rates() {
    let sample = sample(13, 2000);
    let n = sample.len() as f64;
    let rate = |f: &dyn Fn(&Interaction) -> bool| sample.iter().filter(|i| f(i)).count() as f64 / n;
    let errors = rate(&|i| i.has_error);
    let pii = rate(&|i| i.has_pii);
    let slow = rate(&|i| i.is_slow);
    let expensive = rate(&|i| i.is_expensive);
    let tool_failures = rate(&|i| i.has_tool_failure);
    assert!((0.025..=0.06).contains(&errors), "errors {errors}");
    assert!((0.03..=0.08).contains(&pii), "pii {pii}");
    assert!((0.01..=0.06).contains(&slow), "slow {slow}");
    assert!(
        (0.002..=0.025).contains(&expensive),
        "expensive {expensive}"
    );
    assert!(
        (0.005..=0.03).contains(&tool_failures),
        "tool failures {tool_failures}"
    );

    let mut per_agent: HashMap<&str, usize> = HashMap::new();
    for i in &sample {
        *per_agent.entry(i.agent).or_default() += 1;
    }
    assert_eq!(per_agent.len(), 10, "every agent gets traffic");
    let busiest = per_agent.iter().max_by_key(|(_, c)| **c).map(|(a, _)| *a);
    assert_eq!(busiest, Some("support-agent"));
    assert!(per_agent["sales-agent"] > per_agent["analytics-agent"]);

    // Durations: mostly 1-6 s; the longest is a huge prompt or a 30 s timeout plus the rest of the turn.
    let mut seconds: Vec<f64> = sample
        .iter()
        .map(|i| (i.end_unix_nanos - i.start_unix_nanos) as f64 / SEC as f64)
        .collect();
    seconds.sort_by(f64::total_cmp);
    let typical = seconds.iter().filter(|s| (1.0..=6.0).contains(*s)).count() as f64 / n;
    assert!(typical > 0.75, "only {typical} within 1-6 s");
    assert!(
        seconds[seconds.len() - 1] < 90.0,
        "longest {}",
        seconds[seconds.len() - 1]
    );

    // Expensive interactions really are: tens of thousands of tokens and dollars, not cents.
    for i in sample.iter().filter(|i| i.is_expensive && !i.has_error) {
        assert!(
            i.input_tokens >= 50_000 && i.cost_usd > 0.05,
            "{} {}",
            i.input_tokens,
            i.cost_usd
        );
    }
    let typical_cost: f64 = sample
        .iter()
        .filter(|i| !i.is_expensive)
        .map(|i| i.cost_usd)
        .sum::<f64>()
        / n;
    assert!(
        (0.0005..0.05).contains(&typical_cost),
        "mean cost {typical_cost}"
    );
}

#[test]
fn conversations_continue_across_turns() {
    let sample = sample(24, 1000);
    let mut turns: HashMap<&str, usize> = HashMap::new();
    for i in &sample {
        *turns.entry(i.conversation_id.as_str()).or_default() += 1;
    }
    let multi = turns.values().filter(|c| **c > 1).count();
    assert!(multi > 50, "{multi} multi-turn conversations");
}
