-- Monthly budgets, the fleet's (`fleet`) and per agent (`agent:<name>`), in millionths of
-- the configured currency. The config file seeds those the table does not hold; the Cost
-- Center page changes them after that (each change is in the audit trail).
create table budgets (
    scope text primary key,
    monthly_micros bigint not null,
    hard_cap text not null,
    rate_limit_per_min bigint,
    updated_by text not null,
    updated_at bigint not null
);

-- A hard cap acts on an agent once per month and budget amount: the first replica to
-- insert the row switches the agent, and a person who resumes it has the last word until
-- the month ends or the budget is changed and spent again.
create table budget_enforcements (
    scope text not null,
    month text not null,
    monthly_micros bigint not null,
    agent text not null,
    applied_at bigint not null,
    action text not null,
    primary key (scope, month, monthly_micros, agent)
);
