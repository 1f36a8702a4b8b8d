//! Runbooks and post-mortems on both engines with a controlled clock: automatic steps run
//! once and in order (also with two replicas), a health check waits for the agent's spans
//! and recovers the incident or hands over to a rollback, people run, tick and skip the
//! rest; resolving opens the post-mortem of a severe incident, responders draft it and
//! reviewers close it, every change in the audit trail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use warden_db::testing::{TestDb, span_record};
use warden_db::{IngestWrite, backend_tests};
use warden_domain::audit::AuditFilter;
use warden_domain::control::ControlState;
use warden_domain::incident::postmortem::{
    ActionItem, ItemStatus, PostmortemStatus, PostmortemText,
};
use warden_domain::incident::runbook::StepStatus;
use warden_domain::incident::{EntryKind, Kind, Status};
use warden_domain::policy::Severity;
use warden_domain::telemetry::{AgentInfo, SpanId, TraceId};
use warden_domain::{CurrentUser, Role};
use warden_services::incidents::{AgentCommands, Finding, HandStep, PostmortemInput, StepInput};
use warden_services::{Actor, Clock, ManualClock, ServiceError, ServiceSettings, Services};

const T0: i64 = 1_796_040_000_000;
const S: i64 = 1_000;

/// Records restart commands; agents named `*-nohook` have no webhook.
#[derive(Default)]
struct Commands {
    restarts: Mutex<Vec<(String, i64)>>,
}

#[async_trait::async_trait]
impl AgentCommands for Commands {
    async fn restart(&self, agent: &str, incident: i64) -> Result<String, String> {
        if agent.ends_with("-nohook") {
            return Err(format!(
                "{agent} has no control webhook: restart it by hand"
            ));
        }
        self.restarts.lock().unwrap().push((agent.into(), incident));
        Ok("restart command delivered".into())
    }
}

fn user(id: i64, email: &str, role: Role) -> Actor {
    Actor::User(CurrentUser {
        id,
        email: email.into(),
        roles: vec![role],
    })
}

async fn setup(db: &TestDb) -> (Arc<ManualClock>, Services) {
    let clock = Arc::new(ManualClock::new(T0));
    let services = services_on(db, clock.clone());
    for name in ["pay-agent", "hr-agent", "mail-nohook"] {
        let agent = AgentInfo::unregistered(name, None, T0);
        db.store.save_agent(&agent, T0).await.unwrap();
    }
    (clock, services)
}

fn services_on(db: &TestDb, clock: Arc<ManualClock>) -> Services {
    Services::new(db.store.clone(), clock, ServiceSettings::default())
}

/// Spans of `agent` received at `at`, naming `version`.
async fn spans(db: &TestDb, agent: &str, at: i64, version: Option<&str>, n: u8) {
    let mut record = span_record(TraceId([n; 16]), SpanId([n; 8]), agent, at * 1_000_000);
    record.span.service_version = version.map(Into::into);
    db.store
        .commit_ingest(&[IngestWrite {
            spans: vec![record],
            agents_seen: vec![(agent.into(), None)],
            received_at: at,
            ..IngestWrite::default()
        }])
        .await
        .unwrap();
}

async fn raise(services: &Services, kind: Kind, agent: &str, severity: Severity) -> i64 {
    services
        .raise_incident(Finding {
            kind,
            severity,
            agent: Some(agent.into()),
            rule: None,
            title: format!("{agent}: {}", kind.as_str()),
            detail: "test".into(),
        })
        .await
        .unwrap()
        .incident
        .id
}

async fn statuses(services: &Services, id: i64) -> Vec<StepStatus> {
    services
        .incident_detail(&Actor::System, id)
        .await
        .unwrap()
        .steps
        .iter()
        .map(|s| s.status)
        .collect()
}

async fn an_unreachable_agent_is_restarted_checked_and_recovers(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let commands = Commands::default();
    let id = raise(
        &services,
        Kind::AgentUnreachable,
        "pay-agent",
        Severity::High,
    )
    .await;
    use StepStatus::*;
    assert_eq!(statuses(&services, id).await, [Pending, Pending, Pending]);

    services.run_due_steps(&commands, "a").await.unwrap();
    assert_eq!(
        *commands.restarts.lock().unwrap(),
        [("pay-agent".to_string(), id)]
    );
    assert_eq!(statuses(&services, id).await, [Done, Pending, Pending]);

    clock.advance(S);
    let pass = services.run_due_steps(&commands, "a").await.unwrap();
    assert_eq!(
        pass.waiting, 1,
        "no spans since the restart: the check waits"
    );
    assert_eq!(statuses(&services, id).await, [Done, Running, Pending]);
    // A person's look finds nothing yet: the check goes on.
    let look = services
        .hand_step(
            &user(10, "oncall@example.com", Role::OnCall),
            &commands,
            id,
            1,
            StepInput {
                act: HandStep::Run,
                note: None,
            },
        )
        .await;
    assert!(matches!(look, Err(ServiceError::Conflict(_))), "{look:?}");
    assert_eq!(statuses(&services, id).await, [Done, Running, Pending]);

    // The agent comes back 30 s later.
    clock.advance(30 * S);
    spans(&db, "pay-agent", clock.now_ms(), Some("2.0.0"), 1).await;
    clock.advance(S);
    services.run_due_steps(&commands, "a").await.unwrap();
    let detail = services.incident_detail(&Actor::System, id).await.unwrap();
    assert_eq!(
        detail.steps.iter().map(|s| s.status).collect::<Vec<_>>(),
        [Done, Done, Skipped]
    );
    assert!(
        detail.steps[1]
            .result
            .as_deref()
            .unwrap()
            .starts_with("healthy")
    );
    assert_eq!(detail.incident.status, Status::Resolved, "auto-recovered");
    assert_eq!(detail.incident.resolved_by.as_deref(), Some("warden"));
    let steps_on_timeline = detail
        .timeline
        .iter()
        .filter(|e| e.kind == EntryKind::RunbookStep)
        .count();
    assert_eq!(steps_on_timeline, 2);

    // Nothing runs twice.
    clock.advance(120 * S);
    services.run_due_steps(&commands, "a").await.unwrap();
    assert_eq!(commands.restarts.lock().unwrap().len(), 1);
}

async fn a_silent_agent_is_rolled_back_and_a_failure_hands_over(db: TestDb) {
    let (clock, services) = setup(&db).await;
    let commands = Commands::default();
    spans(&db, "hr-agent", T0 - 7_200 * S, Some("1.4.0"), 1).await;
    spans(&db, "hr-agent", T0 - 3_600 * S, Some("1.5.0"), 2).await;
    let id = raise(
        &services,
        Kind::AgentUnreachable,
        "hr-agent",
        Severity::High,
    )
    .await;
    for _ in 0..3 {
        services.run_due_steps(&commands, "a").await.unwrap();
        clock.advance(S);
    }
    use StepStatus::*;
    assert_eq!(statuses(&services, id).await, [Done, Running, Pending]);
    clock.advance(120 * S);
    services.run_due_steps(&commands, "a").await.unwrap();
    services.run_due_steps(&commands, "a").await.unwrap();
    let detail = services.incident_detail(&Actor::System, id).await.unwrap();
    assert_eq!(
        detail.steps.iter().map(|s| s.status).collect::<Vec<_>>(),
        [Done, Done, Done]
    );
    assert!(
        detail.steps[1]
            .result
            .as_deref()
            .unwrap()
            .starts_with("unhealthy")
    );
    assert_eq!(
        detail.steps[2].result.as_deref(),
        Some("pinned version 1.4.0 (it ran 1.5.0)")
    );
    assert_eq!(
        detail.incident.status,
        Status::Triggered,
        "still people's to resolve"
    );
    let control = db.store.agent_control("hr-agent").await.unwrap();
    assert_eq!(control.pinned_version.as_deref(), Some("1.4.0"));
    assert_eq!(control.updated_by, "warden");
    let audit = services
        .list_audit(&Actor::System, &AuditFilter::default(), 50)
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "control.set"
            && e.target == "agent:hr-agent"
            && e.actor == "warden")
    );

    // No webhook: the restart fails and nothing after it runs by itself.
    let id = raise(
        &services,
        Kind::AgentUnreachable,
        "mail-nohook",
        Severity::High,
    )
    .await;
    for _ in 0..3 {
        services.run_due_steps(&commands, "a").await.unwrap();
        clock.advance(200 * S);
    }
    let detail = services.incident_detail(&Actor::System, id).await.unwrap();
    assert_eq!(
        detail.steps.iter().map(|s| s.status).collect::<Vec<_>>(),
        [Failed, Pending, Pending]
    );
    assert!(
        detail.steps[0]
            .result
            .as_deref()
            .unwrap()
            .contains("restart it by hand")
    );
}

async fn two_replicas_run_each_step_once(db: TestDb) {
    let (clock, a) = setup(&db).await;
    let b = services_on(&db, clock.clone());
    let commands = Commands::default();
    let mut ids = Vec::new();
    for n in 0..8 {
        let agent = format!("agent-{n}");
        db.store
            .save_agent(&AgentInfo::unregistered(&agent, None, T0), T0)
            .await
            .unwrap();
        ids.push(raise(&a, Kind::PiiLeak, &agent, Severity::Critical).await);
        ids.push(raise(&a, Kind::AgentUnreachable, &agent, Severity::High).await);
    }
    let (ra, rb) = tokio::join!(
        a.run_due_steps(&commands, "replica-a"),
        b.run_due_steps(&commands, "replica-b")
    );
    assert_eq!(ra.unwrap().finished + rb.unwrap().finished, 16);
    assert_eq!(
        commands.restarts.lock().unwrap().len(),
        8,
        "one restart each"
    );
    for n in 0..8 {
        let control = db.store.agent_control(&format!("agent-{n}")).await.unwrap();
        assert_eq!(control.state, ControlState::Killed);
        assert_eq!(control.version, 1, "killed once");
    }
    for id in ids {
        let detail = a.incident_detail(&Actor::System, id).await.unwrap();
        let entries = detail
            .timeline
            .iter()
            .filter(|e| e.kind == EntryKind::RunbookStep)
            .count();
        assert_eq!(entries, 1, "incident {id}: one step, one entry");
    }
}

async fn people_run_tick_and_skip_steps(db: TestDb) {
    let (_clock, services) = setup(&db).await;
    let commands = Commands::default();
    let oncall = user(10, "oncall@example.com", Role::OnCall);
    let finance = user(11, "fin@example.com", Role::Finance);
    let id = raise(&services, Kind::PiiLeak, "hr-agent", Severity::Critical).await;
    services.run_due_steps(&commands, "a").await.unwrap();
    assert_eq!(
        db.store.agent_control("hr-agent").await.unwrap().state,
        ControlState::Killed
    );
    let input = |act, note: &str| StepInput {
        act,
        note: Some(note.into()),
    };
    let refused = services
        .hand_step(&finance, &commands, id, 2, input(HandStep::Done, ""))
        .await;
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
    // An agent owner acts on their own agents only.
    let owner = user(13, "owner@example.com", Role::AgentOwner);
    let refused = services
        .hand_step(&owner, &commands, id, 1, input(HandStep::Run, ""))
        .await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    let guided = services
        .hand_step(&oncall, &commands, id, 2, input(HandStep::Run, ""))
        .await;
    assert!(
        matches!(guided, Err(ServiceError::Invalid(_))),
        "{guided:?}"
    );
    // No version history: the rollback says so and fails.
    let rollback = services
        .hand_step(&oncall, &commands, id, 1, input(HandStep::Run, ""))
        .await
        .unwrap();
    assert_eq!(rollback.status, StepStatus::Failed);
    assert_eq!(rollback.by.as_deref(), Some("oncall@example.com"));
    let audit = services
        .hand_step(
            &oncall,
            &commands,
            id,
            2,
            input(HandStep::Done, "3 mails, all recalled"),
        )
        .await
        .unwrap();
    assert_eq!(audit.status, StepStatus::Done);
    assert_eq!(
        audit.result.as_deref(),
        Some("done by hand (3 mails, all recalled)")
    );
    let again = services
        .hand_step(&oncall, &commands, id, 2, input(HandStep::Skip, ""))
        .await;
    assert!(
        matches!(again, Err(ServiceError::Conflict(_))),
        "a step is over once"
    );
    let detail = services.incident_detail(&Actor::System, id).await.unwrap();
    let last = detail.timeline.last().unwrap();
    assert_eq!(last.kind, EntryKind::RunbookStep);
    assert_eq!(last.actor, "oncall@example.com");
    assert_eq!(
        last.detail,
        "step 3 audit what leaked: done — done by hand (3 mails, all recalled)"
    );

    // A cascade: one button pauses every running agent.
    let cascade = services
        .raise_incident(Finding {
            kind: Kind::CascadingFailure,
            severity: Severity::Critical,
            agent: None,
            rule: None,
            title: "3 agents failing".into(),
            detail: "test".into(),
        })
        .await
        .unwrap()
        .incident
        .id;
    services.run_due_steps(&commands, "a").await.unwrap();
    assert_eq!(
        statuses(&services, cascade).await[0],
        StepStatus::Pending,
        "manual"
    );
    let paused = services
        .hand_step(&oncall, &commands, cascade, 0, input(HandStep::Run, ""))
        .await
        .unwrap();
    assert_eq!(
        paused.result.as_deref(),
        Some("paused 2 agents: mail-nohook, pay-agent")
    );
    for agent in ["pay-agent", "mail-nohook"] {
        assert_eq!(
            db.store.agent_control(agent).await.unwrap().state,
            ControlState::Paused
        );
    }
    assert_eq!(
        db.store.agent_control("hr-agent").await.unwrap().state,
        ControlState::Killed,
        "a killed agent stays killed"
    );
}

async fn resolving_skips_the_rest_and_opens_the_postmortem_of_severe_incidents(db: TestDb) {
    let (_clock, services) = setup(&db).await;
    let commands = Commands::default();
    let high = raise(&services, Kind::CostAnomaly, "pay-agent", Severity::High).await;
    let low = raise(&services, Kind::CostAnomaly, "hr-agent", Severity::Medium).await;
    services.run_due_steps(&commands, "a").await.unwrap();
    let control = db.store.agent_control("pay-agent").await.unwrap();
    assert_eq!(control.rate_limit_per_min, Some(10));
    assert_eq!(control.state, ControlState::Running);
    for id in [high, low] {
        services
            .resolve_incident(&Actor::System, id, Some("fixed"))
            .await
            .unwrap();
    }
    use StepStatus::*;
    assert_eq!(statuses(&services, high).await, [Done, Skipped, Skipped]);
    let open = services.open_postmortems(&Actor::System).await.unwrap();
    assert_eq!(
        open.iter().map(|p| p.incident_id).collect::<Vec<_>>(),
        [high]
    );
    assert!(
        services
            .postmortem(&Actor::System, low)
            .await
            .unwrap()
            .is_none()
    );
    let detail = services
        .incident_detail(&Actor::System, high)
        .await
        .unwrap();
    assert_eq!(detail.postmortem, Some(PostmortemStatus::Draft));
}

async fn postmortems_are_drafted_by_responders_and_closed_by_reviewers(db: TestDb) {
    let (_clock, services) = setup(&db).await;
    let oncall = user(10, "oncall@example.com", Role::OnCall);
    let reviewer = user(12, "rev@example.com", Role::Reviewer);
    let finance = user(11, "fin@example.com", Role::Finance);
    let id = raise(&services, Kind::PiiLeak, "hr-agent", Severity::Critical).await;
    let text = PostmortemText {
        impact: "3 salary figures mailed to the wrong employees over 40 min".into(),
        root_cause: String::new(),
        contributing_factors: "no output scan on the mail tool".into(),
        action_items: vec![ActionItem {
            title: "scan tool outputs".into(),
            owner: "eng@example.com".into(),
            due: String::new(),
            status: ItemStatus::Open,
        }],
    };
    let input = |text: &PostmortemText, status: &str, revision| {
        PostmortemInput::new(text.clone(), status, revision)
    };
    // On demand, while the incident is still open.
    let draft = services
        .save_postmortem(&oncall, id, input(&text, "draft", None))
        .await
        .unwrap();
    assert_eq!(draft.status, PostmortemStatus::Draft);
    assert!(draft.may_edit && !draft.may_close);
    assert!(!draft.timeline.is_empty(), "filled in from the incident");
    let refused = services
        .save_postmortem(&finance, id, input(&text, "draft", None))
        .await;
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
    let refused = services
        .save_postmortem(&oncall, id, input(&text, "closed", Some(draft.revision)))
        .await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "responders draft only"
    );
    let open = services
        .save_postmortem(&reviewer, id, input(&text, "closed", Some(draft.revision)))
        .await;
    assert!(
        matches!(open, Err(ServiceError::Conflict(_))),
        "resolve first: {open:?}"
    );
    services
        .resolve_incident(&Actor::System, id, None)
        .await
        .unwrap();
    match services
        .save_postmortem(&reviewer, id, input(&text, "closed", Some(draft.revision)))
        .await
    {
        Err(ServiceError::Invalid(why)) => {
            assert_eq!(
                why,
                "to close it, write the root cause, an owner and a due date for action item 1"
            );
        }
        other => panic!("{other:?}"),
    }
    let stale = services
        .save_postmortem(&oncall, id, input(&text, "draft", Some(draft.revision - 1)))
        .await;
    assert!(matches!(stale, Err(ServiceError::Conflict(_))), "{stale:?}");
    let mut done = text.clone();
    done.root_cause = "the HR prompt put payroll rows in the mail context".into();
    done.action_items[0].due = "2026-12-24".into();
    let closed = services
        .save_postmortem(&reviewer, id, input(&done, "closed", Some(draft.revision)))
        .await
        .unwrap();
    assert_eq!(closed.status, PostmortemStatus::Closed);
    assert_eq!(closed.closed_by.as_deref(), Some("rev@example.com"));
    assert!(
        services
            .open_postmortems(&Actor::System)
            .await
            .unwrap()
            .is_empty()
    );
    let edit = services
        .save_postmortem(&oncall, id, input(&done, "draft", None))
        .await;
    assert!(
        matches!(edit, Err(ServiceError::Forbidden(_))),
        "only closers reopen"
    );
    let reopened = services
        .save_postmortem(&reviewer, id, input(&done, "draft", None))
        .await
        .unwrap();
    assert_eq!(reopened.status, PostmortemStatus::Draft);
    assert_eq!(reopened.closed_by, None);
    let actions: Vec<String> = services
        .list_audit(&Actor::System, &AuditFilter::default(), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.target == format!("incident:{id}"))
        .map(|e| format!("{} {}", e.action, e.actor))
        .collect();
    assert_eq!(
        actions,
        [
            "postmortem.reopen rev@example.com",
            "postmortem.close rev@example.com",
            "postmortem.save oncall@example.com",
        ]
    );
}

backend_tests!(
    an_unreachable_agent_is_restarted_checked_and_recovers,
    a_silent_agent_is_rolled_back_and_a_failure_hands_over,
    two_replicas_run_each_step_once,
    people_run_tick_and_skip_steps,
    resolving_skips_the_rest_and_opens_the_postmortem_of_severe_incidents,
    postmortems_are_drafted_by_responders_and_closed_by_reviewers,
);
