-- Each hour row's p95 interaction duration, computed from its latency buckets by the
-- rollup pass, so that the anomaly pass reads a week of p95s from ~1,700 usage rows rather
-- than merging ~100,000 bucket rows every minute. Null until computed; -1 for an hour
-- without durations.
alter table usage_rollups add column p95_ms double precision;
