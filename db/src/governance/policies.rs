//! Policy versions, proposals and approvals. Each change here is recorded in the audit
//! trail inside its own transaction; an approval that completes a proposal also writes the
//! new version in that transaction, so a version never exists without its approvals.

use crate::governance::audit::{audit_lock, audit_write};
use crate::{DbError, Store, with_pool};
use warden_domain::audit::{AuditAction, NewAuditEvent};
use warden_domain::policy::{Approval, PolicyProposal, PolicyVersionInfo, ProposalState};

/// A proposal to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub base_version: i64,
    pub document: String,
    pub changes: Vec<String>,
    pub affected_levels: Vec<String>,
    pub affected_agents: Vec<String>,
    pub required_approvals: u32,
    pub author: String,
    pub note: String,
    pub created_at: i64,
}

/// What an approval did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalOutcome {
    /// Recorded; more approvals are needed.
    Recorded,
    /// It was the last one needed: the proposal is now this version.
    Applied { version: i64 },
    /// Recorded, but another version took effect since the proposal was made: it is stale.
    Stale { current_version: i64 },
    /// The proposal is no longer open.
    NotOpen(ProposalState),
    /// This person has approved it already.
    AlreadyApproved,
}

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    base_version: i64,
    document: String,
    changes: String,
    affected_agents: String,
    required_approvals: i64,
    state: String,
    author: String,
    note: String,
    created_at: i64,
    decided_at: Option<i64>,
    decided_by: Option<String>,
    decision_note: Option<String>,
    applied_version: Option<i64>,
}

/// The affected levels and agents are kept together as one JSON object.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Affected {
    levels: Vec<String>,
    agents: Vec<String>,
}

impl ProposalRow {
    fn into_proposal(self, approvals: Vec<Approval>) -> PolicyProposal {
        let affected: Affected = serde_json::from_str(&self.affected_agents).unwrap_or_default();
        PolicyProposal {
            id: self.id,
            base_version: self.base_version,
            document: self.document,
            changes: serde_json::from_str(&self.changes).unwrap_or_default(),
            affected_levels: affected.levels,
            affected_agents: affected.agents,
            required_approvals: u32::try_from(self.required_approvals).unwrap_or(2),
            // A state this version does not know is treated as closed.
            state: ProposalState::parse(&self.state).unwrap_or(ProposalState::Withdrawn),
            author: self.author,
            note: self.note,
            created_at: self.created_at,
            approvals,
            decided_at: self.decided_at,
            decided_by: self.decided_by,
            decision_note: self.decision_note,
            applied_version: self.applied_version,
        }
    }
}

const PROPOSAL_COLUMNS: &str = "id, base_version, document, changes, affected_agents, \
     required_approvals, state, author, note, created_at, decided_at, decided_by, \
     decision_note, applied_version";

impl Store {
    /// The version in force and its document; `None` before the config file seeded one.
    pub async fn active_policy_version(&self) -> Result<Option<(i64, String)>, DbError> {
        Ok(with_pool!(self, pool => {
            sqlx::query_as(
                "select version, document from policy_versions order by version desc limit 1",
            )
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The number of the version in force (0 for none): cheap, for replicas that poll.
    pub async fn policy_version_number(&self) -> Result<i64, DbError> {
        let (n,): (Option<i64>,) = with_pool!(self, pool => {
            sqlx::query_as("select max(version) from policy_versions")
                .fetch_one(pool)
                .await?
        });
        Ok(n.unwrap_or(0))
    }

    /// One version's document.
    pub async fn policy_version_document(&self, version: i64) -> Result<Option<String>, DbError> {
        let row: Option<(String,)> = with_pool!(self, pool => {
            sqlx::query_as("select document from policy_versions where version = $1")
                .bind(version)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(d,)| d))
    }

    /// Every version, newest first.
    pub async fn list_policy_versions(&self) -> Result<Vec<PolicyVersionInfo>, DbError> {
        let rows: Vec<(i64, i64, String, Option<i64>)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select version, created_at, created_by, proposal_id from policy_versions \
                 order by version desc",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(version, created_at, created_by, proposal_id)| PolicyVersionInfo {
                    version,
                    created_at,
                    created_by,
                    proposal_id,
                },
            )
            .collect())
    }

    /// Stores `document` as version 1 unless a version exists; whether it did. Replicas
    /// starting together store it once.
    pub async fn seed_policy_version(&self, document: &str, at: i64) -> Result<bool, DbError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let (existing,): (i64,) = sqlx::query_as("select count(*) from policy_versions")
                .fetch_one(&mut *tx)
                .await?;
            if existing > 0 {
                // Dropping the transaction rolls back the head it took.
                false
            } else {
                sqlx::query(
                    "insert into policy_versions (version, document, created_at, created_by) \
                     values (1, $1, $2, 'system')",
                )
                .bind(document)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let event = NewAuditEvent {
                    actor: "system".into(),
                    action: AuditAction::PolicySeed,
                    target: "policy:1".into(),
                    before: None,
                    after: Some(serde_json::json!({ "version": 1, "document": document }).to_string()),
                };
                audit_write!(tx, head, &event, at);
                tx.commit().await?;
                true
            }
        }))
    }

    /// Stores a proposal and records it.
    pub async fn create_proposal(&self, new: &NewProposal) -> Result<i64, DbError> {
        let affected = serde_json::json!({
            "levels": new.affected_levels,
            "agents": new.affected_agents,
        })
        .to_string();
        let changes = serde_json::to_string(&new.changes).unwrap_or_else(|_| "[]".into());
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let (id,): (i64,) = sqlx::query_as(
                "insert into policy_proposals (base_version, document, changes, affected_agents, \
                 required_approvals, state, author, note, created_at) \
                 values ($1, $2, $3, $4, $5, 'open', $6, $7, $8) returning id",
            )
            .bind(new.base_version)
            .bind(&new.document)
            .bind(&changes)
            .bind(&affected)
            .bind(i64::from(new.required_approvals))
            .bind(&new.author)
            .bind(&new.note)
            .bind(new.created_at)
            .fetch_one(&mut *tx)
            .await?;
            let event = NewAuditEvent {
                actor: new.author.clone(),
                action: AuditAction::PolicyPropose,
                target: format!("proposal:{id}"),
                before: Some(serde_json::json!({ "version": new.base_version }).to_string()),
                after: Some(
                    serde_json::json!({
                        "changes": new.changes,
                        "required_approvals": new.required_approvals,
                        "note": new.note,
                        "document": new.document,
                    })
                    .to_string(),
                ),
            };
            audit_write!(tx, head, &event, new.created_at);
            tx.commit().await?;
            id
        }))
    }

    /// One proposal with its approvals.
    pub async fn proposal(&self, id: i64) -> Result<Option<PolicyProposal>, DbError> {
        let sql = format!("select {PROPOSAL_COLUMNS} from policy_proposals where id = $1");
        let row: Option<ProposalRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        let Some(row) = row else { return Ok(None) };
        let approvals = self.approvals_of(&[row.id]).await?;
        Ok(Some(row.into_proposal(
            approvals.into_iter().map(|(_, a)| a).collect(),
        )))
    }

    /// The newest proposals, open ones first.
    pub async fn list_proposals(&self, limit: u32) -> Result<Vec<PolicyProposal>, DbError> {
        let sql = format!(
            "select {PROPOSAL_COLUMNS} from policy_proposals \
             order by case when state = 'open' then 0 else 1 end, id desc limit $1"
        );
        let rows: Vec<ProposalRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(i64::from(limit)).fetch_all(pool).await?
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut approvals = self.approvals_of(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mine = approvals
                    .iter()
                    .filter(|(id, _)| *id == row.id)
                    .map(|(_, a)| a.clone())
                    .collect();
                approvals.retain(|(id, _)| *id != row.id);
                row.into_proposal(mine)
            })
            .collect())
    }

    async fn approvals_of(&self, ids: &[i64]) -> Result<Vec<(i64, Approval)>, DbError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String, String, i64)> = with_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new(
                "select proposal_id, approver, note, at from policy_approvals where proposal_id in (",
            );
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(") order by at, approver");
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, approver, note, at)| (id, Approval { approver, note, at }))
            .collect())
    }

    /// Records `approver`'s approval; when it is the last one needed, the proposal becomes
    /// the next version, if the version it was written against is still in force.
    pub async fn approve_proposal(
        &self,
        id: i64,
        approver: &str,
        note: &str,
        at: i64,
    ) -> Result<ApprovalOutcome, DbError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let row: Option<(String, i64, i64, String, String)> = sqlx::query_as(
                "select state, required_approvals, base_version, document, author \
                 from policy_proposals where id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((state, required, base_version, document, author)) = row else {
                return Err(DbError::NotFound);
            };
            let state = ProposalState::parse(&state).unwrap_or(ProposalState::Withdrawn);
            if state != ProposalState::Open {
                return Ok(ApprovalOutcome::NotOpen(state));
            }
            let inserted = sqlx::query(
                "insert into policy_approvals (proposal_id, approver, note, at) \
                 values ($1, $2, $3, $4) on conflict (proposal_id, approver) do nothing",
            )
            .bind(id)
            .bind(approver)
            .bind(note)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Ok(ApprovalOutcome::AlreadyApproved);
            }
            let (count,): (i64,) =
                sqlx::query_as("select count(*) from policy_approvals where proposal_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let event = NewAuditEvent {
                actor: approver.to_string(),
                action: AuditAction::PolicyApprove,
                target: format!("proposal:{id}"),
                before: None,
                after: Some(
                    serde_json::json!({ "approvals": count, "required": required, "note": note })
                        .to_string(),
                ),
            };
            audit_write!(tx, head, &event, at);
            let outcome = if count < required {
                ApprovalOutcome::Recorded
            } else {
                let (current,): (Option<i64>,) =
                    sqlx::query_as("select max(version) from policy_versions")
                        .fetch_one(&mut *tx)
                        .await?;
                let current = current.unwrap_or(0);
                if current != base_version {
                    sqlx::query(
                        "update policy_proposals set state = 'stale', decided_at = $2, \
                         decided_by = $3, decision_note = $4 where id = $1",
                    )
                    .bind(id)
                    .bind(at)
                    .bind(approver)
                    .bind(format!(
                        "version {current} took effect after this proposal was made on \
                         version {base_version}"
                    ))
                    .execute(&mut *tx)
                    .await?;
                    ApprovalOutcome::Stale { current_version: current }
                } else {
                    let version = current + 1;
                    sqlx::query(
                        "insert into policy_versions (version, document, created_at, \
                         created_by, proposal_id) values ($1, $2, $3, $4, $5)",
                    )
                    .bind(version)
                    .bind(&document)
                    .bind(at)
                    .bind(&author)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "update policy_proposals set state = 'applied', decided_at = $2, \
                         decided_by = $3, applied_version = $4 where id = $1",
                    )
                    .bind(id)
                    .bind(at)
                    .bind(approver)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
                    let head = audit_lock!(tx);
                    let event = NewAuditEvent {
                        actor: approver.to_string(),
                        action: AuditAction::PolicyApply,
                        target: format!("policy:{version}"),
                        before: Some(serde_json::json!({ "version": current }).to_string()),
                        after: Some(
                            serde_json::json!({ "version": version, "proposal": id }).to_string(),
                        ),
                    };
                    audit_write!(tx, head, &event, at);
                    ApprovalOutcome::Applied { version }
                }
            };
            tx.commit().await?;
            outcome
        }))
    }

    /// Closes an open proposal as rejected or withdrawn; `false` when it was not open.
    pub async fn close_proposal(
        &self,
        id: i64,
        state: ProposalState,
        by: &str,
        note: &str,
        at: i64,
    ) -> Result<bool, DbError> {
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let head = audit_lock!(tx);
            let closed = sqlx::query(
                "update policy_proposals set state = $2, decided_at = $3, decided_by = $4, \
                 decision_note = $5 where id = $1 and state = 'open'",
            )
            .bind(id)
            .bind(state.as_str())
            .bind(at)
            .bind(by)
            .bind(note)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if closed {
                let event = NewAuditEvent {
                    actor: by.to_string(),
                    action: if state == ProposalState::Withdrawn {
                        AuditAction::PolicyWithdraw
                    } else {
                        AuditAction::PolicyReject
                    },
                    target: format!("proposal:{id}"),
                    before: Some(serde_json::json!({ "state": "open" }).to_string()),
                    after: Some(
                        serde_json::json!({ "state": state.as_str(), "note": note }).to_string(),
                    ),
                };
                audit_write!(tx, head, &event, at);
                tx.commit().await?;
            }
            closed
        }))
    }
}
