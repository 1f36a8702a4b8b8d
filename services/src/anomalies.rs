//! The anomaly pass: every agent's cost, error rate, p95 latency and alignment over the
//! last hour, judged against its own trailing week (`domain::metrics::anomaly`), opening,
//! updating and closing the stored anomalies. Run once per interval by one replica.

use crate::metrics::{Cell, Parts};
use crate::{Actor, ServiceError, Services};
use std::collections::{BTreeMap, HashMap};
use warden_domain::metrics::anomaly::{Anomaly, Hourly, Metric, judge};
use warden_domain::metrics::range::{DAY_MS, HOUR_MS, Resolution, floor};
use warden_domain::policy::{Alignment, Severity};
use warden_domain::role::Permission;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnomalyPass {
    pub judged: u64,
    pub opened: u64,
    pub closed: u64,
}

/// An hour's value of `metric` from its counts (and its p95, where the rollups stored it
/// rather than its sketch); `None` when it has nothing to say.
fn value(metric: Metric, cell: &Cell, worst: &[Severity], p95: Option<f64>) -> Option<f64> {
    let c = &cell.counts;
    match metric {
        Metric::Cost => (c.interactions > 0).then(|| c.cost()),
        Metric::ErrorRate => c.error_rate(),
        Metric::P95Latency => p95.or_else(|| cell.sketch.quantile_ms(0.95)),
        Metric::Alignment => Alignment::of(c.interactions, worst).score,
    }
}

impl Services {
    /// Judges the hour before `now` for every agent with traffic in it.
    pub async fn detect_anomalies(&self, now: i64) -> Result<AnomalyPass, ServiceError> {
        let settings = self.settings.anomaly;
        let (window_start, window_end) = (now - HOUR_MS, now);
        let history_start = floor(window_start, HOUR_MS) - 7 * DAY_MS;
        let history_end = floor(window_start, HOUR_MS);
        let history = self
            .read_cells(
                history_start,
                history_end,
                HOUR_MS,
                Resolution::Hour,
                None,
                Parts::COUNTS,
            )
            .await?;
        // The week's p95s as the rollup pass stored them with the hour rows: merging every
        // hour's latency buckets here took ~400 ms a pass for ten agents.
        let p95: HashMap<(String, i64), f64> = self
            .store
            .hour_p95(history_start, history_end)
            .await?
            .into_iter()
            .map(|(agent, hour, p95)| ((agent, hour), p95))
            .collect();
        let current = self
            .read_cells(
                window_start,
                window_end,
                crate::metrics::WHOLE,
                Resolution::Day,
                None,
                Parts::LATENCY,
            )
            .await?;
        let mut worst_by_hour: HashMap<(String, i64), Vec<Severity>> = HashMap::new();
        let mut worst_now: HashMap<String, Vec<Severity>> = HashMap::new();
        for (agent, at, severity) in self
            .store
            .violating_interactions_at(history_start, window_end)
            .await?
        {
            if at >= window_start {
                worst_now.entry(agent.clone()).or_default().push(severity);
            }
            if at < history_end {
                worst_by_hour
                    .entry((agent, floor(at, HOUR_MS)))
                    .or_default()
                    .push(severity);
            }
        }
        let mut by_agent: BTreeMap<&str, Vec<(i64, &Cell)>> = BTreeMap::new();
        for ((agent, hour), cell) in &history {
            by_agent.entry(agent).or_default().push((*hour, cell));
        }
        let open: HashMap<(String, String), Anomaly> = self
            .store
            .list_anomalies(true, 0, 10_000)
            .await?
            .into_iter()
            .map(|a| ((a.agent.clone(), a.metric.clone()), a))
            .collect();
        let mut pass = AnomalyPass::default();
        let none = Vec::new();
        for ((agent, _), cell) in &current {
            let hours = by_agent.get(agent.as_str()).map_or(&[][..], Vec::as_slice);
            for metric in Metric::ALL {
                let past: Vec<Hourly> = hours
                    .iter()
                    .map(|(start, c)| {
                        let worst = worst_by_hour.get(&(agent.clone(), *start)).unwrap_or(&none);
                        Hourly {
                            start: *start,
                            value: value(
                                metric,
                                c,
                                worst,
                                p95.get(&(agent.clone(), *start)).copied(),
                            ),
                            volume: c.counts.interactions,
                        }
                    })
                    .collect();
                let now_hour = Hourly {
                    start: window_start,
                    value: value(metric, cell, worst_now.get(agent).unwrap_or(&none), None),
                    volume: cell.counts.interactions,
                };
                let Some(j) = judge(metric, &past, now_hour, &settings) else {
                    continue;
                };
                pass.judged += 1;
                let record = |id: i64, opened_at: i64| Anomaly {
                    id,
                    agent: agent.clone(),
                    metric: metric.as_str().to_string(),
                    window_start,
                    window_end,
                    observed: j.observed,
                    baseline: j.baseline,
                    z: j.z,
                    direction: j.direction(metric).to_string(),
                    opened_at,
                    closed_at: None,
                    updated_at: now,
                };
                match open.get(&(agent.clone(), metric.as_str().to_string())) {
                    Some(a) if j.closes(&settings) => {
                        self.store
                            .update_anomaly(&record(a.id, a.opened_at), Some(now))
                            .await?;
                        pass.closed += 1;
                    }
                    Some(a) => {
                        self.store
                            .update_anomaly(&record(a.id, a.opened_at), None)
                            .await?
                    }
                    None if j.opens(&settings) => {
                        // Already open: another replica's pass got there first.
                        let Some(opened) = self.store.open_anomaly(&record(0, now)).await? else {
                            continue;
                        };
                        pass.opened += 1;
                        tracing::info!(agent = %opened.agent, metric = %opened.metric, z = opened.z, "anomaly opened");
                    }
                    None => {}
                }
            }
        }
        Ok(pass)
    }

    /// Open anomalies, and with `all` those closed in the last 30 days too, for the
    /// fleet's viewers; an agent owner sees their own agents'.
    pub async fn list_anomalies(
        &self,
        actor: &Actor,
        all: bool,
    ) -> Result<Vec<Anomaly>, ServiceError> {
        let agents = match self.metric_agents(actor).await {
            Ok(agents) => agents,
            Err(_) => {
                actor.require(Permission::ViewSystemMetrics)?;
                None
            }
        };
        let since = self.now() - 30 * DAY_MS;
        let list = self.store.list_anomalies(!all, since, 1_000).await?;
        Ok(match agents {
            None => list,
            Some(own) => list
                .into_iter()
                .filter(|a| own.contains(&a.agent))
                .collect(),
        })
    }
}
