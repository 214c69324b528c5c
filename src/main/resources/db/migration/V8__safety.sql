-- Moderation decisions kept for review, trimmed and time-limited (seed 000 section F).

CREATE TABLE safety_events (
    id           uuid PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (id),
    user_id      uuid        NOT NULL REFERENCES users (id),
    kind         text        NOT NULL,
    excerpt      text        NOT NULL CHECK (length(excerpt) <= 200),
    reason       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX safety_events_created_idx ON safety_events (created_at);
