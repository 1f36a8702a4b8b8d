-- The audit trail: append-only and hash-chained. Each event's hash covers its content and
-- the hash before it; `audit_head` is one row that every append updates first, so appends
-- from any connection or replica take their turn and the chain never forks.
create table audit_events (
    seq bigint primary key,
    at bigint not null,
    actor text not null,
    action text not null,
    target text not null,
    before_state text,
    after_state text,
    prev_hash text not null,
    hash text not null
);
create index audit_events_at on audit_events (at);
create index audit_events_target on audit_events (target, seq);

create table audit_head (
    id integer primary key check (id = 1),
    seq bigint not null,
    hash text not null
);
insert into audit_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only';
end
$$;
create trigger audit_events_no_change before update or delete on audit_events
    for each row execute function audit_events_append_only();
