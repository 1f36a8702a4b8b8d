-- The trace collector: agents, ingest keys, spans, trace summaries (with their tags), PII
-- events, per-minute usage (which counts sampled-out spans too) and the retention log.
-- Times of spans are epoch nanoseconds (as OTLP sends them); everything else is epoch ms.
--
-- Trace ids are random, so an index led by them takes inserts all over the B-tree and each
-- commit would rewrite about one index page per span. Spans therefore have one index, on
-- their start second, where new rows land in a few hot pages; a trace lists its spans' row
-- ids in its summary row (`span_ids`), and tags live in that row too. A retried request is
-- recognised by its digest (`ingest_requests`), not by a unique key on every span.
create table agents (
    id bigint generated always as identity primary key,
    name text not null unique,
    source text not null,
    sdk text,
    owner text,
    category text,
    environment text,
    policy text,
    description text,
    sample_rate double precision not null default 1.0,
    pii_scan text not null default 'real-time',
    created_at bigint not null,
    updated_at bigint not null,
    last_seen_at bigint
);

create table ingest_keys (
    id bigint generated always as identity primary key,
    name text not null,
    scope_kind text not null,
    scope_name text not null,
    prefix text not null,
    key_hash text not null unique,
    created_by bigint references users (id) on delete set null,
    created_at bigint not null,
    last_used_at bigint,
    revoked_at bigint
);

create table spans (
    id bigint generated always as identity primary key,
    trace_id text not null,
    span_id text not null,
    parent_span_id text,
    agent text not null,
    name text not null,
    kind text not null,
    -- start_ns in whole seconds: the leading column of the span index.
    start_s bigint not null,
    start_ns bigint not null,
    end_ns bigint not null,
    status text not null,
    status_message text,
    error_type text,
    operation text,
    provider text,
    model text,
    input_tokens bigint,
    output_tokens bigint,
    cache_read_tokens bigint,
    cache_write_tokens bigint,
    reasoning_tokens bigint,
    reported_cost_usd double precision,
    cost_micros bigint,
    cost_basis text,
    tool_name text,
    conversation_id text,
    session_id text,
    user_id text,
    environment text,
    service_version text,
    input text,
    output text,
    attributes text not null,
    events text not null,
    redacted boolean not null,
    pii_pending boolean not null,
    received_at bigint not null
);
create index spans_start on spans (start_s);
create index spans_pii_pending on spans (id) where pii_pending;

create table traces (
    trace_id text primary key,
    agent text not null,
    name text not null,
    root_span_id text,
    start_ns bigint not null,
    end_ns bigint not null,
    span_count bigint not null,
    error_count bigint not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    cost_micros bigint not null,
    model text,
    environment text,
    conversation_id text,
    pii_count bigint not null,
    -- Space-separated and space-framed (' error pii model:gpt-4o '), so that a tag is
    -- found with like '% tag %'.
    tags text not null,
    -- The spans' row ids, each followed by a comma.
    span_ids text not null,
    received_at bigint not null
);

-- Digests of committed ingest requests: an exporter retrying a request whose answer it
-- lost is answered without storing it twice. Kept a day.
create table ingest_requests (
    digest text primary key,
    received_at bigint not null
);
create index traces_start on traces (start_ns);
create index traces_agent_start on traces (agent, start_ns);

create table pii_events (
    id bigint generated always as identity primary key,
    agent text not null,
    trace_id text not null,
    span_id text not null,
    field text not null,
    kind text not null,
    stage text not null,
    detected_at bigint not null
);
create index pii_events_detected on pii_events (detected_at);
create index pii_events_trace on pii_events (trace_id);

create table usage_minutes (
    agent text not null,
    minute bigint not null,
    spans bigint not null,
    traces bigint not null,
    errors bigint not null,
    llm_calls bigint not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    cost_micros bigint not null,
    trace_duration_ns bigint not null,
    sampled_out bigint not null,
    primary key (agent, minute)
);
create index usage_minutes_minute on usage_minutes (minute);

create table retention_runs (
    id bigint generated always as identity primary key,
    tier text not null,
    cutoff bigint not null,
    deleted bigint not null,
    started_at bigint not null,
    finished_at bigint not null
);
