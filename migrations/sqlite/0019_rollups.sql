-- The analytics engine's rollups. The ingest commit adds to the per-minute rows (usage and
-- the interactions' latency buckets); a job recomputes the hour and day rows from them
-- (see domain/src/metrics). Minutes are kept a week, hours and days as long as the
-- aggregated tier. `traces` now counts interactions, by the commit that brings the root;
-- `updated_at` tells the rollup job which hours have changed.
alter table usage_minutes add column error_traces bigint not null default 0;
alter table usage_minutes add column tool_calls bigint not null default 0;
alter table usage_minutes add column tool_errors bigint not null default 0;
alter table usage_minutes add column cache_read_tokens bigint not null default 0;
alter table usage_minutes add column cache_write_tokens bigint not null default 0;
alter table usage_minutes add column updated_at bigint not null default 0;
create index usage_minutes_updated on usage_minutes (updated_at);

-- Interactions per duration bucket (domain::metrics::sketch), per shard like the usage.
create table latency_minutes (
    agent text not null,
    minute bigint not null,
    shard integer not null,
    bucket integer not null,
    traces bigint not null,
    primary key (agent, minute, shard, bucket)
);
create index latency_minutes_minute on latency_minutes (minute);

-- Hours and days: sums of the minutes, all shards together.
create table usage_rollups (
    resolution text not null,
    agent text not null,
    period_start bigint not null,
    spans bigint not null,
    traces bigint not null,
    errors bigint not null,
    error_traces bigint not null,
    llm_calls bigint not null,
    tool_calls bigint not null,
    tool_errors bigint not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    cache_read_tokens bigint not null,
    cache_write_tokens bigint not null,
    cost_micros bigint not null,
    trace_duration_ns bigint not null,
    sampled_out bigint not null,
    primary key (resolution, period_start, agent)
);

create table latency_rollups (
    resolution text not null,
    agent text not null,
    period_start bigint not null,
    bucket integer not null,
    traces bigint not null,
    primary key (resolution, period_start, agent, bucket)
);
