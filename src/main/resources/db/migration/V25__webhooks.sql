-- Outgoing webhooks (Standard Webhooks): endpoints per workspace, an outbox of events written in
-- the transaction that makes each change, and one delivery row per attempt of an event to an
-- endpoint. A pending row is the queue: dispatchers claim due rows with SKIP LOCKED and push
-- next_attempt_at past their lease, so the row of a dispatcher that died comes due again by itself.

-- A UUIDv7 made in SQL, for rows a statement fans out (PostgreSQL 18's uuidv7() is not in 15..17):
-- the 48-bit Unix time in milliseconds, then random bits, with the version and variant set.
CREATE FUNCTION phork_uuid_v7() RETURNS uuid AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$ LANGUAGE sql VOLATILE;

CREATE TABLE webhook_endpoints (
    id                  uuid PRIMARY KEY,
    workspace_id        uuid        NOT NULL REFERENCES workspaces (id),
    url                 text        NOT NULL CHECK (length(url) <= 2048),
    events              text[]      NOT NULL CHECK (cardinality(events) > 0),
    description         text        CHECK (length(description) <= 500),
    enabled             boolean     NOT NULL DEFAULT true,
    disabled_reason     text,
    -- whsec_ + base64 of 32 random bytes; the previous one keeps signing until it expires (rotation).
    secret              text        NOT NULL,
    previous_secret     text,
    previous_expires_at timestamptz,
    -- Since when every attempt failed (NULL after a success): past PHORK_WEBHOOK_DISABLE_AFTER, disabled.
    failing_since       timestamptz,
    created_by          uuid        NOT NULL REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((previous_secret IS NULL) = (previous_expires_at IS NULL))
);
CREATE INDEX webhook_endpoints_workspace_idx ON webhook_endpoints (workspace_id, id DESC);

-- The outbox. body is the exact JSON sent (text, not jsonb, so every attempt signs the same bytes).
CREATE TABLE webhook_events (
    id           uuid PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (id),
    type         text        NOT NULL,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    event_id        uuid        NOT NULL REFERENCES webhook_events (id),
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    attempt         integer     NOT NULL CHECK (attempt >= 0),
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'succeeded', 'failed', 'gave_up')),
    response_status integer,
    duration_ms     integer,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempted_at    timestamptz,
    next_attempt_at timestamptz,
    lease_owner     text,
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id, endpoint_id);
