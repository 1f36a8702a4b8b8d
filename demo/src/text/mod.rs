//! Template banks: what each agent is asked, which tools it calls and what it answers.
//!
//! Every agent works for the same fictional company, Northwind Outfitters (an online outdoor-gear
//! retailer), so the fleet reads as one organisation. `$name` marks a slot that `slots` fills; a
//! slot keeps its value for the whole interaction, so the order id a customer types is the one the
//! tool looks up and the one the answer quotes. Templates never contain personal data: that only
//! enters through the PII slots (`$email`, `$phone`, `$card`, `$iban`, `$ssn`, `$ip`), which
//! appear only in `pii_fields` and `pii_sentences`, so `has_pii` can be told from what was used.

mod analytics;
mod common;
mod finance;
mod hr_screening;
mod it_helpdesk;
mod legal;
mod marketing;
mod onboarding;
mod procurement;
mod sales;
mod support;

pub(crate) use analytics::ANALYTICS;
pub(crate) use common::{
    DISCLOSURES, HANDOFF_ANSWERS, HANDOFF_CALL, HANDOFF_REFUSALS, HUMAN_ASKS, INTERNAL_DISCLOSURES,
    TOOL_FAILURE_REPLIES,
};
pub(crate) use finance::FINANCE;
pub(crate) use hr_screening::{HR_FACTS, HR_INFERENCES, HR_SCREENING};
pub(crate) use it_helpdesk::IT_HELPDESK;
pub(crate) use legal::LEGAL;
pub(crate) use marketing::MARKETING;
pub(crate) use onboarding::ONBOARDING;
pub(crate) use procurement::PROCUREMENT;
pub(crate) use sales::SALES;
pub(crate) use support::SUPPORT;

/// Everything one agent can say and do.
#[derive(Debug)]
pub(crate) struct Bank {
    pub system: &'static str,
    pub tools: &'static [Tool],
    pub intents: &'static [Intent],
    /// Sentences that leak personal data into an answer.
    pub pii_sentences: &'static [&'static str],
    /// Attachments that explain a huge prompt.
    pub attachments: &'static [&'static str],
    /// The retriever's corpus; empty for agents without retrieval.
    pub documents: &'static [Document],
    /// What the user sees when the model provider fails.
    pub failure_reply: &'static str,
    /// The team a human hand-off goes to, and what the user wants to discuss with them.
    pub human_queue: &'static str,
    pub human_topic: &'static str,
    /// The agent assesses people, so its answers may slip into protected characteristics.
    pub assesses_people: bool,
}

impl Bank {
    pub(crate) fn tool(&self, name: &str) -> Option<&'static Tool> {
        self.tools.iter().find(|t| t.name == name)
    }
}

#[derive(Debug)]
pub(crate) struct Tool {
    pub name: &'static str,
    pub description: &'static str,
    /// How a person names the system behind the tool, for failure messages.
    pub system: &'static str,
    pub latency_ms: (u32, u32),
    /// A JSON fragment (starting with a comma) spliced into the result to leak personal data.
    pub pii_fields: &'static str,
}

#[derive(Debug)]
pub(crate) struct Intent {
    pub key: &'static str,
    pub asks: &'static [&'static str],
    pub calls: &'static [Call],
    pub answers: &'static [&'static str],
}

/// One tool call: JSON arguments and JSON result, both templates.
#[derive(Debug)]
pub(crate) struct Call {
    pub tool: &'static str,
    pub args: &'static str,
    pub result: &'static str,
}

#[derive(Debug)]
pub(crate) struct Document {
    pub id: &'static str,
    pub content: &'static str,
}

const fn call(tool: &'static str, args: &'static str, result: &'static str) -> Call {
    Call { tool, args, result }
}

const fn tool(
    name: &'static str,
    description: &'static str,
    system: &'static str,
    latency_ms: (u32, u32),
    pii_fields: &'static str,
) -> Tool {
    Tool {
        name,
        description,
        system,
        latency_ms,
        pii_fields,
    }
}
