//! What people and evaluators say of the agents' answers: users' thumbs and star ratings,
//! and an LLM judge's quality score on a share of the traffic, as agents post them to
//! Warden's scores API after the trace.

use rand::Rng;
use rand::rngs::StdRng;

use crate::fleet::{fleet, index_of};
use crate::generator::Interaction;

/// One score for one interaction, in the shape of `POST /api/v1/scores`.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub trace_id: [u8; 16],
    pub agent: &'static str,
    /// `satisfaction` or `quality`.
    pub name: &'static str,
    pub value: f64,
    /// `Some(5)` for a star rating; thumbs and quality have none.
    pub scale: Option<u32>,
    /// `user` or `evaluator`.
    pub source: &'static str,
    pub comment: Option<&'static str>,
}

/// Users rate about one answer in eight; the evaluator judges one in four.
const USER_SHARE: f64 = 0.125;
const EVALUATOR_SHARE: f64 = 0.25;

/// How good an agent's answers usually are, to the evaluator: each agent has its own level
/// so the dashboards differ between agents.
fn usual_quality(agent: &str) -> f64 {
    let spread = agent
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    0.72 + f64::from(spread % 21) / 100.0
}

/// How much worse the answers of an agent's cheaper chat model are: clearly so where the
/// work is high-risk (the larger model earns its price), barely elsewhere (the cheaper
/// model would do, which the cost recommendations can then find).
fn cheaper_model_penalty(interaction: &Interaction) -> f64 {
    let Some(profile) = index_of(interaction.agent).map(|i| &fleet()[i]) else {
        return 0.0;
    };
    let price = |name: &str| {
        profile
            .models
            .iter()
            .find(|(m, _)| m.name == name)
            .map(|(m, _)| m.output_per_mtok)
    };
    let dearest = profile
        .models
        .iter()
        .map(|(m, _)| m.output_per_mtok)
        .fold(0.0, f64::max);
    match interaction.answered_by.and_then(price) {
        Some(p) if p < dearest && profile.category == "high_risk" => 0.12,
        Some(p) if p < dearest => 0.01,
        _ => 0.0,
    }
}

/// The feedback that `interaction` draws, if any.
pub(crate) fn feedback(rng: &mut StdRng, interaction: &Interaction) -> Vec<Feedback> {
    let mut out = Vec::new();
    let went_wrong = interaction.has_error || interaction.missed_handoff;
    if rng.random_bool(USER_SHARE) {
        let happy = if went_wrong {
            0.2
        } else if interaction.is_slow || interaction.has_tool_failure {
            0.55
        } else {
            0.88
        };
        // Internal tools ask for stars; customer-facing chats show thumbs.
        let internal =
            index_of(interaction.agent).is_some_and(|i| fleet()[i].category == "internal");
        let (value, scale) = if internal {
            let stars = if rng.random_bool(happy) {
                rng.random_range(4..=5)
            } else {
                rng.random_range(1..=3)
            };
            (f64::from(stars), Some(5))
        } else {
            (f64::from(u8::from(rng.random_bool(happy))), None)
        };
        let comment = match (value, scale) {
            (v, None) if v == 0.0 && went_wrong => Some("it failed and did not pass me on"),
            (v, Some(_)) if v <= 2.0 => Some("not what I asked for"),
            _ => None,
        };
        out.push(Feedback {
            trace_id: interaction.trace_id,
            agent: interaction.agent,
            name: "satisfaction",
            value,
            scale,
            source: "user",
            comment,
        });
    }
    if !interaction.has_error && rng.random_bool(EVALUATOR_SHARE) {
        let penalty = if interaction.missed_handoff || interaction.demographic_inference {
            0.35
        } else {
            0.0
        };
        let value =
            (usual_quality(interaction.agent) - penalty - cheaper_model_penalty(interaction)
                + rng.random_range(-0.12..0.12))
            .clamp(0.0, 1.0);
        out.push(Feedback {
            trace_id: interaction.trace_id,
            agent: interaction.agent,
            name: "quality",
            value: (value * 100.0).round() / 100.0,
            scale: None,
            source: "evaluator",
            comment: None,
        });
    }
    out
}
