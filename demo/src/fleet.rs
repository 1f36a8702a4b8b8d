//! The ten simulated agents: who owns them, how they are instrumented and how busy they are.

use crate::models::{
    CLAUDE_HAIKU_45, CLAUDE_OPUS_41, CLAUDE_SONNET_45, GEMINI_25_FLASH, GEMINI_25_PRO, GPT_4O,
    GPT_4O_MINI, GPT_41, GPT_41_MINI, MISTRAL_LARGE, MISTRAL_SMALL, Model, O3_MINI,
};
use crate::text::{self, Bank};

/// Which attribute vocabulary an agent's instrumentation speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conventions {
    /// OpenTelemetry GenAI semantic conventions (`gen_ai.*`).
    GenAi,
    /// Arize OpenInference (`openinference.span.kind`, `llm.*`), as LlamaIndex apps emit.
    OpenInference,
}

/// One agent of the demo fleet, with the settings Warden would hold for it.
#[derive(Debug)]
pub struct AgentProfile {
    /// Kebab-case; also `service.name`.
    pub name: &'static str,
    /// The instrumentation stack that produces its telemetry.
    pub sdk: &'static str,
    /// `customer_facing`, `high_risk` or `internal`.
    pub category: &'static str,
    pub owner: &'static str,
    pub environment: &'static str,
    /// Share of its traces Warden should keep for review.
    pub sample_rate: f64,
    /// `real-time` or `batch`.
    pub pii_scan: &'static str,
    pub description: &'static str,
    /// `service.version`.
    pub version: &'static str,
    /// `telemetry.sdk.language`: `python` or `nodejs`.
    pub language: &'static str,
    pub conventions: Conventions,
    /// Relative share of the fleet's traffic; the weights add up to 100.
    pub weight: u32,
    /// `gen_ai.agent.id`.
    pub agent_id: &'static str,
    /// Chat models and how often each is called.
    pub(crate) models: &'static [(&'static Model, u32)],
    /// A cheap model that sometimes classifies the request before the main call.
    pub(crate) router: Option<&'static Model>,
    /// The premium model behind the rare very expensive call.
    pub(crate) expensive: &'static Model,
    pub(crate) bank: &'static Bank,
    /// Instrumentation scope of the agent's own spans (root, tools), name and version.
    pub(crate) agent_scope: (&'static str, &'static str),
    /// Instrumentation scope of the LLM client spans.
    pub(crate) llm_scope: (&'static str, &'static str),
    /// Where its users reach it, for the OpenClaw-style `openclaw.channel` attribute.
    pub(crate) channel: &'static str,
    /// An OpenClaw gateway: its resource carries the gateway's command line.
    pub(crate) openclaw: bool,
    /// OpenInference agents with a cost callback report `llm.cost.total` themselves.
    pub(crate) self_reported_cost: bool,
}

impl AgentProfile {
    pub fn is_customer_facing(&self) -> bool {
        self.category == "customer_facing"
    }

    /// Whether its policies ask the first answer of a conversation to say it comes from an
    /// AI: the seed's `customer_facing` and `high_risk`, which inherits it.
    pub fn owes_ai_disclosure(&self) -> bool {
        matches!(self.category, "customer_facing" | "high_risk")
    }

    /// The model most of its calls use (reported on the root span).
    pub(crate) fn primary_model(&self) -> &'static Model {
        self.models
            .iter()
            .max_by_key(|(_, w)| *w)
            .map_or(&GPT_4O_MINI, |(m, _)| *m)
    }
}

static FLEET: [AgentProfile; 10] = [
    AgentProfile {
        name: "support-agent",
        sdk: "opentelemetry-python + opentelemetry-instrumentation-openai-v2",
        category: "customer_facing",
        owner: "support-team@example.com",
        environment: "production",
        sample_rate: 0.25,
        pii_scan: "real-time",
        description: "Answers web-shop customers about orders, returns, refunds and products.",
        version: "1.4.2",
        language: "python",
        conventions: Conventions::GenAi,
        weight: 30,
        agent_id: "asst_sup_7Hq2mP9xLk3Rv8Wn",
        models: &[(&GPT_4O, 70), (&GPT_4O_MINI, 30)],
        router: Some(&GPT_4O_MINI),
        expensive: &O3_MINI,
        bank: &text::SUPPORT,
        agent_scope: ("northwind.agents.support", "1.4.2"),
        llm_scope: ("opentelemetry.instrumentation.openai_v2", "2.1b0"),
        channel: "webchat",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "sales-agent",
        sdk: "opentelemetry-js + @traceloop/instrumentation-anthropic",
        category: "customer_facing",
        owner: "sales-ops@example.com",
        environment: "production",
        sample_rate: 0.5,
        pii_scan: "real-time",
        description: "Qualifies inbound B2B leads (wholesale, corporate gifting, team kit) and books calls.",
        version: "2.3.0",
        language: "nodejs",
        conventions: Conventions::GenAi,
        weight: 22,
        agent_id: "asst_sal_Qm4Tz8Lw2Vb6Nc1x",
        models: &[(&CLAUDE_SONNET_45, 65), (&CLAUDE_HAIKU_45, 35)],
        router: Some(&CLAUDE_HAIKU_45),
        expensive: &CLAUDE_OPUS_41,
        bank: &text::SALES,
        agent_scope: ("@northwind/sales-agent", "2.3.0"),
        llm_scope: ("@traceloop/instrumentation-anthropic", "0.19.1"),
        channel: "webchat",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "analytics-agent",
        sdk: "openinference-instrumentation-llama-index (Arize Phoenix)",
        category: "internal",
        owner: "data-platform@example.com",
        environment: "production",
        sample_rate: 1.0,
        pii_scan: "batch",
        description: "Answers analysts' questions with SQL over the Snowflake warehouse.",
        version: "0.9.7",
        language: "python",
        conventions: Conventions::OpenInference,
        weight: 8,
        agent_id: "agent_analytics_01",
        models: &[(&GPT_41, 75), (&GPT_41_MINI, 25)],
        router: None,
        expensive: &O3_MINI,
        bank: &text::ANALYTICS,
        agent_scope: ("openinference.instrumentation.llama_index", "4.3.1"),
        llm_scope: ("openinference.instrumentation.llama_index", "4.3.1"),
        channel: "slack",
        openclaw: false,
        self_reported_cost: true,
    },
    AgentProfile {
        name: "finance-agent",
        sdk: "opentelemetry-python + opentelemetry-instrumentation-anthropic",
        category: "high_risk",
        owner: "finance-systems@example.com",
        environment: "production",
        sample_rate: 1.0,
        pii_scan: "real-time",
        description: "Reconciles supplier invoices against POs, the ledger and bank statements.",
        version: "1.1.5",
        language: "python",
        conventions: Conventions::GenAi,
        weight: 7,
        agent_id: "asst_fin_Zr5Kp1Yd8Gh3Mw7q",
        models: &[(&CLAUDE_SONNET_45, 85), (&CLAUDE_OPUS_41, 15)],
        router: None,
        expensive: &CLAUDE_OPUS_41,
        bank: &text::FINANCE,
        agent_scope: ("northwind.agents.finance", "1.1.5"),
        llm_scope: ("opentelemetry.instrumentation.anthropic", "0.47.3"),
        channel: "internal-portal",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "hr-screening-agent",
        sdk: "opentelemetry-python + opentelemetry-instrumentation-openai-v2",
        category: "high_risk",
        owner: "people-ops@example.com",
        environment: "production",
        sample_rate: 1.0,
        pii_scan: "real-time",
        description: "Summarises job applications against requisitions for the talent team.",
        version: "0.6.1",
        language: "python",
        conventions: Conventions::GenAi,
        weight: 6,
        agent_id: "asst_hrs_Bn2Xc7Vq4Lp9Ks3e",
        models: &[(&GPT_41, 70), (&GPT_41_MINI, 30)],
        router: None,
        expensive: &O3_MINI,
        bank: &text::HR_SCREENING,
        agent_scope: ("northwind.agents.hr_screening", "0.6.1"),
        llm_scope: ("opentelemetry.instrumentation.openai_v2", "2.1b0"),
        channel: "internal-portal",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "it-helpdesk-agent",
        sdk: "openclaw gateway (diagnostics-otel)",
        category: "internal",
        owner: "it-ops@example.com",
        environment: "production",
        sample_rate: 0.5,
        pii_scan: "batch",
        description: "Employees' IT helpdesk in Slack, run on an OpenClaw gateway.",
        version: "2026.2.6",
        language: "nodejs",
        conventions: Conventions::GenAi,
        weight: 9,
        agent_id: "openclaw-main",
        models: &[(&CLAUDE_HAIKU_45, 60), (&CLAUDE_SONNET_45, 40)],
        router: None,
        expensive: &CLAUDE_OPUS_41,
        bank: &text::IT_HELPDESK,
        agent_scope: ("openclaw", "2026.2.6"),
        llm_scope: ("openclaw", "2026.2.6"),
        channel: "slack",
        openclaw: true,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "marketing-content-agent",
        sdk: "opentelemetry-js + @google/genai instrumentation",
        category: "internal",
        owner: "marketing-tech@example.com",
        environment: "production",
        sample_rate: 0.5,
        pii_scan: "batch",
        description: "Drafts on-brand copy and summarises campaign performance.",
        version: "1.8.0",
        language: "nodejs",
        conventions: Conventions::GenAi,
        weight: 6,
        agent_id: "asst_mkt_Hs6Df2Gj8Kl4Zx1c",
        models: &[(&GEMINI_25_FLASH, 70), (&GEMINI_25_PRO, 30)],
        router: None,
        expensive: &GEMINI_25_PRO,
        bank: &text::MARKETING,
        agent_scope: ("@northwind/marketing-content-agent", "1.8.0"),
        llm_scope: ("@opentelemetry/instrumentation-google-genai", "0.4.0"),
        channel: "slack",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "legal-review-agent",
        sdk: "openinference-instrumentation-llama-index (Arize Phoenix)",
        category: "high_risk",
        owner: "legal-ops@example.com",
        environment: "production",
        sample_rate: 1.0,
        pii_scan: "real-time",
        description: "Reviews contract clauses against the negotiation playbook.",
        version: "0.4.3",
        language: "python",
        conventions: Conventions::OpenInference,
        weight: 4,
        agent_id: "agent_legal_review_01",
        models: &[(&CLAUDE_SONNET_45, 80), (&CLAUDE_OPUS_41, 20)],
        router: None,
        expensive: &CLAUDE_OPUS_41,
        bank: &text::LEGAL,
        agent_scope: ("openinference.instrumentation.llama_index", "4.3.1"),
        llm_scope: ("openinference.instrumentation.llama_index", "4.3.1"),
        channel: "internal-portal",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "procurement-agent",
        sdk: "opentelemetry-python + opentelemetry-instrumentation-mistralai",
        category: "internal",
        owner: "procurement@example.com",
        environment: "production",
        sample_rate: 1.0,
        pii_scan: "batch",
        description: "Compares supplier prices, checks budgets and raises purchase orders.",
        version: "1.0.9",
        language: "python",
        conventions: Conventions::GenAi,
        weight: 4,
        agent_id: "asst_prc_Wt3Ey7Ru1Io5Pa9s",
        models: &[(&MISTRAL_LARGE, 55), (&MISTRAL_SMALL, 45)],
        router: Some(&MISTRAL_SMALL),
        expensive: &MISTRAL_LARGE,
        bank: &text::PROCUREMENT,
        agent_scope: ("northwind.agents.procurement", "1.0.9"),
        llm_scope: ("opentelemetry.instrumentation.mistralai", "0.47.3"),
        channel: "teams",
        openclaw: false,
        self_reported_cost: false,
    },
    AgentProfile {
        name: "onboarding-agent",
        sdk: "opentelemetry-js + @google/genai instrumentation",
        category: "customer_facing",
        owner: "customer-success@example.com",
        environment: "production",
        sample_rate: 0.5,
        pii_scan: "real-time",
        description: "Guides new members and trade customers through sign-up and verification.",
        version: "1.2.4",
        language: "nodejs",
        conventions: Conventions::GenAi,
        weight: 4,
        agent_id: "asst_onb_Mf8Gh2Jk6Lq4Wz0r",
        models: &[(&GEMINI_25_FLASH, 85), (&GEMINI_25_PRO, 15)],
        router: None,
        expensive: &GEMINI_25_PRO,
        bank: &text::ONBOARDING,
        agent_scope: ("@northwind/onboarding-agent", "1.2.4"),
        llm_scope: ("@opentelemetry/instrumentation-google-genai", "0.4.0"),
        channel: "webchat",
        openclaw: false,
        self_reported_cost: false,
    },
];

/// The demo fleet; each profile's `weight` is its share of the traffic.
pub fn fleet() -> &'static [AgentProfile] {
    &FLEET
}

/// The index of an agent in `fleet()`.
pub(crate) fn index_of(name: &str) -> Option<usize> {
    FLEET.iter().position(|a| a.name == name)
}
