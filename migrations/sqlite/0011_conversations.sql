-- Conversations seen, each with the trace that opened it: `transparency_notice_required`
-- judges a conversation's first answer, and the commit that inserts the row is the one that
-- holds that answer. Kept with the raw traces (the retention tier deletes them alike).
create table conversations (
    agent text not null,
    conversation_id text not null,
    first_trace_id text not null,
    started_at bigint not null,
    primary key (agent, conversation_id)
);
create index conversations_started on conversations (started_at);
