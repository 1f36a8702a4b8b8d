-- A hard cap acts on an agent once per month, budget amount and cap (0022 left the cap out,
-- so a pause changed to a rate limit never acted): the first replica to insert the row
-- switches the agent, and takes the row back if the switch fails.
alter table budget_enforcements drop constraint budget_enforcements_pkey;
alter table budget_enforcements add primary key (scope, month, monthly_micros, action, agent);

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
