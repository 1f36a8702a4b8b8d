-- Violations found by a watch that every replica runs carry a key naming what they are
-- about (rule, agent, episode): the first replica to insert it wins, the others do nothing.
alter table violations add column dedupe_key text;
create unique index violations_dedupe on violations (dedupe_key);
