//! When an interaction (a trace) is counted, and with what, from what one ingest commit
//! stored of it.
//!
//! An interaction is counted once, by the commit that brings its root span, in the minute
//! its trace starts, with the duration and error state its summary has then (spans sent
//! before the root, in earlier requests, are in that summary; OpenTelemetry SDKs export a
//! child when it ends, so before its parent). A span with status ERROR arriving after the
//! root turns the counted interaction into an error interaction. A span arriving after the
//! root that ends later than everything before it does not lengthen the counted duration.

/// A stored trace as one commit left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceAfterCommit {
    /// The commit carried the trace's root span.
    pub root_in_commit: bool,
    /// Spans with status ERROR the commit carried.
    pub errors_in_commit: i64,
    /// The summary after the commit: whether any commit brought the root so far.
    pub has_root: bool,
    pub start_ns: i64,
    pub end_ns: i64,
    pub error_count: i64,
}

/// What the commit adds to the agent's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A new interaction starting at `start_ns`.
    Interaction {
        start_ns: i64,
        duration_ns: i64,
        error: bool,
    },
    /// An interaction counted before has its first error now.
    BecameError { start_ns: i64 },
}

/// What a commit's share of one trace counts for.
pub fn counted(t: TraceAfterCommit) -> Option<Counted> {
    if t.root_in_commit {
        return Some(Counted::Interaction {
            start_ns: t.start_ns,
            duration_ns: (t.end_ns - t.start_ns).max(0),
            error: t.error_count > 0,
        });
    }
    // Every error the trace has came with this commit: it had none before.
    let first_errors = t.errors_in_commit > 0 && t.error_count == t.errors_in_commit;
    (t.has_root && first_errors).then_some(Counted::BecameError {
        start_ns: t.start_ns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(
        root_in_commit: bool,
        errors_in_commit: i64,
        has_root: bool,
        errors: i64,
    ) -> TraceAfterCommit {
        TraceAfterCommit {
            root_in_commit,
            errors_in_commit,
            has_root,
            start_ns: 1_000,
            end_ns: 5_000,
            error_count: errors,
        }
    }

    #[test]
    fn the_commit_with_the_root_counts_the_interaction_as_it_stands() {
        let whole = counted(after(true, 0, true, 0));
        assert_eq!(
            whole,
            Some(Counted::Interaction {
                start_ns: 1_000,
                duration_ns: 4_000,
                error: false
            })
        );
        // Children sent earlier with an error make the interaction an error one.
        assert!(matches!(
            counted(after(true, 0, true, 2)),
            Some(Counted::Interaction { error: true, .. })
        ));
    }

    #[test]
    fn children_before_the_root_count_nothing_and_a_late_error_counts_once() {
        assert_eq!(counted(after(false, 1, false, 1)), None, "no root yet");
        assert_eq!(
            counted(after(false, 1, true, 1)),
            Some(Counted::BecameError { start_ns: 1_000 })
        );
        assert_eq!(
            counted(after(false, 1, true, 3)),
            None,
            "already an error interaction"
        );
        assert_eq!(counted(after(false, 0, true, 0)), None);
    }
}
