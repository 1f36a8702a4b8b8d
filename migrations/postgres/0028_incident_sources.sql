-- Violations and anomalies are the outbox of the incidents they may open: each row is
-- written unchecked in the transaction that records it, and the incident job marks it
-- checked in the transaction that opens (or joins) its incident, so a finding is neither
-- lost nor counted twice, whichever replica takes it. Rows recorded before this version
-- are history, not news: they start checked.
alter table violations add column incident_checked_at bigint;
update violations set incident_checked_at = 0;
create index violations_unchecked on violations (id) where incident_checked_at is null;
alter table anomalies add column incident_checked_at bigint;
update anomalies set incident_checked_at = 0;
create index anomalies_unchecked on anomalies (id) where incident_checked_at is null;
