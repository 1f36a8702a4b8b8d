-- A trace's PII events were found through an index on their trace id. Trace ids are random,
-- so each commit's events landed on a page of that index each: about 30 of the ~590 pages
-- a 500-span commit wrote to SQLite's log (ingest benchmark). Keyed by the row of the span
-- they were found in, which the commit numbers in order, new events land at the index's
-- end; the trace page reads them through its spans' rows. Events stored before keep the
-- trace id index, which new ones no longer enter.
alter table pii_events add column span_row bigint;
drop index pii_events_trace;
create index pii_events_trace on pii_events (trace_id) where span_row is null;
create index pii_events_span on pii_events (span_row);
