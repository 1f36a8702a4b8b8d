-- Versioned policies. The config file seeds version 1; every later version comes from a
-- proposal that got the approvals it needed. The highest version is the one in force.
create table policy_versions (
    version bigint primary key,
    document text not null,
    created_at bigint not null,
    created_by text not null,
    proposal_id bigint
);

-- A proposed policy document, with the change it makes worked out when it was proposed.
create table policy_proposals (
    id integer primary key autoincrement,
    -- The version it was written against: it can only apply while that one is in force.
    base_version bigint not null,
    document text not null,
    -- The change, one line per rule (JSON list), and the agents it touches (JSON list).
    changes text not null,
    affected_agents text not null,
    required_approvals bigint not null,
    -- open, applied, rejected, withdrawn or stale.
    state text not null,
    author text not null,
    note text not null,
    created_at bigint not null,
    decided_at bigint,
    decided_by text,
    decision_note text,
    applied_version bigint
);
create index policy_proposals_state on policy_proposals (state, id);

-- One approval per person and proposal: the key refuses a second one.
create table policy_approvals (
    proposal_id bigint not null references policy_proposals (id),
    approver text not null,
    note text not null,
    at bigint not null,
    primary key (proposal_id, approver)
);
