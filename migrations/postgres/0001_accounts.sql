-- Accounts, roles, personal API tokens and login throttling.
-- Timestamps are epoch milliseconds in both engines so time arithmetic is the same SQL.
create table users (
    id bigint generated always as identity primary key,
    email text not null unique,
    password_hash text not null,
    disabled boolean not null default false,
    created_at bigint not null,
    updated_at bigint not null
);

create table user_roles (
    user_id bigint not null references users (id) on delete cascade,
    role text not null,
    created_at bigint not null,
    primary key (user_id, role)
);

create table api_tokens (
    id bigint generated always as identity primary key,
    user_id bigint not null references users (id) on delete cascade,
    name text not null,
    prefix text not null,
    token_hash text not null unique,
    created_at bigint not null,
    last_used_at bigint,
    revoked_at bigint
);
create index api_tokens_user_id on api_tokens (user_id);

create table login_throttle (
    key text primary key,
    failures integer not null,
    window_started_at bigint not null,
    locked_until bigint,
    created_at bigint not null,
    updated_at bigint not null
);
