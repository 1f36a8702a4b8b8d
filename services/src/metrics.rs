//! The analytics engine's reads: the seed's metrics hierarchy over a time range, from the
//! rollups only (never raw spans), with agent owners held to their own agents.

use crate::{Actor, ServiceError, Services};
use std::collections::{BTreeMap, HashMap};
use warden_db::{LatencyCount, UsageBucket};
use warden_domain::metrics::hierarchy::{Counts, Latency};
use warden_domain::metrics::range::{
    Availability, DAY_MS, HOUR_MS, MINUTE_MS, Resolution, ceil, floor, plan,
};
use warden_domain::metrics::report::{
    AgentDetailMetrics, AgentMetrics, AgentsMetrics, DayCost, SeriesPoint, SystemMetrics,
};
use warden_domain::metrics::sketch::Sketch;
use warden_domain::policy::{Alignment, Severity};
use warden_domain::role::Permission;
use warden_domain::timefmt::iso_utc;

/// Minute rows are kept this long; hours and days as long as the aggregated tier.
pub const MINUTES_KEPT_MS: i64 = 7 * DAY_MS;
/// Hour and day rows may lag the minutes by this much (the rollup job's pass and margin).
const ROLLUP_LAG_MS: i64 = 5 * MINUTE_MS;
/// Grouping that puts a whole range in one period.
pub(crate) const WHOLE: i64 = i64::MAX;
/// Ranges longer than this are refused: more than the aggregated tier is never kept.
const LONGEST_RANGE_MS: i64 = 400 * DAY_MS;

/// Counts and latency of one agent in one period.
#[derive(Debug, Default, Clone)]
pub(crate) struct Cell {
    pub(crate) counts: Counts,
    pub(crate) sketch: Sketch,
    /// Numeric scores by name: (how many, their sum).
    pub(crate) scores: BTreeMap<String, (i64, f64)>,
}

impl Cell {
    pub(crate) fn merge(&mut self, other: &Cell) {
        self.counts.add(&other.counts);
        self.sketch.merge(&other.sketch);
        for (name, (n, total)) in &other.scores {
            let slot = self.scores.entry(name.clone()).or_default();
            slot.0 += n;
            slot.1 += total;
        }
    }

    /// The mean of the scores named `name`.
    pub(crate) fn mean_score(&self, name: &str) -> Option<f64> {
        self.scores
            .get(name)
            .filter(|(n, _)| *n > 0)
            .map(|(n, total)| total / *n as f64)
    }
}

/// What a range read returned: per (agent, period start).
pub(crate) type Cells = BTreeMap<(String, i64), Cell>;

fn counts_of(b: &UsageBucket) -> Counts {
    Counts {
        spans: b.spans,
        interactions: b.traces,
        error_interactions: b.error_traces,
        llm_calls: b.llm_calls,
        tool_calls: b.tool_calls,
        tool_errors: b.tool_errors,
        input_tokens: b.input_tokens,
        output_tokens: b.output_tokens,
        cache_read_tokens: b.cache_read_tokens,
        cache_write_tokens: b.cache_write_tokens,
        cost_micros: b.cost_micros,
        duration_ns: b.trace_duration_ns,
    }
}

/// The first whole hour whose minute rows are surely still kept at `now`: a range starting
/// before it is read from its whole first hour.
pub(crate) fn first_minute_kept(now: i64) -> i64 {
    ceil(now - MINUTES_KEPT_MS, HOUR_MS) + HOUR_MS
}

/// Which rows a read of the rollups takes besides the counts.
#[derive(Clone, Copy)]
pub(crate) struct Parts {
    latency: bool,
    scores: bool,
}

impl Parts {
    pub(crate) const ALL: Parts = Parts {
        latency: true,
        scores: true,
    };
    pub(crate) const COUNTS: Parts = Parts {
        latency: false,
        scores: false,
    };
    pub(crate) const LATENCY: Parts = Parts {
        latency: true,
        scores: false,
    };
    /// For reads that take their latency merged by the database instead
    /// ([`Services::fleet_latency`], [`Services::agent_latency`]).
    pub(crate) const SCORES: Parts = Parts {
        latency: false,
        scores: true,
    };
}

impl Services {
    /// Refuses a range that is empty, reversed or longer than anything kept.
    pub(crate) fn check_range(from: i64, to: i64) -> Result<(), ServiceError> {
        if to <= from {
            return Err(ServiceError::Invalid("`to` must be after `from`".into()));
        }
        if to - from > LONGEST_RANGE_MS {
            return Err(ServiceError::Invalid(
                "a range may span at most 400 days".into(),
            ));
        }
        Ok(())
    }

    /// The agents the caller may see metrics of: `None` for all of them (the System
    /// Overview's and the Cost Center's roles), else an agent owner's own.
    pub(crate) async fn metric_agents(
        &self,
        actor: &Actor,
    ) -> Result<Option<Vec<String>>, ServiceError> {
        let all = [Permission::ViewSystemMetrics, Permission::ViewCosts];
        if all.iter().any(|p| actor.require(*p).is_ok()) {
            return Ok(None);
        }
        let forbidden = || ServiceError::Forbidden("your roles do not allow this".to_string());
        let Actor::User(user) = actor else {
            return Ok(None);
        };
        if !user.roles.contains(&warden_domain::Role::AgentOwner) {
            return Err(forbidden());
        }
        Ok(Some(
            self.store
                .list_agents()
                .await?
                .into_iter()
                .filter(|a| a.is_owned_by(&user.email))
                .map(|a| a.name)
                .collect(),
        ))
    }

    /// Usage in `[from, to)` per agent and per `group_ms` period, read from the coarsest
    /// rows that answer it exactly, with the rows `parts` asks for besides the counts:
    /// spend, volumes and which agents have data need neither the latency sketches (most
    /// of the rows) nor the scores; the anomaly pass judges no score.
    pub(crate) async fn read_cells(
        &self,
        from: i64,
        to: i64,
        group_ms: i64,
        coarsest: Resolution,
        agents: Option<&[String]>,
        parts: Parts,
    ) -> Result<Cells, ServiceError> {
        let mut cells = Cells::new();
        for segment in plan(from, to, self.availability(coarsest)) {
            for b in self.store.usage_in(segment, group_ms, agents).await? {
                let cell = cells.entry((b.agent.clone(), b.period_start)).or_default();
                cell.counts.add(&counts_of(&b));
            }
            if parts.latency {
                for LatencyCount {
                    agent,
                    period_start,
                    bucket,
                    traces,
                } in self
                    .store
                    .latency_in(segment, group_ms, agents, true)
                    .await?
                {
                    let cell = cells
                        .entry((agent.unwrap_or_default(), period_start))
                        .or_default();
                    cell.sketch.add(bucket, traces);
                }
            }
            if !parts.scores {
                continue;
            }
            for b in self.store.scores_in(segment, group_ms, agents).await? {
                let cell = cells.entry((b.agent, b.period_start)).or_default();
                let slot = cell.scores.entry(b.name).or_default();
                slot.0 += b.scores;
                slot.1 += b.total;
            }
        }
        Ok(cells)
    }

    /// Which rows hold `[from, to)` now: minutes while kept, hours and days once rolled up.
    fn availability(&self, coarsest: Resolution) -> Availability {
        let now = self.now();
        Availability {
            minutes_from: first_minute_kept(now),
            live_from: floor(now - ROLLUP_LAG_MS, HOUR_MS),
            coarsest,
        }
    }

    /// The latency of the agents in `agents` (or all) together per `group_ms` period, the
    /// database merging the agents' buckets: a 30-day dashboard decodes ~3,000 rows
    /// instead of the ~22,000 of a sketch per agent and day.
    pub(crate) async fn fleet_latency(
        &self,
        from: i64,
        to: i64,
        group_ms: i64,
        coarsest: Resolution,
        agents: Option<&[String]>,
    ) -> Result<BTreeMap<i64, Sketch>, ServiceError> {
        let mut sketches: BTreeMap<i64, Sketch> = BTreeMap::new();
        for segment in plan(from, to, self.availability(coarsest)) {
            for row in self
                .store
                .latency_in(segment, group_ms, agents, false)
                .await?
            {
                sketches
                    .entry(row.period_start)
                    .or_default()
                    .add(row.bucket, row.traces);
            }
        }
        Ok(sketches)
    }

    /// Each agent's latency over the whole of `[from, to)`, merged by the database.
    pub(crate) async fn agent_latency(
        &self,
        from: i64,
        to: i64,
        agents: Option<&[String]>,
    ) -> Result<BTreeMap<String, Sketch>, ServiceError> {
        let mut sketches: BTreeMap<String, Sketch> = BTreeMap::new();
        for segment in plan(from, to, self.availability(Resolution::Day)) {
            for row in self.store.latency_in(segment, WHOLE, agents, true).await? {
                sketches
                    .entry(row.agent.unwrap_or_default())
                    .or_default()
                    .add(row.bucket, row.traces);
            }
        }
        Ok(sketches)
    }

    /// The system level of the hierarchy over `[from, to)`.
    /// `only`: the figures of these agents alone (the dashboards' agent filter).
    pub async fn system_metrics(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        only: Option<&[String]>,
    ) -> Result<SystemMetrics, ServiceError> {
        actor.require(Permission::ViewSystemMetrics)?;
        Self::check_range(from, to)?;
        let cells = self
            .read_cells(from, to, DAY_MS, Resolution::Day, only, Parts::COUNTS)
            .await?;
        let latency = self
            .fleet_latency(from, to, WHOLE, Resolution::Day, only)
            .await?
            .into_values()
            .fold(Sketch::default(), |mut all, s| {
                all.merge(&s);
                all
            });
        let active = self.active_agents(to, only).await?;
        Ok(self.system_report(from, to, &cells, &latency, active))
    }

    /// Agents (of `only`, or all) that sent a span in the active window before `to`.
    pub(crate) async fn active_agents(
        &self,
        to: i64,
        only: Option<&[String]>,
    ) -> Result<usize, ServiceError> {
        Ok(self
            .store
            .agents_sending(
                floor(to - self.settings.active_window_ms, MINUTE_MS),
                ceil(to, MINUTE_MS),
            )
            .await?
            .into_iter()
            .filter(|a| only.is_none_or(|o| o.contains(a)))
            .count())
    }

    /// The system level from cells grouped by any step that divides a day and the
    /// latency of the whole range.
    pub(crate) fn system_report(
        &self,
        from: i64,
        to: i64,
        cells: &Cells,
        sketch: &Sketch,
        active: usize,
    ) -> SystemMetrics {
        let mut total = Counts::default();
        let mut per_day: BTreeMap<i64, i64> = BTreeMap::new();
        let mut day = floor(from, DAY_MS);
        while day < to {
            per_day.insert(day, 0);
            day += DAY_MS;
        }
        for ((_, t), cell) in cells {
            total.add(&cell.counts);
            *per_day.entry(floor(*t, DAY_MS)).or_default() += cell.counts.cost_micros;
        }
        let latency = Latency::of(sketch);
        SystemMetrics {
            from: iso_utc(from),
            to: iso_utc(to),
            currency: self.currency().to_string(),
            total_cost: total.cost(),
            cost_per_day: per_day
                .into_iter()
                .map(|(day, micros)| DayCost {
                    day: iso_utc(day)[..10].to_string(),
                    cost: micros as f64 / 1_000_000.0,
                })
                .collect(),
            error_rate: total.error_rate(),
            avg_latency_ms: total.avg_latency_ms(),
            p50_latency_ms: latency.p50_ms,
            p95_latency_ms: latency.p95_ms,
            p99_latency_ms: latency.p99_ms,
            active_agents: active as i64,
            interactions: total.interactions,
            spans: total.spans,
        }
    }

    /// The agent level of the hierarchy for every agent the caller may see that has data
    /// in `[from, to)`, by name.
    pub async fn fleet_agent_metrics(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
    ) -> Result<AgentsMetrics, ServiceError> {
        Self::check_range(from, to)?;
        let agents = self.metric_agents(actor).await?;
        let cells = self
            .read_cells(
                from,
                to,
                WHOLE,
                Resolution::Day,
                agents.as_deref(),
                Parts::ALL,
            )
            .await?;
        let alignment = self.alignment_in(from, to).await?;
        let list = cells
            .into_iter()
            .map(|((agent, _), cell)| {
                let score = alignment_score(&alignment, &agent, cell.counts.interactions);
                agent_row(agent, &cell, to - from, score)
            })
            .collect();
        Ok(AgentsMetrics {
            from: iso_utc(from),
            to: iso_utc(to),
            currency: self.currency().to_string(),
            agents: list,
        })
    }

    /// One agent's metrics over `[from, to)` with series by `step_ms` (a minute at least;
    /// a day at most), for its detail page.
    pub async fn agent_detail_metrics(
        &self,
        actor: &Actor,
        agent: &str,
        from: i64,
        to: i64,
        step_ms: i64,
    ) -> Result<AgentDetailMetrics, ServiceError> {
        Self::check_range(from, to)?;
        if let Some(visible) = self.metric_agents(actor).await?
            && !visible.iter().any(|a| a == agent)
        {
            return Err(ServiceError::NotFound("agent"));
        }
        let step = [DAY_MS, HOUR_MS, MINUTE_MS]
            .into_iter()
            .find(|&unit| step_ms >= unit && step_ms % unit == 0)
            .map_or(MINUTE_MS, |_| step_ms);
        if (to - from) / step > 2_000 {
            return Err(ServiceError::Invalid(
                "at most 2000 steps: choose a longer step".into(),
            ));
        }
        let coarsest = if step % DAY_MS == 0 {
            Resolution::Day
        } else if step % HOUR_MS == 0 {
            Resolution::Hour
        } else {
            Resolution::Minute
        };
        let only = [agent.to_string()];
        let series_cells = self
            .read_cells(from, to, step, coarsest, Some(&only), Parts::ALL)
            .await?;
        let mut whole = Cell::default();
        let mut by_step: BTreeMap<i64, Cell> = BTreeMap::new();
        let mut t = floor(from, step);
        while t < to {
            by_step.insert(t, Cell::default());
            t += step;
        }
        for ((_, t), cell) in series_cells {
            whole.merge(&cell);
            by_step.entry(t).or_default().merge(&cell);
        }
        let alignment = self.alignment_in(from, to).await?;
        let score = alignment_score(&alignment, agent, whole.counts.interactions);
        Ok(AgentDetailMetrics {
            metrics: agent_row(agent.to_string(), &whole, to - from, score),
            from: iso_utc(from),
            to: iso_utc(to),
            currency: self.currency().to_string(),
            step_s: step / 1000,
            series: by_step
                .into_iter()
                .map(|(t, cell)| SeriesPoint {
                    t: iso_utc(t),
                    t_ms: t,
                    interactions: cell.counts.interactions,
                    error_rate: cell.counts.error_rate(),
                    cost: cell.counts.cost(),
                    avg_latency_ms: cell.counts.avg_latency_ms(),
                    p95_latency_ms: cell.sketch.quantile_ms(0.95),
                    input_tokens: cell.counts.input_tokens,
                    output_tokens: cell.counts.output_tokens,
                })
                .collect(),
        })
    }

    /// Per agent, the worst severity of each interaction with a violation in the range.
    pub(crate) async fn alignment_in(
        &self,
        from: i64,
        to: i64,
    ) -> Result<HashMap<String, Vec<Severity>>, ServiceError> {
        let mut by_agent: HashMap<String, Vec<_>> = HashMap::new();
        for (agent, severity) in self.store.violating_interactions(from, to).await? {
            by_agent.entry(agent).or_default().push(severity);
        }
        Ok(by_agent)
    }
}

pub(crate) fn alignment_score(
    alignment: &HashMap<String, Vec<Severity>>,
    agent: &str,
    interactions: i64,
) -> Option<f64> {
    let worst = alignment.get(agent).map_or(&[][..], Vec::as_slice);
    Alignment::of(interactions, worst).score
}

pub(crate) fn agent_row(
    agent: String,
    cell: &Cell,
    range_ms: i64,
    alignment: Option<f64>,
) -> AgentMetrics {
    let c = &cell.counts;
    AgentMetrics {
        agent,
        interactions: c.interactions,
        error_rate: c.error_rate(),
        cost: c.cost(),
        alignment_score: alignment,
        quality_score: cell.mean_score("quality"),
        throughput_per_min: c.throughput_per_min(range_ms),
        avg_latency_ms: c.avg_latency_ms(),
        p95_latency_ms: cell.sketch.quantile_ms(0.95),
        tool_call_success_rate: c.tool_call_success_rate(),
        satisfaction: cell.mean_score("satisfaction"),
        input_tokens: c.input_tokens,
        output_tokens: c.output_tokens,
    }
}
