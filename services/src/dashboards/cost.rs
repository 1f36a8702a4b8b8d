//! The Cost Center: spend over the range, today and this month, by agent and by model, this
//! month's spend against its budget with the forecast band, and the recommendations.

use super::chart;
use crate::charts::{BudgetPlot, Unit, bar_chart, budget_chart};
use crate::metrics::Parts;
use crate::{Actor, ServiceError, Services};
use std::collections::BTreeMap;
use warden_domain::metrics::budget::{self, BudgetScope, BudgetStatus, month_bounds};
use warden_domain::metrics::dashboard::{Chart, CostDashboard, ModelRow, RangeChoice};
use warden_domain::metrics::range::{DAY_MS, Resolution, floor};
use warden_domain::role::Permission;
use warden_domain::timefmt::iso_utc;

impl Services {
    /// The Cost Center: daily spend, spend by agent, month to date.
    pub async fn cost_dashboard(
        &self,
        actor: &Actor,
        range: RangeChoice,
        agent: Option<String>,
    ) -> Result<CostDashboard, ServiceError> {
        actor.require(Permission::ViewCosts)?;
        let now = self.now();
        let (from, to) = range.bounds(now);
        Self::check_range(from, to)?;
        let only = agent.map(|a| vec![a]);
        let read = self
            .read_dashboard(from, to, DAY_MS, only.as_deref())
            .await?;
        let labels: Vec<String> = read
            .steps
            .keys()
            .map(|t| iso_utc(*t)[5..10].to_string())
            .collect();
        let values: Vec<f64> = read.steps.values().map(|c| c.counts.cost()).collect();
        let currency = self.currency().to_string();
        let charts = vec![chart(
            "Daily spend",
            "total cost per day",
            bar_chart(
                &labels,
                &values,
                &format!("spend per UTC day ({currency})"),
                Unit::Money,
            ),
        )];
        let agent_names = self.agent_choices(&read).await?;
        let month_to_date = if month_bounds(now).0 >= from && to >= now {
            read.spend_since(month_bounds(now).0)
        } else {
            self.spend(month_bounds(now).0, now + 1, only.as_deref())
                .await?
        };
        let today = floor(now, DAY_MS);
        let cost_today = if to >= now && from <= today {
            read.spend_since(today)
        } else {
            self.spend(today, now + 1, only.as_deref()).await?
        };
        let mut agents = read.agents;
        agents.sort_by(|a, b| b.cost.total_cmp(&a.cost).then(a.agent.cmp(&b.agent)));
        let models = self.models_in(from, to, only.as_deref()).await?;
        let budgets = self.budget_statuses(actor).await?;
        let mut charts = charts;
        charts.push(
            self.budget_month_chart(now, only.as_deref(), &budgets)
                .await?,
        );
        Ok(CostDashboard {
            recommendations: self.recommendations(actor).await?,
            models,
            budgets,
            may_edit_budgets: actor.require(Permission::EditBudgets).is_ok(),
            from: iso_utc(from),
            to: iso_utc(to),
            total_cost: agents.iter().map(|a| a.cost).sum(),
            cost_today,
            month_to_date,
            agent_names,
            currency,
            agents,
            charts,
        })
    }

    /// Spend by model in `[from, to)`, for those who may see costs.
    pub async fn model_metrics(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
    ) -> Result<Vec<ModelRow>, ServiceError> {
        actor.require(Permission::ViewCosts)?;
        Self::check_range(from, to)?;
        self.models_in(from, to, None).await
    }

    /// Spend by model in `[from, to)` of the agents in `only` (or all), largest first.
    pub(crate) async fn models_in(
        &self,
        from: i64,
        to: i64,
        only: Option<&[String]>,
    ) -> Result<Vec<ModelRow>, ServiceError> {
        let mut by_model: BTreeMap<String, ModelRow> = BTreeMap::new();
        for m in self.store.model_spend(from, to, only).await? {
            let row = by_model.entry(m.model.clone()).or_insert_with(|| ModelRow {
                model: m.model.clone(),
                agents: Vec::new(),
                calls: 0,
                failed_calls: 0,
                input_tokens: 0,
                output_tokens: 0,
                cache_read_tokens: 0,
                cost: 0.0,
            });
            row.agents.push(m.agent);
            row.calls += m.calls;
            row.failed_calls += m.failed_calls;
            row.input_tokens += m.input_tokens;
            row.output_tokens += m.output_tokens;
            row.cache_read_tokens += m.cache_read_tokens;
            row.cost += m.cost_micros as f64 / 1e6;
        }
        let mut rows: Vec<ModelRow> = by_model.into_values().collect();
        rows.sort_by(|a, b| {
            b.cost
                .total_cmp(&a.cost)
                .then_with(|| a.model.cmp(&b.model))
        });
        Ok(rows)
    }

    /// This month's spend of the fleet (or the one agent filtered on) added up day by
    /// day, its forecast band and its budget.
    async fn budget_month_chart(
        &self,
        now: i64,
        only: Option<&[String]>,
        budgets: &[BudgetStatus],
    ) -> Result<Chart, ServiceError> {
        let (month_start, month_end) = month_bounds(now);
        let scope = match only {
            Some([agent]) => BudgetScope::Agent(agent.clone()),
            _ => BudgetScope::Fleet,
        };
        let status = budgets.iter().find(|s| s.budget.scope == scope);
        let cells = self
            .read_cells(
                month_start,
                now + 1,
                DAY_MS,
                Resolution::Day,
                only,
                Parts::COUNTS,
            )
            .await?;
        let mut per_day: BTreeMap<i64, f64> = BTreeMap::new();
        for ((_, t), cell) in &cells {
            *per_day.entry(*t).or_default() += cell.counts.cost();
        }
        // Every day of the month so far, those without spend included: the line is flat
        // where nothing was spent, not a slope to the next day that spent.
        let mut total = 0.0;
        let cumulative: Vec<(i64, f64)> = (0..)
            .map(|d| month_start + d * DAY_MS)
            .take_while(|t| *t <= now)
            .map(|t| {
                total += per_day.get(&t).copied().unwrap_or(0.0);
                ((t + DAY_MS).min(now), total)
            })
            .collect();
        let fallback;
        let forecast = match status {
            Some(s) => &s.forecast,
            None => {
                // No budget for this scope: the same forecast, without a line to meet.
                let (_, days) = self.read_spend(now, only).await?.of(&scope);
                fallback = budget::forecast(now, total, &days);
                &fallback
            }
        };
        let title = format!("Spend this month, {}", scope.label());
        Ok(chart(
            &title,
            "budget forecast",
            budget_chart(&BudgetPlot {
                month_start,
                month_end,
                now,
                cumulative: &cumulative,
                forecast,
                budget: status.map(|s| s.budget.monthly),
                y_desc: &format!("spend this month ({})", self.currency()),
            }),
        ))
    }
}
