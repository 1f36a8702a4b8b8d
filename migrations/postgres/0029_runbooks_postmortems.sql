-- Runbooks and post-mortems (layer 4). An incident's steps are a copy of its kind's
-- runbook made when it opened, as its ladder is: a config change later does not change
-- an incident being worked on. A step Warden runs by itself is claimed with a lease
-- (`claimed_by`, `lease_until`), so one replica runs it, and a restart takes it up again
-- once the lease runs out.
create table incident_steps (
    incident_id bigint not null references incidents (id),
    position integer not null,
    name text not null,
    action text not null,
    automatic boolean not null,
    -- A health check's patience and a rate limit's requests per minute.
    wait_ms bigint,
    per_min integer,
    status text not null,
    started_at bigint,
    finished_at bigint,
    done_by text,
    result text,
    claimed_by text,
    lease_until bigint,
    primary key (incident_id, position)
);
create index incident_steps_open on incident_steps (incident_id) where status in ('pending', 'running') and automatic;

-- One post-mortem per incident: drafted by the responders, closed by a reviewer or an
-- incident commander. Action items are a JSON list (title, owner, due, status): they
-- are read and written with the post-mortem, never queried alone.
create table postmortems (
    incident_id bigint primary key references incidents (id),
    status text not null,
    impact text not null,
    root_cause text not null,
    contributing_factors text not null,
    action_items text not null,
    revision bigint not null,
    created_at bigint not null,
    created_by text not null,
    updated_at bigint not null,
    updated_by text not null,
    closed_at bigint,
    closed_by text
);
create index postmortems_open on postmortems (created_at) where status = 'draft';
