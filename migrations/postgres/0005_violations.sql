-- Policy violations: one row per rule broken, by a trace (or by an agent, for rules that
-- watch an agent over time). Evidence is redacted text, never a raw value.
create table violations (
    id bigint generated always as identity primary key,
    rule text not null,
    severity text not null,
    agent text not null,
    -- The policy level that set the rule.
    level text not null,
    trace_id text,
    span_id text,
    evidence text not null,
    detected_at bigint not null
);
create index violations_detected on violations (detected_at);
create index violations_agent on violations (agent, detected_at);
create index violations_trace on violations (trace_id, rule);
