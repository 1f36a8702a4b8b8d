-- Anomalies found by the analytics engine: an agent's metric over an hour far from its
-- own baseline (domain/src/metrics/anomaly.rs). One is open per agent and metric at most;
-- each pass updates it with the latest hour until it closes. The incident layer reads them.
create table anomalies (
    id integer primary key autoincrement,
    agent text not null,
    metric text not null,
    window_start bigint not null,
    window_end bigint not null,
    observed double precision not null,
    baseline double precision not null,
    z double precision not null,
    direction text not null,
    opened_at bigint not null,
    closed_at bigint,
    updated_at bigint not null
);
create unique index anomalies_open on anomalies (agent, metric) where closed_at is null;
create index anomalies_opened on anomalies (opened_at);
