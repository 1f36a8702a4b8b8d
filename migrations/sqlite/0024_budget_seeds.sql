-- A hard cap acts on an agent once per month, budget amount and cap (0022 left the cap out,
-- so a pause changed to a rate limit never acted): the first replica to insert the row
-- switches the agent, and takes the row back if the switch fails. SQLite cannot change a
-- primary key in place, so the table is made again.
create table budget_enforcements_new (
    scope text not null,
    month text not null,
    monthly_micros bigint not null,
    agent text not null,
    applied_at bigint not null,
    action text not null,
    primary key (scope, month, monthly_micros, action, agent)
);
insert into budget_enforcements_new
    select scope, month, monthly_micros, agent, applied_at, action from budget_enforcements;
drop table budget_enforcements;
alter table budget_enforcements_new rename to budget_enforcements;

-- The scopes the config file has seeded once: a budget removed on the Cost Center page is
-- not brought back by the next start. Those seeded before this table existed are read
-- from the audit trail.
create table budget_seeds (
    scope text primary key,
    seeded_at bigint not null
);
insert into budget_seeds (scope, seeded_at)
    select substr(target, 8), min(at) from audit_events
    where actor = 'config' and action = 'budget.set' and target like 'budget:%'
    group by substr(target, 8);
