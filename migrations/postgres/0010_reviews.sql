-- The human review queue. `dedupe_key` makes an interaction queue once however often its
-- spans are re-sent (`trace:<id>`); items the guard holds have none.
create table reviews (
    id bigint generated always as identity primary key,
    agent text not null,
    source text not null,
    trace_id text,
    input text,
    output text not null,
    created_at bigint not null,
    due_at bigint not null,
    state text not null,
    decided_by text,
    decided_at bigint,
    note text,
    dedupe_key text
);
create unique index reviews_dedupe on reviews (dedupe_key);
create index reviews_state on reviews (state, due_at);
create index reviews_agent on reviews (agent, id);
