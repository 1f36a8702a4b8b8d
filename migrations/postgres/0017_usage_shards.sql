-- Every ingest commit adds its spans to the (agent, minute) usage rows, so concurrent
-- commits shared those rows: each waited for the row locks of the one before it until
-- that one ended, its log flush included. While a checkpoint syncs the data files a flush
-- can take a few hundred milliseconds, and the four writers then ended one after the
-- other: commits of 750-800 ms under the ingest benchmark (pg_stat_activity showed them
-- waiting on usage_minutes). A commit now adds to the row of its own shard, which no other
-- commit in flight in this process uses, and readers add the shards up. Rows written
-- before this version are shard 0. A server still running the previous build fails its
-- commits from here on (its upsert names the old key) until it is replaced.
set local lock_timeout = '10s';
alter table usage_minutes add column shard smallint not null default 0;
alter table usage_minutes alter column shard drop default;
alter table usage_minutes drop constraint usage_minutes_pkey;
alter table usage_minutes add primary key (agent, minute, shard);
