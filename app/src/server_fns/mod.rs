//! Server functions: each one finds the caller, lets the service check what they may do,
//! and calls one use case. They are public HTTP endpoints, so none of them trusts the page.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use warden_domain::audit::{AuditEvent, AuditFilter, ChainStatus};
use warden_domain::control::{AgentControl, ControlChange};
use warden_domain::policy::{
    AgentPolicy, PolicyOverview, PolicyProposal, Violation, ViolationFilter,
};
use warden_domain::review::{ReviewDecision, ReviewFilter, ReviewItem};
use warden_domain::telemetry::{
    AgentInfo, IngestKeyInfo, KeyScope, TraceDetail, TraceFilter, TraceSummary,
};
use warden_domain::{ApiTokenInfo, CurrentUser, Role, User};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use leptos::prelude::use_context;
    use warden_domain::CurrentUser;
    use warden_domain::user::AuthenticatedByToken;
    use warden_services::{Actor, Services};

    pub fn services() -> Result<Services, AppError> {
        use_context::<Services>().ok_or_else(|| {
            tracing::error!("Services missing from the Leptos context");
            AppError::Internal
        })
    }

    /// The signed-in user the server's auth layer attached to this request; `None` for a
    /// visitor and for a caller with an API token (tokens are for `/api/v1`, not the UI).
    pub fn current_user() -> Option<CurrentUser> {
        let parts = use_context::<http::request::Parts>()?;
        if parts.extensions.get::<AuthenticatedByToken>().is_some() {
            return None;
        }
        parts.extensions.get::<CurrentUser>().cloned()
    }

    pub fn require_user() -> Result<CurrentUser, AppError> {
        current_user().ok_or_else(|| AppError::Unauthenticated.with_status())
    }

    pub fn actor() -> Result<Actor, AppError> {
        require_user().map(Actor::User)
    }

    /// After an agent edit: the pipeline reads agents from memory, so tell it now rather
    /// than at its next periodic refresh.
    pub async fn refresh_registry() {
        if let Some(pipeline) = use_context::<warden_services::ingest::Pipeline>()
            && let Err(err) = pipeline.refresh_registry().await
        {
            tracing::warn!(error = ?err, "refreshing the agent registry");
        }
    }
}

/// The signed-in user, or `None` for a visitor.
#[server]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(ssr::current_user())
}

#[server]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    Ok(ssr::services()?.list_users(&ssr::actor()?).await?)
}

#[server(input = Json)]
pub async fn add_user(email: String, password: String, roles: Vec<Role>) -> Result<User, AppError> {
    let actor = ssr::actor()?;
    Ok(ssr::services()?
        .add_user(&actor, &email, &password, roles)
        .await?)
}

#[server(input = Json)]
pub async fn set_user_roles(user_id: i64, roles: Vec<Role>) -> Result<User, AppError> {
    let actor = ssr::actor()?;
    Ok(ssr::services()?
        .set_user_roles(&actor, user_id, roles)
        .await?)
}

#[server(input = Json)]
pub async fn set_user_disabled(user_id: i64, disabled: bool) -> Result<User, AppError> {
    let actor = ssr::actor()?;
    Ok(ssr::services()?
        .set_user_disabled(&actor, user_id, disabled)
        .await?)
}

#[server]
pub async fn list_my_tokens() -> Result<Vec<ApiTokenInfo>, AppError> {
    let user = ssr::require_user()?;
    Ok(ssr::services()?.list_tokens(&user).await?)
}

/// A token just made; `secret` is shown once and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub info: ApiTokenInfo,
    pub secret: String,
}

#[server(input = Json)]
pub async fn create_token(name: String) -> Result<CreatedToken, AppError> {
    let actor = ssr::actor()?;
    let user_id = actor
        .user_id()
        .ok_or_else(|| AppError::Unauthenticated.with_status())?;
    let token = ssr::services()?
        .create_token(&actor, user_id, &name)
        .await?;
    Ok(CreatedToken {
        info: token.info,
        secret: token.secret,
    })
}

#[server(input = Json)]
pub async fn revoke_token(token_id: i64) -> Result<(), AppError> {
    let user = ssr::require_user()?;
    Ok(ssr::services()?.revoke_token(&user, token_id).await?)
}

#[server(input = Json)]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    let user = ssr::require_user()?;
    Ok(ssr::services()?
        .change_own_password(&user, &current, &new_password)
        .await?)
}

/// A page of the trace list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceListing {
    pub traces: Vec<TraceSummary>,
    pub currency: String,
    /// The agents the caller may filter by.
    pub agents: Vec<String>,
}

#[server(input = Json)]
pub async fn list_traces(filter: TraceFilter, window_hours: i64) -> Result<TraceListing, AppError> {
    let mut filter = filter;
    let actor = ssr::actor()?;
    let services = ssr::services()?;
    if window_hours > 0 {
        filter.from_ms = Some(services.now() - window_hours.saturating_mul(3_600_000));
    }
    let traces = services.list_traces(&actor, &filter).await?;
    let agents = services
        .list_agents(&actor)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    Ok(TraceListing {
        traces,
        currency: services.currency().to_string(),
        agents,
    })
}

#[server(input = Json)]
pub async fn get_trace(trace_id: String) -> Result<TraceDetail, AppError> {
    let actor = ssr::actor()?;
    let services = ssr::services()?;
    let currency = services.currency().to_string();
    Ok(services.trace_detail(&actor, &trace_id, &currency).await?)
}

/// A form's text, trimmed; `None` when nothing is left.
#[cfg(feature = "ssr")]
fn nonempty(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The scores and feedback given to a trace the caller may see.
#[server(input = Json)]
pub async fn get_trace_scores(
    trace_id: String,
) -> Result<Vec<warden_domain::metrics::score::Score>, AppError> {
    Ok(ssr::services()?
        .trace_scores(&ssr::actor()?, &trace_id)
        .await?)
}

/// A person's score for a trace (`source: human`), from the trace page: `quality` (0 to
/// 1), `thumbs` (0 or 1) or `stars` (1 to 5), the last two as `satisfaction` with their
/// scale, so that one star is never read as a thumb up. The service checks the range and
/// that the caller sees the trace.
#[server]
pub async fn score_trace(
    trace_id: String,
    name: String,
    value: String,
    comment: String,
) -> Result<(), AppError> {
    use warden_domain::metrics::score::{NewScore, ScoreSource};
    let value = value
        .trim()
        .parse::<f64>()
        .map_err(|_| AppError::Invalid("the score is a number".into()))?;
    let (name, scale) = match name.trim() {
        "thumbs" => ("satisfaction", Some(1)),
        "stars" => ("satisfaction", Some(5)),
        other => (other, None),
    };
    let score = NewScore {
        trace_id,
        span_id: None,
        name: name.to_string(),
        value: Some(value),
        label: None,
        comment: nonempty(comment),
        source: ScoreSource::Human,
        scale,
    };
    let actor = ssr::actor()?;
    ssr::services()?
        .record_scores(
            warden_services::scores::ScoreAuthor::User(&actor),
            vec![score],
        )
        .await?;
    Ok(())
}

#[server]
pub async fn list_agents() -> Result<Vec<AgentInfo>, AppError> {
    Ok(ssr::services()?.list_agents(&ssr::actor()?).await?)
}

#[server(input = Json)]
pub async fn save_agent(agent: AgentInfo) -> Result<AgentInfo, AppError> {
    let actor = ssr::actor()?;
    let saved = ssr::services()?.save_agent(&actor, agent).await?;
    ssr::refresh_registry().await;
    Ok(saved)
}

#[server(input = Json)]
pub async fn delete_agent(name: String) -> Result<(), AppError> {
    let actor = ssr::actor()?;
    ssr::services()?.delete_agent(&actor, &name).await?;
    ssr::refresh_registry().await;
    Ok(())
}

#[server]
pub async fn list_ingest_keys() -> Result<Vec<IngestKeyInfo>, AppError> {
    Ok(ssr::services()?.list_ingest_keys(&ssr::actor()?).await?)
}

/// An ingest key just made; `secret` is shown once and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedIngestKey {
    pub info: IngestKeyInfo,
    pub secret: String,
    /// Where agents send traces: this Warden's public URL.
    pub endpoint: String,
}

#[server(input = Json)]
pub async fn create_ingest_key(
    name: String,
    scope: KeyScope,
) -> Result<CreatedIngestKey, AppError> {
    let actor = ssr::actor()?;
    let services = ssr::services()?;
    let key = services.create_ingest_key(&actor, &name, scope).await?;
    Ok(CreatedIngestKey {
        info: key.info,
        secret: key.secret,
        endpoint: services.public_url().to_string(),
    })
}

#[server(input = Json)]
pub async fn revoke_ingest_key(key_id: i64) -> Result<IngestKeyInfo, AppError> {
    let actor = ssr::actor()?;
    Ok(ssr::services()?.revoke_ingest_key(&actor, key_id).await?)
}

/// The policy hierarchy, each level with the rules it sets itself.
#[server]
pub async fn get_policy_overview() -> Result<PolicyOverview, AppError> {
    Ok(ssr::services()?.policy_overview(&ssr::actor()?)?)
}

/// The agents the Policies page offers (any role may read policies; agents are scoped as
/// everywhere).
#[server]
pub async fn list_policy_agents() -> Result<Vec<String>, AppError> {
    Ok(ssr::services()?.policy_agent_names(&ssr::actor()?).await?)
}

/// What one agent is held to, rule by rule, with the level each value comes from.
#[server(input = Json)]
pub async fn get_agent_policy(agent: String) -> Result<AgentPolicy, AppError> {
    Ok(ssr::services()?
        .agent_policy(&ssr::actor()?, &agent)
        .await?)
}

/// Violations matching the filter, newest first (an agent owner's: of their own agents).
/// `window_hours` of 0 means any time; the window is measured on the server's clock.
#[server(input = Json)]
pub async fn list_violations(
    filter: ViolationFilter,
    window_hours: i64,
) -> Result<Vec<Violation>, AppError> {
    let services = ssr::services()?;
    let mut filter = filter;
    if window_hours > 0 {
        filter.since_ms = Some(services.now() - window_hours.saturating_mul(3_600_000));
    }
    Ok(services.list_violations(&ssr::actor()?, &filter).await?)
}

/// The control states of the agents the caller sees (agents never switched are running).
#[server]
pub async fn list_agent_controls() -> Result<Vec<AgentControl>, AppError> {
    Ok(ssr::services()?.list_agent_controls(&ssr::actor()?).await?)
}

/// Pulls or releases an agent's kill switch; the service checks who may.
#[server(input = Json)]
pub async fn set_agent_control(
    agent: String,
    change: ControlChange,
) -> Result<AgentControl, AppError> {
    Ok(ssr::services()?
        .set_agent_control(&ssr::actor()?, &agent, change)
        .await?)
}

/// The version of the policies in force, as the YAML a proposal starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocument {
    pub version: i64,
    pub document: String,
}

#[server]
pub async fn get_policy_document() -> Result<PolicyDocument, AppError> {
    let (version, document) = ssr::services()?.policy_in_force(&ssr::actor()?).await?;
    Ok(PolicyDocument { version, document })
}

/// Proposals, open ones first.
#[server]
pub async fn list_policy_proposals() -> Result<Vec<PolicyProposal>, AppError> {
    Ok(ssr::services()?.list_proposals(&ssr::actor()?).await?)
}

/// Proposes `document` as the next policy version.
#[server(input = Json)]
pub async fn propose_policies(document: String, note: String) -> Result<PolicyProposal, AppError> {
    Ok(ssr::services()?
        .propose_policies(&ssr::actor()?, &document, &note)
        .await?)
}

/// Approves (or, with `approve: false`, rejects or withdraws) a proposal.
#[server(input = Json)]
pub async fn decide_proposal(
    id: i64,
    approve: bool,
    note: String,
) -> Result<PolicyProposal, AppError> {
    Ok(ssr::services()?
        .decide_proposal(&ssr::actor()?, id, approve, &note)
        .await?)
}

/// A page of the audit trail, newest first; `window_hours` of 0 means any time.
#[server(input = Json)]
pub async fn list_audit(
    filter: AuditFilter,
    window_hours: i64,
) -> Result<Vec<AuditEvent>, AppError> {
    let services = ssr::services()?;
    let mut filter = filter;
    if window_hours > 0 {
        filter.since = Some(services.now() - window_hours.saturating_mul(3_600_000));
    }
    Ok(services
        .list_audit(&ssr::actor()?, &filter, AUDIT_PAGE)
        .await?)
}

/// Events per page of the audit trail.
pub const AUDIT_PAGE: u32 = 50;

/// Whether the audit trail's hash chain is intact.
#[server]
pub async fn verify_audit() -> Result<ChainStatus, AppError> {
    Ok(ssr::services()?.verify_audit(&ssr::actor()?).await?)
}

/// Items of the review queue the caller may see: pending ones oldest first.
#[server(input = Json)]
pub async fn list_reviews(filter: ReviewFilter) -> Result<Vec<ReviewItem>, AppError> {
    Ok(ssr::services()?
        .list_reviews(&ssr::actor()?, &filter, REVIEW_PAGE)
        .await?)
}

/// Items per page of the review queue.
pub const REVIEW_PAGE: u32 = 50;

/// Approves or rejects an item of the review queue.
#[server(input = Json)]
pub async fn decide_review(id: i64, decision: ReviewDecision) -> Result<ReviewItem, AppError> {
    Ok(ssr::services()?
        .decide_review(&ssr::actor()?, id, decision)
        .await?)
}

/// The compliance scores over `window_hours` (24, 168 or 720).
#[server]
pub async fn get_compliance(
    window_hours: i64,
) -> Result<warden_domain::metrics::dashboard::ComplianceDashboard, AppError> {
    Ok(ssr::services()?
        .compliance_dashboard(&ssr::actor()?, window_hours)
        .await?)
}

mod dashboards;
mod incidents;
pub use dashboards::*;
pub use incidents::*;
