-- Runs of the background jobs that must happen once per period however many replicas
-- share the database (retention, the batch PII scan, the governance watch, rollups...).
-- A replica claims a period by inserting its row; one whose claimant died (its lease ran
-- out before it finished) may be taken over, and a finished period is never run again.
create table job_runs (
    job text not null,
    period_start bigint not null,
    claimed_by text not null,
    lease_until bigint not null,
    attempts integer not null,
    started_at bigint not null,
    finished_at bigint,
    last_error text,
    primary key (job, period_start)
);
