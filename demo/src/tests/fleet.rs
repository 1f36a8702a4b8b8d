//! The fleet's agents and their template banks: complete, and every template fills.

use std::collections::HashSet;

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::NOW;
use crate::{Conventions, fleet, json, slots, text};

#[test]
fn the_fleet_has_ten_distinct_kebab_case_agents() {
    let agents = fleet();
    assert_eq!(agents.len(), 10);
    let names: HashSet<&str> = agents.iter().map(|a| a.name).collect();
    assert_eq!(names.len(), 10);
    for a in agents {
        assert!(
            a.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && !a.name.starts_with('-'),
            "{}",
            a.name
        );
        assert!(["customer_facing", "high_risk", "internal"].contains(&a.category));
        assert!(["real-time", "batch"].contains(&a.pii_scan));
        assert!(["python", "nodejs"].contains(&a.language));
        assert!(a.owner.contains('@'));
        assert!(a.sample_rate > 0.0 && a.sample_rate <= 1.0);
    }
    assert_eq!(agents.iter().map(|a| a.weight).sum::<u32>(), 100);
    let open_inference = agents
        .iter()
        .filter(|a| a.conventions == Conventions::OpenInference)
        .count();
    assert_eq!(open_inference, 2);
    let ids: HashSet<&str> = agents.iter().map(|a| a.agent_id).collect();
    assert_eq!(ids.len(), 10);
}

#[test]
fn the_banks_are_complete_and_every_template_fills() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut templates: Vec<&str> = vec![text::HANDOFF_CALL.args, text::HANDOFF_CALL.result];
    for list in [
        text::DISCLOSURES,
        text::HUMAN_ASKS,
        text::HANDOFF_ANSWERS,
        text::HANDOFF_REFUSALS,
        text::TOOL_FAILURE_REPLIES,
        text::HR_INFERENCES,
        text::HR_FACTS,
    ] {
        templates.extend(list);
    }
    for agent in fleet() {
        let bank = agent.bank;
        assert!(!bank.intents.is_empty(), "{}", agent.name);
        if agent.is_customer_facing() {
            assert!(
                bank.intents.len() >= 15,
                "{} has {} intents",
                agent.name,
                bank.intents.len()
            );
            assert!(bank.tool("escalate_to_human").is_some(), "{}", agent.name);
        }
        let keys: HashSet<&str> = bank.intents.iter().map(|i| i.key).collect();
        assert_eq!(
            keys.len(),
            bank.intents.len(),
            "duplicate intent in {}",
            agent.name
        );
        templates.extend([bank.system, bank.failure_reply, bank.human_topic]);
        templates.extend(bank.pii_sentences);
        templates.extend(bank.attachments);
        for tool in bank.tools {
            templates.push(tool.pii_fields);
        }
        for intent in bank.intents {
            assert!(
                !intent.asks.is_empty() && !intent.answers.is_empty(),
                "{}",
                intent.key
            );
            templates.extend(intent.asks);
            templates.extend(intent.answers);
            for call in intent.calls {
                let tool = bank.tool(call.tool);
                assert!(tool.is_some(), "{}: unknown tool {}", agent.name, call.tool);
                templates.extend([call.args, call.result]);
                // Arguments and results must stay JSON once filled, with personal data spliced in.
                let mut s = slots::Slots::new(NOW);
                let args = s.fill(&mut rng, call.args);
                let result = s.fill(&mut rng, call.result);
                assert!(json::is_valid(&args), "{args}");
                assert!(json::is_valid(&result), "{result}");
                if let Some(tool) = tool.filter(|t| !t.pii_fields.is_empty()) {
                    let fragment = s.fill(&mut rng, tool.pii_fields);
                    let spliced = crate::scenario::splice(&result, &fragment);
                    assert!(json::is_valid(&spliced), "{spliced}");
                }
            }
        }
    }
    let personal = ["email", "phone", "card", "iban", "ssn", "ip"];
    for template in templates {
        let mut rest = template;
        while let Some(pos) = rest.find('$') {
            let after = &rest[pos + 1..];
            let len = after
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
                .count();
            let name = &after[..len];
            assert!(
                slots::is_known(&mut rng, name),
                "unknown slot ${name} in {template}"
            );
            rest = &after[len..];
        }
        // Personal data may only come in through the PII banks, which is what makes has_pii exact.
        let is_pii_bank = fleet().iter().any(|a| {
            a.bank.pii_sentences.contains(&template)
                || a.bank.tools.iter().any(|t| t.pii_fields == template)
        });
        if !is_pii_bank {
            for p in personal {
                let token = format!("${p}");
                let used = template.match_indices(&token).any(|(i, _)| {
                    !template[i + token.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                assert!(!used, "${p} outside a PII bank: {template}");
            }
        }
    }
}
