-- The trace list's time indexes held start_ns. Spans reach the collector up to seconds
-- late and out of order, so under load each commit's new traces landed all over those
-- indexes: about 190 of the 770 pages a 500-span commit wrote to SQLite's log were theirs
-- (ingest benchmark). Keyed by the start second, and for one agent by the start minute,
-- new entries land at the ends of a few keys instead (in SQLite rows of one key follow
-- row order; in PostgreSQL nearly so), and the list sorts only the newest key's rows by
-- start_ns. The minute costs the per-agent list: it reads all of an agent's traces of
-- that minute (at 30 traces a second, 1,800), where a key by the second would spread
-- each commit's traces over the ten or so seconds in flight of every agent again.
-- The old indexes go first, so that the update does not write entries into them.
drop index traces_start;
drop index traces_agent_start;
alter table traces add column start_s bigint not null default 0;
-- Floor division, as the ingest commit computes it.
update traces set start_s = start_ns / 1000000000
    - case when start_ns % 1000000000 < 0 then 1 else 0 end;
create index traces_start on traces (start_s);
create index traces_agent_minute on traces (agent, (start_s / 60));
