//! Governance ground truth: missing disclosures, refused hand-offs and protected inferences are
//! flagged exactly when the text shows them.

use super::{sample, spans, str_attr, strings_of};
use crate::text;

#[test]
fn governance_ground_truth_matches_the_text() {
    let sample = sample(23, 3000);
    let disclosure_words = ["AI assistant", "virtual agent"];
    let (mut missing, mut refused, mut inferred, mut handed_off) = (0, 0, 0, 0);
    for i in &sample {
        let texts = strings_of(&i.request);
        let root_output = spans(&i.request)
            .iter()
            .find(|s| s.parent_span_id.is_empty())
            .and_then(|s| str_attr(s, "gen_ai.output.messages").or(str_attr(s, "output.value")))
            .unwrap_or_default()
            .to_string();
        if i.missing_disclosure {
            missing += 1;
            assert!(
                !disclosure_words.iter().any(|w| root_output.contains(w)),
                "{root_output}"
            );
        }
        if i.missed_handoff {
            refused += 1;
            assert!(!texts.iter().any(|t| t == "escalate_to_human"));
        }
        if texts.iter().any(|t| t == "execute_tool escalate_to_human") {
            handed_off += 1;
        }
        let has_inference = text::HR_INFERENCES.iter().any(|s| root_output.contains(s));
        assert_eq!(has_inference, i.demographic_inference, "{root_output}");
        if i.demographic_inference {
            inferred += 1;
            assert_eq!(i.agent, "hr-screening-agent");
        }
        if i.agent == "hr-screening-agent" && !i.has_error {
            assert!(!text::HR_FACTS.is_empty());
        }
    }
    assert!(
        missing > 0 && refused > 0 && inferred > 0 && handed_off > refused,
        "missing {missing} refused {refused} inferred {inferred} handed off {handed_off}"
    );
}
