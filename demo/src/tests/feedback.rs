//! The scores users and the evaluator give: for traces of the same request, in range, at
//! the intended shares, and lower where the interaction went wrong.

use std::collections::HashSet;

use super::{NOW, SEC, spans};
use crate::Fleet;

#[test]
fn feedback_scores_traces_of_its_request_and_follows_what_went_wrong() {
    let mut fleet = Fleet::new(7);
    let mut scores = Vec::new();
    let mut traces = HashSet::new();
    let mut errors: HashSet<Vec<u8>> = HashSet::new();
    for i in 0..200 {
        let (request, feedback) = fleet.export_with_feedback(NOW + i * SEC, 20);
        let ids: HashSet<Vec<u8>> = spans(&request).iter().map(|s| s.trace_id.clone()).collect();
        for f in &feedback {
            assert!(
                ids.contains(f.trace_id.as_slice()),
                "a score for another request"
            );
        }
        traces.extend(ids);
        errors.extend(
            spans(&request)
                .iter()
                .filter(|s| s.parent_span_id.is_empty())
                .filter(|s| s.status.as_ref().is_some_and(|st| st.code == 2))
                .map(|s| s.trace_id.clone()),
        );
        scores.extend(feedback);
    }
    let n = traces.len() as f64;
    let users: Vec<_> = scores.iter().filter(|s| s.name == "satisfaction").collect();
    let judged: Vec<_> = scores.iter().filter(|s| s.name == "quality").collect();
    let user_share = users.len() as f64 / n;
    let judged_share = judged.len() as f64 / n;
    assert!(
        (0.10..0.15).contains(&user_share),
        "user share {user_share}"
    );
    assert!(
        (0.20..0.27).contains(&judged_share),
        "evaluator share {judged_share}"
    );
    for s in &users {
        assert_eq!(s.source, "user");
        match s.scale {
            Some(5) => assert!((1.0..=5.0).contains(&s.value) && s.value.fract() == 0.0),
            None => assert!(s.value == 0.0 || s.value == 1.0),
            other => panic!("scale {other:?}"),
        }
    }
    assert!(
        users.iter().any(|s| s.scale == Some(5)),
        "internal agents rate in stars"
    );
    assert!(
        users.iter().any(|s| s.scale.is_none()),
        "chats rate with thumbs"
    );
    assert!(
        judged
            .iter()
            .all(|s| (0.0..=1.0).contains(&s.value) && s.source == "evaluator")
    );
    // Thumbs follow what happened: a root span with status ERROR is a failed interaction.
    let thumbs_up = |failed: bool| {
        let rated: Vec<_> = users
            .iter()
            .filter(|s| s.scale.is_none() && errors.contains(s.trace_id.as_slice()) == failed)
            .collect();
        assert!(rated.len() >= 5, "too few rated ({failed}) to judge");
        rated.iter().filter(|s| s.value == 1.0).count() as f64 / rated.len() as f64
    };
    let (plain, failed) = (thumbs_up(false), thumbs_up(true));
    assert!(plain > 0.7, "plain answers liked {plain}");
    assert!(failed < 0.4, "failed answers liked {failed}");
}
