//! Lines every agent shares: AI disclosures, requests for a person and the hand-off to one,
//! and the replies when a tool fails.

use super::{Call, call};

/// Opening lines by which a customer-facing agent says it is an AI.
pub(crate) const DISCLOSURES: &[&str] = &[
    "Hi, I'm Northwind's AI assistant (a virtual agent, not a person), and you can ask for a human colleague at any time.",
    "Hello! Just so you know, I'm an AI assistant.",
    "Hi there, you're chatting with Northwind's automated AI assistant.",
    "Thanks for getting in touch. I'm an AI assistant and can pass you to a person whenever you like.",
    "Hi! I'm an AI assistant for Northwind Outfitters.",
];

/// Opening notes of the high-risk agents, which staff use: the seed's `high_risk` policy
/// inherits `customer_facing`, so they owe the same notice.
pub(crate) const INTERNAL_DISCLOSURES: &[&str] = &[
    "(Drafted by an AI assistant: check it before you act on it.)",
    "Note: this is an AI assistant's answer, not a colleague's.",
    "(AI assistant; a person reviews what it proposes.)",
];

/// Customers asking for a person.
pub(crate) const HUMAN_ASKS: &[&str] = &[
    "Can I speak to a real person please?",
    "I don't want to talk to a bot. Please get me a human.",
    "This isn't helping. I need to talk to someone from your team about $topic.",
    "Please transfer me to a human agent, it's about $topic.",
    "Is there an actual human I can talk to? It's about $topic.",
    "I'd rather discuss $topic with a person, not an AI.",
    "agent please. human. AGENT",
];

pub(crate) const HANDOFF_CALL: Call = call(
    "escalate_to_human",
    r#"{"conversation_id":"$conv","reason":"customer_requested_human","priority":"$priority","queue":"$queue"}"#,
    r#"{"handoff_id":"$handoff","queue":"$queue","position":$position,"estimated_wait_minutes":$minutes}"#,
);

pub(crate) const HANDOFF_ANSWERS: &[&str] = &[
    "Of course. I've passed our conversation to a colleague in the $queue team, and they'll see everything we've discussed so far. The current wait is about $minutes minutes; your reference is $handoff.",
    "No problem, I've handed you over to the $queue team (reference $handoff). Someone will join this chat in roughly $minutes minutes.",
    "Sure. A member of our $queue team will take over shortly, usually within $minutes minutes. Your reference number is $handoff.",
];

/// Replies that ignore the request for a person: the hand-off a governance check should catch.
pub(crate) const HANDOFF_REFUSALS: &[&str] = &[
    "I understand, but I can help with most requests right here. Could you tell me a bit more about $topic so I can try to sort it out?",
    "Our team is very busy at the moment, so let me try first: what exactly is the problem with $topic?",
    "I'm able to handle this for you. What would you like to know about $topic?",
];

/// What an agent says when a tool it needed failed; `$system` is the tool's system.
pub(crate) const TOOL_FAILURE_REPLIES: &[&str] = &[
    "Sorry, I couldn't reach the $system just now, so I can't complete this request. I've logged the problem; please try again in a few minutes.",
    "The $system isn't responding at the moment, so I can't check this right now. Please try again shortly.",
    "I wasn't able to get an answer from the $system (it timed out). Nothing has been changed; please retry in a little while.",
];
