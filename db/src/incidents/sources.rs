//! Violations and anomalies as the outbox of incidents: rows written unchecked with the
//! finding, marked checked in the transaction that opens or joins its incident (or, for
//! findings that page nobody, in one statement), so each is handled once by one replica
//! and none is lost to a crash in between.

use super::{NewIncident, Opened, open_in};
use crate::analytics::anomalies::{AnomalyRow, COLUMNS as ANOMALY_COLUMNS};
use crate::governance::violations::ViolationRow;
use crate::{DbError, Store, with_pool};
use warden_domain::metrics::anomaly::Anomaly;
use warden_domain::policy::{RuleName, Violation};

/// Which table a finding is a row of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingSource {
    Violation,
    Anomaly,
}

impl FindingSource {
    fn table(self) -> &'static str {
        match self {
            FindingSource::Violation => "violations",
            FindingSource::Anomaly => "anomalies",
        }
    }
}

/// `update <table> set incident_checked_at = now where ... and id in (ids)`.
fn mark_query<'a, DB: sqlx::Database>(
    source: FindingSource,
    ids: &'a [i64],
    now: i64,
) -> sqlx::QueryBuilder<'a, DB>
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut query = sqlx::QueryBuilder::new(format!(
        "update {} set incident_checked_at = ",
        source.table()
    ));
    query
        .push_bind(now)
        .push(" where incident_checked_at is null and id in (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
    query
}

impl Store {
    /// Violations no incident job has looked at yet, oldest first.
    /// Also the ids of rows this version cannot read (a rule a newer version added): the
    /// caller marks them checked, or they would stall the outbox.
    pub async fn unchecked_violations(
        &self,
        limit: i64,
    ) -> Result<(Vec<Violation>, Vec<i64>), DbError> {
        let rows: Vec<ViolationRow> = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, rule, severity, agent, level, trace_id, span_id, evidence, \
                 detected_at from violations where incident_checked_at is null \
                 order by id limit $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let mut read = Vec::with_capacity(rows.len());
        let mut unreadable = Vec::new();
        for row in rows {
            let id = row.id;
            match row.into_violation() {
                Some(v) => read.push(v),
                None => unreadable.push(id),
            }
        }
        Ok((read, unreadable))
    }

    /// Anomalies no incident job has looked at yet, oldest first.
    pub async fn unchecked_anomalies(&self, limit: i64) -> Result<Vec<Anomaly>, DbError> {
        let sql = format!(
            "select {ANOMALY_COLUMNS} from anomalies where incident_checked_at is null \
             order by id limit $1"
        );
        let rows: Vec<AnomalyRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(limit).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Marks findings that open no incident as checked.
    pub async fn mark_findings_checked(
        &self,
        source: FindingSource,
        ids: &[i64],
        now: i64,
    ) -> Result<(), DbError> {
        for chunk in ids.chunks(500) {
            with_pool!(self, pool => {
                mark_query(source, chunk, now).build().execute(pool).await?;
            });
        }
        Ok(())
    }

    /// Opens (or joins) the incident of a finding and marks the finding checked, in one
    /// transaction; `None` when another replica checked it first.
    pub async fn open_incident_for(
        &self,
        source: FindingSource,
        id: i64,
        new: &NewIncident,
    ) -> Result<Option<Opened>, DbError> {
        let mark = format!(
            "update {} set incident_checked_at = $2 where id = $1 \
             and incident_checked_at is null",
            source.table()
        );
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let won = sqlx::query(&mark)
                .bind(id)
                .bind(new.opened_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if won == 0 {
                return Ok(None);
            }
            let opened = open_in!(tx, new);
            tx.commit().await?;
            Ok(Some(opened))
        })
    }

    /// How many violations of `rule` `agent` had in `[since, until]` (a rule that pages
    /// only when breached repeatedly).
    pub async fn count_violations(
        &self,
        agent: &str,
        rule: RuleName,
        since: i64,
        until: i64,
    ) -> Result<i64, DbError> {
        let (n,): (i64,) = with_pool!(self, pool => {
            sqlx::query_as(
                "select count(*) from violations where agent = $1 and rule = $2 \
                 and detected_at >= $3 and detected_at <= $4",
            )
            .bind(agent)
            .bind(rule.as_str())
            .bind(since)
            .bind(until)
            .fetch_one(pool)
            .await?
        });
        Ok(n)
    }
}

impl Store {
    /// Incidents opened since `since` that name an agent, oldest first: what the cascade
    /// rule reads.
    pub async fn recent_agent_incidents(
        &self,
        since: i64,
    ) -> Result<Vec<warden_domain::incident::cascade::Failing>, DbError> {
        let rows: Vec<(i64, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(
                "select id, agent, kind from incidents where opened_at >= $1 \
                 and agent is not null order by id limit 1000",
            )
            .bind(since)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(id, agent, kind)| {
                Some(warden_domain::incident::cascade::Failing {
                    id,
                    agent,
                    kind: warden_domain::incident::Kind::parse(&kind)?,
                })
            })
            .collect())
    }
}
