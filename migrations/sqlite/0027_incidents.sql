-- Incidents (layer 4): one row per problem, its append-only timeline, and the outbox of
-- pages. The escalation cursor (`next_level`, `next_round`, `next_page_at`) lives on the
-- incident so a restart or another replica resumes where it stands; a page is a row
-- written before it is sent, unique per (incident, purpose, level, round, channel,
-- recipient), so a round is never recorded twice.
create table incidents (
    id integer primary key autoincrement,
    kind text not null,
    severity text not null,
    title text not null,
    agent text,
    rule text,
    -- kind|agent|rule: a repeat while one is open joins it instead of opening another.
    dedup_key text not null,
    status text not null,
    -- The escalation ladder it was opened with, as JSON: a config change later does not
    -- change an incident already escalating.
    ladder text not null,
    opened_at bigint not null,
    opened_by text not null,
    acked_at bigint,
    acked_by text,
    resolved_at bigint,
    resolved_by text,
    next_level integer not null,
    next_round integer not null,
    next_page_at bigint,
    -- How often the same problem came back while it was open.
    repeats integer not null default 0,
    updated_at bigint not null
);
create unique index incidents_open_key on incidents (dedup_key) where status <> 'resolved';
create index incidents_due on incidents (next_page_at) where status = 'triggered';
create index incidents_opened on incidents (opened_at);

create table incident_events (
    id integer primary key autoincrement,
    incident_id bigint not null references incidents (id),
    at bigint not null,
    kind text not null,
    actor text not null,
    detail text not null
);
create index incident_events_incident on incident_events (incident_id, id);

create table incident_pages (
    id integer primary key autoincrement,
    incident_id bigint not null references incidents (id),
    purpose text not null,
    level integer not null,
    round integer not null,
    channel text not null,
    recipient text not null,
    status text not null,
    attempts integer not null,
    next_attempt_at bigint not null,
    claimed_by text,
    lease_until bigint,
    created_at bigint not null,
    sent_at bigint,
    last_error text,
    unique (incident_id, purpose, level, round, channel, recipient)
);
create index incident_pages_due on incident_pages (next_attempt_at) where status = 'pending';

-- Keys Warden signs its own links with (acknowledge links in pages): made once by
-- whichever replica starts first, shared by all through the database.
create table signing_keys (
    name text primary key,
    secret text not null,
    created_at bigint not null
);
