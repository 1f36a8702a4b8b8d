-- On-call overrides ("I cover Tuesday night"): who is on call from when to when, instead of
-- the rotation of `incidents.on_call`. Removed overrides are kept (`removed_at`), as the
-- audit trail names them.
create table on_call_overrides (
    id bigint generated always as identity primary key,
    who text not null,
    starts_at bigint not null,
    ends_at bigint not null,
    note text not null,
    created_by text not null,
    created_at bigint not null,
    removed_at bigint,
    removed_by text
);
create index on_call_overrides_ends on on_call_overrides (ends_at) where removed_at is null;
