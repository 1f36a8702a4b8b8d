-- The trace list's time indexes held start_ns. Spans reach the collector up to seconds
-- late and out of order, so under load each commit's new traces landed all over those
-- indexes: about 190 of the 770 pages a 500-span commit wrote to SQLite's log were theirs
-- (ingest benchmark). Keyed by the start second, and for one agent by the start minute,
-- new entries land at the ends of a few keys instead (rows of one key follow row order),
-- and the list sorts only the newest key's rows by start_ns.
alter table traces add column start_s bigint not null default 0;
-- Floor division, as the ingest commit computes it for spans and traces.
update traces set start_s =
    (start_ns - ((start_ns % 1000000000) + 1000000000) % 1000000000) / 1000000000;
drop index traces_start;
drop index traces_agent_start;
create index traces_start on traces (start_s);
create index traces_agent_minute on traces (agent, (start_s / 60));
