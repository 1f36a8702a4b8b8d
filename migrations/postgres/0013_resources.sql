-- OTLP resources (service, host, process attributes): every span of a resource repeats
-- them, about 40% of a span's stored bytes, so each distinct resource is stored once,
-- scanned and redacted, and spans point to it. Readers see its attributes merged into the
-- span's as `resource.*`, as spans stored before this migration hold them.
--
-- Retention deletes a resource no span points to once it has not been seen for the raw
-- tier and two days more; last_seen_at moves at most daily, so a commit rarely writes the
-- row.
create table resources (
    id bigint generated always as identity primary key,
    digest text not null unique,
    attributes text not null,
    first_seen_at bigint not null,
    last_seen_at bigint not null
);
alter table spans add column resource_id bigint;
-- Few distinct values, and new rows land at each value's end: a hot page per resource.
create index spans_resource on spans (resource_id) where resource_id is not null;
