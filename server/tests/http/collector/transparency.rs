//! `transparency_notice_required` over HTTP, on SQLite and PostgreSQL: the first answer of
//! each conversation must say it comes from an AI; and Warden's phrases checked against the
//! demo fleet's own ground truth.

use super::governance::{governed_app, llm_turn, said};
use super::*;

/// transparency_notice_required (customer_facing): judged on the first answer of each
/// conversation; a trace outside any conversation is one of its own.
async fn the_first_answer_of_a_conversation_must_say_it_comes_from_an_ai(db: TestDb) {
    let app = governed_app(db).await;
    let token = app.admin_token().await;
    let turn = |trace: u64, conversation: &str, answer: &str| {
        llm_turn(
            trace,
            900,
            [
                said("hi", answer),
                vec![s("gen_ai.conversation.id", conversation)],
            ]
            .concat(),
        )
    };
    // Conversation A opens without the notice: a violation; its next turn is not judged.
    app.send(
        "support-agent",
        vec![turn(40, "conv-a", "Hello, how can I help?")],
    )
    .await;
    app.send("support-agent", vec![turn(41, "conv-a", "It ships today.")])
        .await;
    assert_eq!(
        app.broken(&token, 40).await,
        ["transparency_notice_required"]
    );
    assert!(app.broken(&token, 41).await.is_empty());
    // Conversation B opens with it (any case, whole words); so does C, by attribute.
    app.send(
        "support-agent",
        vec![turn(42, "conv-b", "Hi! I'm an AI assistant for Northwind.")],
    )
    .await;
    let mut declared = turn(43, "conv-c", "Hello, how can I help?");
    declared.attributes.push(kv(
        "warden.ai_disclosure",
        any_value::Value::BoolValue(true),
    ));
    app.send("support-agent", vec![declared]).await;
    assert!(app.broken(&token, 42).await.is_empty());
    assert!(app.broken(&token, 43).await.is_empty());
    // "an airline" is no notice; a single trace is its own conversation.
    app.send(
        "support-agent",
        vec![llm_turn(
            44,
            900,
            said("hi", "Book an airline seat with us."),
        )],
    )
    .await;
    assert_eq!(
        app.broken(&token, 44).await,
        ["transparency_notice_required"]
    );
    // Two turns of a new conversation in one request: the earlier one is its start.
    let mut later = turn(45, "conv-d", "Hi! I'm an AI assistant.");
    later.start_time_unix_nano += 60_000_000_000;
    later.end_time_unix_nano += 60_000_000_000;
    app.send(
        "support-agent",
        vec![later, turn(46, "conv-d", "Hello there.")],
    )
    .await;
    assert!(app.broken(&token, 45).await.is_empty());
    assert_eq!(
        app.broken(&token, 46).await,
        ["transparency_notice_required"]
    );
    // The rule is customer_facing's: an internal agent's conversations are not judged.
    app.send("batch-agent", vec![turn(47, "conv-e", "Done.")])
        .await;
    assert!(app.broken(&token, 47).await.is_empty());
}

/// Warden's disclosure phrases against the demo fleet's ground truth: every first answer
/// the fleet writes with its notice is recognised, every one it leaves without is caught,
/// and no later answer (which has none) is taken for one.
#[test]
fn the_disclosure_check_matches_the_demo_fleets_ground_truth() {
    use warden_services::policy::evaluate::text_discloses_ai;
    let mut fleet = warden_demo::Fleet::new(31);
    let (mut first, mut missing, mut later) = (0, 0, 0);
    for n in 0..4000u64 {
        let i = fleet.next_interaction(1_800_000_000_000_000_000 + n * 250_000_000);
        let owes = warden_demo::fleet()
            .iter()
            .find(|a| a.name == i.agent)
            .is_some_and(|a| a.owes_ai_disclosure());
        if !owes || i.has_error {
            continue;
        }
        let root = i
            .request
            .resource_spans
            .iter()
            .flat_map(|r| &r.scope_spans)
            .flat_map(|s| &s.spans)
            .find(|s| s.parent_span_id.is_empty())
            .unwrap();
        let answer = root
            .attributes
            .iter()
            .find(|a| a.key == "gen_ai.output.messages" || a.key == "output.value")
            .and_then(|a| match a.value.as_ref()?.value.as_ref()? {
                any_value::Value::StringValue(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let disclosed = text_discloses_ai(&answer);
        if i.first_turn && !i.missing_disclosure {
            first += 1;
            assert!(disclosed, "{}: {answer}", i.agent);
        } else if i.first_turn {
            missing += 1;
            assert!(!disclosed, "{}: {answer}", i.agent);
        } else {
            later += 1;
            assert!(!disclosed, "{}: {answer}", i.agent);
        }
    }
    assert!(
        first > 500 && missing > 10 && later > 200,
        "{first} {missing} {later}"
    );
}

backend_tests!(the_first_answer_of_a_conversation_must_say_it_comes_from_an_ai);
