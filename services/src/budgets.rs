//! Monthly budgets: their status with the month-end forecast (finance and CTOs read them,
//! finance and admins set them) and the hard caps, which switch an agent through its
//! control state once its budget is spent.

use crate::metrics::{Cells, Parts, WHOLE};
use crate::{Actor, ServiceError, Services};
use std::collections::BTreeMap;
use warden_domain::control::{ControlChange, ControlState};
use warden_domain::metrics::budget::{
    BudgetChange, BudgetScope, BudgetState, BudgetStatus, HISTORY_DAYS, HardCap, capped_agents,
    forecast, month_bounds,
};
use warden_domain::metrics::range::{DAY_MS, Resolution, floor};
use warden_domain::role::Permission;
use warden_domain::telemetry::pricing::format_money;
use warden_domain::timefmt::iso_utc;

/// A hard cap that switched an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapApplied {
    pub agent: String,
    pub budget: String,
    pub action: String,
}

/// This month's spend per agent and the daily spend of the whole days before today.
pub(crate) struct Spend {
    month: BTreeMap<String, f64>,
    /// Per agent, [`HISTORY_DAYS`] days oldest first.
    daily: BTreeMap<String, Vec<f64>>,
}

impl Spend {
    pub(crate) fn of(&self, scope: &BudgetScope) -> (f64, Vec<f64>) {
        match scope {
            BudgetScope::Fleet => {
                let mut days = vec![0.0; HISTORY_DAYS as usize];
                for agent_days in self.daily.values() {
                    for (sum, d) in days.iter_mut().zip(agent_days) {
                        *sum += d;
                    }
                }
                (self.month.values().sum(), days)
            }
            BudgetScope::Agent(name) => (
                self.month.get(name).copied().unwrap_or(0.0),
                self.daily
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| vec![0.0; HISTORY_DAYS as usize]),
            ),
        }
    }
}

impl Services {
    /// The spend of the agents in `only` (or all) this month and over the days before.
    pub(crate) async fn read_spend(
        &self,
        now: i64,
        only: Option<&[String]>,
    ) -> Result<Spend, ServiceError> {
        let (month_start, _) = month_bounds(now);
        let today = floor(now, DAY_MS);
        let mut month = BTreeMap::new();
        let cells: Cells = self
            .read_cells(
                month_start,
                now + 1,
                WHOLE,
                Resolution::Day,
                only,
                Parts::COUNTS,
            )
            .await?;
        for ((agent, _), cell) in cells {
            *month.entry(agent).or_insert(0.0) += cell.counts.cost();
        }
        let history_from = today - HISTORY_DAYS * DAY_MS;
        let mut daily: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let cells = self
            .read_cells(
                history_from,
                today,
                DAY_MS,
                Resolution::Day,
                only,
                Parts::COUNTS,
            )
            .await?;
        for ((agent, t), cell) in cells {
            let days = daily
                .entry(agent)
                .or_insert_with(|| vec![0.0; HISTORY_DAYS as usize]);
            if let Some(slot) = usize::try_from((t - history_from) / DAY_MS)
                .ok()
                .and_then(|i| days.get_mut(i))
            {
                *slot += cell.counts.cost();
            }
        }
        Ok(Spend { month, daily })
    }

    async fn statuses_at(&self, now: i64) -> Result<(Vec<BudgetStatus>, Spend), ServiceError> {
        let budgets = self.store.list_budgets().await?;
        let spend = self.read_spend(now, None).await?;
        let statuses = budgets
            .into_iter()
            .map(|budget| {
                let (spent, days) = spend.of(&budget.scope);
                let f = forecast(now, spent, &days);
                BudgetStatus::new(budget, spent, f)
            })
            .collect();
        Ok((statuses, spend))
    }

    /// Every budget with its spend this month, forecast and state.
    pub async fn budget_statuses(&self, actor: &Actor) -> Result<Vec<BudgetStatus>, ServiceError> {
        actor.require(Permission::ViewCosts)?;
        Ok(self.statuses_at(self.now()).await?.0)
    }

    /// Sets a budget (finance and admins); an agent's budget is for an agent Warden knows.
    pub async fn set_budget(
        &self,
        actor: &Actor,
        change: BudgetChange,
    ) -> Result<BudgetStatus, ServiceError> {
        actor.require(Permission::EditBudgets)?;
        let change = change.validate().map_err(ServiceError::Invalid)?;
        if let BudgetScope::Agent(name) = &change.scope
            && self.store.find_agent(name).await?.is_none()
        {
            return Err(ServiceError::NotFound("agent"));
        }
        let now = self.now();
        self.store
            .set_budget(&change, &actor.audit_name(), now, false)
            .await?
            .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("the budget was not stored")))?;
        let (statuses, _) = self.statuses_at(now).await?;
        statuses
            .into_iter()
            .find(|s| s.budget.scope == change.scope)
            .ok_or(ServiceError::NotFound("budget"))
    }

    /// Removes a budget (finance and admins).
    pub async fn delete_budget(
        &self,
        actor: &Actor,
        scope: &BudgetScope,
    ) -> Result<(), ServiceError> {
        actor.require(Permission::EditBudgets)?;
        if self
            .store
            .delete_budget(scope, &actor.audit_name(), self.now())
            .await?
        {
            Ok(())
        } else {
            Err(ServiceError::NotFound("budget"))
        }
    }

    /// Stores budgets that the database never held (the config file's, or the demo's,
    /// named by `source` in the audit trail); returns how many were new. Budgets changed or
    /// removed on the Cost Center page keep their change.
    pub async fn seed_budgets(
        &self,
        budgets: &[BudgetChange],
        source: &str,
    ) -> Result<usize, ServiceError> {
        let mut added = 0;
        for change in budgets {
            let change = change.clone().validate().map_err(|e| {
                ServiceError::Invalid(format!("budget of {}: {e}", change.scope.label()))
            })?;
            if self
                .store
                .set_budget(&change, source, self.now(), true)
                .await?
                .is_some()
            {
                added += 1;
            }
        }
        Ok(added)
    }

    /// The hard caps of the budgets spent this month: each agent under one is switched
    /// once per month and budget amount (claimed in the database, so one replica does it),
    /// and only while it runs: a person who paused, killed or resumed it decides.
    pub async fn enforce_budgets(&self) -> Result<Vec<CapApplied>, ServiceError> {
        let now = self.now();
        let month = iso_utc(now)[..7].to_string();
        let (statuses, spend) = self.statuses_at(now).await?;
        let spenders: Vec<String> = spend
            .month
            .iter()
            .filter(|(_, s)| **s > 0.0)
            .map(|(a, _)| a.clone())
            .collect();
        let mut applied = Vec::new();
        let mut failed = None;
        for status in &statuses {
            if status.state != BudgetState::Over || status.budget.hard_cap == HardCap::None {
                continue;
            }
            let budget = &status.budget;
            for agent in capped_agents(&budget.scope, &spenders) {
                if self.store.find_agent(&agent).await?.is_none()
                    || !self
                        .store
                        .claim_budget_enforcement(budget, &month, &agent, now)
                        .await?
                {
                    continue;
                }
                match self.apply_cap(status, &agent).await {
                    Ok(Some(done)) => applied.push(done),
                    Ok(None) => {}
                    Err(e) => {
                        // Unclaimed, the next check acts again rather than never; the
                        // other agents and budgets are still checked now.
                        tracing::warn!(agent = %agent, budget = %budget.scope.key(), error = %e,
                            "a budget's hard cap could not switch an agent");
                        if let Err(release) = self
                            .store
                            .release_budget_enforcement(budget, &month, &agent)
                            .await
                        {
                            tracing::warn!(error = %release, "giving back a budget cap's claim");
                        }
                        failed.get_or_insert(e);
                    }
                }
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(applied),
        }
    }

    /// Switches `agent` as `status`'s hard cap says, if it runs; `None` when a person's
    /// state (paused, killed) stands.
    async fn apply_cap(
        &self,
        status: &BudgetStatus,
        agent: &str,
    ) -> Result<Option<CapApplied>, ServiceError> {
        let budget = &status.budget;
        let current = self.store.agent_control(agent).await?;
        if current.state != ControlState::Running {
            return Ok(None);
        }
        let reason = format!(
            "the monthly budget of {} is spent: {} of {}",
            budget.scope.label(),
            format_money(status.spent, self.currency()),
            format_money(budget.monthly, self.currency())
        );
        let change = match budget.hard_cap {
            HardCap::Pause => ControlChange {
                state: ControlState::Paused,
                reason,
                rate_limit_per_min: current.rate_limit_per_min,
                pinned_version: current.pinned_version.clone(),
            },
            HardCap::RateLimit { per_min } => ControlChange {
                state: ControlState::Running,
                reason,
                rate_limit_per_min: Some(
                    current
                        .rate_limit_per_min
                        .map_or(per_min, |r| r.min(per_min)),
                ),
                pinned_version: current.pinned_version.clone(),
            },
            HardCap::None => return Ok(None),
        };
        self.set_agent_control(&Actor::System, agent, change)
            .await?;
        tracing::warn!(agent = %agent, budget = %budget.scope.key(),
            action = %budget.hard_cap.describe(), "a budget's hard cap switched an agent");
        Ok(Some(CapApplied {
            agent: agent.to_string(),
            budget: budget.scope.key(),
            action: budget.hard_cap.describe(),
        }))
    }
}
