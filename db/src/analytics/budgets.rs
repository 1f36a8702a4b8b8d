//! Monthly budgets and the record of their hard caps acting. A change is written with its
//! audit event in one transaction, like every change people make.

use crate::governance::audit::{audit_lock, audit_write};
use crate::{DbError, Store, with_pool};
use warden_domain::audit::{AuditAction, NewAuditEvent};
use warden_domain::metrics::budget::{Budget, BudgetChange, BudgetScope, HardCap};

#[derive(sqlx::FromRow)]
struct BudgetRow {
    scope: String,
    monthly_micros: i64,
    hard_cap: String,
    rate_limit_per_min: Option<i64>,
    updated_by: String,
    updated_at: i64,
}

impl BudgetRow {
    fn into_budget(self) -> Option<Budget> {
        let hard_cap = match (self.hard_cap.as_str(), self.rate_limit_per_min) {
            ("pause", _) => HardCap::Pause,
            ("rate_limit", Some(n)) => HardCap::RateLimit {
                per_min: u32::try_from(n).ok().filter(|n| *n > 0)?,
            },
            _ => HardCap::None,
        };
        Some(Budget {
            scope: BudgetScope::from_key(&self.scope)?,
            monthly: self.monthly_micros as f64 / 1e6,
            hard_cap,
            updated_by: self.updated_by,
            updated_at: self.updated_at,
        })
    }
}

const COLUMNS: &str = "scope, monthly_micros, hard_cap, rate_limit_per_min, updated_by, updated_at";

fn cap_columns(cap: HardCap) -> (&'static str, Option<i64>) {
    match cap {
        HardCap::None => ("none", None),
        HardCap::Pause => ("pause", None),
        HardCap::RateLimit { per_min } => ("rate_limit", Some(i64::from(per_min))),
    }
}

/// What the audit trail keeps of a budget.
fn budget_json(b: &Budget) -> String {
    serde_json::json!({
        "monthly": b.monthly,
        "hard_cap": b.hard_cap.describe(),
    })
    .to_string()
}

pub(crate) fn micros(amount: f64) -> i64 {
    (amount * 1e6).round() as i64
}

impl Store {
    /// Every budget, the fleet's first, then by agent.
    pub async fn list_budgets(&self) -> Result<Vec<Budget>, DbError> {
        let sql = format!("select {COLUMNS} from budgets order by scope");
        let rows: Vec<BudgetRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        let mut budgets: Vec<Budget> = rows
            .into_iter()
            .filter_map(BudgetRow::into_budget)
            .collect();
        budgets.sort_by(|a, b| a.scope.cmp(&b.scope));
        Ok(budgets)
    }

    /// Sets a budget and records the change (before and after) in the audit trail; `seed`
    /// (the config file's) only inserts a scope never seeded before and not in the table,
    /// and returns `None` otherwise, so a budget removed by a person stays removed.
    pub async fn set_budget(
        &self,
        change: &BudgetChange,
        by: &str,
        now: i64,
        seed: bool,
    ) -> Result<Option<Budget>, DbError> {
        let select = format!("select {COLUMNS} from budgets where scope = $1");
        let conflict = if seed {
            "do nothing"
        } else {
            "do update set monthly_micros = excluded.monthly_micros, \
             hard_cap = excluded.hard_cap, rate_limit_per_min = excluded.rate_limit_per_min, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at"
        };
        let upsert = format!(
            "insert into budgets ({COLUMNS}) values ($1, $2, $3, $4, $5, $6) \
             on conflict (scope) {conflict} returning {COLUMNS}"
        );
        let key = change.scope.key();
        let (cap, per_min) = cap_columns(change.hard_cap);
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // A seed writes first (the seed's record, then the budget only where there is
            // none) and takes its place in the audit trail only once it has stored a
            // budget: a place taken and left empty would break the chain.
            let (head, before) = if seed {
                let first: Option<String> = sqlx::query_scalar(
                    "insert into budget_seeds (scope, seeded_at) values ($1, $2) \
                     on conflict do nothing returning scope",
                )
                .bind(&key)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                if first.is_none() {
                    return Ok(None);
                }
                (None, None)
            } else {
                let head = audit_lock!(tx);
                let before: Option<BudgetRow> =
                    sqlx::query_as(&select).bind(&key).fetch_optional(&mut *tx).await?;
                (Some(head), before)
            };
            let row: Option<BudgetRow> = sqlx::query_as(&upsert)
                .bind(&key)
                .bind(micros(change.monthly))
                .bind(cap)
                .bind(per_min)
                .bind(by)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            match row.and_then(BudgetRow::into_budget) {
                Some(after) => {
                    let head = match head {
                        Some(head) => head,
                        None => audit_lock!(tx),
                    };
                    let event = NewAuditEvent {
                        actor: by.to_string(),
                        action: AuditAction::BudgetSet,
                        target: format!("budget:{key}"),
                        before: before.and_then(BudgetRow::into_budget).map(|b| budget_json(&b)),
                        after: Some(budget_json(&after)),
                    };
                    audit_write!(tx, head, &event, now);
                    tx.commit().await?;
                    Some(after)
                }
                None => {
                    // Seeded over a budget a person set first: remembered as seeded, and
                    // nothing for the audit trail.
                    tx.commit().await?;
                    None
                }
            }
        }))
    }

    /// Removes a budget; `false` when there was none.
    pub async fn delete_budget(
        &self,
        scope: &BudgetScope,
        by: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let sql = format!("delete from budgets where scope = $1 returning {COLUMNS}");
        let key = scope.key();
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let row: Option<BudgetRow> =
                sqlx::query_as(&sql).bind(&key).fetch_optional(&mut *tx).await?;
            match row {
                Some(row) => {
                    let event = NewAuditEvent {
                        actor: by.to_string(),
                        action: AuditAction::BudgetDelete,
                        target: format!("budget:{key}"),
                        before: row.into_budget().map(|b| budget_json(&b)),
                        after: None,
                    };
                    audit_write!(tx, head, &event, now);
                    tx.commit().await?;
                    true
                }
                None => false,
            }
        }))
    }

    /// Claims a hard cap's action on `agent` for `month` (`YYYY-MM`), the budget's amount
    /// and its cap: `true` for the one caller that is to act.
    pub async fn claim_budget_enforcement(
        &self,
        budget: &Budget,
        month: &str,
        agent: &str,
        now: i64,
    ) -> Result<bool, DbError> {
        let claimed: Option<String> = with_pool!(self, pool => {
            sqlx::query_scalar(
                "insert into budget_enforcements (scope, month, monthly_micros, agent, \
                 applied_at, action) values ($1, $2, $3, $4, $5, $6) \
                 on conflict do nothing returning agent",
            )
            .bind(budget.scope.key())
            .bind(month)
            .bind(micros(budget.monthly))
            .bind(agent)
            .bind(now)
            .bind(budget.hard_cap.describe())
            .fetch_optional(pool)
            .await?
        });
        Ok(claimed.is_some())
    }

    /// Gives a claim back, when the switch it was for failed: the next check tries again.
    pub async fn release_budget_enforcement(
        &self,
        budget: &Budget,
        month: &str,
        agent: &str,
    ) -> Result<(), DbError> {
        with_pool!(self, pool => {
            sqlx::query(
                "delete from budget_enforcements where scope = $1 and month = $2 \
                 and monthly_micros = $3 and action = $4 and agent = $5",
            )
            .bind(budget.scope.key())
            .bind(month)
            .bind(micros(budget.monthly))
            .bind(budget.hard_cap.describe())
            .bind(agent)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
