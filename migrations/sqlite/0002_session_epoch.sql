-- A counter bumped when a user's password changes: sessions remember the value they were
-- made with, and a session whose value is stale is ended.
alter table users add column session_epoch bigint not null default 0;
