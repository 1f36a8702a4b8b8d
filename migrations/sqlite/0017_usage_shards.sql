-- The usage rows gain a shard (see ../postgres/0017_usage_shards.sql for why). SQLite
-- commits one at a time, so its commits take shard 0, but both engines keep one schema.
-- SQLite cannot change a primary key in place: the table is copied.
create table usage_minutes_sharded (
    agent text not null,
    minute bigint not null,
    shard integer not null,
    spans bigint not null,
    traces bigint not null,
    errors bigint not null,
    llm_calls bigint not null,
    input_tokens bigint not null,
    output_tokens bigint not null,
    cost_micros bigint not null,
    trace_duration_ns bigint not null,
    sampled_out bigint not null,
    primary key (agent, minute, shard)
);
insert into usage_minutes_sharded (agent, minute, shard, spans, traces, errors, llm_calls,
    input_tokens, output_tokens, cost_micros, trace_duration_ns, sampled_out)
select agent, minute, 0, spans, traces, errors, llm_calls, input_tokens, output_tokens,
    cost_micros, trace_duration_ns, sampled_out
from usage_minutes;
drop table usage_minutes;
alter table usage_minutes_sharded rename to usage_minutes;
create index usage_minutes_minute on usage_minutes (minute);
