-- Model calls per agent, model and hour, for spend by model and the cost recommendations.
-- Written by the ingest commit for every model call, sampled out or not, a shard per
-- commit in flight like the usage minutes; kept as long as the aggregated tier.
create table model_usage_hours (
    agent text not null,
    model text not null,
    hour bigint not null,
    shard integer not null,
    calls bigint not null,
    failed_calls bigint not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    cache_read_tokens bigint not null,
    cache_write_tokens bigint not null,
    cost_micros bigint not null,
    -- What the failed calls cost.
    failed_cost_micros bigint not null,
    primary key (agent, model, hour, shard)
);
create index model_usage_hours_hour on model_usage_hours (hour);
