-- Quality scores per agent, answering model and UTC day, for the cheaper-model
-- recommendation. A trace's answering model is that of its model call with the most output
-- tokens (a router's short classification is not the answer). Kept as long as the
-- aggregated tier.
create table model_quality_days (
    agent text not null,
    model text not null,
    day bigint not null,
    provider text,
    scores bigint not null,
    total double precision not null,
    updated_at bigint not null,
    primary key (agent, model, day)
);
create index model_quality_days_day on model_quality_days (day);
