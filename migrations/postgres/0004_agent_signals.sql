-- What agents report besides traces: the metrics that matter for cost and health, per
-- minute, and their warning-and-above log records as agent events.
create table agent_metrics (
    agent text not null,
    minute bigint not null,
    name text not null,
    -- The data point's string attributes, sorted, as k=v pairs joined by commas.
    series text not null,
    kind text not null,
    -- delta points add up within the minute; cumulative and gauge points keep the latest.
    cumulative boolean not null,
    value double precision not null,
    count bigint not null,
    unit text not null,
    updated_at bigint not null,
    primary key (agent, minute, name, series)
);
create index agent_metrics_minute on agent_metrics (minute);

create table agent_events (
    id bigint generated always as identity primary key,
    agent text not null,
    time_ns bigint not null,
    severity_number integer not null,
    severity text not null,
    body text not null,
    trace_id text,
    span_id text,
    attributes text not null,
    received_at bigint not null
);
create index agent_events_agent_time on agent_events (agent, time_ns);
create index agent_events_time on agent_events (time_ns);
