-- Scores and feedback on interactions (POST /api/v1/scores). A score counts in the minute
-- it is given, for the agent of its trace; one whose trace is not known yet and whose key
-- did not name the agent waits (`counted_at` null) until the rollup job finds the trace.
create table scores (
    id integer primary key autoincrement,
    trace_id text not null,
    span_id text,
    agent text,
    name text not null,
    value double precision,
    label text,
    normalized double precision,
    comment text,
    source text not null,
    created_by text not null,
    created_at bigint not null,
    counted_at bigint
);
create index scores_trace on scores (trace_id);
create index scores_waiting on scores (created_at) where counted_at is null;

-- Numeric scores per agent, minute and name, and their hour and day rollups.
create table score_minutes (
    agent text not null,
    minute bigint not null,
    name text not null,
    scores bigint not null,
    total double precision not null,
    updated_at bigint not null,
    primary key (agent, minute, name)
);
create index score_minutes_updated on score_minutes (updated_at);
create table score_rollups (
    resolution text not null,
    agent text not null,
    period_start bigint not null,
    name text not null,
    scores bigint not null,
    total double precision not null,
    primary key (resolution, period_start, agent, name)
);
