//! Budgets on both engines with a controlled clock: status and forecast from the rollups,
//! who may set them (each change in the audit trail), the config file's seed, and hard caps
//! that switch an agent once a month however many replicas check.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use warden_db::testing::{SeedMinute, TestDb};
use warden_db::{UsageRecord, backend_tests};
use warden_domain::audit::AuditFilter;
use warden_domain::control::{ControlChange, ControlState};
use warden_domain::metrics::budget::{BudgetChange, BudgetScope, BudgetState, HardCap};
use warden_domain::metrics::dashboard::RangeChoice;
use warden_domain::metrics::range::{DAY_MS, HOUR_MS, MINUTE_MS};
use warden_domain::telemetry::AgentInfo;
use warden_domain::timefmt::parse_date;
use warden_domain::{CurrentUser, Role};
use warden_services::{Actor, ManualClock, ServiceError, ServiceSettings, Services};

fn user(email: &str, role: Role) -> Actor {
    Actor::User(CurrentUser {
        id: 1,
        email: email.into(),
        roles: vec![role],
    })
}

/// `per_day` spent by `agent` every day from `from` to `to`, an hour row at a time.
fn spending(agent: &str, from: i64, to: i64, per_day: f64) -> Vec<SeedMinute> {
    (0..(to - from) / HOUR_MS)
        .map(|h| {
            let minute = from + h * HOUR_MS;
            SeedMinute {
                agent: agent.into(),
                minute,
                usage: UsageRecord {
                    agent: agent.into(),
                    minute,
                    spans: 1,
                    cost_micros: (per_day / 24.0 * 1e6).round() as i64,
                    ..UsageRecord::default()
                },
                latency: Vec::new(),
            }
        })
        .collect()
}

fn budget(scope: BudgetScope, monthly: f64, hard_cap: HardCap) -> BudgetChange {
    BudgetChange {
        scope,
        monthly,
        hard_cap,
    }
}

async fn budgets_forecast_the_month_and_hard_caps_switch_an_agent_once(db: TestDb) {
    // 20 December, noon: 19.5 days of the month spent, 11.5 to go.
    let now = parse_date("2026-12-20").unwrap() + 12 * HOUR_MS;
    let clock = Arc::new(ManualClock::new(now));
    let replica = |clock: Arc<ManualClock>| {
        Services::new(db.store.clone(), clock, ServiceSettings::default())
    };
    let (a, b) = (replica(clock.clone()), replica(clock.clone()));
    for name in ["pay-agent", "chat-agent"] {
        db.store
            .save_agent(&AgentInfo::unregistered(name, None, now), now)
            .await
            .unwrap();
    }
    let from = now - 40 * DAY_MS + 12 * HOUR_MS; // a midnight, 40 days back
    let mut rows = spending("pay-agent", from, now, 10.0);
    rows.extend(spending("chat-agent", from, now, 1.0));
    db.store.seed_minutes(&rows).await.unwrap();
    db.store.roll_up(0, now - 7 * DAY_MS).await.unwrap();

    let (admin, finance, cto, owner) = (
        user("admin@example.com", Role::Admin),
        user("fin@example.com", Role::Finance),
        user("cto@example.com", Role::Cto),
        user("owner@example.com", Role::AgentOwner),
    );
    // The config file seeds the fleet's budget; finance sets pay-agent's.
    let seeded = a
        .seed_budgets(
            &[budget(BudgetScope::Fleet, 1000.0, HardCap::None)],
            "config",
        )
        .await
        .unwrap();
    assert_eq!(seeded, 1);
    let pay = BudgetScope::Agent("pay-agent".into());
    let status = a
        .set_budget(&finance, budget(pay.clone(), 250.0, HardCap::Pause))
        .await
        .unwrap();
    assert!((status.spent - 195.0).abs() < 0.01, "{status:?}");
    assert!(
        (status.forecast.expected - 310.0).abs() < 0.01,
        "{status:?}"
    );
    assert_eq!(status.forecast.history_days, 14);
    assert_eq!(status.state, BudgetState::AtRisk);

    // The CTO reads them, may not set them; an agent owner may not read them.
    let statuses = a.budget_statuses(&cto).await.unwrap();
    assert_eq!(statuses.len(), 2);
    assert_eq!(statuses[0].budget.scope, BudgetScope::Fleet);
    assert!(
        (statuses[0].spent - 214.5).abs() < 0.01,
        "{:?}",
        statuses[0]
    );
    assert_eq!(statuses[0].state, BudgetState::OnTrack);
    assert!(matches!(
        a.set_budget(&cto, budget(pay.clone(), 1.0, HardCap::None))
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        a.budget_statuses(&owner).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        a.set_budget(
            &finance,
            budget(BudgetScope::Agent("ghost".into()), 5.0, HardCap::None)
        )
        .await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        a.set_budget(&finance, budget(pay.clone(), -1.0, HardCap::None))
            .await,
        Err(ServiceError::Invalid(_))
    ));
    // A second seed keeps what the database holds; so does a first seed of a scope a
    // person set before, and the audit trail stays whole.
    assert_eq!(
        a.seed_budgets(&[budget(BudgetScope::Fleet, 5.0, HardCap::Pause)], "config")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        a.seed_budgets(&[budget(pay.clone(), 5.0, HardCap::None)], "config")
            .await
            .unwrap(),
        0
    );
    assert!(
        matches!(
            db.store.verify_audit().await.unwrap(),
            warden_domain::audit::ChainStatus::Intact { events: 2, .. }
        ),
        "{:?}",
        db.store.verify_audit().await
    );

    // Under budget nothing is switched.
    assert!(a.enforce_budgets().await.unwrap().is_empty());

    // A burst of 60 in the last half hour takes pay-agent past its 250.
    let burst = now - 30 * MINUTE_MS;
    db.store
        .seed_minutes(&[SeedMinute {
            agent: "pay-agent".into(),
            minute: burst,
            usage: UsageRecord {
                agent: "pay-agent".into(),
                minute: burst,
                spans: 1,
                cost_micros: 60_000_000,
                ..UsageRecord::default()
            },
            latency: Vec::new(),
        }])
        .await
        .unwrap();
    // As the rollup job would, so the hour reads the same once the clock moves on.
    db.store.roll_up(0, now - 7 * DAY_MS).await.unwrap();
    let statuses = b.budget_statuses(&finance).await.unwrap();
    let pay_status = statuses.iter().find(|s| s.budget.scope == pay).unwrap();
    assert_eq!(pay_status.state, BudgetState::Over, "{pay_status:?}");

    // Two replicas check: the agent is paused once, by the system, with the reason.
    let first = a.enforce_budgets().await.unwrap();
    let second = b.enforce_budgets().await.unwrap();
    assert_eq!(first.len() + second.len(), 1, "{first:?} {second:?}");
    let control = db.store.agent_control("pay-agent").await.unwrap();
    assert_eq!(control.state, ControlState::Paused);
    assert_eq!(control.updated_by, "system");
    assert!(
        control.reason.contains("monthly budget of pay-agent"),
        "{}",
        control.reason
    );
    assert_eq!(
        db.store.agent_control("chat-agent").await.unwrap().version,
        0,
        "the other agent is untouched"
    );

    // A person resumes it: the cap does not pause it again this month.
    a.set_agent_control(
        &admin,
        "pay-agent",
        ControlChange {
            state: ControlState::Running,
            reason: "budget raised next week; keep serving".into(),
            rate_limit_per_min: None,
            pinned_version: None,
        },
    )
    .await
    .unwrap();
    clock.advance(5 * MINUTE_MS);
    assert!(a.enforce_budgets().await.unwrap().is_empty());
    assert_eq!(
        db.store.agent_control("pay-agent").await.unwrap().state,
        ControlState::Running
    );
    // Finance changes the cap to a rate limit: that is a new decision, and it acts.
    a.set_budget(
        &finance,
        budget(pay.clone(), 250.0, HardCap::RateLimit { per_min: 3 }),
    )
    .await
    .unwrap();
    assert_eq!(b.enforce_budgets().await.unwrap().len(), 1);
    let limited = db.store.agent_control("pay-agent").await.unwrap();
    assert_eq!(
        (limited.state, limited.rate_limit_per_min),
        (ControlState::Running, Some(3))
    );

    // A rate-limit cap limits a running agent and leaves it running.
    a.set_budget(
        &admin,
        budget(
            BudgetScope::Agent("chat-agent".into()),
            5.0,
            HardCap::RateLimit { per_min: 7 },
        ),
    )
    .await
    .unwrap();
    let applied = b.enforce_budgets().await.unwrap();
    assert_eq!(applied.len(), 1, "{applied:?}");
    let chat = db.store.agent_control("chat-agent").await.unwrap();
    assert_eq!(
        (chat.state, chat.rate_limit_per_min),
        (ControlState::Running, Some(7))
    );

    // Every change is in the audit trail, with what it was before.
    let events = db
        .store
        .list_audit(
            &AuditFilter {
                action: Some("budget".into()),
                ..AuditFilter::default()
            },
            50,
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[3].actor, "config");
    assert_eq!(events[2].actor, "fin@example.com");
    assert_eq!(events[2].target, "budget:agent:pay-agent");
    assert!(events[2].after.as_deref().unwrap().contains("pause"));
    assert!(events[1].after.as_deref().unwrap().contains("rate limit"));
    a.delete_budget(&finance, &pay).await.unwrap();
    assert!(matches!(
        a.delete_budget(&finance, &pay).await,
        Err(ServiceError::NotFound(_))
    ));
    let events = db
        .store
        .list_audit(
            &AuditFilter {
                action: Some("budget.delete".into()),
                ..AuditFilter::default()
            },
            5,
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(events[0].before.is_some() && events[0].after.is_none());
    // The config file's budget, once removed by a person, is not seeded again at start.
    a.delete_budget(&finance, &BudgetScope::Fleet)
        .await
        .unwrap();
    assert_eq!(
        a.seed_budgets(
            &[budget(BudgetScope::Fleet, 1000.0, HardCap::None)],
            "config"
        )
        .await
        .unwrap(),
        0
    );
    a.set_budget(&finance, budget(BudgetScope::Fleet, 1000.0, HardCap::None))
        .await
        .unwrap();

    // The Cost Center shows the budgets and the month's chart, and whether one may edit.
    let dashboard = a
        .cost_dashboard(&finance, RangeChoice::Last30d, None)
        .await
        .unwrap();
    assert_eq!(dashboard.budgets.len(), 2);
    assert!(dashboard.may_edit_budgets);
    let month = dashboard
        .charts
        .iter()
        .find(|c| c.title.starts_with("Spend this month"))
        .unwrap();
    assert!(month.svg.contains("budget") && month.svg.contains("forecast"));
    assert!(
        !a.cost_dashboard(&cto, RangeChoice::Last24h, None)
            .await
            .unwrap()
            .may_edit_budgets
    );
}

backend_tests!(budgets_forecast_the_month_and_hard_caps_switch_an_agent_once,);
