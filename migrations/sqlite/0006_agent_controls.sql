-- Each agent's control state (the kill switch): what it must do, who said so and why, and
-- when the agent last read it. No row means running.
create table agent_controls (
    agent text primary key,
    state text not null,
    reason text not null,
    rate_limit_per_min bigint,
    pinned_version text,
    -- Bumped on every change: the ETag agents poll with.
    version bigint not null,
    updated_by text not null,
    updated_at bigint not null,
    last_read_at bigint
);
