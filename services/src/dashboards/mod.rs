//! The role dashboards: the metrics of a range, the agents behind them and the charts,
//! each for the roles its page is for (checked here, whoever asks). The Cost Center is in
//! `cost`.

mod cost;

use crate::charts::{Series, Unit, line_chart};
use crate::metrics::{Cell, Parts, WHOLE, agent_row, alignment_score, first_minute_kept};
use crate::{Actor, ServiceError, Services};
use std::collections::BTreeMap;
use warden_domain::metrics::dashboard::{
    AgentDashboard, Chart, FleetState, RangeChoice, SystemDashboard,
};
use warden_domain::metrics::hierarchy::definition;
use warden_domain::metrics::range::{DAY_MS, HOUR_MS, Resolution, floor};
use warden_domain::metrics::report::AgentMetrics;
use warden_domain::metrics::sketch::Sketch;
use warden_domain::role::Permission;
use warden_domain::telemetry::TraceFilter;
use warden_domain::telemetry::summary::StatusFilter;

/// One read of a range: the cells per agent and step (counts and scores), the fleet (or
/// the filtered agents) per step, and per agent over the whole range.
struct Read {
    cells: crate::metrics::Cells,
    steps: BTreeMap<i64, Cell>,
    /// The latency of the whole range, of the agents read.
    latency: Sketch,
    agents: Vec<AgentMetrics>,
}

impl Read {
    /// Spend from `since` on (a multiple of the step), in the currency.
    fn spend_since(&self, since: i64) -> f64 {
        self.steps
            .range(since..)
            .map(|(_, c)| c.counts.cost())
            .sum()
    }
}

fn chart(title: &str, metric: &str, svg: String) -> Chart {
    Chart {
        title: title.to_string(),
        definition: definition(metric).to_string(),
        svg,
    }
}

fn coarsest(step: i64) -> Resolution {
    if step % DAY_MS == 0 {
        Resolution::Day
    } else if step % 3_600_000 == 0 {
        Resolution::Hour
    } else {
        Resolution::Minute
    }
}

impl Services {
    /// The range's steps (fleet-wide) and agents, of the agents in `only` or all.
    async fn read_dashboard(
        &self,
        from: i64,
        to: i64,
        step: i64,
        only: Option<&[String]>,
    ) -> Result<Read, ServiceError> {
        // Latency per step of the fleet and per agent of the range, each merged by the
        // database: a sketch per agent and step is never needed.
        // The three reads overlap: PostgreSQL scans the same bucket rows for both latency
        // reads, each on its own connection and core.
        let (cells, mut step_latency, mut agent_latency) = tokio::try_join!(
            self.read_cells(from, to, step, coarsest(step), only, Parts::SCORES),
            self.fleet_latency(from, to, step, coarsest(step), only),
            self.agent_latency(from, to, only),
        )?;
        let mut steps: BTreeMap<i64, Cell> = BTreeMap::new();
        let mut t = floor(from, step);
        while t < to {
            steps.insert(t, Cell::default());
            t += step;
        }
        let mut per_agent: BTreeMap<String, Cell> = BTreeMap::new();
        for ((agent, t), cell) in &cells {
            steps.entry(*t).or_default().merge(cell);
            per_agent.entry(agent.clone()).or_default().merge(cell);
        }
        let mut latency = Sketch::default();
        for (t, sketch) in &mut step_latency {
            latency.merge(sketch);
            steps.entry(*t).or_default().sketch = std::mem::take(sketch);
        }
        for (agent, sketch) in &mut agent_latency {
            per_agent.entry(agent.clone()).or_default().sketch = std::mem::take(sketch);
        }
        let alignment = self.alignment_in(from, to).await?;
        let agents = per_agent
            .into_iter()
            .map(|(agent, cell)| {
                let score = alignment_score(&alignment, &agent, cell.counts.interactions);
                agent_row(agent, &cell, to - from, score)
            })
            .collect();
        Ok(Read {
            cells,
            steps,
            latency,
            agents,
        })
    }

    /// The agents the filter offers: those registered and those with data in the read.
    async fn agent_choices(&self, read: &Read) -> Result<Vec<String>, ServiceError> {
        let mut names: Vec<String> = self
            .store
            .list_agents()
            .await?
            .into_iter()
            .map(|a| a.name)
            .chain(read.cells.keys().map(|(agent, _)| agent.clone()))
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Spend between `from` and `to` of the agents in `only` (or all), in the currency.
    async fn spend(
        &self,
        from: i64,
        to: i64,
        only: Option<&[String]>,
    ) -> Result<f64, ServiceError> {
        let cells = self
            .read_cells(from, to, WHOLE, Resolution::Day, only, Parts::COUNTS)
            .await?;
        Ok(cells.values().map(|c| c.counts.cost()).sum())
    }

    /// The System Overview: error rate, latency, active agents, throughput, cost today.
    pub async fn system_dashboard(
        &self,
        actor: &Actor,
        range: RangeChoice,
        agent: Option<String>,
    ) -> Result<SystemDashboard, ServiceError> {
        actor.require(Permission::ViewSystemMetrics)?;
        let now = self.now();
        let (from, to) = range.bounds(now);
        let step = range.step_ms(now);
        Self::check_range(from, to)?;
        let only = agent.map(|a| vec![a]);
        // One read serves the figures, the charts and the table.
        let read = self.read_dashboard(from, to, step, only.as_deref()).await?;
        let active = self.active_agents(to, only.as_deref()).await?;
        let metrics = self.system_report(from, to, &read.cells, &read.latency, active);
        let points = |f: &dyn Fn(&Cell) -> Option<f64>| -> Vec<(i64, Option<f64>)> {
            read.steps.iter().map(|(t, c)| (*t, f(c))).collect()
        };
        // A step cut by the range's ends (the first, and the hour under way) is a rate over
        // the minutes it covers, not over the whole step: it would read as a fall. Where
        // the first hour's minutes are gone, the read counted that whole hour.
        let counted_from = if from < first_minute_kept(now) {
            floor(from, HOUR_MS)
        } else {
            from
        };
        let throughput: Vec<(i64, Option<f64>)> = read
            .steps
            .iter()
            .map(|(t, c)| {
                let minutes = ((t + step).min(to) - (*t).max(counted_from)) as f64 / 60_000.0;
                (
                    *t,
                    (minutes > 0.0).then(|| c.counts.interactions as f64 / minutes),
                )
            })
            .collect();
        let charts = vec![
            chart(
                "Error rate",
                "error rate",
                line_chart(
                    from,
                    to,
                    "error interactions (%)",
                    Unit::Percent,
                    &[Series {
                        name: "error rate".into(),
                        points: points(&|c| c.counts.error_rate()),
                    }],
                ),
            ),
            chart(
                "Latency",
                "latency",
                line_chart(
                    from,
                    to,
                    "interaction duration",
                    Unit::Millis,
                    &[
                        Series {
                            name: "p50".into(),
                            points: points(&|c| c.sketch.quantile_ms(0.5)),
                        },
                        Series {
                            name: "p95".into(),
                            points: points(&|c| c.sketch.quantile_ms(0.95)),
                        },
                        Series {
                            name: "p99".into(),
                            points: points(&|c| c.sketch.quantile_ms(0.99)),
                        },
                    ],
                ),
            ),
            chart(
                "Throughput",
                "throughput",
                line_chart(
                    from,
                    to,
                    "interactions per minute",
                    Unit::Count,
                    &[Series {
                        name: "interactions/min".into(),
                        points: throughput,
                    }],
                ),
            ),
            chart(
                "Cost",
                "total cost per day",
                line_chart(
                    from,
                    to,
                    &format!("cost per step ({})", self.currency()),
                    Unit::Money,
                    &[Series {
                        name: "cost".into(),
                        points: points(&|c| Some(c.counts.cost())),
                    }],
                ),
            ),
        ];
        let today = floor(now, DAY_MS);
        // Today whatever the range: from the read when it covers today, else on its own.
        let cost_today = if to >= now && from <= today {
            read.spend_since(today)
        } else {
            self.spend(today, now + 1, only.as_deref()).await?
        };
        let anomalies = self
            .store
            .list_anomalies(true, 0, 200)
            .await?
            .into_iter()
            .filter(|a| only.as_ref().is_none_or(|o| o.contains(&a.agent)))
            .collect();
        Ok(SystemDashboard {
            anomalies,
            cost_today,
            agent_names: self.agent_choices(&read).await?,
            agents: read.agents,
            metrics,
            charts,
        })
    }

    /// The Agent Detail: one agent's traces, errors, quality, alignment, cost, latency and
    /// control state; `agent` defaults to the first the caller may see.
    pub async fn agent_dashboard(
        &self,
        actor: &Actor,
        range: RangeChoice,
        agent: Option<String>,
    ) -> Result<AgentDashboard, ServiceError> {
        actor.require(Permission::ViewAgentDetail)?;
        let now = self.now();
        let (from, to) = range.bounds(now);
        let visible = self.metric_agents(actor).await?;
        let mut names = match &visible {
            Some(own) => own.clone(),
            // Registered agents and those with data (an agent removed from the registry
            // keeps its history).
            None => {
                let with_data = self
                    .read_cells(from, to, WHOLE, Resolution::Day, None, Parts::COUNTS)
                    .await?;
                self.store
                    .list_agents()
                    .await?
                    .into_iter()
                    .map(|a| a.name)
                    .chain(with_data.into_keys().map(|(agent, _)| agent))
                    .collect()
            }
        };
        names.sort();
        names.dedup();
        let Some(name) = agent
            .filter(|a| names.contains(a))
            .or_else(|| names.first().cloned())
        else {
            return Err(ServiceError::NotFound("agent"));
        };
        let step = range.step_ms(now);
        let detail = self
            .agent_detail_metrics(actor, &name, from, to, step)
            .await?;
        let series = &detail.series;
        let pts = |f: &dyn Fn(&warden_domain::metrics::report::SeriesPoint) -> Option<f64>| {
            series.iter().map(|p| (p.t_ms, f(p))).collect::<Vec<_>>()
        };
        let charts = vec![
            chart(
                "Interactions and errors",
                "interaction",
                line_chart(
                    from,
                    to,
                    "interactions per step",
                    Unit::Count,
                    &[
                        Series {
                            name: "interactions".into(),
                            points: pts(&|p| Some(p.interactions as f64)),
                        },
                        Series {
                            name: "error interactions".into(),
                            points: pts(&|p| p.error_rate.map(|r| r * p.interactions as f64)),
                        },
                    ],
                ),
            ),
            chart(
                "Latency",
                "latency",
                line_chart(
                    from,
                    to,
                    "interaction duration",
                    Unit::Millis,
                    &[
                        Series {
                            name: "average".into(),
                            points: pts(&|p| p.avg_latency_ms),
                        },
                        Series {
                            name: "p95".into(),
                            points: pts(&|p| p.p95_latency_ms),
                        },
                    ],
                ),
            ),
            chart(
                "Cost",
                "total cost per day",
                line_chart(
                    from,
                    to,
                    &format!("cost per step ({})", self.currency()),
                    Unit::Money,
                    &[Series {
                        name: "cost".into(),
                        points: pts(&|p| Some(p.cost)),
                    }],
                ),
            ),
        ];
        let traces = |status: Option<StatusFilter>| TraceFilter {
            agent: Some(name.clone()),
            from_ms: Some(from),
            to_ms: Some(to),
            status,
            limit: Some(10),
            ..TraceFilter::default()
        };
        let may_read_traces = actor.require(Permission::ViewTraces).is_ok();
        let (recent_traces, recent_errors) = if may_read_traces {
            (
                self.list_traces(actor, &traces(None)).await?,
                self.list_traces(actor, &traces(Some(StatusFilter::Error)))
                    .await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let anomalies = self
            .store
            .list_anomalies(false, now - 30 * DAY_MS, 1_000)
            .await?
            .into_iter()
            .filter(|a| a.agent == name)
            .collect();
        Ok(AgentDashboard {
            anomalies,
            control: self.store.agent_control(&name).await.ok(),
            agent_names: names,
            recent_traces,
            recent_errors,
            detail,
            charts,
        })
    }
}

impl Services {
    /// The last 24 hours at a glance, for the landing page of anyone signed in: the
    /// fleet's counts (no content, no money unless the caller may see costs), or an agent
    /// owner's own agents'.
    pub async fn fleet_state(&self, actor: &Actor) -> Result<FleetState, ServiceError> {
        let now = self.now();
        let (from, to) = (now - DAY_MS, now);
        let sees_fleet = [Permission::ViewSystemMetrics, Permission::ViewCosts]
            .iter()
            .any(|p| actor.require(*p).is_ok());
        let only = match self.metric_agents(actor).await {
            Ok(only) => only,
            // Roles without metrics (legal, on-call, reviewers) see the fleet's counts.
            Err(ServiceError::Forbidden(_)) => None,
            Err(other) => return Err(other),
        };
        let cells = self
            .read_cells(
                from,
                to,
                WHOLE,
                Resolution::Day,
                only.as_deref(),
                Parts::COUNTS,
            )
            .await?;
        let mut whole = Cell::default();
        for cell in cells.values() {
            whole.counts.add(&cell.counts);
        }
        for sketch in self
            .fleet_latency(from, to, WHOLE, Resolution::Day, only.as_deref())
            .await?
            .values()
        {
            whole.sketch.merge(sketch);
        }
        let active = self.active_agents(to, only.as_deref()).await?;
        let may_see_costs = actor.require(Permission::ViewCosts).is_ok()
            || actor.require(Permission::ViewSystemMetrics).is_ok();
        Ok(FleetState {
            scope: if only.is_some() && !sees_fleet {
                "your agents"
            } else {
                "fleet"
            }
            .into(),
            interactions: whole.counts.interactions,
            error_rate: whole.counts.error_rate(),
            p95_latency_ms: whole.sketch.quantile_ms(0.95),
            active_agents: active as i64,
            reporting_agents: cells.len() as i64,
            cost_today: if may_see_costs {
                Some(
                    self.spend(floor(now, DAY_MS), now + 1, only.as_deref())
                        .await?,
                )
            } else {
                None
            },
            currency: self.currency().to_string(),
        })
    }
}
