-- Agents' control webhooks: Warden POSTs each change of the agent's control state (and a
-- periodic ping) to the URL, signed with HMAC-SHA256 under the secret. The secret is kept
-- as it is (it signs, so it cannot be hashed); it is shown once when registered.
create table agent_webhooks (
    agent text primary key,
    url text not null,
    secret text not null,
    created_at bigint not null,
    created_by text not null,
    last_delivery_at bigint,
    last_ok_at bigint,
    last_error text
);
